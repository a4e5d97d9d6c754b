"""Author-year citations ("Smith et al., 2004a", "(Potter and McMichael, 1983)"): find and link them.

A cite names one to two family names (or a first name plus "et al.") and a year with an
optional a/b suffix. Linking picks the reference whose first author and year agree, using
the second author, the author count and the suffix to tell same-year works apart; when the
text cannot decide, nothing is linked rather than a guess.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from citecheck.citations.callouts import sentence_span
from citecheck.model import Callout, Location, Reference
from citecheck.normalize import line_starts

_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:de|del|della|van|von|der|den|da|di|dos|du|la|le|ten|ter|'t)"
# One family name: capitalised words, possibly with particles ("Gerhardsson de Verdier").
# Organisations join capitalised words with "for", "of", "the" ("National Center for ...").
# Letters only: "HDC-TM60 HD 1920" is a camera, not a name and a year.
# A Chinese name or organisation ("余敏", "中国图书馆学会") is a name too: GB/T 7714's and
# APA's author-year cites print it as written, "(余敏, 2001)".
# Letters may carry combining accents ("Carvajal-Rodrı́guez": a dotless i and U+0301).
_LETTER = r"(?:[^\W\d_][\u0300-\u036f]*)"
_WORD = (
    rf"(?:[{_UPPER}][\u0300-\u036f]*{_LETTER}*(?:['’\-‐‑]{_LETTER}+)*"
    rf"|[\u4e00-\u9fff]{{2,20}}(?![\u4e00-\u9fff]))"
)
_FAMILY = (
    rf"(?:{_PARTICLE}\s+)*{_WORD}"
    rf"(?:\s+(?:(?:{_PARTICLE}|for|of|the|on)\s+)*{_WORD})*"
)
# "et la." is the common typo of "et al." (a Frontiers article prints "Gácsi et la., 2013").
_ET_AL = r"(?:\s+et\s+(?:al|la)\.?|\s+and\s+(?:colleagues|co-?workers)|\s*等)"
# One name, "X and Y", "X & Y", or an APA list "X, Y, & Z" / "X, Y and Z"; never from the
# middle of a word ("r bA Li et al. (2020)" is "Li").
_AUTHORS = (
    rf"(?<!\w)(?P<first>{_FAMILY})(?:(?P<etal>{_ET_AL})|(?P<middle>(?:\s*,\s*{_FAMILY})*)\s*,?"
    rf"\s+(?:and|&)\s+(?P<second>{_FAMILY}))?"
)
_YEAR = r"(?:1[5-9]|20)\d\d"
# "2024/2026a": APA's original and republished year; the entry is dated by the later one.
_YEARS = rf"(?P<years>(?:{_YEAR}/)?{_YEAR}[a-z]?(?:\s*,\s*(?:{_YEAR}[a-z]?|[a-z]\b))*)"
# "Smith et al., 2004a" inside parentheses or a cite list.
_CITE = re.compile(rf"{_AUTHORS}\s*,?\s+{_YEARS}")
# APA's "(Cramer, Huang, et al., 2021)": as many first authors as tell same-year works apart,
# then "et al." (inside parentheses only: "Thus, Smith et al. (2020)" starts a sentence).
_LEAD_ET_AL = re.compile(
    rf"(?P<first>{_FAMILY})(?P<middle>(?:\s*,\s*{_FAMILY})+)\s*,(?P<etal>\s+et\s+al\.?)"
    rf"(?P<second>(?!))?\s*,?\s+{_YEARS}"
)
# "Smith et al. (2004)" in running text: the name outside, the year in parentheses.
_NARRATIVE = re.compile(rf"{_AUTHORS}\s*[(（]\s*{_YEARS}\s*[)）]")
_HAS_YEAR = re.compile(_YEAR)
_NOT_NAMES = {
    "In",
    "See",
    "The",
    "Table",
    "Figure",
    "Fig",
    "And",
    "For",
    "From",
    "Since",
    "Between",
}


_MONTHS = frozenset(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September")
    + ("October", "November", "December")
)


# Words that open a sentence before a comma, read as the first of an APA list "X, Y & Z".
_CONNECTIVES = frozenset(
    [
        "Similarly",
        "Likewise",
        "However",
        "Moreover",
        "Furthermore",
        "Additionally",
        "Interestingly",
        "Importantly",
        "Notably",
        "Recently",
        "Previously",
        "Thus",
        "Hence",
        "Therefore",
        "Indeed",
        "Finally",
        "Conversely",
        "Specifically",
        "Consequently",
        "Accordingly",
        "Nevertheless",
        "Nonetheless",
        "Alternatively",
        "Subsequently",
        "Meanwhile",
        "Ultimately",
        "Lastly",
        "Surprisingly",
        "Originally",
        "Initially",
    ]
)


@dataclass(frozen=True)
class AuthorYearCite:
    """One author-year cite: the names and year it gives, and where it sits in the text."""

    text: str
    names: tuple[str, ...]
    et_al: bool
    year: int
    suffix: str
    start: int
    end: int

    @property
    def mention(self) -> str:
        """The author part as a reader sees it: "Smith et al.", "Potter and McMichael"."""
        if len(self.names) >= 2:
            return ", ".join(self.names[:-1]) + f" and {self.names[-1]}"
        return f"{self.names[0]} et al." if self.et_al else self.names[0]


def parse_cites(text: str, offset: int = 0) -> list[AuthorYearCite]:
    """Cites in a citation text: "Smith et al., 2004a, b; Jones 2005" or "Smith (2004)"."""
    cites: list[AuthorYearCite] = []
    for m in _NARRATIVE.finditer(text):
        cites.extend(_expand(m, offset))
    if not cites:
        for m in _CITE.finditer(text):
            if _starts_a_cite(text[: m.start()]):
                cites.extend(_expand(m, offset))
        for m in _LEAD_ET_AL.finditer(text):
            if _starts_a_cite(text[: m.start()]) and not any(
                c.start < m.end() + offset and m.start() + offset < c.end for c in cites
            ):
                cites.extend(_expand(m, offset))
        cites.sort(key=lambda c: c.start)
    return cites


def _starts_a_cite(before: str) -> bool:
    """A cite in a list begins the list, follows a separator or a lowercase word ("see also"),
    never the middle of a product or model name ("Panasonic HDC-TM60 HD 1920")."""
    before = before.rstrip()
    if not before or before[-1] in ";,:([（":
        return True
    last = before.split()[-1]
    return last[:1].islower() or last.rstrip(".").lower() in {"e.g", "i.e", "cf", "see"}


# "(Nagel et al., Cancer Res, 2008)", "(Wu and Belasco, Methods in Enzymology, 2008)": after
# "et al." or a second author no author follows, so what comes before the year is the journal.
_JOURNAL_IN_CITE = re.compile(
    rf"(et\s+al\.?,|\s(?:and|&)\s+{_WORD},)\s+[{_UPPER}][^,;()\d]{{1,60}},(?=\s+{_YEAR}\b)"
)


def find_author_year(text: str) -> list[AuthorYearCite]:
    """Every author-year cite in running text: parenthetical lists and "Smith (2004)" forms."""
    cites: list[AuthorYearCite] = []
    taken: list[tuple[int, int]] = []
    for m in _NARRATIVE.finditer(text):
        cites.extend(_expand(m, 0))
        taken.append((m.start(), m.end()))
    for start, inner in parentheticals(text):
        if any(lo <= start < hi for lo, hi in taken) or not _HAS_YEAR.search(inner):
            continue
        inner = _JOURNAL_IN_CITE.sub(lambda m: m[1] + " " * (len(m[0]) - len(m[1])), inner)
        cites.extend(parse_cites(inner, start))
    return sorted(cites, key=lambda c: c.start)


def parentheticals(text: str, longest: int = 2000) -> list[tuple[int, str]]:
    """(offset, text) of every parenthetical, the ones nested in it blanked to spaces.

    "(marmosets (Callithrix jacchus): Werdenich and Huber, 2002)" keeps its cite and
    "(a (Smith 2004))" gives "(Smith 2004)" on its own; blanks keep offsets, so locations
    stay exact. Parentheses are paired with a stack in
    one pass; an unpaired "(" or ")" (a cut URL, a list item "a)") pairs with nothing, and a
    pair longer than `longest` is no parenthetical (its inner ones still are).
    """
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            j = stack.pop()
            if i - j <= longest:
                pairs.append((j, i))
    pairs.sort()
    found: list[tuple[int, str]] = []
    for k, (lo, hi) in enumerate(pairs):
        inner = list(text[lo + 1 : hi])
        for a, b in pairs[k + 1 :]:
            if a > hi:
                break
            inner[a - lo - 1 : b - lo] = " " * (b - a + 1)  # nested: read on its own
        found.append((lo + 1, "".join(inner)))
    return found


def _expand(m: re.Match[str], offset: int) -> list[AuthorYearCite]:
    """One cite per year: "Smith 2004a, b" cites 2004a and 2004b."""
    first = " ".join(m.group("first").split())
    middle = [" ".join(n.split()) for n in (m.group("middle") or "").split(",") if n.strip()]
    if first in _CONNECTIVES and middle:
        # "Similarly, Dupuy & Prakash (2018)": the sentence's first word, then the names.
        first, middle = middle[0], middle[1:]
    if first.split()[0] in _NOT_NAMES:
        # "In Smith 2004" / "See Smith 2004": drop the leading word, keep the name.
        rest = first.split()[1:]
        if not rest:
            return []
        first = " ".join(rest)
    second = (" ".join(m.group("second").split()),) if m.group("second") else ()
    if (
        first in _MONTHS
        and not (middle or second or m.group("etal"))
        and not re.match(rf"{re.escape(m.group('first'))}\s*,", m.group())
    ):
        return []  # "(June 2017)", "(August 2009)": a date, not "June, 2017"
    names = tuple(re.sub(r"['’]s$", "", n) for n in (first, *middle, *second))  # "Braithwaite's"
    cites = []
    year = 0
    for item in (i.strip() for i in m.group("years").split(",")):
        digits = re.match(rf"(?:{_YEAR}/)?({_YEAR})?([a-z]?)$", item)
        if not digits:
            continue
        year = int(digits.group(1)) if digits.group(1) else year
        if year:
            cites.append(
                AuthorYearCite(
                    text=" ".join(m.group().split()),
                    names=names,
                    et_al=bool(m.group("etal")),
                    year=year,
                    suffix=digits.group(2),
                    start=m.start() + offset,
                    end=m.end() + offset,
                )
            )
    return cites


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Casefolded letters only, accents removed: "Strähle" -> "strahle".

    Cached: every cite compares its names with the same few hundred family names.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isalpha()).casefold()


def same_family(written: str, listed: str) -> bool:
    """Does a name written in the text denote this reference author's family name?"""
    a, b = normalize_name(written), normalize_name(listed)
    if not a or not b:
        return False
    if a == b:
        return True
    # Particles and compound names are cited inconsistently ("de Verdier" / "Gerhardsson de Verdier").
    if min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a)):
        return True
    return min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 90


