"""The command line: exit codes 0/1/2, every format, the embedded default, bad input, no tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli import FORMATS, main

REPO = Path(__file__).resolve().parents[1]

MANUSCRIPT = """Intro text.

Cheng et al. [1] showed that exosomal miR-21 acts through PI3K-Akt. Tao et al. [2] found more [3].

References

1. Cheng XF, Zhang GY, Zhang L. Mesenchymal stem cells deliver exogenous miR-21 via exosomes. J Cell Mol Med. 2018;22(1):261-76.
2. Wen T, Wang HS, Li YJ. Bone mesenchymal stem cell-derived vesicles transfer microRNA-199a. Cell Cycle. 2021;20(3):256-70.
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    return path


def test_version_and_rules(runner):
    assert runner.invoke(main, ["--version"]).output.startswith("citecheck, version")
    listed = json.loads(runner.invoke(main, ["rules", "--format", "json"]).output)
    assert {
        "missing-reference",
        "author-mention-mismatch",
        "title-mismatch",
        "claim-entity-mismatch",
    } <= {r["slug"] for r in listed}


def test_findings_exit_1_and_fail_on_never_exit_0(runner, paper):
    result = runner.invoke(main, ["check", str(paper), "--format", "json"])
    assert result.exit_code == 1, result.output
    rules = {f["rule"] for f in json.loads(result.output)["findings"]}
    assert {"missing-reference", "author-mention-mismatch"} <= rules
    assert runner.invoke(main, ["check", str(paper), "--fail-on", "never"]).exit_code == 0


