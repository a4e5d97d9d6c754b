"""claims.yaml: extraction groups by sentence, round-trips, merges human edits, rejects bad YAML."""

from __future__ import annotations

import pytest

from citecheck.callouts import scan_callouts
from citecheck.claims import dump, extract_claims, fingerprint, load, merge
from citecheck.files import InputError
from citecheck.model import Entity

TEXT = (
    "Cheng 等^[26]发现外泌体抑制凋亡。软骨终板干细胞通过 AKT^[34], 以及 SUV39H1^[35]。"
    "\n\nTao 等^[32]发现 miR-199a 有效。\n\n表 1 机制\n凋亡\t骨髓\t[23][26]\n"
)


def records(text=TEXT, finder=None):
    return extract_claims(scan_callouts(text, "m.txt"), finder)


def test_one_claim_per_citing_sentence():
    claims = [r.claim for r in records()]
    assert [c.numbers for c in claims] == [(26,), (34, 35), (32,), (23, 26)]
    assert [c.author_mention for c in claims] == ["Cheng", "", "Tao", ""]
    assert [r.context for r in records()] == ["text", "text", "text", "table"]
    assert [c.id for c in claims] == ["c001", "c002", "c003", "c004"]


def test_dump_never_contains_the_sentence_and_round_trips():
    original = records(
        finder=lambda s: [Entity("miR-199a", "mirna", "mir-199a")] if "199a" in s else []
    )
    text = dump(original, "m.txt")
    # v3 (issue 9) records the citing sentence without its callouts, for claim support.
    assert "text: Cheng 等发现外泌体抑制凋亡。" in text and "schema_version: 3" in text
    assert "^[26]" not in text
    loaded, manuscript = load(text, "claims.yaml")
    assert manuscript == "m.txt"
    assert [r.claim for r in loaded] == [r.claim for r in original]
    assert loaded[2].claim.entities[0].normalized == "mir-199a"


def test_merge_keeps_ids_and_human_edits_after_text_changes():
    old = records()
    edited_text = dump(old, "m.txt").replace(
        "paraphrase: Tao et al. [32] cited", "paraphrase: Exosomal miR-199a slows disc degeneration"
    )
    edited_text = edited_text.replace(
        "  context: text\n", "  context: text\n  note: check with author\n", 1
    )
    old_loaded, _ = load(edited_text, "claims.yaml")
    # The author inserts a new citing sentence at the top: ids of the others must not move.
    new = records("New claim [1].\n\n" + TEXT)
    merged = merge(old_loaded, new)
    by_cites = {r.claim.numbers: r for r in merged}
    assert by_cites[(32,)].claim.id == "c003"
    assert by_cites[(32,)].claim.paraphrase == "Exosomal miR-199a slows disc degeneration"
    assert by_cites[(26,)].extra == (("note", "check with author"),)
    assert by_cites[(1,)].claim.id == "c005"


def test_fingerprint_ignores_whitespace():
    assert fingerprint("a  b\nc") == fingerprint("a b c")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("claims: [\n  {id: c1\n", 3, "malformed YAML"),
        ("schema_version: 2\nclaims:\n  - id: c1\n    citations: [one]\n", 3, "citations"),
        ("schema_version: 9\nclaims: []\n", 1, "schema_version"),
        ("- just a list\n", 1, "claims"),
        ("schema_version: 2\nclaims:\n  - citations: [1]\n", 3, "id"),
    ],
)
def test_bad_claims_files_name_the_line(text, line, words):
    with pytest.raises(InputError) as error:
        load(text, "claims.yaml")
    assert error.value.line == line and words in error.value.message
    assert str(error.value).startswith(f"claims.yaml:{line}:")


def test_yaml_is_loaded_safely():
    with pytest.raises(InputError):
        load("!!python/object/apply:os.system ['echo hi']\n", "claims.yaml")
