"""Read Pandoc Markdown: `[@key]`, `[see @a; @b, p. 3]` and in-text `@key` citations against a .bib or CSL-JSON.

Code blocks, inline code and the YAML front matter are blanked with spaces first, so a `@`
inside them is never a citation and every reported line and column stays true to the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from citecheck.callouts import author_mention, sentence_span
from citecheck.files import InputError, read_text_file
from citecheck.model import Author, Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import line_starts
from citecheck.readers.errors import ReaderError
from citecheck.readers.jats import compose_citation
from citecheck.readers.keyed import number_in_order, numbers_for
from citecheck.readers.latex import position, read_bib_file

# A citation key: "@doe99", "@smith:2004.x", or braced "@{key with spaces}"; internal
# punctuation allowed, trailing punctuation belongs to the sentence. It must start a word
# (after a space, "(", "[" or ";"), which rules out e-mail addresses and URLs.
_KEY = (
    r"(?<![^\s(\[;])(?P<dash>-?)@"
    r"(?:\{(?P<braced>[^{}]+)\}|(?P<key>\w(?:[\w:.#$%&\-+?<>~/]*\w)?))"
)
_KEY_RE = re.compile(_KEY)
# A bracketed citation group; a following "(" or ":" would make it a link or a link definition.
_GROUP = re.compile(r"\[(?P<body>[^\[\]]*?@[^\[\]]*?)\](?![(:])")
# In-text "@key" with an optional locator: "@doe99 [p. 33]".
_IN_TEXT = re.compile(_KEY + r"(?:\s*\[(?P<locator>[^\[\]@]*)\])?")
_FENCE = re.compile(r"^(?P<fence>```+|~~~+).*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
# Link targets and autolinks: "](http://x.org/@a)", "<https://x.org/@a>".
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)|<[a-z]+://[^>\s]*>")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KINDS = {
    "article-journal": "article",
    "article": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
}


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match with spaces, keeping newlines, so offsets stay valid."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def front_matter(text: str) -> dict:
    """The YAML front matter as a mapping ({} when absent or not a mapping)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}
    try:
        data = yaml.safe_load(m.group().strip().strip("-.").strip())
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_pandoc(
    text: str,
    path: str,
    references: tuple[Reference, ...],
    unparsed: tuple[UnparsedEntry, ...] = (),
    reference_list_location: Location | None = None,
) -> Manuscript:
    """A key-style Manuscript: the given entries plus one Callout per citation."""
    clean = text
    for pattern in (_FRONT_MATTER, _FENCE, _INLINE_CODE, _LINK_TARGET):
        clean = blank(clean, pattern)
    references = number_in_order(references)
    by_key = {ref.key: ref for ref in references}
    starts = line_starts(clean)
    found: list[tuple[int, int, tuple[str, ...], str]] = []
    taken: list[tuple[int, int]] = []
    for group in _GROUP.finditer(clean):
        keys = tuple(_key(m) for m in _KEY_RE.finditer(group.group("body")))
        if keys:
            found.append((group.start(), group.end(), keys, ""))
            taken.append((group.start(), group.end()))
    for m in _IN_TEXT.finditer(clean):
        if any(start <= m.start() < end for start, end in taken):
            continue
        key = _key(m)
        # Pandoc prints the author's name for an in-text citation: that is the mention.
        ref = by_key.get(key)
        found.append(
            (m.start(), m.end(), (key,), ref.authors[0].family if ref and ref.authors else "")
        )
    callouts = []
    for start, end, keys, printed_name in sorted(found):
        left, right = sentence_span(clean, start, end)
        mention = printed_name or author_mention(clean[left:start], clean[end:right])
        callouts.append(
            Callout(
                location=position(starts, start, path),
                text=clean[start:end],
                numbers=numbers_for(keys, by_key),
                sentence=" ".join(clean[left:right].split()),
                author_mention=mention,
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


def _key(m: re.Match[str]) -> str:
    return (m.group("braced") or m.group("key")).strip()


def read_pandoc_file(path: str | Path, refs: str | Path | None = None) -> Manuscript:
    """Read a Markdown file and its bibliography (`refs`, or `bibliography:` in its front matter)."""
    try:
        text = read_text_file(path)
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None
    if refs is not None:
        files, cited_from = [Path(refs)], None
    else:
        named = front_matter(text).get("bibliography") or []
        named = [named] if isinstance(named, str) else [str(n) for n in named]
        if not named:
            raise ReaderError(
                str(path),
                None,
                "no bibliography: in the front matter; pass the .bib or CSL-JSON with --refs",
            )
        files = [Path(path).parent / name for name in named]
        cited_from = Location(str(path), 1)  # the front matter names the file
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    for file in files:
        refs_found, bad = read_bibliography(file, cited_from)
        references.extend(refs_found)
        unparsed.extend(bad)
    return read_pandoc(
        text, str(path), tuple(references), tuple(unparsed), Location(str(files[0]), 1)
    )


def read_bibliography(
    file: Path, cited_from: Location | None = None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """A .bib (BibTeX/BibLaTeX) or .json (CSL-JSON) bibliography; other kinds are refused."""
    if file.suffix.lower() in (".bib", ".bibtex"):
        return read_bib_file(file, cited_from)
    if file.suffix.lower() == ".json":
        try:
            text = read_text_file(file)
        except InputError as error:
            raise ReaderError(error.path, error.line, error.message) from None
        return read_csl_json(text, str(file))
    where = cited_from or Location(str(file))
    raise ReaderError(
        where.path, where.line, f"{file}: expected a .bib or CSL-JSON .json bibliography"
    )


def read_csl_json(text: str, path: str) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """CSL-JSON items as References; invalid JSON is a ReaderError, odd items are unparsed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReaderError(path, error.lineno, f"not valid CSL-JSON: {error.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise ReaderError(path, 1, "CSL-JSON must be a list of items")
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    for item in data:
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            location = Location(path, None)
            unparsed.append(
                UnparsedEntry(
                    location, json.dumps(item, ensure_ascii=False)[:500], "item without an id"
                )
            )
            continue
        references.append(
            csl_item_to_reference(item, Location(path, _line_of(text, str(item["id"]))))
        )
    return tuple(references), tuple(unparsed)


def csl_item_to_reference(item: dict, location: Location) -> Reference:
    """One CSL-JSON item as a Reference (id is the key)."""
    authors = tuple(
        Author(str(a.get("family") or a.get("literal") or ""), str(a.get("given") or ""))
        for a in item.get("author") or []
        if isinstance(a, dict) and (a.get("family") or a.get("literal"))
    )
    fields = {
        "kind": _KINDS.get(str(item.get("type", "")), "misc"),
        "authors": authors,
        "et_al": False,
        "title": _string(item.get("title")),
        "container": _string(item.get("container-title")),
        "year": _year(item.get("issued")),
        "volume": _string(item.get("volume")),
        "issue": _string(item.get("issue")),
        "pages": re.sub(r"\s*[-–]+\s*", "-", _string(item.get("page"))),
        "article_number": _string(item.get("number"))
        if item.get("type") == "article-journal"
        else "",
        "doi": _string(item.get("DOI")),
        "pmid": _string(item.get("PMID")),
        "url": _string(item.get("URL")),
        "publisher": _string(item.get("publisher")),
    }
    language = "zh" if _string(item.get("language")).lower().startswith("zh") else "en"
    return Reference(
        key=str(item["id"]).strip(),
        raw=compose_citation(fields),
        location=location,
        language=language,
        **fields,
    )


def _string(value: object) -> str:
    if isinstance(value, list):  # some exporters write container-title as a list
        value = value[0] if value else ""
    return "" if value is None else str(value).strip()


def _year(issued: object) -> int | None:
    """The year of a CSL date: {"date-parts": [[2019, 5]]} or {"raw": "2019"}."""
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return int(parts[0][0])
        except (TypeError, ValueError):
            return None
    m = re.search(r"\b(1[5-9]|20)\d\d\b", str(issued.get("raw", issued.get("literal", ""))))
    return int(m.group()) if m else None


def _line_of(text: str, key: str) -> int | None:
    """The line of the item's `"id": "key"` in the JSON text (None when not found)."""
    m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(key, ensure_ascii=False)), text)
    return text.count("\n", 0, m.start()) + 1 if m else None
