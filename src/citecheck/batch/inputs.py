"""What `citecheck batch` checks: files, folders, globs, manifests and archives, as Items.

An INPUT that is a folder is searched for manuscripts by extension; a glob is expanded; a
`.csv` or `.jsonl` file is a manifest (a `path` column plus optional `bibliography` and `id`);
a `.tar.gz`/`.tgz`/`.zip` is unpacked (only manuscript files, never outside its folder) into
the output folder. Anything that cannot be used becomes an error Item, never a failed run.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import re
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from citecheck.files import InputError, read_input_bytes
from citecheck.readers import PANDOC_EXTENSIONS, READERS
from citecheck.safeload import JsonError, parse_json

MANUSCRIPT_EXTENSIONS = frozenset({*READERS, *PANDOC_EXTENSIONS})
ARCHIVES = (".tar.gz", ".tgz", ".zip")
MANIFESTS = (".csv", ".jsonl")
PATH_COLUMNS = ("path", "file", "manuscript")
REFS_COLUMNS = ("bibliography", "refs", "references")
ID_COLUMNS = ("id", "identifier", "doi", "pmcid")
MAX_ARCHIVE_MEMBER = 100 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    """One manuscript to check; `error` set when it cannot even be located."""

    name: str  # unique, file-name safe: the report is DIR/reports/<name>.json
    path: str
    refs: str | None = None
    identifier: str = ""
    error: str = ""


def expand(inputs: list[str], workdir: Path) -> list[Item]:
    """Every manuscript named by INPUT..., in the order given, each once."""
    items: list[Item] = []
    seen: set[str] = set()
    for raw in inputs:
        for item in _expand_one(raw, workdir):
            key = f"{item.path}\0{item.refs}"
            if key not in seen:
                seen.add(key)
                items.append(item)
    return _unique_names(items)


def _expand_one(raw: str, workdir: Path) -> Iterator[Item]:
    path = Path(raw)
    lower = raw.lower()
    refused = _refused_name(raw)
    if refused:
        yield Item(raw[:300], raw[:300], error=refused)
        return
    if any(ch in raw for ch in "*?[") and not path.exists():
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            yield Item(raw, raw, error="no file matches this pattern")
        own = workdir.resolve()
        for match in matches:
            if own not in Path(match).resolve().parents:
                yield from _expand_one(match, workdir)
    elif path.is_dir():
        if any(path.glob("*.tex")) and not any(path.glob("*/*.tex")):
            yield Item(raw, raw)  # a LaTeX project folder is one manuscript
            return
        own = workdir.resolve()
        for found in sorted(p for p in path.rglob("*") if p.is_file()):
            if _is_manuscript(found) and own not in found.resolve().parents:
                yield Item(str(found), str(found))  # never our own reports as input
    elif not path.exists():
        yield Item(raw, raw, error="no such file or folder")
    elif lower.endswith(ARCHIVES):
        yield from _unpack(path, workdir)
    elif lower.endswith(MANIFESTS):
        yield from _manifest(path)
    else:
        yield Item(raw, raw)


def _unusable_path(name: str) -> str:
    """Why a manifest's path cannot be a manuscript ("" when it exists)."""
    refused = _refused_name(name)
    if refused:
        return refused
    return "" if Path(name).exists() else "no such file"


def _refused_name(name: str) -> str:
    """A name the file system refuses (too long, a NUL byte) is an input's error, not a crash."""
    try:
        Path(name).exists()
    except (OSError, ValueError) as error:
        return f"unusable path ({getattr(error, 'strerror', None) or error})"
    return ""


def _is_manuscript(path: Path) -> bool:
    return path.suffix.lower() in MANUSCRIPT_EXTENSIONS and not path.name.startswith(".")


