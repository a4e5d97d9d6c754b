"""What each CLI command does, as plain functions: read inputs, resolve, check, write files.

Kept apart from cli.py so commands are testable without click and the library never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.claims.claimsfile import (
    ClaimRecord,
    callouts_from_claims,
    dump,
    extract_claims,
    load,
    merge,
)
from citecheck.config import Config
from citecheck.files import InputError, atomic_write, backup, read_text_file
from citecheck.model import CheckResult, Manuscript, Resolution
from citecheck.pipeline import build_project, check


@dataclass(frozen=True)
class NetworkOptions:
    """How (and whether) to reach Crossref and Europe PMC."""

    online: bool = False
    mailto: str = ""
    api_url: str = "https://api.crossref.org"
    europepmc_url: str = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    cache: bool = True
    refresh: bool = False
    progress: bool = False
    index: str = ""  # a local metadata index, asked before any online source
    # Which metadata sources to ask (issue 10); the CLI's default is every source.
    sources: tuple[str, ...] = ("crossref",)
    pubmed_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    openalex_url: str = "https://api.openalex.org"
    datacite_url: str = "https://api.datacite.org"
    doi_url: str = "https://doi.org"
    ncbi_api_key: str = ""


def run_check(
    config: Config,
    *,
    manuscript: str | None = None,
    refs: str | None = None,
    claims_path: str | None = None,
    lock_path: str | None = None,
    network: NetworkOptions = NetworkOptions(),
    abstracts: bool = False,
    on_progress=None,
    text: str | None = None,
) -> CheckResult:
    """Everything `citecheck check` does, minus printing. `text`: a pasted manuscript or list
    (named by `manuscript`, default "<text>"), read instead of a file."""
    inputs: dict[str, str] = {}
    if text is not None:
        manuscript = manuscript or "<text>"
    if manuscript:
        from citecheck.references import reflist

        if text is not None:
            doc, list_only = reflist.read_pasted(text, manuscript)
        else:
            doc, list_only = reflist.read_input(manuscript, refs)
        if list_only:  # no running text: no citation rules (issue 12, "just a list")
            config = replace(config, disable=(*config.disable, *reflist.citation_rules()))
        inputs["manuscript"] = doc.path
        if refs:
            inputs["references"] = refs
        if claims_path:
            records, _ = load(read_text_file(claims_path), claims_path)
            inputs["claims"] = claims_path
        else:
            records = extract_claims(doc.callouts, _entity_finder())
    else:
        refs_file = refs or str(config.path("references"))
        claims_file = claims_path or str(config.path("claims"))
        doc, records = load_default(refs_file, claims_file)
        inputs.update(references=refs_file, claims=claims_file)
    if not reports_uncited(config, doc):
        config = replace(config, disable=(*config.disable, "uncited-reference"))
    lock_file = lock_path or str(config.path("lock"))
    resolutions = resolve_offline(doc, lock_file)
    if Path(lock_file).exists():
        inputs["lock"] = lock_file
    fetched = []
    if network.index:
        resolutions.update(resolve_from_index(doc.references, resolutions, network.index))
    if network.online:
        session = open_session(network)
        missing = [r for r in doc.references if r.number is not None and _unasked(resolutions, r)]
        resolutions.update(resolve_online(missing, network, session, on_progress))
        if abstracts:
            from citecheck.claims.support.collect import collect_evidence

            fetched = collect_evidence(doc.references, session, network.europepmc_url)
    resolutions = with_offline_retractions(doc.references, resolutions)
    return check_manuscript(config, doc, records, resolutions, inputs, lock_file, fetched)


def check_manuscript(
    config: Config, doc: Manuscript, records, resolutions, inputs, lock_file: str = "", fetched=()
) -> CheckResult:
    """The rules on a read manuscript with its resolutions (shared by `check` and `batch`)."""
    from citecheck.claims.support.store import with_stored
    from citecheck.rules.claims import claim_verdicts

    evidence = gather_evidence(doc, resolutions, {})
    if lock_file:
        evidence = with_stored(evidence, lock_file, doc.references, list(fetched))
    project = build_project(doc, records, resolutions, evidence)
    return check(project, config, inputs, records, claim_verdicts(project))


def with_offline_retractions(references, resolutions: dict[int, Resolution]):
    """Retraction Watch notices from `citecheck retractions update`'s cache, without a request."""
    from citecheck.resolve.retractions import RetractionDB

    db = RetractionDB.cached()
    return db.annotate(references, resolutions) if db is not None else resolutions


