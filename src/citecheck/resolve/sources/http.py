"""HTTP for metadata sources: bounded requests and a cache that keeps only answers that validated.

`fetch` streams a body under a size cap and a total deadline per request (not per read: a
server dripping one byte every two seconds cannot hold a lookup past `request_timeout`).
`AnswerCache` stores an answer only when the caller has parsed and validated it (`remember`):
errors, HTML captive-portal pages, malformed or oversized bodies are never kept, so a broken
network never poisons later runs. A corrupt or unusable cache is set aside with a warning
(logged on the "citecheck" logger; the CLI prints it) and the run continues without it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests
from requests.structures import CaseInsensitiveDict

from citecheck.limits import MB, Limits
from citecheck.resolve.cachedir import default_cache_dir

CACHE_FILE = "answers.sqlite"
# A found record rarely changes; 30 days keeps re-runs offline yet picks up new retractions.
HIT_EXPIRY = timedelta(days=30)
# A 404 may be a DOI registered yesterday: look again tomorrow.
NOT_FOUND_EXPIRY = timedelta(days=1)
CHUNK = 64 * 1024
# Left out of cache keys: changing the contact address must not empty the cache.
UNKEYED_PARAMETERS = ("mailto",)

log = logging.getLogger("citecheck")


# --- one bounded request ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, headers and the whole (capped) body."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=CaseInsensitiveDict)
    from_cache: bool = False


class FetchFailed(Exception):
    """No complete answer. `kind`: connect | timeout | broken | too-large | deadline | other."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def fetch(
    session: requests.Session,
    url: str,
    params: Mapping[str, str] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    limits: Limits = Limits(),
    deadline: float | None = None,
) -> Answer:
    """GET url and read the whole body, within limits.request_timeout (and `deadline`,
    a time.monotonic() value for the whole run) and limits.max_http_body_bytes."""
    end = time.monotonic() + limits.request_timeout
    deadline = deadline if deadline is not None else limits.deadline
    if deadline is not None:
        end = min(end, deadline)
    left = end - time.monotonic()
    if left <= 0:
        raise FetchFailed("deadline", "the run's deadline has passed")
    timeout = (min(limits.connect_timeout, left), min(limits.read_timeout, left))
    try:
        response = _headers_by(
            end,
            lambda: session.get(
                url, params=params, headers=dict(headers or {}), timeout=timeout, stream=True
            ),
        )
    except _NoHeaders:
        raise FetchFailed("timeout", f"no answer within {limits.request_timeout:g} s") from None
    except requests.exceptions.ConnectTimeout as error:
        raise FetchFailed("connect", _short(error)) from None
    except requests.Timeout as error:
        raise FetchFailed("timeout", f"no answer within {timeout[1]:g} s") from error
    except requests.ConnectionError as error:
        raise FetchFailed("connect", _short(error)) from None
    except (requests.RequestException, OSError, ValueError) as error:
        raise FetchFailed("other", _short(error)) from None
    with response:
        body = _read_body(response, end, limits)
        return Answer(response.status_code, body, response.headers)


class _NoHeaders(Exception):
    """The status line and headers did not all arrive by the request's deadline."""


def _headers_by(end: float, get: Callable[[], requests.Response]) -> requests.Response:
    """get() -- which returns once the headers are in -- bounded by the deadline `end`.

    The socket timeout bounds each read, not their sum: a server dripping header lines
    could hold get() for hours. It runs on a daemon thread; past `end` the caller moves on
    (_NoHeaders) and the thread closes whatever arrives later.
    """
    outcome: dict[str, object] = {}
    done = threading.Event()
    abandoned = threading.Event()

    def work() -> None:
        try:
            outcome["response"] = get()
        except BaseException as error:  # noqa: BLE001 -- handed to the caller below
            outcome["error"] = error
        finally:
            done.set()
            if abandoned.is_set() and "response" in outcome:
                outcome["response"].close()  # type: ignore[attr-defined]

    threading.Thread(target=work, name="citecheck-http", daemon=True).start()
    if not done.wait(max(0.0, end - time.monotonic())):
        abandoned.set()
        if done.is_set() and "response" in outcome:  # arrived in the meantime
            outcome["response"].close()  # type: ignore[attr-defined]
        raise _NoHeaders
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["response"]  # type: ignore[return-value]


def _read_body(response: requests.Response, end: float, limits: Limits) -> bytes:
    cap = limits.max_http_body_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > cap:
        raise FetchFailed("too-large", f"answer of {int(declared) / MB:.1f} MB, over the cap")
    chunks: list[bytes] = []
    size = 0
    raw = response.raw
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise FetchFailed("timeout", f"answer not complete within {limits.request_timeout:g} s")
        _bound_next_read(raw, min(limits.read_timeout, left))
        try:
            chunk = raw.read1(CHUNK, decode_content=True) if hasattr(raw, "read1") else raw.read(CHUNK)
        except Exception as error:  # noqa: BLE001 -- urllib3 read errors of every kind
            kind = "timeout" if "timed out" in str(error).lower() else "broken"
            raise FetchFailed(kind, _short(error)) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise FetchFailed("too-large", f"answer over the {cap / MB:g} MB cap")
        chunks.append(chunk)


