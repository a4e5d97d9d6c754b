"""The local metadata index: built from Crossref and OpenAlex dump shapes, asked first."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from citecheck.files import InputError
from citecheck.model import Location, Reference, Verdict
from citecheck.resolve.index.build import build_index
from citecheck.resolve.index.lookup import IndexSource, resolve_with_index

ITEMS = [
    {
        "DOI": "10.1016/j.cell.2009.01.002",
        "title": ["MicroRNAs: target recognition and regulatory functions"],
        "author": [{"family": "Bartel", "given": "David P."}],
        "container-title": ["Cell"],
        "issued": {"date-parts": [[2009, 1, 23]]},
        "volume": "136", "issue": "2", "page": "215-233", "type": "journal-article",
    },
    {
        "DOI": "10.1038/nature02168",
        "title": ["The functions of animal microRNAs"],
        "author": [{"family": "Ambros", "given": "Victor"}],
        "container-title": ["Nature"],
        "issued": {"date-parts": [[2004]]},
        "volume": "431", "page": "350-355", "type": "journal-article",
        "updated-by": [{"type": "correction", "DOI": "10.1038/fix"}],
    },
]
OPENALEX = {
    "doi": "https://doi.org/10.1126/science.1102513",
    "ids": {"pmid": "https://pubmed.ncbi.nlm.nih.gov/15388859"},
    "title": "Heat shock protein regulation in intervertebral disc degeneration",
    "authorships": [{"author": {"display_name": "Wei Zhang"}}],
    "primary_location": {"source": {"display_name": "Science"}},
    "publication_year": 2004,
    "biblio": {"volume": "305", "issue": "5684", "first_page": "1434", "last_page": "1437"},
    "type": "article",
}


@pytest.fixture
def index(tmp_path: Path) -> IndexSource:
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / "0.json.gz").write_bytes(gzip.compress(json.dumps({"items": ITEMS}).encode()))
    (snapshot / "part_000.gz").write_bytes(gzip.compress((json.dumps(OPENALEX) + "\n").encode()))
    stats = build_index(snapshot, tmp_path / "meta.idx")
    assert stats.records == 3
    return IndexSource(tmp_path / "meta.idx")


def ref(raw: str, **fields) -> Reference:
    return Reference(key="", raw=raw, location=Location("m.txt", 1), number=1, **fields)


def test_lookup_by_doi_and_pmid_keeps_the_matching_fields(index):
    work = index.work("https://doi.org/10.1038/NATURE02168")
    assert work.title == "The functions of animal microRNAs" and work.volume == "431"
    assert work.updated_by[0].type == "correction"
    assert index.by_pmid("15388859").authors[0].family == "Zhang"
    assert index.work("10.1/absent") is None


def test_a_reference_without_doi_is_matched_by_title_words_and_validated(index):
    r = ref(
        "Bartel DP. MicroRNAs: target recognition and regulatory functions. Cell. 2009;136:215-33.",
        title="MicroRNAs: target recognition and regulatory functions",
        authors=(), year=2009, volume="136", pages="215-33", container="Cell",
    )
    res = resolve_with_index(r, index)
    assert res.verdict is Verdict.MATCHED and res.source == "local-index"
    assert res.work.doi == "10.1016/j.cell.2009.01.002"


def test_a_work_the_index_lacks_is_not_found_not_a_wrong_match(index):
    r = ref("Smith J. Deep learning for protein folding. J Mol Biol. 2020;12:1-9.",
            title="Deep learning for protein folding", year=2020)
    assert resolve_with_index(r, index).verdict is Verdict.NOT_FOUND


def test_a_missing_or_foreign_file_is_one_line(tmp_path):
    with pytest.raises(InputError, match="no such index"):
        IndexSource(tmp_path / "none.idx")
    (tmp_path / "x.idx").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a citecheck index"):
        IndexSource(tmp_path / "x.idx")


def test_check_with_index_records_the_source(index, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from citecheck.cli import main

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, author={Ambros, Victor}, title={The functions of animal microRNAs},"
        " journal={Nature}, year={2004}, volume={431}, pages={350--355},"
        " doi={10.1038/nature02168}, refnumber={1}}\n"
    )
    monkeypatch.chdir(tmp_path)
    lock = tmp_path / "refs.lock.json"
    result = CliRunner().invoke(
        main, ["resolve", "--refs", str(bib), "--lock", str(lock), "--index", str(index.path)]
    )
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(lock.read_text())["references"]
    assert entry["source"] == "local-index" and entry["verdict"] == "matched"


def test_a_malformed_snapshot_file_is_one_line_naming_it(tmp_path):
    snapshot = tmp_path / "snap"
    snapshot.mkdir()
    (snapshot / "0.json.gz").write_bytes(gzip.compress(json.dumps({"items": ITEMS}).encode()))
    (snapshot / "1.jsonl").write_text('{"doi": "https://doi.org/10.1/a"}\n{broken\n')
    with pytest.raises(InputError, match=r"1\.jsonl.*malformed JSON line") as caught:
        build_index(snapshot, tmp_path / "x.idx")
    assert caught.value.line == 2
    assert not (tmp_path / "x.idx").exists()


def test_a_title_of_common_words_is_found_by_all_of_them(tmp_path, monkeypatch):
    from citecheck.resolve.index import lookup

    def item(doi, title, family, year, volume, page):
        return {"DOI": doi, "title": [title], "author": [{"family": family, "given": "R. L."}],
                "container-title": ["CA: A Cancer Journal for Clinicians"],
                "issued": {"date-parts": [[year]]}, "volume": volume, "page": page,
                "type": "journal-article"}

    items = [
        item("10.3322/caac.21590", "Cancer statistics, 2020", "Siegel", 2020, "70", "7-30"),
        item("10.3322/caac.21551", "Cancer statistics, 2019", "Siegel", 2019, "69", "7-34"),
        item("10.3322/caac.21492", "Global cancer statistics 2018", "Bray", 2018, "68", "394-424"),
    ]
    (tmp_path / "0.json.gz").write_bytes(gzip.compress(json.dumps({"items": items}).encode()))
    build_index(tmp_path / "0.json.gz", tmp_path / "c.idx")
    monkeypatch.setattr(lookup, "COMMON", 1)  # as "cancer" and "statistics" are in Crossref
    r = ref("Siegel RL, Miller KD, Jemal A. Cancer statistics, 2020. CA Cancer J Clin. "
            "2020;70(1):7-30.", title="Cancer statistics, 2020", year=2020, volume="70",
            pages="7-30", container="CA Cancer J Clin")
    res = resolve_with_index(r, IndexSource(tmp_path / "c.idx"))
    assert res.verdict is Verdict.MATCHED and res.work.doi == "10.3322/caac.21590"


def test_the_index_named_in_the_configuration_is_used(index, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from citecheck.cli import main

    (tmp_path / "citecheck.toml").write_text(f'index = "{index.path.name}"\n')
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, author={Bartel, David P.}, title={MicroRNAs: target recognition and "
        "regulatory functions}, journal={Cell}, year={2009}, volume={136}, pages={215--233},"
        " refnumber={1}}\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["resolve", "--refs", "refs.bib", "--lock", "r.lock.json"])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads((tmp_path / "r.lock.json").read_text())["references"]
    assert (entry["source"], entry["doi"]) == ("local-index", "10.1016/j.cell.2009.01.002")


def test_crossrefs_tar_bundle_is_read_member_by_member(tmp_path):
    import io
    import tarfile

    bundle = tmp_path / "April 2025 Public Data File from Crossref.tar"
    with tarfile.open(bundle, "w") as tar:
        for n, item in enumerate(ITEMS):
            data = gzip.compress(json.dumps({"items": [item]}).encode())
            info = tarfile.TarInfo(f"April 2025 Public Data File from Crossref/{n}.json.gz")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    stats = build_index(bundle, tmp_path / "t.idx", workers=2)
    assert stats.records == 2
    assert IndexSource(tmp_path / "t.idx").work("10.1038/nature02168") is not None
    broken = tmp_path / "broken.tar"
    broken.write_bytes(bundle.read_bytes()[:700])
    with pytest.raises(InputError, match="broken.tar"):
        build_index(broken, tmp_path / "b.idx", workers=1)


def _cli(*args):
    from click.testing import CliRunner

    from citecheck.cli import main

    return CliRunner().invoke(main, list(args))


def test_a_damaged_record_or_metadata_is_one_line_not_a_traceback(index):
    import sqlite3

    with sqlite3.connect(index.path) as db:
        db.execute("UPDATE works SET data = x'789c0300' WHERE doi = '10.1038/nature02168'")
        db.execute("UPDATE meta SET value = 'many' WHERE key = 'records'")
    fresh = IndexSource(index.path)
    with pytest.raises(InputError, match="damaged record.*citecheck index build"):
        fresh.work("10.1038/nature02168")
    with pytest.raises(InputError, match="metadata is damaged"):
        fresh.records()
    result = _cli("index", "lookup", str(index.path), "10.1038/nature02168")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "damaged record" in result.output


def test_a_truncated_index_file_is_one_line(index, tmp_path):
    data = index.path.read_bytes()
    cut = tmp_path / "cut.idx"
    cut.write_bytes(data[: len(data) // 2])
    result = _cli("index", "lookup", str(cut), "microRNAs target recognition regulatory functions")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("citecheck: error:") and result.output.count("\n") == 1
