"""The JUnit XML report, so CI test viewers (GitLab, Jenkins, GitHub test reporters) show findings.

Layout: one <testsuite> per rule area; one <testcase> per rule and subject (classname = rule
slug, name = "[32] wen2021bone", else the claim id, else the location). Errors and warnings
are a <failure>; info findings leave the case passing with the notes in <system-out>, since
"skipped" would claim the rule did not run. A rule that found nothing is one passing case,
so `tests` counts every check that ran.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from citecheck.model import CheckResult, Finding, RuleInfo, Severity
from citecheck.reports.views import (
    GENERAL,
    described_rules,
    detail_lines,
    group_findings,
)

PASSING_NAME = "no findings"
# XML 1.0 cannot carry most control characters, even escaped; manuscripts extracted from PDFs
# sometimes contain them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: CheckResult) -> str:
    """Serialise the result as a <testsuites> document."""
    subjects = _subjects(result)
    by_area: dict[str, list[ET.Element]] = {}
    for info in described_rules(result):
        findings = [f for f in result.findings if f.code == info.code]
        by_area.setdefault(info.area, []).extend(_cases(info, findings, subjects))

    root = ET.Element("testsuites", name="citecheck")
    for area, cases in by_area.items():
        suite = ET.SubElement(root, "testsuite", name=f"citecheck.{area}")
        suite.extend(cases)
        _count(suite, cases)
    _count(root, [case for cases in by_area.values() for case in cases])
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _subjects(result: CheckResult) -> dict[Finding, str]:
    """What each finding is about, as a test-case name."""
    names: dict[Finding, str] = {}
    for group in group_findings(result):
        for f in group.findings:
            if group.label != GENERAL:
                names[f] = group.label
            else:
                names[f] = f"claim {f.claim_id}" if f.claim_id else str(f.location)
    return names


def _cases(info: RuleInfo, findings: list[Finding], subjects: dict[Finding, str]) -> list:
    if not findings:
        return [_case(info, PASSING_NAME, [])]
    by_subject: dict[str, list[Finding]] = {}
    for f in findings:
        by_subject.setdefault(subjects[f], []).append(f)
    return [_case(info, name, group) for name, group in by_subject.items()]


def _case(info: RuleInfo, name: str, findings: list[Finding]) -> ET.Element:
    case = ET.Element("testcase", classname=_clean(info.slug), name=_clean(name), time="0")
    if findings and findings[0].location.path:
        # GitLab and several viewers link a case to its source with these attributes.
        case.set("file", _clean(findings[0].location.path))
        if findings[0].location.line is not None:
            case.set("line", str(findings[0].location.line))
    failing = [f for f in findings if f.severity >= Severity.WARNING]
    if failing:
        worst = max(f.severity for f in failing)
        failure = ET.SubElement(
            case, "failure", message=_clean(failing[0].message), type=worst.label
        )
        failure.text = _clean("\n\n".join(_describe(f) for f in failing))
    notes = [f for f in findings if f.severity < Severity.WARNING]
    if notes:
        ET.SubElement(case, "system-out").text = _clean("\n\n".join(_describe(f) for f in notes))
    return case


def _describe(f: Finding) -> str:
    lines = [f"{f.severity.label} {f.code} {f.rule} at {f.location}: {f.message}"]
    lines += [f"  {label}: {text}" for label, text in detail_lines(f)]
    return "\n".join(lines)


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    """Set the count attributes every common viewer expects (errors/skipped are always 0)."""
    failures = sum(1 for case in cases if case.find("failure") is not None)
    element.set("tests", str(len(cases)))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")
    element.set("time", "0")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
