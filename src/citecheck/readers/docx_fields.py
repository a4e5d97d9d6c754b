"""Reference-manager field codes in Word: which exact works a citation field names.

Zotero (`ADDIN ZOTERO_ITEM CSL_CITATION {json}`) and Mendeley (`ADDIN CSL_CITATION {json}`)
embed CSL-JSON items; EndNote (`ADDIN EN.CITE <EndNote>...`, or the same XML base64-encoded
in the field's `fldData` for EN.CITE.DATA) embeds its records; Word's own citations
(`CITATION tag \\m tag2`) name sources kept in customXml. Each item becomes a CSL-like
dict, so one converter (`csl_item_to_reference`) makes References of all four. Field codes
are user data: malformed JSON or XML yields no items, never an exception.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from citecheck.readers.docx_package import safe_parser
from citecheck.safeload import JsonError, parse_json

_CSL_CITATION = re.compile(r"^\s*ADDIN\s+(?:ZOTERO_ITEM\s+)?CSL_CITATION\b", re.IGNORECASE)
_ENDNOTE_CITE = re.compile(r"^\s*ADDIN\s+EN\.CITE\b(?!\.DATA)", re.IGNORECASE)
_BIBLIOGRAPHY = re.compile(
    r"^\s*(?:ADDIN\s+(?:ZOTERO_BIBL\b|EN\.REFLIST\b|Mendeley\s+Bibliography\b|.*CSL_BIBLIOGRAPHY)"
    r"|BIBLIOGRAPHY\b)",
    re.IGNORECASE,
)
# Word's own citations: "CITATION Smi19 \l 1033 \m Lee20" names sources by tag.
_WORD_CITATION = re.compile(r"^\s*CITATION\s+(\S+)", re.IGNORECASE)
_WORD_MORE = re.compile(r"\\m\s+(\S+)")
BIBLIOGRAPHY_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/bibliography}"
_MAX_FIELD = 5_000_000  # characters of one field code worth parsing

# EndNote reference types -> CSL types (the rest are "document", read as misc).
_ENDNOTE_TYPES = {
    "journal article": "article-journal",
    "electronic article": "article-journal",
    "magazine article": "article-magazine",
    "newspaper article": "article-newspaper",
    "book": "book",
    "edited book": "book",
    "electronic book": "book",
    "book section": "chapter",
    "electronic book section": "chapter",
    "conference proceedings": "paper-conference",
    "conference paper": "paper-conference",
    "thesis": "thesis",
    "report": "report",
    "government document": "report",
    "web page": "webpage",
    "computer program": "software",
    "dataset": "dataset",
    "patent": "patent",
    "standard": "standard",
}


@dataclass(frozen=True)
class CitedItem:
    """One work a citation field names: a stable key within the document and its CSL data."""

    key: str
    csl: dict


def is_bibliography(instruction: str) -> bool:
    """A field whose result is the printed bibliography (Zotero, Mendeley, EndNote)."""
    return bool(_BIBLIOGRAPHY.match(instruction))


def is_citation(instruction: str) -> bool:
    return bool(
        _CSL_CITATION.match(instruction)
        or _ENDNOTE_CITE.match(instruction)
        or _WORD_CITATION.match(instruction)
    )


def cited_items(
    instruction: str, data: str = "", sources: dict[str, dict] | None = None
) -> list[CitedItem] | None:
    """The items a citation field names; None when it is not a citation field at all.

    `sources` are Word's own bibliography sources by tag (see `word_sources`).
    """
    if len(instruction) > _MAX_FIELD or len(data) > _MAX_FIELD:
        return [] if is_citation(instruction) else None
    first = _WORD_CITATION.match(instruction)
    if first:
        tags = [first.group(1), *_WORD_MORE.findall(instruction)]
        found = [dict(sources[tag]) for tag in tags if sources and tag in sources]
        return [CitedItem(csl["id"], csl) for csl in found]
    if _CSL_CITATION.match(instruction):
        return _csl_items(instruction)
    if _ENDNOTE_CITE.match(instruction):
        xml = instruction[instruction.find("<") :] if "<" in instruction else _decode(data)
        return _endnote_items(xml)
    return None


def item_key(csl: dict) -> str:
    """A document-wide identity for an item: its DOI, else its title, else author and year.

    Mendeley numbers items per citation ("ITEM-1" everywhere), so its ids cannot be keys.
    """
    doi = _text(csl.get("DOI")).lower().strip()
    if doi:
        return f"doi:{doi}"
    title = normalized_title(_text(csl.get("title")))
    if title:
        return f"title:{title[:80]}"
    authors = csl.get("author") or []
    first = authors[0] if authors and isinstance(authors[0], dict) else {}
    name = _text(first.get("family") or first.get("literal"))
    year = _text(((csl.get("issued") or {}).get("date-parts") or [[""]])[0][0])
    return f"item:{normalized_title(name)}:{year}:{_text(csl.get('id'))}"


def normalized_title(title: str) -> str:
    """Letters and digits only, casefolded and without accents: a title's identity."""
    decomposed = unicodedata.normalize("NFKD", title)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


