"""`bib --fix`: corrected fields from matched records, originals kept, inputs never clobbered."""

from __future__ import annotations

from dataclasses import replace

import bibtexparser
import pytest

from citecheck.bibliography.bib import read_bibtex, references_to_bibtex
from citecheck.bibliography.fix import (
    FieldChange,
    FixError,
    apply_fixes,
    fix_references,
    write_fixed_bib,
)
from citecheck.model import Resolution, Verdict, Work
from tests.fakes import HIT, HIT_TEXT, ref


def matched(work: Work = HIT, source: str = "crossref-api") -> Resolution:
    return Resolution(Verdict.MATCHED, work, 1.0, HIT_TEXT, source, "2025")


def fields_of(text: str, key: str) -> dict[str, str]:
    entry = next(e for e in bibtexparser.parse_string(text).entries if e.key == key)
    return {f.key: f.value for f in entry.fields}


def test_disagreeing_fields_are_corrected_and_a_missing_doi_added():
    entry = ref(year=2016, volume="63", pages="1612-21", container="J Other Res")
    [fixed] = fix_references([entry], {7: matched()})
    assert (fixed.key, fixed.number, fixed.source) == ("zhou2019exosomes", 7, "crossref-api")
    assert set(fixed.changes) == {
        FieldChange("year", "2016", "2019"),
        FieldChange("volume", "63", "36"),
        FieldChange("pages", "1612-21", "1611-1621"),
        FieldChange("journal", "J Other Res", "J Example Res"),
        FieldChange("doi", "", HIT.doi),
    }


def test_agreeing_entries_one_year_gaps_and_doi_conflicts_are_left_alone():
    assert fix_references([ref(doi=HIT.doi)], {7: matched()}) == []
    assert fix_references([ref(doi=HIT.doi, year=2020)], {7: matched()}) == []  # online-first
    other = replace(HIT, doi="10.5555/other", title="Something else entirely", authors=())
    assert fix_references([ref(doi="10.5555/other", year=2001)], {7: matched(other)}) == []
    unresolved = Resolution(Verdict.NOT_FOUND)
    assert fix_references([ref(year=2001)], {7: unresolved}) == []


def test_an_article_number_is_corrected_where_the_entry_gave_it():
    work = replace(HIT, page="", article_number="e112119")
    [fixed] = fix_references(
        [ref(pages="", article_number="112118", doi=HIT.doi)], {7: matched(work)}
    )
    assert fixed.changes == (FieldChange("eid", "112118", "e112119"),)


def test_applied_fixes_keep_originals_and_everything_else(tmp_path):
    original = ref(year=2016, title="Exosomes and the cervical disc: a test record")
    text = "% my references\n" + references_to_bibtex([original])
    fixes = fix_references([original], {7: matched()})
    fixed = fields_of(apply_fixes(text, fixes), "zhou2019exosomes")
    assert fixed["year"] == "2019" and fixed["orig-year"] == "2016"
    assert fixed["title"] == HIT.title
    assert fixed["orig-title"] == "Exosomes and the cervical disc: a test record"
    assert fixed["doi"] == HIT.doi and fixed["orig-doi"] == ""
    assert fixed["raw"] == HIT_TEXT  # the manuscript's own text is not rewritten
    assert "% my references" in apply_fixes(text, fixes)
    twice = fields_of(apply_fixes(apply_fixes(text, fixes), fixes), "zhou2019exosomes")
    assert twice["orig-year"] == "2016"  # a second run never loses the first original


def test_fixed_bib_reads_back_without_metadata_findings(tmp_path):
    from citecheck.model import Manuscript, Project
    from citecheck.rules import metadata, run

    source = tmp_path / "references.bib"
    source.write_text(references_to_bibtex([ref(year=2016, volume="63")]), encoding="utf-8")
    out = tmp_path / "fixed.bib"
    fixes = write_fixed_bib(source, {7: matched()}, out)
    assert len(fixes) == 1
    refs, unparsed = read_bibtex(out.read_text(encoding="utf-8"), str(out))
    assert unparsed == ()
    project = Project(Manuscript(str(out), references=refs), resolutions={7: matched()})
    assert list(run(project, metadata.RULES)) == []


def test_the_input_is_never_overwritten_unless_in_place_which_keeps_a_backup(tmp_path):
    source = tmp_path / "references.bib"
    before = references_to_bibtex([ref(year=2016)])
    source.write_text(before, encoding="utf-8")
    with pytest.raises(FixError):
        write_fixed_bib(source, {7: matched()}, source)
    with pytest.raises(FixError):
        write_fixed_bib(source, {7: matched()})
    assert source.read_text(encoding="utf-8") == before
    write_fixed_bib(source, {7: matched()}, in_place=True)
    assert (tmp_path / "references.bib.bak").read_text(encoding="utf-8") == before
    assert fields_of(source.read_text(encoding="utf-8"), "zhou2019exosomes")["year"] == "2019"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["references.bib", "references.bib.bak"]


def test_fix_fills_fields_the_entry_lacks_from_the_record(tmp_path):
    from citecheck.model import Work

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{x, author = {Xiang, HF}, title = {Exosomes}, doi = {10.1155/2020/6697577}, refnumber = {36}}\n",
        encoding="utf-8",
    )
    work = Work(
        doi="10.1155/2020/6697577",
        title="Exosomes",
        short_container_title="Oxid Med Cell Longev",
        year=2020,
        volume="2020",
        article_number="6697577",
    )
    fixes = write_fixed_bib(bib, {36: Resolution(Verdict.MATCHED, work)}, tmp_path / "out.bib")
    fields = {c.field: c.corrected for f in fixes for c in f.changes}
    assert fields == {
        "journal": "Oxid Med Cell Longev",
        "year": "2020",
        "volume": "2020",
        "eid": "6697577",
    }
    text = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert "eid = {6697577}" in text and "orig-journal = {}" in text
