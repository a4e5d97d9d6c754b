"""The Crossref REST API as a `Source`: polite, paced, retried, and failing only as LookupFailed.

API: https://api.crossref.org/swagger-ui/index.html. Built on requests (not habanero, whose
releases use httpx) so that our bounded fetch and the `responses` test mocks see every call.
"""

from __future__ import annotations

import html
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from citecheck import __version__
from citecheck.limits import Limits, active
from citecheck.model import Author, Update, Work
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.http import Answer, FetchFailed, cached, remember
from citecheck.resolve.sources.polite import PoliteClient
from citecheck.resolve.sources.ratelimit import (
    LIST,
    SINGLE,
    RateLimited,
    RateLimiter,
)
from citecheck.safeload import JsonError, parse_json

DEFAULT_BASE_URL = "https://api.crossref.org"
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
# Not a Crossref field: recorded metadata marks author lists it saw only partly.
AUTHORS_INCOMPLETE_KEY = "citecheck-author-list-incomplete"

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|list|list-item|label|break)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]+>")

T = TypeVar("T")


def user_agent(mailto: str | None = None) -> str:
    """The User-Agent Crossref's etiquette asks for; a mailto there also selects the polite pool."""
    base = f"citecheck/{__version__}"
    return f"{base} (mailto:{mailto})" if mailto else base


def normalize_doi(doi: str) -> str:
    """'https://doi.org/10.1/X ' -> '10.1/X': the bare DOI, as Crossref's path expects it."""
    return _DOI_PREFIX.sub("", doi.strip()).strip()


def doi_path(doi: str) -> str:
    """/works/{doi} with the DOI as ONE path segment: every reserved character, "/" and "%"
    included, is percent-encoded, so `10.1016/../../__log` or `10.1/x?y#z` can never reach
    another path or parameter of the API (Crossref asks clients to url-encode DOIs)."""
    return "/works/" + quote(doi, safe="")


