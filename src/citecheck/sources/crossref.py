"""The Crossref REST API as a `Source`: polite, paced, retried, and failing only as LookupFailed.

API: https://api.crossref.org/swagger-ui/index.html. Built on requests (not habanero, whose
releases use httpx) so that requests-cache and the `responses` test mocks see every call.
"""

from __future__ import annotations

import html
import random
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from citecheck import __version__
from citecheck.model import Author, Update, Work
from citecheck.normalize import one_line
from citecheck.sources import LookupFailed
from citecheck.sources.ratelimit import LIST, SINGLE, RateLimiter, retry_after_seconds

DEFAULT_BASE_URL = "https://api.crossref.org"
DEFAULT_TIMEOUT = (3.05, 20.0)  # (connect, read) seconds
# Only what work_from_message reads (plus score): list responses shrink from ~30 kB per item.
SEARCH_FIELDS = (
    "DOI",
    "title",
    "author",
    "container-title",
    "short-container-title",
    "issued",
    "published",
    "published-print",
    "published-online",
    "volume",
    "issue",
    "page",
    "article-number",
    "type",
    "abstract",
    "updated-by",
    "update-to",
    "relation",
    "score",
)
BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each try
BACKOFF_CAP = 30.0
MAX_RETRY_AFTER = 120.0  # a longer Retry-After means "come back later": fail, don't hang
# Not a Crossref field: recorded metadata marks author lists it saw only partly.
AUTHORS_INCOMPLETE_KEY = "citecheck-author-list-incomplete"

_RETRYABLE_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item|label|break)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]+>")


def user_agent(mailto: str | None = None) -> str:
    """The User-Agent Crossref's etiquette asks for; a mailto there also selects the polite pool."""
    base = f"citecheck/{__version__}"
    return f"{base} (mailto:{mailto})" if mailto else base


def normalize_doi(doi: str) -> str:
    """'https://doi.org/10.1/X ' -> '10.1/X': the bare DOI, as Crossref's path expects it."""
    return _DOI_PREFIX.sub("", doi.strip()).strip()


