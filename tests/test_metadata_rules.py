"""Metadata rules CC201-CC213 on small projects, and on the seed with its recorded metadata."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.model import (
    Author,
    Finding,
    Manuscript,
    Project,
    Reference,
    Resolution,
    Severity,
    Update,
    Verdict,
    Work,
)
from citecheck.references.refparse import parse_reference
from citecheck.resolve.lock import load_lock, resolutions_from_lock
from citecheck.rules import metadata, run
from tests.fakes import HIT, HIT_TEXT, ref

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def check(*pairs: tuple[Reference, Resolution | None]) -> list[Finding]:
    refs = tuple(r for r, _ in pairs)
    resolutions = {r.number: res for r, res in pairs if res is not None and r.number is not None}
    project = Project(Manuscript("m.txt", references=refs), resolutions=resolutions)
    return list(run(project, metadata.RULES))


def matched(work: Work = HIT) -> Resolution:
    return Resolution(Verdict.MATCHED, work, 1.0, HIT_TEXT, "crossref-api", "2025")


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# --- the registry ---------------------------------------------------------------------------


def test_rules_are_in_code_order_with_fixed_codes_and_slugs():
    assert [(r.code, r.slug) for r in metadata.RULES] == [
        ("CC201", "unresolved-reference"),
        ("CC202", "lookup-failed"),
        ("CC203", "doi-mismatch"),
        ("CC204", "title-mismatch"),
        ("CC205", "author-mismatch"),
        ("CC206", "year-mismatch"),
        ("CC207", "journal-mismatch"),
        ("CC208", "volume-mismatch"),
        ("CC209", "issue-mismatch"),
        ("CC210", "pages-mismatch"),
        ("CC211", "retracted-reference"),
        ("CC212", "corrected-reference"),
        ("CC213", "expression-of-concern"),
    ]
    assert all(r.area == "metadata" and r.description for r in metadata.RULES)


# --- resolution outcomes ----------------------------------------------------------------------


def test_an_agreeing_record_and_an_absent_resolution_are_silent():
    assert check((ref(), matched()), (ref(number=8), None)) == []


def test_not_found_and_ambiguous_are_unresolved_with_their_detail():
    found = check(
        (ref(number=1), Resolution(Verdict.NOT_FOUND, detail="no candidates")),
        (ref(number=2), Resolution(Verdict.AMBIGUOUS, detail="candidates: 10.1/a; 10.1/b")),
    )
    assert codes(found) == ["CC201", "CC201"]
    assert all(f.severity is Severity.WARNING for f in found)
    assert "no candidates" in found[0].message
    assert found[1].expected == "candidates: 10.1/a; 10.1/b"


def test_a_chinese_entry_crossref_lacks_is_only_informational():
    chinese = ref(language="zh")
    [finding] = check((chinese, Resolution(Verdict.NOT_FOUND, detail="Chinese-language entry")))
    assert finding.severity is Severity.INFO


def test_a_failed_lookup_is_its_own_warning():
    [finding] = check(
        (ref(), Resolution(Verdict.LOOKUP_FAILED, source="crossref-api", detail="429"))
    )
    assert (finding.code, finding.severity, finding.found) == ("CC202", Severity.WARNING, "429")


def test_a_doi_pointing_at_another_work_is_one_error_and_no_field_noise():
    other = Work(
        doi="10.5555/other",
        title="Platelet-derived exosomes and atherothrombosis",
        authors=(Author("Wei", "K"),),
        year=2022,
        volume="9",
        container_title="Frontiers in Cardiovascular Medicine",
    )
    [finding] = check((ref(doi="10.5555/other"), matched(other)))
    assert (finding.code, finding.severity) == ("CC203", Severity.ERROR)
    assert "Platelet-derived" in finding.expected
    assert "Exosomes and the intervertebral disc" in finding.found


def test_a_doi_unknown_to_the_source_but_matched_by_search_says_which_doi_is_right():
    [finding] = check((ref(doi="10.5555/citecheck.hti"), matched()))
    assert finding.code == "CC203"
    assert (finding.expected, finding.found) == (HIT.doi, "10.5555/citecheck.hti")
    assert HIT.doi in finding.suggestion


def test_every_finding_carries_record_manuscript_suggestion_and_where():
    [finding] = check((ref(year=2015), matched()))
    assert finding.expected == "2019" and finding.found == "2015"
    assert finding.suggestion and finding.reference == 7 and finding.bib_key == "zhou2019exosomes"
    assert finding.location == ref().location


# --- field checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "EXOSOMES AND THE INTERVERTEBRAL DISC: A TEST RECORD",
        "Exosomes and the <i>intervertebral</i> disc - a test record.",
        "Exosomes and the {I}ntervertebral disc: a test record",
    ],
)
def test_titles_differing_only_in_case_markup_or_punctuation_agree(title):
    assert check((ref(title=title), matched())) == []


def test_greek_letters_and_their_names_agree():
    work = replace(HIT, title="TNF-α and IL-1β in the disc")
    assert check((ref(title="TNF- alpha and IL-1 β in the disc"), matched(work))) == []


def test_a_changed_title_word_is_shown():
    [finding] = check((ref(title="Exosomes and the cervical disc: a test record"), matched()))
    assert finding.code == "CC204"
    assert '"intervertebral" where the entry has "cervical"' in finding.message


def test_a_year_one_off_is_info_and_further_off_a_warning():
    [near] = check((ref(year=2020), matched()))
    [far] = check((ref(year=2012), matched()))
    assert (near.code, near.severity) == ("CC206", Severity.INFO)
    assert (far.code, far.severity) == ("CC206", Severity.WARNING)


def test_journal_abbreviation_is_fine_and_another_journal_is_not():
    assert check((ref(container="Journal of Example Research"), matched())) == []
    [finding] = check((ref(container="J Other Res"), matched()))
    assert finding.code == "CC207"
    assert finding.expected == "Journal of Example Research (J Example Res)"


def test_volume_and_issue_mismatches():
    assert codes(check((ref(volume="37"), matched()))) == ["CC208"]
    assert codes(check((ref(issue="5"), matched()))) == ["CC209"]


@pytest.mark.parametrize(
    ("pages", "article", "record_page", "record_article", "flagged"),
    [
        ("1611-21", "", "1611-1621", "", False),
        ("1611", "", "1611-1621", "", False),
        ("", "e70089", "", "e70089", False),
        ("e70089", "", "", "70089", False),
        ("D1694-8", "", "D1694-D1698", "", False),
        ("1611-25", "", "1611-1621", "", True),
        ("1612-1621", "", "1611-1621", "", True),
        ("", "112118", "", "112119", True),
    ],
)
def test_pages_ranges_article_numbers_and_e_prefixes(
    pages, article, record_page, record_article, flagged
):
    work = replace(HIT, page=record_page, article_number=record_article)
    found = check((ref(pages=pages, article_number=article), matched(work)))
    assert codes(found) == (["CC210"] if flagged else [])


def test_fields_the_record_lacks_are_unknown_not_mismatches():
    partial = Work(title=HIT.title)
    assert check((ref(year=1999, volume="1", pages="1-2", container="X"), matched(partial))) == []


def test_an_entry_not_resolved_yet_is_only_an_info_hint_naming_no_record():
    pending = Resolution(Verdict.UNRESOLVED, query="x", source="lock", detail="the entry changed")
    [finding] = check((ref(), pending))
    assert (finding.rule, finding.severity) == ("unresolved-reference", Severity.INFO)
    assert "not resolved yet" in finding.message and "resolve --online" in finding.suggestion
    assert HIT.doi not in finding.message


# --- authors -----------------------------------------------------------------------------------


AUTHORS = tuple(Author(f, g) for f, g in [("Pan", "Hongyu"), ("Li", "Hongtao"), ("Guo", "Sheng")])
MANY = (*AUTHORS, Author("Wang", "Chenglong"), Author("Long", "Longhai"))


def authors_of(*names: str) -> tuple[Author, ...]:
    return tuple(Author(*n.split(" ")) for n in names)


def test_pinyin_initials_and_a_full_author_list_agree():
    entry = ref(authors=authors_of("Pan HY", "Li HT", "Guo S"), type_marker="J")
    assert check((entry, matched(replace(HIT, authors=AUTHORS)))) == []


def test_swapped_authors_are_reported_as_order():
    entry = ref(authors=authors_of("Li HT", "Pan HY", "Guo S"), type_marker="J")
    [finding] = check((entry, matched(replace(HIT, authors=AUTHORS))))
    assert finding.code == "CC205"
    assert "Li is author 2 in the record, not 1" in finding.message
    assert finding.expected.startswith("Pan H, Li H, Guo S")


def test_an_author_not_in_the_record_and_wrong_initials():
    wrong_name = ref(authors=authors_of("Pan HY", "Lee HT", "Guo S"), type_marker="J")
    [finding] = check((wrong_name, matched(replace(HIT, authors=AUTHORS))))
    assert "author 2 is Li in the record, not Lee" in finding.message
    wrong_initial = ref(authors=authors_of("Pan HY", "Li HT", "Guo T"), type_marker="J")
    [finding] = check((wrong_initial, matched(replace(HIT, authors=AUTHORS))))
    assert "initials" in finding.message


SEVEN = tuple(Author(f"Name{i}", "A") for i in range(25))


@pytest.mark.parametrize("listed", [1, 3, 6, 7, 10])
def test_a_correct_prefix_before_et_al_is_fine_in_every_convention(listed):
    """1 (Nature), 3 (AMA, GB/T 7714), 6 (Vancouver), 7, 10 (Cell): the style's business."""
    work = replace(HIT, authors=SEVEN[:12])
    for marker in ("", "J"):
        entry = ref(authors=SEVEN[:listed], et_al=True, type_marker=marker)
        assert check((entry, matched(work))) == [], (listed, marker)


