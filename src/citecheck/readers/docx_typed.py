"""What typed citations look like in Word text, and what only looks like one.

Pure functions and patterns used by the Word reader for text outside reference-manager
fields and links: numbers in brackets, parentheses or superscript; enumerations, exponents,
units and statistics that are not citations; author-year cites the shared parser misses.
"""

from __future__ import annotations

import re

from citecheck.citations.callouts import SUFFIX, expand
from citecheck.model import Callout, Reference
from citecheck.readers.docx_xml import Mark

LIST = r"\d{1,4}(?:\s*[-–—‐‑,]\s*\d{1,4})*"
# What a numeric citation prints: "1", "1,3", "1-3", "[2]", "(4–6)", "(8-15, 22)".
NUMERIC = re.compile(rf"^\s*[\[(]?\s*({LIST})\s*[\])]?\s*[.,;]?\s*$")
# Science style: "(1)", "(2-4)", "(13, 27, 28)", "(e.g., 39)" in running text ("(i.e., 20)"
# is a value).
PARENTHESES = re.compile(
    rf"\((?:\s*(?:e\.g\.|see(?:\s+also)?|cf\.),?)?\s*({LIST})\s*{SUFFIX}?\)"
)  # a locator or link may follow: "(12, p. 5)", "(95, https://www.kanaverse.org)"
BRACKETS = re.compile(rf"\[\s*({LIST})\s*\]")
# Superscripts that are not citations: after a digit (10⁵), a one- or two-letter symbol
# (I², R², x², m²), a unit (cm², µm³), or a statistic (p², χ²).
UNIT_BEFORE = re.compile(r"(?:^|[^A-Za-z])(?:[A-Za-zµμχσΩ]{1,2}|[cmµμnk]m|mol|sec|min)$")
UNICODE_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹⁻˒,]*")
# The word glued to "(1)": "f(1)", "Eq(2)" are functions and equations, "scenarios(13)" cites.
WORD_BEFORE = re.compile(r"[\w.]+$")
# "(1) rare taxa": a single number before a word, as enumerations are written.
SINGLE = re.compile(r"\((\d{1,2})\)(?=\s+[^\W\d_])")
# Initials before a cited name: "(H. Chitsaz et al. 2011a)", "K. J. Hansford et al. 2023",
# also across a wrapped line ("(K. J.\n  Hansford et al., 2023)" in JATS or plain text).
INITIALS = re.compile(
    r"(?<![\w.\-‐])(?:[A-Z]\.(?:[-‐][A-Z]\.)?(?:[ \t]*\n[ \t]*|\s?)){1,3}(?=[A-Z][a-z])"
)  # "P.-H. Li et al." too
# A work without authors cited by its title: '(“3d Slicer Extension Manager User Guide” 2024)'.
TITLED_CITE = re.compile(
    r"[“\"](?P<title>[^”\"]{6,120})[”\"],?\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?(?=\s*[);])"
)

# APA sets a standalone work's title in italics, which plain text loses: "(3d Slicer Extension
# Manager User Guide, 2024)". Three words or more without "et al" or "&", so no author cite.
_UNQUOTED_TITLED_CITE = re.compile(
    r"(?<=[(;])\s*(?P<title>[^,;()“”\"&]{6,120}?),\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?"
    r"(?:/(?P<later>(?:1[5-9]|20)\d\d))?(?=\s*[);])"  # "2021/2022": first and later year
)


def titled_cites(text: str) -> list[re.Match[str]]:
    """Title cites, quoted or not, in text order; titled_entry decides which name an entry."""
    unquoted = [
        m
        for m in _UNQUOTED_TITLED_CITE.finditer(text)
        if len(m.group("title").split()) >= 3 and "et al" not in m.group("title")
    ]
    return sorted([*TITLED_CITE.finditer(text), *unquoted], key=lambda m: m.start())


# APA's cite of an undated work: "(Hosder et al., n.d.)", "(European Covid-19 Forecast Hub,
# n.d.-a)"; the name is a person's family name or a body's whole name ("Ontology Lookup Service
# (OLS) - HsapDv").
_UNDATED_CITE = re.compile(
    r"(?<=[(;])\s*(?P<name>[A-Z](?:[^,;()]|\([^,;()]{1,20}\)){1,80}?)(?:\s+et\s+al\.?)?,\s+n\.\s?d\."
    r"(?:-(?P<suffix>[a-z]))?(?=\s*[);])"
)


def undated_entry(m: re.Match[str], references: tuple[Reference, ...]) -> Reference | None:
    """The one undated entry whose author part starts with the cited name (and prints the
    cited "n.d.-a" suffix when one is given)."""
    from citecheck.citations.authoryear import normalize_name

    # "Wu & Belasco, n.d.-b": the first name starts the entry, the second is among its authors.
    first, *others = re.split(r"\s+(?:&|and)\s+", m["name"].strip())
    name = normalize_name(m["name"])
    fits = [
        r
        for r in references
        if r.year is None
        and re.search(r"\bn\.\s?d\.", r.raw[:300])
        and normalize_name(r.raw[: len(first) + 10]).startswith(normalize_name(first))
        and all(normalize_name(other) in normalize_name(r.raw[:300]) for other in others)
    ]
    if m["suffix"]:
        fits = [r for r in fits if re.search(rf"n\.\s?d\.-{m['suffix']}\b", r.raw[:300])]
    if len(fits) > 1:  # "Ontology Lookup Service (OLS)" and "... (OLS) - PATO": the name whole
        fits = [r for r in fits if normalize_name(re.split(r"\(n\.\s?d\.", r.raw)[0]) == name]
    return fits[0] if len(name) >= 3 and len(fits) == 1 else None


