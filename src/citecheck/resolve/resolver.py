"""Resolve many references concurrently, turning every unexpected failure into a verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from citecheck.model import Reference, Resolution, Verdict


def _guarded(resolve_one: Callable[[Reference], Resolution], ref: Reference) -> Resolution:
    """One reference's resolution; a crash in resolve_one is that reference's lookup failure."""
    try:
        return resolve_one(ref)
    except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        return Resolution(verdict=Verdict.LOOKUP_FAILED, detail=detail)


def resolve_all(
    references: Iterable[Reference],
    resolve_one: Callable[[Reference], Resolution],
    *,
    concurrency: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[int, Resolution]:
    """Resolve every numbered reference with `concurrency` threads; keyed by reference number.

    References without a number (author-year lists) cannot be keyed and are skipped.
    `on_progress(done, total)` is called from the calling thread after each completion,
    so it may drive a progress bar directly. Pacing is the source's job (its rate limiter):
    this only decides how many lookups wait on it at once.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    numbered = [(ref.number, ref) for ref in references if ref.number is not None]
    total = len(numbered)
    results: dict[int, Resolution] = {}
    if on_progress is not None:
        on_progress(0, total)
    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="citecheck-resolve")
    try:
        futures: dict[Future[Resolution], int] = {
            executor.submit(_guarded, resolve_one, ref): number for number, ref in numbered
        }
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if on_progress is not None:
                on_progress(done, total)
    except BaseException:
        # On Ctrl-C (or a failing on_progress) drop queued lookups and do not wait for the
        # running ones (a request may take many seconds to give up): stop now.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return {number: results[number] for number in sorted(results)}
