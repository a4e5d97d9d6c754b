"""resolve_all: concurrency, keying by reference number, progress, and crashes as verdicts."""

from __future__ import annotations

import threading
import time

import pytest

from citecheck.model import Location, Reference, Resolution, Verdict, Work
from citecheck.resolve.resolver import resolve_all


def ref(number: int | None, doi: str = "") -> Reference:
    return Reference(
        key=f"r{number}", raw="...", location=Location("m.txt", 1), number=number, doi=doi
    )


def matched(reference: Reference) -> Resolution:
    return Resolution(Verdict.MATCHED, work=Work(doi=reference.doi), source="fake")


def test_results_are_keyed_by_number_in_order():
    refs = [ref(3, "10.1/c"), ref(1, "10.1/a"), ref(2, "10.1/b")]
    results = resolve_all(refs, matched, concurrency=2)
    assert list(results) == [1, 2, 3]
    assert results[3].work == Work(doi="10.1/c")


def test_a_crash_in_resolve_one_becomes_lookup_failed_for_that_reference_only():
    def flaky(reference: Reference) -> Resolution:
        if reference.number == 2:
            raise KeyError("boom\nsecond line")
        return matched(reference)

    results = resolve_all([ref(1), ref(2), ref(3)], flaky, concurrency=3)
    assert results[2].verdict is Verdict.LOOKUP_FAILED
    assert results[2].detail == "KeyError: 'boom\\nsecond line'"
    assert results[1].verdict is results[3].verdict is Verdict.MATCHED


def test_progress_counts_up_to_the_total_on_the_calling_thread():
    seen, threads = [], set()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        threads.add(threading.get_ident())

    resolve_all([ref(n) for n in range(1, 6)], matched, concurrency=3, on_progress=progress)
    assert seen == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert threads == {threading.get_ident()}


def test_runs_lookups_on_concurrency_worker_threads():
    # A worker thread runs one lookup at a time, so `concurrency` threads bound the overlap.
    workers = set()

    def slow(reference: Reference) -> Resolution:
        workers.add(threading.get_ident())
        time.sleep(0.02)
        return matched(reference)

    resolve_all([ref(n) for n in range(1, 13)], slow, concurrency=3)
    assert len(workers) == 3
    assert threading.get_ident() not in workers


def test_unnumbered_references_are_skipped():
    calls = []

    def record(reference: Reference) -> Resolution:
        calls.append(reference.key)
        return matched(reference)

    assert resolve_all([ref(None), ref(4)], record, concurrency=1) == {4: matched(ref(4))}
    assert calls == ["r4"]


def test_nothing_to_resolve_is_an_empty_result():
    seen = []
    assert (
        resolve_all([], matched, concurrency=2, on_progress=lambda d, t: seen.append((d, t))) == {}
    )
    assert seen == [(0, 0)]


def test_concurrency_below_one_is_a_clear_error():
    with pytest.raises(ValueError, match="concurrency"):
        resolve_all([ref(1)], matched, concurrency=0)
