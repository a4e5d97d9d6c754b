"""Write References as BibTeX and read BibTeX back into References (bibtexparser v2).

The written file is the project's refs/references.bib: one entry per reference in list
order, with the list number (`refnumber`), the verbatim reference string (`raw`) and the
GB/T type marker (`typemarker`) kept so that reading it back gives the same References.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field

from citecheck.latex_text import decode_accents
from citecheck.model import Author, Location, Reference, UnparsedEntry
from citecheck.normalize import one_line

# bibtexparser logs every failed block; we return them as UnparsedEntry instead, so keep
# its warnings off stderr unless the application configures logging itself.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_CONTAINER_FIELD = {
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
}
_LANGID_ZH = "chinese"
_ZH_LANGIDS = frozenset({"chinese", "zh", "zh-cn", "zh-hans", "zh-tw", "zh-hant", "cn"})
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ESCAPES = {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}"}
_ESCAPED = re.compile(r"\\textbackslash\{\}|\\[{}]")


def references_to_bibtex(refs: Sequence[Reference]) -> str:
    """Render references as BibTeX text, deterministically, in list order.

    References without a key get one from refparse.make_key.
    """
    from citecheck.references.refparse import (
        assign_keys,  # lazy: its regexes take ~0.15 s to compile
    )

    entries = [_to_entry(ref) for ref in assign_keys(list(refs))]
    if not entries:
        return ""
    return bibtexparser.write_string(Library(entries))


def read_bibtex(text: str, path: str) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """Read BibTeX text into References; bad blocks and duplicate keys become UnparsedEntry.

    Locations are `path` plus the 1-based line where the entry starts. Never raises.
    """
    try:
        library = bibtexparser.parse_string(text)
    except Exception as error:  # noqa: BLE001 - third-party parser; bad input must stay data
        reason = f"BibTeX could not be read: {one_line(str(error)) or type(error).__name__}"
        return (), (UnparsedEntry(Location(path, 1), text[:2000], reason),)
    macros = {block.key.lower(): str(block.value) for block in library.strings}
    by_key = {entry.key.lower(): entry for entry in library.entries}
    refs = tuple(
        _from_entry(entry, path, macros, _crossref(entry, by_key)) for entry in library.entries
    )
    unparsed = tuple(_unparsed(block, path) for block in library.failed_blocks)
    return refs, unparsed


def read_bib_text(path: str | Path) -> str:
    """A .bib file's text: UTF-8, else Windows-1252/Latin-1 (BibTeX itself reads bytes).

    Old .bib files are often Latin-1; refusing them would refuse the manuscript. Empty,
    binary and unreadable files are still InputErrors.
    """
    from citecheck.files import InputError, read_text_file

    try:
        return read_text_file(path)
    except InputError as error:
        if "UTF-8" not in error.message or "binary" in error.message:
            raise
        data = Path(path).read_bytes()
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- writing --------------------------------------------------------------------------------


def _to_entry(ref: Reference) -> Entry:
    values: list[tuple[str, str]] = []
    if ref.authors or ref.et_al:
        values.append(("author", _authors_to_bibtex(ref.authors, ref.et_al)))
    values.append(("title", ref.title))
    values.append((_CONTAINER_FIELD.get(ref.kind, "journal"), ref.container))
    values.append(("year", str(ref.year) if ref.year is not None else ""))
    values.append(("volume", ref.volume))
    values.append(("number", ref.issue))
    values.append(("pages", ref.pages.replace("-", "--")))
    values.append(("eid", ref.article_number))
    values.append(("doi", ref.doi))
    values.append(("pmid", ref.pmid))
    values.append(("pmcid", ref.pmcid))
    values.append(("eprint", ref.arxiv))
    values.append(("archiveprefix", "arXiv" if ref.arxiv else ""))
    values.append(("isbn", ref.isbn))
    values.append(("url", ref.url))
    values.append(("publisher", ref.publisher))
    values.append(("refnumber", str(ref.number) if ref.number is not None else ""))
    values.append(("typemarker", ref.type_marker))
    values.append(("langid", _LANGID_ZH if ref.language == "zh" else ""))
    values.append(("raw", ref.raw))
    values.append(("citecheck-ignore", ", ".join(ref.ignore)))
    fields = [
        Field(name, value if name == "author" else _escape(value))
        for name, value in values
        if value
    ]
    return Entry(ref.kind or "misc", ref.key, fields)


def authors_to_bibtex(authors: Sequence[Author], et_al: bool) -> str:
    """ "Family, Given and ..." ("and others" for et al.), as a BibTeX author field."""
    return _authors_to_bibtex(authors, et_al)


def _authors_to_bibtex(authors: Sequence[Author], et_al: bool) -> str:
    names = [_name_to_bibtex(a) for a in authors]
    if et_al:
        names.append("others")
    return " and ".join(names)


def _name_to_bibtex(author: Author) -> str:
    """ "Family, Given"; a family that BibTeX would split (spaces, commas, "and") is braced."""
    family = _escape(author.family)
    needs_braces = (
        "," in family or _AND.search(f" {family} ") or (not author.given and " " in family)
    )
    if needs_braces:
        family = "{" + family + "}"
    return f"{family}, {_escape(author.given)}" if author.given else family


def _escape(value: str) -> str:
    """Backslash-escape braces (and backslashes) so any text keeps the entry well formed."""
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


# --- reading --------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    return _ESCAPED.sub(lambda m: "\\" if m.group(0).startswith("\\text") else m.group(0)[1], value)


def _crossref(entry: Entry, by_key: dict[str, Entry]) -> dict[str, str]:
    """The fields an entry inherits through `crossref` (a proceedings' title is its booktitle)."""
    target = next((str(f.value) for f in entry.fields if f.key.lower() == "crossref"), "")
    parent = by_key.get(target.strip().lower())
    if parent is None or parent is entry:
        return {}
    inherited = {f.key.lower(): str(f.value) for f in parent.fields if f.key.lower() != "crossref"}
    if "title" in inherited and entry.entry_type.lower() in _CONTAINER_FIELD:
        inherited.setdefault("booktitle", inherited["title"])
    inherited.pop("title", None)
    return inherited


def _from_entry(
    entry: Entry, path: str, macros: dict[str, str], inherited: dict[str, str]
) -> Reference:
    own = {f.key.lower(): _concatenated(str(f.value), macros) for f in entry.fields}
    escaped = {**inherited, **own}
    # Accents are decoded before unescaping: a literal "\\i" (written "\\textbackslash{}i") stays.
    fields = {name: _unescape(decode_accents(value)) for name, value in escaped.items()}
    authors, et_al = _authors_from_bibtex(escaped.get("author", ""))
    kind = entry.entry_type.lower()
    container = fields.get("journal") or fields.get("booktitle") or fields.get("journaltitle", "")
    pages = re.sub(r"\s*-+\s*", "-", fields.get("pages", ""))
    language = "zh" if fields.get("langid", "").lower() in _ZH_LANGIDS else "en"
    if not fields.get("langid") and _HAN.search(fields.get("title", "") + fields.get("author", "")):
        language = "zh"
    line = entry.start_line + 1 if entry.start_line is not None else None
    return Reference(
        key=entry.key,
        raw=fields.get("raw") or entry.raw or "",
        location=Location(path, line),
        number=_int(fields.get("refnumber", "")),
        kind=kind,
        type_marker=fields.get("typemarker", ""),
        authors=authors,
        et_al=et_al,
        title=fields.get("title", ""),
        container=container,
        year=_year(fields.get("year", "") or fields.get("date", "")),
        volume=fields.get("volume", ""),
        issue=fields.get("number", "") or fields.get("issue", ""),
        pages=pages,
        article_number=fields.get("eid", ""),
        doi=fields.get("doi", ""),
        pmid=fields.get("pmid", ""),
        pmcid=fields.get("pmcid", ""),
        arxiv=_arxiv(fields),
        isbn=fields.get("isbn", ""),
        url=fields.get("url", ""),
        publisher=fields.get("publisher", ""),
        language=language,
        ignore=tuple(r for r in re.split(r"[\s,;]+", fields.get("citecheck-ignore", "")) if r),
    )


def _arxiv(fields: dict[str, str]) -> str:
    """The arXiv id of `eprint` when `archiveprefix`/`eprinttype` says arXiv (or it looks like one)."""
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    if kind == "arxiv" or re.fullmatch(r"\d{4}\.\d{4,5}(?:v\d+)?", eprint):
        return eprint
    return ""


def _authors_from_bibtex(value: str) -> tuple[tuple[Author, ...], bool]:
    """Split "A, B and {C D} and others" at top-level "and" into Authors (+ et al.)."""
    authors = []
    et_al = False
    for name in _split_top_level(value, _AND):
        name = name.strip()
        if not name:
            continue
        if name.lower() == "others":
            et_al = True
            continue
        author = _name_from_bibtex(name)
        authors.append(Author(_plain_name(author.family), _plain_name(author.given)))
    return tuple(authors), et_al


_PIECE = r'(?:\{(?:[^{}]|\{[^{}]*\})*\}|"[^"]*"|[\w.:-]+)'
_CONCATENATION = re.compile(rf"\s*{_PIECE}(?:\s*#\s*{_PIECE})+\s*")


def _concatenated(value: str, macros: dict[str, str]) -> str:
    """`{Nature} # { Methods}`, `jcb # " Suppl"` -> one string: BibTeX's `#` joins the pieces.

    Only when every bare word is a @string macro or a number: a braced title such as
    {C # D} reaches us without its braces and must stay as written.
    """
    if "#" not in value or not _CONCATENATION.fullmatch(value):
        return value
    pieces = [p.strip() for p in _split_top_level(value, re.compile(r"\s*#\s*"))]
    bare = [p for p in pieces if p[:1] not in '{"']
    if len(bare) == len(pieces) or any(not p.isdigit() and p.lower() not in macros for p in bare):
        return value
    return "".join(p[1:-1] if p[:1] in '{"' else macros.get(p.lower(), p) for p in pieces)


_BRACE_OR_ESCAPE = re.compile(r"\\textbackslash\{\}|\\[{}]|[{}]")


def _plain_name(value: str) -> str:
    """A name as printed: "{H\\"o}rsch" -> "Hörsch" (escaped braces are kept as braces)."""
    text = decode_accents(value)
    # Grouping braces go; escapes ("\\{", "\\textbackslash{}") stay for _unescape.
    return _unescape(_BRACE_OR_ESCAPE.sub(lambda m: m.group() if len(m.group()) > 1 else "", text))


def _name_from_bibtex(name: str) -> Author:
    parts = [p.strip() for p in _split_top_level(name, re.compile(r","))]
    if len(parts) == 1:
        whole = parts[0]
        if whole.startswith("{") and whole.endswith("}"):
            return Author(family=whole[1:-1])
        words = whole.split()
        if len(words) == 1 or _HAN.search(whole):
            return Author(family=whole)
        return Author(family=words[-1], given=" ".join(words[:-1]))
    family = parts[0]
    if family.startswith("{") and family.endswith("}"):
        family = family[1:-1]
    if len(parts) == 2:
        return Author(family=family, given=parts[1])
    # "von Last, Jr, First": keep the suffix with the family name.
    return Author(family=f"{family}, {parts[1]}", given=", ".join(parts[2:]))


def _split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split on `separator` only outside braces."""
    pieces, depth, start = [], 0, 0
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = separator.match(text, pos)
            if match and match.end() > pos:
                pieces.append(text[start:pos])
                start = pos = match.end()
                continue
        pos += 1
    pieces.append(text[start:])
    return pieces


def _unparsed(block, path: str) -> UnparsedEntry:
    line = block.start_line + 1 if block.start_line is not None else None
    if isinstance(block, DuplicateBlockKeyBlock):
        first = block.previous_block.start_line
        where = f" (first defined at line {first + 1})" if first is not None else ""
        reason = f"duplicate key '{block.key}'{where}"
    else:
        error = getattr(block, "error", None)
        reason = one_line(str(error)) if error is not None else ""
        reason = reason or "not a well-formed BibTeX entry (unbalanced braces or a missing comma?)"
    return UnparsedEntry(Location(path, line), block.raw or "", reason)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _year(text: str) -> int | None:
    match = re.search(r"\d{4}", text)
    return int(match.group(0)) if match else None
