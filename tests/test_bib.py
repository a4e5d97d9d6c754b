"""Tests for citecheck.bibliography.bib: BibTeX writing, reading, round trips, malformed input."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st
from test_refparse import seed_entries

from citecheck.bibliography.bib import read_bibtex, references_to_bibtex
from citecheck.model import Author, Location, Reference
from citecheck.references.refparse import assign_keys, parse_reference


def ref(**fields) -> Reference:
    base = {"key": "k", "raw": "raw text", "location": Location("m.txt", 1)}
    return Reference(**{**base, **fields})


def roundtrip(refs: list[Reference]) -> tuple[Reference, ...]:
    back, unparsed = read_bibtex(references_to_bibtex(refs), "refs/references.bib")
    assert unparsed == ()
    return back


def test_seed_roundtrip_is_exact(seed_text: str) -> None:
    refs = assign_keys(
        [
            parse_reference(text, number=i, location=Location("manuscript.txt", 131 + i))
            for i, text in enumerate(seed_entries(seed_text), start=1)
        ]
    )
    text = references_to_bibtex(refs)
    back = roundtrip(list(refs))
    assert len(back) == 39
    for original, read in zip(refs, back, strict=True):
        assert read == dataclasses.replace(original, location=read.location)
    # entries are in list order and each location points at its "@article{" line
    lines = text.splitlines()
    for read in back:
        assert lines[read.location.line - 1].startswith(f"@article{{{read.key},")
    assert [r.number for r in back] == list(range(1, 40))


def test_output_fields_and_conventions() -> None:
    text = references_to_bibtex(
        [
            ref(
                key="pan2023mechanisms",
                number=1,
                type_marker="J",
                authors=(Author("Pan", "HY"), Author("Mostafavi Montazeri", "SM")),
                et_al=True,
                title="The mechanisms",
                container="Exp Gerontol",
                year=2023,
                volume="174",
                issue="3",
                pages="1611-21",
                article_number="e1",
                doi="10.1/x",
                pmid="123",
            )
        ]
    )
    assert text.startswith("@article{pan2023mechanisms,")
    assert "author = {Pan, HY and Mostafavi Montazeri, SM and others}" in text
    for field in (
        "journal = {Exp Gerontol}",
        "number = {3}",
        "pages = {1611--21}",
        "eid = {e1}",
        "refnumber = {1}",
        "typemarker = {J}",
        "raw = {raw text}",
    ):
        assert field in text
    assert "langid" not in text and "publisher" not in text


def test_chinese_entry_langid_and_names() -> None:
    original = ref(
        authors=(Author("周荣耀"), Author("World Health Organization")),
        title="研究进展",
        language="zh",
        kind="book",
        publisher="江苏古籍出版社",
    )
    text = references_to_bibtex([original])
    assert "langid = {chinese}" in text and "{World Health Organization}" in text
    assert roundtrip([original]) == (
        dataclasses.replace(original, location=Location("refs/references.bib", 1)),
    )


def test_braces_and_backslashes_survive() -> None:
    original = ref(title="Unbalanced { brace and \\ backslash } }", raw="x}{y\\{z")
    (back,) = roundtrip([original])
    assert (back.title, back.raw) == (original.title, original.raw)


def test_keys_are_assigned_when_missing() -> None:
    text = references_to_bibtex(
        [ref(key="", authors=(Author("Smith", "J"),), year=2020, title="On x")]
    )
    assert text.startswith("@article{smith2020x,")


def test_foreign_bibtex_is_read() -> None:
    text = """@string{jn = {Nature}}
% a comment line

