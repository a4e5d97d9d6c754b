"""Text normalisation for comparing what a manuscript says with what a metadata record says."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Greek letters are spelled out so "TNF-α", "TNF-alpha" and "TNFα" compare equal. Lower and
# upper case map to the same name because comparisons are case-insensitive anyway.
GREEK_NAMES: dict[str, str] = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ο": "omicron",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "ς": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}

# Hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus sign, small and
# full-width hyphen-minus: PDF extraction and publishers use all of them for "-".
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]")
_SOFT_HYPHEN = "\u00ad"
# JATS/HTML/MathML tags, as Crossref titles carry them ("<i>in vivo</i>", "<sub>2</sub>").
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# LaTeX commands with or without a braced argument ("\emph{x}", "\textit{x}", "\&").
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*|\\(?=[^A-Za-z])")
_WORD = re.compile(r"[^\W_]+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*|doi\s+)", re.IGNORECASE)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def normalize_dashes(text: str) -> str:
    """Every dash-like character becomes "-"; soft hyphens (line-break artefacts) vanish."""
    return _DASHES.sub("-", text.replace(_SOFT_HYPHEN, ""))


def strip_markup(text: str) -> str:
    """Remove HTML/JATS tags, HTML entities, LaTeX commands, braces and math dollars."""
    text = html.unescape(_TAG.sub("", text))
    text = _LATEX_COMMAND.sub("", text)
    return text.replace("{", "").replace("}", "").replace("$", "")


def spell_greek(text: str) -> str:
    """Spell Greek letters as words ("IL-1β" -> "IL-1 beta "), so spacing never matters."""
    return "".join(f" {GREEK_NAMES[ch]} " if ch in GREEK_NAMES else ch for ch in text)


def strip_accents(text: str) -> str:
    """ "Ekström" -> "Ekstrom": records and manuscripts disagree on diacritics all the time."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """The comparison form of a text: no markup, no case, no accents, Greek spelled, one space.

    Cached: matching folds the same titles and names over and over.
    """
    text = unicodedata.normalize("NFKC", strip_markup(text)).casefold()
    if not text.isascii():
        text = strip_accents(spell_greek(normalize_dashes(text)))
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The folded words of a text; punctuation and dashes separate words and are dropped."""
    return _WORD.findall(fold(text))


def squash(text: str) -> str:
    """Folded letters and digits only: equal squashes mean "the same text, typeset differently"."""
    return "".join(words(text))


def doi_key(text: str) -> str:
    """Comparison form of a DOI ("https://doi.org/10.1/X." -> "10.1/x"); DOIs ignore case."""
    doi = _DOI_PREFIX.sub("", text.strip()).strip()
    return doi.rstrip(".,;").casefold()


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese/Japanese Han characters."""
    return bool(_CJK.search(text))


def locator_key(text: str) -> str:
    """Comparison form of a page, volume, issue or article number: "e070089" ~ "70089"."""
    key = squash(text)
    if re.fullmatch(r"e\d+", key):
        key = key[1:]  # e-prefixed electronic article numbers ("e70089")
    return key.lstrip("0") or key


# Hyphen, non-breaking hyphen, figure/en/em dash, minus: page ranges use any of them.
_PAGE_DASH = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212-]+")


def expand_pages(pages: str) -> tuple[str, str]:
    """Split a page range and expand an abbreviated end: "1611-21" -> ("1611", "1621").

    A single page or article number gives (value, ""); prefixes are kept ("D1694-8" ->
    ("D1694", "D1698")).
    """
    parts = [p.strip() for p in _PAGE_DASH.split(pages, maxsplit=1)]
    if len(parts) < 2 or not parts[1]:
        return parts[0], ""
    first, last = parts
    head = re.match(r"^([A-Za-z]*)(\d+)([A-Za-z]*)$", first)
    tail = re.match(r"^([A-Za-z]*)(\d+)([A-Za-z]*)$", last)
    if head and tail and not tail.group(1) and len(tail.group(2)) < len(head.group(2)):
        digits = head.group(2)
        last = head.group(1) + digits[: len(digits) - len(tail.group(2))] + tail.group(2)
    return first, last


def one_line(text: str) -> str:
    """All whitespace runs (newlines included) folded to single spaces."""
    return " ".join(text.split())


def line_starts(text: str) -> list[int]:
    """Offsets where each line begins (for turning offsets into line and column)."""
    return [0] + [m.end() for m in re.finditer("\n", text)]
