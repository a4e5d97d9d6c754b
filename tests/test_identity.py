"""Identity verdicts across sources: verified, mismatch, identifier conflict, not found, cannot
determine; the rules that report them; the lock that keeps them (issue 10)."""

from __future__ import annotations

from citecheck.model import (
    Author,
    Location,
    Manuscript,
    Project,
    Reference,
    Resolution,
    Update,
    Verdict,
    Work,
)
from citecheck.resolve.lock import Lock, LockEntry, dump_lock, parse_lock
from citecheck.resolve.sources.identity import ABSENT, FAILED, Lookup, decide
from citecheck.rules import RULES
from citecheck.rules import run as run_all

REAL = Work(
    doi="10.1016/j.celrep.2022.110870",
    title="Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids",
    authors=(Author("Li", "Yi-Jia"), Author("Fahrmann", "Johannes")),
    container_title="Cell reports",
    short_container_title="Cell Rep",
    year=2022,
    volume="39",
    issue="9",
    article_number="110870",
    pmid="35649368",
)
OTHER = Work(
    doi="10.1371/journal.pone.0000030",
    title="Triose phosphate isomerase deficiency is caused by altered dimerization, not catalytic inactivity, of the mutant enzymes",
    authors=(Author("Ralser", "Markus"),),
    container_title="PLoS ONE",
    year=2006,
    volume="1",
    article_number="e30",
    pmid="17183658",
)


def entry(**fields) -> Reference:
    base = {
        "authors": (Author("Li", "YJ"), Author("Fahrmann", "JF")),
        "title": REAL.title,
        "container": "Cell Rep",
        "year": 2022,
        "volume": "39",
        "pages": "110870",
    }
    base.update(fields)
    raw = base.pop(
        "raw",
        f"Li YJ, Fahrmann JF. {base['title']}. {base['container']}. {base['year']};{base['volume']}:{base['pages']}.",
    )
    return Reference(key="li2022", raw=raw, location=Location("paper.txt", 40), number=7, **base)


def absent(source: str) -> Lookup:
    return Lookup(source, ABSENT)


def test_found_by_search_everywhere_is_verified():
    d = decide(entry(), [Lookup("pubmed", ABSENT, candidates=(REAL,)), absent("openalex")])
    assert d.identity.verdict == "verified"
    assert "PubMed has this work" in d.identity.reason
    assert d.work.pmid == "35649368"


def test_wrong_year_is_mismatch_naming_source_and_field():
    d = decide(entry(year=2021), [Lookup("crossref-api", ABSENT, candidates=(REAL,))])
    assert d.identity.verdict == "mismatch"
    assert "Crossref" in d.identity.reason and "year" in d.identity.reason


def test_pmid_of_another_work_is_identifier_conflict():
    d = decide(
        entry(pmid="17183658"), [Lookup("pubmed", ABSENT, by_pmid=OTHER), absent("openalex")]
    )
    assert d.identity.verdict == "identifier-conflict"
    assert "PMID 17183658" in d.identity.reason and "Triose" in d.identity.reason


def test_a_chapter_with_its_book_s_doi_is_no_conflict():
    book = Work(
        doi="10.1007/978-3-030-00001-1", title="Handbook of intervertebral disc biology", year=2019
    )
    ref = entry(
        kind="incollection",
        title="Mechanisms of nucleus pulposus cell senescence",
        container="Handbook of Intervertebral Disc Biology",
        doi=book.doi,
        volume="",
        pages="",
    )
    d = decide(ref, [Lookup("crossref-api", ABSENT, by_doi=book), absent("openalex")])
    assert d.identity.verdict == "cannot-determine" and "volume the work is in" in d.identity.reason


def test_doi_and_pmid_naming_different_works_is_identifier_conflict_without_title():
    ref = entry(title="", doi=REAL.doi, pmid=OTHER.pmid)
    d = decide(
        ref, [Lookup("crossref-api", ABSENT, by_doi=REAL), Lookup("pubmed", ABSENT, by_pmid=OTHER)]
    )
    assert d.identity.verdict == "identifier-conflict"
    assert "name different works" in d.identity.reason


