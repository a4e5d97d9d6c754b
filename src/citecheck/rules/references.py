"""Rules about the reference list itself: unreadable, duplicated and incomplete entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from citecheck import worktype as wt
from citecheck.model import Problem, Project, Reference, Severity, Verdict
from citecheck.normalize import doi_key, expand_pages, locator_key, squash, words
from citecheck.rules.base import rule

# Two entries with titles this similar (rapidfuzz ratio, 0-100), same year and first author
# are the same work listed twice. 92 tolerates punctuation and a typo, not a different paper.
DUPLICATE_TITLE_SIMILARITY = 92
# Titles shorter than this (characters of the normalised title) are too generic to identify
# a work ("Introduction", "Editorial", "Cancer statistics").
MIN_IDENTIFYING_TITLE = 20
# Fuzzy title comparison looks at this many neighbours in sorted order (sorted-neighbourhood
# blocking): linear in the list, where comparing all pairs of one author-year bucket was n^2.
NEIGHBOURS = 4


@rule("CC104", "duplicate-reference", Severity.WARNING)
def duplicate_reference(project: Project) -> Iterator[Problem]:
    """Two entries of the reference list are the same work, or share a number."""
    refs = _listed(project)
    by_number: dict[int, Reference] = {}
    for ref in refs:
        if ref.number is None:
            continue
        if ref.number in by_number:
            yield Problem(
                f"two entries are numbered {ref.number}",
                ref.location,
                expected=f"one entry numbered {ref.number}",
                found=f"entries at lines {by_number[ref.number].location.line} and "
                f"{ref.location.line}",
                suggestion="renumber the reference list",
                reference=ref.number,
                bib_key=ref.key,
            )
        else:
            by_number[ref.number] = ref
    yield from _same_work_twice(refs)


def _listed(project: Project) -> tuple[Reference, ...]:
    """The entries a reader sees: for a bibliography database, only the cited ones (BibTeX and
    Pandoc print nothing else: two keys for one work, or a key with no year, matter only when
    cited)."""
    refs = project.references
    if not project.manuscript.bibliography_is_database or not project.callouts:
        return refs
    numbers = {n for c in project.callouts for n in c.numbers}
    keys = {k for c in project.callouts for k in c.keys}
    nocite = set(getattr(project.manuscript, "nocite", ()))  # \nocite{key}: printed too
    return tuple(r for r in refs if r.key in keys or r.key in nocite or r.number in numbers)


def _same_work_twice(refs: tuple[Reference, ...]) -> Iterator[Problem]:
    """Entries that repeat an earlier one, found through blocking keys in O(n log n).

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
    for index in sorted(earlier):
        ref, (first, why) = refs[index], earlier[index]
        yield Problem(
            f"entry {_label(ref)} repeats entry {_label(first)} ({why})",
            ref.location,
            expected=f"cite entry {_label(first)} again",
            found=_label(ref),
            suggestion=f"remove entry {_label(ref)} and cite {_label(first)} instead, "
            "or correct the copied details",
            reference=ref.number,
            bib_key=ref.key,
        )


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
    if _twins(a, b):
        return True
    if why == "doi":  # chapters of one book may carry the book's DOI
        return bool(a.title and b.title) and _title_similarity(a, b) < 60
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


# --- completeness -----------------------------------------------------------------------------

# What each type of work needs. "locators" = volume and pages, which a DOI or URL, "in press"
# or an online-first article may stand in for; "identifier" = a DOI, arXiv id or URL.
_NEEDS: dict[str, tuple[str, ...]] = {
    wt.ARTICLE: ("authors", "title", "container", "year", "volume", "pages"),
    wt.PREPRINT: ("authors", "title", "year", "identifier"),
    wt.BOOK: ("title", "year", "publisher"),
    wt.CHAPTER: ("authors", "title", "container", "year"),
    wt.PAPER: ("authors", "title", "container", "year"),
    wt.THESIS: ("authors", "title", "institution", "year"),
    wt.REPORT: ("title", "year"),
    wt.WEB: ("title", "link"),
    wt.SOFTWARE: ("title", "link"),
    wt.STANDARD: ("title",),
    wt.PATENT: ("title",),
    wt.NEWS: ("title", "container", "year"),
    wt.IDENTIFIER: (),
}
_CONTAINER_NAMES = {
    wt.CHAPTER: "book title",
    wt.PAPER: "proceedings title",
    wt.NEWS: "newspaper or magazine",
}
_FIELD_NAMES = {
    "authors": "authors",
    "title": "title",
    "container": "journal",
    "year": "year",
    "volume": "volume",
    "pages": "pages or article number",
    "publisher": "publisher",
    "institution": "institution",
    "identifier": "DOI, arXiv id or URL",
    "link": "URL or DOI",
}
# An entry that says it is not out yet has no volume or pages to give.
_IN_PRESS = re.compile(
    r"\b(?:in\s+press|forthcoming|accepted|submitted|in\s+preparation|to\s+appear|"
    r"(?:e-?pub|online)\s+ahead\s+of\s+print)\b",
    re.IGNORECASE,
)
# Unsigned by nature: editorials, notices, news, an organisation's statement.
_UNSIGNED = re.compile(
    r"^\W*(?:editorial|correction|erratum|corrigendum|retraction|expression of concern|"
    r"notice|in memoriam|obituary|news)\b|\b(?:exec(?:utive)?\.?\s+order|public\s+law|"
    r"federal\s+register|official\s+journal\s+of\s+the\s+european)",
    re.IGNORECASE,
)
# An article number written in the volume or issue field (J Stat Mech "P01002", BMC "356").
_NUMBER_LIKE = re.compile(r"^(?:[A-Za-z]{1,3}\d{3,}|\d{3,})$")


