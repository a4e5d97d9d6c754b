"""`citecheck batch` on Dask: read in parallel, resolve unique references once, check in parallel.

The corpus is processed in chunks so the client holds only one chunk's manuscripts and every
finished manuscript is on disk before the next chunk starts (interrupting loses nothing
written). Per manuscript, the reports and its rows for the corpus tables are written
atomically, then a state file with the content hash of its inputs and the run's settings:
a rerun skips manuscripts whose hash did not change. Workers only read files and run rules;
metadata services are asked only by the client (unique.py), so limits hold for any cluster.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citecheck import __version__
from citecheck.batch.inputs import Item
from citecheck.files import atomic_write

CHUNK = 256
INDEX_CHUNK = 200  # references per index task
TIMEOUT = 600.0  # seconds a manuscript may spend in reading, and again in checking
STATE_VERSION = 1
# on_progress(stage, done, total): stage is "read", "resolve", "check" or "write".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Settings:
    """Everything besides the inputs that changes a manuscript's outcome."""

    config: object  # citecheck.config.Config
    formats: tuple[str, ...] = ("json",)
    online: bool = False
    index: str = ""
    retractions: str = ""  # the Retraction Watch table in use, if any
    # Seconds per manuscript for reading, and again for checking (0: none); not part of the
    # fingerprint: a timed-out manuscript is an error record like an unreadable one.
    timeout: float = TIMEOUT

    def fingerprint(self) -> str:
        parts = [__version__, repr(self.config), ",".join(self.formats), str(self.online)]
        for path in (self.index, self.retractions):
            if path and Path(path).exists():
                stat = Path(path).stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class Summary:
    """What one batch run did."""

    total: int = 0
    checked: int = 0
    skipped: int = 0
    failed: int = 0
    unique_references: int = 0
    index_lookups: int = 0
    online_lookups: int = 0
    worker_peak_mb: dict[str, float] = field(default_factory=dict)


# --- tasks run on workers (module-level, so Dask pickles them by reference) -------------------


class ManuscriptTimeout(Exception):
    """One manuscript took longer than --timeout in one stage."""


def bounded(seconds: float, stage: str, func: Callable, *args):
    """func(*args), or ManuscriptTimeout after `seconds` (0: no bound). The work runs in a
    thread of its own and the task returns at the timeout: Python cannot stop a thread, so a
    runaway manuscript finishes (or not) in the background while the worker, single-threaded
    for tasks, goes on with the next manuscript."""
    if not seconds or seconds <= 0:
        return func(*args)
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as Late

    pool = ThreadPoolExecutor(1, thread_name_prefix="citecheck-manuscript")
    try:
        return pool.submit(func, *args).result(timeout=seconds)
    except Late:
        raise ManuscriptTimeout(
            f"timed out after {seconds:g} s while {stage} (batch --timeout)"
        ) from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _read(item: Item, limits):
    from citecheck import limits as active_limits
    from citecheck.claims.claimsfile import extract_claims
    from citecheck.readers import read_manuscript
    from citecheck.workflow import _entity_finder

    with active_limits.applied(limits):
        doc = read_manuscript(item.path, item.refs)
        return doc, extract_claims(doc.callouts, _entity_finder())


def read_task(item: Item, limits, timeout: float = TIMEOUT) -> tuple[Item, object, str]:
    """(item, Manuscript and claim records, "") or (item, None, one-line error)."""
    from citecheck.errors import USER_ERRORS

    if item.error:
        return item, None, item.error
    try:
        doc, records = bounded(timeout, "reading", _read, item, limits)
    except ManuscriptTimeout as error:
        return item, None, str(error)
    except USER_ERRORS as error:
        return item, None, " ".join(str(error).split())
    except (RecursionError, MemoryError) as error:
        return item, None, f"input too large or nested to process ({type(error).__name__})"
    except Exception as error:  # noqa: BLE001 - one manuscript never fails the corpus
        return item, None, f"internal error: {type(error).__name__}: {error}"
    return item, (doc, records), ""


