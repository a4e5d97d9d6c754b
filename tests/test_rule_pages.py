"""Every registered rule has a page, shipped in the package and mirrored in docs/rules/."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck import explain
from citecheck.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = ROOT / "src" / "citecheck" / "data" / "rules"
DOCS = ROOT / "docs" / "rules"
SECTIONS = ("## What it checks", "## Why it matters", "## Example", "## How to silence it")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_every_rule_has_a_complete_page(rule):
    assert explain.has_page(rule.slug), f"no page for {rule.slug}: add data/rules/{rule.slug}.md"
    text = explain.page(rule.slug)
    assert text.startswith(f"# {rule.slug} ({rule.code})")
    for heading in SECTIONS:
        assert heading in text, f"{rule.slug}.md lacks {heading!r}"
    assert "Triggers it:" in text and "Corrected:" in text
    assert f'disable = ["{rule.slug}"]' in text


def test_no_page_for_a_rule_that_does_not_exist():
    slugs = {r.slug for r in RULES}
    assert {p.stem for p in PACKAGED.glob("*.md")} == slugs


def test_docs_copy_is_identical_to_the_packaged_pages():
    """docs/rules/ is written by scripts/sync_rule_pages.py; run it after editing a page."""
    packaged = {p.name: p.read_bytes() for p in PACKAGED.glob("*.md")}
    docs = {p.name: p.read_bytes() for p in DOCS.glob("*.md")}
    assert docs == packaged


def test_pages_are_package_data():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"data/**/*"' in text  # data/rules/*.md ships in the wheel
