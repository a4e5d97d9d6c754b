"""`citecheck batch`: inputs of every kind, error records, resumable runs, corpus tables."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from citecheck.batch.inputs import expand
from citecheck.batch.unique import UniqueResolver, identity_key
from citecheck.model import Location, Reference, Work

MANUSCRIPT = """Title

Exosomes repair the disc [1]. Stem cells migrate [2], as Wang et al. [1] showed.

References

1. Wang A, Li B. Exosomes in disc repair. Spine J. 2020;20(3):100-110. doi:10.1000/spine.1
2. Chen C, Kim D. Stem cell migration in the disc. Stem Cells. 2019;37:55-66.
"""


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MANUSCRIPT)
    (folder / "b.txt").write_text(MANUSCRIPT.replace("[2]", "[3]"))
    (folder / "empty.txt").write_text("")
    return folder


def test_inputs_folders_globs_manifests_and_archives(tmp_path):
    folder = corpus(tmp_path)
    (tmp_path / "m.csv").write_text("path,bibliography,id\nin/a.md,,PMC1\nin/missing.txt,,\n")
    (tmp_path / "m.jsonl").write_text('{"path": "in/b.txt"}\nnot json\n')
    with tarfile.open(tmp_path / "p.tar.gz", "w:gz") as tar:
        for name, data in (("pkg/x.nxml", b"<article/>"), ("../evil.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as z:
        z.writestr("doc.md", MANUSCRIPT)
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    items = expand(
        [str(folder), str(tmp_path / "in/*.md"), str(tmp_path / "m.csv"), str(tmp_path / "m.jsonl"),
         str(tmp_path / "p.tar.gz"), str(tmp_path / "z.zip"), str(tmp_path / "nothing*.txt"),
         str(tmp_path / "bad.zip")],
        tmp_path / "out",
    )
    paths = [i.path for i in items if not i.error]
    assert sum(p.endswith("a.md") for p in paths) == 1  # the same file once
    assert any(p.endswith("pkg/x.nxml") for p in paths) and any(p.endswith("doc.md") for p in paths)
    assert not any("evil" in p for p in paths)
    assert not (tmp_path / "out" / "evil.txt").exists()
    errors = [i.error for i in items if i.error]
    assert any("missing.txt" in e for e in errors) and any("not JSON" in e for e in errors)
    assert any("no file matches" in e for e in errors)
    assert any("cannot read archive" in e for e in errors)  # bad.zip: a record, not a crash
    assert len({i.name for i in items}) == len(items)
    (folder / "out" / "reports").mkdir(parents=True)
    (folder / "out" / "reports" / "a.md.md").write_text("# a report\n")
    again = expand([str(folder)], folder / "out")
    assert not any("out" in Path(i.path).parts for i in again)  # --out inside an input


def ref(raw: str, number: int, **fields) -> Reference:
    return Reference(key="", raw=raw, location=Location("m", number), number=number, **fields)


class CountingSource:
    name = "fake"

    def __init__(self):
        self.calls = 0

    def work(self, doi):
        self.calls += 1
        return Work(doi=doi, title="Exosomes in disc repair")

    def search(self, text, rows=5):
        self.calls += 1
        return []


def test_each_unique_reference_is_resolved_once(monkeypatch):
    from citecheck.resolve.index import lookup

    source = CountingSource()
    monkeypatch.setattr(lookup, "resolve_with_index", lambda r, i: __import__(
        "citecheck.resolve.match", fromlist=["x"]).resolve_reference(r, i))
    resolver = UniqueResolver(index=source)
    a = ref("Wang A. Exosomes in disc repair. doi:10.1000/X", 1, doi="10.1000/x")
    b = ref("WANG A: Exosomes in disc repair, https://doi.org/10.1000/X", 7, doi="10.1000/X")
    c = ref("Chen C. Stem cells.", 2)
    c2 = ref("Chen  C.  Stem cells", 5)
    assert identity_key(a) == identity_key(b) and identity_key(c) == identity_key(c2)
    resolver.resolve([a, c])
    resolver.resolve([b, c2])
    assert resolver.counts.unique == 2 and source.calls == 2
    assert resolver.resolutions_for([b])[7].query == b.raw


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                           dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_batch_writes_reports_tables_and_resumes(tmp_path, dask_client):
    import pyarrow.parquet as pq

    from citecheck.batch.corpus import write_corpus
    from citecheck.batch.engine import Settings, run_batch
    from citecheck.config import Config

    items = expand([str(corpus(tmp_path))], tmp_path / "out")
    out = tmp_path / "out"
    settings = Settings(Config(), formats=("json", "sarif"))
    first = run_batch(items, out, settings, UniqueResolver(), dask_client)
    assert (first.checked, first.failed, first.skipped) == (2, 1, 0)
    report = json.loads((out / "reports" / "b.txt.json").read_text())
    assert any(f["rule"] == "missing-reference" for f in report["findings"])
    assert (out / "reports" / "a.md.sarif").exists()
    tables = write_corpus(out, [i.name for i in items])
    manuscripts = pq.read_table(out / "manuscripts.parquet").to_pylist()
    (bad,) = [m for m in manuscripts if m["status"] == "error"]
    assert "empty.txt" in bad["path"] and bad["error"]
    assert pq.read_table(out / "references.parquet").num_rows == 4
    assert len(tables["findings"]) == pq.read_table(out / "findings.parquet").num_rows
    page = (out / "summary.html").read_text()
    assert "<svg" in page and "<script" not in page and "Findings per rule" in page

    again = run_batch(items, out, settings, UniqueResolver(), dask_client)
    assert (again.checked, again.skipped) == (0, 3)
    (tmp_path / "in" / "a.md").write_text(MANUSCRIPT + "\n")
    third = run_batch(items, out, settings, UniqueResolver(), dask_client)
    assert (third.checked, third.skipped) == (1, 2)


def test_batch_command_end_to_end_on_a_local_cluster(tmp_path):
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    from click.testing import CliRunner

    from citecheck.cli import main

    folder = corpus(tmp_path)
    out = tmp_path / "out"
    args = ["batch", str(folder), str(tmp_path / "none*.txt"), "--out", str(out), "-q",
            "--workers", "1", "--format", "markdown"]
    first = CliRunner().invoke(main, args)
    # empty.txt and the pattern matching nothing are error records: exit 2, as `check` on them
    assert first.exit_code == 2, first.output
    assert "4 manuscripts (2 checked, 0 unchanged, 2 unreadable)" in first.output
    assert "2 input(s) could not be checked" in first.output and "Traceback" not in first.output
    assert (out / "reports" / "a.md.md").exists() and (out / "summary.html").exists()
    second = CliRunner().invoke(main, args)
    assert "(0 checked, 4 unchanged, 0 unreadable)" in second.output
    assert second.exit_code == 2  # a rerun that skips the broken inputs still reports them


def test_batch_with_nothing_to_check_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from citecheck.cli import main

    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("citecheck: error:") and "no manuscripts" in result.output


def test_batch_runs_on_an_existing_cluster_given_by_address(tmp_path, dask_client):
    from click.testing import CliRunner

    from citecheck.cli import main

    address = dask_client.scheduler.address
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", str(corpus(tmp_path)), "--out", str(out), "-q", "--scheduler", address]
    )
    assert result.exit_code == 2, result.output  # empty.txt is an error record
    assert "3 manuscripts (2 checked" in result.output
    assert dask_client.status == "running"  # the cluster is not ours to stop


def test_index_lookups_run_on_the_workers_and_each_unique_reference_once(tmp_path, dask_client):
    import gzip

    from citecheck.batch.engine import Settings, run_batch
    from citecheck.config import Config
    from citecheck.resolve.index.build import build_index
    from citecheck.resolve.index.lookup import IndexSource

    items = [{"DOI": "10.1000/spine.1", "title": ["Exosomes in disc repair"],
              "author": [{"family": "Wang", "given": "A."}], "container-title": ["Spine J"],
              "issued": {"date-parts": [[2020]]}, "volume": "20", "issue": "3",
              "page": "100-110", "type": "journal-article"}]
    (tmp_path / "s.json.gz").write_bytes(gzip.compress(json.dumps({"items": items}).encode()))
    build_index(tmp_path / "s.json.gz", tmp_path / "m.idx")
    resolver = UniqueResolver(index=IndexSource(tmp_path / "m.idx"))
    out = tmp_path / "out"
    inputs = expand([str(corpus(tmp_path))], out)
    run_batch(inputs, out, Settings(Config()), resolver, dask_client)
    assert resolver.index_map is not None  # the engine sent the lookups to the workers
    assert resolver.counts.unique == resolver.counts.index == 2  # both lists cite the same two
    references = [json.loads(p.read_text()) for p in (out / "rows").glob("*.json")]
    verdicts = {(r["doi"], r["verdict"], r["source"]) for m in references for r in m["references"]}
    assert ("10.1000/spine.1", "matched", "local-index") in verdicts


def test_summary_plots_retraction_exposure_and_most_cited_retracted_works_escaped():
    from citecheck.batch.corpus import summary_html

    def reference(ms, doi, retracted, title="t"):
        return {"manuscript": ms, "doi": doi, "title": title, "retracted": retracted}

    tables = {
        "manuscripts": [
            {"manuscript": m, "status": "ok", "findings": 1, "retracted_references": r,
             "retraction_exposure": r / 4, "path": m, "error": ""}
            for m, r in (("m1", 2), ("m2", 1), ("m3", 0))
        ],
        "findings": [{"rule": "retracted-reference"}] * 3,
        "references": [
            reference("m1", "10.1/bad", True, "<script>alert(1)</script>"),
            reference("m1", "10.1/worse", True), reference("m2", "10.1/bad", True),
            reference("m3", "10.1/ok", False),
        ],
    }
    page = summary_html(tables)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "50.0%" in page and "25.0%" in page  # m1 and m2's exposure
    most = page.split("Most-cited retracted works")[-1]
    assert most.index("10.1/bad") < most.index("10.1/worse")  # cited by two manuscripts
    assert "2 manuscripts cite at least one retracted work" in page


def test_a_task_that_dies_outside_its_guard_is_an_error_record(tmp_path, dask_client, monkeypatch):
    from citecheck.batch import engine
    from citecheck.config import Config

    def dies(item, parsed, resolutions, settings):
        if item.name == "b.txt":
            raise RuntimeError("KilledWorker: worker exceeded 95% memory budget")
        return real(item, parsed, resolutions, settings)

    real = engine.check_task
    monkeypatch.setattr(engine, "check_task", dies)
    out = tmp_path / "out"
    items = expand([str(corpus(tmp_path))], out)
    summary = engine.run_batch(items, out, engine.Settings(Config()), UniqueResolver(), dask_client)
    errors = [json.loads(p.read_text())["manuscripts"][0]["error"] for p in (out / "rows").glob("*")]
    assert (summary.checked, summary.failed) == (1, 2), errors
    rows = json.loads((out / "rows" / "b.txt.json").read_text())["manuscripts"][0]
    assert rows["status"] == "error" and "worker processing it failed" in rows["error"]


def test_an_output_folder_that_is_a_file_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from citecheck.cli import main

    (tmp_path / "taken").write_text("x")
    result = CliRunner().invoke(main, ["batch", str(corpus(tmp_path)), "--out", str(tmp_path / "taken")])
    assert result.exit_code == 2 and "is a file" in result.output and "Traceback" not in result.output
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o500)
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "in"), "--out", str(readonly / "o")])
    readonly.chmod(0o700)
    if os.geteuid() != 0:  # root may write anywhere
        assert result.exit_code == 2 and "cannot be used as the output folder" in result.output


def test_damaged_state_and_rows_files_restart_those_manuscripts(tmp_path, dask_client):
    """Files batch wrote itself are read through safeload: truncated, corrupt or not an
    object, that manuscript is checked again (a clean restart for it), never a traceback."""
    from citecheck.batch.corpus import collect
    from citecheck.batch.engine import Settings, run_batch
    from citecheck.config import Config

    items = expand([str(corpus(tmp_path))], tmp_path / "out")
    out = tmp_path / "out"
    settings = Settings(Config())
    assert run_batch(items, out, settings, UniqueResolver(), dask_client).checked == 2
    state_a = out / "state" / "a.md.json"
    state_a.write_text(state_a.read_text()[:20])  # truncated
    (out / "state" / "empty.txt.json").write_text("[1, 2]")  # valid JSON, not a state
    (out / "rows" / "b.txt.json").write_text('{"manuscripts": [NaN]')  # corrupt rows
    again = run_batch(items, out, settings, UniqueResolver(), dask_client)
    assert (again.checked, again.failed, again.skipped) == (2, 1, 0)
    tables = collect(out, [i.name for i in items])
    assert len(tables["manuscripts"]) == 3
    (out / "rows" / "a.md.json").write_text('{"manuscripts": 7, "findings": [1, {"rule": "x"}]}')
    assert collect(out, ["a.md"])["findings"] == [{"rule": "x"}]


def _batch(*args):
    from click.testing import CliRunner

    from citecheck.cli import main

    return CliRunner().invoke(main, ["batch", *map(str, args), "-q", "--workers", "1"])


def test_batch_exit_status_for_manifests_and_fail_on(tmp_path):
    """0 all checked; 1 a finding reached --fail-on; 2 an input could not be used (a bad
    manifest line, a malformed manifest), its error record written and the rest checked."""
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MANUSCRIPT)
    good = folder / "good.jsonl"
    good.write_text('{"path": "a.md"}\n')
    assert _batch(good, "--out", tmp_path / "o1").exit_code == 0
    (folder / "b.md").write_text(MANUSCRIPT.replace("[2]", "[3]"))  # cites a missing entry
    wrong = folder / "wrong.jsonl"
    wrong.write_text('{"path": "b.md"}\n')
    assert _batch(wrong, "--out", tmp_path / "o4").exit_code == 0  # default: never
    assert _batch(wrong, "--out", tmp_path / "o4", "--fail-on", "error").exit_code == 1
    bad_line = folder / "bad.jsonl"
    bad_line.write_text('{"path": "a.md"}\n{"path": \n')
    result = _batch(bad_line, "--out", tmp_path / "o2")
    assert result.exit_code == 2 and "1 input(s) could not be checked" in result.output
    rows = pq.read_table(tmp_path / "o2" / "manuscripts.parquet").to_pylist()
    assert sorted(r["status"] for r in rows) == ["error", "ok"]
    assert any("line 2: not JSON" in r["error"] for r in rows)
    malformed = folder / "broken.csv"
    malformed.write_text("title\nno path column here\n")
    result = _batch(malformed, "--out", tmp_path / "o3")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_manuscript_over_the_timeout_is_an_error_record_naming_it(tmp_path, dask_client, monkeypatch):
    """One pathological manuscript must not stall the corpus: past --timeout it becomes an
    error record naming the timeout, and the others are checked."""
    import time

    import citecheck.readers
    from citecheck.batch.engine import Settings, run_batch
    from citecheck.config import Config

    real = citecheck.readers.read_manuscript

    def slow_on_b(path, refs=None):
        if path.endswith("b.txt"):
            time.sleep(6)
        return real(path, refs)

    monkeypatch.setattr(citecheck.readers, "read_manuscript", slow_on_b)
    items = expand([str(corpus(tmp_path))], tmp_path / "out")
    out = tmp_path / "out"
    started = time.monotonic()
    summary = run_batch(items, out, Settings(Config(), timeout=0.5), UniqueResolver(), dask_client)
    assert time.monotonic() - started < 5  # not waiting for the 6 s manuscript
    assert (summary.checked, summary.failed) == (1, 2)  # b.txt timed out, empty.txt is empty
    rows = json.loads((out / "rows" / "b.txt.json").read_text())["manuscripts"][0]
    assert rows["status"] == "error"
    assert rows["error"] == "timed out after 0.5 s while reading (batch --timeout)"


def test_a_negative_timeout_is_refused_in_one_line(tmp_path):
    pytest.importorskip("distributed")
    result = _batch(tmp_path / "nothing", "--out", tmp_path / "o", "--timeout", "-1")
    assert result.exit_code == 2 and "--timeout" in result.output
