"""claims.yaml: extraction groups by sentence, round-trips, merges human edits, rejects bad YAML."""

from __future__ import annotations

import pytest

from citecheck.citations.callouts import scan_callouts
from citecheck.claims.claimsfile import dump, extract_claims, fingerprint, load, merge
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


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: &x [1, 2]\nb: *x\n", 2, "aliases"),
        ("schema_version: 2\nclaims:\n  - id: c001\n    x: &a {k: v}\n    y: *a\n", 5, "aliases"),
        ("schema_version: 2\nclaims:\n  - id: c001\n    when: 2001-02-30\n", None, "day is out of range"),
        ("claims: " + "[" * 3000 + "]" * 3000 + "\n", 1, "nesting depth"),
        ("claims: " + "[" * 150 + "]" * 150 + "\n", None, "nested more than 100"),
    ],
)
def test_bombs_and_odd_values_are_one_line_errors(text, line, words):
    with pytest.raises(InputError) as error:
        load(text, "claims.yaml")
    assert error.value.line == line and words in error.value.message
    assert "\n" not in str(error.value)


def test_a_star_in_a_string_is_not_an_alias():
    text = dump(records(), "m.txt").replace("[26] cited", "p*q [26] cited & more", 1)
    loaded, _ = load(text, "claims.yaml")
    assert len(loaded) == 4


def test_duplicate_ids_are_found_among_many_claims():
    many = [r for _ in range(100) for r in records()]
    many = [
        type(r)(
            claim=type(r.claim)(**{**r.claim.__dict__, "id": f"c{i:05d}"}),
            context=r.context,
            fingerprint=r.fingerprint,
        )
        for i, r in enumerate(many)
    ]
    text = dump(many, "m.txt")
    assert len(load(text, "claims.yaml")[0]) == 400
    with pytest.raises(InputError, match="duplicate claim id c00399"):
        load(text.replace("id: c00399", "id: c00003").replace("id: c00003", "id: c00399"), "c.yaml")
