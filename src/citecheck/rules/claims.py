"""Claim rules: do the entities a citing sentence names appear in the evidence it cites?

Every claim entity gets one verdict (`claim_verdicts`); the rules report from those verdicts
so the per-claim table and the findings never disagree. A sentence citing several works is
supported by any of them. A claim citing a number the list lacks gets no entity verdicts
for that number: nothing is known about it, so only claim-citation-missing is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA

from citecheck.claims.entities import (
    CELL_SOURCE,
    GENE,
    MIRNA,
    PATHWAY,
    entities_in_title,
    entity_keys,
    normalize_entity,
)
from citecheck.claims.evidence import evidence_for, is_abstract, is_body
from citecheck.claims.nomenclature import (
    lookup_gene,
    mirna_status,
    nearest_mirnas,
    parse_mirna,
    typo_of,
)
from citecheck.model import (
    Claim,
    ClaimVerdict,
    Entity,
    Location,
    Problem,
    Project,
    Severity,
    SupportVerdict,
)
from citecheck.rules.base import rule

SUPPORTED, MISMATCH, UNSUPPORTED, NO_EVIDENCE = (
    "supported",
    "mismatch",
    "unsupported",
    "no-evidence",
)
# Entities specific enough that their absence from the evidence is worth a finding;
# cytokines (often just the stimulus: "TNF-α-induced"), processes and cell sources are not.
SPECIFIC = (MIRNA, GENE, PATHWAY)
# Stem-cell sources that are kinds of mesenchymal stem cell: a title saying "MSC" covers them.
_MSC_KINDS = frozenset({"BMSC", "hUC-MSC", "iPSC-MSC", "ADSC", "PMSC", "DPSC"})


@dataclass(frozen=True)
class _Evidence:
    """One evidence text of one cited reference, with its entities."""

    reference: int
    label: str
    entities: tuple[Entity, ...]


@lru_cache(maxsize=65536)
def _entities(text: str) -> tuple[Entity, ...]:
    return entities_in_title(text)


def _evidence(project: Project, number: int) -> tuple[_Evidence, ...]:
    ref = project.reference(number)
    if ref is None:
        return ()
    texts = _texts(project, number)
    return tuple(_Evidence(number, label, _entities(text)) for label, text in texts if text)


def _texts(project: Project, number: int) -> tuple[tuple[str, str], ...]:
    """(label, text) evidence of a listed reference: gathered for this check, else its titles."""
    ref = project.reference(number)
    if ref is None:
        return ()
    return project.evidence.get(number) or evidence_for(ref, project.resolutions.get(number))


def _claim_entities(claim: Claim) -> tuple[Entity, ...]:
    """The claim's entities with normalized forms recomputed (people edit claims.yaml)."""
    return tuple(
        Entity(e.text, e.type, normalize_entity(e.text, e.type)) for e in claim.entities if e.text
    )


def _supports(entity: Entity, evidence: tuple[Entity, ...]) -> bool:
    if entity.type == MIRNA:
        return any(_same_mirna(entity, e) for e in evidence if e.type == MIRNA)
    if entity.type == CELL_SOURCE:
        return any(e.type == CELL_SOURCE and e.normalized == entity.normalized for e in evidence)
    if entity.type in (GENE, PATHWAY):
        pool = {
            k
            for e in evidence
            if e.type in (GENE, PATHWAY)
            for keys in entity_keys(e)
            for k in keys
        }
    else:
        pool = {
            k for e in evidence if e.type == entity.type for keys in entity_keys(e) for k in keys
        }
    return all(keys & pool for keys in entity_keys(entity))


def _broader_support(entity: Entity, evidence: list[_Evidence]) -> _Evidence | None:
    """Evidence naming plain MSCs for a claim naming a kind of MSC (BMSC, hUC-MSC...)."""
    if entity.type != CELL_SOURCE or entity.normalized not in _MSC_KINDS:
        return None
    msc = Entity("MSC", CELL_SOURCE, "MSC")
    return next((ev for ev in evidence if _supports(msc, ev.entities)), None)


def _same_mirna(a: Entity, b: Entity) -> bool:
    """Same miRNA: same base, or a family and its member, and no conflicting arms.

    miR-155 matches miR-155-5p; a work on "miR-135" speaks for a claim on miR-135b (the family
    name covers its paralogs), and let-7a for let-7a-2 (a precursor copy of the same mature
    miRNA). Two members (miR-135a, miR-135b) stay different.
    """
    pa, pb = parse_mirna(a.normalized), parse_mirna(b.normalized)
    if pa is None or pb is None:
        return a.normalized == b.normalized
    related = pa[0] == pb[0] or _member_of(pa[0], pb[0]) or _member_of(pb[0], pa[0])
    return related and (not pa[1] or not pb[1] or pa[1] == pb[1])


