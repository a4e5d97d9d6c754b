"""Read a LaTeX manuscript: `\\cite`-family commands with their keys, against the .bib it names.

References are the .bib entries (so unused entries are visible) and each callout carries the
keys it cites (so undefined keys are visible); linking is by key. Comments are blanked out
with spaces, which keeps every reported line and column true to the .tex file.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from citecheck.callouts import author_mention, sentence_span
from citecheck.files import InputError, read_text_file
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import line_starts
from citecheck.readers.errors import ReaderError
from citecheck.readers.keyed import number_in_order, numbers_for

# natbib and biblatex citation commands; starred and capitalised forms included.
_CITE = re.compile(
    r"\\(?P<command>[Cc]ite|cite[pt]|citealp|citealt|citeauthor|citeyear|citeyearpar|"
    r"[Aa]utocite|[Pp]arencite|[Tt]extcite|[Ff]ootcite|[Ss]martcite|[Ss]upercite|nocite)"
    r"(?P<star>\*?)(?P<options>(?:\s*\[[^\]]*\]){0,2})\s*\{(?P<keys>[^{}]*)\}"
)
# Commands that print the author's name themselves: the name is an author mention.
_NARRATIVE = {"citet", "textcite", "Textcite", "citeauthor", "citealt"}
_BIBLIOGRAPHY = re.compile(r"\\(?:bibliography|addbibresource)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")
_COMMENT = re.compile(r"(?<!\\)%.*")
_BREAKS = re.compile(
    r"\\(?:part|chapter|(?:sub)*section|(?:sub)?paragraph|caption)\*?(?:\[[^\]]*\])?\{[^{}]*\}"
    # An environment's edges, with a \begin's argument ("{ll}" of a tabular) blanked too.
    r"|\\begin\{[^{}]*\}(?:\{[^{}]*\})?|\\end\{[^{}]*\}|\\item\b"
    # A table row's end (or a forced line break): cells of two rows are not one sentence.
    r"|\\\\"
)
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
# Tables and figures: cites inside them are not running text (as in text, Word and JATS).
_FLOATS = re.compile(
    r"\\begin\s*\{((?:table|figure|tabular|tabularx|longtable)\*?)\}.*?\\end\s*\{\1\}",
    re.DOTALL,
)


def strip_comments(text: str) -> str:
    """Blank out `%` comments (not `\\%`) with spaces so offsets and columns stay valid."""
    return _COMMENT.sub(lambda m: " " * len(m.group()), text)


def bibliography_files(text: str, path: str) -> list[tuple[Path, Location]]:
    """The .bib files named by \\bibliography{a,b} / \\addbibresource{c.bib}, beside the .tex."""
    clean = strip_comments(text)
    starts = line_starts(clean)
    found = []
    for m in _BIBLIOGRAPHY.finditer(clean):
        for name in (n.strip() for n in m.group(1).split(",")):
            if name:
                file = Path(path).parent / (name if name.endswith(".bib") else f"{name}.bib")
                found.append((file, position(starts, m.start(), path)))
    return found


def read_bib_file(
    file: str | Path, cited_from: Location | None = None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """Read a .bib; a missing or unreadable one is a ReaderError at the line that names it."""
    from citecheck.bib import read_bibtex

    try:
        text = read_text_file(file)
    except InputError as error:
        if cited_from is not None:
            raise ReaderError(
                cited_from.path, cited_from.line, f"bibliography {file}: {error.message}"
            ) from None
        raise ReaderError(error.path, error.line, error.message) from None
    return read_bibtex(text, str(file))


def read_latex(
    text: str,
    path: str,
    references: tuple[Reference, ...],
    unparsed: tuple[UnparsedEntry, ...] = (),
    reference_list_location: Location | None = None,
) -> Manuscript:
    """A key-style Manuscript: the given .bib entries plus one Callout per cite command."""
    clean = strip_comments(text)
    body = _BEGIN_DOCUMENT.search(clean)
    start_at = body.end() if body else 0
    # For sentences: the preamble blanked (newlines kept), and "~" (a non-breaking space) as a
    # space, so that "Smith et al.~\cite{x}" reads as an author mention.
    preamble = re.sub(r"[^\n]", " ", clean[:start_at])
    plain = (preamble + clean[start_at:]).replace("~", " ")
    # Headings and environment edges end a sentence: turn them into paragraph breaks.
    plain = _BREAKS.sub(lambda m: "\n" * len(m.group()), plain)
    references = number_in_order(references)
    by_key = {ref.key: ref for ref in references}
    starts = line_starts(clean)
    floats = [(f.start(), f.end()) for f in _FLOATS.finditer(clean, start_at)]
    callouts = []
    for m in _CITE.finditer(clean, start_at):
        if m.group("command") == "nocite":
            continue  # adds entries to the list without citing them in the text
        keys = tuple(k.strip() for k in m.group("keys").split(",") if k.strip())
        numbers = numbers_for(keys, by_key)
        left, right = sentence_span(plain, m.start(), m.end())
        if m.group("command") in _NARRATIVE:
            mention = _first_author(by_key.get(keys[0])) if keys else ""
        else:
            mention = author_mention(plain[left : m.start()], plain[m.end() : right])
        callouts.append(
            Callout(
                location=position(starts, m.start(), path),
                text=m.group(),
                numbers=numbers,
                sentence=" ".join(plain[left:right].split()),
                author_mention=mention,
                in_running_text=not any(a <= m.start() < b for a, b in floats),
                problem="" if keys else "citation without a key",
                keys=keys,
            )
        )
    return Manuscript(
        path=path,
        references=references,
        callouts=tuple(callouts),
        unparsed=unparsed,
        numbered=False,
        reference_list_location=reference_list_location,
    )


def read_latex_file(path: str | Path, bib: str | Path | None = None) -> Manuscript:
    """Read a .tex file and its bibliography (`bib`, or the files its \\bibliography names)."""
    try:
        text = read_text_file(path)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None
    if bib is not None:
        sources = [(Path(bib), None)]
    else:
        sources = bibliography_files(text, str(path))
        if not sources:
            raise ReaderError(
                str(path),
                None,
                "no \\bibliography or \\addbibresource found; pass the .bib with --refs",
            )
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    for file, cited_from in sources:
        refs, bad = read_bib_file(file, cited_from)
        references.extend(refs)
        unparsed.extend(bad)
    where = sources[0][1] or Location(str(sources[0][0]), 1)
    return read_latex(text, str(path), tuple(references), tuple(unparsed), where)


def _first_author(ref: Reference | None) -> str:
    """The family name a narrative cite prints ("Smith"); unknown keys print nothing useful."""
    if ref is None or not ref.authors:
        return ""
    return ref.authors[0].family


def position(starts: list[int], offset: int, path: str) -> Location:
    """The 1-based line and column of a character offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return Location(path, line + 1, offset - starts[line] + 1)
