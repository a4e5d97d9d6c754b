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
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from citecheck.files import InputError
from citecheck.model import Work
from citecheck.normalize import doi_key
from citecheck.resolve.index.records import data_files, snapshot_files, works_in
from citecheck.resolve.lock import work_to_json

FORMAT_VERSION = 1


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
    workers: int = 0,
) -> BuildStats:
    """Index every record of the snapshot; records with neither DOI, PMID nor title are skipped.

    Data files are decoded and converted in `workers` processes (default: one per CPU, the
    JSON and record conversion are most of the time); this process only inserts.
    """
    files = snapshot_files(snapshot)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    started = time.perf_counter()
    count = 0
    bundle = any(f.name.endswith((".tar", ".tar.gz", ".tgz")) for f in files)
    workers = workers or (min(len(files), os.cpu_count() or 1) if not bundle else os.cpu_count() or 1)
    try:
        db = sqlite3.connect(temporary)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
        for statement in SCHEMA:
            db.execute(statement)
        for rows in _converted(files, workers):
            first = count + 1
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


Row = tuple[str | None, str | None, bytes, str]


def rows_of(name: str, data: bytes) -> list[Row] | tuple[str, int | None, str]:
    """One data file's records as table rows (run in a worker process); a bad file is
    (path, line, message), re-raised as InputError by the parent (exceptions with their
    own constructor do not cross a process boundary)."""
    try:
        return [
            (doi_key(w.doi) or None, w.pmid or None, encode(w), w.title)
            for w in works_in(name, data)
            if w.doi or w.pmid or w.title
        ]
    except InputError as error:
        return (error.path, error.line, error.message)


def _rows(result) -> list[Row]:
    if isinstance(result, tuple):
        raise InputError(*result)
    return result


def _converted(files: list[Path], workers: int) -> Iterator[list[Row]]:
    """Rows per data file, in order; at most 2 x workers files in flight (bounded memory)."""
    if workers <= 1:
        yield from (_rows(rows_of(name, data)) for name, data in data_files(files))
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = deque()
        for name, data in data_files(files):
            pending.append(pool.submit(rows_of, name, data))
            if len(pending) >= 2 * workers:
                yield _rows(pending.popleft().result())
        while pending:
            yield _rows(pending.popleft().result())
