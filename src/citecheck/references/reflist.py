"""A file (or standard input) that is only a reference list: no body, maybe no heading.

Pasting a list is how many people try citecheck first. Such a list is recognised by its
content, not its name: most of its entries must parse as references (authors or a GB/T type
marker, and a year). Every entry is then checked for completeness, metadata and identity;
citation rules (uncited, missing, order...) have no text to look at and are switched off.
"""

from __future__ import annotations

import sys
from pathlib import Path

from citecheck.model import Location, Manuscript

STDIN = "-"
STDIN_NAME = "<stdin>"
_TEXT_SUFFIXES = {"", ".txt", ".text", ".md", ".markdown", ".ref", ".refs"}
# Share of entries that must read as references for the whole file to count as a list.
_LIST_SHARE = 0.8


def citation_rules() -> tuple[str, ...]:
    """The rules that need running text: every rule of the registry's `citations` area."""
    from citecheck.rules import RULES

    return tuple(r.slug for r in RULES if r.area == "citations")


def read_stdin() -> str:
    """Standard input as text, within the input size limit; InputError names `<stdin>`."""
    from citecheck.files import InputError, decode_text
    from citecheck.limits import active

    limit = active().max_input_bytes
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(STDIN_NAME, None, f"is over the {limit / 2**20:g} MB input limit")
    return decode_text(data, STDIN_NAME)


def read_input(path: str, refs: str | None = None) -> tuple[Manuscript, bool]:
    """Read MANUSCRIPT (`-`: standard input); True with it when it is only a reference list."""
    from citecheck.files import InputError, read_text_file
    from citecheck.readers import read_manuscript

    if path == STDIN:
        if refs:
            raise InputError(STDIN_NAME, None, "--refs needs the manuscript as a file")
        return read_pasted(read_stdin(), STDIN_NAME)
    if not refs and _maybe_list(path):
        listed = as_list(read_text_file(path), path)
        if listed is not None:
            return listed, True
    return read_manuscript(path, refs), False


def read_pasted(text: str, name: str) -> tuple[Manuscript, bool]:
    """Pasted text (standard input, an agent's tool call): a list when it reads as one."""
    from citecheck.readers.text import read_text

    listed = as_list(text, name)
    return (listed, True) if listed else (read_text(text, name), False)


def _maybe_list(path: str) -> bool:
    """Worth sniffing: a plain-text file (a .docx, .tex or .bib has its own reader)."""
    return Path(path).suffix.lower() in _TEXT_SUFFIXES and Path(path).is_file()


def as_list(text: str, path: str) -> Manuscript | None:
    """The manuscript of a text that is only a reference list, or None when it is not one."""
    from citecheck.readers.keyed import number_in_order
    from citecheck.readers.text import find_reference_heading, parse_entries, split_entries

    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    heading = find_reference_heading(lines)
    if heading is not None and heading != first:
        return None  # text before the heading: a manuscript, read as one
    start = first + 1 if heading == first else first
    entries = split_entries(lines[start:], path, first_line=start + 1)
    if not entries or not _mostly_references(entries):
        return None
    references, unparsed = parse_entries(entries)
    return Manuscript(
        path=path,
        references=number_in_order(references),
        unparsed=unparsed,
        numbered=True,
        reference_list_location=Location(path, start + 1),
    )


def _mostly_references(entries) -> bool:
    """At least 80 % of the entries carry a year and authors (or a GB/T type marker) or an
    identifier (DOI, PMID, arXiv: software and web entries often have no author), and the
    entries are not prose: a reference is short, a paragraph of a manuscript is not."""
    from citecheck.references.refparse import parse_reference

    sample = entries[:200]
    allowed = (1 - _LIST_SHARE) * len(sample)
    bad = 0
    for entry in sample:
        ref = parse_reference(entry.text, location=entry.location)
        named = ref.year and (ref.authors or ref.type_marker)
        if not ((named or ref.doi or ref.pmid or ref.arxiv) and len(entry.text) < 1500):
            bad += 1
            if bad > allowed:
                return False
    return True
