"""`bib --fix --diff --level safe|all`: a reviewable fix that edits only the changed fields."""

from __future__ import annotations

from dataclasses import replace

from click.testing import CliRunner

from citecheck.bibliography.bib import read_bibtex
from citecheck.bibliography.fix import fixed_text, write_fixed_bib
from citecheck.cli import main
from citecheck.model import Author, Resolution, Verdict, Work
from citecheck.resolve.lock import Lock, LockEntry, save_lock

RECORD = Work(
    doi="10.1016/j.exger.2023.112119",
    title="The mechanisms and functions of TNF-alpha in intervertebral disc degeneration",
    authors=(Author("Pan", "H. Y."), Author("Li", "H. T."), Author("Guo", "S.")),
    container_title="Experimental Gerontology",
    short_container_title="Exp Gerontol",
    year=2023,
    volume="174",
    page="112119",
    pmid="36758650",
)

# A hand-written .bib: a comment, aligned `=`, a bare year, fields in the author's order.
BIB = """\
% Lab references -- keep this comment
@article{pan2023,
  author  = {Pan, H. Y. and Li, H. T. and Gou, S.},
  title   = {The mechanisms and functions of TNF-alpha in intervertebral disc degeneration},
  journal = {Exp Gerontol},
  year    = 2019,
  volume  = {174},
  doi     = {https://doi.org/10.1016/j.exger.2023.112119},
}

@article{unknown2020,
  author = {Nobody, A.},
  title = {A work no source holds},
  journal = {J Nowhere},
  year = 2020,
}
"""


def _matched(work: Work = RECORD) -> dict[int, Resolution]:
    return {1: Resolution(Verdict.MATCHED, work, 1.0, "", "crossref-api", "2025-01-01")}


def test_safe_changes_only_identifiers_and_keeps_everything_else(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB)
    _enc, before, after, fixes = fixed_text(path, _matched(), "safe")
    assert before == BIB
    assert "  doi     = {10.1016/j.exger.2023.112119},\n" in after  # formatting only
    assert "  pmid    = {36758650}," in after  # added in the entry's own alignment
    assert "year    = 2019," in after and "Gou, S." in after  # not touched at this level
    assert after.startswith("% Lab references -- keep this comment\n@article{pan2023,")
    assert after.endswith(BIB[BIB.index("@article{unknown2020") :])  # unmatched: untouched
    assert {c.field for f in fixes for c in f.changes} == {"doi", "pmid"}


def test_all_also_corrects_year_and_authors_and_only_those_lines_change(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB)
    _enc, before, after, _fixes = fixed_text(path, _matched(), "all")
    assert "  year    = 2023,\n" in after  # a bare year stays bare
    assert "author  = {Pan, H. Y. and Li, H. T. and Guo, S.}" in after
    kept = set(before.splitlines()) - {
        line for line in before.splitlines() if line.lstrip().startswith(("author", "year", "doi"))
    }
    assert kept <= set(after.splitlines())
    refs, unparsed = read_bibtex(after, "x.bib")
    assert not unparsed and refs[0].year == 2023 and refs[0].authors[2].family == "Guo"


def test_crlf_and_latin1_are_kept(tmp_path):
    path = tmp_path / "refs.bib"
    text = BIB.replace("Lab references", "Références").replace("\n", "\r\n")
    path.write_bytes(text.encode("latin-1"))
    out = tmp_path / "fixed.bib"
    write_fixed_bib(path, _matched(), out, level="safe")
    data = out.read_bytes()
    assert "Références".encode("latin-1") in data
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"pmid    = {36758650},\r\n" in data


def test_a_doi_conflict_or_an_unmatched_work_is_never_fixed(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB)
    other = replace(RECORD, doi="10.5555/other", title="Something else entirely", authors=())
    assert fixed_text(path, _matched(other), "all")[3] == []
    assert fixed_text(path, {1: Resolution(Verdict.NOT_FOUND)}, "all")[3] == []


def _project(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    lock = tmp_path / "lock.json"
    resolution = _matched()[1]
    save_lock(Lock((LockEntry(1, "pan2023", resolution),)), lock)
    return bib, lock


def test_cli_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    bib, lock = _project(tmp_path)
    before = bib.read_bytes()
    args = ["bib", "--fix", "--diff", "--refs", str(bib), "--lock", str(lock)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"--- {bib}\n+++ {bib}\n@@ ")
    assert "-  doi     = {https://doi.org/10.1016/j.exger.2023.112119},\n" in result.output
    assert "+  doi     = {10.1016/j.exger.2023.112119},\n" in result.output
    assert not [x for x in result.output.splitlines() if x[:1] in "+-" and "year" in x]
    # (--level safe is the default)
    everything = CliRunner().invoke(main, [*args, "--level", "all"])
    assert "-  year    = 2019,\n+  year    = 2023,\n" in everything.output
    assert bib.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock.json", "refs.bib"]


def test_cli_fix_in_place_writes_the_same_as_the_diff_and_keeps_a_backup(tmp_path):
    bib, lock = _project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        main, ["bib", "--fix", "--in-place", "--refs", str(bib), "--lock", str(lock)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "refs.bib.bak").read_text() == BIB
    assert "pmid    = {36758650}" in bib.read_text()
    bad = runner.invoke(main, ["bib", "--fix", "--diff", "--in-place", "--refs", str(bib)])
    assert bad.exit_code == 2