@rule("CC105", "incomplete-reference", Severity.WARNING)
def incomplete_reference(project: Project) -> Iterator[Problem]:
    """An entry lacks a field its type needs (a journal article without journal, year, volume...).

    The type of work decides what is needed (see worktype.py); when unsure, nothing is said.
    """
    declared = project.manuscript.bibliography_is_database
    for ref in _listed(project):  # an uncited database entry is never printed
        kind = wt.work_type(ref, declared)
        if kind == wt.ARTICLE and wt.journal_as_publisher(ref):
            ref = replace(ref, container=ref.publisher, publisher="")
        if kind is None:
            if (declared or wt.is_bibtex(ref)) and not (ref.title or ref.container):
                kind = "entry"  # nothing but an identifier: whatever it is, it needs a title
            else:
                continue  # unsure what the work is: say nothing
        needed = _NEEDS.get(kind, ("title",))
        if kind in (wt.CHAPTER, wt.PAPER) and not wt.is_bibtex(ref):
            # A printed "..., p. 1-26. In Book title." names its book in words the parser may
            # not have split off, and CSL may name a conference as its event: no evidence.
            needed = tuple(f for f in needed if f != "container")
        if not (declared or wt.is_bibtex(ref)):
            # A printed entry's title and links (hyperlinks) may be there, unparsed.
            needed = tuple(f for f in needed if f not in ("title", "link"))
            if kind == wt.BOOK and not ref.publisher:
                needed = ()  # no publisher, no year: an organisation's web document or report
        missing = [f for f in needed if not _has(ref, f)]
        if not missing:
            continue
        names = [
            _CONTAINER_NAMES.get(kind, "journal") if f == "container" else _FIELD_NAMES[f]
            for f in missing
        ]
        hint = ""
        if "container" in missing and (ref.url or ref.doi):
            hint = " (only a DOI link is given)" if ref.doi else " (only a URL is given)"
        known = _record_values(project, ref)
        if known:
            suggestion = f"the matched record gives {known}; `citecheck bib --fix` adds them"
        else:
            suggestion = "complete the entry from the publisher's record" + (
                f" (DOI {ref.doi})" if ref.doi else ""
            )
        yield Problem(
            f"{kind} {_label(ref)} lacks {', '.join(names)}{hint}",
            ref.location,
            expected=known or ", ".join(names),
            found=ref.raw[:200],
            suggestion=suggestion,
            reference=ref.number,
            bib_key=ref.key,
        )


def _has(ref: Reference, field: str) -> bool:
    """Whether the entry gives `field`, or something that stands in for it."""
    if field == "authors":
        return bool(ref.authors) or _unsigned(ref) or _EDITORS.search(ref.raw) is not None or (
            not _lacks_authors(ref)
        )
    if field in ("volume", "pages") and _locators_optional(ref):
        return True
    if field == "volume":  # some journals number issues only (期)
        return bool(ref.volume or ref.issue or _unparsed_numbers(ref))
    if field == "pages":
        return bool(
            ref.pages
            or ref.article_number
            or _NUMBER_LIKE.match(ref.volume)
            or _NUMBER_LIKE.match(ref.issue)
            or _unparsed_numbers(ref)
        )
    if field == "year":  # "(1997)", "Int1998;" that the parser missed is still a year
        printed = not wt.is_bibtex(ref)
        return ref.year is not None or (
            printed and bool(_ANY_YEAR.search(ref.raw) or _IN_PRESS.search(ref.raw))
        )
    if field == "publisher":
        if not wt.is_bibtex(ref):
            return True  # a printed entry names its publisher in words we may not parse
        return bool(ref.publisher or ref.doi or ref.isbn or ref.url) or wt.bibtex_has(
            ref, "publisher", "organization", "institution", "isbn", "url", "howpublished"
        )
    if field == "institution":
        if not wt.is_bibtex(ref):
            return True  # a printed thesis names its school in words we do not parse
        return bool(ref.publisher) or wt.bibtex_has(ref, "school", "institution", "publisher")
    if field == "identifier":
        return bool(
            ref.doi or ref.arxiv or ref.url or ref.pages or ref.article_number or ref.volume
        ) or bool(_IDENTIFIER_TEXT.search(ref.container))
    if field == "link":
        return bool(ref.url or ref.doi) or bool(_LINK_TEXT.search(ref.raw))
    return bool(getattr(ref, field))