def _first_author_fits(cite: AuthorYearCite, ref: Reference) -> bool:
    if ref.authors:
        return same_family(cite.names[0], ref.authors[0].family)
    # Organisations and names the parser could not split: the entry starts with the name.
    name = normalize_name(cite.names[0])
    return len(name) >= 3 and normalize_name(ref.raw[: len(cite.names[0]) + 10]).startswith(name)


def candidates(cite: AuthorYearCite, references: Sequence[Reference]) -> list[Reference]:
    """References whose first author and year fit the cite, best fits first."""
    fits = [ref for ref in references if ref.year == cite.year and _first_author_fits(cite, ref)]
    if len(fits) <= 1:
        return fits

    def shape(ref: Reference) -> int:
        """How well the author count and second author agree (higher is better)."""
        count = len(ref.authors)
        if cite.et_al and len(cite.names) > 1:  # "Cramer, Huang, et al.": the first authors
            agree = [
                i < count and same_family(name, ref.authors[i].family)
                for i, name in enumerate(cite.names)
            ]
            return agree.index(False) if False in agree else len(agree)
        if len(cite.names) > 2:  # an APA list names every author
            second = count >= 2 and same_family(cite.names[1], ref.authors[1].family)
            return 2 * second + (count == len(cite.names))
        if len(cite.names) == 2:
            second = count >= 2 and same_family(cite.names[1], ref.authors[1].family)
            return 2 * second + (count == 2 and not ref.et_al)
        if cite.et_al:
            return int(count >= 3 or ref.et_al)
        return int(count == 1 and not ref.et_al)

    best = max(shape(ref) for ref in fits)
    return [ref for ref in fits if shape(ref) == best]