def _member_of(member: str, family: str) -> bool:
    """miR-135b of miR-135, let-7a-2 of let-7a: the family's name and one paralog letter or copy."""
    if not member.startswith(family):
        return False
    rest = member[len(family) :]
    letter = len(rest) == 1 and rest.isalpha() and family[-1].isdigit()
    return letter or bool(re.fullmatch(r"-\d+", rest))


def _near_miss(entity: Entity, other: Entity) -> bool:
    """A one-edit difference (transpositions included) that is likely the same thing mistyped."""
    if entity.type != other.type:
        return False
    if entity.type == MIRNA:
        pa, pb = parse_mirna(entity.normalized), parse_mirna(other.normalized)
        if pa is None or pb is None:
            return False
        arms_agree = not pa[1] or not pb[1] or pa[1] == pb[1]
        if pa[0] == pb[0]:
            return not arms_agree  # miR-142-3p vs miR-142-5p
        return arms_agree and OSA.distance(pa[0], pb[0]) == 1
    if entity.type == GENE:
        a, b = entity.normalized.upper(), other.normalized.upper()
        return min(len(a), len(b)) >= 4 and OSA.distance(a, b) == 1
    return False


def claim_verdicts(project: Project) -> tuple[ClaimVerdict, ...]:
    """One verdict per claim entity: supported, mismatch, unsupported or no-evidence.

    The project carries them when pipeline.build_project computed them for this check;
    otherwise they are computed here (nothing is remembered between calls).
    """
    if project.claim_verdicts is not None:
        return project.claim_verdicts
    return tuple(v for claim in project.claims for v in _compute_verdicts(project, claim))


def support_verdicts(
    project: Project, paraphrased: frozenset[str] = frozenset()
) -> tuple[SupportVerdict, ...]:
    """One verdict per (claim, cited work): supported, contradicted, not-found, cannot-determine.

    `paraphrased`: ids of claims whose English paraphrase a person wrote (see
    citecheck.claims.claimsfile.person_paraphrased); carried by the project like claim_verdicts.
    """
    if project.support_verdicts is not None:
        return project.support_verdicts
    from citecheck.claims.support.verdicts import support_verdicts as judge_all

    return judge_all(project, lambda number: _texts(project, number), paraphrased)


def with_verdicts(project: Project, paraphrased: frozenset[str] = frozenset()) -> Project:
    """The project carrying its verdicts, computed once for this check and read by every rule
    and report (no state outside the project, so two checks can run side by side)."""
    return replace(
        project,
        claim_verdicts=claim_verdicts(project),
        support_verdicts=support_verdicts(project, paraphrased),
    )


def _by_claim(project: Project) -> dict[str, list[ClaimVerdict]]:
    table: dict[str, list[ClaimVerdict]] = {}
    for verdict in claim_verdicts(project):
        table.setdefault(verdict.claim_id, []).append(verdict)
    return table


def _compute_verdicts(project: Project, claim: Claim) -> Iterator[ClaimVerdict]:
    listed = [n for n in claim.numbers if project.reference(n) is not None]
    if not listed:
        return  # only missing references cited: claim-citation-missing says it all
    evidence = [item for n in listed for item in _evidence(project, n)]
    for entity in _claim_entities(claim):
        if not evidence:
            yield ClaimVerdict(claim.id, listed[0], entity, NO_EVIDENCE, "", _no_evidence(listed))
            continue
        support = next((ev for ev in evidence if _supports(entity, ev.entities)), None)
        if support is not None:
            yield ClaimVerdict(claim.id, support.reference, entity, SUPPORTED, support.label)
            continue
        broader = _broader_support(entity, evidence)
        if broader is not None:
            detail = "the evidence names mesenchymal stem cells, the broader kind"
            yield ClaimVerdict(
                claim.id, broader.reference, entity, SUPPORTED, broader.label, detail
            )
            continue
        miss = next(
            ((ev, other) for ev in evidence for other in ev.entities if _near_miss(entity, other)),
            None,
        )
        if miss is not None:
            ev, other = miss
            yield ClaimVerdict(claim.id, ev.reference, entity, MISMATCH, ev.label, other.text)
            continue
        labels = ", ".join(dict.fromkeys(ev.label for ev in evidence))
        yield ClaimVerdict(
            claim.id, listed[0], entity, UNSUPPORTED, labels, _gaps(claim, listed, evidence)
        )


