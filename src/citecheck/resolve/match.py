"""Resolve a reference to a metadata record: search with the whole string, then validate fields.

This follows Crossref's search-based matching with validation (Tkaczyk 2018, "Reference
matching: for real this time", https://www.crossref.org/blog/reference-matching-for-real-this-time/):
query with the reference string, drop candidates whose relevance per character of the
query is low, then re-rank the rest by how well their fields agree with the reference and
accept the best one only above a similarity threshold. We validate on parsed fields (title,
first author, year, volume, first page/article number, journal) rather than on bare numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from citecheck.model import Reference, Resolution, Verdict, Work
from citecheck.normalize import doi_key, expand_pages, fold, locator_key, squash, words
from citecheck.resolve.sources import LookupFailed, Source

# --- Thresholds, all in one place -------------------------------------------------------
# Candidates the source scores below this relevance per character of the query are dropped
# before validation. 0.4 is the value Crossref's own evaluation of SBMV settled on
# (reference-matching-evaluation, matching/match_config.py) for its Lucene scores.
MIN_RELEVANCE_PER_CHAR = 0.4
# How many candidates to ask for: the right work is nearly always in Crossref's top five.
SEARCH_ROWS = 5
# Field weights of the validation score. The title carries most of the identity of a work;
# the numbers and names each confirm it. Issue is left out: styles drop it freely.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "author": 1.0,
    "year": 1.0,
    "volume": 1.0,
    "page": 1.0,
    "journal": 1.0,
}
# Unrelated titles from one field share much of their vocabulary: among the seed's wrong
# pairs, token-sort similarity reaches 0.80 (90% below 0.60). Similarity up to this floor
# counts as no agreement, and the rest is stretched back to 0..1.
TITLE_NOISE_FLOOR = 0.6
# Below this much compared weight the score is scaled down: a match on the title alone
# (3.0) reaches at most 0.75, so it needs one more agreeing field to be comfortable, and four
# agreeing numbers/names without a title (records that lack one) can still match.
MIN_EVIDENCE_WEIGHT = 4.0
# A year one off scores half: online-first and print years differ by one all the time.
YEAR_OFF_BY_ONE_CREDIT = 0.5
# Accept the best candidate at or above this validation score. Chosen on the seed's 25
# recorded records (docs/metadata.md): every true pair scores 1.0 unedited and >= 0.75 after
# any one of 89 single-field edits; the best wrong pair (same field, often same journal and
# year) scores 0.39. 0.7 keeps a wide margin above wrong pairs (a wrong match would raise
# false mismatch findings) while every single-field edit still matches.
MIN_SIMILARITY = 0.7
# Two accepted candidates closer than this (and with different DOIs) are ambiguous.
AMBIGUITY_MARGIN = 0.05
# same_work(): a record whose title agrees this little is a different work, and so is one
# whose overall score is this low when no title can be compared. Lenient on purpose: it
# decides doi-mismatch (an error), so only clearly different works may fail it.
SAME_WORK_MIN_TITLE = 0.5
SAME_WORK_MIN_SCORE = 0.5
SAME_WORK_MIN_EVIDENCE = 2.0

# Words journal abbreviations drop (ISO 4 omits articles, conjunctions and prepositions).
_JOURNAL_STOPWORDS = frozenset(
    {"the", "of", "and", "in", "on", "for", "a", "an", "de", "la", "le", "der", "und", "y"}
)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def resolve_reference(
    ref: Reference, source: Source, *, now: Callable[[], str] = utc_now
) -> Resolution:
    """Find the work a reference means: by its DOI when it has one, else by search + validation.

    A DOI lookup returns the DOI's work even when it disagrees with the entry (deciding that
    is the doi-mismatch rule's job). A DOI the source does not know falls back to search.
    Any LookupFailed becomes the verdict lookup-failed with the reason as detail.
    """
    base = Resolution(Verdict.NOT_FOUND, query=ref.raw, source=source.name, retrieved=now())
    note = ""
    try:
        if ref.doi:
            work = source.work(ref.doi)
            if work is not None:
                return _answer(base, Verdict.MATCHED, work, score_candidate(ref, work))
            note = f"{source.name} has no work with DOI {ref.doi}; "
        candidates = source.search(ref.raw, rows=SEARCH_ROWS) if ref.raw.strip() else []
    except LookupFailed as error:
        return _answer(base, Verdict.LOOKUP_FAILED, detail=str(error) or type(error).__name__)
    return _choose(ref, candidates, base, note)


def _choose(
    ref: Reference, candidates: list[tuple[Work, float]], base: Resolution, note: str
) -> Resolution:
    floor = MIN_RELEVANCE_PER_CHAR * len(ref.raw)
    ranked = sorted(
        (
            (score_candidate(ref, work), work)
            for work, relevance in candidates
            if relevance >= floor
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    accepted = [(score, work) for score, work in ranked if score >= MIN_SIMILARITY]
    if not accepted:
        best = f"; best candidate {_describe(*ranked[0])}" if ranked else ""
        why = "no candidate agrees with the entry" if candidates else "no candidates"
        if ref.language == "zh":
            why = "Chinese-language entry, which Crossref mostly does not hold: " + why
        return _answer(base, Verdict.NOT_FOUND, detail=f"{note}{why}{best}")
    (score, work), rivals = accepted[0], accepted[1:]
    close = [(s, w) for s, w in rivals if score - s < AMBIGUITY_MARGIN and _distinct(w, work)]
    if close:
        listed = "; ".join(_describe(s, w) for s, w in [(score, work), *close])
        return _answer(base, Verdict.AMBIGUOUS, score=score, detail=f"{note}candidates: {listed}")
    return _answer(base, Verdict.MATCHED, work, score, detail=note.rstrip("; "))


def _distinct(a: Work, b: Work) -> bool:
    """Two candidates are different works; the same DOI twice (a duplicate hit) is not."""
    if a.doi and b.doi:
        return doi_key(a.doi) != doi_key(b.doi)
    return a != b


def _answer(
    base: Resolution,
    verdict: Verdict,
    work: Work | None = None,
    score: float = 0.0,
    detail: str = "",
) -> Resolution:
    """The resolution for this query with its outcome filled in."""
    return replace(base, verdict=verdict, work=work, score=round(score, 3), detail=detail)


def _describe(score: float, work: Work) -> str:
    label = work.doi or "no DOI"
    title = work.title if len(work.title) <= 60 else work.title[:57] + "..."
    return f"{label} {title!r} ({score:.2f})"


@dataclass(frozen=True)
class Comparison:
    """Per-field similarities (0..1) of a reference and a work; absent = not comparable."""

    fields: dict[str, float]

    @property
    def weight(self) -> float:
        return sum(FIELD_WEIGHTS[name] for name in self.fields)

    @property
    def score(self) -> float:
        total = sum(FIELD_WEIGHTS[name] * value for name, value in self.fields.items())
        return total / max(self.weight, MIN_EVIDENCE_WEIGHT)


def compare(ref: Reference, work: Work) -> Comparison:
    """Compare every field both sides know; a field either side lacks is left out, not zero."""
    fields: dict[str, float] = {}
    if work.title and (ref.title or ref.raw):
        fields["title"] = title_similarity(ref.title, work.title, ref.raw)
    if ref.authors and work.authors:
        a, b = squash(ref.authors[0].family), squash(work.authors[0].family)
        fields["author"] = fuzz.ratio(a, b) / 100
    if ref.year and work.year:
        gap = abs(ref.year - work.year)
        fields["year"] = 1.0 if gap == 0 else YEAR_OFF_BY_ONE_CREDIT if gap == 1 else 0.0
    if ref.volume and work.volume:
        fields["volume"] = float(locator_key(ref.volume) == locator_key(work.volume))
    mine, theirs = locators(ref.pages, ref.article_number), locators(work.page, work.article_number)
    if mine and theirs:
        fields["page"] = float(bool(mine & theirs))
    if ref.container and (work.container_title or work.short_container_title):
        fields["journal"] = float(same_journal(ref.container, work))
    return Comparison(fields)


def score_candidate(ref: Reference, work: Work) -> float:
    """Validation score in 0..1: weighted field agreement, scaled down when evidence is thin."""
    return compare(ref, work).score


def same_work(ref: Reference, work: Work) -> bool:
    """False only when the record is clearly another work (the basis of doi-mismatch)."""
    comparison = compare(ref, work)
    if ref.title and "title" in comparison.fields:
        return comparison.fields["title"] >= SAME_WORK_MIN_TITLE
    if comparison.weight < SAME_WORK_MIN_EVIDENCE:
        return True  # too little to tell: never accuse on no evidence
    return comparison.score >= SAME_WORK_MIN_SCORE


def title_similarity(title: str, record_title: str, raw: str = "") -> float:
    """How much two titles agree (0..1), ignoring case, markup, word order and a subtitle
    one side leaves out. With no parsed title, the record's title is looked for inside the
    raw reference string. Similarity below TITLE_NOISE_FLOOR counts as none.
    """
    if title:
        pairs = ((title, record_title), (_main_title(title), _main_title(record_title)))
        similarity = max(_text_similarity(words(a), words(b)) for a, b in pairs)
    else:
        similarity = fuzz.partial_ratio(" ".join(words(record_title)), " ".join(words(raw))) / 100
    return max(0.0, similarity - TITLE_NOISE_FLOOR) / (1 - TITLE_NOISE_FLOOR)


def _text_similarity(a: list[str], b: list[str]) -> float:
    """The better of character-level (typos) and word-level (one word swapped for a long
    one) similarity; either alone misjudges short titles."""
    characters = fuzz.token_sort_ratio(" ".join(a), " ".join(b)) / 100
    return max(characters, Indel.normalized_similarity(a, b))


def _main_title(title: str) -> str:
    """The title before its subtitle ("Stem cells and exosomes: new therapies" -> first part)."""
    return re.split(r":\s|\s[-–—]\s|\.\s", title, maxsplit=1)[0]


def locators(pages: str, article_number: str) -> set[str]:
    """Comparison keys of the first page and the article number ("e70089" ~ "70089")."""
    first, _ = expand_pages(pages) if pages else ("", "")
    return {key for key in (locator_key(first), locator_key(article_number)) if key}


def same_journal(written: str, work: Work) -> bool:
    """True when a written journal name is the record's full title or an abbreviation of it.

    Accepts the record's short-container-title, a pair from the abbreviation table, or an
    ISO 4-style abbreviation where each written word starts the corresponding full word
    (or is a known irregular abbreviation of it: "Natl" for "National").
    """
    names = [name for name in (work.container_title, work.short_container_title) if name]
    for variant in _journal_variants(written):
        key = squash(variant)
        for name in names:
            if key == squash(name) or _abbreviates(variant, name):
                return True
            if key in _abbreviations("title").get(squash(name), ()):
                return True
    return False


def _journal_variants(written: str) -> list[str]:
    # "Diagnostics (Basel)": the place qualifier is part of the NLM abbreviation only.
    without = " ".join(fold(written).replace("(", " ( ").split())
    stripped = _drop_parenthesised(without)
    return [written] if stripped == without else [written, stripped]


def _drop_parenthesised(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        if depth == 0:
            out.append(ch)
        depth -= ch == ")" and depth > 0
    return " ".join("".join(out).split())


def _abbreviates(short: str, full: str) -> bool:
    shorts = [w for w in words(short) if w not in _JOURNAL_STOPWORDS]
    fulls = [w for w in words(full) if w not in _JOURNAL_STOPWORDS]
    if not shorts or len(shorts) != len(fulls):
        return False
    irregular = _abbreviations("word")
    return all(
        f.startswith(s) or any(f.startswith(x) for x in irregular.get(s, ()))
        for s, f in zip(shorts, fulls, strict=True)
    )


@cache
def _abbreviations(kind: str) -> dict[str, frozenset[str]]:
    """The rows of data/journal_abbrev.tsv of one kind, squashed, as a lookup table.

    "title": full title -> accepted abbreviations; "word": irregular word abbreviation ->
    the full words it stands for ("natl" -> {"national"}).
    """
    text = resources.files("citecheck").joinpath("data/journal_abbrev.tsv").read_text("utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row_kind, full, abbreviation, *_ = line.split("\t")
        if row_kind == kind:
            key, value = (full, abbreviation) if kind == "title" else (abbreviation, full)
            table.setdefault(squash(key), set()).add(squash(value))
    return {key: frozenset(value) for key, value in table.items()}
