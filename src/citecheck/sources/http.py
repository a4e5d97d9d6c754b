"""The HTTP session metadata sources use: requests, optionally behind an on-disk requests-cache."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import platformdirs
import requests
import requests_cache

CACHE_FILE = "http-cache.sqlite"
# A found record rarely changes; 30 days keeps re-runs offline yet picks up new retractions.
HIT_EXPIRY = timedelta(days=30)
# A 404 may be a DOI registered yesterday: look again tomorrow.
NOT_FOUND_EXPIRY = timedelta(days=1)
CACHED_STATUSES = (200, 404)  # never cache 429/5xx: they are about the moment, not the DOI


def default_cache_dir() -> Path:
    """Where the cache lives unless told otherwise (per-user, per-OS convention)."""
    return Path(platformdirs.user_cache_dir("citecheck"))


def _stamp_expiry(response: requests.Response, *args: object, **kwargs: object) -> None:
    """Set the cache lifetime by status, so our policy (not the server's headers) decides it.

    requests-cache reads Cache-Control from the response before storing it (cache_control=True);
    this hook runs first, so a 404 gets one day and a hit thirty.
    """
    if getattr(response, "from_cache", False):
        return
    expiry = NOT_FOUND_EXPIRY if response.status_code == 404 else HIT_EXPIRY
    response.headers["Cache-Control"] = f"max-age={int(expiry.total_seconds())}"
    response.headers.pop("Expires", None)


def make_session(
    *,
    cache: bool = True,
    cache_dir: Path | None = None,
    refresh: bool = False,
    user_agent: str,
) -> requests.Session:
    """A session for metadata lookups.

    cache=True: a requests-cache CachedSession (SQLite in `cache_dir`, default the user cache
    dir) that stores only 200 and 404 responses. refresh=True skips cached answers but still
    stores the new ones. The `mailto` parameter is left out of cache keys (and redacted from
    the stored request), so changing the contact address keeps the cache valid.
    cache=False: a plain requests.Session.
    """
    if not cache:
        session = requests.Session()
    else:
        directory = cache_dir if cache_dir is not None else default_cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        session = requests_cache.CachedSession(
            str(directory / CACHE_FILE),
            backend="sqlite",
            expire_after=HIT_EXPIRY,
            allowable_codes=CACHED_STATUSES,
            allowable_methods=("GET",),
            cache_control=True,
            ignored_parameters=("mailto",),
        )
        session.hooks["response"].append(_stamp_expiry)
        if refresh:
            # Request directive "no-cache": requests-cache skips the read but writes the result.
            session.headers["Cache-Control"] = "no-cache"
    session.headers["User-Agent"] = user_agent
    return session
