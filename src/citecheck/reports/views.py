"""Format-neutral views of a CheckResult (findings by reference, per-claim rows) shared by writers.

Every writer shows the same grouping and the same claim view; computing them once here keeps
the seven formats consistent and each writer down to layout and escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.model import (
    CheckResult,
    Claim,
    ClaimVerdict,
    Entity,
    Finding,
    Reference,
    RuleInfo,
)

GENERAL = "General"


@dataclass(frozen=True)
class FindingGroup:
    """Findings about one reference (or none: the "General" group), in report order."""

    label: str  # "[32] wen2021bone", "[40]", "wen2021bone" or "General"
    number: int | None
    key: str
    reference: Reference | None  # the parsed entry when the result carries it
    findings: tuple[Finding, ...]


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


def detail_lines(finding: Finding) -> tuple[tuple[str, str], ...]:
    """The optional (label, text) pairs a finding carries: expected, found, suggestion."""
    pairs = (
        ("expected", finding.expected),
        ("found", finding.found),
        ("suggestion", finding.suggestion),
    )
    return tuple((label, text) for label, text in pairs if text)


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