def reports_uncited(config: Config, doc: Manuscript) -> bool:
    """uncited-reference is for printed lists; for a bibliography database (.bib, CSL JSON),
    whose uncited entries BibTeX and Pandoc never print, only when asked (--report-uncited,
    `report_uncited = true`)."""
    if config.report_uncited is not None:
        return config.report_uncited
    return not doc.bibliography_is_database


def resolve_offline(doc: Manuscript, lock_file: str) -> dict[int, Resolution]:
    """What the lock file says about each reference (re-matched, so edited entries still link)."""
    if not Path(lock_file).exists():
        return {}
    from citecheck.resolve.lock import load_lock, resolutions_from_lock

    return resolutions_from_lock(doc.references, load_lock(lock_file))


def open_session(network: NetworkOptions):
    """One HTTP session (cached unless --no-cache) shared by Crossref and Europe PMC."""
    from citecheck.resolve.sources.crossref import user_agent
    from citecheck.resolve.sources.http import make_session

    return make_session(
        cache=network.cache, refresh=network.refresh, user_agent=user_agent(network.mailto or None)
    )


def resolve_online(
    refs, network: NetworkOptions, session, on_progress=None
) -> dict[int, Resolution]:
    """Resolve references against Crossref, politely and concurrently; failures are verdicts."""
    from citecheck.resolve.match import resolve_reference
    from citecheck.resolve.resolver import resolve_all
    from citecheck.resolve.sources.crossref import CrossrefClient

    client = CrossrefClient(
        base_url=network.api_url, mailto=network.mailto or None, session=session
    )
    if tuple(network.sources) != ("crossref",):
        from citecheck.resolve.sources.multi import resolve_with_sources

        on_request = getattr(on_progress, "source", None)
        return resolve_with_sources(refs, network, session, client, on_progress, on_request)
    return resolve_all(
        refs,
        lambda ref: resolve_reference(ref, client),
        concurrency=client.concurrency,
        on_progress=on_progress,
    )


def resolve_from_index(references, resolutions, index_path: str) -> dict[int, Resolution]:
    """The local index's answers for references no lock entry matched (`--index`)."""
    from citecheck.resolve.index.lookup import IndexSource, resolve_with_index

    index = IndexSource(index_path)
    return {
        r.number: resolve_with_index(r, index)
        for r in references
        if r.number is not None and _unmatched(resolutions.get(r.number))
    }


def gather_evidence(
    doc: Manuscript, resolutions, abstracts
) -> dict[int, tuple[tuple[str, str], ...]]:
    """Per reference, the texts a claim is checked against (title, record, abstract)."""
    from citecheck.claims.evidence import evidence_for

    return {
        r.number: evidence_for(r, resolutions.get(r.number), abstracts.get(r.number))
        for r in doc.references
        if r.number is not None
    }


def resolve_lock(
    config: Config,
    *,
    manuscript: str | None,
    refs: str | None,
    lock_path: str | None,
    network: NetworkOptions,
    on_progress=None,
    evidence: bool = False,
) -> tuple[int, dict[str, int]]:
    """`citecheck resolve`: refresh the lock for the current references; (entries, verdict counts).

    Offline it re-links every reference to its locked record and drops entries of removed
    references; with --online it asks Crossref about references the lock lacks (all of them
    with --refresh), and a failed lookup never replaces a known answer.
    """
    from citecheck.resolve.lock import Lock, load_lock, save_lock, update_lock

    doc = references_of(config, manuscript, refs)
    lock_file = lock_path or str(config.path("lock"))
    lock = load_lock(lock_file) if Path(lock_file).exists() else Lock(())
    resolutions = resolve_offline(doc, lock_file)
    if lock.entries and doc.references and not _describes(lock, doc, resolutions):
        raise InputError(
            lock_file,
            None,
            f"belongs to another manuscript (none of its {len(lock.entries)} entries fits "
            "these references); give this manuscript its own lock with --lock",
        )
    wanted = [
        r
        for r in doc.references
        if r.number is not None and (network.refresh or _unmatched(resolutions.get(r.number)))
    ]
    if network.index:  # the local index first; online sources only for what it lacks
        from_index = resolve_from_index(wanted, {}, network.index)
        resolutions.update(
            {n: res for n, res in from_index.items() if network.online or not _unmatched(res)}
        )
        wanted = [r for r in wanted if _unmatched(from_index.get(r.number))]
    if network.online:
        session = open_session(network)
        fresh = resolve_online(wanted, network, session, on_progress)
        resolutions.update(fresh)
        if evidence:
            record_evidence(doc, lock_file, session, network.europepmc_url)
    updated = update_lock(lock, doc.references, resolutions)
    save_lock(updated, lock_file)
    counts: dict[str, int] = {}
    for entry in updated.entries:
        counts[entry.resolution.verdict.value] = counts.get(entry.resolution.verdict.value, 0) + 1
    return len(updated.entries), counts


