"""The learned alternative to the rule parser, measured: a linear-chain CRF on tokens.

Run:  PYTHONPATH=/tmp/crf:/tmp/cslstyles .venv/bin/python bench/crf_baseline.py
(needs `python-crfsuite`, the `crf` extra: `.venv/bin/pip install -e '.[crf]'`, or any
`pip install --target DIR python-crfsuite` with DIR on PYTHONPATH).

A CRF (python-crfsuite, L-BFGS, deterministic) is trained on the AnyStyle tuning split
(every 5th string held out, as in parse_accuracy.py; AnyStyle data BSD-2). Tokens are the
whitespace-separated words; each token's label is the AnyStyle tag around it. Predicted
spans become fields exactly as AnyStyle's gold spans do (parse_accuracy.gold_fields), so
the CRF and the rules are scored alike on: the AnyStyle held-out fifth, the GB/T 7714
worked examples and the real references in many styles (bench/csl_gold.py). Also printed:
tagging throughput (feature extraction in Python + crfsuite) and the model file's size.
Nothing here is used by citecheck; it is the measurement behind keeping the rules.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import csl_gold  # noqa: E402
import parse_accuracy as pa  # noqa: E402
from citecheck.model import Location  # noqa: E402
from citecheck.references.refparse import parse_reference  # noqa: E402

_YEAR = re.compile(r"^\(?(1[5-9]\d\d|20\d\d)[a-z]?\)?[.,;:]?$")


def shape(token: str) -> str:
    out = re.sub(r"[A-Z]", "X", token)
    out = re.sub(r"[a-z]", "x", out)
    out = re.sub(r"\d", "d", out)
    return re.sub(r"(.)\1+", r"\1\1", out)[:8]


def features(tokens: list[str]) -> list[list[str]]:
    n = len(tokens)
    rows = []
    for i, tok in enumerate(tokens):
        low = tok.lower().strip(".,;:()[]\"'“”")
        f = [
            "b",
            f"w={low}",
            f"s={shape(tok)}",
            f"p={min(10, i * 10 // max(n, 1))}",
            f"last={tok[-1:]}",
            f"first={tok[:1]}",
            f"year={bool(_YEAR.match(tok))}",
            f"digit={any(c.isdigit() for c in tok)}",
            f"han={any(0x4E00 <= ord(c) <= 0x9FFF for c in tok)}",
        ]
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += [f"{d}:w={tokens[j].lower().strip('.,;:()')}", f"{d}:s={shape(tokens[j])}"]
            else:
                f.append(f"{d}:edge")
        rows.append(f)
    return rows


def labelled(seq: ET.Element) -> tuple[list[str], list[str]]:
    tokens, labels = [], []
    for el in seq:
        for tok in (el.text or "").split():
            tokens.append(tok)
            labels.append(el.tag)
    return tokens, labels


def as_sequence(tokens: list[str], labels: list[str]) -> ET.Element:
    """Predicted labels as an AnyStyle-like <sequence>, to score with pa.gold_fields."""
    seq = ET.Element("sequence")
    for tok, lab in zip(tokens, labels):
        if len(seq) and seq[-1].tag == lab:
            seq[-1].text += " " + tok
        else:
            ET.SubElement(seq, lab).text = tok
    return seq


def main() -> int:
    import pycrfsuite

    sequences = ET.parse(ROOT.parent / "shared/data/refstrings/anystyle-gold.xml").getroot()
    data = [labelled(seq) for seq in sequences.findall("sequence")]
    trainer = pycrfsuite.Trainer(verbose=False)
    for i, (toks, labs) in enumerate(data):
        if toks and not pa.is_held_out(i):
            trainer.append(features(toks), labs)
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 150})
    model = Path(tempfile.mkdtemp()) / "refs.crfsuite"
    start = time.perf_counter()
    trainer.train(str(model))
    print(f"trained in {time.perf_counter() - start:.0f} s; model {model.stat().st_size / 1e3:.0f} kB")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))

    def crf_fields(text: str) -> dict:
        toks = text.split()
        return pa.gold_fields(as_sequence(toks, tagger.tag(features(toks)))) if toks else {}

    where = Location("crf")
    crf, rules = pa.Tally(), pa.Tally()
    for i, seq in enumerate(sequences.findall("sequence")):
        if not pa.is_held_out(i):
            continue
        text, gold = pa.input_string(seq), pa.gold_fields(seq)
        crf.add(gold, crf_fields(text))
        rules.add(gold, pa.predicted_fields(parse_reference(text, location=where)))
    print(
        f"AnyStyle held-out fifth: CRF {crf.table()['micro']['f1']:.3f}, "
        f"rules {rules.table()['micro']['f1']:.3f}"
    )

    shared = ROOT.parent / "shared"
    gbt = shared / "data/gbt7714/gbt7714-examples.csl.json"
    sets = {"GB/T examples (GB/T style)": csl_gold.rendered_items(gbt, "gbt7714")}
    many = csl_gold.render_many(shared, ROOT / "bench/out/csl_many.json")
    if many:
        sets["real references, held-out styles"] = [
            (t, item) for style, t, item in many if csl_gold.style_held_out(style)
        ]
    for name, rows in sets.items():
        crf, rules = pa.Tally(), pa.Tally()
        for text, item in rows:
            gold = csl_gold.gold_fields(text, item, pa.squash, pa.name_tokens)
            predicted = crf_fields(text)
            predicted["pages"] = csl_gold.pages_key(_raw_pages(text, predicted))
            crf.add(gold, predicted)
            rules.add(gold, pa.predicted_fields(parse_reference(text, location=where), expand=True))
        print(
            f"{name}: CRF {crf.table()['micro']['f1']:.3f}, rules {rules.table()['micro']['f1']:.3f}"
        )

    strings = [pa.input_string(seq) for seq in sequences.findall("sequence")]
    start = time.perf_counter()
    for text in strings:
        tagger.tag(features(text.split()))
    crf_rate = len(strings) / (time.perf_counter() - start)
    start = time.perf_counter()
    for text in strings:
        parse_reference(text, location=where)
    rule_rate = len(strings) / (time.perf_counter() - start)
    print(f"throughput: CRF tagging {crf_rate:,.0f} strings/s, rules {rule_rate:,.0f} strings/s")
    return 0


def _raw_pages(text: str, predicted: dict) -> str:
    # gold_fields squashes pages ("577587"); the CSL sets compare expanded ranges, so take the
    # predicted pages back from the text when the digits match a range written there.
    for match in re.finditer(r"[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|[A-Za-z]?\d+", text):
        if pa.squash(match.group(0)) == predicted.get("pages"):
            return match.group(0)
    return str(predicted.get("pages", ""))


if __name__ == "__main__":
    sys.exit(main())
