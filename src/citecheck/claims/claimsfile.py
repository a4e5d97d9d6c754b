"""claims/claims.yaml: one record per citing sentence -- build, load, save, and merge edits.

Schema (version 3; version 2 had no `text`, `relations`, `study`; version 1 no `entities`):

    schema_version: 3
    manuscript: path/to/manuscript.txt
    claims:
      - id: c001                   # stable across re-extraction
        location: {path: ..., line: 71, column: 35}
        citations: [26]            # reference numbers (or `keys: [...]` for key styles)
        author_mention: Cheng      # the name written before the callout, as written
        context: text              # text | table (tables/legends are not running text)
        paraphrase: ...            # short, in our own words; never the original sentence
        fingerprint: 1a2b3c4d5e6f  # hash of the sentence, to re-find it after edits
        entities: [{text: miR-21, type: mirna, normalized: mir-21}]
        text: ...                  # v3: the citing sentence without its callouts, as written
        paraphrase_by: person      # v3: only when a person wrote `paraphrase` (it then stands
                                   #     in for a Chinese `text` when checking claim support)
        relations: [{subject: miR-21, predicate: targets, object: PTEN, direction: target}]
        study: [exosome, animal]   # v3: the kind of evidence the claim credits the work with
        ignore: [rule-slug, ...]   # optional, per-claim suppressions

People edit `paraphrase`, `entities`, `ignore` and may add any other key; `claims extract`
keeps those when it re-extracts into an existing file. A v2 file still loads (its claims have
no text, so they get no support verdict until re-extracted); `claims extract` writes v3.
`relations` and `study` are derived from `text` at extraction for people to read; checks
derive them again from `text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from citecheck.files import InputError
from citecheck.model import Callout, Claim, Entity, Location

SCHEMA_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)

EntityFinder = Callable[[str], Sequence[Entity]]


@dataclass(frozen=True)
class ClaimRecord:
    """A claim plus the bookkeeping that lives only in the YAML file."""

    claim: Claim
    context: str = "text"
    fingerprint: str = ""
    ignore: tuple[str, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()  # keys a person added; written back untouched


def extract_claims(
    callouts: Iterable[Callout], find_entities: EntityFinder | None = None
) -> list[ClaimRecord]:
    """Group callouts by sentence: one claim per citing sentence, in reading order."""
    groups: list[list[Callout]] = []
    for callout in callouts:
        if groups and _same_sentence(groups[-1][-1], callout):
            groups[-1].append(callout)
        else:
            groups.append([callout])
    records = []
    for index, group in enumerate(groups, start=1):
        first = group[0]
        numbers = tuple(dict.fromkeys(n for c in group for n in c.numbers))
        keys = tuple(dict.fromkeys(k for c in group for k in c.keys))
        mention = next((c.author_mention for c in group if c.author_mention), "")
        entities = tuple(find_entities(first.sentence)) if find_entities else ()
        claim = Claim(
            id=f"c{index:03d}",
            location=first.location,
            numbers=numbers,
            author_mention=mention,
            paraphrase=_synopsis(numbers, keys, mention, entities, first.in_running_text),
            entities=entities,
            keys=keys,
            text=claim_text(first.sentence, [c.text for c in group]),
        )
        records.append(
            ClaimRecord(
                claim, "text" if first.in_running_text else "table", fingerprint(first.sentence)
            )
        )
    return records


def auto_paraphrase(claim: Claim, running_text: bool = True) -> str:
    """A terse synopsis built from the claim's parts (who, what is cited, which entities).

    It is a placeholder for a person's paraphrase and never quotes the sentence.
    """
    return _synopsis(claim.numbers, claim.keys, claim.author_mention, claim.entities, running_text)


def _synopsis(
    numbers: tuple[int, ...],
    keys: tuple[str, ...],
    mention: str,
    entities: tuple[Entity, ...],
    running_text: bool,
) -> str:
    cites = ", ".join(f"[{n}]" for n in numbers) or ", ".join(keys)
    who = f"{mention} et al. {cites}" if mention else cites
    terms = ", ".join(dict.fromkeys(e.text for e in entities))
    if not running_text:
        return f"Table entry citing {cites}" + (f": {terms}" if terms else "")
    return f"{who} cited" + (f" on {terms}" if terms else "")


def fingerprint(sentence: str) -> str:
    """A short hash of the whitespace-folded sentence (the sentence itself is never stored)."""
    folded = " ".join(sentence.split())
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


def merge(old: Sequence[ClaimRecord], new: Sequence[ClaimRecord]) -> list[ClaimRecord]:
    """New extraction, keeping ids and human-edited fields of claims that still exist.

    A new claim matches an old one by sentence fingerprint, else by (citations, author
    mention) in order. A paraphrase is kept when a person changed it from the automatic one.
    """
    by_print = {r.fingerprint: r for r in old if r.fingerprint}
    by_cites: dict[tuple, list[ClaimRecord]] = {}
    for r in old:
        by_cites.setdefault((r.claim.numbers, r.claim.keys, r.claim.author_mention), []).append(r)
    used: set[str] = set()
    taken_ids = {r.claim.id for r in old}
    merged = []
    next_id = _next_free(taken_ids)
    for record in new:
        match = by_print.get(record.fingerprint)
        if match is None or match.claim.id in used:
            candidates = by_cites.get(
                (record.claim.numbers, record.claim.keys, record.claim.author_mention), []
            )
            match = next((c for c in candidates if c.claim.id not in used), None)
        if match is None:
            claim_id = next(next_id)
            merged.append(replace(record, claim=replace(record.claim, id=claim_id)))
            continue
        used.add(match.claim.id)
        merged.append(_keep_human_fields(record, match))
    return merged


def _keep_human_fields(new: ClaimRecord, old: ClaimRecord) -> ClaimRecord:
    claim = replace(new.claim, id=old.claim.id)
    edited = old.claim.paraphrase and old.claim.paraphrase != auto_paraphrase(
        old.claim, old.context == "text"
    )
    if edited:
        claim = replace(claim, paraphrase=old.claim.paraphrase)
    if old.claim.entities and not new.claim.entities:
        claim = replace(claim, entities=old.claim.entities)
    return replace(new, claim=claim, ignore=old.ignore, extra=old.extra)


def _next_free(taken: set[str]):
    n = 1
    while True:
        candidate = f"c{n:03d}"
        if candidate not in taken:
            taken.add(candidate)
            yield candidate
        n += 1


def dump(records: Sequence[ClaimRecord], manuscript: str) -> str:
    """The YAML text for claims.yaml: stable key order, Unicode kept readable."""
    claims = []
    for r in records:
        c = r.claim
        item: dict[str, Any] = {"id": c.id}
        item["location"] = {
            "path": c.location.path,
            "line": c.location.line,
            "column": c.location.column,
        }
        if c.keys:
            item["keys"] = list(c.keys)
        else:
            item["citations"] = list(c.numbers)
        item["author_mention"] = c.author_mention
        item["context"] = r.context
        item["paraphrase"] = c.paraphrase
        item["fingerprint"] = r.fingerprint
        item["entities"] = [
            {"text": e.text, "type": e.type, "normalized": e.normalized} for e in c.entities
        ]
        if r.ignore:
            item["ignore"] = list(r.ignore)
        item.update(_assertion(r))
        for key, value in r.extra:
            item[key] = value
        claims.append(item)
    document = {"schema_version": SCHEMA_VERSION, "manuscript": manuscript, "claims": claims}
    import yaml

    from citecheck.safeload import no_gc

    # libyaml's emitter when available (same text as the Python one, many times faster).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with no_gc():
        return yaml.dump(
            document,
            Dumper=dumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
            default_flow_style=None,
        )


@cache
def _line_loader() -> type:
    """A safe YAML loader that remembers the line of every mapping, for error messages.

    libyaml's C loader when PyYAML has it (10x faster), else the pure-Python one; both safe.
    Built on first use: `check MANUSCRIPT` never reads YAML and need not import PyYAML.
    """
    import yaml

    class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def mapping_with_line(loader, node):
        mapping = loader.construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping_with_line)
    return LineLoader


def load(text: str, path: str) -> tuple[list[ClaimRecord], str]:
    """Parse claims.yaml into records (and the manuscript path it names); InputError if bad.

    Through safeload (no YAML aliases, bounded depth); linear in the number of claims.
    """
    from citecheck.safeload import load_yaml

    document = load_yaml(text, path, loader=_line_loader())
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise InputError(path, 1, "expected a mapping with a 'claims' list")
    version = document.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:  # True == 1 in Python
        raise InputError(
            path, 1, f"unsupported schema_version {version!r} (expected 1 to {SCHEMA_VERSION})"
        )
    records = [_record(item, path) for item in document["claims"]]
    seen: set[str] = set()
    for record in records:
        if record.claim.id in seen:
            raise InputError(path, None, f"duplicate claim id {record.claim.id}")
        seen.add(record.claim.id)
    return records, str(document.get("manuscript") or "")


_KNOWN = {
    "id",
    "location",
    "citations",
    "keys",
    "author_mention",
    "context",
    "paraphrase",
    "fingerprint",
    "entities",
    "ignore",
    "text",
    "paraphrase_by",
    "relations",
    "study",
    "__line__",
}


def _record(item: Any, path: str) -> ClaimRecord:
    if not isinstance(item, dict):
        raise InputError(path, None, "each claim must be a mapping")
    line = item.get("__line__")

    def bad(message: str) -> InputError:
        return InputError(path, line, message)

    claim_id = item.get("id")
    if not isinstance(claim_id, str) or not claim_id:
        raise bad("claim without an 'id'")
    numbers = item.get("citations", [])
    if not isinstance(numbers, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in numbers
    ):
        raise bad(f"claim {claim_id}: 'citations' must be a list of reference numbers")
    keys = item.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise bad(f"claim {claim_id}: 'keys' must be a list of citation keys")
    loc = item.get("location") or {}
    if not isinstance(loc, dict):
        raise bad(f"claim {claim_id}: 'location' must be a mapping")
    location = Location(
        str(loc.get("path") or path), _int_or_none(loc.get("line")), _int_or_none(loc.get("column"))
    )
    entities = []
    for e in item.get("entities") or []:
        if not isinstance(e, dict) or not e.get("text"):
            raise bad(f"claim {claim_id}: each entity needs 'text', 'type' and 'normalized'")
        entities.append(
            Entity(str(e["text"]), str(e.get("type", "")), str(e.get("normalized", e["text"])))
        )
    ignore = item.get("ignore") or []
    if not isinstance(ignore, list):
        raise bad(f"claim {claim_id}: 'ignore' must be a list of rule names")
    claim = Claim(
        id=claim_id,
        location=location,
        numbers=tuple(numbers),
        author_mention=str(item.get("author_mention") or ""),
        paraphrase=str(item.get("paraphrase") or ""),
        entities=tuple(entities),
        keys=tuple(keys),
        text=str(item.get("text") or ""),
    )
    if item.get("paraphrase_by") == "person":
        extra_person: tuple[tuple[str, Any], ...] = (("paraphrase_by", "person"),)
    else:
        extra_person = ()
    extra = extra_person + tuple((k, _strip_lines(v)) for k, v in item.items() if k not in _KNOWN)
    return ClaimRecord(
        claim,
        context=str(item.get("context") or "text"),
        fingerprint=str(item.get("fingerprint") or ""),
        ignore=tuple(str(i) for i in ignore),
        extra=extra,
    )


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def callouts_from_claims(records: Sequence[ClaimRecord]) -> list[Callout]:
    """Rebuild callouts from claims, for checking the repository's own refs + claims."""
    callouts = []
    for r in records:
        c = r.claim
        text = "[" + ",".join(str(n) for n in c.numbers) + "]" if c.numbers else ""
        callouts.append(
            Callout(
                location=c.location,
                text=text or ", ".join(c.keys),
                numbers=c.numbers,
                author_mention=c.author_mention,
                in_running_text=r.context == "text",
                keys=c.keys,
            )
        )
    return callouts