def _no_evidence(listed: list[int]) -> str:
    return "no title or abstract is known for " + _cites(listed)


def _gaps(claim: Claim, listed: list[int], evidence: list[_Evidence]) -> str:
    """Why the evidence may be incomplete: cited numbers missing from the list or empty."""
    known = {ev.reference for ev in evidence}
    silent = [n for n in claim.numbers if n not in known]
    return f"nothing is known about {_cites(silent)}" if silent else ""


def _cites(numbers: list[int]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def _kind(label: str) -> str:
    if is_abstract(label):
        return "abstract"
    return "full text" if is_body(label) else "title"


def _describe(labels: list[str], references: int = 1) -> str:
    """ "title", "titles and abstracts"... for the evidence labels consulted."""
    plural = "s" if references > 1 else ""
    kinds = sorted({_kind(label) for label in labels}, reverse=True)
    return " and ".join(kind + plural for kind in kinds)


@rule("CC301", "claim-entity-mismatch", Severity.WARNING)
def claim_entity_mismatch(project: Project) -> Iterator[Problem]:
    """A claim names an entity that the cited work spells one edit differently."""
    table = _by_claim(project)
    for claim in project.claims:
        for verdict in table.get(claim.id, ()):
            if verdict.verdict != MISMATCH:
                continue
            found, cited = verdict.entity.text, verdict.detail
            yield Problem(
                message=(
                    f"the claim names {found} but the cited {_describe([verdict.evidence_source])}"
                    f" of [{verdict.reference}] has {cited}: {_status(verdict.entity, found)}; "
                    f"{_status(verdict.entity, cited)}"
                ),
                location=claim.location,
                expected=cited,
                found=found,
                suggestion=_mismatch_advice(verdict.entity, found, cited),
                reference=verdict.reference,
                claim_id=claim.id,
            )


def _valid(entity_type: str, name: str) -> bool:
    if entity_type == MIRNA:
        return mirna_status(name) is not None
    return lookup_gene(name) is not None


def _status(entity: Entity, name: str) -> str:
    """What the nomenclature says about a name, in words."""
    if entity.type == MIRNA:
        status = mirna_status(name)
        if status == "known":
            return f"{name} is a human miRNA in miRBase"
        if status == "family":
            return f"{name} belongs to a human miRNA family in miRBase"
        return f"{name} is not a miRBase miRNA"
    hit = lookup_gene(name)
    if hit is None:
        return f"{name} is not an HGNC symbol at all"
    if hit.kind == "approved":
        return f"{name} is the approved HGNC symbol"
    return f"{name} is an HGNC {hit.kind} symbol of {', '.join(hit.approved)}"


def _mismatch_advice(entity: Entity, found: str, cited: str) -> str:
    claim_ok, cited_ok = _valid(entity.type, found), _valid(entity.type, cited)
    if claim_ok and not cited_ok:
        return f"the claim's {found} is valid; the cited title carries the error ({cited})"
    if cited_ok and not claim_ok:
        return f"correct the claim to {cited}"
    return f"check which of {found} and {cited} the cited work studied"


@rule("CC302", "claim-entity-unsupported", Severity.WARNING)
def claim_entity_unsupported(project: Project) -> Iterator[Problem]:
    """A miRNA, gene or pathway named in a claim appears nowhere in the cited evidence."""
    table = _by_claim(project)
    for claim in project.claims:
        verdicts = [
            v
            for v in table.get(claim.id, ())
            if v.verdict == UNSUPPORTED and v.entity.type in SPECIFIC and not v.detail
        ]
        if not verdicts:
            continue
        labels = verdicts[0].evidence_source.split(", ")
        titles_only = not any(is_body(label) for label in labels)
        listed = [n for n in claim.numbers if project.reference(n) is not None]
        names = ", ".join(v.entity.text for v in verdicts)
        where = f"the cited {_describe(labels, len(listed))} of {_cites(listed)}"
        message = f"not mentioned in {where}: {names}"
        if titles_only:
            message += " (only titles were available: absence from a title is weak evidence)"
        yield Problem(
            message=message,
            location=claim.location,
            found=names,
            suggestion="check the cited work supports this, or cite the work that does",
            reference=listed[0],
            claim_id=claim.id,
            severity=Severity.INFO if titles_only else None,
        )


@rule("CC303", "invalid-symbol", Severity.WARNING)
def invalid_symbol(project: Project) -> Iterator[Problem]:
    """A gene- or miRNA-like name in a claim or reference title is no HGNC symbol or miRNA."""
    sentences = {c.location: c.sentence for c in project.callouts}
    for claim in project.claims:
        entities = _claim_entities(claim)
        context = " ".join(filter(None, (sentences.get(claim.location), claim.paraphrase)))
        for entity in entities:
            problem = _invalid(entity, claim.location, f"claim {claim.id}", context, entities)
            if problem is not None:
                yield Problem(**{**problem, "claim_id": claim.id})
    for ref in project.references:
        entities = _entities(ref.title) if ref.title else ()
        for entity in entities:
            where = f"the title of reference [{ref.number}]" if ref.number else "a reference title"
            problem = _invalid(entity, ref.location, where, ref.title, entities)
            if problem is not None:
                yield Problem(**{**problem, "reference": ref.number, "bib_key": ref.key})


def _invalid(
    entity: Entity, location: Location, where: str, context: str, entities: tuple[Entity, ...]
) -> dict | None:
    """Problem fields for a likely misspelt gene or miRNA name, else None.

    Precision first: only a one-key slip from exactly one valid name (SUV38H1 for SUV39H1),
    only where the text is about genes, never where it is about another species or spells
    the name out ("Galectin 15 (LGALS15)"). Cell lines, domains, compounds, strains and
    model names (CHM13, SH2, CK666, AE86) are no slip of a symbol, so they are never named.
    """
    if _OTHER_SPECIES.search(context):
        return None
    if entity.type == GENE and lookup_gene(entity.normalized) is None:
        meant = typo_of(entity.text)
        if meant is None or _ZERO_PADDED.search(entity.text):
            return None
        if not _about_genes(entity, context, entities) or _spelled_out(entity.text, meant, context):
            return None
        nearest, kind = (meant,), "an HGNC approved, alias or previous symbol"
    elif entity.type == MIRNA and mirna_status(entity.normalized) is None:
        if _NON_HUMAN_PREFIX.match(entity.text):
            return None
        nearest, kind = nearest_mirnas(entity.normalized), "a human miRNA in miRBase"
        if not nearest or OSA.distance(entity.normalized.upper(), nearest[0].upper()) > 1:
            return None
    else:
        return None
    return {
        "message": f"{entity.text} in {where} is not {kind}: likely a misspelling of {nearest[0]}",
        "location": location,
        "found": entity.text,
        "expected": nearest[0],
        "suggestion": f"did you mean {' or '.join(nearest)}?",
    }


_ZERO_PADDED = re.compile(r"[A-Za-z]0\d")  # "SYP026", "IN056": strain and sample identifiers
_NON_HUMAN_PREFIX = re.compile(r"(?!hsa-)[a-z]{3}-(?=mir|let|micro)", re.IGNORECASE)
# Words that say a text is about genes and their products, in English and Chinese.
_GENE_WORDS = re.compile(
    r"\b(?:genes?|genetic|genom\w*|express\w*|protein\w*|m?RNAs?|transcri\w*|"
    r"knock(?:ed)?[- ]?(?:down|out)\w*|si-?RNA|sh-?RNA|overexpress\w*|mutat\w*|mutant\w*|"
    r"promoter\w*|methyl\w*|acetyl\w*|kinases?|receptors?|ligands?|target\w*|regulat\w*|"
    r"signal\w*|pathways?|variants?|alleles?|loci|locus|polymorphisms?|isoforms?|enzymes?|"
    r"inhibit\w*|activat\w*|upregulat\w*|downregulat\w*|encod\w*|homolog\w*)\b"
    r"|基因|蛋白|表达|靶向|通路|甲基化|突变|转录|调控|抑制|激活",
    re.IGNORECASE,
)
# Gene symbols of other species follow other conventions: nothing is a human typo there
# (TLR11 and TLR13 are mouse genes one digit from human TLR10).
_OTHER_SPECIES = re.compile(
    r"\b(?:mouse|mice|murine|rats?|rodents?|hamsters?|"
    r"ovine|bovine|porcine|caprine|equine|canine|feline|avian|sheep|cattle|goats?|"
    r"chickens?|zebrafish|drosophila|yeasts?|saccharomyces|arabidopsis|plants?|bacteri\w*|"
    r"viral|virus\w*|phages?|escherichia|e\.\s?coli|elegans|xenopus|fungal|fungi)\b"
    r"|小鼠|大鼠|果蝇|斑马鱼|酵母",
    re.IGNORECASE,
)


def _about_genes(entity: Entity, context: str, entities: tuple[Entity, ...]) -> bool:
    """The text speaks of genes: a gene word, or another valid gene, miRNA or pathway."""
    if _GENE_WORDS.search(context):
        return True
    return any(
        other.type in (MIRNA, PATHWAY)
        or (other.type == GENE and other != entity and lookup_gene(other.normalized))
        for other in entities
    )


def _spelled_out(written: str, meant: str, context: str) -> bool:
    """ "Galectin 15 (LGALS15)": the differing number is written out beside it, so it is meant."""
    at = next((i for i, (a, b) in enumerate(zip(written.upper(), meant.upper())) if a != b), -1)
    runs = [m for m in re.finditer(r"\d+", written) if m.start() <= at < m.end()]
    if not runs:
        return False
    where = context.find(written)
    near = context[max(0, where - 40) : where] if where >= 0 else context
    return bool(re.search(rf"(?<![\w.-]){runs[0].group()}\b", near))


# Info by default: missing-reference (CC101) already reports each absent number as an error;
# this one says, per claim, that its content could not be checked against the cited work.
@rule("CC304", "claim-citation-missing", Severity.INFO)
def claim_citation_missing(project: Project) -> Iterator[Problem]:
    """A claim cites a reference number (or key) that the reference list does not have."""
    numbers = {r.number for r in project.references if r.number is not None}
    keys = {r.key for r in project.references}
    if not project.references:
        return  # no list at all is reported once by the reference rules, not per claim
    for claim in project.claims:
        missing = [f"[{n}]" for n in claim.numbers if n not in numbers]
        missing += [k for k in claim.keys if k not in keys]
        if not missing:
            continue
        span = f" (it has {len(numbers)} numbered entries)" if numbers else ""
        yield Problem(
            message=(
                f"the claim cites {', '.join(missing)}, which the reference list lacks{span}, "
                "so it cannot be checked against the cited work"
            ),
            location=claim.location,
            found=", ".join(missing),
            suggestion="add the missing entries to the reference list or correct the callout",
            reference=next((n for n in claim.numbers if n not in numbers), None),
            bib_key=next((k for k in claim.keys if k not in keys), ""),
            claim_id=claim.id,
        )


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


def _contradicted(v: SupportVerdict) -> str:
    return f"[{v.reference}] says otherwise: {v.reason}; it says {_quote(v.evidence)} ({v.source})"


def _not_found(v: SupportVerdict) -> str:
    return (
        f"not found in [{v.reference}]: {v.reason}: {_quote(v.evidence)} "
        f"(confidence {v.confidence:.2f})"
    )


def _study(v: SupportVerdict) -> str:
    return f"[{v.reference}]: {v.study}; it says {_quote(v.study_evidence)}"


# Per support rule: which verdicts it reports, its message, the quoted sentence, the advice.
_SUPPORT_RULES = {
    "claim-contradicted": (
        lambda v: v.verdict == "contradicted",
        _contradicted,
        lambda v: v.evidence,
        "check what the cited work found and correct the claim or the citation",
    ),
    "claim-not-supported": (
        lambda v: v.verdict == "not-found",
        _not_found,
        lambda v: v.evidence,
        "check the cited work says this, or cite the work that does",
    ),
    "claim-study-mismatch": (
        lambda v: bool(v.study),
        _study,
        lambda v: v.study_evidence,
        "cite a work that studied what the claim describes, or reword the claim",
    ),
}


def _support_problems(project: Project, slug: str) -> Iterator[Problem]:
    """One Problem per support verdict the rule reports, at its claim, quoting the work."""
    keep, message, quoted, suggestion = _SUPPORT_RULES[slug]
    where = {claim.id: claim.location for claim in project.claims}
    for v in support_verdicts(project):
        if keep(v):
            yield Problem(
                message=message(v),
                location=where[v.claim_id],
                expected=quoted(v),
                suggestion=suggestion,
                reference=v.reference,
                claim_id=v.claim_id,
            )


@rule("CC305", "claim-contradicted", Severity.WARNING)
def claim_contradicted(project: Project) -> Iterator[Problem]:
    """The cited work says the opposite of the claim (direction or reversed relation; both quoted)."""
    return _support_problems(project, "claim-contradicted")


@rule("CC306", "claim-not-supported", Severity.INFO)
def claim_not_supported(project: Project) -> Iterator[Problem]:
    """The cited evidence never says what the claim says (names what was searched)."""
    return _support_problems(project, "claim-not-supported")


@rule("CC307", "claim-study-mismatch", Severity.WARNING)
def claim_study_mismatch(project: Project) -> Iterator[Problem]:
    """The claim credits the cited work with a kind of study it is not (exosome, species, process)."""
    return _support_problems(project, "claim-study-mismatch")


RULES = (
    claim_entity_mismatch,
    claim_entity_unsupported,
    invalid_symbol,
    claim_citation_missing,
    claim_contradicted,
    claim_not_supported,
    claim_study_mismatch,
)
