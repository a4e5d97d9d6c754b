"""Render a plain-text numbered manuscript as DOCX, LaTeX and JATS, for the cross-format tests.

Each renderer starts from what `readers.text.read_text` saw: every body line becomes one
paragraph (page breaks of the PDF extraction stay where they were), lines with tabs become
table rows, each callout is rewritten in the format's own citation markup at the column the
text reader reported, and the parsed reference list is written after a References heading.
Output is deterministic, so a difference in findings is a difference in reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from citecheck.bibliography.bib import references_to_bibtex
from citecheck.model import Callout, Manuscript
from citecheck.readers.text import find_reference_heading, read_text

# "*Exp Gerontol*" in the seed's list: the journal in italics, as Markdown writes it.
_ITALIC = re.compile(r"\*([^*\n]+)\*")
# "^{1,2}": an affiliation marker written as a superscript (not a citation).
_SUPERSCRIPT = re.compile(r"\^\{([^{}]*)\}")
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Block:
    """One non-empty body line of the text, with the callouts the text reader found on it."""

    line: int  # 1-based line in the text
    text: str
    callouts: tuple[Callout, ...]

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.text

    def pieces(self) -> list[str | Callout]:
        """The line cut into plain text and callouts, in order.

        Raises ValueError when a callout's column does not hold its text: the renderings
        would silently drop or move a citation otherwise.
        """
        found: list[str | Callout] = []
        at = 0
        for callout in sorted(self.callouts, key=lambda c: c.location.column or 0):
            start = (callout.location.column or 1) - 1
            if self.text[start : start + len(callout.text)] != callout.text:
                raise ValueError(f"line {self.line}: {callout.text!r} is not at column {start + 1}")
            found.append(self.text[at:start])
            found.append(callout)
            at = start + len(callout.text)
        found.append(self.text[at:])
        return [p for p in found if p != ""]

    def cells(self) -> list[list[str | Callout]]:
        """A table row's pieces split at its tabs, one list per cell."""
        cells: list[list[str | Callout]] = [[]]
        for piece in self.pieces():
            if isinstance(piece, Callout):
                cells[-1].append(piece)
                continue
            first, *rest = piece.split("\t")
            cells[-1].append(first)
            cells.extend([part] for part in rest)
        return cells


@dataclass(frozen=True)
class Source:
    """The text manuscript as read, cut into body blocks, with each entry's BibTeX key."""

    text: str
    manuscript: Manuscript
    blocks: tuple[Block, ...]
    bibtex: str

    def key(self, number: int) -> str:
        """The BibTeX key of entry `number`; a number the list lacks gets an undefined key."""
        return self.keys.get(number, f"ref{number}")

    @property
    def keys(self) -> dict[int, str]:
        return {r.number: r.key for r in self.manuscript.references if r.number is not None}

    def number_of(self, key: str) -> int | None:
        """Back from a key or JATS rid (refN) to the entry number it stands for."""
        for number, known in self.keys.items():
            if known == key:
                return number
        m = re.fullmatch(r"ref(\d+)", key)
        return int(m.group(1)) if m else None

    def groups(self) -> list[list[Block]]:
        """Paragraph blocks alone; consecutive table rows together, as one table."""
        grouped: list[list[Block]] = []
        for block in self.blocks:
            if block.is_table_row and grouped and grouped[-1][-1].is_table_row:
                grouped[-1].append(block)
            else:
                grouped.append([block])
        return grouped


def load_source(text: str, path: str) -> Source:
    """Read `text` with the text reader and cut its body (before the list) into blocks."""
    manuscript = read_text(text, path)
    lines = text.split("\n")
    heading = find_reference_heading(lines)
    body = lines if heading is None else lines[:heading]
    by_line: dict[int, list[Callout]] = {}
    for callout in manuscript.callouts:
        by_line.setdefault(callout.location.line or 0, []).append(callout)
    blocks = tuple(
        Block(index, line, tuple(by_line.get(index, ())))
        for index, line in enumerate(body, start=1)
        if line.strip()
    )
    return Source(text, manuscript, blocks, references_to_bibtex(manuscript.references))


def is_superscript(callout: Callout) -> bool:
    """'^[26]' is printed as a superscript; a bare '[23][26]' (Table 1) is not."""
    return callout.text.startswith("^")


def printed_numbers(callout: Callout) -> str:
    """What a superscript callout prints: '^[7-12]' -> '7-12'."""
    return callout.text.lstrip("^").strip("[]")


# ---------------------------------------------------------------------------------------------
# Word


def render_docx(source: Source, path: Path) -> Path:
    """A .docx: superscript citation runs, Table 1 as a Word table with bracketed numbers."""
    import docx

    document = docx.Document()
    for group in source.groups():
        if group[0].is_table_row:
            rows = [block.cells() for block in group]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    _docx_runs(table.cell(r, c).paragraphs[0], cell)
        else:
            _docx_runs(document.add_paragraph(), group[0].pieces())
    document.add_heading("References", level=1)
    for ref in source.manuscript.references:
        paragraph = document.add_paragraph(f"[{ref.number}] ")
        for i, part in enumerate(_ITALIC.split(ref.raw)):
            if part:
                paragraph.add_run(part).italic = i % 2 == 1
    document.save(str(path))
    return path


