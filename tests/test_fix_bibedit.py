"""bibedit: fields found by span, edits made in place, everything else byte for byte."""

from __future__ import annotations

from citecheck.bibliography import bibedit

TEXT = """\
@string{jgr = "J Gerontol"}
@comment{ an old entry: @article{gone, title={x}} }
@Article{ smith2019 ,
    title = "Quoted {Title} here",
    journal = jgr # " A",
    year = 2019,
    pages = {1--{2}}
}
@book(lee2001, title = {One line}, year = {2001})
"""


def test_entries_and_spans():
    found = {e.key: e for e in bibedit.entries(TEXT)}
    assert set(found) == {"smith2019", "lee2001"}  # not @string, not inside @comment
    smith = found["smith2019"]
    assert [f.name for f in smith.fields] == ["title", "journal", "year", "pages"]
    spans = {f.name: TEXT[f.start : f.end] for f in smith.fields}
    assert spans == {
        "title": '"Quoted {Title} here"',
        "journal": 'jgr # " A"',
        "year": "2019",
        "pages": "{1--{2}}",
    }


def test_replace_keeps_delimiters_and_adds_fields_in_style():
    edits = [
        bibedit.Edit("smith2019", "title", "New title"),
        bibedit.Edit("smith2019", "year", "2020"),
        bibedit.Edit("smith2019", "doi", "10.1/x"),
        bibedit.Edit("lee2001", "doi", "10.2/y"),
        bibedit.Edit("absent", "doi", "10.3/z"),
    ]
    out = bibedit.apply(TEXT, edits)
    assert '    title = "New title",\n' in out
    assert "    year = 2020,\n" in out
    assert "    pages = {1--{2}},\n    doi = {10.1/x}\n}\n" in out
    assert "@book(lee2001, title = {One line}, year = {2001},\n  doi = {10.2/y})" in out
    assert out.startswith('@string{jgr = "J Gerontol"}\n@comment{ an old entry:')


def test_no_edits_is_the_same_text_and_unreadable_text_is_left_alone():
    assert bibedit.apply(TEXT, []) == TEXT
    broken = "@article{k, title = {never closed\n"
    assert bibedit.entries(broken) == []
    assert bibedit.apply(broken, [bibedit.Edit("k", "year", "2020")]) == broken
