"""Matching references to works: DOI lookups, search + validation, verdicts, journal names."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Author, Location, Verdict, Work
from citecheck.references.refparse import parse_reference
from citecheck.resolve.match import (
    MIN_RELEVANCE_PER_CHAR,
    MIN_SIMILARITY,
    resolve_reference,
    same_journal,
    same_work,
    score_candidate,
    title_similarity,
)
from citecheck.resolve.sources.crossref import work_from_message
from tests.fakes import HIT, HIT_TEXT, FakeSource, ref, relevant

SHARED = Path(__file__).resolve().parents[2] / "shared"
OTHER = Work(
    doi="10.5555/citecheck.other",
    title="Platelet-derived exosomes and atherothrombosis",
    authors=(Author("Wei", "Kangkang"),),
    container_title="Frontiers in Cardiovascular Medicine",
    year=2022,
    volume="9",
    article_number="886132",
)


def clock() -> str:
    return "2025-01-01T00:00:00Z"


def test_search_matches_the_agreeing_candidate_among_others():
    source = FakeSource(candidates=[relevant(OTHER), relevant(HIT)])
    res = resolve_reference(ref(), source, now=clock)
    assert res.verdict is Verdict.MATCHED
    assert res.work == HIT
    assert res.score == pytest.approx(1.0)
    assert (res.query, res.source, res.retrieved) == (HIT_TEXT, "fake", "2025-01-01T00:00:00Z")
    assert source.calls == [("search", HIT_TEXT)]


def test_candidates_below_the_relevance_floor_are_never_validated():
    weak = (HIT, MIN_RELEVANCE_PER_CHAR * len(HIT_TEXT) - 1)
    res = resolve_reference(ref(), FakeSource(candidates=[weak]), now=clock)
    assert res.verdict is Verdict.NOT_FOUND
    assert res.work is None


def test_a_disagreeing_candidate_is_not_found_and_named_in_the_detail():
    res = resolve_reference(ref(), FakeSource(candidates=[relevant(OTHER)]), now=clock)
    assert res.verdict is Verdict.NOT_FOUND
    assert "10.5555/citecheck.other" in res.detail


def test_two_close_candidates_with_different_dois_are_ambiguous():
    twin = replace(HIT, doi="10.5555/citecheck.twin")
    res = resolve_reference(ref(), FakeSource(candidates=[relevant(HIT), relevant(twin)]))
    assert res.verdict is Verdict.AMBIGUOUS
    assert res.work is None
    assert "10.5555/citecheck.hit" in res.detail and "10.5555/citecheck.twin" in res.detail


def test_the_same_doi_returned_twice_is_not_ambiguous():
    res = resolve_reference(ref(), FakeSource(candidates=[relevant(HIT), relevant(HIT)]))
    assert res.verdict is Verdict.MATCHED


def test_a_doi_is_looked_up_directly_and_kept_even_when_it_disagrees():
    entry = ref(doi="10.5555/citecheck.other")
    source = FakeSource(works=[OTHER], candidates=[relevant(HIT)])
    res = resolve_reference(entry, source, now=clock)
    assert res.verdict is Verdict.MATCHED
    assert res.work == OTHER  # doi-mismatch is the rule's decision, not the resolver's
    assert res.score < MIN_SIMILARITY
    assert source.calls == [("work", "10.5555/citecheck.other")]


def test_an_unknown_doi_falls_back_to_search_and_says_so():
    entry = ref(doi="10.5555/citecheck.typo")
    res = resolve_reference(entry, FakeSource(candidates=[relevant(HIT)]), now=clock)
    assert res.verdict is Verdict.MATCHED
    assert res.work == HIT
    assert "10.5555/citecheck.typo" in res.detail


@pytest.mark.parametrize("with_doi", [True, False])
def test_a_failing_source_gives_lookup_failed_with_the_reason(with_doi):
    entry = ref(doi="10.5555/citecheck.hit" if with_doi else "")
    res = resolve_reference(entry, FakeSource(error="HTTP 503 after 3 retries"), now=clock)
    assert res.verdict is Verdict.LOOKUP_FAILED
    assert res.detail == "HTTP 503 after 3 retries"


def test_a_chinese_entry_crossref_does_not_hold_is_not_found_not_an_error():
    text = "周荣耀, 王伟, 李明. 人尿液干细胞来源外泌体延缓椎间盘退变[J]. 中华骨科杂志, 2021, 41(3): 150-158."
    entry = parse_reference(text, number=50, location=Location("m.txt", 200))
    assert entry.language == "zh"
    res = resolve_reference(entry, FakeSource(candidates=[relevant(HIT, text)]), now=clock)
    assert res.verdict is Verdict.NOT_FOUND
    assert "Chinese" in res.detail


def test_an_empty_reference_string_is_not_searched():
    source = FakeSource(candidates=[relevant(HIT)])
    res = resolve_reference(ref(raw="   "), source)
    assert res.verdict is Verdict.NOT_FOUND
    assert source.calls == []


def test_score_forgives_markup_greek_spelling_and_an_abbreviated_last_page():
    work = replace(HIT, title="Exosomes and the <i>intervertebral</i> disc: TNF-α, a test record")
    entry = ref(title="Exosomes and the intervertebral disc: TNF-alpha, a test record")
    assert score_candidate(entry, work) == pytest.approx(1.0)


def test_score_gives_half_credit_for_a_year_one_off_and_none_for_further():
    assert score_candidate(ref(year=2018), HIT) > score_candidate(ref(year=2015), HIT)
    assert score_candidate(ref(year=2015), HIT) >= MIN_SIMILARITY  # still the same work


def test_score_is_scaled_down_when_little_can_be_compared():
    title_only = Work(title=HIT.title)
    assert score_candidate(ref(), title_only) == pytest.approx(0.75)
    assert score_candidate(ref(), Work(volume="36")) == pytest.approx(0.25)


def test_an_entry_without_a_parsed_title_is_validated_against_its_raw_text():
    assert title_similarity("", HIT.title, HIT_TEXT) == pytest.approx(1.0)


def test_unrelated_titles_from_the_same_field_count_as_no_agreement():
    a = "Exosomes from mesenchymal stem cells protect nucleus pulposus cells in disc degeneration"
    b = "Mesenchymal stem cell exosomes attenuate nucleus pulposus apoptosis via miR-21 in rats"
    assert title_similarity(a, b) < 0.5


def test_a_subtitle_left_out_still_agrees():
    assert title_similarity("Exosomes and the intervertebral disc", HIT.title) == 1.0


def test_same_work_is_false_only_for_clearly_different_works():
    assert same_work(ref(), HIT)
    assert not same_work(ref(), OTHER)
    bare = ref(raw="", title="", authors=(), container="", year=None)
    assert same_work(replace(bare, volume="", pages=""), OTHER)  # nothing to compare


@pytest.mark.parametrize(
    ("written", "full", "short"),
    [
        ("Exp Gerontol", "Experimental Gerontology", ""),
        ("Am J Med Sci", "The American Journal of the Medical Sciences", ""),
        ("Diagnostics (Basel)", "Diagnostics", ""),
        ("JOR SPINE", "JOR Spine", ""),
        ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences", ""),
        ("PNAS", "Proceedings of the National Academy of Sciences", ""),
        ("Spine J", "", "Spine J"),
        ("Journal of Hematology and Oncology", "Journal of Hematology & Oncology", ""),
    ],
)
def test_journal_abbreviations_and_full_titles_name_the_same_journal(written, full, short):
    assert same_journal(written, Work(container_title=full, short_container_title=short))


@pytest.mark.parametrize(
    ("written", "full"),
    [
        ("Exp Cell Res", "Experimental Gerontology"),
        ("Cell", "Cell Reports"),
        ("Stem Cells", "Cells"),
    ],
)
def test_different_journals_are_told_apart(written, full):
    assert not same_journal(written, Work(container_title=full))


def _fish_candidates() -> list[Work]:
    name = (
        "query-journals_2167_8359_works_filter_type_3Ajournal_article_query_bibliographic_fish.json"
    )
    path = SHARED / "data" / "crossref-api" / name
    if not path.is_file():
        pytest.skip("../shared not present")
    items = json.loads(path.read_text(encoding="utf-8"))["body"]["message"]["items"]
    return [work_from_message(item) for item in items]


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        (
            (
                "Iqbal MM, Hajisamae S, Lim A, et al. Feeding habits of four-finger threadfin fish, "
                "Eleutheronema tetradactylum, and its diet interaction with co-existing fish species "
                "in the coastal waters of Thailand. PeerJ. 2023;11:e14688."
            ),
            "10.7717/peerj.14688",
        ),
        (
            "Děchtěrenko F, et al. Tracking multiple fish. PeerJ. 2022;10:e13031.",
            "10.7717/peerj.13031",
        ),
    ],
)
def test_real_crossref_candidates_pick_the_cited_work(text, doi):
    works = _fish_candidates()
    entry = parse_reference(text, number=1, location=Location("m.txt", 1))
    # The other nine records of a real result list (same journal, same topic word) as
    # competition: every one of them must fail validation, the cited one must pass.
    others = [w for w in works if w.doi != doi]
    cited = next(w for w in works if w.doi == doi)
    assert max(score_candidate(entry, w) for w in others) < MIN_SIMILARITY
    source = FakeSource(candidates=[(w, len(text)) for w in [*others[:4], cited]])
    res = resolve_reference(entry, source)
    assert res.verdict is Verdict.MATCHED, res.detail
    assert res.work is not None and res.work.doi == doi


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


@settings(max_examples=200, deadline=None)
@given(title=texts, container=texts, pages=texts, volume=texts, record_title=texts, page=texts)
def test_any_text_scores_between_zero_and_one_and_never_raises(
    title, container, pages, volume, record_title, page
):
    entry = ref(raw=title + container, title=title, container=container, pages=pages, volume=volume)
    work = replace(HIT, title=record_title, page=page, container_title=container[::-1])
    assert 0.0 <= score_candidate(entry, work) <= 1.0
    same_work(entry, work)
    res = resolve_reference(entry, FakeSource(candidates=[(work, 1e9)]))
    assert res.verdict in (Verdict.MATCHED, Verdict.NOT_FOUND)