def _docx_runs(paragraph, pieces: list[str | Callout]) -> None:
    for piece in pieces:
        if isinstance(piece, Callout) and is_superscript(piece):
            paragraph.add_run(printed_numbers(piece)).font.superscript = True
        else:
            paragraph.add_run(piece.text if isinstance(piece, Callout) else piece)


# ---------------------------------------------------------------------------------------------
# LaTeX


def render_latex(source: Source, directory: Path) -> tuple[Path, Path]:
    """A .tex citing BibTeX keys with \\cite, and its .bib; returns (tex, bib)."""
    bib = directory / "seed.bib"
    bib.write_text(source.bibtex, encoding="utf-8")
    out = ["\\documentclass{ctexart}", "\\begin{document}", ""]
    for group in source.groups():
        if group[0].is_table_row:
            width = max(len(block.cells()) for block in group)
            out.append("\\begin{tabular}{" + "l" * width + "}")
            for block in group:
                row = " & ".join(_latex(source, cell) for cell in block.cells())
                out.append(row + " \\\\")
            out.append("\\end{tabular}")
        else:
            out.append(_latex(source, group[0].pieces()))
        out.append("")
    out += ["\\bibliographystyle{unsrt}", f"\\bibliography{{{bib.stem}}}", "\\end{document}", ""]
    tex = directory / "seed.tex"
    tex.write_text("\n".join(out), encoding="utf-8")
    return tex, bib


def _latex(source: Source, pieces: list[str | Callout]) -> str:
    parts = []
    for piece in pieces:
        if isinstance(piece, Callout):
            parts.append("\\cite{" + ",".join(source.key(n) for n in piece.numbers) + "}")
        else:
            parts.append(latex_escape(piece))
    return "".join(parts)


def latex_escape(text: str) -> str:
    """Plain text as LaTeX source; '^{1,2}' affiliation markers become \\textsuperscript."""
    out = []
    at = 0
    for m in _SUPERSCRIPT.finditer(text):
        out.append(_escape_chars(text[at : m.start()]))
        out.append("\\textsuperscript{" + _escape_chars(m.group(1)) + "}")
        at = m.end()
    out.append(_escape_chars(text[at:]))
    return "".join(out)


def _escape_chars(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


# ---------------------------------------------------------------------------------------------
# JATS


def render_jats(source: Source, path: Path) -> Path:
    """A JATS article: one <xref ref-type="bibr"> per printed number, rid refN, and a
    <ref-list> of printed <mixed-citation>s; numbers the list lacks keep a dangling rid."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="review-article">',
        "<body>",
    ]
    for group in source.groups():
        if group[0].is_table_row:
            out.append("<table-wrap><table>")
            for block in group:
                cells = "".join(f"<td>{_jats(cell)}</td>" for cell in block.cells())
                out.append(f"<tr>{cells}</tr>")
            out.append("</table></table-wrap>")
        else:
            out.append(f"<p>{_jats(group[0].pieces())}</p>")
    out += ["</body>", "<back>", "<ref-list>", "<title>References</title>"]
    for ref in source.manuscript.references:
        citation = "".join(
            f"<italic>{escape(part)}</italic>" if i % 2 else escape(part)
            for i, part in enumerate(_ITALIC.split(ref.raw))
        )
        out.append(
            f'<ref id="ref{ref.number}"><label>{ref.number}</label>'
            f'<mixed-citation publication-type="journal">{citation}</mixed-citation></ref>'
        )
    out += ["</ref-list>", "</back>", "</article>", ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _jats(pieces: list[str | Callout]) -> str:
    parts = []
    for piece in pieces:
        if not isinstance(piece, Callout):
            parts.append(escape(piece))
            continue
        printed = piece.text.lstrip("^")
        marked = re.sub(
            r"\d+",
            lambda m: (
                f'<xref ref-type="bibr" rid={quoteattr("ref" + m.group())}>{m.group()}</xref>'
            ),
            escape(printed),
        )
        parts.append(f"<sup>{marked}</sup>" if is_superscript(piece) else marked)
    return "".join(parts)


def main(argv: list[str]) -> int:
    """`python tests/render_formats.py OUTDIR [MANUSCRIPT.txt]`: write the renderings to look at
    or to check with the CLI (the manuscript defaults to ../shared/seed/manuscript.txt)."""
    if not argv or len(argv) > 2:
        print(main.__doc__)
        return 2
    directory = Path(argv[0])
    directory.mkdir(parents=True, exist_ok=True)
    text_path = (
        Path(argv[1]) if len(argv) > 1 else Path(__file__).parents[2] / "shared/seed/manuscript.txt"
    )
    source = load_source(text_path.read_text(encoding="utf-8"), str(text_path))
    render_docx(source, directory / "seed.docx")
    render_latex(source, directory)
    render_jats(source, directory / "seed.nxml")
    for name in ("seed.docx", "seed.tex", "seed.bib", "seed.nxml"):
        print(directory / name)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
