"""Client-side pacing: request rate, concurrency and 429 pauses, shared by all threads (one
limiter per source: Crossref's pools here, the other sources' limits in their modules)."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

SINGLE = "single"  # /works/{doi}: one record
LIST = "list"  # /works?query...: a list of records (search)


@dataclass(frozen=True)
class PoolLimits:
    """What one Crossref pool allows: requests per second by kind, and requests in flight."""

    single_rate: float
    list_rate: float
    concurrency: int

    def rate(self, kind: str) -> float:
        return self.list_rate if kind == LIST else self.single_rate


# Crossref's limits since 1 December 2025
# (https://www.crossref.org/blog/announcing-changes-to-rest-api-rate-limits/):
#   public pool: single record 5/s, lists 1/s, 1 concurrent;
#   polite pool (mailto given): single record 10/s, lists 3/s, 3 concurrent.
# Searches are paced close to the announced figure (issue 10: 2/s used only 0.62 of what
# the pool allows): 2.8 of the polite 3/s (0.9 of the public 1/s), which with HEADROOM lets a
# search arrive 150 ms late and still fit its one-second window (at 3.0, one search in ~130
# was answered 429 by bench/identity.py's stand-in on the loaded 2-CPU machine).
PUBLIC = PoolLimits(single_rate=5.0, list_rate=0.9, concurrency=1)
POLITE = PoolLimits(single_rate=10.0, list_rate=2.8, concurrency=3)

# Requests are spaced at 93% of the allowed rate. Network and scheduling jitter can bunch
# arrivals at the server, and a window that sees limit+1 requests answers 429. At 10 req/s,
# 93% tolerates one request arriving ~75 ms late (95% only ~50 ms: one 429 in a few runs of
# bench/bench_resolve.py on a loaded machine, and each 429 pauses everyone for Retry-After).
HEADROOM = 0.93


class RateLimited(Exception):
    """The next request could start only after more than the limiter's max_wait seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate-limited for {seconds:.0f} s")
        self.seconds = seconds


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent/bad.

    RFC 9110 section 10.2.3 allows both forms; a date in the past means "now" (0 seconds).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; a naive result means "-0000"
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def _parse_interval(text: str) -> float | None:
    """'1s' or '60s' -> seconds (Crossref always writes seconds with an 's')."""
    try:
        seconds = float(text.strip().removesuffix("s"))
    except ValueError:
        return None
    return seconds if seconds > 0 else None


class RateLimiter:
    """Keeps every thread's requests inside one pool's limits.

    `slot(kind)` waits for a free concurrency slot, then for the kind's next start time
    (requests are spaced evenly, no bursts), and any 429 pause. `observe(headers)` lowers
    the pace to what Crossref advertises; `pause(seconds)` holds everyone after a 429.
    `clock` and `sleep` are injectable so tests run on a fake clock. A turn further away
    than `max_wait` seconds (an advertised X-Rate-Limit-Interval of an hour, a long pause)
    raises RateLimited at once instead of stalling the run.
    """

    def __init__(
        self,
        limits: PoolLimits = POLITE,
        *,
        headroom: float = HEADROOM,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = 60.0,
    ) -> None:
        self._limits = limits
        self._max_wait = max_wait
        self._headroom = headroom
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._advertised: float | None = None  # X-Rate-Limit-Limit / X-Rate-Limit-Interval
        # When each kind last started: the next start is computed from the rate in force
        # then, so an advertised lower rate also delays the request right after it.
        self._last_start: dict[str, float] = {}
        self._paused_until = float("-inf")
        self._active = 0

    @classmethod
    def for_pool(
        cls,
        *,
        polite: bool,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = 60.0,
    ) -> RateLimiter:
        """The limiter for the polite pool (a mailto is sent) or the public pool."""
        return cls(POLITE if polite else PUBLIC, clock=clock, sleep=sleep, max_wait=max_wait)

    @property
    def concurrency(self) -> int:
        with self._cond:
            return self._limits.concurrency

    def rate(self, kind: str = SINGLE) -> float:
        """Requests per second this limiter currently allows for `kind` (headroom included)."""
        with self._cond:
            return self._rate(kind)

    def _rate(self, kind: str) -> float:
        allowed = self._limits.rate(kind)
        if self._advertised is not None:
            allowed = min(allowed, self._advertised)
        return allowed * self._headroom

    @contextmanager
    def slot(self, kind: str = SINGLE) -> Iterator[None]:
        """Hold one request's place: concurrency first, so queued requests cannot burst later."""
        with self._cond:
            while self._active >= self._limits.concurrency:
                self._cond.wait()
            self._active += 1
        try:
            self._wait_for_turn(kind)
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def _wait_for_turn(self, kind: str) -> None:
        while True:
            with self._cond:
                now = self._clock()
                last = self._last_start.get(kind)
                spaced = last + 1.0 / self._rate(kind) if last is not None else float("-inf")
                start = max(spaced, self._paused_until)
                if now >= start:
                    self._last_start[kind] = now
                    return
                wait = start - now
                if wait > self._max_wait:
                    raise RateLimited(wait)
            self._sleep(wait)  # outside the lock: other threads may pause or finish meanwhile

    def pause(self, seconds: float) -> None:
        """Hold every thread for `seconds` (after a 429), never shortening an earlier pause."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to a response's rate-limit headers (case-insensitive mapping expected).

        X-Rate-Limit-Limit/-Interval can only lower the pace below the pool's figure: the
        headers describe the pool as a whole, not the stricter list-query limit. X-Api-Pool
        "public" means Crossref did not put us in the polite pool, so its limits apply.
        """
        limit, interval = headers.get("X-Rate-Limit-Limit"), headers.get("X-Rate-Limit-Interval")
        pool = (headers.get("X-Api-Pool") or "").strip().lower()
        with self._cond:
            if limit is not None and interval is not None:
                seconds = _parse_interval(interval)
                try:
                    count = float(limit)
                except ValueError:
                    count = 0.0
                if seconds and count > 0:
                    self._advertised = count / seconds
            if pool == "public":
                self._limits = replace(
                    self._limits,
                    single_rate=min(self._limits.single_rate, PUBLIC.single_rate),
                    list_rate=min(self._limits.list_rate, PUBLIC.list_rate),
                    concurrency=min(self._limits.concurrency, PUBLIC.concurrency),
                )
