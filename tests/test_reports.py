"""Every report format, checked by parsing what it emits back into structures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.model import (
    CheckResult,
    Claim,
    ClaimVerdict,
    Entity,
    Finding,
    Location,
    Reference,
    RuleInfo,
    Severity,
)
from citecheck.reports import SUFFIXES, WRITERS, github, json_report, junit, markdown, sarif, text
from citecheck.reports import html as html_report
from citecheck.reports.views import claim_views, group_findings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SARIF_SCHEMA = SHARED / "data" / "schemas" / "sarif-schema-2.1.0.json"
MS = "manuscript.txt"
HOSTILE = '<script>alert("x")</script> | a|b 100% done,\nnext: line\r\n"quoted" & \'single\' 中文 ::error::'
HOSTILE_PATH = "my dir,v2/手稿:final%.txt"

RULES = (
    RuleInfo(
        "CC101", "missing-reference", Severity.ERROR, "A callout cites a number with no entry.", "references"
    ),
    RuleInfo(
        "CC104", "duplicate-reference", Severity.WARNING, "Two entries describe one work.", "references"
    ),
    RuleInfo(
        "CC108", "author-mention-mismatch", Severity.WARNING,
        "The author named before a callout is not an author of the cited work.", "citations",
    ),
    RuleInfo(
        "CC203", "retracted-reference", Severity.ERROR, "The cited work has been retracted.", "metadata"
    ),
    RuleInfo(
        "CC301", "claim-entity-mismatch", Severity.WARNING,
        "An entity named in a claim differs from the one in the cited work.", "claims",
    ),
    RuleInfo("CC900", "odd-text", Severity.INFO, "Text that looks odd.", "citations"),
)  # fmt: skip

REFERENCES = (
    Reference(
        key="wen2021bone",
        raw="Wen T, Wang H, Li Y, et al. Bone mesenchymal stem cell-derived extracellular vesicles "
        "promote the repair of intervertebral disc degeneration[J]. Aging, 2021, 13(7): 9961-9975.",
        location=Location(MS, 210, 1),
        number=32,
        authors=(),
    ),
    Reference(
        key="li2020retracted",
        raw="Li X. A <b>retracted</b> study | of discs[J]. Cell, 2020, 1: 1-2.",
        location=Location(MS, 190, 1),
        number=12,
    ),
    Reference(
        key="cheng2018exo",
        raw="Cheng X, Zhang G, Zhang L, et al. Mesenchymal stem cells deliver exogenous miR-21 via "
        "exosomes to inhibit nucleus pulposus cell apoptosis[J]. J Cell Mol Med, 2018, 22(1): 261-276.",
        location=Location(MS, 204, 1),
        number=26,
    ),
)

ENT_SUV = Entity("SUV39H1", "gene", "SUV39H1")
ENT_MIR = Entity("miR-21", "mirna", "hsa-miR-21-5p")
ENT_HOSTILE = Entity("<img src=x onerror=alert(1)>", "gene|protein", "X")

CLAIMS = (
    Claim(
        id="c041",
        location=Location(MS, 88, 3),
        numbers=(26,),
        author_mention="Cheng",
        paraphrase="MSC exosomes carry miR-21 that lowers SUV39H1 and protects NP cells.",
        entities=(ENT_SUV, ENT_MIR),
    ),
    Claim(
        id="c042",
        location=Location(MS, 91, 1),
        numbers=(32,),
        paraphrase=HOSTILE,
        entities=(ENT_HOSTILE,),
    ),
)

VERDICTS = (
    ClaimVerdict("c041", 26, ENT_SUV, "mismatch", "crossref-title", "cited work names SUV38H1"),
    ClaimVerdict("c041", 26, ENT_MIR, "supported", "abstract:europepmc", ""),
    ClaimVerdict("c042", 32, ENT_HOSTILE, "no-evidence", "", HOSTILE),
    # A verdict for a claim the result does not carry must still be shown.
    ClaimVerdict("c099", 12, ENT_MIR, "unsupported", "title", ""),
)


def _findings() -> tuple[Finding, ...]:
    found = [
        Finding(
            "author-mention-mismatch",
            "CC108",
            Severity.WARNING,
            'Text names "Tao" before [32], but the cited work is by Wen et al.',
            Location(MS, 57, 12),
            expected="Wen",
            found="Tao",
            suggestion="Write Wen 等^[32], or cite the Tao paper.",
            reference=32,
            bib_key="wen2021bone",
        ),
        Finding(
            "retracted-reference",
            "CC203",
            Severity.ERROR,
            "Reference [12] was retracted (10.1000/retract.1).",
            Location(MS, 190, 1),
            found="retraction 10.1000/retract.1",
            reference=12,
            bib_key="li2020retracted",
        ),
        Finding(
            "claim-entity-mismatch",
            "CC301",
            Severity.WARNING,
            "The claim names SUV39H1 but the cited work is about SUV38H1.",
            Location(MS, 88, 3),
            expected="SUV38H1",
            found="SUV39H1",
            reference=26,
            claim_id="c041",
        ),
        Finding(
            "odd-text",
            "CC900",
            Severity.INFO,
            HOSTILE,
            Location(HOSTILE_PATH, 3, 4),
            expected=HOSTILE,
            suggestion="50% | <b>",
        ),
        Finding("odd-text", "CC900", Severity.INFO, "No position known.", Location(MS)),
        # A finding whose rule the result does not describe (e.g. from a plugin).
        Finding("stray-rule", "CC999", Severity.WARNING, "Unregistered rule.", Location(MS, 1)),
    ]
    for n in range(40, 56):
        found.append(
            Finding(
                "missing-reference", "CC101", Severity.ERROR,
                f"Callout cites [{n}] but the reference list ends at 39.",
                Location(MS, 100 + n, 7), reference=n,
            )
        )  # fmt: skip
    # The same missing reference cited twice: two findings, identical but for the line.
    found.append(
        Finding(
            "missing-reference", "CC101", Severity.ERROR,
            "Callout cites [40] but the reference list ends at 39.", Location(MS, 170, 2),
            reference=40,
        )
    )  # fmt: skip
    return tuple(found)


def realistic_result() -> CheckResult:
    """A check of the seed manuscript's kind: mention mismatch, 40-55 missing, claims, retraction."""
    return CheckResult(
        tool_version="0.1.0",
        inputs={"manuscript": MS, "claims": "claims/claims.yaml"},
        findings=_findings(),
        rules=RULES,
        claims=CLAIMS,
        claim_verdicts=VERDICTS,
        references=REFERENCES,
    )


