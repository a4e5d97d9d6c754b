"""Claim support end to end: verdicts, the three rules, the evidence file, the verifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.claims.entities import extract_entities
from citecheck.claims.support.scifact import read_pairs, scores
from citecheck.claims.support.store import (
    StoredEvidence,
    evidence_path,
    load_evidence,
    save_evidence,
    stored_for,
)
from citecheck.claims.support.verdicts import judge, split_sentences
from citecheck.claims.support.verifier import load_verifier
from citecheck.files import InputError
from citecheck.model import Claim, Location, Manuscript, Project, Reference
from citecheck.pipeline import build_project
from citecheck.rules import run
from citecheck.rules.claims import RULES, support_verdicts, with_verdicts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "claim-support" / "citint"
ABSTRACT = (
    "Nucleus pulposus cell apoptosis drives disc degeneration. We isolated exosomes from bone "
    "marrow MSCs. Exosomal miR-21 directly targets PTEN and suppresses its expression. "
    "Exosomes reduced apoptosis of NP cells in vitro."
)


def reference(**fields) -> Reference:
    return Reference(key="r1", raw="1. ...", location=Location("m.txt", 90), number=1, **fields)


def project(text: str, abstract: str = ABSTRACT) -> Project:
    ref = reference(title="Exosomes in disc degeneration")
    claim = Claim("c001", Location("m.txt", 3, 1), (1,), text=text)
    doc = Manuscript("m.txt", (ref,))
    evidence = {1: (("reference-title", ref.title), ("abstract:recorded", abstract))}
    return Project(doc, (claim,), evidence=evidence)


def codes(p: Project) -> list[str]:
    return [f.rule for f in run(p, RULES) if f.code in ("CC305", "CC306", "CC307")]


def test_contradiction_quotes_both_sides():
    p = project("Exosomal miR-21 up-regulates PTEN in NP cells.")
    [finding] = [f for f in run(p, RULES) if f.code == "CC305"]
    assert finding.rule == "claim-contradicted" and finding.severity.name == "WARNING"
    assert "miR-21 up-regulates PTEN" in finding.message
    assert "\u201cExosomal miR-21 directly targets PTEN" in finding.message
    [v] = support_verdicts(p)
    assert v.verdict == "contradicted" and v.highlights == ("miR-21", "PTEN")
    assert v.source == "abstract:recorded"


def test_study_mismatch_is_a_warning_with_the_quote():
    abstract = (
        "MSCs were injected into rat discs. MSC injection reduced apoptosis in the rat model. "
        "Disc height was preserved at eight weeks."
    )
    p = project("MSC exosomes reduce apoptosis.", abstract)
    assert "claim-study-mismatch" in codes(p)


def test_title_only_is_cannot_determine_and_reports_nothing():
    p = project("Exosomal miR-21 up-regulates PTEN.")
    p = Project(p.manuscript, p.claims, evidence={1: (("reference-title", "Exosomes"),)})
    [v] = support_verdicts(p)
    assert v.verdict == "cannot-determine" and "title" in v.reason
    assert codes(p) == []


def test_chinese_claim_without_a_paraphrase_is_not_judged_by_the_verifier():
    v = judge("c1", 1, "外泌体改善椎间盘退变", "", [("abstract:x", "Exosomes help discs.")] * 3)
    assert v.verdict == "cannot-determine" and "Chinese" in v.reason


def test_claims_without_text_get_no_support_verdict():
    p = project("")
    assert support_verdicts(p) == ()


def test_verdicts_live_in_the_project_not_the_module():
    a = with_verdicts(project("Exosomal miR-21 up-regulates PTEN in NP cells."))
    b = with_verdicts(project("Exosomal miR-21 down-regulates PTEN in NP cells."))
    assert [v.verdict for v in a.support_verdicts] == ["contradicted"]
    assert "contradicted" not in [v.verdict for v in b.support_verdicts]
    # a's verdicts are unchanged after b was checked: nothing is shared between checks
    assert [v.verdict for v in a.support_verdicts] == ["contradicted"]
    assert build_project(a.manuscript).support_verdicts == ()


def test_sentence_splitting_keeps_abbreviations():
    assert split_sentences("As Smith et al. showed, X rose. Fig. 2 shows Y. Done.") == [
        "As Smith et al. showed, X rose.",
        "Fig. 2 shows Y.",
        "Done.",
    ]


def test_evidence_file_round_trip_and_doi_guard(tmp_path):
    lock = tmp_path / "references.lock.json"
    path = evidence_path(lock)
    assert path.name == "references.evidence.json"
    entry = StoredEvidence(1, "recorded", "abstract", ("A.", "B."), doi="10.1/x", partial=True)
    save_evidence([entry], path)
    [loaded] = load_evidence(path)
    assert loaded == entry and loaded.label == "abstract:recorded (partial)"
    same = reference(doi="10.1/X")
    other = reference(doi="10.9/y")
    assert stored_for([loaded], [same]) == {1: (("abstract:recorded (partial)", "A. B."),)}
    assert stored_for([loaded], [other]) == {}


def test_bad_evidence_file_is_an_input_error(tmp_path):
    path = tmp_path / "x.evidence.json"
    path.write_text('{"evidence": [{"number": 1}]}', encoding="utf-8")
    with pytest.raises(InputError, match="number, source and sentences"):
        load_evidence(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_evidence(path)


def test_verifier_reads_support_and_never_contradicts_alone():
    verifier = load_verifier()
    sentences = [
        "Metformin inhibits mitochondrial complex I in cancer cells.",
        "Tumour growth was reduced in mice.",
        "Cells were cultured in glucose-free medium.",
    ]
    prediction = verifier.predict("Metformin inhibits mitochondrial complex I.", sentences)
    assert prediction.best[0] == 0
    assert prediction.label in ("SUPPORT", "NEI")
    assert verifier.thresholds["REFUTE"] > 1.0  # REFUTE precision on dev is far below 0.80


def test_scores_macro_f1():
    s = scores(["SUPPORT", "REFUTE", "NEI", "SUPPORT"], ["SUPPORT", "NEI", "NEI", "REFUTE"])
    assert s["per_class"]["SUPPORT"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "predicted": 1,
        "gold": 2,
    }
    assert s["contradicted_precision"] == 0.0


@pytest.mark.skipif(not SHARED.exists(), reason="../shared Citation-Integrity data absent")
def test_scifact_reader_on_the_dev_split():
    pairs = read_pairs(SHARED / "claims_dev.jsonl", SHARED / "corpus.jsonl")
    assert len(pairs) == 316 and {p.label for p in pairs} == {"SUPPORT", "REFUTE", "NEI"}
    assert all("<|" not in p.claim for p in pairs)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared Citation-Integrity data absent")
def test_bench_writes_the_documented_keys(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "cs.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "claim_support.py"), "--json", str(out)],
        check=True,
        capture_output=True,
    )
    figures = json.loads(out.read_text())
    for key in (
        "macro_f1",
        "per_class",
        "contradicted_precision",
        "abstained_share",
        "pairs_per_second",
        "model_load_seconds",
    ):
        assert key in figures
    assert figures["pairs_per_second"] >= 20
    refute = figures["per_class"]["REFUTE"]
    # precision of "contradicted" is a number only when something was called contradicted
    assert (figures["contradicted_precision"] is None) == (refute["predicted"] == 0)


def test_per_claim_reports_show_verdict_confidence_quote_and_highlights():
    from citecheck.config import Config
    from citecheck.pipeline import check
    from citecheck.reports import html, markdown, text

    p = with_verdicts(project("Exosomal miR-21 up-regulates PTEN in NP cells."))
    result = check(p, Config(), {"manuscript": "m.txt"})
    [v] = result.support_verdicts
    assert v.verdict == "contradicted"
    md = markdown.render(result, details=True)
    assert "contradicted (0.90)" in md and "**miR-21**" in md and "abstract:recorded" in md
    page = html.render(result, details=True)
    assert "<mark>PTEN</mark>" in page and "v-contradicted" in page
    plain = text.render(result, details=True)
    assert "[1] contradicted (0.90), abstract:recorded" in plain


def test_json_report_carries_support_verdicts_and_matches_the_schema():
    import jsonschema

    from citecheck.config import Config
    from citecheck.pipeline import check
    from citecheck.reports import json_report

    p = with_verdicts(project("Exosomal miR-21 up-regulates PTEN in NP cells."))
    data = json.loads(json_report.render(check(p, Config(), {"manuscript": "m.txt"})))
    schema = json.loads((ROOT / "docs" / "json-schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    [support] = data["claims"][0]["support"]
    assert support["verdict"] == "contradicted" and support["highlights"] == ["miR-21", "PTEN"]


def test_full_text_counts_as_more_than_a_title_for_absent_entities():
    entities = extract_entities("miR-21 and PTEN")
    claim = Claim("c001", Location("m.txt", 3, 1), (1,), entities=entities)
    evidence = {1: (("reference-title", "Exosomes"), ("fulltext:results:europepmc", "Cells grew."))}
    p = Project(project("").manuscript, (claim,), evidence=evidence)
    [finding] = [f for f in run(p, RULES) if f.code == "CC302"]
    assert finding.severity.name == "WARNING" and "full text" in finding.message