def test_identifiers_of_the_same_work_are_no_conflict():
    ref = entry(doi=REAL.doi, pmid=REAL.pmid)
    d = decide(
        ref, [Lookup("crossref-api", ABSENT, by_doi=REAL), Lookup("pubmed", ABSENT, by_pmid=REAL)]
    )
    assert d.identity.verdict == "verified"


def test_invented_title_is_not_found_only_when_every_source_answered():
    ref = entry(title="Quantum entanglement of mitochondrial cristae governs apoptosis in glioma")
    answered = [absent("crossref-api"), absent("pubmed"), absent("europepmc"), absent("openalex")]
    assert decide(ref, answered).identity.verdict == "not-found"
    one_failed = [*answered[:3], Lookup("openalex", FAILED, detail="HTTP 503")]
    d = decide(ref, one_failed)
    assert d.identity.verdict == "cannot-determine" and "HTTP 503" in d.identity.reason


def test_biomedical_indexes_alone_never_say_not_found():
    ref = entry(title="Quantum entanglement of mitochondrial cristae governs apoptosis in glioma")
    d = decide(ref, [absent("pubmed"), absent("europepmc")])
    assert d.identity.verdict == "cannot-determine" and "Crossref nor OpenAlex" in d.identity.reason


def test_single_source_never_says_not_found():
    ref = entry(title="Quantum entanglement of mitochondrial cristae governs apoptosis in glioma")
    assert decide(ref, [absent("crossref-api")]).identity.verdict == "cannot-determine"


def test_uncovered_kinds_are_cannot_determine():
    answered = [absent("crossref-api"), absent("pubmed"), absent("openalex")]
    for ref in (
        entry(language="zh", title="骨髓间充质干细胞治疗椎间盘退变的研究进展"),
        entry(kind="book", container="", title="Principles of internal medicine in practice"),
        entry(
            kind="misc",
            container="",
            url="https://www.who.int/report",
            title="World health statistics report",
        ),
    ):
        d = decide(ref, answered)
        assert d.identity.verdict == "cannot-determine", ref
        assert d.identity.reason


def test_doi_at_an_agency_we_cannot_query_is_cannot_determine():
    ref = entry(doi="10.1392/abc", title="An article registered with mEDRA about cartilage")
    d = decide(ref, [absent("crossref-api"), absent("openalex"), absent("pubmed")], agency="medra")
    assert d.identity.verdict == "cannot-determine" and "medra" in d.identity.reason


def test_notices_from_every_source_are_merged_with_their_source():
    retracted = Work(
        **{
            **REAL.__dict__,
            "updated_by": (Update("retraction", label="PubMed: Retracted Publication"),),
        }
    )
    flagged = Work(
        **{**REAL.__dict__, "updated_by": (Update("retraction", label="OpenAlex: is_retracted"),)}
    )
    d = decide(
        entry(),
        [
            Lookup("crossref-api", ABSENT, candidates=(REAL,)),
            Lookup("pubmed", ABSENT, candidates=(retracted,)),
            Lookup("openalex", ABSENT, candidates=(flagged,)),
        ],
    )
    labels = {u.label for u in d.work.updated_by}
    assert labels == {"PubMed: Retracted Publication", "OpenAlex: is_retracted"}


def test_published_preprint_names_the_journal_doi():
    preprint = Work(
        doi="10.1101/2020.01.01.000001",
        title=REAL.title,
        authors=REAL.authors,
        year=2022,
        type="posted-content",
        relation=(Update("is-preprint-of", doi="10.1016/j.celrep.2022.110870"),),
    )
    ref = entry(container="bioRxiv", volume="", pages="", doi="10.1101/2020.01.01.000001")
    d = decide(ref, [Lookup("crossref-api", ABSENT, by_doi=preprint)])
    assert d.identity.published == "10.1016/j.celrep.2022.110870"


