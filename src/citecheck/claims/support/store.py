"""Evidence recorded next to the lock: what each cited work says, kept for offline checks.

`refs/references.lock.json` -> `refs/references.evidence.json`. Per reference: number, DOI,
source ("recorded", "europepmc"...), identifier, licence if known, time, kind (abstract or a
full-text section), whether it is partial, and the text split into sentences. `check`
without --online reads it, so claim-support verdicts are repeatable. A partial abstract is
labelled as such: what it lacks is unknown, never evidence against a claim.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from citecheck.files import InputError, atomic_write, read_input_bytes
from citecheck.model import Reference
from citecheck.safeload import load_json

VERSION = 1


@dataclass(frozen=True)
class StoredEvidence:
    number: int
    source: str  # "recorded" (transcribed by hand), "europepmc"
    kind: str  # "abstract", or "fulltext:<section>" (results, discussion)
    sentences: tuple[str, ...]
    doi: str = ""
    identifier: str = ""  # where it came from: a URL, PMID or PMCID
    licence: str = ""
    retrieved: str = ""  # ISO 8601
    partial: bool = False

    @property
    def label(self) -> str:
        """The evidence label rules and reports show: "abstract:recorded", "fulltext:...".."""
        kind = self.kind if self.kind.startswith("fulltext") else "abstract"
        label = f"{kind}:{self.source}"
        return label + " (partial)" if self.partial else label


def evidence_path(lock_file: str | Path) -> Path:
    """The evidence file that goes with a lock file."""
    lock = Path(lock_file)
    name = lock.name.removesuffix(".json").removesuffix(".lock")
    return lock.with_name(name + ".evidence.json")


def load_evidence(path: str | Path) -> tuple[StoredEvidence, ...]:
    """Read an evidence file; InputError naming the file when it is not one."""
    path = Path(path)
    try:
        text = read_input_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), None, "not UTF-8 text") from None
    document = load_json(text, str(path))  # bounded: size, depth, NaN, huge numbers
    if not isinstance(document, dict) or not isinstance(document.get("evidence"), list):
        raise InputError(str(path), 1, "expected a mapping with an 'evidence' list")
    entries = []
    for item in document["evidence"]:
        try:
            entries.append(
                StoredEvidence(
                    number=int(item["number"]),
                    source=str(item["source"]),
                    kind=str(item.get("kind") or "abstract"),
                    sentences=tuple(str(s) for s in item["sentences"]),
                    doi=str(item.get("doi") or ""),
                    identifier=str(item.get("identifier") or ""),
                    licence=str(item.get("licence") or ""),
                    retrieved=str(item.get("retrieved") or ""),
                    partial=bool(item.get("partial")),
                )
            )
        except (KeyError, TypeError, ValueError):
            raise InputError(
                str(path), None, "each evidence entry needs number, source and sentences"
            ) from None
    return tuple(entries)


def save_evidence(entries: Sequence[StoredEvidence], path: str | Path) -> None:
    """Write entries in a stable order (by number, then kind), atomically."""
    ordered = sorted(entries, key=lambda e: (e.number, e.kind, e.source))
    document = {"version": VERSION, "evidence": [asdict(e) for e in ordered]}
    atomic_write(Path(path), json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def stored_for(
    entries: Sequence[StoredEvidence], references: Sequence[Reference]
) -> dict[int, tuple[tuple[str, str], ...]]:
    """(label, text) per reference number; an entry whose DOI disagrees with the entry's is
    skipped (the list was renumbered since it was recorded)."""
    by_number = {r.number: r for r in references if r.number is not None}
    found: dict[int, list[tuple[str, str]]] = {}
    for e in entries:
        ref = by_number.get(e.number)
        if ref is None or (e.doi and ref.doi and e.doi.lower() != ref.doi.lower()):
            continue
        found.setdefault(e.number, []).append((e.label, " ".join(e.sentences)))
    return {n: tuple(texts) for n, texts in found.items()}


def merge(old: Sequence[StoredEvidence], fresh: Sequence[StoredEvidence]) -> list[StoredEvidence]:
    """Fresh entries replace old ones of the same reference, source and kind."""
    replaced = {(e.number, e.source, e.kind) for e in fresh}
    return [e for e in old if (e.number, e.source, e.kind) not in replaced] + list(fresh)


def with_stored(
    evidence: Mapping[int, tuple[tuple[str, str], ...]],
    lock_file: str | Path,
    references: Sequence[Reference],
    fetched: Sequence[StoredEvidence] = (),
) -> dict[int, tuple[tuple[str, str], ...]]:
    """The gathered evidence plus what the evidence file next to the lock recorded (and what
    was just fetched online, which replaces the recorded entry of the same kind)."""
    path = evidence_path(lock_file)
    merged = dict(evidence)
    stored = load_evidence(path) if path.exists() else ()
    for number, texts in stored_for(merge(stored, fetched), references).items():
        have = {text for _, text in merged.get(number, ())}
        merged[number] = merged.get(number, ()) + tuple(t for t in texts if t[1] not in have)
    return merged