def authorless_cites(
    text: str, references: tuple[Reference, ...]
) -> list[tuple[re.Match[str], Reference]]:
    """Cites no author-year pair reads, each with the one entry it names: a work cited by its
    title ("(“Exec. Order No. 13224,” 2001)") or an undated work ("(Hosder et al., n.d.)")."""
    found = [(m, titled_entry(m, references)) for m in titled_cites(text)]
    found += [(m, undated_entry(m, references)) for m in _UNDATED_CITE.finditer(text)]
    return sorted(((m, e) for m, e in found if e is not None), key=lambda pair: pair[0].start())


def by_initials(fits: list[Reference], printed: str) -> list[Reference]:
    """The entries whose first author has the initials printed before the cited name
    ("K. J. Hansford et al. 2023"). Citeproc adds just enough initials to tell same-name
    authors apart, so "K." prefers "Hansford, K." to "Hansford, K. J."."""
    given = "".join(ch for ch in printed if ch.isalpha())
    if not given:
        return fits
    fits = [r for r in fits if r.authors and r.authors[0].initials.startswith(given)]
    exact = {r for r in fits if r.authors[0].initials == given}
    return list(exact) if len(exact) == 1 else fits


def titled_entry(m: re.Match[str], references: tuple[Reference, ...]) -> Reference | None:
    """The one entry a TITLED_CITE match names: it starts with that title and has that year
    ('(“Exec. Order No. 13224,” 2001)', '(“3d Slicer Extension Manager User Guide” 2024)')."""
    from citecheck.readers.docx_fields import normalized_title

    title = normalized_title(m.group("title"))
    years = {int(y) for y in m.groupdict().values() if y and y.isdigit()}
    fits = [
        r
        for r in references
        if (r.year in years or m.group("year") in r.raw[:200])
        and normalized_title(r.raw[: len(m.group("title")) + 10]).startswith(title)
    ]
    return fits[0] if len(title) >= 6 and len(fits) == 1 else None


def loose_author_year(callout: Callout, references: tuple[Reference, ...]) -> tuple[Reference, ...]:
    """The one entry whose printed author part names the cited author, in the cited year.

    For entries the parser could not split into authors: "d’Albenzio, Gabriella, ..."
    (cited "Albenzio et al. 2023"), a same-author dash "———. 2013." (cited "Bismuth 2013"),
    or a body whose name holds "and" ("European Centre for Disease Prevention and Control").
    """
    from citecheck.citations.authoryear import normalize_name, parse_cites

    linked = []
    for cite in parse_cites(callout.text) or parse_cites(
        f"{callout.author_mention} {callout.text}"
    ):
        name = normalize_name(cite.names[0])
        fits = []
        for position, ref in enumerate(references):
            head = ref.raw
            if re.match(r"^[-—–_]{2,}", head) and position:  # "———." repeats the author above
                head = references[position - 1].raw
            year = ref.year == cite.year or str(cite.year) in ref.raw[:120]
            first_author = head[:60].split(",")[0]  # "d’Albenzio, Gabriella, Ruoyan Meng..."
            if len(name) >= 3 and year and name in normalize_name(first_author):
                fits.append(ref)
        if len(fits) > 1 and cite.suffix:  # "(ECDC, 2021b)": the entry printed "(2021b)"
            fits = [r for r in fits if re.search(rf"\b{cite.year}{cite.suffix}\b", r.raw)]
        if len(fits) == 1:
            linked.append(fits[0])
    return tuple(dict.fromkeys(linked))


def enumerators(text: str) -> set[int]:
    """Starts of "(1)", "(2)"... that enumerate: single numbers before a word, counting
    1, 2, ... in one paragraph ("two steps: (1) rare taxa and (2) short reads").
    "Similarly, (31) find that" is a citation."""
    singles = {m.start(): int(m.group(1)) for m in SINGLE.finditer(text)}
    values = set(singles.values())
    counted = set()  # runs 1, 2, 3...: "(37) find ... (38) find" are two citations
    n = 1
    while n in values:
        counted.add(n)
        n += 1
    return {start for start, n in singles.items() if n in counted and len(counted) > 1}


def unit_superscripts(text: str) -> list[tuple[int, int]]:
    """Spans of typed ² ³ ⁵ that are exponents or units (10⁵, m², I²), not citations."""
    return [
        (m.start(), m.end())
        for m in UNICODE_SUPERSCRIPT.finditer(text)
        if text[: m.start()][-1:].isdigit() or UNIT_BEFORE.search(text[: m.start()])
    ]


def superscript_numbers(text: str, mark: Mark, in_field: bool = False) -> tuple[int, ...]:
    """The reference numbers a superscript run cites, or () when it is not a citation."""
    shown = text[mark.start : mark.end]
    m = NUMERIC.match(shown)
    if not m:
        return ()
    before = text[: mark.start]
    if not in_field and (before[-1:].isdigit() or UNIT_BEFORE.search(before)):
        return ()
    numbers, problem = expand(m.group(1))
    return () if problem else numbers
