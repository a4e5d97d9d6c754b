"""The lock file: layout, stable writing, clear errors, offline re-matching and updates."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Author, Resolution, Update, Verdict, Work
from citecheck.resolve.lock import (
    Lock,
    LockEntry,
    LockError,
    LockSource,
    dump_lock,
    load_lock,
    parse_lock,
    resolutions_from_lock,
    save_lock,
    update_lock,
    work_from_json,
    work_to_json,
)
from tests.fakes import HIT, HIT_TEXT, ref

RETRIEVED = "2025-01-01T00:00:00Z"


def matched(work: Work = HIT, query: str = HIT_TEXT, source: str = "crossref-api") -> Resolution:
    return Resolution(Verdict.MATCHED, work, 1.0, query, source, RETRIEVED)


def lock_of(*entries: LockEntry) -> Lock:
    return Lock(tuple(entries))


def test_work_json_round_trips_every_checked_field_and_leaves_out_unknowns():
    work = replace(
        HIT,
        authors_complete=False,
        article_number="e1611",
        updated_by=(Update("retraction", "10.5555/notice", "Retraction"),),
        relation=(Update("has-review", "10.5555/review"),),
    )
    data = work_to_json(work)
    assert data["authors_complete"] is False
    assert work_from_json(data) == work
    sparse = work_to_json(Work(title="Only a title"))
    assert sparse == {"title": "Only a title"}  # absent = unknown, nothing stored as ""


def test_dump_is_stable_sorted_in_number_order_with_a_trailing_newline():
    second = LockEntry(2, "b2020", matched(Work(title="B")))
    first = LockEntry(1, "a2019", matched())
    text = dump_lock(lock_of(second, first))
    assert text.endswith("}\n") and text.count("\n  ") > 0
    document = json.loads(text)
    assert [e["number"] for e in document["references"]] == [1, 2]
    assert text == dump_lock(lock_of(first, second))
    assert list(document["references"][0]) == sorted(document["references"][0])
    assert document["references"][0]["doi"] == HIT.doi


def test_save_and_load_round_trip_atomically(tmp_path):
    path = tmp_path / "refs" / "references.lock.json"
    lock = lock_of(
        LockEntry(1, "a2019", matched()),
        LockEntry(2, "b2020", Resolution(Verdict.NOT_FOUND, None, 0.0, "x", "crossref-api")),
        LockEntry(3, "c", Resolution(Verdict.AMBIGUOUS, detail="candidates: 10.1/a; 10.1/b")),
    )
    save_lock(lock, path)
    assert load_lock(path) == lock
    assert [p.name for p in path.parent.iterdir()] == ["references.lock.json"]  # no temp left
    assert load_lock(path).resolutions()[1].work == HIT


def test_bad_json_is_a_lock_error_with_the_line(tmp_path):
    path = tmp_path / "lock.json"
    path.write_text('{\n  "citecheck-lock": 1,\n  "references": [,]\n}\n', encoding="utf-8")
    with pytest.raises(LockError) as caught:
        load_lock(path)
    assert caught.value.line == 3
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda e: e.update(verdict="found"), "verdict"),
        (lambda e: e.update(number="1"), "number"),
        (lambda e: e["work"].update(year="2019"), "year"),
        (lambda e: e["work"].update(colour="red"), "colour"),
        (lambda e: e["work"].update(authors="Zhou J"), "authors"),
        (lambda e: e.update(doi=5), "doi"),
    ],
)
def test_a_malformed_entry_names_its_line_and_problem(mutate, words):
    document = json.loads(dump_lock(lock_of(LockEntry(1, "a", matched()))))
    mutate(document["references"][0])
    text = json.dumps(document, indent=2, sort_keys=True)
    with pytest.raises(LockError) as caught:
        parse_lock(text, "refs/references.lock.json")
    assert words in caught.value.message
    assert caught.value.line is not None


def test_wrong_version_and_missing_file_are_lock_errors(tmp_path):
    with pytest.raises(LockError, match="version"):
        parse_lock('{"citecheck-lock": 9, "references": []}')
    with pytest.raises(LockError, match="version True"):  # true == 1 in Python: refused
        parse_lock('{"citecheck-lock": true, "references": []}')
    with pytest.raises(LockError, match="no such file"):
        load_lock(tmp_path / "absent.json")


def test_lock_source_answers_by_doi_and_offers_works_sharing_words():
    lock = lock_of(LockEntry(1, "a", matched()), LockEntry(2, "b", Resolution(Verdict.NOT_FOUND)))
    source = LockSource(lock)
    assert source.work("10.5555/CITECHECK.HIT") == HIT
    assert source.work("10.5555/elsewhere") is None
    edited = "Zhou J, Li HG. Exosomes and the intervertebral disc. J Example Res. 2020;36:1611."
    assert [w for w, _ in source.search(edited)] == [HIT]
    assert source.search("nothing in common") == []
    assert source.search("Smith A. Exosomes and bone. Nature. 2019;36:1.") == []  # 3 words


def test_unchanged_text_reuses_the_locked_resolution():
    lock = lock_of(LockEntry(7, "zhou2019exosomes", matched()))
    assert resolutions_from_lock([ref()], lock) == {7: matched()}


def test_a_typo_in_the_year_still_finds_its_record_so_rules_can_see_it():
    lock = lock_of(LockEntry(7, "zhou2019exosomes", matched(source="recorded")))
    edited = ref(raw=HIT_TEXT.replace("2019", "2016"), year=2016)
    res = resolutions_from_lock([edited], lock)[7]
    assert res.verdict is Verdict.MATCHED and res.work == HIT
    assert res.source == "recorded" and res.retrieved == RETRIEVED
    assert res.query == edited.raw


def test_a_renumbered_reference_finds_its_record_by_key_and_by_matching():
    lock = lock_of(LockEntry(7, "zhou2019exosomes", matched()))
    moved = ref(number=12, raw=HIT_TEXT + " ")
    assert resolutions_from_lock([moved], lock)[12].work == HIT


REWRITTEN = ref(
    raw="Smith A. Something else entirely. Nature. 2001;400:1-2.",
    authors=(Author("Smith", "A"),),
    title="Something else entirely",
    container="Nature",
    year=2001,
    volume="400",
    pages="1-2",
)
OTHER_WORK = Work(
    doi="10.5555/other",
    title="Cartilage repair with hydrogels in older patients",
    authors=(Author("Brown", "Ann"),),
    container_title="Osteoarthritis and Cartilage",
    year=2018,
    volume="26",
    page="100-110",
)
OTHER_TEXT = (
    "Brown A. Cartilage repair with hydrogels in older patients. "
    "Osteoarthritis Cartilage. 2018;26:100-10."
)


def test_an_entry_that_no_longer_fits_its_record_is_unresolved_not_another_works_answer():
    lock = lock_of(
        LockEntry(7, "zhou2019exosomes", matched()),
        LockEntry(8, "brown2018cartilage", matched(OTHER_WORK, OTHER_TEXT)),
    )
    kept = ref(number=8, key="brown2018cartilage", raw=OTHER_TEXT, title=OTHER_WORK.title)
    res = resolutions_from_lock([REWRITTEN, kept], lock)
    assert res[8].work == OTHER_WORK
    assert res[7].verdict is Verdict.UNRESOLVED and res[7].work is None
    assert HIT.doi not in res[7].detail  # never names the record it no longer fits


def test_a_lock_that_describes_none_of_the_entries_says_nothing_about_them():
    lock = lock_of(LockEntry(7, "zhou2019exosomes", matched()))
    assert resolutions_from_lock([REWRITTEN], lock) == {}


def test_another_manuscripts_reference_7_gets_nothing_from_the_lock_by_number():
    """The repository's lock must not leak: same number, same key style, different work."""
    failed = Resolution(Verdict.NOT_FOUND, None, 0.0, "Old A. Old text. 1999.", "crossref-api")
    lock = lock_of(
        LockEntry(7, "zhou2019exosomes", matched()), LockEntry(8, "old1999", failed)
    )
    stranger = replace(REWRITTEN, key="smith2001something")
    other = ref(number=8, key="jones2005", raw="Jones B. New text. Cell. 2005;1:2.", title="New")
    assert resolutions_from_lock([stranger, other], lock) == {}


