"""Rules about the reference list itself: unreadable, duplicated and incomplete entries."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Problem, Project, Reference, Severity, Verdict
from citecheck.references.completeness import gap
from citecheck.references.duplicates import repeats
from citecheck.rules.base import rule


@rule("CC104", "duplicate-reference", Severity.WARNING)
def duplicate_reference(project: Project) -> Iterator[Problem]:
    """Two entries of the reference list are the same work, or share a number."""
    refs = _listed(project)
    by_number: dict[int, Reference] = {}
    for ref in refs:
        if ref.number is None:
            continue
        if ref.number in by_number:
            yield Problem(
                f"two entries are numbered {ref.number}",
                ref.location,
                expected=f"one entry numbered {ref.number}",
                found=f"entries at lines {by_number[ref.number].location.line} and "
                f"{ref.location.line}",
                suggestion="renumber the reference list",
                reference=ref.number,
                bib_key=ref.key,
            )
        else:
            by_number[ref.number] = ref
    for ref, first, why in repeats(refs):
        yield Problem(
            f"entry {_label(ref)} repeats entry {_label(first)} ({why})",
            ref.location,
            expected=f"cite entry {_label(first)} again",
            found=_label(ref),
            suggestion=f"remove entry {_label(ref)} and cite {_label(first)} instead, "
            "or correct the copied details",
            reference=ref.number,
            bib_key=ref.key,
        )


def _listed(project: Project) -> tuple[Reference, ...]:
    """The entries a reader sees: for a bibliography database, only the cited ones (BibTeX and
    Pandoc print nothing else: two keys for one work, or a key with no year, matter only when
    cited)."""
    refs = project.references
    if not project.manuscript.bibliography_is_database or not project.callouts:
        return refs
    numbers = {n for c in project.callouts for n in c.numbers}
    keys = {k for c in project.callouts for k in c.keys}
    nocite = set(getattr(project.manuscript, "nocite", ()))  # \nocite{key}: printed too
    return tuple(r for r in refs if r.key in keys or r.key in nocite or r.number in numbers)


@rule("CC105", "incomplete-reference", Severity.WARNING)
def incomplete_reference(project: Project) -> Iterator[Problem]:
    """An entry lacks a field its type needs (a journal article without journal, year, volume...).

    The type of work decides what is needed (worktype.py, completeness.py); when unsure,
    nothing is said.
    """
    declared = project.manuscript.bibliography_is_database
    for entry in _listed(project):  # an uncited database entry is never printed
        found = gap(entry, declared)
        if found is None:
            continue
        ref = found.reference
        hint = ""
        if "container" in found.fields and (ref.url or ref.doi):
            hint = " (only a DOI link is given)" if ref.doi else " (only a URL is given)"
        known = _record_values(project, ref)
        if known:
            suggestion = f"the matched record gives {known}; `citecheck bib --fix` adds them"
        else:
            suggestion = "complete the entry from the publisher's record" + (
                f" (DOI {ref.doi})" if ref.doi else ""
            )
        yield Problem(
            f"{found.kind} {_label(ref)} lacks {', '.join(found.names)}{hint}",
            ref.location,
            expected=known or ", ".join(found.names),
            found=ref.raw[:200],
            suggestion=suggestion,
            reference=ref.number,
            bib_key=ref.key,
        )


def _record_values(project: Project, ref: Reference) -> str:
    """What a matched record says about the fields the entry lacks, e.g. "journal X, year Y"."""
    resolution = project.resolutions.get(ref.number) if ref.number is not None else None
    work = resolution.work if resolution and resolution.verdict is Verdict.MATCHED else None
    if work is None:
        return ""
    values = [
        ("journal", "" if ref.container else work.short_container_title or work.container_title),
        ("year", "" if ref.year else str(work.year or "")),
        ("volume", "" if ref.volume else work.volume),
        ("issue", "" if ref.issue else work.issue),
        ("pages", "" if (ref.pages or ref.article_number) else work.page),
        ("article number", "" if (ref.pages or ref.article_number) else work.article_number),
    ]
    return ", ".join(f"{name} {value}" for name, value in values if value)


@rule("CC106", "unparsed-reference", Severity.WARNING)
def unparsed_reference(project: Project) -> Iterator[Problem]:
    """An entry or BibTeX block that could not be read at all."""
    for entry in project.manuscript.unparsed:
        yield Problem(
            f"could not read this entry: {entry.reason}",
            entry.location,
            found=entry.text[:200],
            suggestion="check the entry's punctuation and field order",
        )


def _label(ref: Reference) -> str:
    return f"[{ref.number}]" if ref.number is not None else ref.key


RULES = (duplicate_reference, incomplete_reference, unparsed_reference)