# A DOI, URL or arXiv id written into another field ("arXiv:1703.05312", "PeerJ 3:e1100").
_IDENTIFIER_TEXT = re.compile(r"https?://|\bdoi\b|\d{4}\.\d{4,5}|\d+:e?\d+|\d{5,}", re.I)
_LINK_TEXT = re.compile(r"https?://|\bwww\.|\bdoi\b", re.IGNORECASE)


# Identifiers whose digits are no volume or page: URLs, DOIs, PMIDs, ISBNs.
_IDENTIFIERS = re.compile(
    r"https?://\S+|\bwww\.\S+|\b10\.\d{4,9}/\S+|\b(?:doi|pmid|pmcid|isbn|issn|arxiv)\b\W*\S+",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[A-Za-z]{0,4}\d+[A-Za-z0-9]*")
_ROMAN = re.compile(
    r"\b(?=[IVXLC]{2,}\b)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b|\bv(?:ol)?\.\s*[IVXLC]+\b"
)
_ANY_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")


def _unparsed_numbers(ref: Reference) -> bool:
    """A printed entry shows a number after its journal that the parser assigned to nothing
    ("Vol. 69, No. 23, Paper No. 235109", "8, 364ra155", "85 (1) 53 80"): some volume or page
    may be there, unread, so the entry is not called incomplete."""
    if wt.is_bibtex(ref) or ref.kind == "identifier":
        return False
    if re.search(r"\d", _ANY_YEAR.sub("", ref.container)) or _ROMAN.search(ref.container):
        return True  # "J Trauma 62:389-396, discussion": locators left inside the journal
    raw = ref.raw
    anchor = ref.container or ref.title
    start = raw.rfind(anchor) + len(anchor) if anchor and anchor in raw else 0
    text = _IDENTIFIERS.sub(" ", raw[start:])
    first, last = expand_pages(ref.pages) if ref.pages else ("", "")
    known = {locator_key(v) for v in (ref.volume, ref.issue, ref.article_number, first, last) if v}
    if _ROMAN.search(text):
        return True  # "Journal of Psychology, XXVII, 1949": a volume in roman numerals
    for token in _NUMBER.findall(text):
        key = locator_key(token)
        if key in known or (ref.year and token.startswith(str(ref.year))):
            continue
        if _ANY_YEAR.fullmatch(token) and not ref.year:
            continue
        return True
    return False


def _locators_optional(ref: Reference) -> bool:
    """Volume and pages may wait: an online-first article (journal, year and a DOI or link),
    or one that says it is in press."""
    if _IN_PRESS.search(ref.raw):
        return True
    return bool(ref.container and ref.year and (ref.doi or ref.url))


def _unsigned(ref: Reference) -> bool:
    """Editorials, notices and legal texts have no personal author."""
    return bool(_UNSIGNED.search(ref.title) or _UNSIGNED.search(ref.container))


def _lacks_authors(ref: Reference) -> bool:
    """No author is written: a BibTeX entry with no author or editor, or a printed entry that
    starts with its title. Anything before the title of a printed entry is an author, even
    one the parser could not split (an organisation, "Bonnet M-P", a bold author list), and
    so is a "title" that opens with names or an organisation the parser took for the title.
    """
    if wt.is_bibtex(ref):
        return not wt.bibtex_has(ref, "author", "editor")
    if re.match(r"\W*[—–_-]{2,}", ref.raw):
        return False  # "———. Title": the same authors as the entry before
    title = squash(ref.title)
    text = squash(re.sub(r"<[^>]*>", " ", ref.raw))
    text = re.sub(r"^\d+", "", text)  # the entry's number
    if not title or not text.startswith(title[:30]) or _opens_with_names(ref.title):
        return False
    if not _reads_like_a_title(ref.title):
        return False  # "R.Wilhelm, J. Engblom, ...": names the parser did not split
    # "Title. Journal. 2012;..." has nothing between title and journal; "US Renal Data
    # System. Annual data report... Am J Kidney Dis" had an author taken for the title.
    rest = text[len(title) :] if text.startswith(title) else ""
    venue = squash(ref.container)[:12]
    return not rest or bool(venue) and rest.startswith(venue) or rest[:4].isdigit()


# "Chen H-M, Yu Y-N, ..." / "Beest DE te, ..." / "Centers for Disease Control ...: title".
_NAME = re.compile(
    r"^[\w'’-]+(?:\s[\w'’-]+){0,2}\s(?:[A-Z]{1,3}|[A-Z]-[A-Z])\.?$"  # Chen H-M, Beest DE te
    r"|^[A-Z]{1,3}\s[\w'’-]+$"  # JP Smith
)
_ORGANISATION = re.compile(
    r"\b(?:centers?|centres?|organi[sz]ation|institutes?|society|association|committee|group|"
    r"consortium|agency|department|ministry|council|foundation|board|commission|"
    r"administration|office|collaborat\w*|network|college|academy|system|registry|service|"
    r"programme|program|initiative|alliance|federation|union|panel|task\s*force|"
    r"investigators|trialists)\b",
    re.IGNORECASE,
)


# Editors stand for authors: "(Eds.)", "edited by", "Hrsg.", Russian "Pod red.".
_EDITORS = re.compile(
    r"\(eds?\.?\)|\beds\.|\beditors?\b|\bedited\s+by\b|\bhrsg\b|\bpod\s+red\b", re.IGNORECASE
)
_NOT_TITLE_WORDS = frozenset("and et al others und van von der den de del da di le la du".split())


def _reads_like_a_title(title: str) -> bool:
    """At least two lowercase words before the first full stop or colon: a title, where an
    author list is capitals, initials and commas ("Cornelis I, Wayman CM")."""
    head = re.split(r"[:.]\s", title, maxsplit=1)[0]
    lowercase = [w for w in re.findall(r"\b[a-z][a-z'-]+\b", head) if w not in _NOT_TITLE_WORDS]
    return len(lowercase) >= 2


_SENTENCE_BREAK = re.compile(r"[a-z]{2}\. [A-Z]")
_YEAR_IN_TEXT = re.compile(r"(?:^|\W)(?:1[5-9]|20)\d\d[a-z]?(?:\W|$)")


def _opens_with_names(title: str) -> bool:
    """The parsed "title" is an author block: names, an organisation, or text running on into
    the year that follows the authors in author-year styles ("Ostoji´c, L., and ... (2014)")."""
    if _YEAR_IN_TEXT.search(title[:200]) or _SENTENCE_BREAK.search(title):
        return True  # a title is one sentence: "US Renal Data System. Annual data report"
    if re.match(r"[A-Z][\w'’-]+,\s", title):
        return True  # "Tisserand, Sur le développement ...": a surname, then the title
    head = re.split(r"[:.]\s", title, maxsplit=1)[0]
    parts = [p.strip() for p in head.split(",") if p.strip()]
    names = sum(1 for p in parts if _NAME.match(p))
    if len(parts) >= 2 and names >= len(parts) / 2:
        return True
    return bool(_ORGANISATION.search(head))


def _record_values(project: Project, ref: Reference) -> str:
    """What a matched record says about the fields the entry lacks, e.g. "journal X, year Y"."""
    resolution = project.resolutions.get(ref.number) if ref.number is not None else None
    work = resolution.work if resolution and resolution.verdict is Verdict.MATCHED else None
    if work is None:
        return ""
    values = [
        ("journal", "" if ref.container else work.short_container_title or work.container_title),
        ("year", "" if ref.year else str(work.year or "")),
        ("volume", "" if ref.volume else work.volume),
        ("issue", "" if ref.issue else work.issue),
        ("pages", "" if (ref.pages or ref.article_number) else work.page),
        ("article number", "" if (ref.pages or ref.article_number) else work.article_number),
    ]
    return ", ".join(f"{name} {value}" for name, value in values if value)


@rule("CC106", "unparsed-reference", Severity.WARNING)
def unparsed_reference(project: Project) -> Iterator[Problem]:
    """An entry or BibTeX block that could not be read at all."""
    for entry in project.manuscript.unparsed:
        yield Problem(
            f"could not read this entry: {entry.reason}",
            entry.location,
            found=entry.text[:200],
            suggestion="check the entry's punctuation and field order",
        )


def _first_family(ref: Reference) -> str:
    return squash(ref.authors[0].family) if ref.authors else ""


def _norm_title(title: str) -> str:
    return " ".join(words(title))


def _label(ref: Reference) -> str:
    return f"[{ref.number}]" if ref.number is not None else ref.key


RULES = (duplicate_reference, incomplete_reference, unparsed_reference)