EMPTY = CheckResult(tool_version="0.1.0", inputs={}, findings=(), rules=RULES)


@pytest.fixture
def result() -> CheckResult:
    return realistic_result()


# --- the table ---------------------------------------------------------------------------


def test_writers_cover_every_format_and_render_strings(result):
    assert set(WRITERS) == {"text", "json", "markdown", "sarif", "junit", "github", "html"}
    assert set(SUFFIXES) == set(WRITERS)
    for name, write in WRITERS.items():
        for r in (result, EMPTY):
            out = write(r)
            assert isinstance(out, str) and out.strip(), name


def test_importing_the_table_loads_no_format_module():
    code = (
        "import sys, citecheck.reports; "
        "print(sorted(m for m in sys.modules if m.startswith(('rich', 'xml', 'citecheck.reports.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- shared views ------------------------------------------------------------------------


def test_groups_follow_reference_numbers_and_general_comes_last(result):
    labels = [g.label for g in group_findings(result)]
    assert labels[:3] == ["[12] li2020retracted", "[26] cheng2018exo", "[32] wen2021bone"]
    assert labels[3:19] == [f"[{n}]" for n in range(40, 56)]
    assert labels[-1] == "General"
    assert len(labels) == 20
    forty = next(g for g in group_findings(result) if g.number == 40)
    assert len(forty.findings) == 2 and forty.reference is None
    assert sum(len(g.findings) for g in group_findings(result)) == len(result.findings)


def test_claim_views_join_verdicts_and_keep_unknown_claims(result):
    views = {v.claim_id: v for v in claim_views(result)}
    assert list(views) == ["c041", "c042", "c099"]
    suv = next(e for e in views["c041"].entities if e.entity == ENT_SUV)
    assert [cv.verdict for cv in suv.verdicts] == ["mismatch"]
    assert [f.rule for f in views["c041"].findings] == ["claim-entity-mismatch"]
    assert views["c099"].claim is None and views["c099"].entities[0].entity == ENT_MIR
    assert claim_views(EMPTY) == ()


# --- text --------------------------------------------------------------------------------


def test_text_groups_by_reference_then_claims_then_summary(result):
    out = text.render(result, details=True)
    assert "\x1b[" not in out
    order = [out.index(s) for s in ("[12] li2020retracted", "[32] wen2021bone", "[40]", "General")]
    assert order == sorted(order)
    assert out.index("Claims") > out.index("General")
    assert out.rstrip().endswith("23 findings: 18 error(s), 3 warning(s), 2 info")
    mention = out[out.index("[32] wen2021bone") :]
    assert "warning" in mention and "CC108 author-mention-mismatch" in mention
    assert "manuscript.txt:57:12" in mention and "expected: Wen" in mention
    assert "found: Tao" in mention and "suggestion: Write Wen 等^[32]" in mention
    claims = out[out.index("Claims") :]
    assert "c041" in claims and "SUV39H1 (gene)" in claims
    assert "mismatch via crossref-title: cited work names SUV38H1" in claims
    # Square brackets and angle brackets are data, not rich markup.
    assert '<script>alert("x")</script>' in out and "[26] " in out


def test_text_shows_one_line_per_shared_cause_and_a_summary_by_rule(result):
    out = text.render(result)
    # 17 missing-reference findings, [40]-[55]: one group line, errors first.
    assert out.startswith("error   CC101 missing-reference ×17: [40]-[55]\n")
    assert out.count("Callout cites [") == 1  # one example, not seventeen
    assert "[32] wen2021bone" in out and "found: Tao" in out  # single findings stay whole
    assert "c041" not in out  # the per-claim view is for --details
    tail = out[out.index("Summary by rule") :]
    assert "CC101 missing-reference" in tail and "17 error" in tail
    assert "Claims: 2 claims, 4 entity verdicts: 1 mismatch" in tail
    assert out.rstrip().endswith("23 findings: 18 error(s), 3 warning(s), 2 info")


def test_a_thousand_citation_report_is_short():
    findings = [
        Finding(
            "uncited-reference", "CC102", Severity.WARNING,
            f"reference [{n}] is never cited in the text", Location(MS, n),
            found=f"[{n}]", suggestion="cite it or remove it", reference=n,
        )
        for n in range(1, 1001) if n % 7
    ] + [
        Finding(
            "missing-reference", "CC101", Severity.ERROR,
            f"reference [{n}] is cited (2 callouts) but the list has no entry {n}",
            Location(MS, 5, n), reference=n,
        )
        for n in range(1001, 1017)
    ]  # fmt: skip
    big = CheckResult("0.1.0", {}, tuple(findings), RULES)
    out = text.render(big)
    assert len(out.splitlines()) < 25
    assert "CC101 missing-reference ×16: [1001]-[1016]" in out
    assert "CC102 uncited-reference ×858: [1]-[6], [8]-[13]," in out and "more" in out
    assert len(text.render(big, details=True).splitlines()) > 858


def test_cause_groups_need_the_same_rule_severity_and_message_shape():
    from citecheck.reports.views import cause_key, compress_subjects

    def finding(message, ref, severity=Severity.WARNING, found=""):
        return Finding("r", "CC1", severity, message, Location(MS), found=found, reference=ref)

    a = finding("reference [4] is cited (3 callouts) but the list has no entry 4", 4)
    b = finding("reference [12] is cited but the list has no entry 12", 12)
    assert cause_key(a) == cause_key(b)
    assert cause_key(a) != cause_key(finding(a.message, 4, Severity.INFO))
    # Different people named: different causes, each shown whole.
    tao = finding("'Tao' before [32] is the given name of Wen T", 32, found="Tao")
    li = finding("'Li' before [3] is the given name of Wang L", 3, found="Li")
    assert cause_key(tao) != cause_key(li)
    assert compress_subjects((a, b, finding("x", 5), finding("x", 6))) == "[4]-[6], [12]"


def test_text_colours_only_when_asked(result):
    assert "\x1b[" in text.render(result, color=True)
    assert "\x1b[" not in text.render(result, color=False)


def test_text_respects_width_and_keeps_indents(result):
    narrow = text.render(result, width=60)
    lines = narrow.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert all(line == line.rstrip() for line in lines)
    raw = lines.index("[26] cheng2018exo") + 1
    assert lines[raw].startswith("  Cheng X") and lines[raw + 1].startswith("  ")


def test_text_without_findings():
    assert text.render(EMPTY).strip() == "No findings."


# --- json --------------------------------------------------------------------------------


def test_json_follows_the_documented_schema(result):
    schema = json.loads((REPO / "docs" / "json-schema.json").read_text(encoding="utf-8"))
    for r in (result, EMPTY):
        doc = json.loads(json_report.render(r))
        jsonschema.validate(doc, schema)


def test_json_content_and_key_order(result):
    out = json_report.render(result)
    assert "中文" in out and "\\u" not in out  # ensure_ascii=False
    doc = json.loads(out)
    assert list(doc) == ["tool", "inputs", "findings", "claims", "summary"]
    assert doc["tool"] == {"name": "citecheck", "version": "0.1.0"}
    assert doc["summary"] == result.summary == {"total": 23, "error": 18, "warning": 3, "info": 2}
    first = doc["findings"][0]
    assert list(first) == [
        "rule", "code", "severity", "message", "location", "reference", "bib_key", "claim_id",
        "expected", "found", "suggestion",
    ]  # fmt: skip
    mention = next(f for f in doc["findings"] if f["code"] == "CC108")
    assert mention["severity"] == "warning"
    assert mention["location"] == {"path": MS, "line": 57, "column": 12}
    assert (mention["reference"], mention["bib_key"]) == (32, "wen2021bone")
    assert (mention["expected"], mention["found"]) == ("Wen", "Tao")
    assert next(f for f in doc["findings"] if f["message"] == "No position known.")["location"] == {
        "path": MS,
        "line": None,
        "column": None,
    }
    hostile = next(f for f in doc["findings"] if f["location"]["path"] == HOSTILE_PATH)
    assert hostile["message"] == HOSTILE
    c041 = doc["claims"][0]
    assert (c041["id"], c041["citations"], c041["author_mention"]) == ("c041", [26], "Cheng")
    assert c041["entities"][0]["verdicts"] == [
        {
            "reference": 26,
            "verdict": "mismatch",
            "evidence_source": "crossref-title",
            "detail": "cited work names SUV38H1",
        }
    ]
    assert c041["findings"] == ["claim-entity-mismatch"]
    assert doc["claims"][2]["location"] is None


def test_json_output_is_deterministic(result):
    assert json_report.render(result) == json_report.render(realistic_result())


# --- markdown ----------------------------------------------------------------------------

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_markdown_escape():
    assert markdown.escape("a|b") == r"a\|b"
    assert markdown.escape("<script>") == "&lt;script&gt;"
    assert markdown.escape("one\ntwo\r\nthree") == "one<br>two<br>three"
    assert markdown.escape("[32] *x* _y_ `z` \\") == r"\[32\] \*x\* \_y\_ \`z\` \\"


def test_markdown_tables_keep_their_shape(result):
    out = markdown.render(result)
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    tables: list[list[str]] = []
    previous = ""
    for line in out.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert len(tables) >= 3  # summary, at least one finding table, claims
    for table in tables:
        widths = {len(_UNESCAPED_PIPE.findall(row)) for row in table}
        assert len(widths) == 1, table
    summary = tables[0]
    assert summary[2:] == ["| Errors | 18 |", "| Warnings | 3 |", "| Info | 2 |", "| Total | 23 |"]


def test_markdown_groups_and_claims(result):
    out = markdown.render(result, details=True)
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings[0] == r"### \[12\] li2020retracted"
    assert headings[-1] == "### General"
    assert len(headings) == 20
    claims = out[out.index("## Claims") :]
    assert "| SUV39H1 (gene) | 26 | mismatch | crossref-title: cited work names SUV38H1 |" in claims
    assert "&lt;img src=x onerror=alert(1)&gt;" in claims


def test_markdown_groups_shared_causes_by_default(result):
    out = markdown.render(result)
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    assert headings[0] == "### error CC101 missing-reference ×17"
    assert r"About: \[40\]-\[55\]" in out
    assert len(headings) == 5  # the cause, three references, General
    assert "| CC101 | missing-reference | 17 | 0 | 0 |" in out
    assert "2 claims, 4 entity verdicts" in out[out.index("## Claims") :]


# --- sarif -------------------------------------------------------------------------------


def _sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared not present: no official SARIF 2.1.0 schema to validate against")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema(result):
    schema = _sarif_schema()
    for r in (result, EMPTY):
        jsonschema.validate(json.loads(sarif.render(r)), schema)


def test_sarif_rules_and_results(result):
    log = json.loads(sarif.render(result))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("citecheck", "0.1.0")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES] + ["CC999"]
    mention_rule = rules[2]
    assert mention_rule["name"] == "author-mention-mismatch"
    assert mention_rule["defaultConfiguration"] == {"level": "warning"}
    assert rules[5]["defaultConfiguration"] == {"level": "note"}
    assert mention_rule["shortDescription"]["text"].startswith("The author named")
    assert mention_rule["help"]["text"] and mention_rule["fullDescription"]["text"]

    results = run["results"]
    assert len(results) == len(result.findings)
    for item, finding in zip(results, result.findings, strict=True):
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"] == finding.code
        assert (
            item["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.label]
        )
        assert item["message"]["text"].startswith(finding.message)
        region = item["locations"][0]["physicalLocation"].get("region")
        if finding.location.line is None:
            assert region is None
        else:
            assert region["startLine"] == finding.location.line >= 1
    fingerprints = [r["partialFingerprints"]["citecheckFinding/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    mention = next(r for r in results if r["ruleId"] == "CC108")
    assert mention["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": MS},
        "region": {"startLine": 57, "startColumn": 12},
    }
    assert "Expected: Wen" in mention["message"]["text"]
    assert mention["properties"]["reference"] == 32


def test_sarif_fingerprints_survive_line_shifts(result):
    shifted = CheckResult(
        result.tool_version,
        result.inputs,
        tuple(
            Finding(
                **{**f.__dict__, "location": Location(f.location.path, (f.location.line or 0) + 5)}
            )
            for f in result.findings
        ),
        result.rules,
    )

    def prints(r: CheckResult) -> list[str]:
        return [
            x["partialFingerprints"]["citecheckFinding/v1"]
            for x in json.loads(sarif.render(r))["runs"][0]["results"]
        ]

    assert prints(shifted) == prints(result)


def test_sarif_artifact_uris():
    assert sarif.artifact_uri("docs/paper.txt") == "docs/paper.txt"
    assert sarif.artifact_uri("docs\\paper.txt") == "docs/paper.txt"
    assert sarif.artifact_uri(HOSTILE_PATH) == "my%20dir%2Cv2/%E6%89%8B%E7%A8%BF%3Afinal%25.txt"
    assert sarif.artifact_uri("/abs/手稿.txt") == "file:///abs/%E6%89%8B%E7%A8%BF.txt"
    assert sarif.artifact_uri("C:\\work\\paper.txt") == "file:///C:/work/paper.txt"


# --- junit -------------------------------------------------------------------------------


def test_junit_counts_add_up(result):
    root = ET.fromstring(junit.render(result))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "citecheck.references",
        "citecheck.citations",
        "citecheck.metadata",
        "citecheck.claims",
        "citecheck.unknown",
    ]
    cases = root.findall("testsuite/testcase")
    failures = root.findall("testsuite/testcase/failure")
    assert root.get("tests") == str(len(cases))
    assert root.get("failures") == str(len(failures))
    for element in [root, *suites]:
        for attribute in ("tests", "failures", "errors", "skipped", "time"):
            assert element.get(attribute) is not None
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    # 16 missing numbers -> 16 cases (the two [40] callouts share one); the mention, the
    # retraction, the claim mismatch and the stray fail; two odd-text info cases pass.
    assert len(failures) == 16 + 4
    assert sum(int(s.get("tests")) for s in suites) == len(cases) == 16 + 1 + 4 + 2


def test_junit_cases_name_rule_and_subject(result):
    root = ET.fromstring(junit.render(result))
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    forty = cases[("missing-reference", "[40]")]
    assert forty.find("failure").get("type") == "error"
    assert forty.find("failure").text.count("Callout cites [40]") == 2
    mention = cases[("author-mention-mismatch", "[32] wen2021bone")]
    assert mention.find("failure").get("type") == "warning"
    assert "expected: Wen" in mention.find("failure").text
    assert (mention.get("file"), mention.get("line")) == (MS, "57")
    passing = cases[("duplicate-reference", "no findings")]
    assert list(passing) == []
    info = cases[("odd-text", f"{HOSTILE_PATH}:3:4")]
    assert info.find("failure") is None and HOSTILE.replace("\r\n", "\n") in (
        info.find("system-out").text.replace("\r\n", "\n")
    )


def test_junit_survives_control_characters():
    bad = Finding("odd-text", "CC900", Severity.ERROR, "form\x0cfeed \x00 nul", Location(MS, 1))
    out = junit.render(CheckResult("0.1.0", {}, (bad,), RULES))
    failure = ET.fromstring(out).find(".//failure")
    assert failure.get("message") == "form\ufffdfeed \ufffd nul"


# --- github ------------------------------------------------------------------------------


def test_github_escaping_matches_the_runner():
    assert github.escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotation_shape(result):
    out = github.render(result)
    lines = out.splitlines()
    # Hostile newlines never start a new command: one line per finding plus the summary.
    assert out.count("\n") == len(lines) == len(result.findings) + 1
    assert lines[-1] == "23 findings: 18 error(s), 3 warning(s), 2 info"
    mention = next(line for line in lines if "CC108" in line)
    assert mention == (
        "::warning file=manuscript.txt,line=57,col=12,title=CC108 author-mention-mismatch::"
        'Text names "Tao" before [32], but the cited work is by Wen et al.'
        "%0Aexpected: Wen%0Afound: Tao%0Asuggestion: Write Wen 等^[32], or cite the Tao paper."
    )
    assert sum(line.startswith("::error ") for line in lines) == 18
    assert sum(line.startswith("::notice ") for line in lines) == 2
    no_line = next(line for line in lines if "No position known." in line)
    assert no_line.startswith("::notice file=manuscript.txt,title=CC900 odd-text::")


def test_github_properties_round_trip(result):
    line = next(x for x in github.render(result).splitlines() if "odd-text" in x and "line=3" in x)
    props, message = line[len("::notice ") :].split("::", 1)
    parsed = dict(p.split("=", 1) for p in props.split(","))
    assert _unescape(parsed["file"]) == HOSTILE_PATH
    assert (parsed["line"], parsed["col"]) == ("3", "4")
    assert _unescape(message).startswith(HOSTILE)


def _unescape(text: str) -> str:
    for code, ch in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(code, ch)
    return text


# --- html --------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects tags, attributes and visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.text.append(data)


def _page(out: str) -> _Page:
    page = _Page()
    page.feed(out)
    page.close()
    return page


def test_html_is_self_contained_and_escaped(result):
    out = html_report.render(result)
    page = _page(out)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "link", "iframe", "object"}
    for _, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs)
        assert "src" not in attrs
        assert all(not (v or "").startswith("http") for k, v in attrs.items() if k == "href")
    assert "@import" not in out and "url(" not in out
    visible = "".join(page.text)
    assert HOSTILE.replace("\r\n", "\n") in visible.replace("\r\n", "\n")
    assert "<img src=x onerror=alert(1)>" in visible
    assert "A <b>retracted</b> study | of discs" in visible


