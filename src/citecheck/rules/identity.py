"""Rules on each reference's identity verdict across sources (CC214-CC217, issue 10).

They read `Resolution.identity`, which only a multi-source lookup (`--sources` with more
than Crossref) or a lock that recorded one sets: a reference without it is unknown and
silent. Field differences of a verified-but-different record stay with the field rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Identity, Problem, Project, Reference, Severity, Verdict
from citecheck.rules.base import Rule, rule


def _identities(project: Project) -> Iterator[tuple[Reference, Verdict, Identity]]:
    for ref in project.references:
        res = project.resolutions.get(ref.number) if ref.number is not None else None
        if res is not None and res.identity is not None:
            yield ref, res.verdict, res.identity


def _problem(ref: Reference, message: str, **details: object) -> Problem:
    text = f"[{ref.number}] {message}" if ref.number is not None else message
    return Problem(text, ref.location, reference=ref.number, bib_key=ref.key, **details)  # type: ignore[arg-type]


def _found(ref: Reference) -> str:
    text = " ".join(ref.raw.split())
    return text if len(text) <= 90 else text[:87] + "..."


@rule("CC214", "identifier-conflict", Severity.ERROR)
def identifier_conflict(project: Project) -> Iterator[Problem]:
    """A DOI, PMID or PMCID names a different work than the entry's title and authors, or the identifiers name different works."""
    for ref, _verdict, identity in _identities(project):
        if identity.verdict == "identifier-conflict":
            yield _problem(
                ref,
                identity.reason,
                expected="identifiers of the work the title and authors describe",
                found=_found(ref),
                suggestion="check the identifier against the cited work (a swapped or mistyped "
                "identifier, or a reference that does not exist as written)",
            )


@rule("CC215", "reference-not-found", Severity.ERROR)
def reference_not_found(project: Project) -> Iterator[Problem]:
    """Every source that should know the work answered, and none has it."""
    for ref, _verdict, identity in _identities(project):
        if identity.verdict == "not-found":
            yield _problem(
                ref,
                f"no source has this work: {identity.reason}",
                expected="a record of the cited work",
                found=_found(ref),
                suggestion="check that the work exists as cited (title, authors, journal, year)",
            )


@rule("CC216", "cannot-determine", Severity.INFO)
def cannot_determine(project: Project) -> Iterator[Problem]:
    """Whether the work exists as cited cannot be said (a source failed, or none indexes it), with the reason."""
    for ref, verdict, identity in _identities(project):
        if identity.verdict == "cannot-determine" and verdict is not Verdict.LOOKUP_FAILED:
            yield _problem(
                ref, f"cannot determine whether the work exists as cited: {identity.reason}"
            )


@rule("CC217", "preprint-published", Severity.WARNING)
def preprint_published(project: Project) -> Iterator[Problem]:
    """A cited bioRxiv, medRxiv, Research Square or arXiv preprint has been published in a journal."""
    for ref, _verdict, identity in _identities(project):
        if identity.published:
            yield _problem(
                ref,
                f"the cited preprint has been published: https://doi.org/{identity.published}",
                expected=identity.published,
                found=_found(ref),
                suggestion="cite the published version (check that its findings still hold)",
            )


RULES: tuple[Rule, ...] = (
    identifier_conflict,
    reference_not_found,
    cannot_determine,
    preprint_published,
)
