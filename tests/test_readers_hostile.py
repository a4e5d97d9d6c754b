"""LaTeX and text readers on hostile input: only citecheck's own errors, and time linear in size."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.files import InputError
from citecheck.readers.errors import ReaderError
from citecheck.readers.latex import read_latex, read_latex_file
from citecheck.readers.text import read_text

LATEX_TOKENS = [
    "\\cite{a}", "\\cite[", "\\citep[p. 3]{a,b}", "\\nocite{*}", "{", "}", "[", "]", "%", "\\",
    "\\begin{verbatim}", "\\end{verbatim}", "\\verb|", "|", "\\iffalse", "\\fi", "\\ifx",
    "\\begin{table}", "\\end{table}", "\\begin{document}", "\\end{document}", "\\input{x}",
    "\\bibitem{k}", "\\begin{thebibliography}{9}", "\\end{thebibliography}", "~", "\n", "\n\n",
    " ", "Smith et al.", "H\\\"orsch", ".", "#1", "\\cite{#1}", "\\parencites[1]{a}[2]{b}", "é",
]  # fmt: skip
TEXT_TOKENS = [
    "[1]", "[0, 1]", "(1-3)", "(2)", "^1,2^", "¹²", "10⁶", "[2024](#_ENREF_2)", "```", "`", "$",
    "<!--", "-->", "References\n", "1. Smith J. Title. Nature. 2001;1:2.\n", "[3] ", "\n", "\n\n",
    " ", "(Smith et al., 2004)", "Smith, J. (2004). T. J, 1.\n", "等", "。", "**Table 3.**\n", "#",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LATEX_TOKENS), max_size=60))
def test_latex_reader_never_raises_a_foreign_exception(tokens: list[str]) -> None:
    manuscript = read_latex("".join(tokens), "p.tex", ())
    for callout in manuscript.callouts:
        assert callout.location.line is not None and callout.location.line >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TEXT_TOKENS), max_size=60))
def test_text_reader_only_raises_reader_errors(tokens: list[str]) -> None:
    try:
        read_text("".join(tokens), "m.md")
    except ReaderError:
        pass  # e.g. no reference list: a one-line error, not a crash


def _elapsed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "unit",
    ["\\iffalse \\ifx ", "\\begin{table} ", "\\cite[ ", "\\verb| ", "\\begin{verbatim} x "],
)
def test_latex_patterns_that_never_close_stay_linear(unit: str) -> None:
    small = _elapsed(read_latex, unit * 2_000 + "\\fi", "p.tex", ())
    large = _elapsed(read_latex, unit * 20_000 + "\\fi", "p.tex", ())
    assert large < 30 * small + 0.5  # 10x the input; quadratic would be ~100x


@pytest.mark.parametrize("unit", ["<!-- ", "``` ", "$ ", "( 1 ", "[1 "])
def test_text_patterns_that_never_close_stay_linear(unit: str) -> None:
    tail = "\n\nReferences\n1. Smith J. Title. Nature. 2001;1:2.\n"
    small = _elapsed(read_text, unit * 2_000 + tail, "m.md")
    large = _elapsed(read_text, unit * 20_000 + tail, "m.md")
    assert large < 30 * small + 0.5


def test_includes_that_are_not_regular_files_are_skipped_or_named(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "bin.tex").write_bytes(b"\x00\x01" * 100)
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{sections}\n\\input{/dev/zero}\n"
        "\\input{bin}\n\\end{document}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReaderError) as caught:
        read_latex_file(tmp_path / "main.tex")
    # The folder and the device are skipped; the binary file is named at the line including it.
    assert (caught.value.line, "bin.tex" in caught.value.message) == (5, True)
    assert "binary" in caught.value.message


def test_deep_include_chains_stop(tmp_path: Path) -> None:
    for n in range(40):
        (tmp_path / f"f{n}.tex").write_text(
            f"Part {n} \\cite{{k{n}}}.\n\\input{{f{n + 1}}}\n", "utf-8"
        )
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{f0}\n\\end{document}\n", "utf-8"
    )
    bib = tmp_path / "r.bib"
    bib.write_text("@misc{k0, title = {T}, year = {2000}}\n", encoding="utf-8")
    manuscript = read_latex_file(tmp_path / "main.tex", bib=bib)
    assert 10 <= len(manuscript.callouts) < 40  # the depth limit, not a stack overflow


def test_a_missing_main_file_is_an_input_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises((ReaderError, InputError)):
        read_latex_file(tmp_path / "none.tex")


def test_latex_paragraph_of_many_cites_is_linear() -> None:
    def paragraph(count: int) -> str:
        cites = " ".join(f"word~\\cite{{k{i % 50}}}" for i in range(count))
        return f"\\documentclass{{article}}\n\\begin{{document}}\n{cites}.\n\\end{{document}}\n"

    small = _elapsed(read_latex, paragraph(800), "p.tex", ())
    large = _elapsed(read_latex, paragraph(8_000), "p.tex", ())
    assert large < 30 * small + 0.5  # quadratic sentence finding would be ~100x
