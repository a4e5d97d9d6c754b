"""One polite GET for the sources beside Crossref: paced, bounded, retried, cached only when valid.

PubMed, Europe PMC, OpenAlex, DataCite and doi.org each get a `ServiceClient` with their own
`RateLimiter` (their own published limits) on the one shared session. The rules are
Crossref's (crossref.py): 429 honours Retry-After and pauses that source's threads, 5xx,
timeouts and refused connections are retried with jittered backoff, a source that stops
answering is given up after STRIKES misses in a row, and every failure is LookupFailed,
never "not found". Only answers the caller's parser accepted are cached.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import requests

from citecheck.limits import Limits, active
from citecheck.normalize import one_line
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer, FetchFailed, cached, fetch, remember
from citecheck.resolve.sources.ratelimit import (
    SINGLE,
    PoolLimits,
    RateLimited,
    RateLimiter,
    retry_after_seconds,
)

T = TypeVar("T")

BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
TIMEOUT_TRIES = 2
STRIKES = 6
# Requests spaced at 90% of the allowed rate: a window of one second then tolerates one
# request arriving ~110 ms late (at 93%, ~75 ms: one 429 from PubMed's 3/s in a run of
# bench/identity.py on a loaded machine).
HEADROOM = 0.90


@dataclass(frozen=True)
class ServiceLimits:
    """A service's documented request rate and how many requests it tolerates in flight."""

    rate: float
    concurrency: int

    def pool(self) -> PoolLimits:
        # One kind of request only: the services count every request against one budget.
        return PoolLimits(single_rate=self.rate, list_rate=self.rate, concurrency=self.concurrency)