def test_the_same_work_in_another_manuscript_still_finds_its_record_by_content():
    lock = lock_of(LockEntry(7, "zhou2019exosomes", matched()))
    text = "31. " + HIT_TEXT.replace("J Example Res", "*J Example Res*")
    elsewhere = ref(number=31, key="ref31", raw=text)
    assert resolutions_from_lock([elsewhere], lock)[31].work == HIT


def test_a_reference_the_lock_never_saw_is_unknown_not_unresolved():
    stranger = ref(number=40, key="new2024", raw="Smith A. Other. Nature. 2001;1:1.", title="Other")
    assert resolutions_from_lock([stranger], lock_of(LockEntry(7, "x", matched()))) == {}


def test_a_locked_non_match_applies_to_the_same_text_only():
    failed = Resolution(Verdict.NOT_FOUND, None, 0.0, "Old  text, 1999.", "crossref-api", RETRIEVED)
    lock = lock_of(LockEntry(7, "zhou2019exosomes", failed))
    assert resolutions_from_lock([ref(raw="old text 1999", title="Other")], lock)[7] == failed
    assert resolutions_from_lock([ref(raw="new text", title="Other")], lock) == {}


def test_update_lock_never_records_unresolved_and_never_pairs_by_number():
    old = lock_of(LockEntry(7, "zhou2019exosomes", matched()))
    pending = Resolution(Verdict.UNRESOLVED, query="x")
    assert update_lock(old, [ref()], {7: pending}).resolutions() == {7: matched()}
    stranger = replace(REWRITTEN, key="smith2001something")
    assert update_lock(old, [stranger], {}).entries == ()


def test_update_lock_replaces_only_what_changed_and_keeps_known_answers():
    old = lock_of(
        LockEntry(7, "zhou2019exosomes", matched()),
        LockEntry(8, "gone", matched(Work(title="Removed"))),
    )
    refs = [ref(), ref(number=9, key="new2024", raw="New. 2024.")]
    same_but_later = replace(matched(), retrieved="2026-01-01T00:00:00Z")
    fresh = Resolution(Verdict.NOT_FOUND, None, 0.0, "New. 2024.", "crossref-api", "2026")
    new = update_lock(old, refs, {7: same_but_later, 9: fresh})
    assert new.resolutions() == {7: matched(), 9: fresh}  # old timestamp kept for 7; 8 gone
    failed = Resolution(Verdict.LOOKUP_FAILED, detail="timeout")
    assert update_lock(old, refs[:1], {7: failed}).resolutions() == {7: matched()}
    changed = replace(matched(), score=0.8)
    assert update_lock(old, refs[:1], {7: changed}).resolutions() == {7: changed}


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200)
    | st.recursive(
        st.none() | st.integers() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "citecheck-lock",
                        "references",
                        "number",
                        "key",
                        "verdict",
                        "work",
                        "score",
                        "title",
                        "authors",
                    ]
                ),
                c,
                max_size=4,
            )
        ),
    ).map(json.dumps)
)
def test_any_text_either_parses_or_is_a_lock_error(text):
    try:
        parse_lock(text)
    except LockError as error:
        assert error.message