# -- Word's own sources ----------------------------------------------------------------------------

_WORD_TYPES = {
    "journalarticle": "article-journal",
    "articleinaperiodical": "article-magazine",
    "book": "book",
    "booksection": "chapter",
    "conferenceproceedings": "paper-conference",
    "report": "report",
    "internetsite": "webpage",
    "documentfrominternetsite": "webpage",
    "patent": "patent",
}


def word_sources(root: etree._Element | None) -> dict[str, dict]:
    """Tag -> CSL-like dict for each <b:Source> of a customXml b:Sources part."""
    if root is None or root.tag != f"{BIBLIOGRAPHY_NS}Sources":
        return {}
    b = BIBLIOGRAPHY_NS
    sources: dict[str, dict] = {}
    for source in root.iter(f"{b}Source"):
        tag = _path_text(source, f"{b}Tag")
        if not tag:
            continue
        authors = []
        for person in source.iterfind(f"{b}Author/{b}Author/{b}NameList/{b}Person"):
            given = " ".join(
                filter(None, (_path_text(person, f"{b}First"), _path_text(person, f"{b}Middle")))
            )
            authors.append({"family": _path_text(person, f"{b}Last"), "given": given})
        corporate = _path_text(source, f"{b}Author/{b}Author/{b}Corporate")
        if corporate and not authors:
            authors.append({"family": corporate, "literal": corporate})
        csl = {
            "type": _WORD_TYPES.get(_path_text(source, f"{b}SourceType").lower(), "document"),
            "author": [a for a in authors if a.get("family")],
            "title": _path_text(source, f"{b}Title"),
            "container-title": _path_text(source, f"{b}JournalName")
            or _path_text(source, f"{b}BookTitle")
            or _path_text(source, f"{b}ConferenceName")
            or _path_text(source, f"{b}PeriodicalTitle"),
            "volume": _path_text(source, f"{b}Volume"),
            "issue": _path_text(source, f"{b}Issue"),
            "page": _path_text(source, f"{b}Pages"),
            "publisher": _path_text(source, f"{b}Publisher"),
            "DOI": _path_text(source, f"{b}DOI"),
            "URL": _path_text(source, f"{b}URL"),
            "issued": _year_date(_path_text(source, f"{b}Year")),
        }
        csl = {k: v for k, v in csl.items() if v}
        csl["id"] = item_key({**csl, "id": f"word-{tag}"})
        sources[tag] = csl
    return sources


# -- Zotero / Mendeley ---------------------------------------------------------------------------


def _csl_items(instruction: str) -> list[CitedItem]:
    start, end = instruction.find("{"), instruction.rfind("}")
    if start < 0 or end <= start:
        return []
    try:
        data = parse_json(instruction[start : end + 1], strict=False)
    except JsonError:  # malformed, NaN, too deep: no items rather than a guess
        return []
    entries = data.get("citationItems") if isinstance(data, dict) else None
    items = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("itemData"), dict):
            continue
        csl = _clean_csl(entry["itemData"])
        csl["id"] = item_key(csl)
        items.append(CitedItem(csl["id"], csl))
    return items


