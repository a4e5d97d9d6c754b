"""Manubot citations: keys that are identifiers (`@doi:10.1/x`, `@pmid:1`, bare `@10.1/x`...).

An identifier key names its work, so it is linked to the bibliography entry with that
identifier (DOI case-insensitively), through Manubot's `citations.tsv` (citekey -> the short
id of its `references.json` item) when present, or becomes a Reference of kind "identifier"
that the metadata step can resolve: it is never a missing reference. Tags (`@tag:x`) are
defined by `[@tag:x]: doi:...` lines in the manuscript or by `citation-tags.tsv`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from citecheck.files import InputError, read_text_file
from citecheck.model import Location, Reference
from citecheck.readers.errors import ReaderError

PREFIXES = ("doi", "pmid", "pmcid", "arxiv", "url", "isbn", "wikidata")
_ALIASES = {"pubmed": "pmid", "pmc": "pmcid"}  # prefixes Manubot also accepts
REFERENCES_JSON = "references.json"
CITATIONS_TSV = "citations.tsv"
TAGS_TSV = "citation-tags.tsv"
MANUAL_REFERENCES = "manual-references.json"
# `[@tag:x]: doi:10.1/y` (a Markdown link definition Manubot reads as a tag).
TAG_LINE = re.compile(r"^ {0,3}\[@tag:(?P<tag>[^\]\s]+)\]:\s*(?P<target>\S+)[ \t]*$", re.MULTILINE)
_BARE_DOI = re.compile(r"10\.\d{4,9}/\S+")
_BARE_URL = re.compile(r"https?://\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    """A persistent identifier in canonical form: prefix "doi", value "10.1038/nbt.3820"."""

    prefix: str
    value: str

    def __str__(self) -> str:
        return f"{self.prefix}:{self.value}"


def identifier(key: str) -> Identifier | None:
    """The identifier a citation key names, or None for an ordinary key ("smith2020")."""
    if _BARE_DOI.fullmatch(key):
        return _canonical("doi", key)
    if _BARE_URL.fullmatch(key):
        return Identifier("url", key)
    prefix, sep, value = key.partition(":")
    prefix = _ALIASES.get(prefix.lower(), prefix.lower())
    if sep and prefix in PREFIXES and value.strip():
        return _canonical(prefix, value.strip())
    return None


def _canonical(prefix: str, value: str) -> Identifier:
    if prefix == "doi":
        value = value.lower()
    elif prefix == "pmcid":
        value = "PMC" + re.sub(r"(?i)^pmc", "", value)
    elif prefix == "arxiv":
        value = re.sub(r"v\d+$", "", value.lower())
    elif prefix == "isbn":
        value = re.sub(r"[^0-9Xx]", "", value).upper()
    elif prefix == "wikidata":
        value = value.upper()
    return Identifier(prefix, value)


def identifiers_of(ref: Reference) -> list[Identifier]:
    """Every identifier an entry carries, canonical, for linking identifier keys to it."""
    found = []
    for prefix, value in (
        ("doi", ref.doi),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("arxiv", ref.arxiv),
        ("isbn", ref.isbn),
        ("url", ref.url),
    ):
        if value.strip():
            found.append(_canonical(prefix, value.strip()))
    if ref.doi.strip():  # an entry with a DOI is also the work behind its doi.org URL
        found.append(Identifier("url", f"https://doi.org/{ref.doi.strip()}"))
    return found


def identifier_index(
    references: Iterable[Reference], noted: Mapping[str, str] | None = None
) -> dict[Identifier, str]:
    """Identifier -> key of the first entry carrying it; `noted` adds Manubot's own
    standard_id of an item (key -> "doi:10.1/x") so a URL or DOI-less item links too."""
    noted = noted or {}
    index: dict[Identifier, str] = {}
    loose: dict[Identifier, str] = {}
    refs = list(references)
    # What Manubot says an item was made from first: it beats the item's own URL field.
    named = [(identifier(noted[r.key]), r.key) for r in refs if r.key in noted]
    fields = [(ident, r.key) for r in refs for ident in identifiers_of(r)]
    for ident, key in named + fields:
        if ident is not None:
            index.setdefault(ident, key)
            loose.setdefault(_loose(ident), key)
    return {**{k: v for k, v in loose.items() if k not in index}, **index}


def _loose(ident: Identifier) -> Identifier:
    """URLs compare without scheme case or a trailing slash."""
    if ident.prefix != "url":
        return ident
    return Identifier(
        "url", re.sub(r"^https?://", "", ident.value, flags=re.IGNORECASE).rstrip("/").lower()
    )


def lookup(index: Mapping[Identifier, str], ident: Identifier) -> str | None:
    """The key of the entry carrying exactly this identifier, else one carrying it loosely
    (a URL with another scheme case or trailing slash), else None."""
    return index.get(ident) or index.get(_loose(ident))


def identifier_reference(ident: Identifier, location: Location) -> Reference:
    """A Reference made from an identifier alone (kind "identifier"): the work it names, to be
    resolved by the metadata step; it has no fields to be complete or incomplete about."""
    fields = {"pmid": "", "doi": "", "pmcid": "", "arxiv": "", "isbn": "", "url": ""}
    if ident.prefix in fields:
        fields[ident.prefix] = ident.value
    return Reference(key=str(ident), raw=str(ident), location=location, kind="identifier", **fields)


def citekey_map(folder: Path) -> dict[str, str]:
    """Manubot's `citations.tsv` beside the manuscript: citekey as written -> short id of its
    references.json item ({} when absent). Both column schemas Manubot has used are read."""
    file = folder / CITATIONS_TSV
    if not file.is_file():
        return {}
    mapping: dict[str, str] = {}
    for row in _tsv_rows(file):
        short = row.get("short_id") or row.get("short_citekey") or ""
        for column in ("input_id", "manuscript_citekey", "dealiased_id", "detagged_citekey"):
            if row.get(column) and short:
                mapping.setdefault(row[column], short)
        for column in ("standard_id", "standard_citekey"):
            if row.get(column) and short:
                mapping.setdefault(row[column], short)
    return mapping


def tags(text: str, folder: Path) -> dict[str, str]:
    """Tag -> the citation it stands for, from `[@tag:x]: doi:...` lines and citation-tags.tsv
    (beside the manuscript or in its content/ folder)."""
    found = {m.group("tag"): m.group("target").lstrip("@") for m in TAG_LINE.finditer(text)}
    for file in (folder / TAGS_TSV, folder / "content" / TAGS_TSV):
        if file.is_file():
            for row in _tsv_rows(file):
                if row.get("tag") and row.get("citation"):
                    found.setdefault(row["tag"].strip(), row["citation"].strip().lstrip("@"))
    return found


def _tsv_rows(file: Path) -> list[dict[str, str]]:
    try:
        text = read_text_file(file)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if isinstance(k, str)}
            for row in reader
        ]
    except csv.Error as error:
        raise ReaderError(str(file), reader.line_num, f"not a readable TSV file: {error}") from None