class CrossrefClient(PoliteClient):
    """Crossref's /works endpoints behind the `Source` protocol.

    Every request goes through `limiter` (polite-pool limits when `mailto` is given, public
    otherwise) and `http.fetch` (a size cap and a total deadline per request). 429, 5xx,
    timeouts and connection errors are retried with exponential backoff and jitter (429
    honours Retry-After up to limits.max_retry_after and pauses all threads), at most
    `max_tries` times (TIMEOUT_TRIES for timeouts); then LookupFailed. A 404 is "not found"
    only once the service has shown it answers at all (`/works?rows=0`): a wrong --api-url
    makes every lookup fail, never every reference "not found". Answers are cached only
    after they parsed and validated. `limits` default to the active ones (limits.active()),
    `deadline` (time.monotonic()) to their run deadline.
    """

    name = "crossref-api"
    label = "Crossref"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        mailto: str | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        max_tries: int = 5,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        deadline: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.mailto = mailto or None
        self.session = session if session is not None else requests.Session()
        self.limits = limits if limits is not None else active()
        self.max_tries = max(1, max_tries)
        self.limiter = (
            limiter
            if limiter is not None
            else RateLimiter.for_pool(
                polite=bool(mailto), max_wait=self.limits.max_rate_limit_interval
            )
        )
        self.deadline = deadline if deadline is not None else self.limits.deadline
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._headers = {"User-Agent": user_agent(self.mailto), "Accept": "application/json"}
        self._state = threading.Lock()
        # Set when the service cannot be used (never connected, stopped answering, refuses
        # us): the rest then fail at once instead of each spending its whole retry budget.
        self._unreachable = ""
        self._strikes = 0
        self._service_ok: bool | None = None  # did /works?rows=0 answer like Crossref?
        self._checking = threading.Lock()

    @property
    def concurrency(self) -> int:
        """How many requests may run at once; size the resolver's thread pool with it."""
        return self.limiter.concurrency

    def work(self, doi: str) -> Work | None:
        """The work registered under `doi`, or None when Crossref has no such DOI."""
        bare = normalize_doi(doi)
        if not bare.startswith("10."):  # cannot be a DOI, so Crossref cannot have it
            return None
        what = f"DOI {bare[:200]}"
        message = self._ask(doi_path(bare), {}, SINGLE, what, lambda m: m, kind="work")
        return None if message is None else work_from_message(message)

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        """Crossref's best candidates for a free-text reference, each with Crossref's score."""
        text = " ".join(bibliographic.split())[:2000]
        if not text:
            return []
        params = {
            "query.bibliographic": text,
            "rows": str(max(1, min(rows, 100))),
            "select": ",".join(SEARCH_FIELDS),
        }
        what = f"search {text[:60]!r}"

        items = self._ask("/works", params, LIST, what, _items_of(what), kind="work-list")
        if items is None:  # /works itself never 404s: the base URL is wrong
            raise LookupFailed(f"Crossref {what}: HTTP 404 for /works; check --api-url")
        return [(work_from_message(item), _score(item)) for item in items]

    def works(self, dois: list[str]) -> dict[str, Work]:
        """Many DOIs in one request (`filter=doi:a,doi:b`, one list-pool request), keyed by
        lower-case DOI. A DOI missing from the answer is not "not found": ask `work` for it
        (used by `citecheck batch` so a corpus spends one request per 50 DOIs)."""
        bare = sorted({normalize_doi(d).lower() for d in dois if normalize_doi(d).startswith("10.")})
        if not bare:
            return {}
        params = {
            "filter": ",".join(f"doi:{d}" for d in bare),
            "rows": str(len(bare)),
            "select": ",".join(SEARCH_FIELDS),
        }
        what = f"{len(bare)} DOIs"

        items = self._ask("/works", params, LIST, what, _items_of(what), kind="work-list") or []
        found = (work_from_message(item) for item in items)
        return {w.doi.lower(): w for w in found if w.doi}

    # --- one question, asked politely ---------------------------------------------------------

    def _ask(
        self,
        path: str,
        params: dict[str, str],
        limit_kind: str,
        what: str,
        validate: Callable[[Mapping[str, Any]], T],
        *,
        kind: str,
    ) -> T | None:
        """validate(message) of the 200 answer, None for a confirmed 404, else LookupFailed.

        A fresh answer is stored in the cache only after `validate` accepted it.
        """
        url = self.base_url + path
        if self.mailto:
            params = {**params, "mailto": self.mailto}
        hit = cached(self.session, url, params)
        if hit is not None:
            return validate(self._message(hit, kind, what)) if hit.status == 200 else None
        answer = self._get(url, params, limit_kind, what)
        if answer.status == 404:
            self._confirm_not_found(what)
            remember(self.session, url, params, answer)
            return None
        result = validate(self._message(answer, kind, what))
        remember(self.session, url, params, answer)
        return result

    def _confirm_not_found(self, what: str) -> None:
        """A 404 means "no such DOI" only if the service answers a request that must work."""
        ok, detail = self._service_check()
        if not ok:
            raise LookupFailed(f"Crossref {what}: HTTP 404, and {detail}; check --api-url")

    def _client_error(self, what: str, status: int) -> str:
        ok, detail = self._service_check()
        hint = "" if ok else f", and {detail}; check --api-url"
        return f"Crossref {what}: HTTP {status}{hint}"

    def _service_check(self) -> tuple[bool, str]:
        """Ask /works?rows=0 once: does this base URL answer like Crossref? (ok, why not)."""
        with self._checking:  # one check at a time; the others wait for its verdict
            return self._service_check_once()

    def _service_check_once(self) -> tuple[bool, str]:
        with self._state:
            if self._service_ok is not None:
                return self._service_ok, self._service_detail
        url = self.base_url + "/works"
        params = {"rows": "0", **({"mailto": self.mailto} if self.mailto else {})}
        try:
            answer = self._fetch(url, params, LIST)
        except (FetchFailed, RateLimited) as failed:
            return False, f"the service could not be checked ({failed})"
        try:
            ok = answer.status == 200
            if ok:
                self._message(answer, "work-list", "service check")
            detail = "" if ok else f"{url} answers HTTP {answer.status} too"
        except LookupFailed:
            ok, detail = False, f"{url} does not answer like Crossref"
        with self._state:
            self._service_ok, self._service_detail = ok, detail
            if not ok:  # a definite answer: the base URL is wrong, do not ask it again
                self._unreachable = f"{detail}; check --api-url"
        return ok, detail

    _service_detail = ""

    def _message(self, answer: Answer, kind: str, what: str) -> Mapping[str, Any]:
        """The `message` of a Crossref envelope of the expected type, else LookupFailed."""
        try:
            body = parse_json(answer.body, max_depth=self.limits.max_depth)
        except JsonError as error:
            looks_html = answer.body.lstrip()[:1] == b"<"
            why = "an HTML page, not JSON (a proxy or captive portal?)" if looks_html else error
            raise LookupFailed(f"Crossref {what}: response is not valid JSON: {why}") from None
        if not isinstance(body, dict) or body.get("message-type") != kind:
            raise LookupFailed(f"Crossref {what}: unexpected response shape (not a {kind})")
        message = body.get("message")
        if not isinstance(message, dict):
            raise LookupFailed(f"Crossref {what}: unexpected response shape (message)")
        return message


def _items_of(what: str) -> Callable[[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """The validator of a /works list answer: its items, or LookupFailed on another shape."""

    def items_of(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        items = message.get("items")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise LookupFailed(f"Crossref {what}: unexpected response shape (items)")
        return items

    return items_of


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
