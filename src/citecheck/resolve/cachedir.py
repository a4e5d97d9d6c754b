"""Where citecheck keeps its cache (answers, Retraction Watch data) unless told otherwise.

A module of its own so that reading the cached Retraction Watch table offline does not
import the HTTP stack (requests and urllib3 cost ~35 ms at start-up).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_cache_dir() -> Path:
    """Where the cache lives unless told otherwise (per-user, per-OS convention)."""
    return Path(platformdirs.user_cache_dir("citecheck"))
