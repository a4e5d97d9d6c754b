"""Read Pandoc-family manuscripts (Markdown, R Markdown, Quarto, Manubot): `[@key]`,
`[see @a; @b, p. 3]` and in-text `@key` citations, in the file and the files it includes.

The bibliography (pandoc_bibliography.py) is a database: Pandoc prints only what is cited,
so uncited entries are not problems. Keys are linked as written, through Manubot's
citations.tsv and tags, or by the identifier they name (`@doi:10.1/x`); cross-references
(`@fig:x`, `@fig-x`, an id the document defines) are never citations. `csl_item_to_reference`,
`read_csl_json` and `read_bibliography` are re-exported for the Word reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.citations.callouts import author_mention, sentence_span
from citecheck.files import InputError, read_text_file
from citecheck.model import Callout, Location, Manuscript, Reference
from citecheck.normalize import line_starts
from citecheck.readers import frontmatter, manubot
from citecheck.readers.csljson import csl_item_to_reference, read_csl_json  # re-exported
from citecheck.readers.errors import ReaderError
from citecheck.readers.keyed import CROSSREF, number_in_order, numbers_for
from citecheck.readers.latex import position
from citecheck.readers.pandoc_bibliography import Bibliography, find_bibliography, read_bibliography
from citecheck.readers.pandoc_text import anchor_ids, included_files, prose

__all__ = ["csl_item_to_reference", "read_bibliography", "read_csl_json", "read_pandoc_file"]

# A citation key: "@doe99", "@smith:2004.x", "@doi:10.1/x" or braced "@{key with spaces}";
# internal punctuation allowed, trailing punctuation belongs to the sentence. It must start
# a word, which rules out e-mail addresses, URLs and bookdown's "\@ref(...)".
_KEY = (
    r"(?<![^\s(\[;\"'“‘*_>])(?P<dash>-?)@"
    r"(?:\{(?P<braced>[^{}\n]+)\}|(?P<key>\w(?:[\w:.#$%&\-+?<>~/]*\w)?))"
)
_KEY_RE = re.compile(_KEY)
# A bracketed citation group; a following "(" or ":" would make it a link or a link definition.
# Prefixes and suffixes may hold bracketed text, e.g. a footnote: "[@a; see x[^1], @b]".
_GROUP = re.compile(r"\[(?P<body>(?:[^\[\]]|\[[^\[\]]*\])*?@(?:[^\[\]]|\[[^\[\]]*\])*?)\](?![(:])")
# A link's text: "[@user](https://x.org)" names a handle, not a work.
_LINK_TEXT = re.compile(r"\[[^\[\]]*\]\(")
# In-text "@key" with an optional locator: "@doe99 [p. 33]".
_IN_TEXT = re.compile(_KEY + r"(?:\s*\[(?P<locator>[^\[\]@]*)\](?![(:]))?")
# An inline footnote "^[text @key]" is prose holding in-text citations, not a citation group.
_FOOTNOTE_EDGES = re.compile(r"\^\[(?P<body>[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]")
_MAX_INCLUDE_DEPTH = 8
# The key of a BibTeX entry that could not be parsed ("@article{smith2020, title={...").
_ENTRY_KEY = re.compile(r"@\w+\s*[{(]\s*([^,\s{}()]+)\s*,")


@dataclass(frozen=True)
class _Source:
    """One file of the manuscript: the main file or one it includes, with its prose."""

    path: str
    text: str
    clean: str
    starts: list[int]
    order: tuple[int, ...]  # offsets of the includes that lead to it, for reading order

    def at(self, offset: int) -> Location:
        return position(self.starts, offset, self.path)


@dataclass(frozen=True)
class _Citation:
    start: int
    end: int
    keys: tuple[str, ...]
    in_text: bool


def read_pandoc_file(path: str | Path, refs: str | Path | None = None) -> Manuscript:
    """Read a Pandoc-family manuscript and its bibliography (`refs`, or the one it names)."""
    text = _read(path)
    meta = frontmatter.front_matter(text, str(path))
    bibliography = find_bibliography(Path(path), text, meta, Path(refs) if refs else None)
    return read_pandoc(text, str(path), bibliography)


def read_pandoc(text: str, path: str, bibliography: Bibliography) -> Manuscript:
    """A key-style Manuscript: the bibliography's entries plus one Callout per citation, in
    the main file and the files it includes, in reading order."""
    sources = list(_sources(text, path, (), frozenset({Path(path).resolve()})))
    by_key = {ref.key: ref for ref in bibliography.references}
    tags: dict[str, str] = {}
    anchors: set[str] = set()
    for source in sources:
        tags.update(manubot.tags(source.text, Path(source.path).parent))
        anchors |= anchor_ids(source.text)
    index = manubot.identifier_index(bibliography.references, bibliography.noted)
    unreadable = {m.group(1) for u in bibliography.unparsed for m in _ENTRY_KEY.finditer(u.text)}
    found: list[tuple[_Source, _Citation]] = []
    for source in sources:
        for citation in _citations(source.clean):
            kept = _without_crossrefs(citation, by_key, bibliography, anchors)
            if kept is not None:
                found.append((source, kept))
    found.sort(key=lambda pair: (*pair[0].order, pair[1].start))
    linked: list[tuple[_Source, _Citation, tuple[str, ...]]] = []
    named: dict[str, Reference] = {}  # identifier-only works, in order of first citation
    for source, citation in found:
        keys = []
        for key in citation.keys:
            target, ident = _link(key, by_key, bibliography.citekeys, index, tags)
            if ident is None and target not in by_key:
                if citation.in_text and _handle(target):
                    continue  # "follow @biopython": a handle in prose, not a citation key
                if not bibliography.complete or target in unreadable:
                    continue  # defined where we cannot read it: unparsed-reference says so
            if ident is not None and target not in named:
                named[target] = manubot.identifier_reference(ident, source.at(citation.start))
            keys.append(target)
        if keys:
            linked.append((source, citation, tuple(keys)))
    if not bibliography.found:
        _no_bibliography(linked, named)
    references = _numbered(bibliography.references, tuple(named.values()))
    by_key = {ref.key: ref for ref in references}
    callouts = [_callout(source, c, keys, by_key) for source, c, keys in linked]
    return Manuscript(
        path=path,
        references=references,
        callouts=tuple(callouts),
        unparsed=bibliography.unparsed,
        numbered=False,
        reference_list_location=bibliography.location,
        bibliography_is_database=True,
    )


def _sources(
    text: str, path: str, order: tuple[int, ...], seen: frozenset[Path]
) -> Iterator[_Source]:
    """The file and, depth first, the files it includes (each once; missing ones skipped:
    what cannot be read cannot be checked, and the main file still can)."""
    clean = prose(text)
    yield _Source(path, text, clean, line_starts(clean), order)
    if len(order) >= _MAX_INCLUDE_DEPTH:
        return
    for offset, name in included_files(text):
        file = Path(path).parent / name
        if file.resolve() in seen or not file.is_file():
            continue
        yield from _sources(_read(file), str(file), (*order, offset), seen | {file.resolve()})


def _read(path: str | Path) -> str:
    try:
        return read_text_file(path)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None


def _citations(clean: str) -> list[_Citation]:
    """Every bracketed group and in-text key, in document order."""
    clean = _FOOTNOTE_EDGES.sub(lambda m: "  " + m.group("body") + " ", clean)
    found: list[_Citation] = []
    taken: list[tuple[int, int]] = []
    for group in _GROUP.finditer(clean):
        keys = tuple(_key(m) for m in _KEY_RE.finditer(group.group("body")))
        if keys:
            found.append(_Citation(group.start(), group.end(), keys, False))
            taken.append((group.start(), group.end()))
    taken += [(m.start(), m.end()) for m in _LINK_TEXT.finditer(clean)]  # "[@user](url)"
    taken.sort()
    inside = iter(taken)
    span = next(inside, None)
    for m in _IN_TEXT.finditer(clean):
        while span and span[1] <= m.start():
            span = next(inside, None)
        if span and span[0] <= m.start() < span[1]:
            continue
        found.append(_Citation(m.start(), m.end(), (_key(m),), True))
    return sorted(found, key=lambda c: c.start)


def _key(m: re.Match[str]) -> str:
    return (m.group("braced") or m.group("key")).strip()


def _without_crossrefs(
    citation: _Citation,
    by_key: dict[str, Reference],
    bibliography: Bibliography,
    anchors: set[str],
) -> _Citation | None:
    """The citation without cross-reference keys (None when nothing else is left): keys with
    a cross-reference prefix and ids the document gives its own parts. A key the
    bibliography defines is a citation even when it looks like a cross-reference."""
    keys = tuple(
        k
        for k in citation.keys
        if k in by_key or k in bibliography.citekeys or not (CROSSREF.match(k) or k in anchors)
    )
    if len(keys) == len(citation.keys):
        return citation
    return replace(citation, keys=keys) if keys else None


def _link(
    key: str,
    by_key: dict[str, Reference],
    citekeys: dict[str, str],
    index: dict[manubot.Identifier, str],
    tags: dict[str, str],
) -> tuple[str, manubot.Identifier | None]:
    """The entry key a citation key cites, and the identifier when no entry carries it."""
    for _ in range(4):  # a tag may stand for another tag
        if key in by_key:
            return key, None
        if citekeys.get(key) in by_key:
            return citekeys[key], None
        if key.lower().startswith("tag:") and key[4:] in tags:
            key = tags[key[4:]]
            continue
        break
    ident = manubot.identifier(key)
    if ident is None:
        return key, None
    found = manubot.lookup(index, ident)
    return (found, None) if found else (str(ident), ident)


def _handle(key: str) -> bool:
    """An undefined in-text @word that does not look like a citation key: keys carry a year or
    a prefix (smith2020, Smith:2020) and start with a letter; "@biopython" is a user handle,
    "@4" in "stored @4 °C" is shorthand for "at"."""
    return not re.search(r"[\d:]", key) or key[0].isdigit()


def _no_bibliography(
    linked: list[tuple[_Source, _Citation, tuple[str, ...]]], named: dict[str, Reference]
) -> None:
    """Citations that only a bibliography could resolve, and none anywhere: say so."""
    for source, citation, keys in linked:
        plain = [k for k in keys if k not in named]
        if plain:
            where = source.at(citation.start)
            raise ReaderError(
                where.path,
                where.line,
                f"cites @{plain[0]} (Pandoc citation) but names no bibliography: add "
                "'bibliography: FILE.bib' to the YAML front matter, or pass --refs FILE.bib "
                "(or a CSL JSON .json)",
            )


def _numbered(
    database: tuple[Reference, ...], named: tuple[Reference, ...]
) -> tuple[Reference, ...]:
    """Database entries in order, then identifier-only works, each with a number."""
    database = number_in_order(database)
    last = max((r.number for r in database if r.number is not None), default=0)
    return database + tuple(replace(r, number=last + i) for i, r in enumerate(named, start=1))


def _callout(
    source: _Source, citation: _Citation, keys: tuple[str, ...], by_key: dict[str, Reference]
) -> Callout:
    clean = source.clean
    left, right = sentence_span(clean, citation.start, citation.end)
    if citation.in_text:
        # Pandoc prints the author's name for an in-text citation: that is the mention.
        ref = by_key.get(keys[0])
        mention = ref.authors[0].family if ref and ref.authors else ""
    else:
        mention = author_mention(clean[left : citation.start], clean[citation.end : right])
    return Callout(
        location=source.at(citation.start),
        text=" ".join(clean[citation.start : citation.end].split()),
        numbers=numbers_for(keys, by_key),
        sentence=" ".join(clean[left:right].split()),
        author_mention=mention,
        keys=keys,
    )
