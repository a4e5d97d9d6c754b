"""Is a reference real and what it claims to be? The verdict from every source's answer (issue 10).

Pure: `decide` takes what each source returned for one reference and names one verdict with
its reason. Precision first: "not found" only when every source that should know the work
answered and none has it, never while a source failed, never for a kind of work the sources
do not index (grey literature, web pages, theses, books without ISBN, Chinese-language works,
DOIs of agencies we cannot ask). A DOI, PMID or PMCID whose record is clearly another work
than the entry's title describes is an identifier conflict, the commonest fabrication.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citecheck.model import Identity, Reference, SourceAnswer, Work
from citecheck.normalize import doi_key
from citecheck.resolve.match import (
    MIN_SIMILARITY,
    compare,
    same_work,
    score_candidate,
    title_similarity,
)

VERIFIED = "verified"
MISMATCH = "mismatch"
CONFLICT = "identifier-conflict"
NOT_FOUND = "not-found"
UNDETERMINED = "cannot-determine"

FOUND, ABSENT, FAILED = "found", "absent", "failed"
# Agencies whose DOIs a source here can read (Crossref, DataCite; OpenAlex reads both).
QUERYABLE_AGENCIES = frozenset({"crossref", "datacite"})
# Kinds of work no scholarly index reliably holds.
_UNCOVERED_KINDS = frozenset(
    {
        "misc",
        "online",
        "webpage",
        "techreport",
        "report",
        "manual",
        "unpublished",
        "phdthesis",
        "mastersthesis",
        "thesis",
        "patent",
        "software",
        "dataset",
        "standard",
        "legislation",
    }
)
# Two records of one work agree at least this much on the title.
SAME_TITLE = 0.8
# How many sources must have answered (and none found it) before "not found" is said, one of
# them an index of the whole literature (PubMed and Europe PMC hold biomedicine only).
MIN_ANSWERED = 2
GENERAL_INDEXES = frozenset({"crossref-api", "crossref", "openalex"})


@dataclass(frozen=True)
class Lookup:
    """One source's answer for one reference: records by identifier, and search candidates."""

    source: str
    status: str  # found | absent | failed
    by_doi: Work | None = None
    by_pmid: Work | None = None
    by_pmcid: Work | None = None
    candidates: tuple[Work, ...] = ()
    detail: str = ""
    asked: tuple[str, ...] = field(default=())  # which identifiers/searches were asked


@dataclass(frozen=True)
class Decision:
    """The verdict and the record the entry is (None when it matched none)."""

    identity: Identity
    work: Work | None


def uncovered(ref: Reference) -> str:
    """Why no source can be expected to hold this work ("" when one should)."""
    text = f"{ref.raw} {ref.url}".lower()
    if ref.language == "zh":
        return "a Chinese-language work, which Crossref, PubMed and OpenAlex mostly do not index"
    if ref.kind in ("book", "inbook", "incollection") and not ref.isbn and not ref.doi:
        return "a book without ISBN or DOI, which the sources do not reliably index"
    if ref.kind in _UNCOVERED_KINDS or ref.type_marker.upper() in (
        "EB/OL",
        "R",
        "D",
        "P",
        "S",
        "Z",
    ):
        return f"grey literature or a web page ({ref.kind or ref.type_marker}), which the sources do not index"
    if ref.url and not (ref.doi or ref.pmid or ref.pmcid or ref.container):
        return "a web page, which the sources do not index"
    if not ref.title and not (ref.doi or ref.pmid or ref.pmcid):
        return "no title or identifier to look it up by"
    if "available online" in text or "accessed" in text and not ref.container:
        return "a web page, which the sources do not index"
    return ""


