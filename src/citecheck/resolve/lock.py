"""The lock file refs/references.lock.json: what each reference resolved to, so CI runs offline.

Layout (version 1), written with sorted keys, indent 2 and a trailing newline so diffs stay
small and readable:

    {
      "citecheck-lock": 1,
      "references": [                      # in reference-number order
        {
          "number": 1, "key": "pan2023mechanisms",
          "verdict": "matched",            # matched | ambiguous | not-found | lookup-failed
                                           #   | unresolved (nobody asked yet)
          "doi": "10.1016/j.exger.2023.112119",
          "score": 0.95,                   # validation score of match.score_candidate
          "query": "Pan HY, Li HT, ...",   # the reference text the verdict was made for
          "source": "crossref-api",        # or "recorded" (transcribed, not API output)
          "retrieved": "2025-11-27T18:54:00Z",
          "detail": "",                    # why, for not-found/ambiguous/lookup-failed
          "work": {                        # only the fields used for checking; an absent
            "title": "...",                #   field is unknown, never "empty"
            "authors": [{"family": "Pan", "given": "Hongyu"}],
            "authors_complete": true,
            "container_title": "...", "short_container_title": "...",
            "year": 2023, "volume": "174", "issue": "", "page": "", "article_number": "112119",
            "type": "journal-article",
            "updated_by": [{"type": "retraction", "doi": "...", "label": "..."}],
            "update_to": [], "relation": []
          }
        }
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from citecheck.files import InputError, atomic_write
from citecheck.model import (
    Author,
    Identity,
    Reference,
    Resolution,
    SourceAnswer,
    Update,
    Verdict,
    Work,
)
from citecheck.normalize import doi_key, words
from citecheck.resolve.match import MIN_RELEVANCE_PER_CHAR, resolve_reference

LOCK_VERSION = 1
_WORK_TEXT_FIELDS = (
    "doi",
    "title",
    "container_title",
    "short_container_title",
    "volume",
    "issue",
    "page",
    "article_number",
    "type",
    "pmid",
    "pmcid",
)
_UPDATE_FIELDS = ("updated_by", "update_to", "relation")


class LockError(InputError):
    """The lock file cannot be read: not JSON, or not the layout above (path, line, message)."""


class LayoutError(ValueError):
    """A JSON value that does not follow the lock layout (parse_lock adds file and line)."""


@dataclass(frozen=True)
class LockEntry:
    """One reference's locked resolution, keyed by its number and its bib key."""

    number: int | None
    key: str
    resolution: Resolution


@dataclass(frozen=True)
class Lock:
    """All locked resolutions, in reference-number order."""

    entries: tuple[LockEntry, ...] = ()

    def resolutions(self) -> dict[int, Resolution]:
        """Locked resolutions by reference number (entries without a number are left out)."""
        return {e.number: e.resolution for e in self.entries if e.number is not None}

    def entry_for(self, ref: Reference) -> LockEntry | None:
        """The entry written for this reference: the same bib key, else the same text.

        Never the number alone: numbers are positions, and another manuscript's [7] is
        another work.
        """
        by_key, by_text = self._index
        if ref.key and ref.key in by_key:
            return by_key[ref.key]
        return self.entry_with_text(ref.raw)

    def entry_with_key(self, key: str) -> LockEntry | None:
        return self._index[0].get(key) if key else None

    def entry_with_text(self, raw: str) -> LockEntry | None:
        """The entry resolved for this very reference text (case, spacing, markup aside)."""
        key = text_key(raw)
        return self._index[1].get(key) if key else None

    @cached_property
    def _index(self) -> tuple[dict[str, LockEntry], dict[str, LockEntry]]:
        """Look-up tables, so resolving n references is O(n), not O(n^2)."""
        by_key: dict[str, LockEntry] = {}
        by_text: dict[str, LockEntry] = {}
        for entry in self.entries:
            if entry.key:
                by_key.setdefault(entry.key, entry)
            query = text_key(entry.resolution.query)
            if query:
                by_text.setdefault(query, entry)
        return by_key, by_text


def text_key(raw: str) -> str:
    """A reference text's comparison form: its words, without case, punctuation or markup."""
    return " ".join(words(raw))


# --- JSON layout ---------------------------------------------------------------------------


def work_to_json(work: Work) -> dict[str, Any]:
    """The checked subset of a Work as JSON; empty fields are left out (absent = unknown)."""
    data: dict[str, Any] = {name: getattr(work, name) for name in _WORK_TEXT_FIELDS}
    data["authors"] = [
        {"family": a.family, "given": a.given} if a.given else {"family": a.family}
        for a in work.authors
    ]
    data["year"] = work.year
    for name in _UPDATE_FIELDS:
        data[name] = [
            {k: v for k, v in (("type", u.type), ("doi", u.doi), ("label", u.label)) if v}
            for u in getattr(work, name)
        ]
    data = {k: v for k, v in data.items() if v not in ("", None, [])}
    if not work.authors_complete:
        data["authors_complete"] = False
    return data


