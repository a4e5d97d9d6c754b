"""What each MCP tool does, as plain functions returning JSON-ready data.

Nothing here writes a file: checks read the manuscript and the lock, lookups ask the lock
(and, only when the server was started with --online, the metadata sources without an HTTP
cache, which would be a file). Bad input raises citecheck's InputError/ReaderError, whose
one-line message the server returns as the tool's error; a bad argument raises ValueError.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.config import Config
from citecheck.model import CheckResult, Location, Reference, Resolution, Verdict, Work
from citecheck.workflow import NetworkOptions

PASTED_NAME = "<text>"
REPORT_FORMATS = ("json", "markdown", "text", "sarif", "junit", "github")
# A sentence names a claim when it is this similar to the claim's text (after normalising).
SENTENCE_SIMILARITY = 0.85


@dataclass(frozen=True)
class AgentOptions:
    """What the server was started with: configuration, lock, and whether it may go online."""

    config: Config
    network: NetworkOptions = field(default_factory=lambda: NetworkOptions(cache=False))
    lock_path: str = ""  # default: the configuration's lock (refs/references.lock.json)

    @property
    def lock(self) -> str:
        return self.lock_path or str(self.config.path("lock"))


# --------------------------------------------------------------------------- check


def check_manuscript(
    options: AgentOptions,
    path: str = "",
    text: str = "",
    refs: str = "",
    report_format: str = "json",
) -> dict[str, Any]:
    """`citecheck check` on a file or on pasted text (a manuscript or only a reference list)."""
    result = _check(options, path, text, refs)
    if report_format == "json":
        from citecheck.reports.json_report import document

        return document(result)
    if report_format not in REPORT_FORMATS:
        raise ValueError(f"unknown format {report_format!r}; one of {', '.join(REPORT_FORMATS)}")
    from citecheck.reports import WRITERS

    return {"format": report_format, "report": WRITERS[report_format](result)}


def _check(options: AgentOptions, path: str, text: str, refs: str) -> CheckResult:
    from citecheck.workflow import run_check

    if bool(path) == bool(text):
        raise ValueError("give either path (a manuscript file) or text (pasted), not both")
    if text:
        _within_limit(text)
    return run_check(
        options.config,
        manuscript=path or PASTED_NAME,
        refs=refs or None,
        lock_path=options.lock,
        network=options.network,
        text=text or None,
    )


def _within_limit(text: str) -> None:
    from citecheck.files import InputError
    from citecheck.limits import active

    limit = active().max_input_bytes
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # JSON may carry a lone surrogate ("\ud800")
        line = text.count("\n", 0, error.start) + 1
        bad = f"U+{ord(text[error.start]):04X}"
        raise InputError(PASTED_NAME, line, f"holds a lone surrogate ({bad}), not text") from None
    if size > limit:
        raise InputError(PASTED_NAME, None, f"is over the {limit / 2**20:g} MB input limit")


# --------------------------------------------------------------------------- explain


def explain_rule(rule: str) -> dict[str, Any]:
    """A rule's page (by slug or code): explain.page's text, never a copy of it; the registry
    description alone when the package has no page for the rule."""
    from citecheck.explain import UnknownRule, has_page, page
    from citecheck.rules import find_rule

    found = find_rule(rule.strip())
    if found is None:
        try:
            page(rule)  # raises UnknownRule naming the nearest rule
        except UnknownRule as error:
            raise ValueError(str(error)) from None
    answer = {
        "rule": found.slug,
        "code": found.code,
        "severity": found.severity.label,
        "area": found.area,
        "description": found.description,
    }
    if has_page(found.slug):
        answer["page"] = page(found.slug)
    return answer


RULES_URI = "citecheck://rules"


def rule_catalogue() -> dict[str, Any]:
    """Every rule: slug, code, default severity, area, one-line description and the URI of
    its page (the resource `citecheck://rules/{slug}`), as `citecheck rules --format json`."""
    from citecheck.rules import RULES

    return {
        "rules": [
            {
                "slug": r.slug,
                "code": r.code,
                "severity": r.severity.label,
                "area": r.area,
                "description": r.description,
                "page": f"{RULES_URI}/{r.slug}",
            }
            for r in RULES
        ]
    }


def rule_page(rule: str) -> str:
    """A rule's Markdown page by slug or code (explain_rule's `page`); an unknown name is a
    ValueError naming the nearest rule."""
    answer = explain_rule(rule)
    if "page" in answer:
        return answer["page"]
    return f"# {answer['rule']} ({answer['code']})\n\n{answer['description']}\n"


# --------------------------------------------------------------------------- bib --fix


def propose_bib_fixes(
    options: AgentOptions, refs: str = "", level: str = "safe"
) -> dict[str, Any]:
    """`citecheck bib --fix --diff`: the corrections the matched records give for a .bib, as
    a unified diff and one row per changed field; nothing is written."""
    from citecheck.bibliography.fix import LEVELS
    from citecheck.workflow import fix_preview

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    diff, fixes = fix_preview(
        options.config, refs=refs or None, lock_path=options.lock, level=level
    )
    changes = [
        {
            "key": fix.key,
            "number": fix.number,
            "source": fix.source,
            "field": change.field,
            "original": change.original,
            "corrected": change.corrected,
        }
        for fix in fixes
        for change in fix.changes
    ]
    return {
        "refs": refs or str(options.config.path("references")),
        "level": level,
        "changes": changes,
        "diff": diff,
    }


# --------------------------------------------------------------------------- look up


def lookup_reference(options: AgentOptions, query: str) -> dict[str, Any]:
    """A DOI, PMID, PMCID, arXiv id, title or whole reference string, resolved to its record.

    The lock answers first (matched by identifier, or by search + validation as a check
    matches entries), then a local index (--index); online (server --online), `bib fetch`'s
    lookup asks the sources, and a title several works carry lists them instead of choosing.
    Only a matched record gives BibTeX, built from the record (fetch.to_reference), never
    from the query.
    """
    from citecheck.bibliography.fetch import FetchError, parse_query

    text = " ".join(query.split())
    ref = query_reference(text)
    try:
        parsed = parse_query(_identifier(ref) or text)
    except FetchError as error:
        raise ValueError(str(error)) from None
    answer: dict[str, Any] = {"query": text, "kind": parsed.kind}
    locked = _from_lock(options, ref)
    if locked is not None:
        origin = f"lock ({locked.source or 'recorded'})"
        return answer | _matched(locked.work, parsed, origin, locked.retrieved, locked.detail)
    indexed = _from_index(options, ref)
    if indexed is not None:
        return answer | _matched(indexed.work, parsed, indexed.source, "", indexed.detail)
    if not options.network.online:
        return answer | {"verdict": "cannot-look-up", "detail": _offline_reason(options)}
    return answer | _fetched(parsed, options)


def query_reference(text: str) -> Reference:
    """The query as a reference entry: an identifier, else its parsed fields, else a title."""
    from citecheck.bibliography.fetch import FetchError, parse_query
    from citecheck.references.refparse import parse_reference

    where = Location("<query>")
    try:
        parsed = parse_query(text)
    except FetchError:
        parsed = None
    if parsed is not None and parsed.kind != "title":
        return Reference("query", text, where, 1, **{parsed.kind: parsed.value})
    ref = parse_reference(text, number=1, location=where, key="query")
    if ref.doi or ref.pmid or ref.authors or ref.year:
        return ref
    return Reference("query", text, where, 1, title=text.rstrip("."))


def _identifier(ref: Reference) -> str:
    """The identifier a reference string carries, for the sources (`doi:...`, `pmid:...`)."""
    if ref.doi:
        return f"doi:{ref.doi}"
    if ref.pmid:
        return f"pmid:{ref.pmid}"
    return ref.title if ref.authors or ref.year else ""


def _from_lock(options: AgentOptions, ref: Reference) -> Resolution | None:
    """The locked record this query names (identifier, else search + validation), if any."""
    from citecheck.resolve.match import resolve_reference

    lock = _load_lock(options.lock)
    if lock is None:
        return None
    from citecheck.resolve.lock import LockSource

    source = LockSource(lock)
    by_id = _by_identifier(lock, ref)
    if by_id is not None:
        return by_id
    found = resolve_reference(ref, source, now=lambda: "")
    origin = source.entry_with_work(found.work) if found.work is not None else None
    if found.verdict is not Verdict.MATCHED or origin is None:
        return None
    return origin.resolution


def _from_index(options: AgentOptions, ref: Reference) -> Resolution | None:
    """The local metadata index's record (server --index), matched as `check --index` does."""
    if not options.network.index:
        return None
    from citecheck.resolve.index.lookup import IndexSource, resolve_with_index

    found = resolve_with_index(ref, IndexSource(options.network.index))
    return found if found.verdict is Verdict.MATCHED and found.work is not None else None


