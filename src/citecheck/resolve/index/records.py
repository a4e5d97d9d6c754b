"""Bulk-dump records as Works: Crossref items (the API's own shape) and OpenAlex works.

Only the fields matching needs are kept (identifiers, title, family names, journal, year,
volume, issue, pages, type, update relations); abstracts are dropped to keep the index small.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from citecheck.files import InputError
from citecheck.model import Author, Update, Work
from citecheck.safeload import JsonError, parse_json


def crossref_work(item: Mapping[str, Any]) -> Work:
    """A Crossref public-data-file item (same shape as the REST API's message); the
    abstract is not stored (lock.work_to_json leaves it out)."""
    from citecheck.resolve.sources.crossref import work_from_message

    return work_from_message(item)


def _tail(url: Any, prefix: str) -> str:
    text = url if isinstance(url, str) else ""
    return text[len(prefix):] if text.lower().startswith(prefix) else text


def openalex_work(record: Mapping[str, Any]) -> Work:
    """An OpenAlex work (snapshot JSON line). OpenAlex gives display names only, so the
    family name is the last word of each author's name."""
    ids = record.get("ids") if isinstance(record.get("ids"), dict) else {}
    biblio = record.get("biblio") if isinstance(record.get("biblio"), dict) else {}
    location = record.get("primary_location") or {}
    source = (location.get("source") or {}) if isinstance(location, dict) else {}
    authors = []
    for authorship in record.get("authorships") or ():
        name = ((authorship or {}).get("author") or {}).get("display_name") or ""
        parts = name.split()
        if parts:
            authors.append(Author(family=parts[-1], given=" ".join(parts[:-1])))
    first, last = biblio.get("first_page") or "", biblio.get("last_page") or ""
    page = f"{first}-{last}" if first and last and last != first else str(first)
    updated = (Update(type="retraction", label="OpenAlex: is_retracted"),) if record.get(
        "is_retracted"
    ) else ()
    year = record.get("publication_year")
    return Work(
        doi=_tail(record.get("doi") or ids.get("doi"), "https://doi.org/"),
        title=str(record.get("title") or record.get("display_name") or ""),
        authors=tuple(authors),
        container_title=str(source.get("display_name") or ""),
        year=year if isinstance(year, int) else None,
        volume=str(biblio.get("volume") or ""),
        issue=str(biblio.get("issue") or ""),
        page=page,
        type=str(record.get("type_crossref") or record.get("type") or ""),
        updated_by=updated,
        pmid=_tail(ids.get("pmid"), "https://pubmed.ncbi.nlm.nih.gov/").strip("/"),
        pmcid=_tail(ids.get("pmcid"), "https://www.ncbi.nlm.nih.gov/pmc/articles/").strip("/"),
    )


def snapshot_files(snapshot: str | Path) -> list[Path]:
    """The data files of a snapshot: a folder (searched recursively) or one file."""
    path = Path(snapshot)
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*")
            if p.is_file() and (p.suffix in (".gz", ".json", ".jsonl") or p.name.endswith(".tar"))
        )
        if not files:
            raise InputError(path, None, "no .gz, .json or .jsonl data files in this folder")
        return files
    if not path.is_file():
        raise InputError(path, None, "no such file or folder")
    return [path]


def data_files(files: list[Path]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every data file, a tar (Crossref's bundle of ~30,000 gzipped JSON
    files) member by member, so no more than one file is in memory per worker."""
    for path in files:
        try:
            if path.name.endswith((".tar", ".tar.gz", ".tgz")) and tarfile.is_tarfile(path):
                with tarfile.open(path, "r|*") as bundle:  # streamed: members in order
                    for member in bundle:
                        if member.isfile():
                            yield f"{path}!{member.name}", bundle.extractfile(member).read()
            else:
                yield str(path), path.read_bytes()
        except (OSError, EOFError, tarfile.TarError) as error:
            raise InputError(path, None, f"cannot read snapshot file: {error}") from None


def works_in(name: str, data: bytes) -> Iterator[Work]:
    """Works of one data file: a Crossref `{"items": [...]}` file or JSON Lines (OpenAlex,
    or Crossref items one per line), gzipped or not."""
    yield from _works_in_bytes(data, name)


def _works_in_bytes(data: bytes, name: str) -> Iterator[Work]:
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(name, None, f"cannot read snapshot file: {error}") from None
    try:
        whole = parse_json(text)
    except JsonError:
        whole = None  # JSON Lines (or malformed: the line loop says where)
    if isinstance(whole, dict) and isinstance(whole.get("items"), list):
        for item in whole["items"]:  # a Crossref data file: {"items": [...]}
            if isinstance(item, dict):
                yield crossref_work(item)
        return
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        try:
            record = parse_json(line)
        except JsonError as error:
            raise InputError(name, number, f"malformed JSON line: {error.message}") from None
        if isinstance(record, dict):
            yield crossref_work(record) if "DOI" in record else openalex_work(record)
