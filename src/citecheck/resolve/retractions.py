"""Retraction Watch offline: retracted, corrected and concerned works without a request.

`citecheck retractions update` downloads the Retraction Watch CSV that Crossref publishes
(or imports a local copy) and turns it into a small SQLite table keyed by DOI and PMID in
the cache directory; every check then looks its references up there. SQLite rather than
the CSV itself: the CSV is ~60 MB and parsing it would cost every check a second.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.files import InputError
from citecheck.model import Reference, Resolution, Update, Verdict, Work
from citecheck.normalize import doi_key

# Crossref's documented home of the data (updated every working day); the Labs API copy
# (https://api.labs.crossref.org/data/retractionwatch?EMAIL) is the older route.
DEFAULT_URL = "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/retraction_watch.csv"
DB_FILE = "retractions.sqlite"
SOURCE = "retraction-watch"
REQUIRED_COLUMNS = ("OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature")
# RetractionNature -> the Crossref update type the notice rules understand.
NATURES = {
    "retraction": "retraction",
    "correction": "correction",
    "expression of concern": "expression_of_concern",
}
_MISSING = {"", "0", "unavailable", "na", "n/a", "none"}


@dataclass(frozen=True)
class Notice:
    """One Retraction Watch row: a work (DOI/PMID) and the notice that updates it."""

    doi: str
    pmid: str
    kind: str  # retraction | correction | expression_of_concern | reinstatement
    notice_doi: str = ""
    date: str = ""


def default_path() -> Path:
    """The table `retractions update` writes and every check reads."""
    from citecheck.resolve.cachedir import default_cache_dir

    return default_cache_dir() / DB_FILE


def _identifier(value: str) -> str:
    value = (value or "").strip()
    return "" if value.casefold() in _MISSING else value


def parse_csv(text: str, path: str = "<csv>") -> Iterator[Notice]:
    """Notices from the Retraction Watch CSV (Crossref's column names); rows with no DOI
    or PMID of the original paper, or of another nature, are skipped."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        yield from _notices(reader, path)
    except csv.Error as error:  # e.g. a field over csv's 128 KB limit
        raise InputError(path, reader.reader.line_num, f"malformed CSV: {error}") from None


def _notices(reader: csv.DictReader, path: str) -> Iterator[Notice]:
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(
            path, 1, f"not a Retraction Watch CSV: no column {', '.join(missing)}"
        )
    for row in reader:
        nature = (row.get("RetractionNature") or "").strip().casefold()
        kind = NATURES.get(nature, "reinstatement" if "reinstat" in nature else "")
        doi = doi_key(_identifier(row.get("OriginalPaperDOI", "")))
        pmid = _identifier(row.get("OriginalPaperPubMedID", ""))
        if kind and (doi or pmid):
            notice = _identifier(row.get("RetractionDOI", ""))
            date = _iso_date((row.get("RetractionDate") or "").split(" ")[0])
            yield Notice(doi, pmid, kind, doi_key(notice) if notice else "", date)


def _iso_date(text: str) -> str:
    """Retraction Watch writes M/D/YYYY; reports say YYYY-MM-DD (anything else as written)."""
    month, _, rest = text.partition("/")
    day, _, year = rest.partition("/")
    if month.isdigit() and day.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def build(notices: Iterable[Notice], target: str | Path) -> int:
    """Write the lookup table atomically (a temporary file renamed over the old one)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    count = 0
    try:
        with sqlite3.connect(temporary) as db:
            db.execute(
                "CREATE TABLE notices (doi TEXT, pmid TEXT, kind TEXT, notice TEXT, date TEXT)"
            )
            rows = ((n.doi, n.pmid, n.kind, n.notice_doi, n.date) for n in notices)
            count = db.executemany("INSERT INTO notices VALUES (?, ?, ?, ?, ?)", rows).rowcount
            db.execute("CREATE INDEX by_doi ON notices (doi)")
            db.execute("CREATE INDEX by_pmid ON notices (pmid)")
        db.close()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def decode(data: bytes) -> str:
    """The CSV's text: UTF-8, with the odd invalid byte Crossref documents replaced."""
    return data.decode("utf-8-sig", errors="replace")


def download(session, url: str = DEFAULT_URL, timeout: float = 300) -> bytes:
    """The whole CSV (online); any failure is one line, never a traceback."""
    import requests

    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as error:
        raise InputError(url, None, f"cannot download the Retraction Watch data: {error}") from None
    if response.status_code != 200:
        raise InputError(url, None, f"cannot download: HTTP {response.status_code}")
    return response.content


class RetractionDB:
    """Read-only look-ups in the table `build` wrote."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._db.execute("SELECT 1 FROM notices LIMIT 1")
        except sqlite3.Error as error:
            raise InputError(
                str(self.path), None, f"unusable retraction table ({error}); "
                "run `citecheck retractions update` again"
            ) from None

    @classmethod
    def cached(cls, path: str | Path | None = None) -> RetractionDB | None:
        """The table in the cache, or None before the first `retractions update`."""
        path = Path(path) if path else default_path()
        return cls(path) if path.is_file() else None

    def notices(self, doi: str = "", pmid: str = "") -> list[Notice]:
        """Every notice for a DOI or PMID; a reinstatement cancels retractions and concerns."""
        rows: list[tuple] = []
        if doi:
            rows += self._db.execute(
                "SELECT doi, pmid, kind, notice, date FROM notices WHERE doi = ?", (doi_key(doi),)
            ).fetchall()
        if pmid and not rows:
            rows += self._db.execute(
                "SELECT doi, pmid, kind, notice, date FROM notices WHERE pmid = ?", (pmid,)
            ).fetchall()
        found = [Notice(*row) for row in rows]
        if any(n.kind == "reinstatement" for n in found):
            found = [n for n in found if n.kind == "correction"]
        return found

    def annotate(
        self, references: Iterable[Reference], resolutions: Mapping[int, Resolution]
    ) -> dict[int, Resolution]:
        """Resolutions with Retraction Watch notices added to each work's `updated_by`.

        A matched record gets the notices of its DOI; a reference nobody matched but whose
        entry gives a DOI or PMID gets a record holding only that identifier, so the notice
        rules can speak while the field rules have nothing to compare.
        """
        out = dict(resolutions)
        for ref in references:
            if ref.number is None:
                continue
            res = out.get(ref.number)
            matched = res is not None and res.verdict is Verdict.MATCHED and res.work is not None
            if res is not None and res.verdict is Verdict.AMBIGUOUS:
                continue
            doi = res.work.doi if matched else ref.doi
            pmid = (res.work.pmid if matched else "") or ref.pmid
            found = self.notices(doi, pmid)
            if not found:
                continue
            work = res.work if matched else Work(doi=doi_key(ref.doi), pmid=ref.pmid)
            updated = with_notices(work, found)
            if matched:
                out[ref.number] = replace(res, work=updated)
            else:
                out[ref.number] = Resolution(
                    Verdict.MATCHED,
                    updated,
                    query=ref.raw,
                    source=SOURCE,
                    detail="identifier listed in the Retraction Watch data",
                )
        return out


def with_notices(work: Work, notices: Iterable[Notice]) -> Work:
    """The work with notices it does not already carry (same notice DOI) added."""
    known = {doi_key(u.doi) for u in work.updated_by if u.doi}
    extra = []
    for n in notices:
        if n.kind == "reinstatement" or (n.notice_doi and n.notice_doi in known):
            continue
        known.add(n.notice_doi)
        label = f"Retraction Watch, {n.date}" if n.date else "Retraction Watch"
        extra.append(Update(type=n.kind, doi=n.notice_doi, label=label))
    return replace(work, updated_by=(*work.updated_by, *extra)) if extra else work