class CrossrefClient:
    """Crossref's /works endpoints behind the `Source` protocol.

    Every request goes through `limiter` (polite-pool limits when `mailto` is given, public
    otherwise). 429, 5xx, timeouts and connection errors are retried with exponential
    backoff and jitter (429 honours Retry-After and pauses all threads), at most `max_tries`
    times; then LookupFailed. With a requests-cache session, cached answers skip the limiter.
    """

    name = "crossref-api"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        mailto: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_tries: int = 5,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.mailto = mailto or None
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.max_tries = max(1, max_tries)
        self.limiter = limiter if limiter is not None else RateLimiter.for_pool(polite=bool(mailto))
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._headers = {"User-Agent": user_agent(self.mailto), "Accept": "application/json"}
        # Set when a lookup could never connect (no network, wrong --api-url): the rest then
        # fail at once instead of each spending its whole retry budget (minutes per list).
        self._unreachable = ""

    @property
    def concurrency(self) -> int:
        """How many requests may run at once; size the resolver's thread pool with it."""
        return self.limiter.concurrency

    def work(self, doi: str) -> Work | None:
        """The work registered under `doi`, or None when Crossref has no such DOI."""
        bare = normalize_doi(doi)
        if not bare.startswith("10."):  # cannot be a DOI, so Crossref cannot have it
            return None
        # "/" stays literal (Crossref's own URLs keep it); "?", "#", "%", spaces... are escaped.
        response = self._get(f"/works/{quote(bare, safe='/')}", {}, SINGLE, f"DOI {bare}")
        if response is None:
            return None
        return work_from_message(self._message(response, "work", f"DOI {bare}"))

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        """Crossref's best candidates for a free-text reference, each with Crossref's score."""
        text = " ".join(bibliographic.split())
        if not text:
            return []
        params = {
            "query.bibliographic": text,
            "rows": str(max(1, min(rows, 100))),
            "select": ",".join(SEARCH_FIELDS),
        }
        what = f"search {text[:60]!r}"
        response = self._get("/works", params, LIST, what)
        if response is None:  # /works itself never 404s; treat it as "nothing found"
            return []
        items = self._message(response, "work-list", what).get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise LookupFailed(f"Crossref {what}: unexpected response shape (items)")
        return [(work_from_message(item), _score(item)) for item in items]

    def _get(
        self, path: str, params: dict[str, str], kind: str, what: str
    ) -> requests.Response | None:
        """GET with retries: the 200 response, None for 404, else LookupFailed."""
        url = self.base_url + path
        if self.mailto:
            params = {**params, "mailto": self.mailto}
        cached = self._from_cache(url, params)
        if cached is not None:
            return cached if cached.status_code == 200 else None
        if self._unreachable:
            raise LookupFailed(f"Crossref {what}: not tried, {self._unreachable}")
        reason = ""
        never_connected = True
        for attempt in range(1, self.max_tries + 1):
            try:
                with self.limiter.slot(kind):
                    response = self.session.get(
                        url, params=params, headers=self._headers, timeout=self.timeout
                    )
            except _RETRYABLE_ERRORS as exc:
                reason = _error_text(exc)
                never_connected = never_connected and _is_connect_error(exc)
                delay = self._backoff(attempt)
            except (requests.RequestException, OSError, sqlite3.Error) as exc:
                raise LookupFailed(one_line(f"Crossref {what}: {type(exc).__name__}: {exc}"))
            else:
                never_connected = False
                self.limiter.observe(response.headers)
                status = response.status_code
                if status == 200:
                    return response
                if status == 404:
                    return None
                if status != 429 and status < 500:
                    raise LookupFailed(f"Crossref {what}: HTTP {status}")
                reason = f"HTTP {status}"
                delay = self._backoff(attempt)
                if status == 429:
                    asked = retry_after_seconds(response.headers.get("Retry-After"))
                    if asked is not None and asked > MAX_RETRY_AFTER:
                        raise LookupFailed(
                            f"Crossref {what}: HTTP 429, asked to wait {asked:.0f} s; not waiting"
                        )
                    delay = asked if asked is not None else delay
                    self.limiter.pause(delay)  # the limit is per client: stop every thread
            if attempt < self.max_tries:
                self._sleep(delay)
        if never_connected:
            self._unreachable = f"Crossref was unreachable at {self.base_url} ({reason})"
        raise LookupFailed(f"Crossref {what}: gave up after {self.max_tries} tries ({reason})")

    def _from_cache(self, url: str, params: dict[str, str]) -> requests.Response | None:
        """A stored answer from a requests-cache session, without touching the limiter."""
        if not hasattr(self.session, "cache"):
            return None
        # Per-request headers replace the session's, so carry its Cache-Control over: with
        # make_session(refresh=True) it says "no-cache", which must turn this probe into a miss.
        headers = dict(self._headers)
        if "Cache-Control" in self.session.headers:
            headers["Cache-Control"] = str(self.session.headers["Cache-Control"])
        try:
            response = self.session.get(url, params=params, headers=headers, only_if_cached=True)
        except (requests.RequestException, OSError, sqlite3.Error):
            return None  # an unreadable cache is a miss; the real request will say more
        return response if response.status_code in (200, 404) else None  # 504 = not cached

    def _message(self, response: requests.Response, kind: str, what: str) -> Mapping[str, Any]:
        """The `message` of a Crossref envelope of the expected type, else LookupFailed."""
        try:
            body = response.json()
        except ValueError:
            raise LookupFailed(f"Crossref {what}: response is not valid JSON") from None
        if not isinstance(body, dict) or body.get("message-type") != kind:
            raise LookupFailed(f"Crossref {what}: unexpected response shape (not a {kind})")
        message = body.get("message")
        if not isinstance(message, dict):
            raise LookupFailed(f"Crossref {what}: unexpected response shape (message)")
        return message

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so threads spread."""
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)


_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")\]]+|Name or service not known|Connection refused")


def _error_text(exc: Exception) -> str:
    """A short reason: "ConnectionError: [Errno 111] Connection refused", not urllib3's essay."""
    text = one_line(str(exc))
    found = _ERRNO.search(text)
    return f"{type(exc).__name__}: {found.group().strip() if found else text[:160]}"


def _is_connect_error(exc: Exception) -> bool:
    """Could not connect at all (refused, no route, DNS) -- not a timeout or a dropped answer."""
    return isinstance(exc, requests.ConnectionError) and not isinstance(
        exc, requests.exceptions.ReadTimeout | requests.exceptions.ChunkedEncodingError
    )


