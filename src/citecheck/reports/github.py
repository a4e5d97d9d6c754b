"""GitHub Actions workflow-command annotations (::error/::warning/::notice), one per finding.

Syntax and escaping follow GitHub's runner: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
(escapeData / escapeProperty in actions/toolkit packages/core/src/command.ts).
"""

from __future__ import annotations

from citecheck.model import CheckResult, Finding, Severity
from citecheck.reports.views import detail_lines, summary_line

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: "%" first, then the line breaks that would end it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ":" and "," which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult) -> str:
    """One annotation line per finding, then a plain summary line for the job log."""
    lines = [annotation(f) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def annotation(f: Finding) -> str:
    """`::error file=P,line=L,col=C,title=CODE slug::message` for one finding."""
    props = []
    if f.location.path:
        props.append(("file", f.location.path))
        if f.location.line is not None:
            props.append(("line", str(f.location.line)))
            if f.location.column is not None:
                props.append(("col", str(f.location.column)))
    props.append(("title", f"{f.code} {f.rule}"))
    message = "\n".join([f.message] + [f"{label}: {text}" for label, text in detail_lines(f)])
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in props)
    return f"::{COMMAND[f.severity]} {rendered}::{escape_data(message)}"
