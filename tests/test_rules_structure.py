"""Structural rules (CC1xx) on tiny projects built from inline data: codes and lines, not wording."""

from __future__ import annotations

from dataclasses import replace

from citecheck.citations.callouts import scan_callouts
from citecheck.model import (
    Author,
    Location,
    Manuscript,
    Project,
    Reference,
    Resolution,
    UnparsedEntry,
    Verdict,
    Work,
)
from citecheck.rules import RULES, find_rule, run


def ref(number, family="Smith", given="J", title="A study of things", **fields) -> Reference:
    pages = f"{10 * number}-{10 * number + 9}"  # distinct works, distinct pages
    defaults = {"container": "J Things", "year": 2020, "volume": "1", "pages": pages}
    defaults.update(fields)
    return Reference(
        key=f"r{number}",
        raw=f"{family} {given}. {title}.",
        location=Location("refs.bib", 100 + number),
        number=number,
        authors=(Author(family, given), Author("Doe", "A")),
        title=title,
        **defaults,
    )


def project(text: str, refs, **extra) -> Project:
    manuscript = Manuscript(
        "m.txt", tuple(refs), tuple(scan_callouts(text, "m.txt")), extra.pop("unparsed", ())
    )
    return Project(manuscript, **extra)


def slugs(p: Project, slug: str):
    return [f for f in run(p) if f.rule == slug]


