"""Read Pandoc-family manuscripts (Markdown, R Markdown, Quarto, Manubot): `[@key]`,
`[see @a; @b, p. 3]` and in-text `@key` citations against their bibliography.

The bibliography is `--refs`, else Manubot's `references.json` beside the manuscript, else
the files the front matter (or the Quarto project) names plus inline `references:`. It is a
database: Pandoc prints only what is cited, so uncited entries are not problems. Keys are
linked as written, through Manubot's citations.tsv and tags, or by the identifier they name
(`@doi:10.1/x`); cross-references (`@fig:x`, `@fig-x`) are never citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from citecheck.callouts import author_mention, sentence_span
from citecheck.files import InputError, read_text_file
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import line_starts
from citecheck.readers import frontmatter, manubot
from citecheck.readers.csljson import (  # re-exported: the Word reader reads embedded CSL items
    csl_item_to_reference,
    csl_items,
    item_key,
    read_csl_json,
    references_from_items,
    standard_id,
)
from citecheck.readers.errors import ReaderError
from citecheck.readers.keyed import number_in_order, numbers_for
from citecheck.readers.latex import position, read_bib_file
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
# pandoc-crossref ("@fig:x") and Quarto ("@fig-x") cross-references.
_CROSSREF = re.compile(
    r"(?:fig|tbl|eq|sec|lst|tab|apx|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|tip|nte|wrn"
    r"|imp|cau|suppfig|supptbl)[:-]\w",
    re.IGNORECASE,
)
_CSL_YAML = (".yaml", ".yml")
_MAX_INCLUDE_DEPTH = 8


@dataclass(frozen=True)
class Bibliography:
    """Where citations are linked: the entries, and Manubot's maps onto their keys."""

    references: tuple[Reference, ...] = ()
    unparsed: tuple[UnparsedEntry, ...] = ()
    location: Location | None = None
    citekeys: dict[str, str] = field(default_factory=dict)  # citations.tsv: citekey -> item id
    noted: dict[str, str] = field(default_factory=dict)  # item id -> Manubot standard_id
    found: bool = True  # False: none named anywhere
    complete: bool = True  # False: a named file is missing, so an undefined key proves nothing


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
                if not bibliography.complete:
                    continue  # perhaps defined in the missing file: say nothing
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


def find_bibliography(path: Path, text: str, meta: dict, refs: Path | None) -> Bibliography:
    """The manuscript's bibliography: `refs`, Manubot's references.json, or what the front
    matter, its inline `references:` and the Quarto project name (relative to their file)."""
    if refs is not None:
        return _read_files([refs], None, refs.parent)
    if _is_manubot(path.parent, meta):
        return _read_files([path.parent / manubot.REFERENCES_JSON], None, path.parent)
    where = frontmatter.metadata_location(str(path), text, "bibliography")
    files = frontmatter.bibliography_files(meta, path.parent)
    project = frontmatter.project_bibliography(path) if not files else None
    if project:
        files, where = project
    if not files:  # a Manubot content file: its manual references, if any
        files = [f for f in _manual_references(path.parent) if f.is_file()][:1]
    bibliography = _read_files(files, where, path.parent) if files else Bibliography(found=False)
    inline = _inline_references(meta, str(path), text)
    if inline:
        return replace(
            bibliography,
            references=inline + bibliography.references,
            location=bibliography.location or Location(str(path), 1),
            found=True,
        )
    return bibliography


def read_bibliography(
    file: Path, cited_from: Location | None = None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """A .bib (BibTeX/BibLaTeX), .json (CSL JSON) or .yaml (CSL YAML) bibliography."""
    references, unparsed, _ = _read_database(file, cited_from)
    return references, unparsed


def _read_database(
    file: Path, cited_from: Location | None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...], dict[str, str]]:
    """Entries, unreadable entries, and for CSL JSON each item's Manubot standard_id."""
    suffix = file.suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return (*read_bib_file(file, cited_from), {})
    if suffix != ".json" and suffix not in _CSL_YAML:
        expected = "expected a .bib, CSL JSON (.json) or CSL YAML (.yaml) bibliography"
        if cited_from is None:
            raise ReaderError(str(file), None, expected)
        raise ReaderError(cited_from.path, cited_from.line, f"bibliography {file}: {expected}")
    try:
        text = read_text_file(file)
    except InputError as error:
        if cited_from is not None:
            raise ReaderError(
                cited_from.path, cited_from.line, f"bibliography {file}: {error.message}"
            ) from None
        raise ReaderError(error.path, error.line, error.message) from None
    if suffix == ".json":
        items = csl_items(text, str(file))
    else:
        items = frontmatter.load_yaml(text, str(file)).get("references")
        items = items if isinstance(items, list) else []
    noted = {
        item_key(item): standard_id(item)
        for item in items
        if isinstance(item, dict) and item_key(item) and standard_id(item)
    }
    return (*references_from_items(items, text, str(file)), noted)


def _read(path: str | Path) -> str:
    try:
        return read_text_file(path)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None


def _is_manubot(folder: Path, meta: dict) -> bool:
    """Manubot's output: references.json beside citations.tsv, or named by manubot-* keys."""
    if not (folder / manubot.REFERENCES_JSON).is_file():
        return False
    return (folder / manubot.CITATIONS_TSV).is_file() or any(
        str(k).startswith("manubot-") for k in meta
    )


def _manual_references(folder: Path) -> list[Path]:
    return [folder / manubot.MANUAL_REFERENCES, folder / "content" / manubot.MANUAL_REFERENCES]


def _read_files(files: list[Path], where: Location | None, folder: Path) -> Bibliography:
    """Entries of every file; for Manubot's references.json also its citekey map and ids."""
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    noted: dict[str, str] = {}
    present = [f for f in files if f.exists()]
    # One of several named files missing (knitr's generated packages.bib, say): read the
    # others; keys that only the missing file could define are then "cannot tell".
    complete = len(present) == len(files) or not present
    for file in present or files:  # none present: the first one says "no such file"
        found, bad, ids = _read_database(file, where)
        references.extend(found)
        unparsed.extend(bad)
        noted.update(ids)
    # A citation names an item by its Manubot standard id ("raw:phylip") or, through
    # citations.tsv, by whatever the manuscript wrote.
    citekeys = {std: key for key, std in noted.items()}
    citekeys.update(manubot.citekey_map(folder) if noted else {})
    return Bibliography(
        tuple(references),
        tuple(unparsed),
        Location(str(files[0]), 1),
        citekeys,
        noted,
        complete=complete,
    )


def _inline_references(meta: dict, path: str, text: str) -> tuple[Reference, ...]:
    """CSL items written in the front matter's `references:` list."""
    items = meta.get("references")
    if not isinstance(items, list):
        return ()
    found, _ = references_from_items(items, "", path)
    where = frontmatter.metadata_location(path, text, "references")
    return tuple(replace(ref, location=where) for ref in found)


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
        if k in by_key or k in bibliography.citekeys or not (_CROSSREF.match(k) or k in anchors)
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
