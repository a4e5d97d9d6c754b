"""The real development manuscripts: few false alarms and exact linking, in every format.

Runs bench/realworld.py's measurement on ../shared/data/realworld-dev (skipped when absent).
A new error or warning must be labelled (true / false / debatable, with the reason) in
bench/realworld/labels/<document>.json before this passes: nobody ships an unread finding.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "realworld-dev"

pytestmark = pytest.mark.skipif(
    not (SHARED / "manifest.json").exists(), reason="../shared/data/realworld-dev not present"
)


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("realworld", ROOT / "bench" / "realworld.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    docs = json.loads((SHARED / "manifest.json").read_text(encoding="utf-8"))["documents"]
    with contextlib.chdir(tmp_path_factory.mktemp("empty")):  # no repository config or lock
        rows = [bench.run_one(doc, SHARED) for doc in docs]
    return rows, bench.summarise(rows)


def test_every_document_is_read(measured):
    rows, _ = measured
    assert [r["name"] for r in rows if "error" in r] == []


def test_every_error_and_warning_has_been_read_and_labelled(measured):
    rows, _ = measured
    unlabelled = [
        f"{r['name']}: {d['rule']} {d['ref']} {d['message'][:80]}"
        for r in rows
        for d in r.get("details", [])
        if d["label"] == "unlabelled"
    ]
    assert unlabelled == []


def test_at_most_one_false_alarm_per_100_references_in_every_format(measured):
    _, summary = measured
    assert {
        f: s["false_per_100_refs"] for f, s in summary.items() if s["false_per_100_refs"] > 1
    } == {}


def test_links_precision_and_recall_at_least_098_in_every_format(measured):
    _, summary = measured
    weak = {
        family: (s["link_precision"], s["link_recall"])
        for family, s in summary.items()
        if s["link_precision"] is not None and min(s["link_precision"], s["link_recall"]) < 0.98
    }
    assert weak == {}
