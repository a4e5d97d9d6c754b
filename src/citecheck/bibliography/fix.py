"""`bib --fix`: correct BibTeX fields from matched records, keeping every original value.

Two levels. `safe` (the CLI's default) changes only what cannot change which work is cited:
missing DOI, PMID and PMCID from the matched record, and identifiers written as links or
with a prefix (`https://doi.org/10...`, `PMID: 123`) reduced to the identifier. `all` also
corrects title, year, journal, volume, issue, pages and authors from the record, as the
metadata rules would flag them. Only references whose record is their work are touched (a
doi-mismatch is left for a person: which side is wrong is unknown); a one-year difference
(online-first vs print) is reported, not rewritten. Each changed field keeps its old value
in `orig-<field>` (empty when the field was absent), and the file is edited at the changed
fields' spans only (bibedit), so `--diff` shows exactly those lines.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from citecheck.bibliography import bibedit
from citecheck.bibliography.bib import authors_to_bibtex, read_bibtex
from citecheck.files import InputError, atomic_write, backup, read_input_bytes
from citecheck.model import Reference, Resolution, Severity, Verdict, Work
from citecheck.readers.keyed import number_in_order
from citecheck.rules.metadata import FIELD_SPECS, author_issues, doi_conflict

ORIGINAL_PREFIX = "orig-"
LEVELS = ("safe", "all")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^(?:pmid:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)


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
    refs: Iterable[Reference],
    resolutions: Mapping[int, Resolution],
    level: str = "all",
    written: Mapping[str, Mapping[str, str]] | None = None,
) -> list[FixedEntry]:
    """Corrections for every reference whose matched record disagrees with it (level `all`),
    plus DOIs, PMIDs and PMCIDs added where the entry has none and identifiers reformatted
    (`written`: key -> field -> value as written in the .bib). Unchanged references are
    left out; a reference without a matched record is never changed."""
    if level not in LEVELS:
        raise ValueError(f"unknown fix level {level!r}; choose one of: {', '.join(LEVELS)}")
    fixed = []
    for ref in refs:
        res = resolutions.get(ref.number) if ref.number is not None else None
        if res is None or res.verdict is not Verdict.MATCHED or res.work is None:
            continue
        work = res.work
        if doi_conflict(ref, work):
            continue
        changes = _record_changes(ref, work) if level == "all" else []
        changes += _identifier_changes(ref, work, (written or {}).get(ref.key, {}))
        if changes:
            fixed.append(FixedEntry(ref.key, ref.number, res.source, tuple(changes)))
    return fixed


def _record_changes(ref: Reference, work: Work) -> list[FieldChange]:
    """Fields the metadata rules would flag, corrected from the record (level `all`)."""
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
    if ref.authors and work.authors and work.authors_complete and author_issues(ref, work):
        changes.append(
            FieldChange(
                "author",
                authors_to_bibtex(ref.authors, ref.et_al),
                authors_to_bibtex(work.authors, False),
            )
        )
    return changes


def _identifier_changes(
    ref: Reference, work: Work, written: Mapping[str, str]
) -> list[FieldChange]:
    """Missing identifiers from the record, and written ones reduced to the identifier."""
    changes = []
    # PubMed and PMC identifiers from the matched record (issue 10), never over one written.
    for field, mine, theirs in (
        ("doi", ref.doi, work.doi),
        ("pmid", ref.pmid, work.pmid),
        ("pmcid", ref.pmcid, work.pmcid),
    ):
        if not mine and theirs:
            changes.append(FieldChange(field, "", theirs))
    for field, prefix in (("doi", _DOI_PREFIX), ("pmid", _PMID_PREFIX)):
        raw = written.get(field, "").strip()
        bare = prefix.sub("", raw).strip()
        if raw and bare != raw and bare:
            changes.append(FieldChange(field, raw, bare))
    pmcid = written.get("pmcid", "").strip()
    if re.fullmatch(r"(?i)pmc\s*\d+", pmcid) and pmcid != "PMC" + pmcid[3:].strip():
        changes.append(FieldChange("pmcid", pmcid, "PMC" + pmcid[3:].strip()))
    return changes


def apply_fixes(text: str, fixes: Iterable[FixedEntry]) -> str:
    """BibTeX text with the fixes applied and each original kept in `orig-<field>`.

    The text is edited at the changed fields only: comments, order, alignment and line
    endings stay. An `orig-` field already present (from an earlier fix) is kept: it holds
    the original.
    """
    spans = {e.key: e for e in bibedit.entries(text)}
    edits = []
    for fix in fixes:
        entry = spans.get(fix.key)
        if entry is None:
            continue
        for change in fix.changes:
            if entry.field(ORIGINAL_PREFIX + change.field) is None:
                edits.append(
                    bibedit.Edit(fix.key, ORIGINAL_PREFIX + change.field, _bib_value(change, True))
                )
            edits.append(bibedit.Edit(fix.key, change.field, _bib_value(change, False)))
    return bibedit.apply(text, edits)


def written_fields(text: str) -> dict[str, dict[str, str]]:
    """key -> field -> value as written (delimiters removed), for identifier formatting."""
    out: dict[str, dict[str, str]] = {}
    for entry in bibedit.entries(text):
        values = {}
        for span in entry.fields:
            value = text[span.start : span.end]
            if value[:1] in '{"' and value[-1:] in '}"':
                value = value[1:-1]
            values[span.name] = value
        out[entry.key] = values
    return out


def _bib_value(change: FieldChange, original: bool) -> str:
    value = change.original if original else change.corrected
    value = value.replace("{", "").replace("}", "")  # record text never needs literal braces
    return value.replace("-", "--") if change.field == "pages" else value


def fixed_text(
    bib_path: str | Path, resolutions: Mapping[int, Resolution], level: str = "all"
) -> tuple[str, str, str, list[FixedEntry]]:
    """(encoding, text as read, text with the fixes, fixes) for a .bib file.

    The file is decoded as UTF-8 (a BOM kept), else Windows-1252/Latin-1 as BibTeX reads
    it; line endings are left as they are. A change the file's encoding cannot hold is
    skipped rather than written wrongly.
    """
    data = read_input_bytes(bib_path)
    encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "latin-1"
            text = data.decode(encoding)
    refs, _unparsed = read_bibtex(text.replace("\r\n", "\n"), str(bib_path))
    refs = number_in_order(refs)  # a .bib without `refnumber`: its order, as resolved
    fixes = fix_references(refs, resolutions, level, written_fields(text))
    fixes = [_encodable(fix, encoding) for fix in fixes]
    fixes = [fix for fix in fixes if fix.changes]
    return encoding, text, apply_fixes(text, fixes), fixes


def _encodable(fix: FixedEntry, encoding: str) -> FixedEntry:
    def fits(change: FieldChange) -> bool:
        try:
            change.corrected.encode(encoding)
            change.original.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    return FixedEntry(fix.key, fix.number, fix.source, tuple(filter(fits, fix.changes)))


def unified_diff(path: str | Path, before: str, after: str) -> str:
    """A unified diff of the .bib (a/ and b/ the same file); empty when nothing changes."""
    name = str(path)
    old, new = (name, name) if Path(name).is_absolute() else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old, new
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_fixed_bib(
    bib_path: str | Path,
    resolutions: Mapping[int, Resolution],
    out_path: str | Path | None = None,
    *,
    in_place: bool = False,
    level: str = "all",
) -> list[FixedEntry]:
    """Write a corrected copy of the BibTeX file to out_path, atomically, in its encoding.

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
    encoding, _text, new_text, fixes = fixed_text(source, resolutions, level)
    if in_place:
        backup(source)
    atomic_write(target, new_text, encoding)
    return fixes