@inproceedings{smith2020,
  author = {John Smith and Doe, Jane and {Acme Consortium}},
  title = {A {Study}},
  booktitle = {Proc. X},
  year = 2020,
  pages = {10--20},
}
"""
    (smith,), unparsed = read_bibtex(text, "x.bib")
    assert unparsed == ()
    assert smith.location == Location("x.bib", 4)
    assert smith.authors == (
        Author("Smith", "John"),
        Author("Doe", "Jane"),
        Author("Acme Consortium"),
    )
    assert (smith.kind, smith.container, smith.year, smith.pages) == (
        "inproceedings",
        "Proc. X",
        2020,
        "10-20",
    )
    assert smith.number is None and smith.raw.startswith("@inproceedings{smith2020,")


def test_duplicate_key_and_unclosed_brace_are_unparsed_with_lines() -> None:
    text = (
        "@article{a,\n  title = {First}\n}\n"  # lines 1-3
        "\n"
        "@article{a,\n  title = {Second}\n}\n"  # lines 5-7: duplicate key
        "\n"
        "@article{b,\n  title = {never closed\n"  # line 9: unclosed brace
        "\n"
        "@book{c,\n  title = {Fine}\n}\n"  # line 12
    )
    refs, unparsed = read_bibtex(text, "refs.bib")
    assert [(r.key, r.location.line) for r in refs] == [("a", 1), ("c", 12)]
    assert [u.location for u in unparsed] == [Location("refs.bib", 5), Location("refs.bib", 9)]
    assert unparsed[0].reason == "duplicate key 'a' (first defined at line 1)"
    assert "Second" in unparsed[0].text
    assert unparsed[1].reason and "\n" not in unparsed[1].reason
    assert "never closed" in unparsed[1].text


def test_empty_input() -> None:
    assert read_bibtex("", "x.bib") == ((), ())
    assert references_to_bibtex([]) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_read_never_raises(text: str) -> None:
    refs, unparsed = read_bibtex(text, "x.bib")
    assert all(isinstance(r, Reference) for r in refs)
    assert all(u.reason for u in unparsed)


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=80),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
)
def test_fuzz_bibtex_shaped_text(title: str, body: str) -> None:
    text = "@article{k,\n  title = {" + title + "},\n  note = " + body + "\n}\n@misc{z, title={t}}"
    read_bibtex(text, "x.bib")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120))
def test_fuzz_raw_and_title_roundtrip(text: str) -> None:
    original = ref(title=text.strip() or "t", raw=text)
    (back,) = roundtrip([original])
    assert back.raw == original.raw
    assert back.title == original.title


def test_string_macros_and_concatenation_are_joined_but_braced_text_stays() -> None:
    text = (
        '@string{jcb = "J Cell Biol"}\n'
        "@article{a, author = {Smith, J}, title = {C # D in {PCR}}, journal = {Nature} # { Methods},"
        " year = 2001}\n"
        '@article{b, author = {H{\\"o}rsch, J}, title = {T}, journal = jcb # " Suppl", year = 2001}\n'
    )
    refs, unparsed = read_bibtex(text, "r.bib")
    assert not unparsed
    assert [(r.title, r.container) for r in refs] == [
        ("C # D in {PCR}", "Nature Methods"),
        ("T", "J Cell Biol Suppl"),
    ]
    assert refs[1].authors[0].family == "Hörsch"


def test_crossref_entries_inherit_the_proceedings_fields() -> None:
    text = (
        "@inproceedings{malde09, author = {Malde, K and O'Sullivan, B}, title = {Using"
        " Bloom filters}, pages = {1--15}, crossref = {padl09}}\n"
        "@proceedings{padl09, title = {Practical Aspects of Declarative Languages}, year = 2009,"
        " publisher = {Springer}, volume = {5418}}\n"
    )
    refs, _ = read_bibtex(text, "r.bib")
    child = refs[0]
    assert (child.title, child.container, child.year, child.volume) == (
        "Using Bloom filters", "Practical Aspects of Declarative Languages", 2009, "5418"
    )


def test_identifiers_pmcid_arxiv_isbn_are_read_and_written_back() -> None:
    text = (
        "@article{a, title = {T}, year = 2020, pmcid = {PMC123456}, eprint = {2101.00001},"
        " archiveprefix = {arXiv}, isbn = {978-3-16-148410-0}}\n"
        "@article{b, title = {U}, year = 2020, eprint = {hep-th/9901001}, eprinttype = {arxiv}}\n"
        "@article{c, title = {V}, year = 2020, eprint = {12345}, eprinttype = {pubmed}}\n"
    )
    refs, _ = read_bibtex(text, "r.bib")
    assert [(r.pmcid, r.arxiv, r.isbn) for r in refs] == [
        ("PMC123456", "2101.00001", "978-3-16-148410-0"),
        ("", "hep-th/9901001", ""),
        ("", "", ""),
    ]
    again, _ = read_bibtex(references_to_bibtex(refs), "r.bib")
    assert [(r.pmcid, r.arxiv, r.isbn) for r in again] == [(r.pmcid, r.arxiv, r.isbn) for r in refs]
