"""False alarms and citation linking on real manuscripts nobody here wrote.

Runs `citecheck check` (as a library, from an empty working directory so no repository
config or lock applies) on every document of a realworld manifest (default
../shared/data/realworld-dev), then:

* compares each error and warning with the hand labels in bench/realworld/labels/<name>.json
  (true / false / debatable, each with the reason an editor would give), and
* compares callout links with gold derived independently from the source by
  bench/realworld/gold_<family>.py (`gold(doc, root)` and `predicted(manuscript)`, each a list
  of per-citation identity tuples; compared as multisets per document).

It prints, per format family and overall: references, false errors+warnings per 100
references, true findings, debatable, unlabelled, link precision and recall, time.

Usage: .venv/bin/python bench/realworld.py [--root DIR] [--only NAME] [--show {false,unlabelled,all}]
                                           [--json OUT]
A label matches a finding when the rule is the same, `ref` (when given) equals the finding's
BibTeX key or reference number, and `match` (when given) occurs in the message.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from citecheck.config import Config
from citecheck.errors import USER_ERRORS
from citecheck.model import Severity
from citecheck.workflow import run_check

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE.parents[1] / "shared" / "data" / "realworld-dev"
LABELS = HERE / "realworld" / "labels"
FAMILIES = ("latex", "pandoc", "jats", "docx", "text")


def family_of(doc: dict) -> str:
    """The format family of a manifest entry ("pandoc (Quarto) + BibTeX" -> "pandoc")."""
    fmt = doc["format"].lower()
    return next((family for family in FAMILIES if fmt.startswith(family)), "text")


def load_labels(name: str) -> list[dict]:
    path = LABELS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def label_for(finding, labels: list[dict]) -> dict | None:
    """The first label that describes this finding."""
    refs = {str(finding.bib_key), str(finding.reference)} - {"", "None"}
    for label in labels:
        if label["rule"] != finding.rule:
            continue
        if label.get("ref") and str(label["ref"]) not in refs:
            continue
        if label.get("match") and label["match"] not in finding.message:
            continue
        return label
    return None


def gold_module(family: str):
    path = HERE / "realworld" / f"gold_{family}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"gold_{family}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def align(predicted: list[tuple[str, ...]], gold: list[tuple[str, ...]]) -> tuple[int, int, int]:
    """(true positives, predicted links, gold links), counting links as multisets.

    Readers may visit tables, captions and footnotes in another order than the source, so
    links are compared as multisets of identities per document, not as sequences.
    """
    flat_p = Counter(i for group in predicted for i in group)
    flat_g = Counter(i for group in gold for i in group)
    return sum((flat_p & flat_g).values()), sum(flat_p.values()), sum(flat_g.values())


def reference_count(result, manuscript) -> int:
    """References a reader sees: the printed list, or the cited entries of a database."""
    if manuscript is not None and manuscript.bibliography_is_database:
        cited = {n for c in manuscript.callouts for n in c.numbers}
        cited |= {k for c in manuscript.callouts for k in c.keys}
        return len(
            [r for r in manuscript.references if r.number in cited or r.key in cited]
        ) or len(manuscript.references)
    return len(result.references)


def run_one(doc: dict, root: Path) -> dict:
    from citecheck.readers import read_manuscript

    main = str(root / doc["files"][0]["path"])
    out: dict = {"name": doc["name"], "family": family_of(doc), "format": doc["format"]}
    started = time.perf_counter()
    try:
        result = run_check(Config(), manuscript=main)
        manuscript = read_manuscript(main)
    except USER_ERRORS as error:
        out.update(error=str(error), seconds=time.perf_counter() - started)
        return out
    out["seconds"] = time.perf_counter() - started
    labels = load_labels(doc["name"])
    shown = [f for f in result.findings if f.severity >= Severity.WARNING]
    verdicts = Counter()
    details = []
    for finding in shown:
        label = label_for(finding, labels)
        kind = label["label"] if label else "unlabelled"
        verdicts[kind] += 1
        details.append(
            {
                "label": kind,
                "reason": label.get("reason", "") if label else "",
                "rule": finding.rule,
                "severity": finding.severity.name.lower(),
                "ref": finding.bib_key or finding.reference,
                "location": str(finding.location),
                "message": finding.message,
            }
        )
    out.update(
        references=reference_count(result, manuscript),
        findings=len(shown),
        verdicts=dict(verdicts),
        details=details,
        info=sum(1 for f in result.findings if f.severity == Severity.INFO),
    )
    module = gold_module(out["family"])
    if module is not None:
        try:
            tp, n_pred, n_gold = align(module.predicted(manuscript), module.gold(doc, root))
            out["links"] = {"tp": tp, "predicted": n_pred, "gold": n_gold}
        except Exception as error:  # noqa: BLE001 - a gold deriver's failure is reported, not fatal
            out["links_error"] = f"{type(error).__name__}: {error}"
    return out


def summarise(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["family"]].append(row)
        groups["overall"].append(row)
    summary = {}
    for family, members in groups.items():
        refs = sum(r.get("references", 0) for r in members)
        v = Counter()
        links = Counter()
        for r in members:
            v.update(r.get("verdicts", {}))
            links.update(r.get("links", {}))
        summary[family] = {
            "documents": len(members),
            "errors": sum(1 for r in members if "error" in r),
            "references": refs,
            "true": v["true"],
            "false": v["false"],
            "debatable": v["debatable"],
            "unlabelled": v["unlabelled"],
            "false_per_100_refs": round(100 * v["false"] / refs, 2) if refs else 0.0,
            "link_precision": round(links["tp"] / links["predicted"], 4)
            if links["predicted"]
            else None,
            "link_recall": round(links["tp"] / links["gold"], 4) if links["gold"] else None,
            "seconds": round(sum(r.get("seconds", 0.0) for r in members), 2),
        }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--only", action="append", default=[], help="document name (repeatable)")
    parser.add_argument("--show", choices=("false", "unlabelled", "all"), default=None)
    parser.add_argument("--json", type=Path, help="write rows and summary as JSON here")
    args = parser.parse_args(argv)
    manifest_path = args.root / "manifest.json"
    if not manifest_path.exists():
        print(f"skipped: no manifest at {manifest_path} (../shared not present)")
        return 0
    root = args.root.resolve()
    docs = json.loads(manifest_path.read_text(encoding="utf-8"))["documents"]
    if args.only:
        docs = [d for d in docs if d["name"] in args.only]
    rows = []
    with tempfile.TemporaryDirectory() as empty, contextlib.chdir(empty):
        os.environ.pop("CITECHECK_CROSSREF_URL", None)
        for doc in docs:
            rows.append(run_one(doc, root))
    print(
        f"{'document':30} {'fam':6} {'refs':>5} {'E+W':>4} {'true':>4} {'false':>5} "
        f"{'deb':>3} {'unl':>3} {'P':>6} {'R':>6} {'s':>5}"
    )
    for row in rows:
        if "error" in row:
            print(f"{row['name']:30} {row['family']:6} ERROR {row['error']}")
            continue
        v, links = row["verdicts"], row.get("links")
        p = f"{links['tp'] / links['predicted']:.3f}" if links and links["predicted"] else "  -  "
        r = f"{links['tp'] / links['gold']:.3f}" if links and links["gold"] else "  -  "
        print(
            f"{row['name']:30} {row['family']:6} {row['references']:5} {row['findings']:4} "
            f"{v.get('true', 0):4} {v.get('false', 0):5} {v.get('debatable', 0):3} "
            f"{v.get('unlabelled', 0):3} {p:>6} {r:>6} {row['seconds']:5.2f}"
        )
        if "links_error" in row:
            print(f"    gold: {row['links_error']}")
        for d in row["details"]:
            if args.show == "all" or (args.show and d["label"] == args.show):
                print(
                    f"    [{d['label']}] {d['severity']} {d['rule']} ref={d['ref']} "
                    f"{d['location']}: {d['message'][:160]}"
                )
    summary = summarise(rows)
    print("\nper family (false = false errors+warnings; per 100 references)")
    for family, s in summary.items():
        print(
            f"  {family:8} docs={s['documents']:2} refs={s['references']:5} "
            f"false/100={s['false_per_100_refs']:5.2f} true={s['true']:3} false={s['false']:3} "
            f"debatable={s['debatable']:3} unlabelled={s['unlabelled']:3} "
            f"P={s['link_precision']} R={s['link_recall']} time={s['seconds']}s"
            + (f" read-errors={s['errors']}" if s["errors"] else "")
        )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
