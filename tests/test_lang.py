"""--lang zh: every rule's messages and suggestions from the Chinese catalogue, headings too."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from citecheck import messages
from citecheck.cli import main
from citecheck.locale import zh
from citecheck.rules import RULES

CJK = re.compile(r"[\u4e00-\u9fff]")

# Messages and suggestions as the rules write them (one or more per rule). A new rule must
# add its own here, and the catalogue patterns that say them in Chinese.
SAMPLES: dict[str, tuple[str, ...]] = {
    "missing-reference": (
        "reference [44] is cited (2 callouts) but the list has no entry 44 (the list stops at 39)",
        "citation (Smith, 2010) matches no entry of the reference list",
        "citation key 'lee2001' is cited but not defined in the bibliography",
        "add the missing entry to the reference list, or correct the callout",
    ),
    "uncited-reference": (
        "reference [7] is never cited in the text",
        "cite it where it supports the text, or remove it from the list",
    ),
    "citation-order": (
        "reference [5] is first cited after [3]; in a numbered style references are numbered in "
        "order of first citation",
        "renumber the reference list in order of first citation",
    ),
    "duplicate-reference": (
        "two entries are numbered 12",
        "entry [7] repeats entry [3] (same DOI 10.1/x)",
        "remove entry [7] and cite [3] instead, or correct the copied details",
    ),
    "incomplete-reference": (
        "journal article [5] lacks volume, pages or article number",
        "web page smith2020 lacks URL or DOI (only a DOI link is given)",
        "the matched record gives journal Nature, year 2019; `citecheck bib --fix` adds them",
        "complete the entry from the publisher's record (DOI 10.1/x)",
    ),
    "unparsed-reference": (
        "could not read this entry: no author, title or source found",
        "check the entry's punctuation and field order",
    ),
    "invalid-citation": (
        "malformed citation [9-3]: backwards range",
        "write ranges low-high with numbers from 1, e.g. [3-9]",
    ),
    "author-mention-mismatch": (
        "'Tao' before [32] looks like the first author's given name: the entry's first author "
        "is Wen Tao (family name Wen)",
        "'Smith' before [4] does not match any author of the cited entry (first author Jones A)",
        "'Li' before [3] names the second author (Li B), not the first author Wen T: a style "
        "note, the person is an author",
        "write 'Wen' (the first author's family name)",
        "write 'Jones et al.' or cite the work by its first author",
    ),
    "unresolved-reference": (
        "[3] no matching record in Crossref",
        "matches several records in the recorded metadata (2 candidates)",
        "run `citecheck resolve --online` to look it up",
        "check the entry for typos, or add its DOI",
    ),
    "lookup-failed": (
        "could not look the reference up: timeout",
        "run again when the service is reachable; the lock file works offline",
    ),
    "doi-mismatch": (
        "the DOI 10.1/a does not name this work; the record has 10.1/b",
        "replace the DOI with 10.1/b",
        "the DOI 10.1/a belongs to a different work: Lee et al., 'Other' (2001)",
        "correct the DOI (a digit may be wrong) or remove it",
    ),
    "title-mismatch": (
        "title differs from Crossref: the record has \"mouse\" where the entry has \"rat\"",
        "use the record's title: Gut microbiota in mice",
    ),
    "author-mismatch": (
        "authors differ from Crossref: author 2 is Lee in the record, not Li",
        "list the authors as the record does: Smith J, Lee K",
    ),
    "year-mismatch": ("year differs from Crossref: '2016' vs '2019'", "use the record's year: 2019"),
    "journal-mismatch": (
        "journal differs from Crossref: 'Science' vs 'Nature'",
        "use the record's journal: Nature",
    ),
    "volume-mismatch": ("volume differs from Crossref: '507' vs '570'",),
    "issue-mismatch": ("issue differs from the recorded metadata: '3' vs '7759'",),
    "pages-mismatch": ("pages differs from Crossref: '110-4' vs '100-104'",),
    "retracted-reference": (
        "the cited work has a retraction notice: 10.1016/S0140-6736(10)60175-4",
        "do not rely on a retracted work; if it must be cited, say it is retracted and cite the "
        "retraction notice",
    ),
    "corrected-reference": (
        "the cited item is itself a correction notice (for 10.1/x)",
        "read the correction and cite it alongside the work if it matters here",
    ),
    "expression-of-concern": (
        "the cited work has a expression of concern notice: 10.1/y",
        "read the editor's concern before relying on the work",
    ),
    "identifier-conflict": (
        "[2] the PMID 35649368 names another work in PubMed: 'Fatty acid oxidation protects "
        "cancer cells' (Li 2022)",
        "the DOI 10.1/x and the PMID 123 name different works: 'A study' and 'Another'",
        "check the identifier against the cited work (a swapped or mistyped identifier, or a "
        "reference that does not exist as written)",
    ),
    "reference-not-found": (
        "[4] no source has this work: none of Crossref, PubMed has a work with this title and "
        "authors or the DOI 10.1/x",
        "check that the work exists as cited (title, authors, journal, year)",
    ),
    "cannot-determine": (
        "[2] cannot determine whether the work exists as cited: only Crossref answered; too few "
        "to say it does not exist",
        "cannot determine whether the work exists as cited: a source could not be asked "
        "(PubMed: timeout)",
    ),
    "preprint-published": (
        "the cited preprint has been published: https://doi.org/10.1/pub",
        "cite the published version (check that its findings still hold)",
    ),
    "claim-entity-mismatch": (
        "the claim names SUV39H1 but the cited title of [35] has SUV38H1: SUV39H1 is the approved "
        "HGNC symbol; SUV38H1 is not an HGNC symbol at all",
        "correct the claim to SUV39H1",
    ),
    "claim-entity-unsupported": (
        "not mentioned in the cited title of [39]: CD4 (only titles were available: absence "
        "from a title is weak evidence)",
        "check the cited work supports this, or cite the work that does",
    ),
    "invalid-symbol": (
        "BRCA3 in claim c12 is not an HGNC symbol: likely a misspelling of BRCA2",
        "did you mean BRCA2?",
    ),
    "claim-citation-missing": (
        "the claim cites [40], [43], which the reference list lacks (it has 39 numbered "
        "entries), so it cannot be checked against the cited work",
        "add the missing entries to the reference list or correct the callout",
    ),
    "claim-contradicted": (
        "[5] says otherwise: the cited work reports the opposite direction; it says "
        "\u201cIL-6 activates STAT3\u201d (abstract)",
        "check what the cited work found and correct the claim or the citation",
    ),
    "claim-not-supported": (
        "not found in [33]: the cited title and abstract never say it (the closest sentence is "
        "quoted): \u201cBackground ...\u201d (confidence 0.81)",
        "check the cited work says this, or cite the work that does",
    ),
    "claim-study-mismatch": (
        "[4]: a mouse study; it says \u201cwe used C57BL/6 mice\u201d",
        "cite a work that studied what the claim describes, or reword the claim",
    ),
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_every_rule_has_a_chinese_name_description_patterns_and_samples(rule):
    assert CJK.search(zh.RULES.get(rule.slug, "")), f"no zh name for {rule.slug}"
    assert CJK.search(zh.DESCRIPTIONS.get(rule.slug, "")), f"no zh description for {rule.slug}"
    assert zh.PATTERNS.get(rule.slug), f"no zh message patterns for {rule.slug}"
    assert SAMPLES.get(rule.slug), f"add {rule.slug}'s messages to SAMPLES"


@pytest.mark.parametrize(
    ("rule", "text"), [(r, t) for r, texts in SAMPLES.items() for t in texts]
)
def test_each_sample_is_said_by_a_pattern_keeping_its_data(rule, text):
    said, known = messages.translate_text(rule, text, "zh")
    assert known, f"no zh pattern for {rule}: {text!r}"
    assert CJK.search(said)
    for data in re.findall(r"\[\d+\]|10\.\d+/\S+?(?=[,;)\s]|$)|\b[A-Z0-9]{4,}\b", text):
        assert data in said, f"{data!r} lost in {said!r}"


def test_english_is_unchanged_and_an_unknown_message_keeps_its_text():
    text = "reference [7] is never cited in the text"
    assert messages.translate_text("uncited-reference", text, "en") == (text, True)
    said, known = messages.translate_text("uncited-reference", "[7] something new", "zh")
    assert not known and said == "[7] 未被引用的参考文献：something new"


@pytest.mark.parametrize(
    ("env", "lang"),
    [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}, "en"), ({}, "en")],
)
def test_default_language_from_the_locale(monkeypatch, env, lang):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(messages._locale, "getlocale", lambda: (None, None))
    assert messages.default_lang() == lang


MANUSCRIPT = """\
Statins lower LDL cholesterol [1, 4]. Smith et al. [2] showed fewer events.

