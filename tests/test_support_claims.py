"""claims.yaml schema 3: the claim text, its relations and study kinds; v2 still loads."""

from __future__ import annotations

from citecheck.citations.callouts import scan_callouts
from citecheck.claims.claimsfile import (
    claim_text,
    dump,
    extract_claims,
    load,
    person_paraphrased,
)
from citecheck.claims.entities import extract_entities

TEXT = (
    "Background.\n"
    "Exosomal miR-21 directly targets PTEN in rat NP cells [3]. Cheng 等^[26]发现外泌体抑制凋亡。\n"
    "\nReferences\n3. A. Title. J. 2020;1:1.\n26. B. Title. J. 2021;2:2.\n"
)


def records():
    return extract_claims(scan_callouts(TEXT, "m.txt"), extract_entities)


def test_claim_text_drops_callouts_only():
    assert claim_text("Smith et al. [3, 5] showed X¹⁻³.", ["[3, 5]"]) == "Smith et al. showed X."
    assert (
        claim_text("Cheng 等^[26]发现外泌体抑制凋亡。", ["^[26]"]) == "Cheng 等发现外泌体抑制凋亡。"
    )


def test_v3_dump_has_text_relations_and_study():
    text = dump(records(), "m.txt")
    assert "schema_version: 3" in text
    assert "text: Exosomal miR-21 directly targets PTEN in rat NP cells." in text
    assert "{subject: miR-21, predicate: directly targets, object: PTEN, direction: target}" in text
    assert "study: [exosome, cells, animal]" in text
    loaded, _ = load(text, "claims.yaml")
    assert [r.claim.text for r in loaded] == [r.claim.text for r in records()]


V2 = """schema_version: 2
manuscript: m.txt
claims:
- id: c001
  location: {path: m.txt, line: 2, column: 1}
  citations: [3]
  author_mention: ''
  context: text
  paraphrase: Exosomal miR-21 represses PTEN.
  fingerprint: abc
  entities: []
- id: c002
  location: {path: m.txt, line: 3, column: 1}
  citations: [26]
  author_mention: Cheng
  context: text
  paraphrase: Cheng et al. [26] cited
  fingerprint: def
  entities: []
"""


def test_v2_loads_without_text_and_knows_person_paraphrases():
    loaded, _ = load(V2, "claims.yaml")
    assert [r.claim.text for r in loaded] == ["", ""]
    # c001's paraphrase was written by a person; c002's is the automatic synopsis
    assert person_paraphrased(loaded) == frozenset({"c001"})
    rewritten = dump(loaded, "m.txt")
    assert "schema_version: 3" in rewritten and "\n  text:" not in rewritten


def test_paraphrase_by_person_survives_a_round_trip():
    text = V2.replace(
        "  paraphrase: Cheng et al. [26] cited\n",
        "  paraphrase: Cheng et al. [26] cited\n  paraphrase_by: person\n",
    )
    loaded, _ = load(text, "claims.yaml")
    assert person_paraphrased(loaded) == frozenset({"c001", "c002"})
    assert "paraphrase_by: person" in dump(loaded, "m.txt")