def match_cite(cite: AuthorYearCite, references: Sequence[Reference]) -> Reference | None:
    """The one reference this cite means, or None when none or several fit."""
    fits = candidates(cite, references)
    if len(fits) == 1 and not cite.suffix:
        return fits[0]
    if cite.suffix:
        marked = [ref for ref in fits if re.search(rf"\b{cite.year}{cite.suffix}\b", ref.raw)]
        if len(marked) == 1:
            return marked[0]
        # Unmarked lists order same-author, same-year works as a, b, c.
        index = ord(cite.suffix) - ord("a")
        if not marked and len(fits) > 1 and 0 <= index < len(fits):
            return fits[index]
        if len(fits) == 1:
            return fits[0]
    return None


def link_author_year(callout_text: str, references: Sequence[Reference]) -> tuple[Reference, ...]:
    """The references a callout such as "Smith et al., 2004; Jones 2005a" names, in order.

    Cites that match no reference, or several equally well, are left out.
    """
    linked = (match_cite(cite, references) for cite in parse_cites(callout_text))
    return tuple(dict.fromkeys(ref for ref in linked if ref is not None))


def link_callout(callout: Callout, references: Sequence[Reference]) -> tuple[Reference, ...]:
    """Link an author-year callout; a bare year ("2005" in "Smith et al. 2003, 2005") borrows
    the names from the callout's author mention."""
    linked = link_author_year(callout.text, references)
    if not linked and callout.author_mention:
        linked = link_author_year(f"{callout.author_mention} {callout.text}", references)
    return linked


def scan_author_year(text: str, path: str, *, line_offset: int = 0) -> list[Callout]:
    """One Callout per author-year cite in running text ("Smith 2004a, b" is one); unlinked."""
    starts = line_starts(text)
    callouts = []
    spans = dict.fromkeys(
        (cite.start, cite.end, cite.text, cite.mention) for cite in find_author_year(text)
    )
    for start, end, printed, mention in spans:
        line = bisect.bisect_right(starts, start) - 1
        left, right = sentence_span(text, start, end)
        callouts.append(
            Callout(
                location=Location(path, line + 1 + line_offset, start - starts[line] + 1),
                text=printed,
                numbers=(),
                sentence=" ".join(text[left:right].split()),
                author_mention=mention,
            )
        )
    return callouts
