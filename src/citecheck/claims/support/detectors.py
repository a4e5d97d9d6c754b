"""Deterministic, explainable conflicts between a claim and a cited work's sentences.

Each detector quotes both sides. They fire only on a clear pattern, because a false
"contradicted" costs more than a miss:
- direction: the same (subject, object) pair goes up in one and down in the other, counting
  "targets" as repression and flipping a relation whose subject is an inhibitor
  (antagomiR, siRNA, knockdown, 抑制剂...) of the entity;
- reversed: the claim says A targets B, the work only says B targets A;
- study type: the claim credits exosomes/EVs, a work's abstract never mentions vesicles;
- species: the claim says patients, the work studied only animals (or the reverse);
- process: the claim files the work under one process, its abstract speaks of others only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.claims.entities import MIRNA, PROCESS, entity_spans
from citecheck.claims.nomenclature import parse_mirna
from citecheck.model import Entity

UP, DOWN, TARGET = "up", "down", "target"
CONTRADICTED, STUDY_MISMATCH = "contradicted", "study-mismatch"

# Relation words, English and Chinese; longest first within each alternation.
_UP_WORDS = (
    r"up-?regulat\w*|increas\w*|elevat\w*|enhanc\w*|promot\w*|activat\w*|induc\w*|"
    r"stimulat\w*|上调|升高|增加|增强|促进|激活|诱导"
)
_DOWN_WORDS = (
    r"down-?regulat\w*|decreas\w*|reduc\w*|suppress\w*|inhibit\w*|attenuat\w*|diminish\w*|"
    r"restrain\w*|alleviat\w*|ameliorat\w*|block\w*|protect\w* against|"
    r"下调|降低|减少|抑制|减轻|缓解|阻断"
)
_TARGET_WORDS = r"direct(?:ly)? target\w*|target\w*|bind\w* to|靶向"
_RELATIONS = ((UP, _UP_WORDS), (DOWN, _DOWN_WORDS), (TARGET, _TARGET_WORDS))
_RELATION = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in _RELATIONS), re.IGNORECASE
)
_NEGATED = re.compile(
    r"\b(?:not|no|never|neither|nor|without|failed to|did not|does not|cannot|unable to)\b"
    r"[^.;,]{0,25}$|(?:未|不|没有|无)\s*$",
    re.IGNORECASE,
)
_PASSIVE = re.compile(r"^\w*\s+by\b|^\s*by\b", re.IGNORECASE)
_INHIBITOR = re.compile(
    r"antagomi[rR]s?|anti-?miR|inhibitors?|si-?RNAs?|sh-?RNAs?|knock-?down|knock-?out|"
    r"silenc\w*|deplet\w*|deficien\w*|\bKD\b|\bKO\b|[-−]/[-−]|\bnull\b|抑制剂|敲低|敲除|沉默",
    re.IGNORECASE,
)
# "antagomiR-21", "anti-miR-21", "si-PTEN": the inhibitor written into the name.
_FUSED_INHIBITOR = re.compile(
    r"\b((?i:antagomir|anti-?miR))-?(\d+[a-z]?(?:-[35]p)?)|\b(si|sh)-?(?=[A-Z0-9]{3,}\b)"
)
_MAX_GAP = 40  # characters between subject, predicate and object of one relation
# "pressure-induced apoptosis", "TNF-α induced apoptosis": a modifier naming a stimulus,
# not a relation the work reports.
_MODIFIER = re.compile(r"(?i:induced|mediated|related|dependent)$")
_CLAUSE_BREAK = re.compile(
    r"[,;:()（），；：、]|\b(?:which|that|and|or|while|whereas|but)\b|和|并|及|或|而|与"
)
# A relation word right before an entity makes it that verb's object, not a new subject.
_OBJECT_OF_VERB = re.compile(rf"(?:{_UP_WORDS}|{_DOWN_WORDS}|{_TARGET_WORDS})\s*$", re.IGNORECASE)
_STIMULUS = re.compile(
    r"\s*(?:-|‐)?\s*(?:induced|mediated|stimulated|诱导|介导|刺激)", re.IGNORECASE
)
_SUBJECT_TYPES = frozenset({"mirna", "gene", "pathway", "cytokine", "cell-source"})

_EXOSOME = re.compile(
    r"exosom\w*|extracellular vesicles?|\bEVs?\b|microvesicles?|\bsEVs?\b|外泌体|囊泡",
    re.IGNORECASE,
)
_PATIENTS = re.compile(
    r"\bpatients?\b|\bclinical trials?\b|\bparticipants\b|\bvolunteers\b|患者|病人|临床试验",
    re.IGNORECASE,
)
_IN_PATIENTS = re.compile(
    r"\bin (?:[\w-]+ ){0,3}patients\b|\bclinical trials?\b|患者|临床试验", re.IGNORECASE
)
_IN_ANIMALS = re.compile(
    r"\bin (?:[\w-]+ ){0,2}(?:rats?|mice|mouse|rabbits?|pigs?|dogs?)\b|"
    r"\b(?:rat|mouse|murine|rabbit|porcine|canine) models?\b|大鼠|小鼠|动物模型",
    re.IGNORECASE,
)
_ANIMALS = re.compile(
    r"\brats?\b|\bmice\b|\bmouse\b|\brabbits?\b|\bmurine\b|\bpigs?\b|\bdogs?\b|\bgoats?\b|"
    r"\banimals?\b|\bxenografts?\b|\bprimates?\b|\bmonkeys?\b|"
    r"大鼠|小鼠|兔|动物模型",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Relation:
    subject: Entity
    direction: str
    object: Entity
    words: str  # the predicate as written
    inhibitor: bool  # the subject is an inhibitor of the entity (direction already flipped)


@dataclass(frozen=True)
class Conflict:
    """One explainable disagreement, quoting the claim's side and the work's sentence."""

    kind: str  # CONTRADICTED or STUDY_MISMATCH
    reason: str  # direction, reversed, exosome, species, process
    claim_side: str
    evidence_index: int  # index of the quoted sentence in the sentences given
    explanation: str


def relations(text: str) -> list[Relation]:
    """(subject, direction, object) triples read from one sentence."""
    text = _FUSED_INHIBITOR.sub(_unfuse, unicodedata.normalize("NFC", text))
    spans = entity_spans(text)
    found = []
    for m in _RELATION.finditer(text):
        direction = m.lastgroup or ""
        if _modifier(text, m) or any(s[0] <= m.start() < s[1] for s in spans):
            continue  # "pressure-induced", "诱导的"; 激活 inside 激活转录因子 6 (ATF6)
        before = [s for s in spans if s[1] <= m.start() and m.start() - s[1] <= _MAX_GAP]
        after = [s for s in spans if s[0] >= m.end() and s[0] - m.end() <= _MAX_GAP]
        if not before or not after:
            continue
        if _CLAUSE_BREAK.search(text[before[-1][1] : m.start()]) or _CLAUSE_BREAK.search(
            text[m.end() : after[0][0]]
        ):
            continue  # "MSCs (…) could either support or suppress": not one clause
        if before[-1][2].type not in _SUBJECT_TYPES:
            continue  # a process does not act on things
        if _OBJECT_OF_VERB.search(text[max(0, before[-1][0] - 16) : before[-1][0]]):
            continue  # "by inhibiting KEAP1 promotes NRF2", "通过抑制 A 促进 B": A is no subject
        if _STIMULUS.match(text[after[0][1] : after[0][1] + 12]):
            continue  # "inhibits TNF-α-induced apoptosis": TNF-α is the stimulus, not the object
        if _NEGATED.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "did not inhibit": no direction to compare
        subject, obj = before[-1], after[0]
        if _PASSIVE.match(text[m.end() : m.end() + 12]):
            subject, obj = obj, subject  # "B was inhibited by A"
        window = text[max(0, subject[0] - 25) : subject[1] + 15]
        inhibitor = bool(_INHIBITOR.search(window))
        if inhibitor and direction in (UP, DOWN):
            direction = DOWN if direction == UP else UP
        elif inhibitor:
            continue  # an antagomiR "targets" its miRNA: says nothing about the miRNA
        found.append(Relation(subject[2], direction, obj[2], m.group(0), inhibitor))
    return found


def _modifier(text: str, m: re.Match) -> bool:
    """A predicate used as a modifier: "pressure-induced", "TNF-α induced", "诱导的"."""
    hyphenated = m.start() > 0 and text[m.start() - 1] in "-‐–"
    return hyphenated or bool(_MODIFIER.search(m.group(0))) or text[m.end() : m.end() + 1] == "的"


def _unfuse(m: re.Match) -> str:
    if m.group(1):
        return f"{m.group(1)} miR-{m.group(2)}"
    return f"{m.group(3)}RNA "


def same_entity(a: Entity, b: Entity) -> bool:
    """Same entity: same miRNA (miR-155 = miR-155-5p) or same normalized form."""
    if a.type == MIRNA and b.type == MIRNA:
        pa, pb = parse_mirna(a.normalized), parse_mirna(b.normalized)
        if pa and pb:
            return pa[0] == pb[0] and (not pa[1] or not pb[1] or pa[1] == pb[1])
    return a.normalized.upper() == b.normalized.upper()


def _effect(r: Relation) -> str:
    """A miRNA that targets a gene represses it; other 'targets' carry no direction."""
    if r.direction == TARGET:
        return DOWN if r.subject.type == MIRNA else ""
    return r.direction


def direction_conflicts(claim: str, sentences: Sequence[str]) -> list[Conflict]:
    """Same entity pair, opposite direction; or A targets B against only B targets A."""
    claimed = relations(claim)
    if not claimed:
        return []
    read = [(i, relations(s)) for i, s in enumerate(sentences)]
    conflicts = []
    for c in claimed:
        agree = any(
            same_entity(c.subject, e.subject)
            and same_entity(c.object, e.object)
            and _effect(c) == _effect(e)
            for _, rs in read
            for e in rs
        )
        if agree:
            continue  # the work also says it the claim's way somewhere
        for i, rs in read:
            hit = next(
                (
                    e
                    for e in rs
                    if same_entity(c.subject, e.subject)
                    and same_entity(c.object, e.object)
                    and {_effect(c), _effect(e)} == {UP, DOWN}
                ),
                None,
            )
            if hit is not None:
                how = " (the work's subject is an inhibitor of it)" if hit.inhibitor else ""
                conflicts.append(
                    Conflict(
                        CONTRADICTED,
                        "direction",
                        f"{c.subject.text} {c.words} {c.object.text}",
                        i,
                        f"the claim says {c.subject.text} {_says(c)} {c.object.text}; the work "
                        f"says it {_says(hit)} it{how}",
                    )
                )
                break
            if c.direction == TARGET and any(
                e.direction == TARGET
                and same_entity(c.subject, e.object)
                and same_entity(c.object, e.subject)
                for e in rs
            ):
                conflicts.append(
                    Conflict(
                        CONTRADICTED,
                        "reversed",
                        f"{c.subject.text} {c.words} {c.object.text}",
                        i,
                        f"the claim says {c.subject.text} targets {c.object.text}; the work says "
                        f"{c.object.text} targets {c.subject.text}",
                    )
                )
                break
    return conflicts


def _says(r: Relation) -> str:
    return {UP: "increases", DOWN: "decreases", TARGET: "targets"}.get(_effect(r) or r.direction)


def study_conflicts(
    claim: str, sentences: Sequence[str], substantial: bool, best: int = 0
) -> list[Conflict]:
    """Exosome, species and process conflicts; only against a substantial text (an abstract).

    `best` is the index of the sentence to quote when the conflict is an absence.
    """
    if not substantial or not sentences:
        return []
    whole = " ".join(sentences)
    conflicts = []
    claim_exo = _EXOSOME.search(claim)
    predicate = _RELATION.search(claim)
    credited = claim_exo and predicate and claim_exo.start() < predicate.start()
    if credited and not _EXOSOME.search(whole):  # exosomes as the actor, not a side remark
        conflicts.append(
            Conflict(
                STUDY_MISMATCH,
                "exosome",
                claim_exo.group(0),
                best,
                "the claim credits exosomes/extracellular vesicles; the cited work's text never "
                "mentions exosomes or vesicles",
            )
        )
    # the claim must place the study in patients or animals, not just mention them
    claim_patients, claim_animals = _IN_PATIENTS.search(claim), _IN_ANIMALS.search(claim)
    if (
        claim_patients
        and not _ANIMALS.search(claim)
        and _ANIMALS.search(whole)
        and not _PATIENTS.search(whole)
    ):
        index = next(i for i, s in enumerate(sentences) if _ANIMALS.search(s))
        conflicts.append(
            Conflict(
                STUDY_MISMATCH,
                "species",
                claim_patients.group(0),
                index,
                "the claim speaks of patients; the cited work studied animals only",
            )
        )
    elif (
        claim_animals
        and not _PATIENTS.search(claim)
        and _PATIENTS.search(whole)
        and not _ANIMALS.search(whole)
    ):
        index = next(i for i, s in enumerate(sentences) if _PATIENTS.search(s))
        conflicts.append(
            Conflict(
                STUDY_MISMATCH,
                "species",
                claim_animals.group(0),
                index,
                "the claim speaks of an animal model; the cited work studied patients only",
            )
        )
    conflict = _process_conflict(claim, sentences)
    if conflict is not None:
        conflicts.append(conflict)
    return conflicts


def _processes(text: str) -> dict[str, str]:
    return {
        e.normalized: e.text
        for _, _, e in entity_spans(unicodedata.normalize("NFC", text))
        if e.type == PROCESS
    }


# Processes that are one topic for this purpose: an inflammasome paper is about inflammation.
_PROCESS_FAMILY = {"inflammasome": "inflammation", "pyroptosis": "inflammation"}


def _process_conflict(claim: str, sentences: Sequence[str]) -> Conflict | None:
    """The claim credits the work with an effect on exactly one process (the object of one of
    its relations); the work names other processes, never that one or its family."""
    claimed = _processes(claim)
    if len(claimed) != 1:
        return None
    ((key, written),) = claimed.items()
    if not any(r.object.normalized == key for r in relations(claim)):
        return None  # the process is the setting, not what the claim says the work showed
    per_sentence = [_processes(s) for s in sentences]
    named = {k for p in per_sentence for k in p}
    family = _PROCESS_FAMILY.get(key, key)
    if not named or any(_PROCESS_FAMILY.get(k, k) == family for k in named):
        return None
    others = sorted(named)
    index = next(i for i, p in enumerate(per_sentence) if p)
    return Conflict(
        STUDY_MISMATCH,
        "process",
        written,
        index,
        f"the claim files the work under {key}; its text speaks of {', '.join(others)} "
        f"and never of {key}",
    )


_KINDS = (
    ("exosome", _EXOSOME),
    ("co-culture", re.compile(r"co-?cultur\w*|共培养", re.IGNORECASE)),
    ("cells", re.compile(r"\bcells?\b|细胞", re.IGNORECASE)),
    ("in vitro", re.compile(r"\bin vitro\b|体外", re.IGNORECASE)),
    ("animal", _ANIMALS),
    ("human", _PATIENTS),
    ("review", re.compile(r"\breview\w*|meta-analys\w*|综述|荟萃分析", re.IGNORECASE)),
)


def study_kinds(text: str) -> list[str]:
    """The kinds of evidence a claim credits its cited work with (exosome, animal, review...)."""
    return [kind for kind, pattern in _KINDS if pattern.search(text)]
