"""Assemble a Project from the inputs and run the rules: the library's `check` entry point."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from citecheck import __version__
from citecheck.claims.claimsfile import ClaimRecord
from citecheck.config import Config
from citecheck.model import CheckResult, ClaimVerdict, Finding, Manuscript, Project, Resolution
from citecheck.rules import RULES, run


def build_project(
    manuscript: Manuscript,
    claims: Sequence[ClaimRecord] = (),
    resolutions: Mapping[int, Resolution] | None = None,
    evidence: Mapping[int, tuple[tuple[str, str], ...]] | None = None,
) -> Project:
    """The single record every rule reads, carrying the claim verdicts of this check."""
    from citecheck.claims.claimsfile import person_paraphrased
    from citecheck.rules.claims import with_verdicts

    project = Project(
        manuscript=manuscript,
        claims=tuple(r.claim for r in claims),
        resolutions=dict(resolutions or {}),
        evidence=dict(evidence or {}),
    )
    return with_verdicts(project, person_paraphrased(claims))


def check(
    project: Project,
    config: Config,
    inputs: Mapping[str, str],
    claims: Sequence[ClaimRecord] = (),
    claim_verdicts: Sequence[ClaimVerdict] = (),
) -> CheckResult:
    """Run every enabled rule, drop suppressed findings, and package the result."""
    findings = run(project, RULES, severities=config.severity, disabled=config.disable)
    ignored = {r.number: r.ignore for r in project.references if r.ignore and r.number is not None}
    ignored.update({r.key: r.ignore for r in project.references if r.ignore})
    findings = tuple(f for f in findings if not suppressed(f, config, claims, ignored))
    return CheckResult(
        tool_version=__version__,
        inputs=dict(inputs),
        findings=findings,
        rules=tuple(r.info for r in RULES),
        claims=project.claims,
        claim_verdicts=tuple(claim_verdicts or project.claim_verdicts or ()),
        support_verdicts=project.support_verdicts or (),
        references=project.references,
    )


def suppressed(
    finding: Finding,
    config: Config,
    claims: Sequence[ClaimRecord],
    ignored: Mapping[object, tuple[str, ...]] | None = None,
) -> bool:
    """Suppressed by reference ([tool.citecheck.suppress], or `citecheck-ignore` in the .bib
    entry) or by claim (`ignore:` in claims.yaml)."""
    names = {finding.rule, finding.code, "all"}
    for key in (str(finding.reference) if finding.reference is not None else None, finding.bib_key):
        if key and names & set(config.suppress.get(key, ())):
            return True
    for key in (finding.reference, finding.bib_key):
        if key and names & set((ignored or {}).get(key, ())):
            return True
    if finding.claim_id:
        for record in claims:
            if record.claim.id == finding.claim_id and names & set(record.ignore):
                return True
    return False