def test_clean_manuscript_exits_0(runner, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text(
        MANUSCRIPT.replace("Tao et al. [2] found more [3].", "Wen et al. [2] found more."),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["check", str(clean), "--format", "json", "--fail-on", "error"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(runner, paper, fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(
        main, ["check", str(paper), "--format", fmt, "-o", str(out), "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    "setup, words",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "directory"),
        (lambda d: _write(d / "bin.txt", b"\x00\x01\x02"), "binary"),
        (lambda d: _write(d / "latin.txt", "Caf\xe9 [1]\n".encode("latin-1")), "UTF-8"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "nolist.txt", b"Text [1] and no list.\n"), "no reference list"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(runner, tmp_path, setup, words):
    path = setup(tmp_path)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_malformed_claims_yaml_names_file_and_line(runner, tmp_path):
    _write(tmp_path / "refs.bib", b"@article{a, title={T}, refnumber={1}}\n")
    _write(
        tmp_path / "claims.yaml", b"schema_version: 2\nclaims:\n  - id: c1\n    citations: [x]\n"
    )
    result = runner.invoke(
        main,
        ["check", "--refs", str(tmp_path / "refs.bib"), "--claims", str(tmp_path / "claims.yaml")],
    )
    assert result.exit_code == 2 and "claims.yaml:3:" in result.output


def test_broken_bibtex_becomes_unparsed_reference_finding(runner, tmp_path):
    _write(
        tmp_path / "refs.bib",
        b"@article{a, title={Fine}, refnumber={1}}\n\n@article{b, title={Broken\n",
    )
    _write(
        tmp_path / "claims.yaml", b"schema_version: 2\nclaims:\n  - id: c1\n    citations: [1]\n"
    )
    result = runner.invoke(
        main,
        [
            "check",
            "--refs",
            str(tmp_path / "refs.bib"),
            "--claims",
            str(tmp_path / "claims.yaml"),
            "--format",
            "json",
        ],
    )
    findings = json.loads(result.output)["findings"]
    unparsed = [f for f in findings if f["rule"] == "unparsed-reference"]
    assert unparsed and unparsed[0]["location"]["line"] == 3


def test_citations_json(runner, paper):
    result = runner.invoke(main, ["citations", str(paper), "--format", "json"])
    rows = json.loads(result.output)["callouts"]
    assert [r["numbers"] for r in rows] == [[1], [2], [3]]
    assert rows[1]["author_mention"] == "Tao" and rows[0]["context"] == "text"


def test_refs_extract_never_overwrites_without_force(runner, paper, tmp_path):
    bib = tmp_path / "refs.bib"
    assert runner.invoke(main, ["refs", "extract", str(paper), "-o", str(bib)]).exit_code == 0
    bib.write_text("% my own edits\n" + bib.read_text(encoding="utf-8"), encoding="utf-8")
    refused = runner.invoke(main, ["refs", "extract", str(paper), "-o", str(bib)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert (
        runner.invoke(main, ["refs", "extract", str(paper), "-o", str(bib), "--force"]).exit_code
        == 0
    )
    assert (tmp_path / "refs.bib.bak").read_text(encoding="utf-8").startswith("% my own edits")


def test_claims_extract_keeps_edits(runner, paper, tmp_path):
    claims = tmp_path / "claims.yaml"
    runner.invoke(main, ["claims", "extract", str(paper), "-o", str(claims)])
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("paraphrase: Cheng et al. [1] cited", "paraphrase: My own words", 1),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["claims", "extract", str(paper), "-o", str(claims)])
    assert "kept" in result.output
    assert "paraphrase: My own words" in claims.read_text(encoding="utf-8")


def test_embedded_default_runs_from_the_repository(runner, tmp_path, monkeypatch):
    for name in ("refs", "claims"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["check", "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rules = {f["rule"] for f in report["findings"]}
    assert {"missing-reference", "author-mention-mismatch", "claim-entity-mismatch"} <= rules
    tao = next(f for f in report["findings"] if f["rule"] == "author-mention-mismatch")
    assert tao["reference"] == 32 and tao["found"] == "Tao"
    missing = sorted(f["reference"] for f in report["findings"] if f["rule"] == "missing-reference")
    assert missing == list(range(40, 56))


def test_suppressions_from_config(runner, tmp_path, monkeypatch):
    for name in ("refs", "claims"):
        shutil.copytree(REPO / name, tmp_path / name)
    (tmp_path / "citecheck.toml").write_text(
        '[suppress]\n"32" = ["author-mention-mismatch"]\n[severity]\nmissing-reference = "warning"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    report = json.loads(runner.invoke(main, ["check", "--format", "json"]).output)
    assert not [f for f in report["findings"] if f["rule"] == "author-mention-mismatch"]
    assert {f["severity"] for f in report["findings"] if f["rule"] == "missing-reference"} == {
        "warning"
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _repo_copy(tmp_path: Path, monkeypatch) -> Path:
    for name in ("refs", "claims"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_bib_fix_adds_dois_and_never_overwrites_its_input(runner, tmp_path, monkeypatch):
    root = _repo_copy(tmp_path, monkeypatch)
    before = (root / "refs" / "references.bib").read_text(encoding="utf-8")
    refused = runner.invoke(main, ["bib", "--fix", "-o", "refs/references.bib"])
    assert refused.exit_code == 2 and "in-place" in refused.output
    assert runner.invoke(main, ["bib", "--fix", "-o", "fixed.bib"]).exit_code == 0
    fixed = (root / "fixed.bib").read_text(encoding="utf-8")
    assert "doi = {10.1016/j.exger.2023.112119}" in fixed
    assert (root / "refs" / "references.bib").read_text(encoding="utf-8") == before
    assert runner.invoke(main, ["bib", "--fix", "--in-place"]).exit_code == 0
    assert (root / "refs" / "references.bib.bak").read_text(encoding="utf-8") == before


def test_bib_style_renders_corrected_list(runner, tmp_path, monkeypatch):
    _repo_copy(tmp_path, monkeypatch)
    gbt = runner.invoke(main, ["bib", "--style", "gbt7714"]).output
    assert (
        gbt.startswith("[1] PAN H Y, LI H T, GUO S, et al.")
        and "DOI:10.1016/j.exger.2023.112119" in gbt
    )
    written = runner.invoke(main, ["bib", "--style", "gbt7714", "--as-written"]).output
    assert "DOI:10.1016/j.exger.2023.112119" not in written.splitlines()[0]
    assert runner.invoke(main, ["bib"]).exit_code == 2


def test_resolve_offline_rewrites_the_lock_stably(runner, tmp_path, monkeypatch):
    root = _repo_copy(tmp_path, monkeypatch)
    before = (root / "refs" / "references.lock.json").read_text(encoding="utf-8")
    result = runner.invoke(main, ["resolve"])
    assert result.exit_code == 0 and "39 references locked (25 matched, 14 unresolved)" in result.output
    assert (root / "refs" / "references.lock.json").read_text(encoding="utf-8") == before


def test_suppression_in_the_bib_entry(runner, tmp_path, monkeypatch):
    root = _repo_copy(tmp_path, monkeypatch)
    bib = root / "refs" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    text = text.replace(
        "@article{wen2021bone,",
        "@article{wen2021bone,\n\tcitecheck-ignore = {author-mention-mismatch},",
        1,
    )
    bib.write_text(text, encoding="utf-8")
    report = json.loads(runner.invoke(main, ["check", "--format", "json"]).output)
    assert not [f for f in report["findings"] if f["rule"] == "author-mention-mismatch"]
    assert [f for f in report["findings"] if f["rule"] == "missing-reference"]


def test_deadline_must_be_positive_and_is_documented():
    from click.testing import CliRunner

    runner = CliRunner()
    refused = runner.invoke(main, ["check", "x.txt", "--deadline", "0"])
    assert refused.exit_code == 2 and "--deadline" in refused.output
    for command in ("check", "resolve"):
        assert "--deadline SECONDS" in runner.invoke(main, [command, "--help"]).output
