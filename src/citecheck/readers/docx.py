"""Read a Word (.docx) manuscript: paragraphs, superscript citation runs, and the reference list at the end.

Locations use the paragraph number (1-based, tables' cell paragraphs counted in document
order) as the line. A superscript run of reference numbers ("¹⁻³" typed as superscript
"1-3") is rewritten as "[1-3]" before scanning, so it is read like any bracketed callout;
columns therefore count that added bracket.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from citecheck.callouts import scan_callouts
from citecheck.model import Location, Manuscript
from citecheck.readers.errors import ReaderError
from citecheck.readers.text import find_reference_heading, parse_entries, split_entries

# A superscript run that is a citation: "1", "1,3", "1-3", "[2]", "(4–6)".
_SUPERSCRIPT_CITATION = re.compile(r"^\s*[\[(]?\s*\d{1,4}(?:\s*[-–—,，]\s*\d{1,4})*\s*[\])]?\s*$")
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)]?\s)")


def read_docx(path: str | Path, refs_path: str | Path | None = None) -> Manuscript:
    """A Manuscript from a .docx file; an unreadable file is a ReaderError.

    With `refs_path` (a .bib such as refs/references.bib, or CSL-JSON) the references come
    from that file instead of the document's own list.
    """
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReaderError(str(path), None, f"not a readable .docx file ({error})") from None
    paragraphs = list(_paragraphs(document))
    texts = [_paragraph_text(p) for p, _ in paragraphs]
    heading = find_reference_heading(texts)
    end = heading if heading is not None else len(texts)
    callouts = []
    for index in range(end):
        found = scan_callouts(texts[index], str(path), line_offset=index)
        row = paragraphs[index][1]
        if row is not None:
            # The cell's row is its context ("apoptosis | BMSC | [23][26]"), as a table line
            # is in text and a <tr> in JATS; and a table is not running text.
            context = " ".join("\t".join(texts[i] for i in row).split())
            found = [replace(c, in_running_text=False, sentence=context) for c in found]
        callouts.extend(found)
    references, unparsed = (), ()
    if refs_path is not None:
        from citecheck.readers.pandoc import read_bibliography

        references, unparsed = read_bibliography(Path(refs_path))
    elif heading is not None:
        lines = _numbered_list(paragraphs[heading + 1 :], texts[heading + 1 :])
        entries = split_entries(lines, str(path), first_line=heading + 2)
        references, unparsed = parse_entries(entries)
    return Manuscript(
        path=str(path),
        references=references,
        callouts=tuple(callouts),
        unparsed=unparsed,
        numbered=any(ref.number is not None for ref in references) or not references,
        reference_list_location=Location(str(path), heading + 1) if heading is not None else None,
    )


def _paragraphs(document: docx.document.Document) -> list[tuple[Paragraph, range | None]]:
    """Body paragraphs in order, with table-cell paragraphs.

    Each comes with None for running text, or for a cell paragraph the indices of all
    paragraphs of its table row.
    """
    found: list[tuple[Paragraph, range | None]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # A merged cell is listed once per grid cell it spans: read it once.
            seen: set = set()
            for row in block.rows:
                unique = [c for c in row.cells if not (c._tc in seen or seen.add(c._tc))]
                cells = [p for cell in unique for p in cell.paragraphs]
                indices = range(len(found), len(found) + len(cells))
                found.extend((p, indices) for p in cells)
        else:
            found.append((block, None))
    return found


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text with superscript citation runs written as "[n]"."""
    parts = []
    for run in paragraph.runs:
        text = run.text
        if run.font.superscript and _SUPERSCRIPT_CITATION.match(text):
            text = "[" + text.strip().strip("[]()") + "]"
        parts.append(text)
    return "".join(parts).replace("\n", " ")


def _numbered_list(paragraphs: list[tuple[Paragraph, bool]], texts: list[str]) -> list[str]:
    """Reference-list lines; Word's automatic numbering (no number in the text) is written out."""
    lines = []
    number = 0
    for (paragraph, _), text in zip(paragraphs, texts, strict=True):
        if _auto_numbered(paragraph) and text.strip() and not _NUMBERED.match(text):
            number += 1
            text = f"{number}. {text}"
        lines.append(text)
    return lines


def _auto_numbered(paragraph: Paragraph) -> bool:
    """Numbered by Word itself: numbering set on the paragraph or on its style ("List Number")."""
    for element in (paragraph._p, paragraph.style.element if paragraph.style is not None else None):
        ppr = element.pPr if element is not None else None
        if ppr is not None and ppr.numPr is not None:
            return True
    return False
