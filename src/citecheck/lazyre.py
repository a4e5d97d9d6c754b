"""Regular expressions compiled on first use, for modules with many large patterns.

The reference parser defines ~70 patterns whose compilation takes ~0.1 s at import; a
reference list of one style uses under half of them. A LazyPattern compiles when first
used and then behaves exactly like the compiled pattern (every attribute is delegated).
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A stand-in for `re.compile(pattern, flags)` that compiles on first attribute access."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        # Called only for names the instance lacks (the re.Pattern API). The looked-up bound
        # method is then kept on the instance, so later calls cost a plain attribute lookup.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[:40]!r}...)"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """`re.compile`, deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)
