"""Questions to a local index: by DOI, by PMID, and candidates by title words.

IndexSource follows the Source protocol, so match.resolve_reference validates its candidates
exactly as it validates Crossref's; the lock then records "local-index" as the source.
Title search asks FTS5 for each distinctive word of the reference (in at most COMMON
titles), then counts common words only among titles holding a distinctive one, and ranks by
the rarity of the words shared; a title of common words only falls back to the titles
holding all of them. match.py's validation decides; the ranking only has to include it.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from citecheck.files import InputError
from citecheck.model import Reference, Resolution, Verdict, Work
from citecheck.normalize import doi_key, words
from citecheck.resolve.index.build import FORMAT_VERSION
from citecheck.resolve.lock import work_from_json
from citecheck.resolve.match import MIN_RELEVANCE_PER_CHAR, resolve_reference, score_candidate
from citecheck.safeload import JsonError, parse_json

REBUILD = "rebuild it with `citecheck index build`"

SOURCE = "local-index"
COMMON = 3000  # a word in more titles than this does not narrow the search
MAX_WORDS = 40
MIN_SHARED = 2
MAX_COMMON = 8  # common words counted among titles that share a distinctive one
FALLBACK = 200  # candidates checked when a title has no distinctive word
_STOP = frozenset(
    ["the", "and", "for", "with", "from", "into", "that", "this", "are", "was", "were", "its", "their", "of", "in", "on", "to", "by", "an", "as", "at", "or", "et", "al", "vol", "pp", "doi", "org", "http", "https", "www"]
)


class IndexSource:
    """Read-only access to an index file (one connection per thread: SQLite's rule)."""

    name = SOURCE

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(self.path, None, "no such index; build one with `citecheck index build`")
        self._local = threading.local()
        version = self._meta("format")
        if version != str(FORMAT_VERSION):
            raise InputError(self.path, None, f"not a citecheck index (format {version!r})")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def _meta(self, key: str) -> str | None:
        try:
            row = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as error:
            raise InputError(self.path, None, f"not a citecheck index ({error})") from None
        return row[0] if row else None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection; a file damaged after it was opened (truncated, overwritten) is
        one line naming it, never a traceback."""
        try:
            yield self._db()
        except sqlite3.DatabaseError as error:
            raise InputError(self.path, None, f"the index is damaged ({error}); {REBUILD}") from None

    def _decode(self, blob: bytes) -> Work:
        """One stored record (zlib-compressed lock JSON), read through safeload."""
        try:
            record = parse_json(zlib.decompress(blob))
            if not isinstance(record, dict):
                raise JsonError("not a record")
            return work_from_json(record)
        except (zlib.error, JsonError, TypeError, ValueError, AttributeError) as error:
            raise InputError(
                self.path, None, f"the index holds a damaged record ({error}); {REBUILD}"
            ) from None

    def _works(self, sql: str, args: tuple) -> list[Work]:
        with self._reading() as db:
            rows = db.execute(sql, args).fetchall()
        return [self._decode(r[0]) for r in rows]

    def work(self, doi: str) -> Work | None:
        found = self._works("SELECT data FROM works WHERE doi = ? LIMIT 1", (doi_key(doi),))
        return found[0] if found else None

    def by_pmid(self, pmid: str) -> Work | None:
        found = self._works("SELECT data FROM works WHERE pmid = ? LIMIT 1", (pmid.strip(),))
        return found[0] if found else None

    def search(
        self, bibliographic: str, rows: int = 5, *, thorough: bool = False
    ) -> list[tuple[Work, float]]:
        """Titles sharing the most distinctive words with the reference text; `thorough`
        also counts common words (3x slower: only for what the quick search missed)."""
        terms = [w for w in dict.fromkeys(words(bibliographic)) if _useful(w)][:MAX_WORDS]
        with self._reading() as db:
            return self._search(db, bibliographic, terms, rows, thorough)

    def _search(self, db, bibliographic: str, terms: list[str], rows: int, thorough: bool):
        shared: Counter[int] = Counter()  # titles by how many distinctive words they share
        weight: Counter[int] = Counter()  # ... and by how rare those words are (idf)
        common = []
        for term in terms:
            ids = db.execute(
                "SELECT rowid FROM titles WHERE titles MATCH ? LIMIT ?", (f'"{term}"', COMMON + 1)
            ).fetchall()
            if len(ids) <= COMMON:
                rarity = math.log((COMMON + 1) / len(ids)) + 1 if ids else 0.0
                for (i,) in ids:
                    shared[i] += 1
                    weight[i] += rarity
            else:
                common.append(term)
        rare = [t for t in terms if t not in common]
        if thorough and rare and common:  # common title words count too
            any_rare = " OR ".join(f'"{t}"' for t in rare)
            for term in common[:MAX_COMMON]:
                ids = db.execute(
                    "SELECT rowid FROM titles WHERE titles MATCH ? LIMIT ?",
                    (f'"{term}" AND ({any_rare})', COMMON * len(rare)),
                ).fetchall()
                for (i,) in ids:
                    shared[i] += 1
                    weight[i] += 0.5
        ranked = sorted((i for i in shared if shared[i] >= MIN_SHARED), key=lambda i: -weight[i])
        best = [(i, shared[i]) for i in ranked[: rows * 4]]
        if not best and len(common) >= MIN_SHARED:
            best = self._all_of(db, common)
        if not best:
            return []
        marks = ",".join("?" * len(best))
        found = db.execute(
            f"SELECT id, data FROM works WHERE id IN ({marks})", [i for i, _ in best]
        ).fetchall()
        by_id = {i: self._decode(d) for i, d in found}
        # Crossref's scores grow with the query; ours must pass match's floor the same way.
        floor = MIN_RELEVANCE_PER_CHAR * len(bibliographic)
        return [(by_id[i], floor + n) for i, n in best if i in by_id]

    def _all_of(self, db, common: list[str]) -> list[tuple[int, int]]:
        """A title of common words only ("Cancer statistics, 2020"): titles holding all of
        them, at most FALLBACK; validation then needs the authors, year and pages to agree."""
        query = " AND ".join(f'"{t}"' for t in common)
        ids = db.execute(
            "SELECT rowid FROM titles WHERE titles MATCH ? LIMIT ?", (query, FALLBACK)
        ).fetchall()
        return [(i, len(common)) for (i,) in ids]

    def records(self) -> int:
        value = self._meta("records") or "0"
        if not value.isdigit():
            raise InputError(self.path, None, f"the index metadata is damaged; {REBUILD}")
        return int(value)


def _useful(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in _STOP


def resolve_with_index(ref: Reference, index: IndexSource) -> Resolution:
    """The index's answer: by PMID when the entry has only that, else DOI, else title words."""
    if ref.pmid and not ref.doi:
        work = index.by_pmid(ref.pmid)
        if work is not None:
            return Resolution(
                Verdict.MATCHED, work, score_candidate(ref, work), query=ref.raw, source=SOURCE
            )
    quick = resolve_reference(ref, index)
    if quick.verdict is not Verdict.NOT_FOUND:
        return quick
    again = resolve_reference(ref, _Thorough(index))
    return again if again.verdict is not Verdict.NOT_FOUND else quick


class _Thorough:
    """The index with thorough title search, for a second look at what the quick one missed."""

    name = SOURCE

    def __init__(self, index: IndexSource) -> None:
        self._index = index

    def work(self, doi: str) -> Work | None:
        return self._index.work(doi)

    def search(self, bibliographic: str, rows: int = 5) -> list[tuple[Work, float]]:
        return self._index.search(bibliographic, rows, thorough=True)
