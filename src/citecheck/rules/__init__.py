"""The one explicit registry of rules, and the engine that runs them over a Project."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from citecheck.model import Finding, Problem, Project, Severity
from citecheck.rules import citations, claims, identity, metadata, references
from citecheck.rules.base import Rule

# Every rule citecheck knows, in report order. Codes and slugs are a public interface:
# never rename or reuse one.
RULES: tuple[Rule, ...] = (
    citations.missing_reference,
    citations.uncited_reference,
    citations.citation_order,
    references.duplicate_reference,
    references.incomplete_reference,
    references.unparsed_reference,
    citations.invalid_citation,
    citations.author_mention_mismatch,
    *metadata.RULES,
    *identity.RULES,
    *claims.RULES,
)

BY_SLUG: dict[str, Rule] = {r.slug: r for r in RULES}


def find_rule(name: str) -> Rule | None:
    """Look a rule up by slug or by code."""
    if name in BY_SLUG:
        return BY_SLUG[name]
    return next((r for r in RULES if r.code == name.upper()), None)


def run(
    project: Project,
    rules: Iterable[Rule] = RULES,
    severities: Mapping[str, Severity] | None = None,
    disabled: Iterable[str] = (),
) -> tuple[Finding, ...]:
    """Run rules and stamp each Problem with the rule's identity and configured severity."""
    severities = severities or {}
    off = set(disabled)
    findings: list[Finding] = []
    for r in rules:
        if r.slug in off or r.code in off:
            continue
        configured = severities.get(r.slug) or severities.get(r.code)
        for p in r.check(project):
            findings.append(_finding(r, p, configured))
    findings.sort(key=_order)
    return tuple(findings)


def _finding(r: Rule, p: Problem, configured: Severity | None) -> Finding:
    severity = configured or p.severity or r.severity
    return Finding(
        rule=r.slug,
        code=r.code,
        severity=severity,
        message=p.message,
        location=p.location,
        expected=p.expected,
        found=p.found,
        suggestion=p.suggestion,
        reference=p.reference,
        bib_key=p.bib_key,
        claim_id=p.claim_id,
    )


def _order(f: Finding) -> tuple:
    loc = f.location
    return (loc.path, loc.line or 0, loc.column or 0, f.code)
