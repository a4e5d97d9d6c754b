"""The JSON report: one documented, stable document (docs/reports.md, docs/json-schema.json)."""

from __future__ import annotations

import json
from typing import Any

from citecheck.model import CheckResult, Finding, Location
from citecheck.reports.views import ClaimView, claim_views

TOOL_NAME = "citecheck"


# Above this many findings + claims the document is written without indentation: json's C
# encoder only runs when indent is None, and a 20,000-claim report then takes 0.2 s, not 3 s.
INDENT_LIMIT = 2000


def render(result: CheckResult) -> str:
    """Serialise the result; key order is the documented order, so diffs stay readable."""
    data = document(result)
    indent = 2 if len(data["findings"]) + len(data["claims"]) <= INDENT_LIMIT else None
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def document(result: CheckResult) -> dict[str, Any]:
    """The report as plain data (what `render` serialises)."""
    return {
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "inputs": dict(result.inputs),
        "findings": [_finding(f) for f in result.findings],
        "claims": [_claim(v) for v in claim_views(result)],
        "summary": result.summary,
    }


def _location(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "code": f.code,
        "severity": f.severity.label,
        "message": f.message,
        "location": _location(f.location),
        "reference": f.reference,
        "bib_key": f.bib_key,
        "claim_id": f.claim_id,
        "expected": f.expected,
        "found": f.found,
        "suggestion": f.suggestion,
    }


def _claim(view: ClaimView) -> dict[str, Any]:
    claim = view.claim
    return {
        "id": view.claim_id,
        "location": _location(claim.location) if claim else None,
        "citations": list(claim.numbers) if claim else [],
        "keys": list(claim.keys) if claim else [],
        "author_mention": claim.author_mention if claim else "",
        "paraphrase": claim.paraphrase if claim else "",
        "entities": [
            {
                "text": ev.entity.text,
                "type": ev.entity.type,
                "normalized": ev.entity.normalized,
                "verdicts": [
                    {
                        "reference": cv.reference,
                        "verdict": cv.verdict,
                        "evidence_source": cv.evidence_source,
                        "detail": cv.detail,
                    }
                    for cv in ev.verdicts
                ],
            }
            for ev in view.entities
        ],
        "findings": [f.rule for f in view.findings],
        "support": [
            {
                "reference": sv.reference,
                "verdict": sv.verdict,
                "confidence": sv.confidence,
                "evidence": sv.evidence,
                "source": sv.source,
                "reason": sv.reason,
                "highlights": list(sv.highlights),
                "study": sv.study,
            }
            for sv in view.support
        ],
    }