def test_registry_is_unique_and_described():
    codes = [r.code for r in RULES]
    names = [r.slug for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(r.description and r.slug == r.slug.lower() for r in RULES)
    assert find_rule("CC108").slug == "author-mention-mismatch"
    assert find_rule("missing-reference").code == "CC101"


def test_missing_reference_one_finding_per_number():
    found = slugs(project("A [1]. B [2-3]. C [3].", [ref(1), ref(2)]), "missing-reference")
    assert [(f.reference, f.location.line) for f in found] == [(3, 1)]
    assert "2 callouts" in found[0].message


def test_uncited_reference():
    found = slugs(project("A [1].", [ref(1), ref(2)]), "uncited-reference")
    assert [f.reference for f in found] == [2]
    assert found[0].location.line == 102


def test_citation_order_running_text_only():
    text = "A [1]. B [3]. C [2].\n\n表 1 x\nrow\t[9]\n"
    found = slugs(project(text, [ref(n) for n in (1, 2, 3, 9)]), "citation-order")
    assert [f.reference for f in found] == [2]
    assert (
        slugs(project("A [1]. B [2]. C [1,3].", [ref(n) for n in (1, 2, 3)]), "citation-order")
        == []
    )


def test_invalid_citation():
    found = slugs(project("A [9-3]. B [0].", [ref(1)]), "invalid-citation")
    assert len(found) == 2 and found[0].severity.label == "error"


def test_duplicate_reference_by_doi_title_and_number():
    a = ref(1, doi="10.1016/j.spinee.2020.01.001", title="A study of things in the disc")
    b = ref(2, doi="10.1016/J.SPINEE.2020.01.001", title="A study of things in the disc.")
    c = ref(3, title="A study of things in the disk", pages="10-19")
    d = ref(3, family="Other", title="Unrelated work entirely")
    found = slugs(project("[1-3]", [a, b, c, d]), "duplicate-reference")
    assert sorted((f.reference, f.location.line) for f in found) == [(2, 102), (3, 103), (3, 103)]


def test_a_doi_cut_short_at_a_line_break_names_no_work():
    a = ref(1, doi="10.1016/j.", title="Exosomes in the disc", container="", pages="")
    b = ref(2, doi="10.1016/j.", title="", container="", pages="")
    assert slugs(project("[1] [2]", [a, b]), "duplicate-reference") == []


def test_same_journal_year_volume_and_pages_under_different_authors_is_a_duplicate():
    a = ref(1, title="Exosomes in the disc", container="Spine J", volume="20", pages="1-10")
    b = ref(7, family="Jones", title="Other", container="Spine J.", volume="20", pages="1-9")
    (finding,) = slugs(project("[1] [7]", [a, b]), "duplicate-reference")
    assert finding.reference == 7 and "different authors" in finding.message


def test_a_2010a_2010b_pair_and_numbered_parts_are_not_duplicates():
    first = ref(1, title="Genome analysis of the rare biosphere")
    first = replace(first, raw="Smith J (2010a) Genome analysis of the rare biosphere.")
    second = ref(2, title="Genome analysis of the rare biospheres")
    second = replace(second, raw="Smith J (2010b) Genome analysis of the rare biospheres.")
    part1 = ref(3, title="Disc degeneration in old age, part I", pages="")
    part2 = ref(4, title="Disc degeneration in old age, part II", pages="")
    assert slugs(project("[1-4]", [first, second, part1, part2]), "duplicate-reference") == []
    published = ref(5, title="Genome analysis of the rare biosphere", doi="10.1/a", pages="")
    preprint = ref(6, title="Genome analysis of the rare biosphere", doi="10.1101/2020.01.01.1")
    assert slugs(project("[5-6]", [published, preprint]), "duplicate-reference") == []


def test_incomplete_reference():
    url_only = ref(
        1, container="", year=None, volume="", pages="", doi="10.1/x", type_marker="J/OL"
    )
    found = slugs(project("[1]", [url_only, ref(2)]), "incomplete-reference")
    assert [f.reference for f in found] == [1]
    assert "journal" in found[0].message and "DOI" in found[0].message


def test_an_entry_of_unknown_type_is_not_called_incomplete():
    unknown = ref(1, container="", year=None, volume="", pages="", url="https://doi.org/10.1/x")
    assert slugs(project("[1]", [unknown]), "incomplete-reference") == []


def test_unparsed_reference_keeps_line():
    bad = UnparsedEntry(Location("refs.bib", 7), "@article{x, title={", "unclosed brace")
    found = slugs(project("", [], unparsed=(bad,)), "unparsed-reference")
    assert [f.location.line for f in found] == [7]


def test_author_mention_given_name_written_as_surname():
    wen = ref(32, family="Wen", given="T")
    (finding,) = slugs(project("Tao 等^[32]发现 miR-199a 有效。", [wen]), "author-mention-mismatch")
    assert finding.found == "Tao" and finding.expected == "Wen T"
    assert "given name" in finding.message and finding.reference == 32


def test_author_mention_uses_matched_record_given_name():
    wen = ref(32, family="Wen", given="T")
    work = Work(authors=(Author("Wen", "Tao"), Author("Wang", "Hai")))
    resolutions = {32: Resolution(Verdict.MATCHED, work)}
    (finding,) = slugs(
        project("Tao et al. [32] found it.", [wen], resolutions=resolutions),
        "author-mention-mismatch",
    )
    assert finding.expected == "Wen Tao"


def test_author_mention_other_author_and_case_and_accents():
    entry = ref(5, family="Hingert", given="D")
    entry2 = ref(6, family="Ekström", given="K")
    text = "Doe et al. [5] found it. HINGERT et al. [5] found it. Ekstrom et al. [6] found it."
    found = slugs(project(text, [entry, entry2]), "author-mention-mismatch")
    assert len(found) == 1 and "second author" in found[0].message


def test_author_mention_two_authors():
    entry = ref(23, family="Zhu", given="LF")
    text = "Zhu and Doe [23] showed it. Zhu and Chen [23] showed it."
    found = slugs(project(text, [entry]), "author-mention-mismatch")
    assert [f.location.column for f in found] == [42]


def test_author_mention_chinese_name():
    entry = Reference(
        "zhou",
        "周荣耀, 张三. 题目[J].",
        Location("r", 1),
        50,
        authors=(Author("周荣耀"),),
        title="题目",
    )
    assert slugs(project("周荣耀等^[50]发现尿液。", [entry]), "author-mention-mismatch") == []
    assert len(slugs(project("王小明等^[50]发现尿液。", [entry]), "author-mention-mismatch")) == 1


def test_severity_override_and_disable():
    p = project("A [1].", [ref(1), ref(2, title="Another subject")])
    from citecheck.model import Severity

    (f,) = run(p, severities={"uncited-reference": Severity.ERROR})
    assert f.severity == Severity.ERROR
    assert run(p, disabled={"CC102"}) == ()


def test_incomplete_reference_suggests_the_matched_records_values():
    url_only = ref(36, container="", year=None, volume="", pages="", doi="10.1155/2020/6697577")
    work = Work(
        container_title="Oxidative Medicine and Cellular Longevity",
        short_container_title="Oxid Med Cell Longev",
        year=2020,
        volume="2020",
        article_number="6697577",
    )
    p = project("[36]", [url_only], resolutions={36: Resolution(Verdict.MATCHED, work)})
    (finding,) = slugs(p, "incomplete-reference")
    assert "DOI link" in finding.message
    assert (
        finding.expected
        == "journal Oxid Med Cell Longev, year 2020, volume 2020, article number 6697577"
    )
    assert "bib --fix" in finding.suggestion


def test_group_suffixes_name_nobody():
    entry = ref(7, family="Wu-Williams", given="AH")
    schriks = ref(8, family="Schriks", given="M")
    text = "As Wu-Williams et al [7] found. Schriks and co-workers [8] showed it."
    assert slugs(project(text, [entry, schriks]), "author-mention-mismatch") == []


def test_web_documents_and_reports_need_no_publisher_or_year_in_a_printed_list():
    """An organisation's web document is cited with an access date, not a year."""
    report = ref(4, kind="book", container="", volume="", pages="", url="http://example.org/r.pdf")
    undated = ref(
        5, kind="book", container="", volume="", pages="", year=None, url="http://example.org/s"
    )
    assert slugs(project("[4] [5]", [report, undated]), "incomplete-reference") == []
