"""The corpus outputs: Parquet tables of every manuscript, finding and reference verdict, and a
self-contained HTML summary whose plots are inline SVG (no script, no CDN, opens offline).
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from citecheck.files import atomic_write

TABLES = ("manuscripts", "findings", "references")
NO_RETRACTIONS = (
    "No manuscript cites a work known to be retracted (known: from matched records, and from "
    "the Retraction Watch data once `citecheck retractions update` has run)."
)
_TYPES = {
    "manuscripts": {
        "references": "int64", "findings": "int64", "errors": "int64", "warnings": "int64",
        "retracted_references": "int64", "retraction_exposure": "float64",
    },
    "findings": {"reference": "int64", "line": "int64"},
    "references": {"number": "int64", "retracted": "bool_", "corrected": "bool_", "concern": "bool_"},
}
_COLUMNS = {
    "manuscripts": ("manuscript", "path", "identifier", "status", "error", "references",
                    "findings", "errors", "warnings", "retracted_references",
                    "retraction_exposure"),
    "findings": ("manuscript", "rule", "code", "severity", "message", "reference", "bib_key",
                 "claim_id", "line"),
    "references": ("manuscript", "number", "key", "doi", "title", "verdict", "source",
                   "retracted", "corrected", "concern"),
}


def collect(out: Path, names: list[str]) -> dict[str, list[dict]]:
    """The rows every listed manuscript wrote (this run or an earlier one)."""
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    from citecheck.batch.engine import read_state

    for name in names:
        rows = read_state(out / "rows" / f"{name}.json")
        if rows is None:
            continue
        for table in TABLES:
            found = rows.get(table)
            if isinstance(found, list):
                tables[table].extend(r for r in found if isinstance(r, dict))
    return tables


# Exit statuses, as `check`'s: 0 every input checked and nothing reached --fail-on, 1 a finding
# reached it, 2 citecheck could not use some input (an unreadable manuscript, a bad manifest
# line or manifest, a worker that died): its error record is written and the rest is checked.
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def exit_status(tables: dict[str, list[dict]], inputs: int, fail_on: str = "never") -> int:
    """The batch command's exit status from the corpus tables (this run's and earlier runs'
    rows, so a rerun that skips a broken input still reports it)."""
    from citecheck.model import Severity

    manuscripts = tables["manuscripts"]
    if len(manuscripts) < inputs or any(m.get("status") != "ok" for m in manuscripts):
        return EXIT_UNUSABLE
    if fail_on != "never":
        floor = Severity.parse(fail_on)
        levels = {s.label: s for s in Severity}
        if any(levels.get(f.get("severity"), floor) >= floor for f in tables["findings"]):
            return EXIT_FINDINGS
    return EXIT_OK


def write_parquet(tables: dict[str, list[dict]], out: Path) -> list[Path]:
    """One Parquet file per table, written to a temporary name and renamed (atomic)."""
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    for table, rows in tables.items():
        types = _TYPES[table]
        schema = pa.schema(
            [(c, getattr(pa, types.get(c, "string"))()) for c in _COLUMNS[table]]
        )
        columns = {c: [row.get(c) for row in rows] for c in _COLUMNS[table]}
        arrow = pa.table(columns, schema=schema)
        target = out / f"{table}.parquet"
        temporary = target.with_name(f".{target.name}.tmp")
        pq.write_table(arrow, temporary, compression="zstd")
        os.replace(temporary, target)
        written.append(target)
    return written


# --- the HTML summary ---------------------------------------------------------------------------


def _bars(
    pairs: list[tuple[str, float]], title: str, *, percent: bool = False, empty: str = "None."
) -> str:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    if not pairs:
        return f"<h2>{html.escape(title)}</h2><p>{html.escape(empty)}</p>"
    top = max(v for _, v in pairs) or 1
    row, label_w, bar_w = 22, 260, 420
    height = row * len(pairs) + 10
    opening = (
        f'<svg role="img" aria-label="{html.escape(title)}" width="{label_w + bar_w + 80}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" '
        'font-size="12">'
    )
    parts = [opening]
    for i, (label, value) in enumerate(pairs):
        y = i * row + 5
        width = max(1, int(bar_w * value / top))
        text = f"{value:.1%}" if percent else f"{value:g}"
        short = label if len(label) <= 40 else label[:37] + "..."
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
            f"<title>{html.escape(label)}</title>{html.escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="{row - 6}" fill="#4c72b0"/>'
            f'<text x="{label_w + width + 4}" y="{y + 14}">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return f"<h2>{html.escape(title)}</h2>" + "".join(parts)


def summary_html(tables: dict[str, list[dict]], limit: int = 25) -> str:
    """The corpus at a glance: counts, then the four plots, then unreadable manuscripts."""
    manuscripts, findings, references = (tables[t] for t in TABLES)
    ok = [m for m in manuscripts if m["status"] == "ok"]
    failed = [m for m in manuscripts if m["status"] != "ok"]
    per_rule = Counter(f["rule"] for f in findings).most_common(limit)
    per_manuscript = sorted(
        ((m["manuscript"], m["findings"]) for m in ok if m["findings"]), key=lambda p: -p[1]
    )[:limit]
    exposure = sorted(
        ((m["manuscript"], m["retraction_exposure"]) for m in ok if m["retracted_references"]),
        key=lambda p: -p[1],
    )[:limit]
    cited: dict[str, set[str]] = {}
    titles: dict[str, str] = {}
    for r in references:
        if r["retracted"]:
            work = r["doi"] or r["title"]
            cited.setdefault(work, set()).add(r["manuscript"])
            titles.setdefault(work, f"{r['doi']} {r['title'][:60]}".strip())
    most_cited = sorted(((titles[w], len(m)) for w, m in cited.items()), key=lambda p: -p[1])
    exposed = sum(1 for m in ok if m["retracted_references"])
    stats = (
        f"<p>{len(manuscripts)} manuscripts: {len(ok)} checked, {len(failed)} could not be "
        f"read; {len(references)} references, {len(findings)} findings; {exposed} manuscripts "
        f"cite at least one retracted work.</p>"
    )
    errors = "".join(
        f"<li><code>{html.escape(m['path'])}</code>: {html.escape(m['error'])}</li>"
        for m in failed[:200]
    )
    body = "".join(
        [
            stats,
            _bars([(k, float(v)) for k, v in per_rule], "Findings per rule"),
            _bars([(k, float(v)) for k, v in per_manuscript], "Findings per manuscript (most)"),
            _bars(exposure, "Retraction exposure (share of references retracted)", percent=True,
                  empty=NO_RETRACTIONS),
            _bars([(k, float(v)) for k, v in most_cited[:limit]], "Most-cited retracted works",
                  empty=NO_RETRACTIONS),
            f"<h2>Manuscripts that could not be read</h2><ul>{errors}</ul>" if failed else "",
        ]
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>citecheck corpus summary</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "h2{font-size:1.1em;margin-top:2em}</style></head><body>"
        f"<h1>citecheck corpus summary</h1>{body}</body></html>\n"
    )


def write_corpus(out: Path, names: list[str]) -> dict[str, list[dict]]:
    """Parquet tables and summary.html for the listed manuscripts."""
    tables = collect(out, names)
    write_parquet(tables, out)
    atomic_write(out / "summary.html", summary_html(tables))
    return tables
