"""How much citecheck reads and how long it waits: generous defaults, configurable per project.

Every reader, loader and HTTP request is bounded so that a hostile or broken input fails in
one line instead of exhausting memory or hanging. `[tool.citecheck.limits]` overrides the
defaults (see config.py); the CLI applies them for one command with `applied(limits)`, and
deep readers (files.read_text_file, safeload) see them through `active()`.

A ContextVar rather than a parameter threaded through every reader: readers belong to
several people and already have a fixed signature; a ContextVar is per-thread/per-context,
so there is no shared mutable module state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on input size, nesting and time. Sizes in bytes, times in seconds."""

    # Any one input file (manuscript, .bib, claims.yaml, lock, CSL JSON, config).
    max_input_bytes: int = 100 * MB
    # Nesting of JSON and YAML documents (Crossref records nest about 6 deep).
    max_depth: int = 100
    # Any one HTTP answer body, read streamed and abandoned past this size.
    max_http_body_bytes: int = 20 * MB
    # One HTTP request from connect to last body byte, however slowly the server sends.
    request_timeout: float = 30.0
    # Waiting for a connection, and for each read (within request_timeout).
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # A Retry-After or an advertised rate-limit window longer than this fails the lookup.
    max_retry_after: float = 60.0
    max_rate_limit_interval: float = 60.0
    # When the whole run must end (a time.monotonic() value; --deadline), None for never.
    deadline: float | None = None


# Config keys of [tool.citecheck.limits]: name -> (Limits field, factor, type description).
CONFIG_KEYS: dict[str, tuple[str, float, str]] = {
    "max_input_mb": ("max_input_bytes", MB, "a positive number of megabytes"),
    "max_depth": ("max_depth", 1, "a positive whole number"),
    "max_http_body_mb": ("max_http_body_bytes", MB, "a positive number of megabytes"),
    "request_timeout": ("request_timeout", 1, "a positive number of seconds"),
    "connect_timeout": ("connect_timeout", 1, "a positive number of seconds"),
    "read_timeout": ("read_timeout", 1, "a positive number of seconds"),
    "max_retry_after": ("max_retry_after", 1, "a positive number of seconds"),
    "max_rate_limit_interval": ("max_rate_limit_interval", 1, "a positive number of seconds"),
}
_INTEGER_FIELDS = {f.name for f in fields(Limits) if f.type in ("int", int)}


def from_table(table: dict[str, float]) -> Limits:
    """Limits from already-validated config values (keys of CONFIG_KEYS, positive numbers)."""
    values = {}
    for key, value in table.items():
        name, factor, _ = CONFIG_KEYS[key]
        scaled = value * factor
        values[name] = int(scaled) if name in _INTEGER_FIELDS else float(scaled)
    return Limits(**values)


_ACTIVE: ContextVar[Limits] = ContextVar("citecheck_limits", default=Limits())


def active() -> Limits:
    """The limits in force for the current command (the defaults unless `applied`)."""
    return _ACTIVE.get()


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Make `limits` the active ones inside the with-block."""
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)