def _same_sentence(a: Callout, b: Callout) -> bool:
    return (
        a.sentence == b.sentence
        and a.in_running_text == b.in_running_text
        and a.location.path == b.location.path
    )


# --- v3: what a claim asserts, in a form that can be compared with the cited work ---------

_CALLOUT_MARKS = re.compile(r"\s*\^?\s*(?:\[\s*\d[\d\s,\-–—]*\]|\[@[^\]]*\])")
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u207f]+")


def claim_text(sentence: str, callouts: Sequence[str] = ()) -> str:
    """The citing sentence without its callouts ([26], ^[3,5], superscripts), space-folded."""
    text = sentence
    for written in sorted(set(callouts), key=len, reverse=True):
        if written.strip():
            text = text.replace(written, " ")
    text = _SUPERSCRIPTS.sub(" ", _CALLOUT_MARKS.sub(" ", text))
    text = re.sub(r"\s+([,.;:，。；：)])", r"\1", " ".join(text.split()))
    if not text.isascii():
        text = re.sub(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])", "", text)  # 等 发现 -> 等发现
    return text.strip()


def person_paraphrased(records: Sequence[ClaimRecord]) -> frozenset[str]:
    """Ids of claims whose paraphrase a person wrote (marked, or differing from the automatic)."""
    return frozenset(
        r.claim.id
        for r in records
        if r.claim.paraphrase
        and (
            dict(r.extra).get("paraphrase_by") == "person"
            or r.claim.paraphrase != auto_paraphrase(r.claim, r.context == "text")
        )
    )


def _assertion(record: ClaimRecord) -> dict[str, Any]:
    """v3 keys derived from the claim text: relations and the kind of study credited."""
    text = record.claim.text
    if not text:
        return {}
    from citecheck.claims.support.detectors import relations, study_kinds

    item: dict[str, Any] = {"text": text}
    item["relations"] = [
        {
            "subject": r.subject.text,
            "predicate": r.words,
            "object": r.object.text,
            "direction": r.direction,
        }
        for r in relations(text)
    ]
    item["study"] = study_kinds(text)
    return item