def test_apa_first_nineteen_then_the_last_author_is_fine():
    work = replace(HIT, authors=SEVEN)
    entry = ref(authors=(*SEVEN[:19], SEVEN[-1]))
    assert check((entry, matched(work))) == []
    wrong_last = ref(authors=(*SEVEN[:19], Author("Other", "B")))
    [finding] = check((wrong_last, matched(work)))
    assert "author 20 is Name19 in the record, not Other" in finding.message


def test_particles_double_barrelled_names_and_swapped_records_are_the_same_person():
    record = (
        Author("van der Meulen", "Miriam"),
        Author("Lamhamedi-Cherradi", "Salah"),
        Author("Jun", "Zhou"),  # the record swapped family and given name
    )
    entry = ref(authors=authors_of("Meulen MP", "Lamhamedi S", "Zhou J"))
    assert check((entry, matched(replace(HIT, authors=record)))) == []
    other = ref(authors=authors_of("Meulen MP", "Cherry S", "Zhou J"))
    [finding] = check((other, matched(replace(HIT, authors=record))))
    assert "author 2 is Lamhamedi-Cherradi in the record, not Cherry" in finding.message


def test_a_group_author_is_not_counted_against_the_records_member_list():
    members = tuple(Author(f"Member{i}", "A") for i in range(40))
    entry = ref(authors=(*members[:3], Author("GBD 2019 Collaborators")))
    assert check((entry, matched(replace(HIT, authors=members[:3] + members[4:])))) == []