def identity_counts(lock_file: str) -> dict[str, int]:
    """How many locked references have each identity verdict (issue 10); {} without any."""
    from citecheck.resolve.lock import load_lock

    counts: dict[str, int] = {}
    for entry in load_lock(lock_file).entries if Path(lock_file).exists() else ():
        if entry.resolution.identity is not None:
            verdict = entry.resolution.identity.verdict
            counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def _describes(lock, doc: Manuscript, resolutions: dict[int, Resolution]) -> bool:
    """Whether a lock was written for this manuscript: some entry fits by key, text or record."""
    return bool(resolutions) or any(lock.entry_for(r) is not None for r in doc.references)


def record_evidence(doc: Manuscript, lock_file: str, session, europepmc_url: str) -> int:
    """`resolve --online --abstracts`: record Europe PMC abstracts and open-access full text
    next to the lock (replacing what that source recorded before); the number of entries."""
    from citecheck.claims.support.collect import collect_evidence
    from citecheck.claims.support.store import evidence_path, load_evidence, merge, save_evidence

    path = evidence_path(lock_file)
    old = load_evidence(path) if path.exists() else ()
    fresh = collect_evidence(doc.references, session, europepmc_url)
    save_evidence(merge(old, fresh), path)
    return len(fresh)


def references_of(config: Config, manuscript: str | None, refs: str | None) -> Manuscript:
    """A manuscript's references, or with no manuscript the repository's bibliography."""
    if manuscript:
        from citecheck.readers import read_manuscript

        return read_manuscript(manuscript, refs)
    return read_bibliography(refs or str(config.path("references")))


def read_bibliography(refs_file: str) -> Manuscript:
    """A BibTeX file as a Manuscript with references and no callouts."""
    from citecheck.bibliography.bib import read_bibtex

    references, unparsed = read_bibtex(read_text_file(refs_file), refs_file)
    numbered = any(r.number is not None for r in references) or not references
    # Every entry numbered (`refnumber`, as `refs extract` writes): a printed list in BibTeX.
    database = any(r.number is None for r in references)
    return Manuscript(
        path=refs_file,
        references=references,
        unparsed=unparsed,
        numbered=numbered,
        bibliography_is_database=database,
    )


def load_default(refs_file: str, claims_file: str) -> tuple[Manuscript, list[ClaimRecord]]:
    """The embedded default: the repository's bibliography and claims, no manuscript needed."""
    for needed in (refs_file, claims_file):
        if not Path(needed).exists():
            raise InputError(
                needed,
                None,
                "no such file (with no MANUSCRIPT, citecheck checks the repository's "
                "bibliography and claims; give a manuscript file, or set the paths in "
                "[tool.citecheck])",
            )
    records, _ = load(read_text_file(claims_file), claims_file)
    bibliography = read_bibliography(refs_file)
    manuscript = replace(bibliography, callouts=tuple(callouts_from_claims(records)))
    return manuscript, records


def extract_claims_file(manuscript: str, refs: str | None, output: str) -> tuple[int, int]:
    """Write claims.yaml for a manuscript, merging into an existing file; (claims, kept)."""
    from citecheck.readers import read_manuscript

    doc = read_manuscript(manuscript, refs)
    records = extract_claims(doc.callouts, _entity_finder())
    kept = 0
    if Path(output).exists():
        old, _ = load(read_text_file(output), output)
        old_ids = {r.claim.id for r in old}
        records = merge(old, records)
        kept = sum(1 for r in records if r.claim.id in old_ids)
    atomic_write(output, dump(records, manuscript))
    return len(records), kept