def run(project: Project):
    """The metadata and identity rules only (the sample has no callouts)."""
    return run_all(project, [r for r in RULES if r.area in ("metadata", "identity")])


def _project(ref: Reference, res: Resolution) -> Project:
    return Project(Manuscript("paper.txt", references=(ref,)), resolutions={ref.number: res})


def _resolution(ref: Reference, lookups, agency: str = "") -> Resolution:
    d = decide(ref, lookups, agency)
    verdict = Verdict.MATCHED if d.work is not None else Verdict.NOT_FOUND
    return Resolution(
        verdict,
        d.work,
        query=ref.raw,
        source="sources",
        identity=d.identity,
        detail=d.identity.reason,
    )


def test_rules_report_conflict_not_found_and_cannot_determine_once_each():
    ref = entry(pmid="17183658")
    found = run(
        _project(
            ref, _resolution(ref, [Lookup("pubmed", ABSENT, by_pmid=OTHER), absent("openalex")])
        )
    )
    assert [f.rule for f in found] == ["identifier-conflict"]
    assert found[0].code == "CC214" and found[0].severity.label == "error"

    ref = entry(title="Quantum entanglement of mitochondrial cristae governs apoptosis in glioma")
    found = run(_project(ref, _resolution(ref, [absent("crossref-api"), absent("openalex")])))
    assert [f.rule for f in found] == ["reference-not-found"]  # not also unresolved-reference

    ref = entry(language="zh", title="骨髓间充质干细胞治疗椎间盘退变")
    found = run(_project(ref, _resolution(ref, [absent("crossref-api"), absent("openalex")])))
    assert [(f.rule, f.severity.label) for f in found] == [("cannot-determine", "info")]


def test_doi_conflict_is_reported_once_by_identifier_conflict():
    ref = entry(doi=OTHER.doi)
    res = _resolution(
        ref, [Lookup("crossref-api", ABSENT, by_doi=OTHER, candidates=(REAL,)), absent("openalex")]
    )
    rules = [f.rule for f in run(_project(ref, res))]
    assert rules.count("identifier-conflict") == 1 and "doi-mismatch" not in rules


def test_lock_keeps_the_identity_and_offline_check_gives_the_same_verdict():
    ref = entry(pmid="17183658")
    res = _resolution(ref, [Lookup("pubmed", ABSENT, by_pmid=OTHER), absent("openalex")])
    text = dump_lock(Lock((LockEntry(ref.number, ref.key, res),)))
    assert '"identity"' in text and '"identifier-conflict"' in text
    again = parse_lock(text).entries[0].resolution
    assert again == res
    assert [f.message for f in run(_project(ref, again))] == [
        f.message for f in run(_project(ref, res))
    ]


def test_bib_fix_adds_pmid_and_pmcid_from_the_matched_record(tmp_path):
    from citecheck.bibliography.bib import read_bibtex, references_to_bibtex
    from citecheck.bibliography.fix import FieldChange, apply_fixes, fix_references

    record = Work(**{**REAL.__dict__, "pmcid": "PMC9999999"})
    ref = entry(doi=REAL.doi)
    res = Resolution(Verdict.MATCHED, record, 1.0, ref.raw, "pubmed")
    [fixed] = fix_references([ref], {ref.number: res})
    assert set(fixed.changes) >= {
        FieldChange("pmid", "", "35649368"),
        FieldChange("pmcid", "", "PMC9999999"),
    }
    text = apply_fixes(references_to_bibtex([ref]), [fixed])
    again, _ = read_bibtex(text, "fixed.bib")
    assert (again[0].pmid, again[0].pmcid) == ("35649368", "PMC9999999")
    complete = entry(doi=REAL.doi, pmid="35649368", pmcid="PMC9999999", issue="9")
    assert fix_references([complete], {ref.number: res}) == []  # never over identifiers written
