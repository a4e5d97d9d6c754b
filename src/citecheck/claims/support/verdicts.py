"""One support verdict per (claim, cited work): supported, contradicted, not found, or
cannot determine -- with a confidence, the quoted evidence sentence and where it is from.

Order of evidence: a deterministic conflict (quotes both sides) decides "contradicted";
otherwise the learned verifier decides, abstaining ("cannot determine") when unsure. The
verifier alone never says "contradicted": on the Citation-Integrity dev split its REFUTE
precision is far below the 0.80 a warning needs (docs/claims.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from citecheck.claims.entities import entity_spans, extract_entities
from citecheck.claims.evidence import is_abstract, is_body, split_sentences
from citecheck.claims.support.detectors import (
    CONTRADICTED,
    direction_conflicts,
    same_entity,
    study_conflicts,
)
from citecheck.model import Claim, Entity, Project, SupportVerdict
from citecheck.normalize import has_cjk

SUPPORTED, CONTRADICTED_VERDICT, NOT_FOUND, CANNOT = (
    "supported",
    "contradicted",
    "not-found",
    "cannot-determine",
)
DETECTOR_CONFIDENCE = 0.9  # a rule-based conflict: explainable, checked by hand on examples
MIN_SENTENCES = 3  # fewer sentences of abstract/full text are too little to judge absence


def evidence_sentences(texts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, sentence) for every sentence of the evidence texts, titles as one sentence."""
    return [
        (label, sentence)
        for label, text in texts
        for sentence in (split_sentences(text) if is_body(label) else [text])
        if sentence
    ]


def judge(
    claim_id: str,
    reference: int,
    claim_text: str,
    english: str,
    evidence: Sequence[tuple[str, str]],
    entities: Sequence[Entity] | None = None,
    several: bool = False,
    verifier=None,
) -> SupportVerdict:
    """The verdict for one claim against one cited work's (label, sentence) evidence.

    `claim_text` is the sentence as written (any language: the detectors read English and
    Chinese relation words); `english` is what the verifier reads (the sentence, or a
    person's English paraphrase of a Chinese one; empty when neither exists). `entities`
    (for highlighting) are read from the claim when not given, and only when needed.
    """
    sentences = [s for _, s in evidence]
    labels = [label for label, _ in evidence]
    body = [i for i, label in enumerate(labels) if is_body(label)]
    searched = _searched(labels)
    if not body:
        reason = f"only {searched} is known: a title cannot show what a work found"
        return SupportVerdict(claim_id, reference, CANNOT, 0.0, reason=reason)
    if entities is None:
        entities = extract_entities(claim_text)
    body_sentences = [sentences[i] for i in body]
    substantial = len(body) >= MIN_SENTENCES and not any("partial" in labels[i] for i in body)
    study = study_conflicts(claim_text, body_sentences, substantial)
    study_note = "; ".join(c.explanation for c in study)
    study_quote = body_sentences[study[0].evidence_index] if study else ""
    extra = {"study": study_note, "study_evidence": study_quote}
    conflicts = [c for c in direction_conflicts(claim_text, sentences) if c.kind == CONTRADICTED]
    if not conflicts and english and english != claim_text:
        conflicts = direction_conflicts(english, sentences)
    if conflicts:
        c = conflicts[0]
        quote = sentences[c.evidence_index]
        return SupportVerdict(
            claim_id,
            reference,
            CONTRADICTED_VERDICT,
            DETECTOR_CONFIDENCE,
            quote,
            labels[c.evidence_index],
            f"{c.explanation} (claim: \u201c{c.claim_side}\u201d)",
            _highlights(entities, quote),
            **extra,
        )
    if not english:
        reason = "the claim is in Chinese and has no English paraphrase written by a person"
        return SupportVerdict(claim_id, reference, CANNOT, 0.0, reason=reason, **extra)
    if verifier is None:
        from citecheck.claims.support.verifier import load_verifier

        verifier = load_verifier()
    prediction = verifier.predict(english, body_sentences, several)
    best = body[prediction.best[0]] if prediction.best else body[0]
    quote = sentences[best]
    if prediction.label == "SUPPORT":
        verdict, reason = SUPPORTED, f"the verifier reads support in {searched}"
    elif not prediction.abstained:
        verdict = NOT_FOUND
        reason = f"{searched} never say it (the closest sentence is quoted)"
    else:
        verdict = CANNOT
        p = prediction.probabilities
        reason = (
            f"not confident (support {p['SUPPORT']:.2f}, inaccurate {p['REFUTE']:.2f}, "
            f"not enough information {p['NEI']:.2f})"
        )
    return SupportVerdict(
        claim_id,
        reference,
        verdict,
        round(prediction.confidence, 3),
        quote,
        labels[best],
        reason,
        _highlights(entities, quote),
        **extra,
    )


def _searched(labels: Sequence[str]) -> str:
    kinds = []
    for label in dict.fromkeys(labels):
        kind = "full text" if "fulltext" in label else "abstract" if is_abstract(label) else "title"
        if kind not in kinds:
            kinds.append(kind)
    return "the cited " + " and ".join(kinds)


def _highlights(entities: Sequence[Entity], sentence: str) -> tuple[str, ...]:
    """The claim's entities as the evidence sentence writes them, for highlighting."""
    found = entity_spans(unicodedata.normalize("NFC", sentence))
    return tuple(
        dict.fromkeys(e.text for _, _, e in found if any(same_entity(e, c) for c in entities))
    )


def claim_english(claim: Claim, person_paraphrase: bool) -> str:
    """What the verifier reads: the sentence if English, else a person's English paraphrase."""
    if claim.text and not has_cjk(claim.text):
        return claim.text
    if person_paraphrase and claim.paraphrase and not has_cjk(claim.paraphrase):
        from citecheck.claims.claimsfile import claim_text

        return claim_text(claim.paraphrase)  # "Cheng et al. [26]: ..." without the callout
    return ""


def support_verdicts(
    project: Project, evidence_of, paraphrased=frozenset()
) -> tuple[SupportVerdict, ...]:
    """Every (claim, listed cited work) verdict of a project, in claim order.

    `evidence_of(number)` gives a reference's (label, text) evidence; `paraphrased` holds the
    ids of claims whose paraphrase a person wrote (only those may stand in for a Chinese
    sentence). Claims without text (claims.yaml v2) get no verdict: nothing to compare.
    """
    verdicts = []
    sentences: dict[int, list[tuple[str, str]]] = {}  # per reference, split once per check
    for claim in project.claims:
        text = claim.text
        english = claim_english(claim, claim.id in paraphrased)
        if not text and not english:
            continue
        listed = [n for n in claim.numbers if project.reference(n) is not None]
        for number in listed:
            if number not in sentences:
                sentences[number] = evidence_sentences(evidence_of(number))
            verdicts.append(
                judge(
                    claim.id,
                    number,
                    text or english,
                    english,
                    sentences[number],
                    claim.entities or None,
                    len(claim.numbers) > 1,
                )
            )
    return tuple(verdicts)
