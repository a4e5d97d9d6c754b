"""Read an HTML manuscript (Pandoc's or Quarto's HTML output, a page saved from a journal) as
the text reader reads plain text, with locations on the lines of the page.

What is no prose is blanked: the head, scripts and styles, code and math, footnote marks and
the footnotes section (Pandoc prints it after the bibliography). A superscript number list
("<sup>1,2</sup>") becomes Pandoc's "^1,2^", which the text reader reads as a citation. A tag
that Pandoc wrapped over lines ('<div\\nclass="csl-right-inline">') is taken off whole, so the
text around it stays on one line; a paragraph or block starts after a blank line, as in plain
text; locations are mapped back to the page's lines.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from citecheck.model import Location, Manuscript

# Whole elements that are no prose, blanked with their content (line breaks kept).
_NOT_PROSE = re.compile(
    r"<(head|script|style|code|pre|math|svg)\b[^>]*>.*?</\1\s*>"
    r"|<span\b[^>]*\bclass=\"math\b[^\"]*\"[^>]*>.*?</span>"
    r"|<a\b[^>]*\bclass=\"footnote-ref\"[^>]*>.*?</a>"
    r"|<(section|aside|div)\b[^>]*\bclass=\"footnotes\b[^\"]*\"[^>]*>.*?</\2\s*>"
    r"|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
# A number list set as a superscript: a citation in superscript styles.
_SUPERSCRIPT = re.compile(r"<sup>\s*([\d,\s\-–]{1,40}?)\s*</sup>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_HEADING = re.compile(r"<h[1-6]\b[^>]*>.*?</h[1-6]\s*>", re.DOTALL | re.IGNORECASE)
_JOINED = "\x00"  # stands for a line break taken off with a tag, while the lines are counted
_PARTED = "\x01"  # where a block begins: a blank line is put there
# (The parts of one CSL entry, its number and its text, stay together.)
_BLOCK = re.compile(
    r"<(?:p|li|dt|dd|h[1-6]|tr|blockquote|table|section|figure)\b"
    r"|<div\b(?![^>]*\bcsl-(?:left-margin|right-inline|block|indent)\b)",
    re.IGNORECASE,
)


def html_to_text(text: str) -> tuple[str, list[int]]:
    """The text of an HTML page, and for each of its lines the page's line it starts on."""
    # Blanked, not dropped: "<code>writeH5AD()</code> (91)" keeps a name's place before "(91)".
    text = _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    text = _SUPERSCRIPT.sub(r"^\1^", text)
    # A heading wrapped over lines is one line ("Reference\nCoverage Profile" is no list's).
    text = _HEADING.sub(lambda m: m.group().replace("\n", _JOINED), text)
    text = _BLOCK.sub(lambda m: _PARTED + m.group(), text)
    text = _TAG.sub(lambda m: _JOINED * m.group().count("\n"), text)
    lines: list[str] = []
    origin: list[int] = []
    joined = 0
    for index, page_line in enumerate(text.split("\n")):
        here = index + 1 + joined
        joined += page_line.count(_JOINED)
        # A paragraph, list item or block begins: a blank line parts it from what came before,
        # as in plain text (these added lines are on the same page line).
        for part_index, part in enumerate(page_line.split(_PARTED)):
            line = html.unescape(part.replace(_JOINED, " "))
            if part_index and lines and lines[-1].strip():
                lines.append("")
                origin.append(here)
            if part_index and not line.strip():
                continue
            lines.append(line if line.strip() else "")
            origin.append(here)
    return "\n".join(lines), origin


def read_html_file(path: str, refs_path: str | None = None) -> Manuscript:
    """Read an HTML file; with `refs_path`, the reference list comes from that BibTeX."""
    from citecheck.files import read_text_file as read_file
    from citecheck.readers.text import read_text, read_text_with_refs

    text, origin = html_to_text(read_file(path))
    if refs_path is None:
        manuscript = read_text(text, path)
    else:
        manuscript = read_text_with_refs(text, path, refs_path)
    return _on_page_lines(manuscript, origin)


def _on_page_lines(manuscript: Manuscript, origin: list[int]) -> Manuscript:
    def moved(location: Location) -> Location:
        line = location.line
        if line is None or not 1 <= line <= len(origin):
            return location
        return replace(location, line=origin[line - 1])

    return replace(
        manuscript,
        callouts=tuple(replace(c, location=moved(c.location)) for c in manuscript.callouts),
        references=tuple(replace(r, location=moved(r.location)) for r in manuscript.references),
        unparsed=tuple(replace(u, location=moved(u.location)) for u in manuscript.unparsed),
        reference_list_location=(
            moved(manuscript.reference_list_location)
            if manuscript.reference_list_location
            else None
        ),
    )