def _clean_csl(item: dict) -> dict:
    """Only well-typed fields survive: strings, a list of name dicts, a date-parts dict."""
    clean: dict = {}
    for name, value in item.items():
        if name in ("author", "editor"):
            if isinstance(value, list):
                clean[name] = [_name(a) for a in value if isinstance(a, dict)]
        elif name in ("issued",):
            if isinstance(value, dict):
                clean[name] = _date(value)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            clean[name] = str(value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            clean[name] = value[0]
    return clean


def _name(author: dict) -> dict:
    """A CSL name; Mendeley writes particles separately ("da" + "F. Costa")."""
    family = _text(author.get("family"))
    particle = _text(author.get("non-dropping-particle"))
    if particle and family and not family.lower().startswith(particle.lower()):
        family = f"{particle} {family}"
    name = {"family": family, "given": _text(author.get("given"))}
    if not family and author.get("literal"):
        name["literal"] = _text(author.get("literal"))
    return name


def _date(value: dict) -> dict:
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year = str(parts[0][0])
        if year.isdigit():
            return {"date-parts": [[int(year)]]}
    raw = _text(value.get("raw") or value.get("literal"))
    return {"raw": raw} if raw else {}


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


# -- EndNote ---------------------------------------------------------------------------------------


def _decode(data: str) -> str:
    """EN.CITE.DATA: base64 of the EndNote XML (NUL-terminated), one chunk per fldData."""
    decoded = []
    for chunk in data.split("|"):
        try:
            raw = base64.b64decode("".join(chunk.split()), validate=False)
        except (binascii.Error, ValueError):
            continue
        decoded.append(raw.rstrip(b"\x00").decode("utf-8", errors="replace"))
    return "".join(decoded)


def _endnote_items(xml: str) -> list[CitedItem]:
    """Items of every <EndNote> document in the code (EN.CITE.DATA may repeat it)."""
    xml = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", xml)
    items: dict[str, CitedItem] = {}
    for document in _ENDNOTE_DOCUMENT.findall(xml):
        try:
            root = etree.fromstring(document.encode("utf-8"), parser=safe_parser())
        except (etree.XMLSyntaxError, ValueError):
            continue
        if root is not None:
            for item in _endnote_cites(root):
                items.setdefault(item.key, item)
    return list(items.values())


_ENDNOTE_DOCUMENT = re.compile(r"<EndNote\b.*?</EndNote>", re.DOTALL)


def _endnote_cites(root: etree._Element) -> list[CitedItem]:
    items = []
    for cite in root.iter("Cite"):
        record = cite.find("record")
        csl = _endnote_record(record) if record is not None else {}
        if not csl.get("title") and not csl.get("author"):
            author, year = _child_text(cite, "Author"), _child_text(cite, "Year")
            if not author:
                continue
            csl = {"author": [{"family": author}], "issued": _year_date(year)}
        recnum = _child_text(cite, "RecNum")
        csl["id"] = item_key({**csl, "id": f"endnote-{recnum}"})
        items.append(CitedItem(csl["id"], csl))
    return items


def _endnote_record(record: etree._Element) -> dict:
    """An EndNote <record> as a CSL-like dict."""
    ref_type = record.find("ref-type")
    kind = (ref_type.get("name") or "") if ref_type is not None else ""
    authors = [_split_name(_all_text(a)) for a in record.findall("contributors/authors/author")]
    csl: dict = {
        "type": _ENDNOTE_TYPES.get(kind.lower(), "document"),
        "author": [a for a in authors if a],
        "title": _path_text(record, "titles/title"),
        "container-title": _path_text(record, "titles/secondary-title")
        or _path_text(record, "periodical/full-title"),
        "volume": _path_text(record, "volume"),
        "issue": _path_text(record, "number"),
        "page": _path_text(record, "pages"),
        "publisher": _path_text(record, "publisher"),
        "issued": _year_date(_path_text(record, "dates/year")),
    }
    doi = re.search(r"10\.\d{4,9}/\S+", _path_text(record, "electronic-resource-num"))
    if doi:
        csl["DOI"] = doi.group().rstrip(".")
    pmid = _path_text(record, "accession-num")
    if pmid.isdigit():
        csl["PMID"] = pmid
    url = _path_text(record, "urls/related-urls/url")
    if url:
        csl["URL"] = url
    return {k: v for k, v in csl.items() if v}


def _split_name(text: str) -> dict:
    """'Bäckhed, F.' -> family/given; a name without a comma is an organisation."""
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return {}
    family, comma, given = text.partition(",")
    if not comma:
        return {"literal": text, "family": text}
    return {"family": family.strip(), "given": given.strip()}


def _year_date(year: str) -> dict:
    m = re.search(r"\b(1[5-9]|20)\d\d\b", year or "")
    return {"date-parts": [[int(m.group())]]} if m else {}


def _all_text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _path_text(record: etree._Element, path: str) -> str:
    found = record.find(path)
    return " ".join(_all_text(found).split()) if found is not None else ""


def _child_text(element: etree._Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""
