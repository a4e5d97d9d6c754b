"""uncited-reference: always for printed lists, opt-in for bibliography databases (issue 8, 3).

BibTeX and Pandoc print only what is cited, and one .bib often serves several papers, so an
uncited database entry is not a problem unless the user asks (--report-uncited or
`report_uncited = true`). A .bib whose every entry has `refnumber` is a printed list.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from citecheck.cli import main
from citecheck.config import Config
from citecheck.workflow import read_bibliography, run_check

TEX = r"""\documentclass{article}
\begin{document}
Streaming counts were shown by \citet{zhang2014}.
\bibliography{refs}
\end{document}
"""
BIB = """@article{zhang2014, author = {Zhang, Qingpeng and Brown, C. Titus},
  title = {These are not the k-mers you are looking for}, journal = {PLoS ONE},
  year = {2014}, volume = {9}, pages = {e101271}}
@article{shared2019, author = {Brown, C. Titus}, title = {Used by the other paper},
  journal = {F1000Research}, year = {2019}, volume = {8}, pages = {100}}
"""
TEXT = """Results

Counts were shown before [1].

References

1. Zhang Q, Brown CT. These are not the k-mers you are looking for. PLoS ONE. 2014;9:e101271.
2. Brown CT. Used by the other paper. F1000Research. 2019;8:100.
"""


def _write(tmp_path: Path) -> tuple[Path, Path, Path]:
    tex, bib, text = tmp_path / "paper.tex", tmp_path / "refs.bib", tmp_path / "paper.txt"
    tex.write_text(TEX, encoding="utf-8")
    bib.write_text(BIB, encoding="utf-8")
    text.write_text(TEXT, encoding="utf-8")
    return tex, bib, text


def _uncited(path: Path, config: Config = Config()) -> list:
    result = run_check(config, manuscript=str(path), lock_path=str(path.parent / "no.lock"))
    return [f for f in result.findings if f.rule == "uncited-reference"]


def test_a_bib_database_entry_nobody_cites_is_not_reported_by_default(tmp_path) -> None:
    tex, _, _ = _write(tmp_path)
    assert _uncited(tex) == []
    assert [f.bib_key for f in _uncited(tex, Config(report_uncited=True))] == ["shared2019"]


def test_a_printed_list_reports_uncited_entries_unless_switched_off(tmp_path) -> None:
    _, _, text = _write(tmp_path)
    assert [f.reference for f in _uncited(text)] == [2]
    assert _uncited(text, Config(report_uncited=False)) == []


def test_check_report_uncited_flag_and_config_key(tmp_path, monkeypatch) -> None:
    tex, _, _ = _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["check", str(tex), "--format", "json", "--lock", "no.lock", "--fail-on", "never"]
    assert "shared2019" not in runner.invoke(main, args).output
    assert "shared2019" in runner.invoke(main, [*args, "--report-uncited"]).output
    (tmp_path / "citecheck.toml").write_text("report_uncited = true\n", encoding="utf-8")
    assert "shared2019" in runner.invoke(main, args).output


def test_a_bib_with_refnumber_on_every_entry_is_a_printed_list(tmp_path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(BIB.replace("year = {2014}", "year = {2014}, refnumber = {1}"), "utf-8")
    assert read_bibliography(str(bib)).bibliography_is_database  # one entry lacks a number
    bib.write_text(BIB.replace("year = {20", "refnumber = {1}, year = {20"), "utf-8")
    assert not read_bibliography(str(bib)).bibliography_is_database
