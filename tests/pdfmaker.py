"""Write small real PDFs for tests: text runs placed at given positions, sizes and rises.

Standard Type 1 fonts (Helvetica) need no embedding, so a page is a few lines of PDF
operators. Good enough for pdfminer to report each character's size and position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """Text at (x, y) in points from the bottom left, with a font size and a rise.

    `more` continues the same line: (text, size, rise) pieces drawn right after it, such
    as a superscript citation and the rest of the sentence.
    """

    x: float
    y: float
    text: str
    size: float = 10.0
    rise: float = 0.0
    more: tuple[tuple[str, float, float], ...] = ()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(runs: list[Run]) -> bytes:
    ops = []
    for run in runs:
        parts = [f"BT /F1 {run.size} Tf {run.rise} Ts {run.x} {run.y} Td ({_escape(run.text)}) Tj"]
        for text, size, rise in run.more:
            parts.append(f"/F1 {size} Tf {rise} Ts ({_escape(text)}) Tj")
        ops.append(" ".join(parts) + " ET")
    return "\n".join(ops).encode("cp1252")


def write_pdf(path: Path, pages: list[list[Run]], width: float = 595, height: float = 842) -> Path:
    """A PDF with one content stream per page."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_id = 3 + 2 * len(pages)
    for i, runs in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        stream = _content(runs)
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def lines(
    x: float, top: float, texts: list[str], size: float = 10.0, leading: float = 12.0
) -> list[Run]:
    """Consecutive lines of one column."""
    return [Run(x, top - i * leading, text, size) for i, text in enumerate(texts)]
