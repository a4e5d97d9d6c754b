"""CSL JSON (Pandoc, Zotero, Mendeley, Manubot `references.json`) as References.

CSL JSON comes from many exporters and sometimes from hostile hands: every field is read
by type (a list where a string belongs, a 5,000-digit year, `Infinity`, nesting deep enough
to exhaust the stack), so that bad data becomes a one-line ReaderError or an unparsed entry,
never a traceback.
"""

from __future__ import annotations

import html
import json
import math
import re

from citecheck import safeload
from citecheck.files import InputError
from citecheck.model import Author, Location, Reference, UnparsedEntry
from citecheck.readers.errors import ReaderError
from citecheck.readers.jats import compose_citation

# CSL item type -> the BibTeX/BibLaTeX entry type the rules know. CSL "article" is a
# preprint or working paper (CSL 1.0.2), "manuscript" what Manubot gives bioRxiv preprints.
KINDS = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "article": "preprint",
    "manuscript": "unpublished",
    "book": "book",
    "chapter": "incollection",
    "entry-encyclopedia": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "software": "software",
    "dataset": "dataset",
    "patent": "patent",
    "standard": "standard",
    "legislation": "misc",
}
_ID_FIELD = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")')
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)
_NOTE_ID = re.compile(r"^standard_id:\s*(\S+)\s*$", re.MULTILINE)


def read_csl_json(text: str, path: str) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """CSL JSON items as References; invalid JSON is a ReaderError, odd items are unparsed."""
    return references_from_items(csl_items(text, path), text, path)


def csl_items(text: str, path: str) -> list:
    """The items of a CSL JSON file (a list, or Zotero's {"items": [...]})."""
    data = load_json(text, path)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise ReaderError(path, 1, "CSL JSON must be a list of items")
    return data


def references_from_items(
    items: list, text: str, path: str
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """References for the items with an id; the others are unparsed entries."""
    lines = _id_lines(text)
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    for item in items:
        key = item_key(item)
        if not key:
            shown = json.dumps(item, ensure_ascii=False)[:500]
            unparsed.append(UnparsedEntry(Location(path, None), shown, "item without an id"))
            continue
        references.append(csl_item_to_reference(item, Location(path, lines.get(key))))
    return tuple(references), tuple(unparsed)


def load_json(text: str, path: str) -> object:
    """Parsed JSON by citecheck's bounded parser; any problem is a ReaderError with its line."""
    try:
        return safeload.load_json(text, path, what="CSL JSON")
    except InputError as error:
        raise ReaderError(error.path, error.line, error.message) from None


def csl_item_to_reference(item: dict, location: Location) -> Reference:
    """One CSL JSON item as a Reference (its id is the key); unusable fields are left empty."""
    csl_type = _string(item.get("type"))
    fields = {
        "kind": KINDS.get(csl_type, "misc"),
        "authors": _authors(item.get("author")),
        "et_al": False,
        "title": _plain(_string(item.get("title"))),
        "container": _plain(_string(item.get("container-title"))),
        "year": _year(item.get("issued")),
        "volume": _string(item.get("volume")),
        "issue": _string(item.get("issue")),
        "pages": re.sub(r"\s*[-–]+\s*", "-", _string(item.get("page"))),
        "article_number": _string(item.get("number")) if csl_type == "article-journal" else "",
        "doi": _string(item.get("DOI")),
        "pmid": _string(item.get("PMID")),
        "url": _string(item.get("URL")),
        "publisher": _string(item.get("publisher")),
    }
    language = "zh" if _string(item.get("language")).lower().startswith("zh") else "en"
    return Reference(
        key=item_key(item),
        raw=compose_citation(fields),
        location=location,
        language=language,
        pmcid=_string(item.get("PMCID")),
        arxiv=_arxiv(item, fields["url"]),
        isbn=_string(item.get("ISBN")),
        **fields,
    )


def standard_id(item: dict) -> str:
    """The citation an item stands for in Manubot ("doi:10.1/x", "raw:phylip"): noted as
    standard_id on items it generated, or the older `standard_citation` field; "" if none."""
    m = _NOTE_ID.search(_string(item.get("note")))
    return m.group(1) if m else _string(item.get("standard_citation"))


def item_key(item: object) -> str:
    """An item's key: its id, or for older Manubot manual references its standard_citation."""
    if not isinstance(item, dict):
        return ""
    return _string(item.get("id")) or _string(item.get("standard_citation"))


def _authors(value: object) -> tuple[Author, ...]:
    if not isinstance(value, list):
        return ()
    found = []
    for person in value:
        if isinstance(person, dict):
            family = _string(person.get("family")) or _string(person.get("literal"))
            if family:
                found.append(Author(family, _string(person.get("given"))))
    return tuple(found)


def _string(value: object) -> str:
    """A text field as a string; lists give their first element (some exporters write
    container-title as a list), anything that is not text or a finite number gives ""."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, (str, int)):
        return str(value).strip()
    return ""


def _plain(text: str) -> str:
    """Rich-text markup out: Crossref titles carry JATS/HTML tags (`<scp>RNA</scp>`), entities
    (`&amp;`) and line breaks, which CSL processors render away."""
    if "<" in text or "&" in text:
        text = html.unescape(re.sub(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>", "", text))
    return " ".join(text.split())


def _year(issued: object) -> int | None:
    """The year of a CSL date: {"date-parts": [[2019, 5]]}, {"raw": "2019"}, {"literal": ...}."""
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        m = re.fullmatch(r"-?\d{1,4}", _string(parts[0][0]))
        return int(m.group()) if m else None
    m = re.search(
        r"\b(1[5-9]|20)\d\d\b", _string(issued.get("raw")) or _string(issued.get("literal"))
    )
    return int(m.group()) if m else None


def _arxiv(item: dict, url: str) -> str:
    """The arXiv id from Manubot's note, the URL, or the number of an item in arXiv."""
    noted = standard_id(item)
    if noted.lower().startswith("arxiv:"):
        return noted.split(":", 1)[1]
    m = _ARXIV_URL.search(url)
    if m:
        return m.group(1)
    if _string(item.get("container-title")).lower() == "arxiv":
        return _string(item.get("number"))
    return ""


def _id_lines(text: str) -> dict[str, int]:
    """The line of each item's `"id": "key"` in the JSON text, found in one pass."""
    lines: dict[str, int] = {}
    line, last = 1, 0
    for m in _ID_FIELD.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        try:
            key = json.loads(m.group(1))
        except ValueError:
            continue
        lines.setdefault(key.strip(), line)
    return lines