def decide(ref: Reference, lookups: list[Lookup], agency: str = "") -> Decision:
    """One verdict for the entry from every source's lookups; `agency` is the DOI's RA."""
    answers = tuple(_answer(ref, lk) for lk in lookups)
    failed = [lk for lk in lookups if lk.status == FAILED]
    conflict = _conflict(ref, lookups)
    match, by = _best_match(ref, lookups)
    if conflict:
        return Decision(Identity(CONFLICT, conflict, by, answers), match)
    if match is not None:
        merged = _merge(match, ref, lookups)
        score = score_candidate(ref, match)
        verdict, reason = VERIFIED, f"{_label(by)} has this work"
        differing = [name for name, value in compare(ref, match).fields.items() if value < 1.0]
        if differing:
            verdict = MISMATCH
            reason = f"{_label(by)} has this work, but the entry's {', '.join(differing)} differ"
        published = _published(merged)
        return Decision(
            Identity(verdict, f"{reason} (score {score:.2f})", by, answers, published), merged
        )
    if failed:
        names = "; ".join(f"{_label(lk.source)}: {lk.detail}" for lk in failed)
        return Decision(
            Identity(UNDETERMINED, f"a source could not be asked ({names})", "", answers), None
        )
    why = uncovered(ref) or _container_only(ref, lookups)
    if why:
        return Decision(Identity(UNDETERMINED, why, "", answers), None)
    if ref.doi and agency and agency not in QUERYABLE_AGENCIES and agency != "none":
        reason = f"the DOI is registered with {agency}, which citecheck cannot query"
        return Decision(Identity(UNDETERMINED, reason, "", answers), None)
    answered = [lk.source for lk in lookups if lk.status == ABSENT]
    if ref.doi and agency == "none":
        reason = f"doi.org does not know the DOI prefix of {ref.doi}, and no source has the work"
        return Decision(Identity(NOT_FOUND, reason, "", answers), None)
    if not set(answered) & GENERAL_INDEXES:
        reason = "neither Crossref nor OpenAlex answered, and the other sources index only part of the literature"
        return Decision(Identity(UNDETERMINED, reason, "", answers), None)
    if len(answered) < MIN_ANSWERED:
        reason = f"only {', '.join(map(_label, answered)) or 'no source'} answered; too few to say it does not exist"
        return Decision(Identity(UNDETERMINED, reason, "", answers), None)
    reason = f"none of {', '.join(map(_label, answered))} has a work with this title and authors"
    if ref.doi:
        reason += f" or the DOI {ref.doi}"
    return Decision(Identity(NOT_FOUND, reason, "", answers), None)


# --- identifiers -----------------------------------------------------------------------------