def _score(item: Mapping[str, Any]) -> float:
    value = item.get("score")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


# --- work message -> Work ---------------------------------------------------------------


def work_from_message(message: Mapping[str, Any]) -> Work:
    """Convert a Crossref work message (or recorded metadata laid out like one) to a Work.

    Pure and tolerant: a missing or oddly typed field becomes empty/None, never an error.
    Titles and abstracts lose their JATS/HTML markup.
    """
    if not isinstance(message, Mapping):
        return Work()
    return Work(
        doi=_scalar(message.get("DOI")),
        title=_clean(_first(message.get("title"))),
        authors=_authors(message.get("author")),
        authors_complete=message.get(AUTHORS_INCOMPLETE_KEY) is not True,
        container_title=_clean(_first(message.get("container-title"))),
        short_container_title=_clean(_first(message.get("short-container-title"))),
        year=_year(message),
        volume=_scalar(message.get("volume")),
        issue=_scalar(message.get("issue")),
        page=_scalar(message.get("page")),
        article_number=_scalar(message.get("article-number")),
        type=_scalar(message.get("type")),
        abstract=_abstract(message.get("abstract")),
        updated_by=_updates(message.get("updated-by")),
        update_to=_updates(message.get("update-to")),
        relation=_relations(message.get("relation")),
    )


def _scalar(value: Any) -> str:
    """A string or number as stripped text; anything else (lists, dicts, None) as ''."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int | float):
        return str(value).strip()
    return ""


def _first(value: Any) -> str:
    """Crossref wraps titles in lists (["Title"]); take the first string either way."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return value if isinstance(value, str) else ""


def _clean(text: str) -> str:
    """Drop markup (<i>, <sub>, <jats:p>), decode entities, collapse whitespace."""
    text = _BLOCK_TAG.sub(" ", text)
    text = _ANY_TAG.sub("", text)
    return " ".join(html.unescape(text).split())


def _abstract(value: Any) -> str:
    text = _clean(value) if isinstance(value, str) else ""
    # JATS abstracts usually open with <jats:title>Abstract</jats:title>: a heading, not content.
    return re.sub(r"^abstract\s*[:.]?\s*", "", text, flags=re.IGNORECASE)


def _authors(value: Any) -> tuple[Author, ...]:
    if not isinstance(value, list):
        return ()
    authors = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        # Organisations come as {"name": "..."} without family/given.
        family = _clean(_scalar(entry.get("family"))) or _clean(_scalar(entry.get("name")))
        given = _clean(_scalar(entry.get("given")))
        if family or given:
            authors.append(Author(family=family or given, given=given if family else ""))
    return tuple(authors)


def _year(message: Mapping[str, Any]) -> int | None:
    """First year found in issued, then published, published-print, published-online."""
    for key in ("issued", "published", "published-print", "published-online"):
        date = message.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        try:
            year = parts[0][0]  # type: ignore[index]
        except (TypeError, IndexError, KeyError):
            continue
        if isinstance(year, int) and not isinstance(year, bool):
            return year
        if isinstance(year, str) and year.strip().isdigit():
            return int(year)
    return None


def _updates(value: Any) -> tuple[Update, ...]:
    """updated-by / update-to entries: {"type", "DOI", "label", "source", "updated"}."""
    if not isinstance(value, list):
        return ()
    return tuple(
        Update(
            type=_scalar(entry.get("type")),
            doi=_scalar(entry.get("DOI")),
            label=_scalar(entry.get("label")),
        )
        for entry in value
        if isinstance(entry, dict) and _scalar(entry.get("type"))
    )


def _relations(value: Any) -> tuple[Update, ...]:
    """relation: {"has-review": [{"id-type": "doi", "id": "10...", ...}], ...}.

    A DOI target goes into `doi`; other identifier types (uri, issn...) into `label`.
    """
    if not isinstance(value, dict):
        return ()
    relations = []
    for rel_type, targets in value.items():
        if not isinstance(rel_type, str) or not isinstance(targets, list):
            continue
        for target in targets:
            if not isinstance(target, dict):
                continue
            ident = _scalar(target.get("id"))
            is_doi = _scalar(target.get("id-type")).lower() == "doi"
            relations.append(
                Update(type=rel_type, doi=ident if is_doi else "", label="" if is_doi else ident)
            )
    return tuple(relations)
