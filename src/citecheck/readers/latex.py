"""Read a LaTeX manuscript: its `\\cite`-family commands with their keys, against its bibliography.

A project (a folder, or a main .tex with `\\input`/`\\include`/`\\subfile`/`\\import`) is read as
one text (latex_source.py). The references are, in order of preference: the .bib given with
--refs; an inline `thebibliography` list; the .bib files named by `\\bibliography` or
`\\addbibresource` (a database: BibTeX prints only what is cited); the compiled .bbl beside
the main file. Linking is by key. `\\nocite` keys are in the printed list without being cited
in the text, so they are not callouts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from pathlib import Path

from citecheck.citations.callouts import author_mention, sentence_span
from citecheck.files import InputError, read_text_file
from citecheck.latex_text import decode_accents
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.readers.errors import ReaderError
from citecheck.readers.keyed import number_in_order, numbers_for
from citecheck.readers.latex_bibitems import (
    has_thebibliography,
    is_biblatex_bbl,
    read_biblatex_bbl,
    read_thebibliography,
)
from citecheck.readers.latex_source import (
    LatexSource,
    hide_non_prose,
    read_source,
    source_from_text,
)

# Every citation command: natbib, biblatex, apacite, revtex, gbt7714's \upcite and a class's
# own (\cupercite): a command whose name contains "cite", then options, then {keys}.
_CITE = re.compile(
    r"(?<!\\string)\\(?P<command>[A-Za-z]*[Cc]ite[A-Za-z]*)(?P<star>\*?)"
    r"(?P<options>(?:\s*\[[^\]]{0,500}\]|\s*\([^()]{0,500}\)){0,4})\s*\{(?P<keys>[^{}]{0,5000})\}"
)
# Commands with "cite" in their name whose argument is not a list of keys.
_NOT_CITES = frozenset(
    {"citestyle", "citetext", "citesetup", "citeindextrue", "citeindexfalse", "defcitealias",
     "DeclareCiteCommand", "DeclareMultiCiteCommand", "citereset", "citeurl"}
)  # fmt: skip
# biblatex multicite: \parencites[pre][post]{a}[post]{b} cites a and b.
_MORE_KEYS = re.compile(r"(?:\s*\[[^\]]{0,500}\]){0,2}\s*\{([^{}]{0,5000})\}")
_KEY = re.compile(r"[^\s{}\\#$%,~]+")
# Commands that print the author's name themselves: the name is an author mention.
_NARRATIVE = {"citet", "Citet", "textcite", "Textcite", "citeauthor", "Citeauthor", "citealt"}
_BIBLIOGRAPHY = re.compile(
    r"\\(?:bibliography|addbibresource|addglobalbib|addsectionbib)\s*(?:\[[^\]]*\])?\s*"
    r"\{([^{}]*)\}"
)
_BREAKS = re.compile(
    r"\\(?:part|chapter|(?:sub)*section|(?:sub)?paragraph|caption)\*?(?:\[[^\]]*\])?\{[^{}]*\}"
    # An environment's edges, with a \begin's argument ("{ll}" of a tabular) blanked too.
    r"|\\begin\{[^{}]*\}(?:\{[^{}]*\})?|\\end\{[^{}]*\}|\\item\b"
    # A table row's end (or a forced line break): cells of two rows are not one sentence.
    r"|\\\\"
)
# Tables and figures: cites inside them are not running text (as in text, Word and JATS).
_FLOAT_EDGE = re.compile(
    r"\\(?P<edge>begin|end)\s*\{(?P<name>(?:table|figure|tabular|tabularx|longtable)\*?)\}"
)
_MAIN_FILE = re.compile(r"\\documentclass\b")


def strip_comments(text: str) -> str:
    """Blank out comments, verbatim and code with spaces so offsets and columns stay valid."""
    return hide_non_prose(text)


def read_latex_file(path: str | Path, bib: str | Path | None = None) -> Manuscript:
    """Read a LaTeX project (a folder or its main .tex) and its reference list."""
    source = read_source(main_file(Path(path)))
    if bib is not None:
        refs, unparsed = read_bib_file(bib)
        return build_manuscript(source, refs, unparsed, Location(str(bib), 1), database=True)
    refs, unparsed, where, database = find_references(source)
    return build_manuscript(source, refs, unparsed, where, database=database)


def read_latex(
    text: str,
    path: str,
    references: tuple[Reference, ...],
    unparsed: tuple[UnparsedEntry, ...] = (),
    reference_list_location: Location | None = None,
) -> Manuscript:
    """One .tex text (no includes followed) against the given .bib entries."""
    source = source_from_text(text, path)
    return build_manuscript(source, references, unparsed, reference_list_location, database=True)


def main_file(path: Path) -> Path:
    """The .tex to start from: the file itself, or the one main file of a project folder."""
    if not path.is_dir():
        return path
    candidates = []
    for tex in sorted(path.glob("*.tex")):
        try:
            head = read_text_file(tex)
        except InputError:
            continue
        if _MAIN_FILE.search(hide_non_prose(head)):
            candidates.append((tex, head))
    if not candidates:
        raise ReaderError(str(path), None, "no .tex file with \\documentclass in this folder")
    if len(candidates) > 1:
        # Subfiles have a \documentclass too; the main file is the one nobody includes.
        included = {
            name.strip().removesuffix(".tex")
            for _, head in candidates
            for name in re.findall(r"\\(?:input|include|subfile)\s*\{([^{}]+)\}", head)
        }
        candidates = [c for c in candidates if c[0].stem not in included] or candidates
        with_document = [c for c in candidates if "\\begin{document}" in c[1]]
        candidates = with_document or candidates
    if len(candidates) > 1:
        named = [c for c in candidates if c[0].stem in ("main", path.name)]
        if len(named) == 1:
            candidates = named
    if len(candidates) > 1:
        names = ", ".join(c[0].name for c in candidates)
        raise ReaderError(str(path), None, f"several main .tex files ({names}); name one")
    return candidates[0][0]


def find_references(
    source: LatexSource,
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...], Location, bool]:
    """(references, unparsed blocks, where the list is named, is it a .bib database?)."""
    if has_thebibliography(source.text):
        refs, where = read_thebibliography(source.text, source.location)
        return refs, (), where or Location(str(source.main), 1), False
    named = bibliography_files(source)
    embedded = embedded_files(source.main)
    if named and all(file.is_file() or file.name in embedded for file, _ in named):
        from citecheck.bibliography.bib import read_bibtex

        references: list[Reference] = []
        unparsed: list[UnparsedEntry] = []
        for file, cited_from in named:
            if file.is_file():
                refs, bad = read_bib_file(file, cited_from)
            else:  # written by \begin{filecontents}{refs.bib} when LaTeX runs
                refs, bad = read_bibtex(embedded[file.name], str(source.main))
            references.extend(refs)
            unparsed.extend(bad)
        return tuple(references), tuple(unparsed), named[0][1], True
    bbl = source.main.with_suffix(".bbl")
    others = sorted(source.main.parent.glob("*.bbl"))
    if not bbl.is_file() and len(others) == 1:
        bbl = others[0]  # compiled under another name ("output.bbl" from Overleaf)
    if bbl.is_file():
        return (*read_bbl(bbl), Location(str(bbl), 1), False)
    if named:
        file, cited_from = next((f, c) for f, c in named if not f.is_file())
        raise ReaderError(cited_from.path, cited_from.line, f"bibliography {file}: no such file")
    raise ReaderError(
        str(source.main),
        None,
        "no \\bibliography, \\addbibresource, thebibliography or .bbl found; "
        "pass the .bib with --refs",
    )


_FILECONTENTS = re.compile(
    r"\\begin\s*\{filecontents\*?\}\s*(?:\[[^\]]*\])?\s*\{([^{}]+)\}(.*?)\\end\s*\{filecontents\*?\}",
    re.DOTALL,
)


def embedded_files(main: Path) -> dict[str, str]:
    """Files a .tex writes itself with `filecontents` (often its .bib), by name.

    The text is padded with the lines before it, so entries report their line in the .tex.
    """
    try:
        raw = read_text_file(main)
    except InputError:
        return {}
    found = {}
    for m in _FILECONTENTS.finditer(raw):
        name = m.group(1).strip()
        padding = "\n" * raw.count("\n", 0, m.start(2))
        found[name if name.endswith(".bib") or "." in name else f"{name}.bib"] = padding + m.group(
            2
        )
    return found


def bibliography_files(source: LatexSource) -> list[tuple[Path, Location]]:
    """The .bib files named by \\bibliography{a,b} / \\addbibresource{c.bib}, with where."""
    found = []
    for m in _BIBLIOGRAPHY.finditer(source.text):
        where = source.location(m.start())
        for name in (n.strip() for n in m.group(1).split(",")):
            if not name or "://" in name:
                continue  # a remote resource is not ours to fetch
            file_name = name if name.endswith(".bib") else f"{name}.bib"
            # Relative to the main file (where LaTeX runs), else to the file that names it.
            file = source.main.parent / file_name
            if not file.is_file() and (Path(where.path).parent / file_name).is_file():
                file = Path(where.path).parent / file_name
            found.append((file, where))
    return found


def read_bib_file(
    file: str | Path, cited_from: Location | None = None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """Read a .bib; a missing or unreadable one is a ReaderError at the line that names it."""
    from citecheck.bibliography.bib import read_bib_text, read_bibtex

    try:
        text = read_bib_text(file)
    except InputError as error:
        if cited_from is not None:
            raise ReaderError(
                cited_from.path, cited_from.line, f"bibliography {file}: {error.message}"
            ) from None
        raise ReaderError(error.path, error.line, error.message) from None
    return read_bibtex(text, str(file))


def read_bbl(file: Path) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """A compiled .bbl: BibTeX's thebibliography list or biblatex's entry records."""
    try:
        text = read_text_file(file)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None
    source = source_from_text(text, str(file))  # comments ("%" line ends) blanked
    if is_biblatex_bbl(text):
        return read_biblatex_bbl(source.text, source.location), ()
    refs, _ = read_thebibliography(source.text, source.location)
    return refs, ()


def build_manuscript(
    source: LatexSource,
    references: tuple[Reference, ...],
    unparsed: tuple[UnparsedEntry, ...],
    reference_list_location: Location | None,
    *,
    database: bool,
) -> Manuscript:
    """One Callout per cite command of the document body, linked by key."""
    clean = source.text
    start_at = source.body_start
    # For sentences: the preamble blanked (newlines kept), and "~" (a non-breaking space) as a
    # space, so that "Smith et al.~\cite{x}" reads as an author mention.
    preamble = re.sub(r"[^\n]", " ", clean[:start_at])
    plain = (preamble + clean[start_at:]).replace("~", " ")
    # Headings and environment edges end a sentence: turn them into paragraph breaks.
    plain = _BREAKS.sub(lambda m: "\n" * len(m.group()), plain)
    references = number_in_order(references)
    by_key = {ref.key: ref for ref in references}
    floats = float_spans(clean, start_at)
    float_starts = [a for a, _ in floats]
    sentence_text: dict[tuple[int, int], str] = {}
    callouts = []
    nocite: list[str] = []
    for start, end, command, keys in cite_commands(clean, start_at):
        if command == "nocite":
            nocite.extend(keys)
            continue
        numbers = numbers_for(keys, by_key)
        left, right = sentence_span(plain, start, end)
        if command in _NARRATIVE:
            mention = _first_author(by_key.get(keys[0])) if keys else ""
        else:
            # "H\\"orsch et al.~\\cite{k}": the name as printed.
            mention = author_mention(decode_accents(plain[max(left, start - 400) : start]),
                                     plain[end:min(right, end + 400)])  # fmt: skip
        if (left, right) not in sentence_text:  # one string per sentence, shared
            sentence_text[(left, right)] = " ".join(decode_accents(plain[left:right]).split())
        inside = bisect.bisect_right(float_starts, start) - 1
        in_float = inside >= 0 and start < floats[inside][1]
        callouts.append(
            Callout(
                location=source.location(start),
                text=clean[start:end],
                numbers=numbers,
                sentence=sentence_text[(left, right)],
                author_mention=mention,
                in_running_text=not in_float,
                problem="" if keys else "citation without a key",
                keys=keys,
            )
        )
    if "*" in nocite:
        nocite = [ref.key for ref in references]
    return Manuscript(
        path=str(source.main),
        references=references,
        callouts=tuple(callouts),
        unparsed=unparsed,
        numbered=False,
        reference_list_location=reference_list_location,
        bibliography_is_database=database,
        nocite=tuple(dict.fromkeys(nocite)),
    )


def float_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every outermost table/figure environment, by one pass over its edges."""
    spans = []
    open_at: list[tuple[str, int]] = []
    for m in _FLOAT_EDGE.finditer(text, start):
        if m.group("edge") == "begin":
            open_at.append((m.group("name"), m.start()))
        elif open_at and open_at[-1][0] == m.group("name"):
            _, begin = open_at.pop()
            if not open_at:
                spans.append((begin, m.end()))
    return spans


def cite_commands(text: str, start: int = 0) -> Iterator[tuple[int, int, str, tuple[str, ...]]]:
    """(start, end, command, keys) of every citation command from `start` on.

    Macro definitions ("\\supercite{#1}") and arguments that are not keys are skipped.
    """
    for m in _CITE.finditer(text, start):
        command = m.group("command")
        if command in _NOT_CITES:
            continue
        groups = [m.group("keys")]
        end = m.end()
        if command.endswith("cites"):
            while more := _MORE_KEYS.match(text, end):
                groups.append(more.group(1))
                end = more.end()
        keys = tuple(k.strip() for group in groups for k in group.split(",") if k.strip())
        if any(not _KEY.fullmatch(k) for k in keys):
            continue  # "#1" in a \newcommand, or not keys at all
        yield m.start(), end, command, keys


def _first_author(ref: Reference | None) -> str:
    """The family name a narrative cite prints ("Smith"); unknown keys print nothing useful."""
    if ref is None or not ref.authors:
        return ""
    return ref.authors[0].family


def position(starts: list[int], offset: int, path: str) -> Location:
    """The 1-based line and column of a character offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return Location(path, line + 1, offset - starts[line] + 1)
