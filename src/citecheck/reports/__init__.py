"""The WRITERS table: report format name -> render function, each format imported on first use.

Formats are looked up in this table, never chosen with if/elif. Modules load lazily because
rich and xml are slow to import and the CLI must start fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citecheck.model import CheckResult

Writer = Callable[..., str]  # (result, **options such as details=True) -> report text


def _lazy(module: str) -> Writer:
    """A writer that imports citecheck.reports.<module> only when first called."""

    def render(result: CheckResult, **options: object) -> str:
        return importlib.import_module(f"{__name__}.{module}").render(result, **options)

    render.__name__ = f"render_{module}"
    render.__doc__ = f"Render a CheckResult with citecheck.reports.{module}."
    return render


WRITERS: dict[str, Writer] = {
    "text": _lazy("text"),
    "json": _lazy("json_report"),
    "markdown": _lazy("markdown"),
    "sarif": _lazy("sarif"),
    "junit": _lazy("junit"),
    "github": _lazy("github"),
    "html": _lazy("html"),
}

# Conventional file suffixes, for `--output` defaults and CI upload steps.
SUFFIXES: dict[str, str] = {
    "text": ".txt",
    "json": ".json",
    "markdown": ".md",
    "sarif": ".sarif",
    "junit": ".xml",
    "github": ".txt",
    "html": ".html",
}
