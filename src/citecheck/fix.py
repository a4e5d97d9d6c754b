"""`bib --fix`: correct BibTeX fields from matched records, keeping every original value.

Only what the metadata rules would flag is changed, and only for references whose record is
their work (a doi-mismatch is left for a person: which side is wrong is unknown). A
one-year difference (online-first vs print) and author lists are reported, not rewritten.
Each changed field keeps its old value in `orig-<field>` (empty when the field was absent),
so a fix is always reviewable and reversible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser.model import Field

from citecheck.bib import read_bibtex
from citecheck.files import InputError, atomic_write, backup, read_text_file
from citecheck.model import Reference, Resolution, Severity, Verdict
from citecheck.rules.metadata import FIELD_SPECS, doi_conflict

ORIGINAL_PREFIX = "orig-"


class FixError(InputError):
    """A fix that must not be written (it would overwrite its input without --in-place)."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(path, None, message)


@dataclass(frozen=True)
class FieldChange:
    """One BibTeX field: what the entry said and what the record says."""

    field: str
    original: str
    corrected: str


@dataclass(frozen=True)
class FixedEntry:
    """The corrections for one BibTeX entry, and where they came from."""

    key: str
    number: int | None
    source: str  # "crossref-api" or "recorded"
    changes: tuple[FieldChange, ...]


def fix_references(
    refs: Iterable[Reference], resolutions: Mapping[int, Resolution]
) -> list[FixedEntry]:
    """Corrections for every reference whose matched record disagrees with it, plus DOIs,
    PMIDs and PMCIDs added where the entry has none. References without changes are left out."""
    fixed = []
    for ref in refs:
        res = resolutions.get(ref.number) if ref.number is not None else None
        if res is None or res.verdict is not Verdict.MATCHED or res.work is None:
            continue
        work = res.work
        if doi_conflict(ref, work):
            continue
        changes = []
        for spec in FIELD_SPECS:
            missing = not spec.found(ref) and bool(spec.expected(work))
            wrong = spec.differs(ref, work) and spec.severity_of(ref, work) is not Severity.INFO
            if not (missing or wrong):
                continue
            value = spec.corrected(ref, work)
            field = spec.bib_field
            if field == "pages" and (ref.article_number or (missing and not work.page)):
                field = "eid"  # an article number: keep (or put) it where article numbers go
            changes.append(FieldChange(field, spec.found(ref), value))
        if not ref.doi and work.doi:
            changes.append(FieldChange("doi", "", work.doi))
        # PubMed and PMC identifiers from the matched record (issue 10), never over one written.
        if not ref.pmid and work.pmid:
            changes.append(FieldChange("pmid", "", work.pmid))
        if not ref.pmcid and work.pmcid:
            changes.append(FieldChange("pmcid", "", work.pmcid))
        if changes:
            fixed.append(FixedEntry(ref.key, ref.number, res.source, tuple(changes)))
    return fixed


def apply_fixes(text: str, fixes: Iterable[FixedEntry]) -> str:
    """BibTeX text with the fixes applied and each original kept in `orig-<field>`.

    An `orig-` field already present (from an earlier fix) is kept: it holds the original.
    Entries, comments and unparsable blocks not being fixed are carried through.
    """
    library = bibtexparser.parse_string(text)
    by_key = {entry.key: entry for entry in library.entries}
    for fix in fixes:
        entry = by_key.get(fix.key)
        if entry is None:
            continue
        present = {f.key.lower() for f in entry.fields}
        for change in fix.changes:
            if ORIGINAL_PREFIX + change.field not in present:
                entry.set_field(Field(ORIGINAL_PREFIX + change.field, _bib_value(change, True)))
            entry.set_field(Field(change.field, _bib_value(change, False)))
    return bibtexparser.write_string(library)


def _bib_value(change: FieldChange, original: bool) -> str:
    value = change.original if original else change.corrected
    value = value.replace("{", "").replace("}", "")  # record text never needs literal braces
    return value.replace("-", "--") if change.field == "pages" else value


def write_fixed_bib(
    bib_path: str | Path,
    resolutions: Mapping[int, Resolution],
    out_path: str | Path | None = None,
    *,
    in_place: bool = False,
) -> list[FixedEntry]:
    """Write a corrected copy of the BibTeX file to out_path, atomically.

    With in_place the input itself is rewritten after copying it to <file>.bak; without it,
    writing over the input is refused. Returns the fixes that were applied.
    """
    source = Path(bib_path)
    if in_place:
        target = source
    elif out_path is None:
        raise FixError(source, "give an output file, or fix the input in place (a .bak is kept)")
    else:
        target = Path(out_path)
        if target.resolve() == source.resolve():
            raise FixError(source, "refusing to overwrite the input; use --in-place (keeps a .bak)")
    text = read_text_file(source)
    refs, _unparsed = read_bibtex(text, str(source))
    fixes = fix_references(refs, resolutions)
    fixed_text = apply_fixes(text, fixes)
    if in_place:
        backup(source)
    atomic_write(target, fixed_text)
    return fixes