def check_task(item: Item, parsed, resolutions: dict, settings: Settings) -> dict:
    """The reports (by format) and corpus rows of one manuscript; errors become a record."""
    from citecheck.batch.rows import error_rows, result_rows
    from citecheck.reports import WRITERS
    from citecheck.workflow import check_manuscript, reports_uncited

    doc, records = parsed
    try:
        config = settings.config
        if not reports_uncited(config, doc):
            from dataclasses import replace

            config = replace(config, disable=(*config.disable, "uncited-reference"))
        inputs = {"manuscript": item.path, **({"references": item.refs} if item.refs else {})}

        def check() -> dict:
            result = check_manuscript(config, doc, records, resolutions, inputs)
            reports = {fmt: WRITERS[fmt](result) for fmt in settings.formats}
            return {"reports": reports, **result_rows(item, result, resolutions)}

        return bounded(settings.timeout, "checking", check)
    except ManuscriptTimeout as error:
        return {"reports": {}, **error_rows(item, str(error))}
    except Exception as error:  # noqa: BLE001
        return {"reports": {}, **error_rows(item, f"internal error: {type(error).__name__}: {error}")}


def index_task(index_path: str, references: list) -> list:
    """Resolutions of references against the local index (a read-only file the workers
    share: it is no metadata service, and search is the index's slow part)."""
    from citecheck.resolve.index.lookup import resolve_with_index

    index = _open_index(index_path)
    return [resolve_with_index(ref, index) for ref in references]


@functools.lru_cache(maxsize=4)
def _open_index(index_path: str):
    """One open index per worker process (opening costs a file check and a query)."""
    from citecheck.resolve.index.lookup import IndexSource

    return IndexSource(index_path)


def _head(read: tuple) -> tuple:
    """(item, references or None, error) of a read: all the client needs to resolve."""
    item, parsed, error = read
    return item, (parsed[0].references if parsed is not None else None), error


def _check_read(read: tuple, resolutions: dict, settings: Settings) -> dict:
    item, parsed, _ = read
    return check_task(item, parsed, resolutions, settings)


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the client -------------------------------------------------------------------------------