References
1. Baigent C, Blackwell L. Efficacy of cholesterol lowering. Lancet. 2010;376:1670-81.
2. Ridker PM, Danielson E. Rosuvastatin to prevent vascular events. N Engl J Med. 2008;359:2195-207.
3. Zhang Y, Wang L. Exosomal miR-21 in gastric cancer. Mol Cancer. 2020.
"""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_check_lang_zh_from_the_cli(tmp_path, fmt):
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT)
    args = ["check", str(path), "--lock", str(tmp_path / "none.json"), "--format", fmt]
    zh_out = CliRunner().invoke(main, [*args, "--lang", "zh"]).output
    en_out = CliRunner().invoke(main, [*args, "--lang", "en"]).output
    assert re.search(r"正文引用了 \\?\[4\\?\]，但参考文献列表中没有第 4 条", zh_out)
    assert "CC101" in zh_out and "missing-reference" in zh_out  # codes and slugs as they are
    assert re.search(r"reference \\?\[4\\?\] is cited but the list has no entry 4", en_out)
    assert not CJK.search(en_out)
    if fmt == "text":
        assert "按规则汇总" in zh_out and re.search(r"共 \d+ 项发现：\d+ 个错误", zh_out)


def test_a_finding_on_real_input_is_fully_translated(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT)
    from citecheck.config import Config
    from citecheck.workflow import run_check

    result = run_check(Config(), manuscript=str(path), lock_path=str(tmp_path / "none.json"))
    assert {f.rule for f in result.findings} >= {"missing-reference", "uncited-reference"}
    for f in result.findings:
        for text in (f.message, f.suggestion):
            assert messages.translate_text(f.rule, text, "zh")[1], (f.rule, text)
