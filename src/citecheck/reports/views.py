"""Format-neutral views of a CheckResult (findings by reference, per-claim rows) shared by writers.

Every writer shows the same grouping and the same claim view; computing them once here keeps
the seven formats consistent and each writer down to layout and escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citecheck.model import (
    CheckResult,
    Claim,
    ClaimVerdict,
    Entity,
    Finding,
    Reference,
    RuleInfo,
    Severity,
    SupportVerdict,
)

GENERAL = "General"
# From this many findings of one cause on, reports show one group line instead of each one.
GROUP_AT = 3
# A compressed list shows this many items ("[3], [5]-[9]" counts two), then "and N more".
LIST_ITEMS = 24


@dataclass(frozen=True)
class FindingGroup:
    """Findings about one reference (or none: the "General" group), in report order."""

    label: str  # "[32] wen2021bone", "[40]", "wen2021bone" or "General"
    number: int | None
    key: str
    reference: Reference | None  # the parsed entry when the result carries it
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class CauseGroup:
    """Findings that share one cause: one rule and severity, one message but for its subject
    ("reference [#] is never cited in the text" for 300 entries)."""

    rule: str
    code: str
    severity: Severity
    findings: tuple[Finding, ...]

    @property
    def subjects(self) -> str:
        """What the findings are about, compressed: "[40]-[55]", "smith2020, jones2019"."""
        return compress_subjects(self.findings)


@dataclass(frozen=True)
class EntityView:
    """One entity of a claim with every verdict reached for it (one per cited reference)."""

    entity: Entity
    verdicts: tuple[ClaimVerdict, ...]


@dataclass(frozen=True)
class ClaimView:
    """One claim as reports show it: what it cites, what it names, what was concluded."""

    claim_id: str
    claim: Claim | None  # None when verdicts name a claim the result does not carry
    entities: tuple[EntityView, ...]
    findings: tuple[Finding, ...]
    support: tuple[SupportVerdict, ...] = ()  # one per cited work: does it support the claim?


def group_findings(result: CheckResult) -> tuple[FindingGroup, ...]:
    """Group findings by reference number (then BibTeX key); findings about neither go last."""
    by_number = {r.number: r for r in result.references if r.number is not None}
    by_key = {r.key: r for r in result.references if r.key}
    buckets: dict[tuple[int | None, str], list[Finding]] = {}
    for finding in result.findings:
        if finding.reference is not None:
            # A numbered finding is about that entry whatever key a rule happened to attach.
            ref = by_number.get(finding.reference)
            slot = (finding.reference, ref.key if ref else finding.bib_key)
        else:
            slot = (None, finding.bib_key)
        buckets.setdefault(slot, []).append(finding)

    def order(slot: tuple[int | None, str]) -> tuple[int, int, str]:
        number, key = slot
        if number is not None:
            return (0, number, key)
        return (1, 0, key) if key else (2, 0, "")

    groups = []
    for number, key in sorted(buckets, key=order):
        ref = by_number.get(number) if number is not None else by_key.get(key)
        groups.append(
            FindingGroup(
                label=reference_label(number, key),
                number=number,
                key=key,
                reference=ref,
                # Most severe first within a reference; stable, so location order otherwise.
                findings=tuple(sorted(buckets[(number, key)], key=lambda f: -f.severity)),
            )
        )
    return tuple(groups)


def report_blocks(
    result: CheckResult, *, details: bool = False
) -> tuple[CauseGroup | FindingGroup, ...]:
    """What a person reads, most severe first: one CauseGroup per cause shared by GROUP_AT or
    more findings, then each remaining reference's findings. With `details`, every finding
    by reference (no cause groups)."""
    if details:
        return group_findings(result)
    by_cause: dict[tuple[str, Severity, str], list[Finding]] = {}
    for finding in result.findings:
        by_cause.setdefault(cause_key(finding), []).append(finding)
    causes = [
        CauseGroup(rule, items[0].code, severity, tuple(items))
        for (rule, severity, _), items in by_cause.items()
        if len(items) >= GROUP_AT
    ]
    grouped = {id(f) for cause in causes for f in cause.findings}
    rest = CheckResult(
        result.tool_version,
        result.inputs,
        tuple(f for f in result.findings if id(f) not in grouped),
        result.rules,
        references=result.references,
    )
    blocks: list[CauseGroup | FindingGroup] = [*causes, *group_findings(rest)]
    # Stable: within a severity, cause groups (largest first) come before references in order.
    return tuple(
        sorted(
            blocks,
            key=lambda b: (
                -max(f.severity for f in b.findings),
                -len(b.findings) if isinstance(b, CauseGroup) else 0,
            ),
        )
    )


def cause_key(finding: Finding) -> tuple[str, Severity, str]:
    """Rule, severity and the message with its subject masked: findings alike in all three
    share a cause (the same omission repeated, the same fix)."""
    message = finding.message
    for own in {finding.found, finding.expected, finding.bib_key} - {""}:
        if len(own) > 1:
            message = message.replace(own, "…")
    message = _REMARK.sub("", message)
    message = _LABELS.sub("[#]", message)
    message = _QUOTED.sub("'…'", message)
    return finding.rule, finding.severity, " ".join(_DIGITS.sub("#", message).split())


_REMARK = re.compile(r"\s*\([^()]*\)")  # "(3 callouts)", "(the list stops at 39)"
_LABELS = re.compile(r"\^?\[[^\]]*\](?:\s*(?:,|and|[-–])\s*\^?\[[^\]]*\])*")
_QUOTED = re.compile(r"'[^']*'")
_DIGITS = re.compile(r"\d+")


def compress_subjects(findings: tuple[Finding, ...], limit: int = LIST_ITEMS) -> str:
    """ "[3], [5]-[9], smith2020 and 12 more": reference numbers as ranges, then keys, claims
    or places; at most `limit` items."""
    numbers = sorted({f.reference for f in findings if f.reference is not None})
    items = [_run(run) for run in _runs(numbers)]
    others = (f.bib_key or f.claim_id or str(f.location) for f in findings if f.reference is None)
    items += list(dict.fromkeys(others))
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _run(run: list[int]) -> str:
    if len(run) >= 3:
        return f"[{run[0]}]-[{run[-1]}]"
    return ", ".join(f"[{n}]" for n in run)


def rule_counts(result: CheckResult) -> tuple[tuple[str, str, dict[Severity, int]], ...]:
    """(code, rule, findings per severity) for every rule that found something, by code."""
    counts: dict[tuple[str, str], dict[Severity, int]] = {}
    for f in result.findings:
        row = counts.setdefault((f.code, f.rule), dict.fromkeys(Severity, 0))
        row[f.severity] += 1
    return tuple((code, rule, row) for (code, rule), row in sorted(counts.items()))


def claim_tally(result: CheckResult) -> str:
    """ "55 claims, 120 entities checked: 30 supported, 1 mismatch, ..." or "" without claims."""
    if not result.claims and not result.claim_verdicts:
        return ""
    verdicts: dict[str, int] = {}
    for cv in result.claim_verdicts:
        verdicts[cv.verdict] = verdicts.get(cv.verdict, 0) + 1
    noun = "claim" if len(result.claims) == 1 else "claims"
    parts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items()))
    return f"{len(result.claims)} {noun}, {len(result.claim_verdicts)} entity verdicts" + (
        f": {parts}" if parts else ""
    )


def reference_label(number: int | None, key: str) -> str:
    """Label a group: "[32] wen2021bone", "[40]", "wen2021bone", or "General" for neither."""
    parts = [f"[{number}]"] if number is not None else []
    if key:
        parts.append(key)
    return " ".join(parts) or GENERAL


def claim_views(result: CheckResult) -> tuple[ClaimView, ...]:
    """Join claims, their per-entity verdicts and claim findings into one row per claim.

    Claims keep their order; verdicts or findings naming a claim id the result does not carry
    still get a row (appended) so nothing concluded is silently dropped.
    """
    if not result.claims and not result.claim_verdicts:
        return ()
    claims = {c.id: c for c in result.claims}
    # Group once (dicts keep order): a document has thousands of claims.
    verdicts_by: dict[str, list] = {}
    for cv in result.claim_verdicts:
        verdicts_by.setdefault(cv.claim_id, []).append(cv)
    support_by: dict[str, list] = {}
    for sv in result.support_verdicts:
        support_by.setdefault(sv.claim_id, []).append(sv)
    findings_by: dict[str, list] = {}
    for f in result.findings:
        if f.claim_id:
            findings_by.setdefault(f.claim_id, []).append(f)
    ids = list(dict.fromkeys([*claims, *verdicts_by, *findings_by]))

    views = []
    for claim_id in ids:
        claim = claims.get(claim_id)
        verdicts = verdicts_by.get(claim_id, [])
        entities = list(claim.entities) if claim else []
        for cv in verdicts:
            if cv.entity not in entities:
                entities.append(cv.entity)
        views.append(
            ClaimView(
                claim_id=claim_id,
                claim=claim,
                entities=tuple(
                    EntityView(e, tuple(cv for cv in verdicts if cv.entity == e)) for e in entities
                ),
                findings=tuple(findings_by.get(claim_id, ())),
                support=tuple(support_by.get(claim_id, ())),
            )
        )
    return tuple(views)


def summary_line(result: CheckResult) -> str:
    """One line for people: "3 findings: 1 error, 1 warning, 1 info" or "No findings"."""
    s = result.summary
    if not s["total"]:
        return "No findings."
    noun = "finding" if s["total"] == 1 else "findings"
    return (
        f"{s['total']} {noun}: {s['error']} error(s), {s['warning']} warning(s), {s['info']} info"
    )


def detail_lines(finding: Finding, shown: str = "") -> tuple[tuple[str, str], ...]:
    """The optional (label, text) pairs a finding carries: expected, found, suggestion.

    A value that only repeats `shown` (the reference entry already printed above it) is
    left out.
    """
    pairs = (
        ("expected", finding.expected),
        ("found", finding.found),
        ("suggestion", finding.suggestion),
    )
    seen = " ".join(shown.split())
    return tuple(
        (label, text)
        for label, text in pairs
        if text and not (seen and len(text) > 20 and seen.startswith(" ".join(text.split())))
    )


def described_rules(result: CheckResult) -> tuple[RuleInfo, ...]:
    """result.rules plus a stand-in for any rule a finding names but the result omits.

    Formats that index findings by rule (SARIF ruleIndex, JUnit suites) need every rule
    described; a stray is shown under area "unknown" rather than dropped.
    """
    rules = list(result.rules)
    known = {r.code for r in rules}
    for f in result.findings:
        if f.code not in known:
            known.add(f.code)
            rules.append(RuleInfo(f.code, f.rule, f.severity, f.rule, "unknown"))
    return tuple(rules)


def support_summary(v: SupportVerdict) -> str:
    """ "[36] supported (0.72), abstract:recorded" -- the head of a support verdict line."""
    confidence = f" ({v.confidence:.2f})" if v.confidence else ""
    source = f", {v.source}" if v.source else ""
    return f"[{v.reference}] {v.verdict}{confidence}{source}"


def highlighted(sentence: str, names: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """The sentence cut into (text, is a matched entity) pieces, for highlighting."""
    if not names:
        return ((sentence, False),) if sentence else ()
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    pieces, at = [], 0
    for m in pattern.finditer(sentence):
        if m.start() > at:
            pieces.append((sentence[at : m.start()], False))
        pieces.append((m.group(0), True))
        at = m.end()
    if at < len(sentence):
        pieces.append((sentence[at:], False))
    return tuple(pieces)
