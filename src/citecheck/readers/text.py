"""Read a plain-text or Markdown manuscript: body callouts plus the reference list at its end."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from citecheck.callouts import scan_callouts
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import has_cjk
from citecheck.readers.errors import ReaderError

# The reference-list heading: alone on its line, optionally numbered, bold or Markdown-marked.
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:\d+(?:\.\d+)*\.?\s+)?"
    r"(?:references?|bibliography|literature\s+cited|works\s+cited|reference\s+list|"
    r"参考文献|參考文獻|引用文献)\s*[:：]?\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)
# An entry's number: "1 ", "1. ", "[1] ", "1) ", "- 1 ", "* 1. ", "1\t".
_ENTRY = re.compile(r"^\s*(?:[-*+]\s+)?(?:\[(\d{1,4})\]|(\d{1,4})(?:[.)]|(?=\s)))\s*(?=\S)")
# "Smith et al." as printed in an author-year cite: the mention is the name alone.
_ET_AL = re.compile(r"\s*(?:et\s+al\.?|and\s+colleagues|等人?)\s*$")
# A Markdown bullet with no number continues the previous entry (page breaks in PDF text).
_BULLET = re.compile(r"^\s*[-*+]\s+")


@dataclass(frozen=True)
class RawEntry:
    """A reference-list entry as split from the text, before parsing."""

    number: int | None
    text: str
    location: Location


def read_text(text: str, path: str, *, require_reference_list: bool = True) -> Manuscript:
    """Split the manuscript at its last reference heading; scan the body, parse the list."""
    lines = text.split("\n")
    heading = find_reference_heading(lines)
    if heading is None:
        if require_reference_list:
            raise ReaderError(
                path,
                None,
                "no reference list found (expected a heading such as "
                "'References' or '参考文献'; or pass the list with --refs)",
            )
        body, entries = text, []
    else:
        body = "\n".join(lines[:heading])
        entries = split_entries(lines[heading + 1 :], path, first_line=heading + 2)
    numbered = any(e.number is not None for e in entries) or not entries
    references, unparsed = parse_entries(entries)
    if numbered:
        callouts: tuple[Callout, ...] = tuple(scan_callouts(body, path))
    else:
        references, callouts = author_year_callouts(body, path, references)
    return Manuscript(
        path=path,
        references=references,
        callouts=callouts,
        unparsed=unparsed,
        numbered=numbered,
        reference_list_location=Location(path, heading + 1) if heading is not None else None,
    )


def author_year_callouts(
    body: str, path: str, references: tuple[Reference, ...]
) -> tuple[tuple[Reference, ...], tuple[Callout, ...]]:
    """Author-year manuscripts: "(Smith et al., 2004)" linked to list entries by name and year.

    Entries get numbers in list order (so claim and metadata checks, which are keyed by
    number, reach them); a cite that fits no entry keeps its printed text as its key, so
    missing-reference reports it.
    """
    from citecheck.authoryear import link_callout, scan_author_year
    from citecheck.readers.keyed import number_in_order

    references = number_in_order(references)
    linked = []
    for callout in scan_author_year(body, path):
        refs = link_callout(callout, references)
        keys = tuple(r.key for r in refs) or (callout.text,)
        numbers = tuple(r.number for r in refs if r.number is not None)
        mention = _ET_AL.sub("", callout.author_mention).strip()
        linked.append(replace(callout, keys=keys, numbers=numbers, author_mention=mention))
    return references, tuple(linked)


def find_reference_heading(lines: list[str]) -> int | None:
    """0-based index of the last line that is a reference-list heading, or None."""
    for index in range(len(lines) - 1, -1, -1):
        if _HEADING.match(lines[index]):
            return index
    return None


def split_entries(lines: list[str], path: str, *, first_line: int) -> list[RawEntry]:
    """Numbered entries with their continuation lines; unnumbered lists split on lines."""
    numbered = sum(1 for line in lines if _entry_number(line) is not None) >= max(
        1, sum(1 for line in lines if line.strip()) // 3
    )
    entries: list[RawEntry] = []
    parts: list[str] = []
    start = 0
    number: int | None = None

    def flush() -> None:
        joined = _join(parts)
        if joined:
            entries.append(RawEntry(number, joined, Location(path, first_line + start)))

    for index, line in enumerate(lines):
        if not line.strip():
            if not numbered:
                flush()
                parts = []
            continue
        found = _entry_number(line) if numbered else None
        if found is not None and _plausible_next(found, number, line):
            flush()
            number, start, parts = found, index, [_ENTRY.sub("", line, count=1)]
        elif numbered and not parts and not entries:
            continue  # stray text between the heading and entry 1
        elif not numbered and not parts:
            start, parts = index, [_BULLET.sub("", line, count=1)]
        else:
            parts.append(_BULLET.sub("", line, count=1))
    flush()
    return entries


def parse_entries(
    entries: list[RawEntry],
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """Parse each raw entry; an entry with no recognisable fields is kept as unparsed data."""
    from citecheck.refparse import make_key, parse_reference

    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    taken: set[str] = set()
    for entry in entries:
        ref = parse_reference(entry.text, number=entry.number, location=entry.location)
        if not (ref.title or ref.authors or ref.doi or ref.container):
            unparsed.append(
                UnparsedEntry(entry.location, entry.text, "no author, title or source found")
            )
            continue
        key = make_key(ref, taken)
        taken.add(key)
        references.append(_with_key(ref, key))
    return tuple(references), tuple(unparsed)


def _with_key(ref: Reference, key: str) -> Reference:
    return replace(ref, key=key)


def _entry_number(line: str) -> int | None:
    m = _ENTRY.match(line)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _plausible_next(found: int, previous: int | None, line: str) -> bool:
    """Does this numbered line start an entry, or continue one ("12 (3): 100-105.")?

    In sequence (a little ahead of the last number) it starts one; out of sequence only when
    marked unmistakably ("[12]", "12.", "- 12 "), so duplicated numbers are still seen.
    """
    if previous is not None and previous < found <= previous + 20:
        return True
    if previous is None and found <= 20:
        return True
    return bool(re.match(r"^\s*(?:[-*+]\s+\d|\[\d|\d+[.)]\s)", line))


def _join(parts: list[str]) -> str:
    """Join wrapped lines: no space after a hyphen break or between Han characters."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("-") and part[:1].islower() or has_cjk(text[-1]) and has_cjk(part[0]):
            text += part
        else:
            text += " " + part
    return text


def read_text_file(path: str, refs_path: str | None = None) -> Manuscript:
    """Read a text/Markdown file; with `refs_path`, the reference list comes from that BibTeX."""
    from citecheck.files import read_text_file as read_file

    text = read_file(path)
    if refs_path is None:
        return read_text(text, path)
    from citecheck.bib import read_bibtex

    references, unparsed = read_bibtex(read_file(refs_path), refs_path)
    # A list inside the manuscript is replaced by the one --refs names.
    manuscript = read_text(text, path, require_reference_list=False)
    numbered = any(r.number is not None for r in references)
    if not numbered:
        from citecheck.readers.keyed import number_in_order

        heading = find_reference_heading(text.split("\n"))
        body = "\n".join(text.split("\n")[:heading]) if heading is not None else text
        keyed_refs, callouts = author_year_callouts(body, path, references)
        if callouts:  # an author-year manuscript against a plain .bib
            manuscript = replace(manuscript, callouts=callouts)
            references = keyed_refs
        else:  # numbered callouts against a .bib without refnumber: its order is the list
            references = number_in_order(references)
            numbered = True
    return replace(manuscript, references=references, unparsed=unparsed, numbered=numbered)