def _by_identifier(lock, ref: Reference) -> Resolution | None:
    """A locked record with the query's PMID or PMCID (LockSource knows DOIs and text)."""
    for entry in lock.entries:
        work = entry.resolution.work
        if work is None:
            continue
        if (ref.pmid and work.pmid == ref.pmid) or (
            ref.pmcid and work.pmcid.upper() == ref.pmcid.upper()
        ):
            return entry.resolution
    return None


def _load_lock(path: str):
    if not Path(path).is_file():
        return None
    from citecheck.resolve.lock import load_lock

    return load_lock(path)


def _offline_reason(options: AgentOptions) -> str:
    if Path(options.lock).is_file():
        known = f"the lock {options.lock} has no record for it"
    else:
        known = f"there is no lock file ({options.lock})"
    return f"offline: {known}; start the server with --online to ask the metadata sources"


def _fetched(parsed, options: AgentOptions) -> dict[str, Any]:
    """What `bib fetch` finds online: one record, several candidates, or none."""
    from citecheck.bibliography.fetch import FetchError, fetch_online

    try:
        fetched = fetch_online(
            f"{parsed.kind}:{parsed.value}" if parsed.kind != "title" else parsed.value,
            options.network,
        )
    except FetchError as error:
        return {"verdict": "lookup-failed", "detail": str(error)}
    failed = "; ".join(fetched.failed)
    if len(fetched.works) == 1:
        ((work, source),) = fetched.works
        return _matched(work, parsed, source, _today(), failed)
    if fetched.works:
        return {
            "verdict": "ambiguous",
            "detail": f"{len(fetched.works)} works match; look one up by its identifier",
            "candidates": [_candidate(work, source) for work, source in fetched.works],
        }
    asked = ", ".join(fetched.asked)
    return {
        "verdict": "not-found",
        "detail": f"asked {asked}; none has it" + (f" ({failed})" if failed else ""),
    }