def work_from_json(data: Mapping[str, Any]) -> Work:
    """Inverse of work_to_json. Raises LayoutError on a field of the wrong type."""
    if not isinstance(data, Mapping):
        raise LayoutError("work must be an object")
    known = {f.name for f in fields(Work)} - {"abstract"}
    unknown = set(data) - known
    if unknown:
        raise LayoutError(f"unknown work field(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name in _WORK_TEXT_FIELDS:
        values[name] = _text(data.get(name, ""), name)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise LayoutError("year must be an integer")
    values["year"] = year
    complete = data.get("authors_complete", True)
    if not isinstance(complete, bool):
        raise LayoutError("authors_complete must be true or false")
    values["authors_complete"] = complete
    values["authors"] = tuple(
        Author(_text(a.get("family", ""), "family"), _text(a.get("given", ""), "given"))
        for a in _objects(data.get("authors", []), "authors")
    )
    for name in _UPDATE_FIELDS:
        values[name] = tuple(
            Update(
                _text(u.get("type", ""), "type"),
                _text(u.get("doi", ""), "doi"),
                _text(u.get("label", ""), "label"),
            )
            for u in _objects(data.get(name, []), name)
        )
    return Work(**values)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise LayoutError(f"{name} must be a string")
    return value


def _objects(value: Any, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise LayoutError(f"{name} must be a list of objects")
    return value


def entry_to_json(entry: LockEntry) -> dict[str, Any]:
    """One lock entry as JSON (see the module docstring for the layout)."""
    res = entry.resolution
    data: dict[str, Any] = {
        "number": entry.number,
        "key": entry.key,
        "verdict": res.verdict.value,
        "doi": res.work.doi if res.work else "",
        "score": res.score,
        "query": res.query,
        "source": res.source,
        "retrieved": res.retrieved,
        "detail": res.detail,
    }
    if res.work is not None:
        data["work"] = work_to_json(res.work)
    if res.identity is not None:
        data["identity"] = identity_to_json(res.identity)
    return data


def identity_to_json(identity: Identity) -> dict[str, Any]:
    """The multi-source verdict: verdict, reason, matched source and each source's answer."""
    data: dict[str, Any] = {
        "verdict": identity.verdict,
        "reason": identity.reason,
        "matched_by": identity.matched_by,
        "published": identity.published,
        "sources": [
            {k: v for k, v in vars(a).items() if v not in ("", None)} for a in identity.answers
        ],
    }
    return {k: v for k, v in data.items() if v not in ("", [])}


def identity_from_json(data: Any) -> Identity:
    """Inverse of identity_to_json. Raises LayoutError on a malformed identity."""
    if not isinstance(data, Mapping):
        raise LayoutError("identity must be an object")
    answers = tuple(
        SourceAnswer(**{k: _text(a.get(k, ""), k) for k in _ANSWER_FIELDS})
        for a in _objects(data.get("sources", []), "sources")
    )
    return Identity(
        verdict=_text(data.get("verdict", ""), "verdict"),
        reason=_text(data.get("reason", ""), "reason"),
        matched_by=_text(data.get("matched_by", ""), "matched_by"),
        answers=answers,
        published=_text(data.get("published", ""), "published"),
    )


_ANSWER_FIELDS = ("source", "status", "doi", "pmid", "pmcid", "detail")


def entry_from_json(data: Any) -> LockEntry:
    """Inverse of entry_to_json. Raises LayoutError on a malformed entry."""
    if not isinstance(data, Mapping):
        raise LayoutError("each reference must be an object")
    number = data.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise LayoutError("number must be an integer or null")
    try:
        verdict = Verdict(data.get("verdict"))
    except ValueError:
        allowed = ", ".join(v.value for v in Verdict)
        raise LayoutError(f"verdict {data.get('verdict')!r} is not one of {allowed}") from None
    score = data.get("score", 0.0)
    if not isinstance(score, int | float) or isinstance(score, bool):
        raise LayoutError("score must be a number")
    _text(data.get("doi", ""), "doi")  # a copy of the work's DOI, for people reading diffs
    work = work_from_json(data["work"]) if data.get("work") is not None else None
    resolution = Resolution(
        verdict=verdict,
        work=work,
        score=float(score),
        query=_text(data.get("query", ""), "query"),
        source=_text(data.get("source", ""), "source"),
        retrieved=_text(data.get("retrieved", ""), "retrieved"),
        detail=_text(data.get("detail", ""), "detail"),
        identity=identity_from_json(data["identity"]) if data.get("identity") is not None else None,
    )
    return LockEntry(number, _text(data.get("key", ""), "key"), resolution)


def dump_lock(lock: Lock) -> str:
    """The lock as stable JSON text: sorted keys, number order, indent 2, trailing newline."""
    entries = sorted(lock.entries, key=_order)
    document = {
        "citecheck-lock": LOCK_VERSION,
        "references": [entry_to_json(e) for e in entries],
    }
    # allow_nan=False: the lock stays standard JSON (a NaN score is a bug, not a value).
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    return text + "\n"


def parse_lock(text: str, path: str | Path = "<lock>") -> Lock:
    """Read lock JSON text; any problem becomes a LockError naming the file and line."""
    from citecheck.safeload import JsonError, parse_json

    try:
        document = parse_json(text)  # bounded: no NaN, no huge numbers, no deep nesting
    except JsonError as error:
        raise LockError(path, error.lineno, error.message) from None
    if not isinstance(document, dict) or not isinstance(document.get("references"), list):
        raise LockError(path, 1, 'expected an object with a "references" list')
    version = document.get("citecheck-lock")
    if isinstance(version, bool) or version != LOCK_VERSION:  # true == 1 in Python
        raise LockError(path, 1, f"unsupported lock version {version!r} (expected 1)")
    entries = []
    for index, item in enumerate(document["references"]):
        try:
            entries.append(entry_from_json(item))
        except LayoutError as error:
            line = _line_of_entry(text, index)
            raise LockError(path, line, f"reference #{index + 1}: {error}") from None
    return Lock(tuple(sorted(entries, key=_order)))


def load_lock(path: str | Path) -> Lock:
    """Read the lock file at path; a missing, unreadable or malformed file is a LockError."""
    from citecheck.files import read_input_bytes

    try:
        text = read_input_bytes(path).decode("utf-8")  # a regular file within the size limit
    except InputError as error:
        raise LockError(error.path, error.line, error.message) from None
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        byte = error.object[error.start]
        raise LockError(path, line, f"not valid UTF-8 (byte 0x{byte:02x})") from None
    return parse_lock(text, path)


def save_lock(lock: Lock, path: str | Path) -> None:
    """Write the lock atomically (temporary file in the same folder, then os.replace)."""
    atomic_write(path, dump_lock(lock))


def _order(entry: LockEntry) -> tuple[int, int, str]:
    return (entry.number is None, entry.number or 0, entry.key)


def _line_of_entry(text: str, index: int) -> int | None:
    """Best-effort line of the index-th entry: the line of its "number" key in our layout."""
    seen = -1
    for line_number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith('"number"'):
            seen += 1
            if seen == index:
                return line_number
    return None


# --- offline resolution ----------------------------------------------------------------------


class LockSource:
    """A Source over the works in a lock, so offline checks match exactly as online ones do.

    The lock has no relevance ranking: every locked work is offered as a candidate at the
    relevance floor and the validation score alone decides, as it does online.
    """

    name = "lock"

    def __init__(self, lock: Lock) -> None:
        self._entries = [e for e in lock.entries if e.resolution.work is not None]
        self._by_doi: dict[str, LockEntry] = {}
        self._by_work: dict[int, LockEntry] = {}
        self._by_word: dict[str, list[int]] = {}
        self._needed: list[int] = []  # shared words that make a locked work a candidate
        for index, entry in enumerate(self._entries):
            work = entry.resolution.work
            self._by_work[id(work)] = entry
            if work.doi:
                self._by_doi.setdefault(doi_key(work.doi), entry)
            signature = _signature(work)
            self._needed.append(max(MIN_SHARED_WORDS, int(len(signature) * MIN_SHARED_SHARE)))
            for word in signature:
                self._by_word.setdefault(word, []).append(index)

    def work(self, doi: str) -> Work | None:
        entry = self.entry_with_doi(doi)
        return entry.resolution.work if entry else None

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        """Locked works sharing words with the query (family names, title words), best first.

        Like Crossref's own search this only proposes candidates; validation decides. Blocking
        on shared words keeps a 5,000-entry lock fast while an edited entry (a changed year,
        title word or author order) still shares most of its words with its record.
        """
        hits: dict[int, int] = {}
        for word in set(words(bibliographic)):
            for index in self._by_word.get(word, ()):
                hits[index] = hits.get(index, 0) + 1
        close = [i for i in hits if hits[i] >= self._needed[i]]
        best = sorted(close, key=lambda i: (-hits[i], i))[: max(rows, SEARCH_CANDIDATES)]
        relevance = MIN_RELEVANCE_PER_CHAR * len(bibliographic)
        return [(self._entries[i].resolution.work, relevance) for i in best]

    def entry_with_doi(self, doi: str) -> LockEntry | None:
        """The locked entry whose work has this DOI (case-insensitive)."""
        return self._by_doi.get(doi_key(doi))

    def entry_with_work(self, work: Work) -> LockEntry | None:
        """The locked entry a work returned by this source came from."""
        return self._by_work.get(id(work))


# How many locked works a changed entry is validated against (those sharing the most words).
SEARCH_CANDIDATES = 10
# A locked work is a candidate only when the entry shares this many of its identifying words
# (names, title and journal words, numbers), and at least this share of them: an edited entry
# keeps most of its words, while another manuscript's entry shares a year or a volume at
# most. Without the floor every entry of a 5,000-entry manuscript was validated against
# the lock's works (9 s against the seed's 25).
MIN_SHARED_WORDS = 3
MIN_SHARED_SHARE = 0.3
_COMMON = frozenset(
    [
        "the",
        "of",
        "and",
        "in",
        "for",
        "a",
        "an",
        "to",
        "with",
        "by",
        "on",
        "from",
        "via",
        "at",
        "as",
        "is",
        "are",
    ]
)


def _signature(work: Work) -> set[str]:
    """Words that identify a work: names, title and journal words, volume, pages, year.

    Records are often partial (recorded metadata may lack a title), so the locators count too.
    """
    names = {w for a in work.authors for w in words(a.family)}
    text = f"{work.title} {work.container_title} {work.short_container_title}"
    title = {w for w in words(text) if w not in _COMMON and len(w) > 2}
    locators = set(words(f"{work.volume} {work.page} {work.article_number} {work.year or ''}"))
    return names | title | locators


def resolutions_from_lock(refs: Iterable[Reference], lock: Lock) -> dict[int, Resolution]:
    """Resolve references offline against the lock, by content only.

    A locked answer applies to an entry with the same text, or to an entry that the same
    matching as online (DOI, else search + validation) pairs with a locked record, so an
    edited year shows up as year-mismatch. Nothing applies by number: a lock written for
    one manuscript says nothing about another's [7]. An entry the lock wrote under the same
    key whose text no longer fits any record is "unresolved" (not asked yet), and only when
    the lock describes this manuscript at all; any other entry is simply absent (unknown).
    """
    source = LockSource(lock)
    resolved: dict[int, Resolution] = {}
    changed: list[Reference] = []
    for ref in refs:
        if ref.number is None:
            continue
        result = _resolve_offline(ref, lock, source)
        if result is not None:
            resolved[ref.number] = result
        elif lock.entry_with_key(ref.key) is not None:
            changed.append(ref)
    if resolved:  # the lock describes this manuscript: say which entries it no longer fits
        for ref in changed:
            resolved[ref.number] = Resolution(
                Verdict.UNRESOLVED,
                query=ref.raw,
                source=source.name,
                detail="the entry changed since the lock was written and fits no locked record",
            )
    return resolved


def _resolve_offline(ref: Reference, lock: Lock, source: LockSource) -> Resolution | None:
    same_text = lock.entry_with_text(ref.raw)
    if same_text is not None:
        return same_text.resolution
    found = resolve_reference(ref, source, now=lambda: "")
    if found.verdict is not Verdict.MATCHED or found.work is None:
        return None
    origin = source.entry_with_work(found.work)
    if origin is None:
        return None
    old = origin.resolution
    return replace(found, source=old.source, retrieved=old.retrieved)


def update_lock(
    lock: Lock, refs: Iterable[Reference], resolutions: Mapping[int, Resolution]
) -> Lock:
    """The lock for the current references: new resolutions replace old ones only when they
    say something different (so an unchanged record keeps its old timestamp) and a failed
    lookup never replaces a known answer; references without a new resolution keep their
    entry, and entries of removed references go.
    """
    entries = []
    for ref in refs:
        old = lock.entry_for(ref)
        new = resolutions.get(ref.number) if ref.number is not None else None
        if new is not None and new.verdict is Verdict.UNRESOLVED:
            new = None  # nobody was asked: nothing to record
        if new is not None and old is not None and new.verdict is Verdict.LOOKUP_FAILED:
            new = None  # a failed lookup says nothing new: keep what we knew
        if new is not None and (old is None or _differs(old.resolution, new)):
            entries.append(LockEntry(ref.number, ref.key, new))
        elif old is not None:
            entries.append(LockEntry(ref.number, ref.key, old.resolution))
    return Lock(tuple(sorted(entries, key=_order)))


def _differs(old: Resolution, new: Resolution) -> bool:
    """Whether two resolutions say different things (the timestamp alone does not count)."""
    return replace(old, retrieved="") != replace(new, retrieved="")
