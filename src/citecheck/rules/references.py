"""Rules about the reference list itself: unreadable, duplicated and incomplete entries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.model import Problem, Project, Reference, Severity, Verdict
from citecheck.rules.base import rule

# Two entries with titles this similar (rapidfuzz ratio, 0-100), same year and first author
# are the same work listed twice. 92 tolerates punctuation and a typo, not a different paper.
DUPLICATE_TITLE_SIMILARITY = 92


@rule("CC104", "duplicate-reference", Severity.WARNING)
def duplicate_reference(project: Project) -> Iterator[Problem]:
    """Two entries of the reference list are the same work, or share a number."""
    refs = project.references
    by_number: dict[int, Reference] = {}
    for ref in refs:
        if ref.number is None:
            continue
        if ref.number in by_number:
            yield Problem(
                f"two entries are numbered {ref.number}",
                ref.location,
                expected=f"one entry numbered {ref.number}",
                found=f"entries at lines {by_number[ref.number].location.line} and {ref.location.line}",
                suggestion="renumber the reference list",
                reference=ref.number,
                bib_key=ref.key,
            )
        else:
            by_number[ref.number] = ref
    yield from _same_work_twice(refs)


def _same_work_twice(refs: tuple[Reference, ...]) -> Iterator[Problem]:
    """Same DOI, or near-identical title with the same year and first author (bucketed: O(n))."""
    from rapidfuzz import fuzz

    first_by_doi: dict[str, Reference] = {}
    buckets: dict[tuple, list[tuple[str, Reference]]] = {}
    for ref in refs:
        earlier, why = None, ""
        doi = ref.doi.lower()
        if doi and doi in first_by_doi:
            earlier, why = first_by_doi[doi], f"the same DOI {ref.doi}"
        title = _norm_title(ref.title)
        bucket = buckets.setdefault((ref.year, _first_family(ref)), [])
        if earlier is None and len(title) > 15:
            for other_title, other in bucket:
                if fuzz.ratio(title, other_title) >= DUPLICATE_TITLE_SIMILARITY:
                    earlier, why = other, "the same title, year and first author"
                    break
        if doi:
            first_by_doi.setdefault(doi, ref)
        bucket.append((title, ref))
        if earlier is not None:
            yield Problem(
                f"entry {_label(ref)} repeats entry {_label(earlier)} ({why})",
                ref.location,
                expected=f"cite entry {_label(earlier)} again",
                found=_label(ref),
                suggestion=f"remove entry {_label(ref)} and cite {_label(earlier)} instead",
                reference=ref.number,
                bib_key=ref.key,
            )


# What each kind of entry needs (GB/T 7714 / Vancouver). Pages may be an article number.
_REQUIRED = {
    "article": ("authors", "title", "container", "year", "volume", "pages"),
    "book": ("authors", "title", "publisher", "year"),
    "inproceedings": ("authors", "title", "container", "year"),
    "phdthesis": ("authors", "title", "publisher", "year"),
}
_FIELD_NAMES = {
    "authors": "authors",
    "title": "title",
    "container": "journal",
    "year": "year",
    "volume": "volume",
    "pages": "pages or article number",
    "publisher": "publisher",
}


@rule("CC105", "incomplete-reference", Severity.WARNING)
def incomplete_reference(project: Project) -> Iterator[Problem]:
    """An entry lacks a field its type needs (a journal article without journal, year, volume...)."""
    for ref in project.references:
        missing = [_FIELD_NAMES[f] for f in _required(ref) if not _has(ref, f)]
        if not missing:
            continue
        kind = "journal article" if ref.kind == "article" else ref.kind
        hint = ""
        if "journal" in missing and (ref.url or ref.doi):
            hint = " (only a DOI link is given)" if ref.doi else " (only a URL is given)"
        known = _record_values(project, ref)
        if known:
            suggestion = f"the matched record gives {known}; `citecheck bib --fix` adds them"
        else:
            suggestion = "complete the entry from the publisher's record" + (
                f" (DOI {ref.doi})" if ref.doi else ""
            )
        yield Problem(
            f"{kind} {_label(ref)} lacks {', '.join(missing)}{hint}",
            ref.location,
            expected=known or ", ".join(missing),
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


def _required(ref: Reference) -> tuple[str, ...]:
    """Fields the entry needs. A journal article cited by a bare DOI link still needs its
    journal; a web document or report (a URL and no journal) needs a title and a year."""
    if ref.url and not ref.container and not ref.doi and ref.kind != "article":
        return ("title", "year")
    return _REQUIRED.get(ref.kind, ("authors", "title"))


def _has(ref: Reference, field: str) -> bool:
    if field == "pages":
        return bool(ref.pages or ref.article_number)
    if field == "year":
        return ref.year is not None
    return bool(getattr(ref, field))


def _first_family(ref: Reference) -> str:
    return ref.authors[0].family.casefold() if ref.authors else ""


def _norm_title(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.casefold()).strip()


def _label(ref: Reference) -> str:
    return f"[{ref.number}]" if ref.number is not None else ref.key


RULES = (duplicate_reference, incomplete_reference, unparsed_reference)