def _bound_next_read(raw: object, seconds: float) -> None:
    """Make the next socket read give up within `seconds` (best effort; absent under mocks)."""
    connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(0.05, seconds))
        except OSError:
            pass


def _short(error: BaseException) -> str:
    """A short reason: "ConnectionError: [Errno 111] Connection refused", not urllib3's essay."""
    text = " ".join(str(error).split())
    found = re.search(r"\[Errno -?\d+\] [^'\")\]]+|Name or service not known|timed out", text)
    return f"{type(error).__name__}: {found.group().strip() if found else text[:160]}"


# --- the cache --------------------------------------------------------------------------------


def cache_key(url: str, params: Mapping[str, str] | None) -> str:
    """One key per request: URL plus sorted parameters, without the contact address."""
    kept = sorted((k, v) for k, v in (params or {}).items() if k not in UNKEYED_PARAMETERS)
    return hashlib.sha256(f"{url}?{urlencode(kept)}".encode()).hexdigest()


class AnswerCache:
    """Validated answers on disk (SQLite): key -> (status, body) until an expiry.

    Thread-safe (one connection behind a lock). Any database error sets the file aside as
    `<name>.broken-<time>` (or, if that fails, just stops using it) with one warning.
    """

    def __init__(self, path: Path, *, refresh: bool = False, clock=time.time) -> None:
        self.path = path
        self.refresh = refresh  # skip reads, still write fresh answers
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError) as error:
            self._give_up(error)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path), timeout=5.0, check_same_thread=False)
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers "
                "(key TEXT PRIMARY KEY, status INTEGER, body BLOB, expires REAL)"
            )
            db.execute("SELECT count(*) FROM answers").fetchone()
            db.commit()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _give_up(self, error: BaseException) -> None:
        """Set a broken cache file aside and continue without a cache."""
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        where = f"{self.path}"
        corrupt = isinstance(error, sqlite3.DatabaseError) and not isinstance(
            error, sqlite3.OperationalError  # locked, unreadable: not ours to move
        )
        if corrupt and self.path.is_file():
            aside = self.path.with_name(f"{self.path.name}.broken-{int(self._clock())}")
            try:
                self.path.replace(aside)
                where = f"{self.path} (moved to {aside.name})"
            except OSError:
                pass
        log.warning(f"HTTP cache {where} is unusable ({error}); continuing without a cache")

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get(self, key: str) -> tuple[int, bytes] | None:
        if self.refresh:
            return None
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute(
                    "SELECT status, body, expires FROM answers WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as error:
                self._give_up(error)
                return None
        if row is None or row[2] < self._clock():
            return None
        return int(row[0]), bytes(row[1])

    def put(self, key: str, status: int, body: bytes, lifetime: timedelta) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                    (key, status, body, self._clock() + lifetime.total_seconds()),
                )
                self._db.commit()
            except sqlite3.Error as error:
                self._give_up(error)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class Session(requests.Session):
    """A requests session that may carry an AnswerCache (`answers`, None without cache)."""

    answers: AnswerCache | None = None


def make_session(
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    refresh: bool = False,
    user_agent: str,
) -> Session:
    """A session for metadata lookups, with an AnswerCache in `cache_dir` (default: the user
    cache directory) unless cache=False. refresh=True skips cached answers but stores new ones."""
    session = Session()
    if cache:
        directory = cache_dir if cache_dir is not None else default_cache_dir()
        session.answers = AnswerCache(directory / CACHE_FILE, refresh=refresh)
    session.headers["User-Agent"] = user_agent
    return session


def cached(session: requests.Session, url: str, params: Mapping[str, str] | None) -> Answer | None:
    """The stored answer for this request, if the session has a cache holding one."""
    store = getattr(session, "answers", None)
    if store is None:
        return None
    found = store.get(cache_key(url, params))
    return Answer(found[0], found[1], CaseInsensitiveDict(), True) if found else None


def remember(
    session: requests.Session, url: str, params: Mapping[str, str] | None, answer: Answer
) -> None:
    """Store an answer the caller has validated: 200s for a month, 404s for a day."""
    store = getattr(session, "answers", None)
    if store is None or answer.from_cache or answer.status not in (200, 404):
        return
    lifetime = NOT_FOUND_EXPIRY if answer.status == 404 else HIT_EXPIRY
    store.put(cache_key(url, params), answer.status, answer.body, lifetime)