def _matched(work: Work, parsed, source: str, retrieved: str, detail: str) -> dict[str, Any]:
    from citecheck.bibliography.bib import references_to_bibtex
    from citecheck.bibliography.fetch import to_reference

    when = f", retrieved {retrieved}" if retrieved else ""
    entry = references_to_bibtex([to_reference(work, parsed)])
    return {
        "verdict": "matched",
        "source": source,
        "retrieved": retrieved,
        "detail": detail,
        "doi": work.doi,
        "bibtex": f"% {source} record{when}\n{entry}",
    }


def _candidate(work: Work, source: str) -> dict[str, Any]:
    return {
        "doi": work.doi,
        "pmid": work.pmid,
        "title": work.title,
        "first_author": work.authors[0].family if work.authors else "",
        "year": work.year,
        "journal": work.container_title or work.short_container_title,
        "source": source,
    }


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- claims


def claim_evidence(
    options: AgentOptions, path: str, claim_id: str = "", sentence: str = ""
) -> dict[str, Any]:
    """A claim's sentence and, per cited work, the verdict with the quoted evidence."""
    if bool(claim_id) == bool(sentence):
        raise ValueError("give either claim_id (such as c003) or sentence, not both")
    from citecheck.reports.json_report import document

    result = _check(options, path, "", "")
    claims = {c.id: c for c in result.claims}
    chosen = claim_id.strip() if claim_id else _claim_with_sentence(result, sentence)
    if chosen not in claims:
        known = ", ".join(list(claims)[:5]) or "none"
        raise ValueError(f"{path} has no claim {chosen!r} (claims: {known}...)")
    view = next(c for c in document(result)["claims"] if c["id"] == chosen)
    return {"claim_id": chosen, "sentence": claims[chosen].text, **_evidence_of(view)}


def _evidence_of(view: dict[str, Any]) -> dict[str, Any]:
    keep = ("location", "citations", "keys", "author_mention", "entities", "findings", "support")
    return {k: view[k] for k in keep}


def _claim_with_sentence(result: CheckResult, sentence: str) -> str:
    """The one claim whose text is (or contains, or closely matches) the sentence."""
    wanted = _plain(sentence)
    texts = {c.id: _plain(c.text) for c in result.claims if c.text}
    exact = [i for i, t in texts.items() if wanted == t or (len(wanted) > 20 and wanted in t)]
    if not exact:
        exact = [
            i
            for i, t in texts.items()
            if difflib.SequenceMatcher(None, wanted, t).ratio() >= SENTENCE_SIMILARITY
        ]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise ValueError("no claim has that sentence; pass claim_id (see check_manuscript)")
    raise ValueError(f"several claims match that sentence ({', '.join(exact)}); pass claim_id")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