def test_a_wrong_prefix_missing_et_al_and_needless_et_al_are_still_reported():
    work = replace(HIT, authors=MANY)
    wrong_prefix = ref(authors=authors_of("Pan HY", "Guo S"), et_al=True, type_marker="J")
    [finding] = check((wrong_prefix, matched(work)))
    assert "Guo is author 3 in the record, not 2" in finding.message
    missing_et_al = ref(authors=authors_of("Pan H", "Li H", "Guo S"), type_marker="J")
    [finding] = check((missing_et_al, matched(work)))
    assert "3 of 5 authors listed without 'et al.'" in finding.message
    needless = ref(authors=authors_of("Pan H", "Li H", "Guo S"), et_al=True, type_marker="J")
    [finding] = check((needless, matched(replace(HIT, authors=AUTHORS))))
    assert "only 3 authors" in finding.message


def test_counts_are_not_checked_against_an_incomplete_author_list():
    partial = replace(HIT, authors=AUTHORS[:2], authors_complete=False)
    entry = ref(authors=authors_of("Pan HY", "Li HT", "Guo S"), et_al=True, type_marker="J")
    assert check((entry, matched(partial))) == []


# --- notices -----------------------------------------------------------------------------------


def test_retraction_correction_and_concern_are_reported():
    work = replace(
        HIT,
        updated_by=(
            Update("retraction", "10.5555/r", "Retraction"),
            Update("correction", "10.5555/c", "Correction"),
            Update("expression_of_concern", "10.5555/e", "Expression of concern"),
        ),
    )
    found = check((ref(), matched(work)))
    assert [(f.code, f.severity) for f in found] == [
        ("CC211", Severity.ERROR),
        ("CC212", Severity.WARNING),
        ("CC213", Severity.WARNING),
    ]
    assert "10.5555/r" in found[0].expected