class PoliteClient:
    """The retry machinery every source shares (Crossref's, moved here so that no client
    copies it). A subclass sets label, base_url, session, limiter, limits, deadline,
    max_tries, _headers, _sleep, _rng, _state (a Lock), _strikes = 0 and _unreachable = "";
    it may override _client_error (Crossref checks its base URL there)."""

    label = "source"

    def _get(self, url: str, params: dict[str, str], kind: str, what: str) -> Answer:
        """GET with retries: a 200 or 404 Answer, else LookupFailed."""
        reason = ""
        never_connected = True
        tries = 0
        waited = 0.0  # all retry waits of this lookup together stay within max_retry_after
        for attempt in range(1, self.max_tries + 1):
            self._check_usable(what)
            tries = attempt
            try:
                answer = self._fetch(url, params, kind)
            except RateLimited as limited:
                raise LookupFailed(
                    f"{self.label} {what}: rate-limited for {limited.seconds:.0f} s "
                    f"(over the {self.limits.max_rate_limit_interval:g} s cap); not waiting"
                ) from None
            except FetchFailed as failed:
                reason = failed.reason
                if failed.kind in ("too-large", "deadline", "other"):
                    raise LookupFailed(one_line(f"{self.label} {what}: {reason}")) from None
                never_connected = never_connected and failed.kind == "connect"
                self._strike(reason)
                if failed.kind == "timeout" and attempt >= TIMEOUT_TRIES:
                    break
                delay = self._backoff(attempt)
            else:
                never_connected = False
                self.limiter.observe(answer.headers)
                status = answer.status
                if status in (200, 404):
                    self._answered()
                    return answer
                if status != 429 and status < 500:
                    raise LookupFailed(self._client_error(what, status))
                reason = f"HTTP {status}"
                self._strike(reason)
                delay = self._backoff(attempt)
                if status == 429:
                    asked = retry_after_seconds(answer.headers.get("Retry-After"))
                    if asked is not None and asked > self.limits.max_retry_after:
                        raise LookupFailed(
                            f"{self.label} {what}: rate-limited for {asked:.0f} s "
                            "(HTTP 429 Retry-After); not waiting"
                        )
                    delay = asked if asked is not None else delay
                    self.limiter.pause(delay)  # the limit is per client: stop every thread
            if attempt < self.max_tries:
                waited += delay
                if waited > self.limits.max_retry_after:
                    raise LookupFailed(
                        f"{self.label} {what}: rate-limited for {waited:.0f} s in all "
                        f"(over the {self.limits.max_retry_after:g} s cap; last: {reason})"
                    )
                self._wait(delay, what)
        if never_connected:
            with self._state:
                self._unreachable = f"{self.label} was unreachable at {self.base_url} ({reason})"
        raise LookupFailed(f"{self.label} {what}: gave up after {tries} tries ({reason})")

    def _fetch(self, url: str, params: dict[str, str], kind: str) -> Answer:
        """One bounded request in its turn (FetchFailed or RateLimited when it cannot be)."""
        with self.limiter.slot(kind):
            return fetch(
                self.session,
                url,
                params,
                headers=self._headers,
                limits=self.limits,
                deadline=self.deadline,
            )

    def _check_usable(self, what: str) -> None:
        if self._unreachable:
            raise LookupFailed(f"{self.label} {what}: not tried, {self._unreachable}")
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise LookupFailed(f"{self.label} {what}: not tried, the run's deadline was reached")

    def _wait(self, delay: float, what: str) -> None:
        if self.deadline is not None and time.monotonic() + delay >= self.deadline:
            raise LookupFailed(
                f"{self.label} {what}: stopped, the run's deadline is too near to retry"
            )
        self._sleep(delay)

    def _strike(self, reason: str) -> None:
        """One more request in a row without an answer; too many and the service is given up."""
        with self._state:
            self._strikes += 1
            if self._strikes >= STRIKES and not self._unreachable:
                self._unreachable = (
                    f"{self.label} at {self.base_url} gave no answer to {self._strikes} "
                    f"requests in a row (last: {reason})"
                )

    def _answered(self) -> None:
        with self._state:
            self._strikes = 0

    def _client_error(self, what: str, status: int) -> str:
        return f"{self.label} {what}: HTTP {status}"

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so threads spread."""
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)


class ServiceClient(PoliteClient):
    """GET `base_url + path` for one named service, within its limits; see the module doc."""

    def __init__(
        self,
        label: str,
        base_url: str,
        limits: ServiceLimits,
        *,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        bounds: Limits | None = None,
        max_tries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        deadline: float | None = None,
    ) -> None:
        self.label = label
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self.limits = bounds if bounds is not None else active()
        self.limiter = RateLimiter(
            limits.pool(), headroom=HEADROOM, max_wait=self.limits.max_rate_limit_interval
        )
        self.max_tries = max(1, max_tries)
        self.deadline = deadline if deadline is not None else self.limits.deadline
        self._headers = dict(headers or {})
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._state = threading.Lock()
        self._strikes = 0
        self._unreachable = ""

    @property
    def concurrency(self) -> int:
        return self.limiter.concurrency

    def ask(
        self,
        path: str,
        params: Mapping[str, str],
        what: str,
        parse: Callable[[Answer], T],
        *,
        absent_on_404: bool = True,
    ) -> T | None:
        """parse(answer) of a 200, None for a 404 (when absent_on_404), else LookupFailed.

        `parse` must raise LookupFailed on a body that is not what the service sends; the
        answer is cached only after it parsed.
        """
        url = self.base_url + path
        hit = cached(self.session, url, params)
        if hit is not None:
            return parse(hit) if hit.status == 200 else None
        answer = self._get(url, dict(params), SINGLE, what)
        if answer.status == 404:
            if not absent_on_404:
                raise LookupFailed(f"{self.label} {what}: HTTP 404 (check the base URL)")
            remember(self.session, url, params, answer)
            return None
        result = parse(answer)
        remember(self.session, url, params, answer)
        return result


def json_body(label: str, what: str, answer: Answer, limits: Limits | None = None):
    """The parsed JSON of an answer, or LookupFailed naming an HTML page or bad JSON."""
    from citecheck.safeload import JsonError, parse_json

    try:
        return parse_json(answer.body, max_depth=(limits or active()).max_depth)
    except JsonError as error:
        looks_html = answer.body.lstrip()[:1] == b"<"
        why = "an HTML page, not JSON (a proxy or captive portal?)" if looks_html else error
        raise LookupFailed(f"{label} {what}: response is not valid JSON: {why}") from None


def xml_root(label: str, what: str, answer: Answer):
    """The parsed XML root of an answer (defusedxml: no entities, no DTD fetches)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        return ElementTree.fromstring(answer.body)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise LookupFailed(f"{label} {what}: response is not valid XML ({error})") from None


class ServiceSource:
    """A metadata source whose every request goes through one ServiceClient, `http`.

    The resolver sizes its thread pool per source from `concurrency`.
    """

    http: ServiceClient

    @property
    def concurrency(self) -> int:
        return self.http.concurrency
