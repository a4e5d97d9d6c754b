"""Choose a manuscript reader by file extension: one small reader per format, same Manuscript out."""

from __future__ import annotations

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
}
DEFAULT_READER = "citecheck.readers.text:read_text_file"

Reader = Callable[[str, str | None], Manuscript]


def reader_for(path: str) -> Reader:
    """The reader function for this file name (plain text for unknown extensions)."""
    target = READERS.get(Path(path).suffix.lower(), DEFAULT_READER)
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    return getattr(module, function_name)


def read_manuscript(path: str, refs_path: str | None = None) -> Manuscript:
    """Read any supported manuscript; InputError/ReaderError for bad input."""
    return reader_for(path)(path, refs_path)
