"""Retraction Watch offline: the CSV shape Crossref publishes, imported once, read by every check."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.files import InputError
from citecheck.model import Location, Reference, Resolution, Verdict, Work
from citecheck.resolve.retractions import RetractionDB, build, parse_csv

HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,"
    "RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,"
    "OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes\n"
)
ROWS = [
    '1,Paper A,(BLS) Biology;,Uni,J A,Pub,China,A Author,,Research Article;,8/16/2023 0:00,'
    "10.1155/2023/9804945,0,9/24/2021 0:00,10.1155/2021/6907871,0,Retraction,+Fake;,No,\n",
    "2,Paper B,,,J B,Pub,US,B Author,,Research Article;,1/2/2020 0:00,unavailable,0,"
    "1/1/2019 0:00,10.1000/corrected.1,31234567,Correction,,No,\n",
    "3,Paper C,,,J C,Pub,US,C Author,,Research Article;,1/2/2020 0:00,10.1000/eoc.n,0,"
    "1/1/2019 0:00,10.1000/concern.1,0,Expression of concern,,No,\n",
    "4,Paper C,,,J C,Pub,US,C Author,,Research Article;,1/2/2022 0:00,10.1000/re.n,0,"
    "1/1/2019 0:00,10.1000/reinstated.1,0,Retraction,,No,\n",
    "5,Paper C,,,J C,Pub,US,C Author,,Research Article;,1/2/2023 0:00,10.1000/re.m,0,"
    "1/1/2019 0:00,10.1000/reinstated.1,0,Reinstatement,,No,\n",
]


def table(tmp_path: Path) -> RetractionDB:
    path = tmp_path / "retractions.sqlite"
    build(parse_csv(HEADER + "".join(ROWS)), path)
    return RetractionDB(path)


def ref(number: int, doi: str = "", pmid: str = "") -> Reference:
    return Reference(key="", raw=f"Someone. A paper. doi:{doi}", location=Location("m.txt", number),
                     number=number, doi=doi, pmid=pmid, title="A paper")


def test_a_retracted_doi_of_a_matched_record_gets_the_notice(tmp_path):
    db = table(tmp_path)
    work = Work(doi="10.1155/2021/6907871", title="A paper")
    out = db.annotate([ref(1, "10.1155/2021/6907871")], {1: Resolution(Verdict.MATCHED, work)})
    (update,) = out[1].work.updated_by
    assert (update.type, update.doi) == ("retraction", "10.1155/2023/9804945")
    assert out[1].work.title == "A paper"


def test_an_unresolved_entry_is_flagged_by_its_own_doi_or_pmid(tmp_path):
    db = table(tmp_path)
    out = db.annotate([ref(1, "https://doi.org/10.1155/2021/6907871"), ref(2, pmid="31234567")], {})
    assert out[1].source == "retraction-watch" and out[1].work.updated_by[0].type == "retraction"
    assert out[2].work.updated_by[0].type == "correction"


def test_reinstated_works_and_unknown_dois_are_left_alone(tmp_path):
    db = table(tmp_path)
    assert db.annotate([ref(1, "10.1000/reinstated.1"), ref(2, "10.9999/clean")], {}) == {}


def test_a_check_reports_the_retraction_without_a_request(tmp_path, monkeypatch):
    from citecheck.model import Manuscript, Project
    from citecheck.rules import run
    from citecheck.rules.metadata import RULES

    db = table(tmp_path)
    refs = (ref(1, "10.1155/2021/6907871"), ref(2, "10.1000/concern.1"))
    project = Project(Manuscript("m.txt", references=refs), resolutions=db.annotate(refs, {}))
    slugs = sorted(f.rule for f in run(project, RULES, severities={}, disabled=()))
    assert "retracted-reference" in slugs and "expression-of-concern" in slugs
    assert "doi-mismatch" not in slugs


def test_a_file_that_is_not_the_csv_is_one_line_error():
    with pytest.raises(InputError, match="not a Retraction Watch CSV"):
        list(parse_csv("a,b\n1,2\n", "x.csv"))


SAMPLE = Path(__file__).resolve().parents[2] / "shared/data/sources/retractions"


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared retraction samples not present")
def test_the_real_sample_row_parses():
    text = (SAMPLE / "ons-wikidata_retraction-watch-csv_header-and-1-row.csv").read_text()
    (notice,) = parse_csv(text)
    assert notice.kind == "retraction" and notice.doi == "10.1155/2021/6907871"


def test_update_from_a_file_then_check_flags_offline(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from citecheck.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    csv_file = tmp_path / "retraction_watch.csv"
    csv_file.write_text(HEADER + "".join(ROWS))
    update = CliRunner().invoke(main, ["retractions", "update", "--from", str(csv_file)])
    assert update.exit_code == 0, update.output
    assert "5 Retraction Watch notices" in update.output
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, author={Zhang, Haiyan}, title={Construction of Mental Health Education},"
        " journal={Advances in Multimedia}, year={2021}, doi={10.1155/2021/6907871},"
        " refnumber={1}}\n"
    )
    claims = tmp_path / "claims.yaml"
    claims.write_text("schema_version: 3\nclaims: []\n")
    result = CliRunner().invoke(
        main, ["check", "--refs", str(bib), "--claims", str(claims), "--format", "json",
               "--lock", str(tmp_path / "none.lock.json")]
    )
    import json

    rules = [f["rule"] for f in json.loads(result.output)["findings"]]
    assert "retracted-reference" in rules
    assert "(Retraction Watch, 2023-08-16)" in result.output


def test_update_with_a_file_that_is_not_the_csv_is_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from citecheck.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["retractions", "update", "--from", str(bad)])
    assert result.exit_code == 2 and "not a Retraction Watch CSV" in result.output
    assert not (tmp_path / "cache" / "citecheck" / "retractions.sqlite").exists()
