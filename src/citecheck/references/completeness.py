"""What an entry lacks for its type of work, and what stands in for a missing field.

worktype.py says what a work is; this module says which of the fields that type needs the
entry does not give. A bibliography database (BibTeX, CSL JSON) states its fields, so their
absence is evidence. A printed entry was parsed, and a parse may be partial: a field counts as
missing only when the string itself shows it is not there (no unassigned number after the
journal, nothing between title and journal where authors would be).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from citecheck.model import Reference
from citecheck.normalize import expand_pages, locator_key, squash
from citecheck.references import worktype as wt


@dataclass(frozen=True)
class Gap:
    """The fields an entry lacks: `fields` as Reference names, `names` as a reader says them."""

    kind: str
    fields: tuple[str, ...]
    names: tuple[str, ...]
    reference: Reference  # the entry as checked (a journal the parser took for a publisher moved)


def gap(ref: Reference, declared: bool) -> Gap | None:
    """What `ref` lacks for its type of work; None when nothing, or when its type is unclear.

    `declared`: the entry comes from a bibliography database, so its type is stated.
    """
    kind = wt.work_type(ref, declared)
    if kind == wt.ARTICLE and wt.journal_as_publisher(ref):
        ref = replace(ref, container=ref.publisher, publisher="")
    if kind is None:
        if (declared or wt.is_bibtex(ref)) and not (ref.title or ref.container):
            kind = "entry"  # nothing but an identifier: whatever it is, it needs a title
        else:
            return None  # unsure what the work is: say nothing
    missing = tuple(f for f in _needed(ref, kind, declared) if not _has(ref, f))
    if not missing:
        return None
    names = tuple(
        _CONTAINER_NAMES.get(kind, "journal") if f == "container" else _FIELD_NAMES[f]
        for f in missing
    )
    return Gap(kind, missing, names, ref)


def _needed(ref: Reference, kind: str, declared: bool) -> tuple[str, ...]:
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
    return needed


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
    if field == "container" and ref.type_marker.upper().startswith("N") and ref.publisher:
        return True  # "[N/OL]. Reuters: World, 2017-01-11": a newspaper and its section
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
