"""The text report for people at a terminal: short enough to read to the end.

Findings that share a cause are one group line (300 uncited entries, [40]-[55] missing);
the rest are shown by reference; a per-rule summary ends the report. `details` shows every
finding by reference and every claim instead.
"""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from citecheck.printable import terminal_safe

from citecheck.model import CheckResult, Finding, Severity
from citecheck.reports.views import (
    CauseGroup,
    ClaimView,
    FindingGroup,
    claim_tally,
    claim_views,
    detail_lines,
    highlighted,
    report_blocks,
    rule_counts,
    summary_line,
    support_summary,
)

_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
VERDICT_STYLE = {
    "supported": "green",
    "mismatch": "bold red",
    "unsupported": "yellow",
    "no-evidence": "dim",
    "contradicted": "bold red",
    "not-found": "yellow",
    "cannot-determine": "dim",
}


def render(
    result: CheckResult, *, color: bool = False, width: int = 100, details: bool = False
) -> str:
    """Render the report; ANSI colours only when `color` is set (the CLI decides, not us)."""
    console = _SafeConsole(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,  # rich would otherwise colour numbers and quotes inside messages
        emoji=False,
        markup=False,  # manuscript text is data: "[32]" and "[bold]" must print as written
        legacy_windows=False,
    )
    blocks = report_blocks(result, details=details)
    for block in blocks:
        if isinstance(block, CauseGroup):
            _print_cause(console, block)
        else:
            _print_group(console, block)
    views = claim_views(result) if details else ()
    if views:
        console.print(Text("Claims", style="bold underline"))
        for view in views:
            _print_claim(console, view)
    _print_summary(console, result, blocks, details)
    console.print(Text(summary_line(result), style="bold"))
    # rich pads wrapped lines to the full width; trailing blanks only get in the way of diffs.
    return _TRAILING_BLANKS.sub(r"\1", console.file.getvalue())


class _SafeConsole(Console):
    """A console that shows the control characters of printed data as visible characters
    (citecheck.printable), so a title holding ESC sequences cannot restyle the terminal."""

    def print(self, *objects, **kwargs) -> None:
        super().print(*(_safe(o) for o in objects), **kwargs)


def _safe(renderable):
    inner = renderable.renderable if isinstance(renderable, Padding) else renderable
    if isinstance(inner, Text):
        inner.plain = terminal_safe(inner.plain)  # same length: the style spans stay put
    elif isinstance(inner, str):
        return terminal_safe(inner)
    return renderable


def _print_group(console: Console, group: FindingGroup) -> None:
    console.print(Text(group.label, style="bold"))
    if group.reference is not None and group.reference.raw:
        _indented(console, 2, Text(" ".join(group.reference.raw.split()), style="dim"))
    raw = group.reference.raw if group.reference is not None else ""
    for finding in group.findings:
        _print_finding(console, finding, raw)
    console.print()


def _print_cause(console: Console, cause: CauseGroup) -> None:
    """One line for many findings ("error CC101 missing-reference x16: [40]-[55]"), then the
    first one's message and suggestion as the example."""
    head = Text()
    head.append(f"{cause.severity.label:<7}", style=SEVERITY_STYLE[cause.severity])
    head.append(f" {cause.code} {cause.rule}", style="bold")
    head.append(f" ×{len(cause.findings)}: {cause.subjects}")
    console.print(head)
    first = cause.findings[0]
    example = Text("e.g. ", style="dim")
    example.append(f"{first.location}: ", style="dim")
    example.append(first.message)
    _indented(console, 4, example)
    if first.suggestion:
        line = Text("suggestion: ", style="dim")
        line.append(first.suggestion)
        _indented(console, 6, line)
    console.print()


def _print_summary(console: Console, result: CheckResult, blocks: tuple, details: bool) -> None:
    """Counts per rule, the claims in one line, and how to see everything."""
    rows = rule_counts(result)
    if rows:
        console.print(Text("Summary by rule", style="bold underline"))
        width = max(len(f"{code} {rule}") for code, rule, _ in rows)
        for code, rule, counts in rows:
            line = Text(f"  {f'{code} {rule}':<{width}}")
            for severity in sorted(counts, reverse=True):
                if counts[severity]:
                    line.append(f"  {counts[severity]} {severity.label}")
            console.print(line)
    tally = claim_tally(result)
    if tally:
        console.print(Text(f"Claims: {tally}" + ("" if details else " (--details shows each)")))
    grouped = sum(len(b.findings) for b in blocks if isinstance(b, CauseGroup))
    if grouped:
        console.print(
            Text(
                f"{grouped} findings that share a cause are shown as one line per cause; "
                "--details shows each",
                style="dim",
            )
        )


def _print_finding(console: Console, finding: Finding, raw: str = "") -> None:
    """A header ("error   CC108 author-mention-mismatch  ms.txt:12:5"), the message, details."""
    head = Text()
    head.append(f"{finding.severity.label:<7}", style=SEVERITY_STYLE[finding.severity])
    head.append(f" {finding.code} {finding.rule}", style="bold")
    head.append(f"  {finding.location}", style="dim")
    _indented(console, 2, head)
    _indented(console, 4, Text(finding.message))
    for label, value in detail_lines(finding, raw):
        line = Text(f"{label}: ", style="dim")
        line.append(value)
        _indented(console, 6, line)


def _indented(console: Console, width: int, text: Text) -> None:
    """Print with a left margin that wrapped lines keep too."""
    console.print(Padding(text, (0, 0, 0, width), expand=False))


def _print_claim(console: Console, view: ClaimView) -> None:
    head = Text(view.claim_id, style="bold")
    claim = view.claim
    if claim is None:
        head.append("  not in the loaded claims", style="dim")
    else:
        head.append(f"  {claim.location}", style="dim")
        cites = ",".join(str(n) for n in claim.numbers) or ",".join(claim.keys)
        head.append(f"  cites [{cites}]")
        if claim.author_mention:
            head.append(f" ({claim.author_mention})")
    _indented(console, 2, head)
    if claim is not None and claim.paraphrase:
        _indented(console, 4, Text(claim.paraphrase, style="italic"))
    for ev in view.entities:
        line = Text(f"{ev.entity.text} ({ev.entity.type})")
        if not ev.verdicts:
            line.append(": not checked", style="dim")
        _indented(console, 4, line)
        for cv in ev.verdicts:
            line = Text(f"[{cv.reference}] ")
            line.append(cv.verdict, style=VERDICT_STYLE.get(cv.verdict, ""))
            if cv.evidence_source:
                line.append(f" via {cv.evidence_source}", style="dim")
            if cv.detail:
                line.append(f": {cv.detail}")
            _indented(console, 6, line)
    for sv in view.support:
        line = Text(support_summary(sv), style=VERDICT_STYLE.get(sv.verdict, ""))
        if sv.reason:
            line.append(f": {sv.reason}", style="dim")
        _indented(console, 4, line)
        if sv.evidence:
            quote = Text("\u201c")
            for piece, mark in highlighted(sv.evidence, sv.highlights):
                quote.append(piece, style="bold underline" if mark else "")
            quote.append("\u201d")
            _indented(console, 6, quote)
    for finding in view.findings:
        _indented(console, 4, Text(f"see {finding.code} {finding.rule}: {finding.message}"))
    console.print()
