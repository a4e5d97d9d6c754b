"""Choose a manuscript reader by file extension: one small reader per format, same Manuscript out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from citecheck.model import Manuscript

# extension -> "module:function"; each reader takes (path, refs_path or None) -> Manuscript.
# Imported lazily so `citecheck --version` stays fast.
READERS: dict[str, str] = {
    ".txt": "citecheck.readers.text:read_text_file",
    ".text": "citecheck.readers.text:read_text_file",
    ".md": "citecheck.readers.text:read_text_file",
    ".markdown": "citecheck.readers.text:read_text_file",
    ".nxml": "citecheck.readers.jats:read_jats_file",
    ".xml": "citecheck.readers.jats:read_jats_file",
    ".tex": "citecheck.readers.latex:read_latex_file",
    ".docx": "citecheck.readers.docx:read_docx",
}
# Markdown with Pandoc citations ([@key]) is read by the Pandoc reader when a bibliography is
# given (--refs .bib/.json) or named in the front matter.
PANDOC_READER = "citecheck.readers.pandoc:read_pandoc_file"
DEFAULT_READER = "citecheck.readers.text:read_text_file"

Reader = Callable[[str, str | None], Manuscript]


def reader_for(path: str, refs_path: str | None = None) -> Reader:
    """The reader function for this file name (plain text for unknown extensions)."""
    target = READERS.get(Path(path).suffix.lower(), DEFAULT_READER)
    if target == DEFAULT_READER and _is_pandoc(path, refs_path):
        target = PANDOC_READER
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    return getattr(module, function_name)


def read_manuscript(path: str, refs_path: str | None = None) -> Manuscript:
    """Read any supported manuscript; InputError/ReaderError for bad input."""
    return reader_for(path, refs_path)(path, refs_path)


def _is_pandoc(path: str, refs_path: str | None) -> bool:
    """Markdown citing [@key] against a .bib/.json, or naming its bibliography in front matter."""
    if Path(path).suffix.lower() not in (".md", ".markdown"):
        return False
    try:
        head = Path(path).read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return False  # the reader reports the unreadable file
    if "@" not in head:
        return False
    front = head.startswith("---") and "bibliography:" in head.split("\n---", 1)[0]
    return front or (
        refs_path is not None and re.search(r"\[-?@[\w:.#$%&+?<>~/-]+", head) is not None
    )