def test_html_has_summary_groups_and_claims(result):
    page = _page(html_report.render(result))
    visible = "".join(page.text)
    sections = [
        a.get("id") for tag, a in page.tags if tag == "section" and a.get("class") == "group"
    ]
    assert len(sections) == 4  # three references and General; [40]-[55] is one cause
    causes = [a for tag, a in page.tags if tag == "section" and a.get("class") == "group cause"]
    assert len(causes) == 1 and "CC101 missing-reference ×17" in visible
    claims = [a for tag, a in page.tags if tag == "section" and a.get("class") == "claim"]
    assert len(claims) == 3
    assert "18Errors" in visible and "3Warnings" in visible and "23Total findings" in visible
    assert visible.index("[12] li2020retracted") < visible.index("[32] wen2021bone")
    assert "cited work names SUV38H1" in visible
    articles = [a for tag, a in page.tags if tag == "article"]
    assert len(articles) == len(result.findings)


def test_html_without_findings():
    assert "No findings." in "".join(_page(html_report.render(EMPTY)).text)


# --- any input ---------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=_text,
    path=_text,
    extra=_text,
    line=st.none() | st.integers(min_value=1, max_value=10**6),
    column=st.none() | st.integers(min_value=1, max_value=500),
    severity=st.sampled_from(list(Severity)),
    reference=st.none() | st.integers(min_value=0, max_value=999),
)
def test_every_writer_copes_with_any_text(message, path, extra, line, column, severity, reference):
    finding = Finding(
        "odd-text", "CC900", severity, message, Location(path, line, column),
        expected=extra, found=extra, suggestion=extra, reference=reference, bib_key=extra,
    )  # fmt: skip
    r = CheckResult("0.1.0", {"manuscript": path}, (finding,), RULES)
    for write in WRITERS.values():
        assert isinstance(write(r), str)
    assert json.loads(json_report.render(r))["findings"][0]["message"] == message
    ET.fromstring(junit.render(r))
    # The runner splits commands on "\n" only (other separators stay inside one command).
    assert github.render(r).count("\n") == 2
    assert "script" not in {tag for tag, _ in _page(html_report.render(r)).tags}
    assert len(json.loads(sarif.render(r))["runs"][0]["results"]) == 1