def test_an_entry_that_says_retracted_is_only_a_warning():
    work = replace(HIT, updated_by=(Update("retraction", "10.5555/r", "Retraction"),))
    [finding] = check((ref(raw=HIT_TEXT + " Retracted in: 2021."), matched(work)))
    assert finding.severity is Severity.WARNING


def test_citing_a_notice_itself_is_named_as_such():
    notice = replace(HIT, update_to=(Update("retraction", "10.5555/original", "Retraction"),))
    [finding] = check((ref(), matched(notice)))
    assert (finding.code, finding.severity) == ("CC211", Severity.WARNING)
    assert "itself a retraction notice" in finding.message


def test_relations_count_like_updates_but_not_their_inverse():
    corrected = replace(HIT, relation=(Update("correction", "10.5555/c"),))
    assert codes(check((ref(), matched(corrected)))) == ["CC212"]
    inverse = replace(HIT, relation=(Update("is-correction-of", "10.5555/c"),))
    assert check((ref(), matched(inverse))) == []


# --- the seed -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    if not (SHARED / "seed" / "recorded-metadata.json").is_file():
        pytest.skip("../shared not present")
    spec = importlib.util.spec_from_file_location(
        "build_seed_lock", REPO / "scripts/build_seed_lock.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    refs = script.seed_references(SHARED, REPO / "refs" / "references.bib")
    records = json.loads((SHARED / "seed" / "recorded-metadata.json").read_text(encoding="utf-8"))
    lock = script.build_lock(records, refs, "2025-01-01T00:00:00Z")
    return refs, lock


def seed_findings(refs, lock) -> list[Finding]:
    project = Project(
        Manuscript("m.txt", references=refs), resolutions=resolutions_from_lock(refs, lock)
    )
    return list(run(project, metadata.RULES))


def test_the_unedited_seed_raises_no_metadata_alarm(seed):
    refs, lock = seed
    assert len([e for e in lock.entries if e.resolution.work is not None]) == 25
    assert len(lock.entries) == 39  # the 14 without a record: cannot-determine (issue 10)
    assert seed_findings(refs, lock) == []


def _edits(original: Reference, work: Work) -> list[tuple[str, str]]:
    """(expected code, edited raw text) for every edit the record can contradict."""
    raw, edits = original.raw, []
    if work.year and original.year:
        edits.append(("CC206", raw.replace(f", {original.year},", f", {original.year + 3},", 1)))
    if work.title and original.title:
        word = max(re.findall(r"[A-Za-z]{6,}", original.title), key=len)
        edits.append(("CC204", raw.replace(word, "zebrafish", 1)))
    if work.volume and original.volume:
        year_volume = f", {original.year}, {original.volume}"
        bumped = f", {original.year}, {int(original.volume) + 7}"
        edits.append(("CC208", raw.replace(year_volume, bumped, 1)))
    locator = original.pages or original.article_number
    if (work.page or work.article_number) and locator:
        first = re.match(r"\d+", locator).group(0)
        changed = locator.replace(first, str(int(first) + 2), 1)
        edits.append(("CC210", raw.replace(f": {locator}", f": {changed}", 1)))
    if len(work.authors) >= 2 and len(original.authors) >= 2:
        a, b = (f"{x.family} {x.given}" for x in original.authors[:2])
        edits.append(("CC205", raw.replace(f"{a}, {b}", f"{b}, {a}", 1)))
    return edits


def test_editing_any_resolved_seed_entry_produces_the_matching_finding(seed):
    refs, lock = seed
    checked = 0
    for entry in lock.entries:
        if entry.resolution.work is None:
            continue  # no record (cannot-determine): nothing to contradict
        index, original = next((i, r) for i, r in enumerate(refs) if r.number == entry.number)
        for code, raw in _edits(original, entry.resolution.work):
            assert raw != original.raw, (entry.number, code)
            edited = parse_reference(
                raw, number=original.number, location=original.location, key=original.key
            )
            found = seed_findings((*refs[:index], edited, *refs[index + 1 :]), lock)
            assert [(f.reference, f.code) for f in found] == [(original.number, code)], raw
            checked += 1
    assert checked >= 80  # every applicable edit of all 25 recorded entries


def test_the_committed_seed_lock_is_what_the_script_builds(seed):
    committed = REPO / "refs" / "references.lock.json"
    if not committed.is_file():
        pytest.skip("refs/references.lock.json not built yet")
    _refs, rebuilt = seed

    def comparable(lock):
        return [replace(e, resolution=replace(e.resolution, retrieved="")) for e in lock.entries]

    assert comparable(load_lock(committed)) == comparable(rebuilt)
