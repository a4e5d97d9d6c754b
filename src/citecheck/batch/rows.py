"""One manuscript's outcome as flat rows for the corpus tables (plain dicts, JSON-safe).

Three tables: `manuscripts` (status, error, counts, retraction exposure), `findings` (one row
per finding) and `references` (one row per reference with its verdict and notices).
"""

from __future__ import annotations

from citecheck.batch.inputs import Item

NOTICE_KINDS = ("retraction", "correction", "expression-of-concern")


def _notice_flags(resolution) -> dict[str, bool]:
    from citecheck.rules.metadata import notice_kind

    kinds = set()
    work = resolution.work if resolution is not None else None
    if work is not None and resolution.verdict.value == "matched":
        kinds = {notice_kind(u.type) for u in (*work.updated_by, *work.relation)}
    return {
        "retracted": "retraction" in kinds,
        "corrected": "correction" in kinds,
        "concern": "expression-of-concern" in kinds,
    }


def result_rows(item: Item, result, resolutions) -> dict[str, list[dict]]:
    """Rows for a checked manuscript."""
    findings = [
        {
            "manuscript": item.name,
            "rule": f.rule,
            "code": f.code,
            "severity": f.severity.label,
            "message": f.message,
            "reference": f.reference,
            "bib_key": f.bib_key,
            "claim_id": f.claim_id,
            "line": f.location.line,
        }
        for f in result.findings
    ]
    references = []
    for ref in result.references:
        res = resolutions.get(ref.number) if ref.number is not None else None
        work = res.work if res is not None else None
        references.append(
            {
                "manuscript": item.name,
                "number": ref.number,
                "key": ref.key,
                "doi": (work.doi if work is not None and work.doi else ref.doi).lower(),
                "title": (work.title if work is not None and work.title else ref.title),
                "verdict": res.verdict.value if res is not None else "unresolved",
                "source": res.source if res is not None else "",
                **_notice_flags(res),
            }
        )
    retracted = sum(r["retracted"] for r in references)
    manuscript = {
        "manuscript": item.name,
        "path": item.path,
        "identifier": item.identifier,
        "status": "ok",
        "error": "",
        "references": len(references),
        "findings": len(findings),
        "errors": sum(f["severity"] == "error" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
        "retracted_references": retracted,
        "retraction_exposure": retracted / len(references) if references else 0.0,
    }
    return {"manuscripts": [manuscript], "findings": findings, "references": references}


def error_rows(item: Item, error: str) -> dict[str, list[dict]]:
    """The record of a manuscript that could not be read or checked."""
    manuscript = {
        "manuscript": item.name,
        "path": item.path,
        "identifier": item.identifier,
        "status": "error",
        "error": error,
        "references": 0,
        "findings": 0,
        "errors": 0,
        "warnings": 0,
        "retracted_references": 0,
        "retraction_exposure": 0.0,
    }
    return {"manuscripts": [manuscript], "findings": [], "references": []}
