"""The SARIF 2.1.0 report, shaped for GitHub code scanning uploads.

Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
GitHub's subset: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
Rule identity: `id` is the stable code ("CC108"), `name` the stable slug
("author-mention-mismatch"); both are public and never reused.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from citecheck.explain import url as rule_url
from citecheck.model import CheckResult, Finding, Location, RuleInfo, Severity
from citecheck.reports.views import described_rules, detail_lines

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "citecheckFinding/v1"


def render(result: CheckResult) -> str:
    """Serialise one SARIF log with a single run."""
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"


def document(result: CheckResult) -> dict[str, Any]:
    """The SARIF log as plain data."""
    # Every finding must point at a descriptor (ruleIndex), so strays get one too.
    rules = described_rules(result)
    index = {r.code: i for i, r in enumerate(rules)}
    driver: dict[str, Any] = {"name": "citecheck", "version": result.tool_version}
    homepage = _information_uri()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = [_descriptor(r) for r in rules]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                # Our columns count characters (Python str indices), which matters for Chinese.
                "columnKind": "unicodeCodePoints",
                "results": _results(result.findings, index),
            }
        ],
    }


def _information_uri() -> str:
    """The project's homepage from installed package metadata; "" when none is declared."""
    try:
        urls = metadata.metadata("citecheck").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "repository", "source", "documentation"}:
            return url.strip()
    return ""


def _descriptor(r: RuleInfo) -> dict[str, Any]:
    return {
        "id": r.code,
        "name": r.slug,
        "shortDescription": {"text": r.description},
        "fullDescription": {"text": f"{r.description} ({r.area} rule {r.slug})"},
        "help": {
            "text": f"{r.description}\nRule {r.code} ({r.slug}), area {r.area}, "
            f"default severity {r.severity.label}.",
            "markdown": f"{r.description}\n\nRule `{r.code}` (`{r.slug}`), area `{r.area}`, "
            f"default severity **{r.severity.label}**.",
        },
        "helpUri": rule_url(r.slug),
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        # SARIF tags are a set: "citations" marks our rules, the area groups them.
        "properties": {"tags": list(dict.fromkeys(["citations", r.area]))},
    }


def _results(findings: tuple[Finding, ...], index: dict[str, int]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    results = []
    for f in findings:
        digest = _digest(f)
        # Identical findings (same rule, file, reference, message) are told apart by order,
        # so two callouts of a missing reference stay two alerts.
        seen[digest] = seen.get(digest, 0) + 1
        item: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL[f.severity],
            "message": {"text": _message(f)},
        }
        if f.location.path:
            item["locations"] = [{"physicalLocation": _physical(f.location)}]
        item["partialFingerprints"] = {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"}
        item["properties"] = _properties(f)
        results.append(item)
    return results


def _digest(f: Finding) -> str:
    """Hash of what identifies a finding apart from its line, so edits above it keep the alert."""
    parts = (f.code, f.location.path, str(f.reference or ""), f.bib_key, f.claim_id, f.message)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _message(f: Finding) -> str:
    lines = [f.message]
    lines += [f"{label.capitalize()}: {text}" for label, text in detail_lines(f)]
    return "\n".join(lines)


def _physical(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(loc.path)}}
    if loc.line is not None and loc.line >= 1:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.column is not None and loc.column >= 1:
            region["startColumn"] = loc.column
        physical["region"] = region
    return physical


def artifact_uri(path: str) -> str:
    """A URI reference for a path: relative stays relative (GitHub maps it to the repo root)."""
    for flavour in (PurePosixPath, PureWindowsPath):
        if flavour(path).is_absolute():
            return flavour(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/")


def _properties(f: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {"slug": f.rule}
    if f.reference is not None:
        props["reference"] = f.reference
    extras = (
        ("bibKey", f.bib_key),
        ("claimId", f.claim_id),
        ("expected", f.expected),
        ("found", f.found),
        ("suggestion", f.suggestion),
    )
    props.update({name: value for name, value in extras if value})
    return props
