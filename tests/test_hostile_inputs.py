"""Property tests: whatever bytes a user's file holds, only citecheck's own errors escape.

Each loader and reader gets a realistic seed mutated by Hypothesis (spans inserted, deleted
or replaced by hostile tokens: bombs, huge numbers, deep nesting, bad encodings). Through
the CLI the property is: exit 0, 1 or 2, never a traceback or an "internal error"; through
the library: a result or an InputError/ReaderError. Bounded (max_examples, small seeds) so
the whole file runs in well under a minute.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.errors import USER_ERRORS
from tests import hostile_seeds as seeds

# CITECHECK_FUZZ_EXAMPLES raises the bound for a long local fuzzing session.
EXAMPLES = int(os.environ.get("CITECHECK_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw, seed: str) -> bytes:
    """The seed with up to four spans replaced by hostile tokens or random bytes."""
    data = seed.encode("utf-8")
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 40)))
        token = draw(st.sampled_from(seeds.TOKENS) | st.binary(max_size=8))
        data = data[:start] + token * draw(st.integers(1, 3)) + data[end:]
    return data


def cli(tmp_path: Path, files: dict[str, bytes], *args: str):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not escaped, f"{type(result.exception).__name__}: {result.exception}"
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output, (
        result.output
    )
    if result.exit_code == 2:
        assert result.output.strip().count("\n") == 0 or "error" in result.output
    return result


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def seed_bytes(text: str) -> bytes:
    return text.encode("utf-8")


@FUZZ
@given(data=mutated(seeds.MANUSCRIPT))
def test_text_manuscript(here, data):
    cli(here, {"paper.txt": data}, "check", "paper.txt", "--format", "json")


@FUZZ
@given(data=mutated(seeds.JATS))
def test_jats_manuscript(here, data):
    cli(here, {"paper.nxml": data}, "citations", "paper.nxml")


@FUZZ
@given(data=mutated(seeds.LATEX), bib=mutated(seeds.BIBTEX))
def test_latex_manuscript_and_bibtex(here, data, bib):
    cli(here, {"paper.tex": data, "refs.bib": bib}, "check", "paper.tex", "--refs", "refs.bib")


@FUZZ
@given(data=mutated(seeds.PANDOC), csl=mutated(seeds.CSL_JSON))
def test_pandoc_manuscript_and_csl_json(here, data, csl):
    cli(here, {"paper.md": data, "refs.json": csl}, "check", "paper.md", "--refs", "refs.json")


@FUZZ
@given(claims=mutated(seeds.CLAIMS))
def test_claims_yaml(here, claims):
    files = {"paper.txt": seed_bytes(seeds.MANUSCRIPT), "claims.yaml": claims}
    cli(here, files, "check", "paper.txt", "--claims", "claims.yaml")


@FUZZ
@given(lock=mutated(seeds.LOCK))
def test_lock_file(here, lock):
    files = {"refs.bib": seed_bytes(seeds.BIBTEX), "lock.json": lock}
    cli(here, files, "resolve", "--refs", "refs.bib", "--lock", "lock.json")


@FUZZ
@given(config=mutated(seeds.CONFIG))
def test_config_file(here, config):
    files = {"paper.txt": seed_bytes(seeds.MANUSCRIPT), "citecheck.toml": config}
    cli(here, files, "check", "paper.txt")


@FUZZ
@given(bib=mutated(seeds.BIBTEX))
def test_bibtex_through_fix_and_style(here, bib):
    cli(here, {"refs.bib": bib}, "bib", "--fix", "--refs", "refs.bib", "-o", "fixed.bib")
    cli(here, {}, "bib", "--style", "vancouver", "--refs", "refs.bib")


# --- the library loaders directly: only our errors -------------------------------------------


def only_our_errors(load, data: bytes) -> None:
    try:
        load(data.decode("utf-8", errors="replace"))
    except USER_ERRORS:
        pass


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(data=mutated(seeds.CLAIMS))
def test_claims_loader(data):
    from citecheck.claims.claimsfile import load

    only_our_errors(lambda text: load(text, "claims.yaml"), data)


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(data=mutated(seeds.LOCK))
def test_lock_parser(data):
    from citecheck.resolve.lock import parse_lock

    only_our_errors(lambda text: parse_lock(text, "lock.json"), data)


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(data=mutated(seeds.CSL_JSON))
def test_csl_json_reader(data):
    from citecheck.readers.pandoc import read_csl_json

    only_our_errors(lambda text: read_csl_json(text, "refs.json"), data)


# --- the bombs named in issue 13, each once -----------------------------------------------------


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


def test_a_yaml_alias_bomb_in_claims_is_refused_at_its_line(here):
    files = {"paper.txt": seed_bytes(seeds.MANUSCRIPT), "claims.yaml": BILLION_LAUGHS.encode()}
    result = cli(here, files, "check", "paper.txt", "--claims", "claims.yaml")
    assert result.exit_code == 2 and "claims.yaml:2: YAML aliases" in result.output


@pytest.mark.parametrize(
    "lock, message",
    [
        ('{"citecheck-lock": 1, "references": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        ('{"citecheck-lock": 1, "references": [{"number": ' + "1" * 5000 + "}]}", "digits"),
        ('{"citecheck-lock": 1, "references": [{"score": NaN}]}', "NaN"),
        ('{"citecheck-lock": 1, "references": [{"work": {"year": 1e999}}]}', "out of range"),
    ],
)
def test_hostile_lock_json_is_one_line(here, lock, message):
    files = {"refs.bib": seed_bytes(seeds.BIBTEX), "lock.json": lock.encode()}
    result = cli(here, files, "resolve", "--refs", "refs.bib", "--lock", "lock.json")
    assert result.exit_code == 2
    assert "lock.json" in result.output and message in result.output


def test_deep_yaml_is_one_line(here):
    deep = "schema_version: 2\nclaims: " + "[" * 5000 + "]" * 5000 + "\n"
    files = {"paper.txt": seed_bytes(seeds.MANUSCRIPT), "claims.yaml": deep.encode()}
    result = cli(here, files, "check", "paper.txt", "--claims", "claims.yaml")
    assert result.exit_code == 2 and "claims.yaml" in result.output


# --- the safe loaders themselves, on anything -----------------------------------------------


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(data=st.binary(max_size=200) | st.text(max_size=200) | mutated('{"a": [1, 2.5, "x", null]}'))
def test_parse_json_returns_a_value_or_a_json_error(data):
    from citecheck.safeload import JsonError, parse_json

    try:
        parse_json(data)
    except JsonError as error:
        assert "\n" not in error.message


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(text=st.text(max_size=200) | mutated(seeds.CLAIMS).map(lambda b: b.decode("utf-8", "replace")))
def test_load_yaml_returns_a_value_or_an_input_error(text):
    from citecheck.files import InputError
    from citecheck.safeload import load_yaml

    try:
        load_yaml(text, "x.yaml")
    except InputError as error:
        assert "\n" not in str(error)


# --- issue 13 leftovers: batch manifests, the evidence file, index snapshots ------------------

MANIFEST_JSONL = (
    '{"path": "paper.txt", "id": "P1"}\n'
    '{"manuscript": "paper.txt", "refs": "refs.bib", "doi": "10.1/x"}\n'
)
MANIFEST_CSV = "path,refs,id\npaper.txt,refs.bib,P1\n"
EVIDENCE = json.dumps(
    {
        "version": 1,
        "evidence": [
            {
                "number": 1,
                "source": "europepmc",
                "kind": "abstract",
                "sentences": ["Exosomes slowed disc degeneration in rats."],
                "doi": "10.1/x",
                "partial": False,
            }
        ],
    },
    indent=1,
)
SNAPSHOT_CROSSREF = json.dumps(
    {"items": [{"DOI": "10.1/x", "title": ["Exosomes"], "author": [{"family": "Cheng"}],
                "container-title": ["J Cell Mol Med"], "issued": {"date-parts": [[2018]]}}]}
)
SNAPSHOT_OPENALEX = (
    '{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/x", "title": "Exosomes",'
    ' "publication_year": 2018, "authorships": [{"author": {"display_name": "Xiang Cheng"}}],'
    ' "ids": {"pmid": "https://pubmed.ncbi.nlm.nih.gov/123"}, "biblio": {"volume": "22"}}\n'
) * 2
# Hostile JSON values for one line or one file: each must be a one-line error naming it.
JSON_BOMBS = [
    ("[" * 100_000 + "]" * 100_000, "nested"),
    ('{"number": ' + "1" * 5000 + "}", "digits"),
    ('{"number": NaN}', "NaN"),
    ('{"year": 1e999}', "out of range"),
    ('{"a": ', "not valid JSON"),
]


@FUZZ
@given(data=mutated(MANIFEST_JSONL) | mutated(MANIFEST_CSV), csv=st.booleans())
def test_batch_manifest(here, data, csv):
    from citecheck.batch.inputs import expand

    (here / "paper.txt").write_bytes(seed_bytes(seeds.MANUSCRIPT))
    manifest = here / ("m.csv" if csv else "m.jsonl")
    manifest.write_bytes(data)
    for item in expand([str(manifest)], here / "work"):  # errors are records, not exceptions
        assert "\n" not in item.error


@pytest.mark.parametrize("line, message", JSON_BOMBS)
def test_hostile_manifest_line_is_an_error_record_naming_its_line(here, line, message):
    from citecheck.batch.inputs import expand

    (here / "paper.txt").write_bytes(seed_bytes(seeds.MANUSCRIPT))
    (here / "m.jsonl").write_text('{"path": "paper.txt"}\n' + line + "\n", encoding="utf-8")
    items = expand([str(here / "m.jsonl")], here / "work")
    [good] = [item for item in items if not item.error]
    [bad] = [item for item in items if item.error]
    assert good.path.endswith("paper.txt")
    assert bad.error.startswith("line 2: not JSON") and message in bad.error


def evidence_files(evidence: bytes) -> dict[str, bytes]:
    return {
        "paper.txt": seed_bytes(seeds.MANUSCRIPT),
        "lock.json": seed_bytes(seeds.LOCK),
        "lock.evidence.json": evidence,
    }


@FUZZ
@given(evidence=mutated(EVIDENCE))
def test_evidence_file(here, evidence):
    cli(here, evidence_files(evidence), "check", "paper.txt", "--lock", "lock.json")


@pytest.mark.parametrize("document, message", JSON_BOMBS)
def test_hostile_evidence_file_is_one_line(here, document, message):
    files = evidence_files(document.encode())
    result = cli(here, files, "check", "paper.txt", "--lock", "lock.json")
    assert result.exit_code == 2 and message in result.output
    assert result.output.startswith("error: lock.evidence.json") or "lock.evidence.json" in (
        result.output.splitlines()[0]
    )


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(data=mutated(SNAPSHOT_CROSSREF) | mutated(SNAPSHOT_OPENALEX))
def test_index_snapshot_reader(data):
    from citecheck.resolve.index.records import works_in

    only_our_errors(lambda text: list(works_in("snap.jsonl", text.encode())), data)


@pytest.mark.parametrize("line, message", JSON_BOMBS)
def test_hostile_snapshot_line_is_one_line_naming_file_and_line(here, line, message):
    snapshot = SNAPSHOT_OPENALEX.splitlines()[0] + "\n" + line + "\n"
    result = cli(here, {"snap.jsonl": snapshot.encode()}, "index", "build", "snap.jsonl", "-o", "i.db")
    assert result.exit_code == 2 and "snap.jsonl:2:" in result.output and message in result.output


def test_a_csv_field_over_the_csv_limit_is_one_line_naming_its_line(here):
    from citecheck.batch.inputs import expand
    from citecheck.files import InputError
    from citecheck.resolve.retractions import parse_csv

    huge = '"' + "a" * 200_000 + '"'
    (here / "m.csv").write_text(f"path,id\npaper.txt,{huge}\n", encoding="utf-8")
    [item] = expand([str(here / "m.csv")], here / "work")
    assert item.error == "line 2: not CSV (field larger than field limit (131072))"
    header = "Record ID,OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature\n"
    with pytest.raises(InputError, match=r"r.csv:2: malformed CSV: field larger"):
        list(parse_csv(header + f"1,10.1/x,{huge},Retraction\n", "r.csv"))


@pytest.mark.parametrize(
    "document, line",
    [
        ('{"a": "NaN, [[ and 1e999 in a string",\n "b": [1,\n  NaN]}', 3),
        ('{"a": 1,\n "b": ' + "9" * 200 + "}", 2),
        ('{"a": 1,\n\n "year": -1e999}', 3),
        ('{"a": "[[[",\n "b": ' + "[" * 150 + "]" * 150 + "}", 2),
    ],
)
def test_a_json_value_error_names_its_line(document, line):
    from citecheck.safeload import JsonError, parse_json

    with pytest.raises(JsonError) as caught:
        parse_json(document)
    assert caught.value.lineno == line


@pytest.mark.parametrize("name", ["1" * 5000 + "paper.txt", "pa\\u0000per.txt"])
def test_manifest_path_the_file_system_refuses_is_an_error_record(here, name):
    """Found by Hypothesis: a 5,000-character name was an OSError out of batch input expansion."""
    from citecheck.batch.inputs import expand

    (here / "m.jsonl").write_text(f'{{"path": "{name}"}}\n', encoding="utf-8")
    [item] = expand([str(here / "m.jsonl")], here / "work")
    assert item.error.startswith("line 1: ") and "\n" not in item.error


def test_an_input_name_the_file_system_refuses_is_an_error_record(here):
    from citecheck.batch.inputs import expand

    [item] = expand(["x" * 5000 + ".txt"], here / "work")
    assert item.error.startswith("unusable path")
