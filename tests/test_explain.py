"""`citecheck explain RULE` and the rule links in SARIF and HTML reports."""

from __future__ import annotations

import json

from click.testing import CliRunner

from citecheck import explain
from citecheck.cli import main
from citecheck.model import CheckResult, Finding, Location, Severity
from citecheck.rules import RULES


def test_explain_by_slug_and_by_code_print_the_same_page():
    runner = CliRunner()
    by_slug = runner.invoke(main, ["explain", "citation-order"])
    by_code = runner.invoke(main, ["explain", "cc103"])
    assert by_slug.exit_code == 0 and by_code.exit_code == 0
    assert by_slug.output == by_code.output
    assert by_slug.output.startswith("# citation-order (CC103)")
    assert "## How to silence it" in by_slug.output


def test_unknown_rule_is_one_line_with_the_nearest_name_exit_2():
    result = CliRunner().invoke(main, ["explain", "missing-refernce"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "did you mean 'missing-reference'" in lines[0]


def test_url_base_default_and_configured(monkeypatch):
    monkeypatch.delenv("CITECHECK_RULES_URL", raising=False)
    assert explain.url("doi-mismatch") == "docs/rules/doi-mismatch.md"
    monkeypatch.setenv("CITECHECK_RULES_URL", "https://example.org/rules")
    assert explain.url("doi-mismatch") == "https://example.org/rules/doi-mismatch.md"


def _result() -> CheckResult:
    finding = Finding(
        rule="missing-reference",
        code="CC101",
        severity=Severity.ERROR,
        message="[4] is cited but the list has no entry 4",
        location=Location("paper.md", 3, 1),
    )
    rules = tuple(r.info for r in RULES)
    return CheckResult("0", {"manuscript": "paper.md"}, (finding,), rules)


def test_sarif_rule_has_help_uri(monkeypatch):
    from citecheck.reports import sarif

    monkeypatch.delenv("CITECHECK_RULES_URL", raising=False)
    doc = json.loads(sarif.render(_result()))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    by_name = {r["name"]: r for r in rules}
    assert by_name["missing-reference"]["helpUri"] == "docs/rules/missing-reference.md"


def test_html_links_the_rule_page(monkeypatch):
    from citecheck.reports import html

    monkeypatch.setenv("CITECHECK_RULES_URL", "https://example.org/r/")
    page = html.render(_result())
    assert 'href="https://example.org/r/missing-reference.md"' in page
