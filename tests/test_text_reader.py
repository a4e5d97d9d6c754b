"""The plain-text reader: finding the reference list, splitting entries, bad input."""

from __future__ import annotations

import pytest

from citecheck.files import InputError, read_text_file
from citecheck.readers.errors import ReaderError
from citecheck.readers.text import read_text


def test_last_heading_wins_and_entries_split():
    text = (
        "Intro cites [1] and [2].\n\nTable\tReferences\tx\n\n## References\n\n"
        "1. Smith J, Doe A. A study of things. J Things. 2020;1(2):1-10.\n"
        "2. Chen L. Another study\ncontinued on a new line. Cell. 2021;5:20-30.\n"
    )
    doc = read_text(text, "m.md")
    assert [r.number for r in doc.references] == [1, 2]
    assert doc.references[1].title.startswith("Another study continued")
    assert doc.references[0].location.line == 7
    assert [c.numbers for c in doc.callouts] == [(1,), (2,)]


def test_bullet_continuation_after_page_break():
    text = (
        "Text [1].\n\n参考文献\n\n- 1 Guo W, Mu K, Zhang B, et al. The circular RNA FAM169A\n\n"
        "- functions as a competing RNA [J]. Cell Death Dis, 2020, 11: 315.\n"
        "- 2 Kim JH, Ham CH. Current knowledge [J]. Yonsei Med J, 2022, 63 (3): 199-210.\n"
    )
    doc = read_text(text, "m.txt")
    first, second = doc.references
    assert "FAM169A functions as" in first.title and first.container == "Cell Death Dis"
    assert second.number == 2 and second.pages == "199-210"


def test_bracket_numbers_and_duplicate_numbers_are_kept():
    text = "x [1] [2]\n\nReferences\n[1] Smith J. One title. J A. 2020;1:1-2.\n[1] Doe A. Two title. J B. 2021;2:3-4.\n"
    doc = read_text(text, "m.txt")
    assert [r.number for r in doc.references] == [1, 1]


def test_no_reference_list_is_a_clear_error():
    with pytest.raises(ReaderError) as error:
        read_text("Some text [1] without a list.\n", "m.txt")
    assert "no reference list" in str(error.value)


def test_seed_reference_list(seed_text):
    doc = read_text(seed_text, "seed.txt")
    assert [r.number for r in doc.references] == list(range(1, 40))
    assert doc.unparsed == ()
    wen = doc.references[31]
    assert (wen.authors[0].family, wen.authors[0].given) == ("Wen", "T")
    assert doc.references[6].title.startswith("The circular RNA FAM169A functions as")


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"caf\xe9 [1]\n", "UTF-8")],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "m.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_text_file(path)
    assert message in str(error.value)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_text_file(tmp_path)


def test_atomic_write_keeps_or_gives_normal_permissions(tmp_path):
    import os
    import stat

    from citecheck.files import atomic_write

    new = tmp_path / "new.txt"
    atomic_write(new, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    existing = tmp_path / "old.txt"
    existing.write_text("y")
    existing.chmod(0o640)
    atomic_write(existing, "z")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640 and existing.read_text() == "z"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


AUTHOR_YEAR = """Exosomes slow disc degeneration (Cheng et al., 2018). Liao et al. (2019) showed that
they relieve stress, and Smith and Jones (2020) found the opposite (Brown, 2015).

## References

Cheng X, Zhang G, Zhang L, et al. Mesenchymal stem cells deliver miR-21 via exosomes. J Cell Mol Med. 2018;22(1):261-276.

Liao Z, Luo R, Li G, et al. Exosomes modulate endoplasmic reticulum stress. Theranostics. 2019;9(14):4084-4100.

Smith A, Jones B. Unrelated findings on discs. Spine J. 2020;20:1-10.

Doe J. Never cited. Cells. 2021;10:1.
"""


def test_author_year_manuscripts_link_by_name_and_year():
    doc = read_text(AUTHOR_YEAR, "paper.md")
    assert not doc.numbered
    assert [r.number for r in doc.references] == [1, 2, 3, 4]
    linked = [
        (c.text, c.numbers, c.keys[0] if not c.numbers else "", c.author_mention)
        for c in doc.callouts
    ]
    assert linked == [
        ("Cheng et al., 2018", (1,), "", "Cheng"),
        ("Liao et al. (2019)", (2,), "", "Liao"),
        ("Smith and Jones (2020)", (3,), "", "Smith and Jones"),
        ("Brown, 2015", (), "Brown, 2015", "Brown"),
    ]


def test_author_year_findings_are_uncited_and_unmatched_cites():
    from citecheck.model import Project
    from citecheck.rules import run

    found = {
        (f.rule, f.reference or f.bib_key) for f in run(Project(read_text(AUTHOR_YEAR, "paper.md")))
    }
    assert ("uncited-reference", 4) in found and ("missing-reference", "Brown, 2015") in found
    assert not any(rule == "author-mention-mismatch" for rule, _ in found)


def test_an_acronym_the_list_never_names_is_no_author_year_citation() -> None:
    from citecheck.readers.text import read_text

    text = (
        "Approved by the committee (DGC, 2019). Elephants raid crops (Smith, 2004; WHO, 2010).\n\n"
        "References\n\n"
        "Smith J. 2004. Crop raiding by elephants. Oryx 38:1-9.\n\n"
        "WHO. 2012. Report on wildlife. Geneva: World Health Organization.\n"
    )
    manuscript = read_text(text, "paper.md")
    printed = [c.text for c in manuscript.callouts]
    assert "DGC, 2019" not in printed  # no entry names DGC: a committee, not a citation
    assert "WHO, 2010" in printed  # the list names WHO, for another year: a real miss
