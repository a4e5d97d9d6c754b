"""A LaTeX project as one text: `\\input`/`\\include`/`\\subfile`/`\\import` followed, non-prose blanked.

LaTeX reads a project as one stream of text, so citecheck does too: included files are spliced
in where they are named (relative to the main file, or to the folder an `\\import` names), with
a depth limit and a guard against files that include themselves. Comments, `\\verb`, verbatim,
listings and minted code are blanked with spaces (newlines kept), so nothing in them is taken
for a citation. Every offset of the flat text maps back to its own file, line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.files import InputError, read_text_file
from citecheck.model import Location
from citecheck.normalize import line_starts
from citecheck.readers.errors import ReaderError

MAX_DEPTH = 16  # deeper nesting than any real project; a runaway chain stops here
MAX_FILES = 2000

# Things that are not prose, matched left to right so a `%` inside `\verb|..|` is code and a
# `\begin{verbatim}` after `%` is a comment. `\%` and `\\` are skipped as escapes.
_VERBATIM_ENVS = (
    r"verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted|comment|alltt|"
    r"spverbatim|verbatimtab|filecontents\*?|pycode|sagesilent|sageblock|tikzpicture"
)
_HIDDEN = re.compile(
    r"\\[\\%]"
    r"|(?P<comment>%[^\n]*)"
    r"|(?P<env>\\begin\s*\{(?P<name>" + _VERBATIM_ENVS + r")\}.*?(?:\\end\s*\{(?P=name)\}|\Z))"
    r"|(?P<braced>\\(?:mintinline\{[^{}\n]*\}|lstinline(?:\[[^\]\n]*\])?)\{[^}\n]*\})"
    r"|(?P<verb>\\(?:verb\*?|lstinline(?:\[[^\]\n]*\])?|mintinline\{[^{}\n]*\}|mint\{[^{}\n]*\})"
    r"(?P<delim>[^\sA-Za-z*{\[])[^\n]{0,1000}?(?P=delim))",
    re.DOTALL,
)
# \iffalse ... \fi: a common way to switch text off (only when no other \if is inside).
_IFFALSE = re.compile(r"\\iffalse(?![A-Za-z@])")
_FI = re.compile(r"\\fi(?![A-Za-z@])")
_OTHER_IF = re.compile(r"\\if(?!false(?![A-Za-z@]))[A-Za-z@]*")
# \input{x} \include{x} \subfile{x}; \import{dir}{x} \subimport{dir}{x} (and *from variants).
_INCLUDE = re.compile(
    r"\\(?P<cmd>input|include|subfile)\s*\{(?P<name>[^{}]+)\}"
    r"|\\(?P<bare>input)[ \t]+(?P<bname>[\w./-]+)"  # plain TeX: "\\input setup"
    r"|\\(?P<icmd>import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)\*?"
    r"\s*\{(?P<dir>[^{}]*)\}\s*\{(?P<iname>[^{}]+)\}"
)
_INCLUDE_ONLY = re.compile(r"\\includeonly\s*\{([^{}]*)\}")
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")


def blank(text: str) -> str:
    """Spaces for every character but newlines: offsets, lines and columns stay true."""
    return re.sub(r"[^\n]", " ", text)


def hide_non_prose(text: str) -> str:
    """Blank comments, verbatim and code environments, `\\verb` and `\\iffalse` blocks."""

    text = _HIDDEN.sub(lambda m: m.group() if m.lastgroup is None else blank(m.group()), text)
    return _switched_off(text)


def _switched_off(text: str) -> str:
    """Blank `\\iffalse ... \\fi` blocks; found by bisecting token positions (linear time)."""
    if "\\iffalse" not in text:
        return text
    fis = [m.start() for m in _FI.finditer(text)]
    others = [m.start() for m in _OTHER_IF.finditer(text)]
    parts, pos = [], 0
    for m in _IFFALSE.finditer(text):
        j = bisect.bisect_left(fis, m.end())
        if m.start() < pos or j == len(fis):
            continue
        k = bisect.bisect_left(others, m.end())
        if k < len(others) and others[k] < fis[j]:
            continue  # a nested conditional: its \\fi is not ours to pair
        end = fis[j] + 3
        parts += [text[pos : m.start()], blank(text[m.start() : end])]
        pos = end
    return "".join(parts) + text[pos:]


@dataclass(frozen=True)
class Piece:
    """A run of the flat text that is a verbatim run of one file, from `offset` on."""

    start: int
    path: str
    offset: int


@dataclass(frozen=True)
class LatexSource:
    """The whole project as one text, plus the map back to files, lines and columns."""

    text: str
    main: Path
    pieces: tuple[Piece, ...]
    line_starts: dict[str, list[int]] = field(compare=False, repr=False)
    piece_starts: tuple[int, ...] = field(compare=False, repr=False)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file read, the main file first."""
        return tuple(self.line_starts)

    def location(self, offset: int) -> Location:
        """The file, line and column of a flat-text offset."""
        index = bisect.bisect_right(self.piece_starts, offset) - 1
        piece = self.pieces[max(index, 0)]
        local = piece.offset + offset - piece.start
        starts = self.line_starts[piece.path]
        line = bisect.bisect_right(starts, local) - 1
        return Location(piece.path, line + 1, local - starts[line] + 1)

    @property
    def body_start(self) -> int:
        """Where `\\begin{document}` ends (0 for a fragment with no document environment)."""
        m = _BEGIN_DOCUMENT.search(self.text)
        return m.end() if m else 0