def input_hash(item: Item, fingerprint: str) -> str:
    """Content hash of a manuscript (and its bibliography) under the run's settings."""
    digest = hashlib.sha256(fingerprint.encode())
    for path in (item.path, item.refs):
        if not path:
            continue
        target = Path(path)
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for one in files:
            digest.update(str(one.relative_to(target) if target.is_dir() else "").encode())
            try:
                with open(one, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
            except OSError as error:
                digest.update(f"unreadable:{error}".encode())
    return digest.hexdigest()


def _state_path(out: Path, item: Item) -> Path:
    return out / "state" / f"{item.name}.json"


def read_state(path: Path) -> dict | None:
    """A file batch wrote itself (state or rows), read through safeload like a user's file;
    None when it is missing, truncated, corrupt or not an object (that manuscript is then
    checked again: a clean restart for it, never a traceback)."""
    from citecheck.safeload import JsonError, parse_json

    try:
        value = parse_json(path.read_bytes())
    except (OSError, JsonError):
        return None
    return value if isinstance(value, dict) else None


def _done(out: Path, item: Item, key: str) -> bool:
    state = read_state(_state_path(out, item))
    if state is None or state.get("hash") != key:
        return False
    return read_state(out / "rows" / f"{item.name}.json") is not None


def run_batch(
    items: list[Item],
    out: Path,
    settings: Settings,
    resolver,
    client,
    *,
    limits=None,
    on_progress: Progress | None = None,
    chunk: int = CHUNK,
) -> Summary:
    """Check every item on Dask; write reports, rows and state under `out`.

    `client` is a Dask client or a function returning one, called only when some
    manuscript changed (a rerun with nothing to do starts no cluster)."""
    from citecheck import limits as active_limits
    from citecheck.batch.rows import error_rows

    limits = limits if limits is not None else active_limits.active()
    progress = on_progress or (lambda stage, done, total: None)
    fingerprint = settings.fingerprint()
    summary = Summary(total=len(items))
    keys = {item.name: input_hash(item, fingerprint) for item in items}
    todo = [item for item in items if not _done(out, item, keys[item.name])]
    summary.skipped = len(items) - len(todo)
    done = {"read": 0, "resolve": 0, "check": 0}
    total = len(todo)
    for stage in done:
        progress(stage, 0, total)
    if todo and callable(client) and not hasattr(client, "submit"):
        client = client()
    # hash=False: a key of its own, so another run's release of equal settings cannot take it
    settings_future = client.scatter(settings, broadcast=True, hash=False) if todo else None
    if todo and resolver.index is not None and resolver.index_map is None:
        resolver.index_map = lambda refs: _on_workers(client, str(resolver.index.path), refs)
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        # The parsed manuscripts stay on the workers; only their references come here.
        reads = client.map(read_task, part, limits=limits, timeout=settings.timeout, pure=False)
        heads = dict(zip(client.map(_head, reads, pure=False), zip(part, reads), strict=True))
        parsed, kept = [], {}
        for future in _as_completed(client, list(heads)):
            item, read = heads[future]
            head = _result(future, lambda error, item=item: (item, None, _lost(error)))
            parsed.append(head)
            if head[1] is not None:
                kept[item.name] = read
            done["read"] += 1
            progress("read", done["read"], total)
        good = [(item, refs) for item, refs, _ in parsed if refs is not None]
        resolver.resolve([ref for _, refs in good for ref in refs])
        resolved = {
            item.name: _with_retractions(settings, refs, resolver.resolutions_for(refs))
            for item, refs in good
        }
        done["resolve"] += len(part)
        progress("resolve", done["resolve"], total)
        for item, _p, error in parsed:
            if error:
                _write_error(out, item, error, keys[item.name])
                summary.failed += 1
                done["check"] += 1
                progress("check", done["check"], total)
        futures = {
            client.submit(
                _check_read, kept[item.name], resolved[item.name], settings_future, pure=False
            ): item
            for item, _ in good
        }
        for future in _as_completed(client, list(futures)):
            item = futures[future]
            outcome = _result(
                future, lambda error, item=item: {"reports": {}, **error_rows(item, _lost(error))}
            )
            _write_outcome(out, item, outcome, keys[item.name])
            summary.checked += outcome["manuscripts"][0]["status"] == "ok"
            summary.failed += outcome["manuscripts"][0]["status"] != "ok"
            done["check"] += 1
            progress("check", done["check"], total)
    summary.unique_references = resolver.counts.unique
    summary.index_lookups = resolver.counts.index
    summary.online_lookups = resolver.counts.online
    if todo:
        summary.worker_peak_mb = {str(k): round(v, 1) for k, v in client.run(peak_rss_mb).items()}
    return summary


def _on_workers(client, index_path: str, references: list, size: int = INDEX_CHUNK) -> list:
    """index_task over chunks of references on the cluster, answers in the given order."""
    chunks = [references[i : i + size] for i in range(0, len(references), size)]
    futures = client.map(index_task, [index_path] * len(chunks), chunks, pure=False)
    return [res for part in client.gather(futures) for res in part]


def _result(future, fallback):
    """A task's result; a task that failed outside its own guard (its worker died, was
    killed for memory, or the cluster lost it) becomes that manuscript's error record."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - one manuscript never fails the corpus
        return fallback(error)


def _lost(error: Exception) -> str:
    detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
    return f"the worker processing it failed ({detail})"


def _as_completed(client, futures):
    from distributed import as_completed

    return as_completed(futures)


def _with_retractions(settings: Settings, references, resolutions):
    if not settings.retractions:
        return resolutions
    from citecheck.resolve.retractions import RetractionDB

    return RetractionDB(settings.retractions).annotate(references, resolutions)


def _write_outcome(out: Path, item: Item, outcome: dict, key: str) -> None:
    """Reports first, then rows, then the state: a state file means everything is there."""
    from citecheck.reports import SUFFIXES

    for fmt, text in outcome["reports"].items():
        atomic_write(out / "reports" / f"{item.name}{SUFFIXES.get(fmt, '.' + fmt)}", text)
    rows = {k: v for k, v in outcome.items() if k != "reports"}
    atomic_write(out / "rows" / f"{item.name}.json", json.dumps(rows, ensure_ascii=False))
    _write_state(out, item, key, rows["manuscripts"][0]["status"])


def _write_error(out: Path, item: Item, error: str, key: str) -> None:
    from citecheck.batch.rows import error_rows

    rows = error_rows(item, error)
    atomic_write(out / "rows" / f"{item.name}.json", json.dumps(rows, ensure_ascii=False))
    _write_state(out, item, key, "error")


def _write_state(out: Path, item: Item, key: str, status: str) -> None:
    state = {"version": STATE_VERSION, "hash": key, "status": status, "path": item.path}
    atomic_write(_state_path(out, item), json.dumps(state))


def start_client(scheduler: str = "", workers: int = 0):
    """A Dask client: on the cluster at `scheduler`, else a local cluster of processes
    sized to the machine (one single-threaded worker per CPU: the rules are pure Python)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    count = workers or max(1, os.cpu_count() or 1)
    cluster = LocalCluster(
        n_workers=count,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,  # shutdown chatter is not the user's business
    )
    return Client(cluster)