def _conflict(ref: Reference, lookups: list[Lookup]) -> str:
    """Why the entry's identifiers name another work ("" when they do not)."""
    for kind, written in (("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid)):
        if not written:
            continue
        for lk in lookups:
            record = _by(lk, kind)
            if record is None or not ref.title or not record.title:
                continue
            if _is_container(ref, record):
                continue  # the DOI of the book or proceedings a chapter is in: not a conflict
            if not same_work(ref, record):
                return (
                    f"the {kind} {written} names another work in {_label(lk.source)}: "
                    f"{_short(record.title)!r}"
                    + (
                        f" ({record.authors[0].family} {record.year or ''})"
                        if record.authors
                        else ""
                    )
                )
    records = {kind: _first(lookups, kind) for kind in ("DOI", "PMID", "PMCID")}
    written = {"DOI": ref.doi, "PMID": ref.pmid, "PMCID": ref.pmcid}
    for a, b in (("DOI", "PMID"), ("DOI", "PMCID"), ("PMID", "PMCID")):
        ra, rb = records[a], records[b]
        if ra is None or rb is None or not ra.title or not rb.title:
            continue
        if title_similarity(ra.title, rb.title) < SAME_TITLE and not _same_ids(ra, rb):
            return (
                f"the {a} {written[a]} and the {b} {written[b]} name different works: "
                f"{_short(ra.title)!r} and {_short(rb.title)!r}"
            )
    return ""


def _is_container(ref: Reference, record: Work) -> bool:
    """The record is the book, proceedings or journal the entry is in, not the entry."""
    return bool(ref.container and record.title) and (
        title_similarity(ref.container, record.title) >= SAME_TITLE
    )


def _container_only(ref: Reference, lookups: list[Lookup]) -> str:
    for lk in lookups:
        for record in (lk.by_doi, lk.by_pmid, lk.by_pmcid):
            if record is not None and _is_container(ref, record):
                return (
                    f"the identifier names the volume the work is in ({_short(record.title)!r} "
                    f"in {_label(lk.source)}), and no source has a record of the work itself"
                )
    return ""


def _same_ids(a: Work, b: Work) -> bool:
    return bool(a.doi and b.doi and doi_key(a.doi) == doi_key(b.doi)) or bool(
        a.pmid and b.pmid and a.pmid == b.pmid
    )


def _by(lk: Lookup, kind: str) -> Work | None:
    return {"DOI": lk.by_doi, "PMID": lk.by_pmid, "PMCID": lk.by_pmcid}[kind]


def _first(lookups: list[Lookup], kind: str) -> Work | None:
    return next((w for lk in lookups if (w := _by(lk, kind)) is not None), None)


# --- matching --------------------------------------------------------------------------------


def _best_match(ref: Reference, lookups: list[Lookup]) -> tuple[Work | None, str]:
    """The record that is the entry's work: an identifier's record that agrees with the entry,
    else the best search candidate at or above the matching threshold."""
    for lk in lookups:
        for record in (lk.by_doi, lk.by_pmid, lk.by_pmcid):
            if (
                record is not None
                and same_work(ref, record)
                and (not ref.title or score_candidate(ref, record) >= 0.5)
            ):
                return record, lk.source
    scored = [(score_candidate(ref, w), w, lk.source) for lk in lookups for w in lk.candidates]
    scored = [s for s in scored if s[0] >= MIN_SIMILARITY]
    if not scored:
        return None, ""
    _score, work, source = max(scored, key=lambda s: s[0])
    return work, source


def _merge(match: Work, ref: Reference, lookups: list[Lookup]) -> Work:
    """The matched record, with the other sources' identifiers and notices of the same work."""
    from dataclasses import replace

    same = [match]
    for lk in lookups:
        for record in (lk.by_doi, lk.by_pmid, lk.by_pmcid, *lk.candidates):
            if record is not None and record is not match and _same_record(match, record):
                same.append(record)
    updates = {(u.type, u.doi, u.label): u for w in same for u in w.updated_by}
    notices = {(u.type, u.doi, u.label): u for w in same for u in w.update_to}
    relation = {(u.type, u.doi, u.label): u for w in same for u in w.relation}
    return replace(
        match,
        doi=match.doi or next((w.doi for w in same if w.doi), ""),
        pmid=match.pmid or next((w.pmid for w in same if w.pmid), ""),
        pmcid=match.pmcid or next((w.pmcid for w in same if w.pmcid), ""),
        updated_by=tuple(updates.values()),
        update_to=tuple(notices.values()),
        relation=tuple(relation.values()),
    )


def _same_record(a: Work, b: Work) -> bool:
    if _same_ids(a, b):
        return True
    return (
        bool(a.title and b.title)
        and title_similarity(a.title, b.title) >= 0.95
        and a.year == b.year
    )


def _published(work: Work) -> str:
    """The journal DOI a preprint was published as ("" when not a preprint or unknown)."""
    if work.type not in ("posted-content", "preprint"):
        return ""
    return next((u.doi for u in work.relation if u.type == "is-preprint-of" and u.doi), "")


def _answer(ref: Reference, lk: Lookup) -> SourceAnswer:
    record = lk.by_doi or lk.by_pmid or lk.by_pmcid
    if record is None and lk.candidates:
        best = max(lk.candidates, key=lambda w: score_candidate(ref, w))
        record = best if score_candidate(ref, best) >= MIN_SIMILARITY else None
    status = lk.status if lk.status == FAILED else (FOUND if record is not None else ABSENT)
    return SourceAnswer(
        lk.source,
        status,
        doi=record.doi if record else "",
        pmid=record.pmid if record else "",
        pmcid=record.pmcid if record else "",
        detail=lk.detail,
    )


_LABELS = {
    "crossref-api": "Crossref",
    "crossref": "Crossref",
    "pubmed": "PubMed",
    "europepmc": "Europe PMC",
    "openalex": "OpenAlex",
    "datacite": "DataCite",
    "recorded": "the recorded metadata",
}


def _label(source: str) -> str:
    return _LABELS.get(source, source)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- offline verdicts (the seed's recorded metadata) -----------------------------------------

RECORDED = "recorded"


def recorded_identity(ref: Reference, work: Work) -> Identity:
    """The verdict for a record transcribed by hand for this very entry (one source only:
    verified or mismatch when it agrees, else cannot-determine, never not-found)."""
    lookup = Lookup(RECORDED, ABSENT, by_doi=work if ref.doi else None, candidates=(work,))
    return decide(ref, [lookup]).identity


def unasked_identity(note: str = "") -> Identity:
    """The verdict for an entry no source has been asked about yet."""
    reason = "no source has been asked about it yet (run `citecheck resolve --online`)"
    if note:
        reason = f"{note.rstrip('.')} by hand; {reason}"
    return Identity(UNDETERMINED, reason)
