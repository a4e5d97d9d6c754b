"""The Markdown report (GitHub-flavoured): summary table, findings by reference, claim table."""

from __future__ import annotations

import re

from citecheck.model import CheckResult, Finding
from citecheck.reports.views import (
    CauseGroup,
    ClaimView,
    claim_tally,
    claim_views,
    detail_lines,
    highlighted,
    report_blocks,
    rule_counts,
)

# Characters that would start Markdown syntax inside a cell or heading. "<", ">" and "&"
# become entities so manuscript text can never turn into raw HTML.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape(text: str) -> str:
    """Make arbitrary text safe inside a GFM table cell or heading, on one line."""
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    text = _SPECIAL.sub(r"\\\1", text)
    # A cell must stay on one line; <br> is the GFM way to break inside it.
    return "<br>".join(text.splitlines())


def render(result: CheckResult, *, details: bool = False) -> str:
    """Render the whole report as one Markdown document: findings that share a cause as one
    section each, the rest by reference; `details` lists every finding and claim."""
    lines = ["# citecheck report", ""]
    lines += _summary(result)
    blocks = report_blocks(result, details=details)
    if blocks:
        lines += ["## Findings", ""]
    for block in blocks:
        if isinstance(block, CauseGroup):
            lines += _cause(block)
            continue
        lines += [f"### {escape(block.label)}", ""]
        if block.reference is not None and block.reference.raw:
            lines += [f"> {escape(' '.join(block.reference.raw.split()))}", ""]
        raw = block.reference.raw if block.reference is not None else ""
        lines += _table(_FINDING_HEADER, [_finding_row(f, raw) for f in block.findings])
    views = claim_views(result) if details else ()
    if views:
        lines += ["## Claims", ""]
        lines += _table(
            ("Claim", "Location", "Cites", "Entity", "Reference", "Verdict", "Evidence"),
            [row for v in views for row in _claim_rows(v)],
        )
    elif claim_tally(result):
        lines += ["## Claims", "", escape(claim_tally(result)) + " (`--details` shows each)", ""]
    return "\n".join(lines)


_FINDING_HEADER = ("Severity", "Code", "Rule", "Location", "Message", "Details")


def _cause(cause: CauseGroup) -> list[str]:
    """One section for many findings: count, subjects, the first as an example."""
    first = cause.findings[0]
    lines = [
        (
            f"### {cause.severity.label} {escape(cause.code)} {escape(cause.rule)} "
            f"×{len(cause.findings)}"
        ),
        "",
        f"About: {escape(cause.subjects)}",
        "",
        f"> e.g. {escape(str(first.location))}: {escape(first.message)}",
        "",
    ]
    if first.suggestion:
        lines += [f"Suggestion: {escape(first.suggestion)}", ""]
    return lines


def _summary(result: CheckResult) -> list[str]:
    s = result.summary
    rows = [("Errors", str(s["error"])), ("Warnings", str(s["warning"])), ("Info", str(s["info"]))]
    rows.append(("Total", str(s["total"])))
    head = f"citecheck {escape(result.tool_version)}"
    if result.inputs:
        head += " on " + ", ".join(f"{escape(k)}: {escape(v)}" for k, v in result.inputs.items())
    by_rule = [
        (escape(code), escape(rule), *(str(counts[sev]) for sev in sorted(counts, reverse=True)))
        for code, rule, counts in rule_counts(result)
    ]
    out = [head, ""] + _table(("Severity", "Count"), rows)
    if by_rule:
        out += _table(("Code", "Rule", "Errors", "Warnings", "Info"), by_rule)
    return out


def _finding_row(f: Finding, raw: str = "") -> tuple[str, ...]:
    details = "<br>".join(f"{label}: {escape(value)}" for label, value in detail_lines(f, raw))
    return (
        f.severity.label,
        escape(f.code),
        escape(f.rule),
        escape(str(f.location)),
        escape(f.message),
        details,
    )


def _claim_rows(view: ClaimView) -> list[tuple[str, ...]]:
    claim = view.claim
    location = escape(str(claim.location)) if claim else ""
    cites = ""
    if claim is not None:
        cites = escape(",".join(str(n) for n in claim.numbers) or ",".join(claim.keys))
        if claim.author_mention:
            cites += f" ({escape(claim.author_mention)})"
    first = escape(view.claim_id)
    if claim is not None and claim.paraphrase:
        first += f"<br>{escape(claim.paraphrase)}"
    rows = []
    for ev in view.entities:
        entity = f"{escape(ev.entity.text)} ({escape(ev.entity.type)})"
        for cv in ev.verdicts or (None,):
            evidence = ""
            if cv is not None:
                evidence = escape(cv.evidence_source)
                if cv.detail:
                    evidence += f": {escape(cv.detail)}" if evidence else escape(cv.detail)
            rows.append(
                (
                    first,
                    location,
                    cites,
                    entity,
                    str(cv.reference) if cv else "",
                    escape(cv.verdict) if cv else "not checked",
                    evidence,
                )
            )
            first = location = cites = ""  # show a claim's own columns once, on its first row
    for sv in view.support:
        quote = "".join(
            f"**{escape(piece)}**" if mark else escape(piece)
            for piece, mark in highlighted(sv.evidence, sv.highlights)
        )
        evidence = f"\u201c{quote}\u201d ({escape(sv.source)})" if quote else escape(sv.reason)
        confidence = f" ({sv.confidence:.2f})" if sv.confidence else ""
        rows.append(
            (
                first,
                location,
                cites,
                "whole claim",
                str(sv.reference),
                escape(sv.verdict) + confidence,
                evidence,
            )
        )
        first = location = cites = ""
    if not rows:
        rows.append((first, location, cites, "", "", "", ""))
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GFM table; cells must already be escaped."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]