def _manifest(path: Path) -> Iterator[Item]:
    """Rows of a CSV (header row) or JSON Lines manifest; paths relative to the manifest."""
    try:
        text = read_input_bytes(path).decode("utf-8-sig")  # bounded by max_input_mb
    except InputError as error:
        yield Item(str(path), str(path), error=f"cannot read manifest: {error.message}")
        return
    except UnicodeDecodeError as error:
        yield Item(str(path), str(path), error=f"cannot read manifest: {error}")
        return
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        try:
            rows = [(n, row) for n, row in enumerate(reader, start=2)]
        except csv.Error as error:  # e.g. a field over csv's 128 KB limit
            n = reader.reader.line_num
            yield Item(f"{path}:{n}", str(path), error=f"line {n}: not CSV ({error})")
            return
    else:
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = parse_json(line)
            except JsonError as error:
                yield Item(f"{path}:{n}", str(path), error=f"line {n}: not JSON ({error.message})")
                continue
            rows.append((n, row if isinstance(row, dict) else {}))
    for n, row in rows:
        target = _column(row, PATH_COLUMNS)
        where = f"{path}:{n}"
        if not target:
            yield Item(where, str(path), error=f"line {n}: no path column ({', '.join(PATH_COLUMNS)})")
            continue
        refs = _column(row, REFS_COLUMNS)
        resolved = _relative(path, target)
        problem = _unusable_path(resolved)
        if problem:
            yield Item(where, resolved[:300], error=f"line {n}: {problem}: {target[:120]}")
            continue
        yield Item(
            resolved,
            resolved,
            refs=_relative(path, refs) if refs else None,
            identifier=_column(row, ID_COLUMNS),
        )


def _column(row: dict, names: tuple[str, ...]) -> str:
    lowered = {str(k).strip().casefold(): v for k, v in row.items() if k is not None}
    for name in names:
        value = lowered.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


def _relative(manifest: Path, target: str) -> str:
    path = Path(target)
    return str(path if path.is_absolute() else manifest.parent / path)


def _unpack(archive: Path, workdir: Path) -> Iterator[Item]:
    """Manuscript members of an archive, written under workdir/archives/<digest>/.

    Member names are reduced to safe relative paths (no `..`, no absolute paths, no links),
    and oversized members are refused, so a hostile archive cannot write outside its folder.
    """
    digest = hashlib.sha256(str(archive.resolve()).encode()).hexdigest()[:12]
    target = workdir / "archives" / f"{archive.name}-{digest}"
    try:
        for name, size, read in _members(archive):
            safe = _safe_member(name)
            if safe is None or not _is_manuscript(Path(safe)):
                continue
            label = f"{archive}!{safe}"
            if size > MAX_ARCHIVE_MEMBER:
                yield Item(label, label, error=f"member larger than {MAX_ARCHIVE_MEMBER >> 20} MB")
                continue
            destination = target / safe
            if not destination.exists() or destination.stat().st_size != size:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(read())
            yield Item(label, str(destination))
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError) as error:
        yield Item(str(archive), str(archive), error=f"cannot read archive: {error}")


def _members(archive: Path):
    """(name, size, read) of each regular file in a tar.gz or zip; `read` works while the
    iteration is at that member (the archive is closed when it ends)."""
    if archive.name.lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as handle:
            for info in handle.infolist():
                if not info.is_dir():
                    yield info.filename, info.file_size, (lambda i=info: handle.read(i))
        return
    with tarfile.open(archive, "r:*") as handle:
        for info in handle:
            if info.isfile():
                yield info.name, info.size, (lambda i=info: handle.extractfile(i).read())


def _safe_member(name: str) -> str | None:
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "/")]
    if not parts or any(p == ".." for p in parts) or re.match(r"^[A-Za-z]:", parts[0]):
        return None
    return "/".join(parts)


def _unique_names(items: list[Item]) -> list[Item]:
    """File-name-safe report names: the input's own name, with a short digest on a clash."""
    from dataclasses import replace

    counts: dict[str, int] = {}
    bases = []
    for item in items:
        label = item.identifier or Path(item.name.split("!")[-1]).name  # a manifest's id first
        base = re.sub(r"[^\w.-]+", "_", label).strip("._") or "item"
        bases.append(base)
        counts[base] = counts.get(base, 0) + 1
    named = []
    for item, base in zip(items, bases, strict=True):
        if counts[base] > 1:
            base = f"{base}-{hashlib.sha256(item.name.encode()).hexdigest()[:8]}"
        named.append(replace(item, name=base))
    return named
