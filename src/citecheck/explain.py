"""Rule pages: one Markdown page per rule, shipped as package data (citecheck/data/rules/).

The same files are in docs/rules/ for readers of the repository (scripts/sync_rule_pages.py
copies them; tests/test_rule_pages.py checks that they are identical and that every
registered rule has one), so `citecheck explain` works from an installed wheel too.
"""

from __future__ import annotations

import difflib
import os
from importlib import resources

# Default base of the links SARIF (helpUri) and the HTML report give for a rule: relative to
# the repository root. CITECHECK_RULES_URL or `rules_url` in the config replaces it.
DEFAULT_BASE = "docs/rules/"


class UnknownRule(LookupError):
    """A rule name that is neither a slug nor a code; the message names the nearest one."""


def page(name: str) -> str:
    """The Markdown page of a rule named by slug or code (CC101)."""
    from citecheck.rules import RULES, find_rule  # the registry is only needed here

    rule = find_rule(name.strip())
    if rule is None:
        names = [r.slug for r in RULES] + [r.code for r in RULES]
        wanted = name.strip()
        # No slug is near a name this long; and a megabyte of it is no error line.
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5) if len(wanted) <= 80 else []
        hint = f" (did you mean {close[0]!r}?)" if close else " (see `citecheck rules`)"
        shown = wanted if len(wanted) <= 80 else wanted[:60] + f"... ({len(wanted):,} characters)"
        raise UnknownRule(f"unknown rule {shown!r}{hint}")
    return _read(rule.slug)


def has_page(slug: str) -> bool:
    return resources.files("citecheck").joinpath("data", "rules", f"{slug}.md").is_file()


def _read(slug: str) -> str:
    return resources.files("citecheck").joinpath("data", "rules", f"{slug}.md").read_text("utf-8")


def url(slug: str, base: str | None = None) -> str:
    """Where a rule's page lives, for report links: base + slug + '.md'."""
    if base is None:
        base = os.environ.get("CITECHECK_RULES_URL") or DEFAULT_BASE
    if base and not base.endswith("/"):
        base += "/"
    return f"{base}{slug}.md"
