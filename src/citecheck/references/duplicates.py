"""Two entries of one list that are the same work: keys, not all pairs, so it stays linear.

Blocking keys (the DOI; the normalised title and year; journal + year + volume + first page)
find exact repeats in one pass; near-identical titles of one first author and year are
compared only among sorted neighbours. Evidence of two works (different DOIs, URLs or first
pages, 2010a/2010b twins, "Part I"/"Part II") overrides a shared key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.model import Reference
from citecheck.normalize import doi_key, expand_pages, locator_key, squash, words

# Two entries with titles this similar (rapidfuzz ratio, 0-100), same year and first author
# are the same work listed twice. 92 tolerates punctuation and a typo, not a different paper.
DUPLICATE_TITLE_SIMILARITY = 92
# Titles shorter than this (characters of the normalised title) are too generic to identify
# a work ("Introduction", "Editorial", "Cancer statistics").
MIN_IDENTIFYING_TITLE = 20
# Fuzzy title comparison looks at this many neighbours in sorted order (sorted-neighbourhood
# blocking): linear in the list, where comparing all pairs of one author-year bucket was n^2.
NEIGHBOURS = 4


def repeats(refs: tuple[Reference, ...]) -> list[tuple[Reference, Reference, str]]:
    """(entry, the earlier entry it repeats, why), found through blocking keys in O(n log n).

    Keys: the DOI; the normalised title (same year); journal + year + volume + first page;
    and near-identical titles of the same first author and year among sorted neighbours.
    """
    position = {id(ref): i for i, ref in enumerate(refs)}
    earlier: dict[int, tuple[Reference, str]] = {}  # index of a repeat -> (first, why)

    def pair(a: Reference, b: Reference, why: str) -> None:
        first, second = sorted((a, b), key=lambda r: position[id(r)])
        if position[id(second)] not in earlier:
            earlier[position[id(second)]] = (first, why)

    for key_of, why in _EXACT_KEYS:
        seen: dict[tuple, Reference] = {}
        for ref in refs:
            key = key_of(ref)
            if key is None:
                continue
            if key in seen and not _distinct(seen[key], ref, why):
                pair(seen[key], ref, _describe(why, seen[key], ref))
            seen.setdefault(key, ref)
    for a, b in _near_title_pairs(refs):
        pair(a, b, "the same title, year and first author")
    return [(refs[index], *earlier[index]) for index in sorted(earlier)]


_WHOLE_DOI = re.compile(r"^10\.\d{4,9}/\S{3,}$")


def _doi(ref: Reference) -> tuple | None:
    """A complete DOI ("10.1016/j." cut at a line break names no work)."""
    key = doi_key(ref.doi)
    return (key,) if _WHOLE_DOI.match(key) else None


def _title(ref: Reference) -> tuple | None:
    title = _norm_title(ref.title)
    return (title, ref.year) if len(title) >= MIN_IDENTIFYING_TITLE else None


def _locator(ref: Reference) -> tuple | None:
    """Journal, year, volume and first page (or article number), all given."""
    first = locator_key(expand_pages(ref.pages)[0] if ref.pages else ref.article_number)
    journal, volume = squash(ref.container), locator_key(ref.volume)
    if not (journal and ref.year and volume and first):
        return None
    return (journal, ref.year, volume, first)


_EXACT_KEYS = (
    (_doi, "doi"),
    (_title, "title"),
    (_locator, "locator"),
)


def _describe(why: str, a: Reference, b: Reference) -> str:
    if why == "doi":
        return f"the same DOI {b.doi}"
    if why == "title":
        return "the same title and year"
    if _first_family(a) != _first_family(b):
        return (
            "the same journal, year, volume and pages under different authors: the same "
            "work cited twice, or details copied from one entry into another"
        )
    return "the same journal, year, volume and pages"


def _distinct(a: Reference, b: Reference, why: str) -> bool:
    """Evidence that two entries sharing a key are different works after all."""
    if why == "doi":  # chapters of one book may carry the book's DOI
        # One DOI outweighs 2010a/2010b: citeproc letters a work entered twice that way.
        return bool(a.title and b.title) and _title_similarity(a, b) < 60
    if _twins(a, b):
        return True
    if why == "title":
        return _identifiers_differ(a, b) or _numbers_differ(a.title, b.title)
    return _identifiers_differ(a, b)


def _near_title_pairs(refs: tuple[Reference, ...]) -> Iterator[tuple[Reference, Reference]]:
    """Same first author and year, titles within a typo: sorted-neighbourhood blocking on the
    title and on its reversed words, so a typo early or late in a title still sorts close."""
    from rapidfuzz import fuzz

    candidates = []
    for ref in refs:
        title = _norm_title(ref.title)
        if _first_family(ref) and ref.year and len(title) >= MIN_IDENTIFYING_TITLE:
            candidates.append((_first_family(ref), ref.year, title, ref))
    for order in (lambda c: c[2], lambda c: " ".join(reversed(c[2].split()))):
        ranked = sorted(candidates, key=lambda c: (c[0], c[1], order(c)))
        for i, (family, year, title, ref) in enumerate(ranked):
            for other_family, other_year, other_title, other in ranked[i + 1 : i + 1 + NEIGHBOURS]:
                if (other_family, other_year) != (family, year):
                    break
                similar = fuzz.ratio(title, other_title, score_cutoff=DUPLICATE_TITLE_SIMILARITY)
                if similar and not (
                    _twins(ref, other)
                    or _identifiers_differ(ref, other)
                    or _numbers_differ(title, other_title)
                ):
                    yield ref, other


def _title_similarity(a: Reference, b: Reference) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(_norm_title(a.title), _norm_title(b.title))


_YEAR_SUFFIX = re.compile(r"\b(?:1[5-9]|20)\d\d([a-z])\b")


def _twins(a: Reference, b: Reference) -> bool:
    """2010a and 2010b: an author-year list's two works of one author and year."""
    mine, theirs = _YEAR_SUFFIX.search(a.raw), _YEAR_SUFFIX.search(b.raw)
    return bool(mine and theirs and mine.group(1) != theirs.group(1))


def _identifiers_differ(a: Reference, b: Reference) -> bool:
    """Different DOIs, URLs or locators: two records, so two works (a reprint is not a typo)."""
    if a.doi and b.doi and doi_key(a.doi) != doi_key(b.doi):
        return True
    if a.url and b.url and a.url.rstrip("/") != b.url.rstrip("/") and not (a.doi or b.doi):
        return True
    first_a, first_b = _first_page(a), _first_page(b)
    return bool(first_a and first_b and first_a != first_b)


def _first_page(ref: Reference) -> str:
    return locator_key(expand_pages(ref.pages)[0] if ref.pages else ref.article_number)


_NUMBERS = re.compile(r"^(?:\d+|[ivx]+)$")


def _numbers_differ(a: str, b: str) -> bool:
    """"Part I" and "Part II", "Cancer statistics, 2019" and "..., 2020": different works."""
    mine = {w for w in words(a) if _NUMBERS.match(w)}
    theirs = {w for w in words(b) if _NUMBERS.match(w)}
    return mine != theirs


def _first_family(ref: Reference) -> str:
    return squash(ref.authors[0].family) if ref.authors else ""


def _norm_title(title: str) -> str:
    return " ".join(words(title))
