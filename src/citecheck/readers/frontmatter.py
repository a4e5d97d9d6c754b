"""The YAML metadata of a Pandoc-family manuscript, loaded safely, and the bibliography it names.

Metadata comes from the front matter (`bibliography:`, inline `references:`) and, for a
chapter of a project, from the project's files (`_quarto.yml`, `_metadata.yml`, `index.Rmd`).
User YAML is untrusted:
aliases are refused (an alias bomb expands a few hundred bytes into gigabytes), and YAML
that does not parse is a one-line ReaderError with its line, as it is an error for Pandoc.
"""

from __future__ import annotations

import re
from pathlib import Path

from citecheck import safeload
from citecheck.files import InputError, read_text_file
from citecheck.model import Location
from citecheck.readers.errors import ReaderError

# Pandoc: a block opened by "---" on the first line (not followed by a blank line) and
# closed by "---" or "...".
_BLOCK = re.compile(
    r"\A---[ \t]*\n(?![ \t]*\n)(?P<body>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)
QUARTO_PROJECT = "_quarto.yml"
_R_QUOTED = re.compile(r"[\"']([^\"'`]+\.(?:bib|bibtex|json|ya?ml))[\"']")
_SIBLINGS = ("_metadata.yml", "index.Rmd", "index.qmd", "index.md")
_PARENTS_SEARCHED = 3


def front_matter_span(text: str) -> tuple[int, int] | None:
    """Start and end offsets of the front matter block, or None when there is none."""
    m = _BLOCK.match(text)
    return (m.start(), m.end()) if m else None


def front_matter(text: str, path: str) -> dict:
    """The front matter as a mapping ({} when absent or not a mapping)."""
    m = _BLOCK.match(text)
    if not m or not m.group("body"):
        return {}
    return load_yaml(m.group("body"), path, first_line=2)


def load_yaml(text: str, path: str, first_line: int = 1) -> dict:
    """YAML text as a mapping ({} if it is not one), loaded by citecheck's bounded loader
    (no aliases, capped depth); any problem is a ReaderError at the file's line."""
    try:
        data = safeload.load_yaml(text, path)
    except InputError as error:
        line = first_line + error.line - 1 if error.line is not None else first_line
        raise ReaderError(path, line, f"YAML metadata: {error.message}") from None
    return data if isinstance(data, dict) else {}


def bibliography_files(meta: dict, folder: Path) -> list[Path]:
    """The files `bibliography:` names (one or a list), relative to `folder`; a name without
    an extension ("bibliography: refs", as some templates write) means refs.bib."""
    named = meta.get("bibliography") or _pandoc_args_bibliography(meta.get("output"))
    if isinstance(named, str):
        named = [named]
    if not isinstance(named, list):
        return []
    names = [name.strip() for name in named if isinstance(name, str) and name.strip()]
    # Computed by R ("`r here::here('refs.bib')`"): the file names the code quotes.
    names = [n for name in names for n in (_R_QUOTED.findall(name) if "`r" in name else [name])]
    files = [folder / name for name in names]
    return [f.with_suffix(".bib") if not f.suffix and not f.exists() else f for f in files]


def _pandoc_args_bibliography(output: object) -> list[str]:
    """R Markdown's other way to name it: `output: <format>: pandoc_args: ["--bibliography",
    "refs.bib"]` (or "--bibliography=refs.bib") under any output format."""
    formats = output.values() if isinstance(output, dict) else []
    for options in formats:
        args = options.get("pandoc_args") if isinstance(options, dict) else None
        if not isinstance(args, list):
            continue
        args = [str(a) for a in args]
        for i, arg in enumerate(args):
            if arg.startswith("--bibliography="):
                return [arg.split("=", 1)[1]]
            if arg == "--bibliography" and i + 1 < len(args):
                return [args[i + 1]]
    return []


def project_bibliography(manuscript: Path) -> tuple[list[Path], Location] | None:
    """The bibliography a chapter or section file shares with its project, and where it is
    named: Quarto's `_metadata.yml` or `_quarto.yml` (this folder or a few parents), or the
    front matter of a bookdown/Quarto book's `index.Rmd`/`index.qmd` beside it."""
    folder = manuscript.resolve().parent
    candidates = [folder / name for name in _SIBLINGS if name != manuscript.name]
    candidates += [p / QUARTO_PROJECT for p in [folder, *folder.parents][: _PARENTS_SEARCHED + 1]]
    for file in candidates:
        if not file.is_file():
            continue
        try:
            text = read_text_file(file)
        except InputError as error:
            raise ReaderError(error.path, error.line, error.message) from None
        meta = (
            front_matter(text, str(file)) if file.suffix != ".yml" else load_yaml(text, str(file))
        )
        files = bibliography_files(meta, file.parent)
        if files:
            return files, metadata_location(str(file), text, "bibliography")
    return None


def metadata_location(path: str, text: str, key: str) -> Location:
    """Where `key:` is written in the front matter (line 1 when not found)."""
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return Location(path, text.count("\n", 0, m.start()) + 1 if m else 1)
