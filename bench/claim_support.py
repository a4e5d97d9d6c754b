"""Claim support on a SciFact-format split: what citecheck's verdicts score against the gold.

    .venv/bin/python bench/claim_support.py [--claims PATH] [--corpus PATH] [--json OUT]

Default: the Citation-Integrity dev split in ../shared/data/claim-support/citint. Every
(claim, cited document) pair goes through citecheck.claims.support.verdicts.judge exactly as a
check does (detectors first, then the verifier with abstention); the document's sentences
are its evidence, labelled as an abstract. SUPPORT/REFUTE/NEI are compared with
supported/contradicted/not found, "cannot determine" counting as NEI. Also printed, for
reference: the verifier's plain argmax (no abstention, no detectors), which is NOT what
citecheck reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from citecheck.claims.support.scifact import read_pairs, scores
from citecheck.claims.support.verdicts import CANNOT, judge
from citecheck.claims.support.verifier import timed_load

DEFAULT = ROOT.parent / "shared" / "data" / "claim-support" / "citint"
TO_LABEL = {"supported": "SUPPORT", "contradicted": "REFUTE"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=Path, default=DEFAULT / "claims_dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=DEFAULT / "corpus.jsonl")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    for path in (args.claims, args.corpus):
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return 2
    pairs = read_pairs(args.claims, args.corpus)
    verifier, load_seconds = timed_load()
    gold, predicted, argmax, abstained, detector_calls = [], [], [], 0, 0
    start = time.perf_counter()
    for p in pairs:
        evidence = [("abstract:scifact", s) for s in p.sentences]
        v = judge(str(p.claim_id), p.doc_id, p.claim, p.claim, evidence, (), p.several, verifier)
        gold.append(p.label)
        predicted.append(TO_LABEL.get(v.verdict, "NEI"))
        abstained += v.verdict == CANNOT
        detector_calls += v.verdict == "contradicted"
    seconds = time.perf_counter() - start
    for p in pairs:  # the verifier alone, argmax: a reference point only
        from citecheck.claims.support.features import pair_features

        sparse, dense, _ = pair_features(p.claim, list(p.sentences), p.several)
        probs = verifier.probabilities(sparse, dense)
        argmax.append(max(probs, key=probs.get))
    figures = {
        "split": str(args.claims),
        "pairs": len(pairs),
        **scores(gold, predicted),
        "abstained_share": round(abstained / len(pairs), 4) if pairs else 0.0,
        "pairs_per_second": round(len(pairs) / seconds, 1) if seconds else 0.0,
        "model_load_seconds": round(load_seconds, 3),
        "contradicted_by_detectors": detector_calls,
        "verifier_argmax_reference": scores(gold, argmax),
    }
    if figures["per_class"]["REFUTE"]["predicted"] == 0:
        figures["contradicted_precision"] = None  # undefined: nothing was called contradicted
    _print(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _print(f: dict) -> None:
    print(f"{f['split']}: {f['pairs']} claim-work pairs")
    precision = f["contradicted_precision"]
    said = "undefined (none said)" if precision is None else f"{precision:.3f}"
    print(f"macro-F1 {f['macro_f1']:.3f}   contradicted precision {said}")
    for label, c in f["per_class"].items():
        print(
            f"  {label:8s} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}"
            f"  ({c['predicted']} said, {c['gold']} gold)"
        )
    print(
        f"abstained {f['abstained_share']:.1%}   {f['pairs_per_second']:.0f} pairs/s   "
        f"model load {f['model_load_seconds']:.2f} s"
    )
    ref = f["verifier_argmax_reference"]
    print(
        f"(reference, not reported by citecheck: verifier argmax macro-F1 {ref['macro_f1']:.3f}, "
        f"REFUTE precision {ref['contradicted_precision']:.3f})"
    )


if __name__ == "__main__":
    sys.exit(main())
