"""Hostile command lines found by the second adversarial pass (bench/hostile.py has the same
cases end to end): odd option values, paths the file system refuses, data that would drive a
terminal, outputs that name an input's companion file, conflicting options, SIGTERM."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck import cli
from citecheck.cli import main
from citecheck.model import CheckResult, Finding, Location, RuleInfo, Severity
from citecheck.printable import one_line, terminal_safe
from citecheck.reports import text as text_report
from tests import hostile_seeds as seeds


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper.txt").write_text(seeds.MANUSCRIPT, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(seeds.BIBTEX, encoding="utf-8")
    (tmp_path / "l.json").write_text(seeds.LOCK, encoding="utf-8")
    (tmp_path / "l.evidence.json").write_text('{"evidence": []}', encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_error_line(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: error: "), result.output
    assert "internal error" not in result.output
    for needle in needles:
        assert needle in lines[0], result.output
    return lines[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "2592001"])
def test_deadline_must_be_a_finite_number_of_seconds(value):
    # NaN passed FloatRange's comparisons and reached setitimer (ValueError); inf and 1e300
    # overflowed the timer (OverflowError): both were "internal error".
    for command in ("check", "resolve"):
        result = run(command, "x.txt", "--deadline", value)
        assert result.exit_code == 2 and "--deadline" in result.output
        assert "internal error" not in result.output


def test_a_csl_style_with_entities_is_refused_in_one_line(work):
    (work / "bomb.csl").write_text(
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><style>&b;</style>',
        encoding="utf-8",
    )
    # was "internal error: EntitiesForbidden(...)"
    one_error_line(run("bib", "--refs", "refs.bib", "--style", "bomb.csl"), "bomb.csl", "entities")


def test_a_path_the_file_system_refuses_is_one_line(work):
    # Path.is_file() raises ENAMETOOLONG: was "internal error: OSError".
    long_name = "a" * 300 + ".txt"
    one_error_line(run("check", long_name), long_name[:50], "file name too long")


def test_control_characters_in_a_path_stay_on_one_visible_line(work):
    line = one_error_line(run("check", "a\nb\x1b[31m\u202e.txt"), "no such file")
    assert "a\u240ab\u241b[31m\ufffd.txt" in line


def test_printable_keeps_lengths_and_layout():
    hostile = "T\x1b]0;x\x07\x1b[2J\x9b\u202e\x7f\tend\n"
    assert terminal_safe(hostile) == "T\u241b]0;x\u2407\u241b[2J\ufffd\ufffd\u2421\tend\n"
    assert one_line(hostile).endswith("\u2409end\u240a")
    assert len(terminal_safe(hostile)) == len(hostile)


@pytest.mark.parametrize("color", [False, True])
def test_the_text_report_never_passes_escape_sequences_through(color):
    hostile = "Title \x1b]0;owned\x07 \x1b[2J\x1b[31mred \x9b31m \u202ereversed"
    finding = Finding(
        "odd-text", "CC900", Severity.ERROR, hostile, Location("p\x1b[1m.txt", 1, 2),
        expected=hostile, found=hostile, suggestion=hostile,
    )  # fmt: skip
    rules = (RuleInfo("CC900", "odd-text", Severity.ERROR, "Odd.", "citations"),)
    out = text_report.render(CheckResult("0.1", {}, (finding,), rules), color=color)
    # rich's own styling may use ESC "[...m"; nothing of the data may.
    data_escapes = out.replace("\x1b[", "").count("\x1b")
    assert data_escapes == 0 and "\x9b" not in out and "\u202e" not in out
    assert "\u241b]0;owned" in out and "\u241b[2J" in out and "p\u241b[1m.txt" in out
    if not color:
        assert "\x1b" not in out


def test_the_evidence_file_beside_the_lock_is_an_input(work):
    # check -o and bib --fix -o replaced the evidence file (fetched abstracts) with a report.
    for args in (
        ("check", "paper.txt", "--lock", "l.json", "-o", "l.evidence.json"),
        ("bib", "--refs", "refs.bib", "--fix", "--lock", "l.json", "-o", "l.evidence.json"),
    ):
        one_error_line(run(*args), "l.evidence.json", "evidence file")
        assert (work / "l.evidence.json").read_text() == '{"evidence": []}'


def test_in_place_with_an_output_is_a_usage_error(work):
    # --in-place -o l.json rewrote refs.bib in place yet said "wrote l.json".
    result = run("bib", "--refs", "refs.bib", "--fix", "--in-place", "--lock", "l.json", "-o", "l.json")
    assert result.exit_code == 2 and "leave out --output" in result.output
    assert (work / "refs.bib").read_text() == seeds.BIBTEX
    assert not (work / "refs.bib.bak").exists()
    assert (work / "l.json").read_text() == seeds.LOCK


def test_sigterm_mid_write_leaves_the_old_file_and_exits_143(work, monkeypatch):
    (work / "report.json").write_text("old")
    real_fsync = os.fsync

    def terminated_fsync(fd):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the temporary file is open
        real_fsync(fd)

    def exit_now(code):
        raise SystemExit(code)

    monkeypatch.setattr(os, "fsync", terminated_fsync)
    monkeypatch.setattr(cli, "_exit_now", exit_now)
    before = signal.getsignal(signal.SIGTERM)
    result = run("check", "paper.txt", "--format", "json", "-o", "report.json")
    assert result.exit_code == cli.EXIT_TERMINATED, result.output
    assert "terminated" in result.output and "Traceback" not in result.output
    assert (work / "report.json").read_text() == "old"
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is the command's only


class _ToolError(Exception):
    pass


def _tool(function, **arguments) -> str:
    from citecheck.agent import server, tools
    from citecheck.config import load_config

    options = tools.AgentOptions(load_config())
    with pytest.raises(_ToolError) as caught:
        server._guarded(function, options=options, tool_error=_ToolError, **arguments)
    return str(caught.value)


def test_mcp_tools_answer_hostile_arguments_with_one_line(work):
    from citecheck.agent import tools

    # A 300-character path raised OSError out of the tool (the SDK's generic error text).
    long_path = "a" * 300 + ".txt"
    assert _tool(tools.check_manuscript, path=long_path).endswith("file name too long")
    assert _tool(tools.claim_evidence, path=long_path, claim_id="c001").startswith(long_path)
    # A lone surrogate in pasted text (JSON "\ud800") gave Python's codec message, no name.
    message = _tool(tools.check_manuscript, text="Text [1].\n\ud800 more")
    assert message == "<text>:2: holds a lone surrogate (U+D800), not text"


def test_an_unknown_rule_name_is_quoted_short(work):
    result = run("explain", "x" * 100_000)
    assert result.exit_code == 2 and len(result.output) < 200
    assert "100,000 characters" in result.output


def test_a_report_naming_a_non_utf8_file_name_is_written(work):
    # Python gives the byte 0xFF of a file name as the lone surrogate U+DCFF, which the
    # UTF-8 report writer refused: "out.html: cannot write '\udcff' in utf-8", exit 2.
    name = os.fsdecode(b"\xff.txt")
    (work / name).write_text(seeds.MANUSCRIPT, encoding="utf-8")
    for fmt in ("html", "markdown"):
        result = run("check", name, "--format", fmt, "-o", f"out.{fmt}")
        assert result.exit_code in (0, 1), result.output
        assert "\ufffd.txt" in (work / f"out.{fmt}").read_text(encoding="utf-8")


def test_a_boolean_claims_schema_version_is_refused(work):
    # `schema_version: true` read as version 1 (True == 1).
    (work / "c.yaml").write_text(
        seeds.CLAIMS.replace("schema_version: 2", "schema_version: true"), encoding="utf-8"
    )
    one_error_line(run("check", "paper.txt", "--claims", "c.yaml"), "c.yaml:1", "schema_version True")