def extract_refs_file(manuscript: str, output: str, *, force: bool = False) -> tuple[int, str]:
    """Parse the manuscript's list into BibTeX; an existing file is replaced only with force."""
    from citecheck.bibliography.bib import references_to_bibtex
    from citecheck.readers import read_manuscript

    doc = read_manuscript(manuscript, None)
    saved = ""
    if Path(output).is_file():  # a device (-o /dev/null) is written as a stream, no backup
        if not force:
            raise InputError(
                output, None, "exists; pass --force to replace it (a .bak copy is kept)"
            )
        saved = str(backup(output))
    atomic_write(output, references_to_bibtex(doc.references))
    return len(doc.references), saved


def _entity_finder():
    """The claim entity recogniser (loaded lazily: it reads the bundled nomenclature)."""
    from citecheck.claims.entities import extract_entities

    return extract_entities


def _unasked(resolutions: dict[int, Resolution], ref) -> bool:
    """No source has answered for this reference yet (absent, or the lock no longer fits);
    the local index's "not found" still leaves the online sources to ask."""
    from citecheck.model import Verdict

    found = resolutions.get(ref.number)
    if found is not None and found.source == "local-index":
        return found.verdict is not Verdict.MATCHED
    return found is None or found.verdict is Verdict.UNRESOLVED


def _unmatched(resolution: Resolution | None) -> bool:
    from citecheck.model import Verdict

    return resolution is None or resolution.verdict is not Verdict.MATCHED


def fix_bibliography(
    config: Config,
    *,
    refs: str | None,
    lock_path: str | None,
    output: str | None,
    in_place: bool,
    level: str = "all",
) -> int:
    """`citecheck bib --fix`: corrected BibTeX from matched records; returns fields changed."""
    from citecheck.bibliography.fix import write_fixed_bib

    path, resolutions = _fix_resolutions(config, refs, lock_path)
    fixes = write_fixed_bib(path, resolutions, output, in_place=in_place, level=level)
    return sum(len(f.changes) for f in fixes)


def _fix_resolutions(config: Config, refs: str | None, lock_path: str | None):
    """The .bib to fix and its locked resolutions, entries numbered in file order when the
    .bib has no `refnumber` (as fix.fixed_text numbers them)."""
    from citecheck.readers.keyed import number_in_order

    doc = references_of(config, None, refs)
    doc = replace(doc, references=number_in_order(doc.references))
    return doc.path, resolve_offline(doc, lock_path or str(config.path("lock")))


def fix_diff(config: Config, *, refs: str | None, lock_path: str | None, level: str) -> str:
    """`citecheck bib --fix --diff`: the fix as a unified diff of the .bib; nothing written."""
    return fix_preview(config, refs=refs, lock_path=lock_path, level=level)[0]


def fix_preview(config: Config, *, refs: str | None, lock_path: str | None, level: str):
    """(unified diff, the entries' fixes) of `bib --fix` at `level`; nothing written."""
    from citecheck.bibliography.fix import fixed_text, unified_diff

    path, resolutions = _fix_resolutions(config, refs, lock_path)
    _encoding, before, after, fixes = fixed_text(path, resolutions, level)
    return unified_diff(path, before, after), fixes


def styled_bibliography(
    config: Config,
    *,
    manuscript: str | None,
    refs: str | None,
    lock_path: str | None,
    style: str,
    fmt: str,
    corrected: bool = True,
) -> str:
    """`citecheck bib --style`: the list in a citation style, corrected from the lock if asked."""
    from citecheck.bibliography.styles import render_bibliography

    doc = references_of(config, manuscript, refs)
    references = doc.references
    if corrected:
        resolutions = resolve_offline(doc, lock_path or str(config.path("lock")))
        references = corrected_references(references, resolutions, doc.path)
    return render_bibliography(references, style, fmt)


def corrected_references(references, resolutions, path: str):
    """References with matched records' corrections applied (the same fixes `bib --fix` writes)."""
    from citecheck.bibliography.bib import read_bibtex, references_to_bibtex
    from citecheck.bibliography.fix import apply_fixes, fix_references

    fixes = fix_references(references, resolutions)
    if not fixes:
        return references
    fixed, _ = read_bibtex(apply_fixes(references_to_bibtex(references), fixes), path)
    return fixed