def read_source(path: str | Path) -> LatexSource:
    """Read the main .tex and everything it includes into one LatexSource."""
    main = Path(path)
    builder = _Builder(main.parent)
    builder.add(main, main.parent, depth=0, stack=())
    pieces = tuple(builder.pieces) or (Piece(0, str(main), 0),)
    return LatexSource(
        "".join(builder.parts), main, pieces, builder.starts, tuple(p.start for p in pieces)
    )


def source_from_text(text: str, path: str) -> LatexSource:
    """One file's text as a LatexSource, no includes followed (tests, other readers)."""
    flat = _document_only(hide_non_prose(text), keep_preamble=True)
    return LatexSource(flat, Path(path), (Piece(0, path, 0),), {path: line_starts(text)}, (0,))


def read_tex(path: Path, cited_from: Location | None = None) -> str:
    """One .tex file's text; unreadable input is a ReaderError (at the line including it)."""
    try:
        return read_text_file(path)
    except InputError as error:
        if cited_from is not None:
            raise ReaderError(
                cited_from.path, cited_from.line, f"included file {path}: {error.message}"
            ) from None
        raise ReaderError(error.path, error.line, error.message) from None


class _Builder:
    """Accumulates the flat text and its pieces while walking the include tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.starts: dict[str, list[int]] = {}
        self.length = 0
        self.only: set[str] | None = None  # \includeonly{a,b}: the \include'd files LaTeX reads

    def _wanted(self, name: str) -> bool:
        return self.only is None or name.strip().removesuffix(".tex") in self.only

    def emit(self, text: str, path: str, offset: int) -> None:
        if text:
            self.pieces.append(Piece(self.length, path, offset))
            self.parts.append(text)
            self.length += len(text)

    def add(
        self,
        file: Path,
        base: Path,
        depth: int,
        stack: tuple[Path, ...],
        cited_from: Location | None = None,
    ) -> None:
        raw = read_tex(file, cited_from)
        name = str(file)
        stack = stack + (file.resolve(),)
        self.starts.setdefault(name, line_starts(raw))
        text = hide_non_prose(raw)
        text = _document_only(text, keep_preamble=depth == 0)
        if depth == 0 and (only := _INCLUDE_ONLY.search(text)):
            self.only = {n.strip().removesuffix(".tex") for n in only.group(1).split(",")}
        pos = 0
        for m in _INCLUDE.finditer(text):
            target, next_base = self._target(m, file, base)
            key = target.resolve() if target is not None else None
            if (
                target is None
                or (m.group("cmd") == "include" and not self._wanted(m.group("name")))
                or key in stack
                or depth >= MAX_DEPTH
                or len(self.starts) >= MAX_FILES
            ):
                continue  # a missing (often generated) file or a loop: LaTeX would stop too
            self.emit(text[pos : m.start()], name, pos)
            # Included files start a new paragraph: their first sentence is not ours.
            self.emit("\n\n", name, m.start())
            here = Location(name, bisect.bisect_right(self.starts[name], m.start()))
            self.add(target, next_base, depth + 1, stack, here)
            self.emit("\n\n", name, m.end())
            pos = m.end()
        self.emit(text[pos:], name, pos)

    def _target(self, m: re.Match[str], file: Path, base: Path) -> tuple[Path | None, Path]:
        """The file an include names and the folder its own includes are relative to."""
        if m.group("cmd") or m.group("bare"):
            name = (m.group("name") or m.group("bname")).strip()
            folder = base
            suffixes = (".tex", "") if m.group("cmd") != "include" else (".tex",)
        else:
            command = m.group("icmd")
            relative = file.parent if command.startswith("sub") else self.root
            folder = relative / m.group("dir").strip()
            name = m.group("iname").strip()
            suffixes = (".tex", "")
        for suffix in suffixes:
            candidate = folder / (name + suffix if not name.endswith(".tex") else name)
            if candidate.is_file():
                return candidate, (folder if m.group("icmd") else base)
        # \subfile and hand-run projects: also relative to the including file itself.
        for suffix in suffixes:
            candidate = file.parent / (name + suffix if not name.endswith(".tex") else name)
            if candidate.is_file():
                return candidate, base
        return None, base


def _document_only(text: str, *, keep_preamble: bool) -> str:
    """Drop what follows `\\end{document}`; a subfile's own preamble is not the manuscript's."""
    end = _END_DOCUMENT.search(text)
    if end:
        text = text[: end.start()] + blank(text[end.start() :])
    if not keep_preamble:
        begin = _BEGIN_DOCUMENT.search(text)
        if begin:
            text = blank(text[: begin.end()]) + text[begin.end() :]
    return text
