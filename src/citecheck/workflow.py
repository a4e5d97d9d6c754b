"""What each CLI command does, as plain functions: read inputs, resolve, check, write files.

Kept apart from cli.py so commands are testable without click and the library never prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citecheck.claims import ClaimRecord, callouts_from_claims, dump, extract_claims, load, merge
from citecheck.config import Config
from citecheck.files import InputError, atomic_write, backup, read_text_file
from citecheck.model import CheckResult, Manuscript
from citecheck.pipeline import build_project, check


@dataclass(frozen=True)
class NetworkOptions:
    """How (and whether) to reach Crossref and Europe PMC."""

    online: bool = False
    mailto: str = ""
    api_url: str = "https://api.crossref.org"
    cache: bool = True
    refresh: bool = False
    progress: bool = False


def run_check(
    config: Config,
    *,
    manuscript: str | None = None,
    refs: str | None = None,
    claims_path: str | None = None,
    lock_path: str | None = None,
    network: NetworkOptions = NetworkOptions(),
    abstracts: bool = False,
) -> CheckResult:
    """Everything `citecheck check` does, minus printing."""
    inputs: dict[str, str] = {}
    if manuscript:
        from citecheck.readers import read_manuscript

        doc = read_manuscript(manuscript, refs)
        inputs["manuscript"] = manuscript
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
    return check(build_project(doc, records), config, inputs, records)


def load_default(refs_file: str, claims_file: str) -> tuple[Manuscript, list[ClaimRecord]]:
    """The embedded default: the repository's bibliography and claims, no manuscript needed."""
    from citecheck.bib import read_bibtex

    references, unparsed = read_bibtex(read_text_file(refs_file), refs_file)
    records, _ = load(read_text_file(claims_file), claims_file)
    manuscript = Manuscript(
        path=refs_file,
        references=references,
        callouts=tuple(callouts_from_claims(records)),
        unparsed=unparsed,
        numbered=any(r.number is not None for r in references) or not references,
    )
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
    from citecheck.bib import references_to_bibtex
    from citecheck.readers import read_manuscript

    doc = read_manuscript(manuscript, None)
    saved = ""
    if Path(output).exists():
        if not force:
            raise InputError(
                output, None, "exists; pass --force to replace it (a .bak copy is kept)"
            )
        saved = str(backup(output))
    atomic_write(output, references_to_bibtex(doc.references))
    return len(doc.references), saved


def _entity_finder():
    """The claim entity recogniser (loaded lazily: it reads the bundled nomenclature)."""
    from citecheck.entities import extract_entities

    return extract_entities
