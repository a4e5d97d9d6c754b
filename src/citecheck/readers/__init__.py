"""Choose a manuscript reader by extension (and for Markdown, by content): same Manuscript out."""

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
    ".pdf": "citecheck.readers.pdf:read_pdf_file",
    ".html": "citecheck.readers.html:read_html_file",
    ".htm": "citecheck.readers.html:read_html_file",
}
# Pandoc-family sources are always read by the Pandoc reader; other Markdown and text files
# are when their content says so (see _is_pandoc).
PANDOC_READER = "citecheck.readers.pandoc:read_pandoc_file"
PANDOC_EXTENSIONS = (".rmd", ".qmd", ".rmarkdown")
DEFAULT_READER = "citecheck.readers.text:read_text_file"
_SNIFF_CHARS = 200_000
# A bracketed Pandoc citation "[@key" / "[see @key" / "[-@key" (not an e-mail, not "\@ref").
_BRACKETED = re.compile(r"\[(?:[^\[\]@\n]*[\s;])?-?@\{?\w[^\[\]\n]*\](?![(:])")
_IN_TEXT = re.compile(r"(?<![\w@.\\/`'’-])@\{?[A-Za-z_]")
_NUMBERED_CALLOUT = re.compile(r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]")
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?![ \t]*\n)(.*?)\n(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE
)
# Where Pandoc is told to print the bibliography: <div id="refs"></div> or ::: {#refs}.
_REFS_DIV = re.compile(r"<div\s+id=[\"']refs[\"']|^:::+\s*\{#refs[\s}]", re.MULTILINE)
# Files beside a section of a Manubot, Quarto or bookdown project.
_PROJECT_FILES = (
    "citation-tags.tsv",
    "manual-references.json",
    "citations.tsv",
    "_quarto.yml",
    "_bookdown.yml",
)
_REFERENCES_HEADING = re.compile(
    r"^(?:#+\s*|\*\*)?(?:references|bibliography|literature cited|参考文献)\b",
    re.IGNORECASE | re.MULTILINE,
)

Reader = Callable[[str, str | None], Manuscript]


def reader_for(path: str, refs_path: str | None = None) -> Reader:
    """The reader function for this file: by extension, and for Markdown/text by content."""
    suffix = Path(path).suffix.lower()
    if suffix in PANDOC_EXTENSIONS:
        target = PANDOC_READER
    else:
        target = READERS.get(suffix, DEFAULT_READER)
        if target == DEFAULT_READER and _is_pandoc(path, refs_path):
            target = PANDOC_READER
    if _latex_project(path):
        target = READERS[".tex"]  # a LaTeX project folder: the reader finds its main file
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    return getattr(module, function_name)


def read_manuscript(path: str, refs_path: str | None = None) -> Manuscript:
    """Read any supported manuscript; InputError/ReaderError for bad input."""
    from citecheck.files import check_input_file

    # Only regular files within the size limit: a FIFO would block, a device never end.
    if not _latex_project(path):  # a project folder's files are checked as they are read
        check_input_file(path)
    if refs_path:
        check_input_file(refs_path)
    return reader_for(path, refs_path)(path, refs_path)


def _latex_project(path: str) -> bool:
    """A folder holding .tex files is one LaTeX manuscript."""
    return Path(path).is_dir() and any(Path(path).glob("*.tex"))


def _is_pandoc(path: str, refs_path: str | None) -> bool:
    """Markdown or text written for Pandoc: it has bracketed citations ([@key]), names a
    bibliography in its front matter, or is front-matter Markdown or a file of a Manubot or
    Quarto project without a printed reference list (a section of a larger manuscript). A
    typed numbered list stays with the text reader."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(_SNIFF_CHARS)
    except OSError:
        return False  # the reader reports the unreadable file
    front = _FRONT_MATTER.match(head)
    if front and re.search(r"^(?:bibliography|references)\s*:", front.group(1), re.MULTILINE):
        return True
    if _REFS_DIV.search(head):
        # Filled with csl-entry items, it is Pandoc's output (a printed list), not a source.
        return "csl-entry" not in head
    if _BRACKETED.search(head):
        # A typed numbered manuscript mentioning a handle ("[@SchlossLab]") once or twice is
        # still a typed numbered manuscript.
        typed = _REFERENCES_HEADING.search(head) and len(_NUMBERED_CALLOUT.findall(head)) >= 3
        return not typed or len(_BRACKETED.findall(head)) >= 3
    if refs_path is not None and _IN_TEXT.search(head) and not _NUMBERED_CALLOUT.search(head):
        return True  # narrative @key citations against a bibliography
    if any((Path(path).parent / name).is_file() for name in _PROJECT_FILES):
        return not _REFERENCES_HEADING.search(head)  # a section of a Manubot/Quarto project
    return bool(front) and not _REFERENCES_HEADING.search(head)