def test_html_folds_each_finding_and_details_open_them(result):
    folded = html_report.render(result)
    opened = html_report.render(result, details=True)
    assert "<details><summary>Each finding (17)</summary>" in folded
    assert "<details open><summary>Each finding (17)</summary>" in opened
    assert folded.count("<article") == opened.count("<article") == len(result.findings)


def test_check_details_option_reaches_every_readable_format(tmp_path):
    from click.testing import CliRunner

    from citecheck.cli import main

    entries = "\n".join(f"{n}. Smith J. Study {n}. J Things. 2020;{n}:1-9." for n in range(1, 9))
    paper = tmp_path / "paper.md"
    paper.write_text(f"Intro [1].\n\nReferences\n\n{entries}\n", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> str:
        return runner.invoke(main, ["check", str(paper), "--lock", str(tmp_path / "x.json"), *args]).output

    short, long = run(), run("--details")
    assert "CC102 uncited-reference ×7: [2]-[8]" in short and "--details shows each" in short
    assert long.count("CC102 uncited-reference") == 8  # seven findings and the summary row
    assert "### warning CC102 uncited-reference ×7" in run("--format", "markdown")
    assert "### warning CC102" not in run("--format", "markdown", "--details")
    assert "<details open>" in run("--format", "html", "--details")
    assert len(json.loads(run("--format", "json"))["findings"]) == 7  # machines get each one


def test_a_found_value_repeating_the_printed_entry_is_not_printed_twice():
    raw = REFERENCES[0].raw
    finding = Finding(
        "incomplete-reference", "CC105", Severity.WARNING, "journal article [32] lacks pages",
        Location(MS, 210), found=raw[:120], expected="pages", reference=32,
    )  # fmt: skip
    out = text.render(CheckResult("0.1.0", {}, (finding,), RULES, references=REFERENCES))
    assert "expected: pages" in out and "found:" not in out
