"""`citecheck index build`: a bulk dump into one SQLite file (records + FTS5 title words).

Layout: `works(id, doi, pmid, data)` where data is the zlib-compressed lock JSON of the Work
(lock.work_to_json, so the index and the lock describe a record the same way), and a
contentless FTS5 table `titles` (detail=none: only which titles hold a word, the smallest
FTS5 form) whose rowid is the work's id. Written to a temporary file and renamed, so an
interrupted build leaves the old index or none.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from citecheck.index.records import snapshot_files, works_in
from citecheck.lock import work_to_json
from citecheck.model import Work
from citecheck.normalize import doi_key

FORMAT_VERSION = 1
BATCH = 5000


@dataclass(frozen=True)
class BuildStats:
    records: int
    seconds: float
    bytes: int


SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE works (id INTEGER PRIMARY KEY, doi TEXT, pmid TEXT, data BLOB)",
    "CREATE VIRTUAL TABLE titles USING fts5(title, content='', columnsize=0, detail=none)",
)


def encode(work: Work) -> bytes:
    return zlib.compress(json.dumps(work_to_json(work), separators=(",", ":")).encode(), 6)


def build_index(
    snapshot: str | Path,
    target: str | Path,
    on_progress: Callable[[int], None] | None = None,
) -> BuildStats:
    """Index every record of the snapshot; records with neither DOI, PMID nor title are skipped."""
    files = snapshot_files(snapshot)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    started = time.perf_counter()
    count = 0
    try:
        db = sqlite3.connect(temporary)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
        for statement in SCHEMA:
            db.execute(statement)
        for chunk in _chunks((w for f in files for w in works_in(f)), BATCH):
            rows = [
                (doi_key(w.doi) or None, w.pmid or None, encode(w), w.title)
                for w in chunk
                if w.doi or w.pmid or w.title
            ]
            first = db.execute("SELECT COALESCE(MAX(id), 0) FROM works").fetchone()[0] + 1
            db.executemany(
                "INSERT INTO works (id, doi, pmid, data) VALUES (?, ?, ?, ?)",
                ((first + i, r[0], r[1], r[2]) for i, r in enumerate(rows)),
            )
            db.executemany(
                "INSERT INTO titles (rowid, title) VALUES (?, ?)",
                ((first + i, r[3]) for i, r in enumerate(rows) if r[3]),
            )
            db.commit()
            count += len(rows)
            if on_progress is not None:
                on_progress(count)
        db.execute("CREATE INDEX works_doi ON works (doi)")
        db.execute("CREATE INDEX works_pmid ON works (pmid) WHERE pmid IS NOT NULL")
        db.execute("INSERT INTO titles (titles) VALUES ('optimize')")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", str(FORMAT_VERSION)), ("records", str(count)), ("snapshot", str(snapshot))],
        )
        db.commit()
        db.close()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return BuildStats(count, time.perf_counter() - started, target.stat().st_size)


def _chunks(items: Iterable[Work], size: int):
    chunk: list[Work] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
