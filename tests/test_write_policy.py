"""The write policy every writing command follows: never an input, never a non-file, never a
lost backup, always all-or-nothing -- through the CLI, as a user would meet it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from citecheck.cli import main
from citecheck.files import InputError, OutputError, atomic_write, backup, refuse_inputs

MANUSCRIPT = """Exosomes slow disc degeneration [1]. Cheng et al. [2] saw less pain.

References
1. Wen T, Wang H, Li Y, et al. Bone mesenchymal stem cell-derived extracellular vesicles
promote the repair of intervertebral disc degeneration. J Orthop Surg Res. 2021;16:55.
2. Cheng X, Zhang G, Zhang L, et al. Mesenchymal stem cells deliver exogenous miR-21 via
exosomes to inhibit nucleus pulposus cell apoptosis. J Cell Mol Med. 2018;22(1):261-276.
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper.txt").write_text(MANUSCRIPT, encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: error: "), result.output
    for needle in needles:
        assert needle in lines[0]


# --- never an input ---------------------------------------------------------------------------


def test_check_output_naming_the_manuscript_is_refused(work):
    before = (work / "paper.txt").read_bytes()
    one_line_error(run("check", "paper.txt", "-o", "paper.txt"), "manuscript", "refusing")
    assert (work / "paper.txt").read_bytes() == before


def test_a_symlink_or_hard_link_to_an_input_is_the_input(work):
    (work / "alias.txt").symlink_to(work / "paper.txt")
    os.link(work / "paper.txt", work / "hard.txt")
    one_line_error(run("check", "paper.txt", "-o", "alias.txt"), "manuscript")
    one_line_error(run("check", "paper.txt", "-o", "hard.txt"), "manuscript")
    assert (work / "paper.txt").read_text(encoding="utf-8") == MANUSCRIPT


def test_bib_style_output_naming_its_own_bib_is_refused(work):
    assert run("refs", "extract", "paper.txt", "-o", "refs.bib").exit_code == 0
    before = (work / "refs.bib").read_bytes()
    result = run("bib", "--style", "apa", "--refs", "refs.bib", "--output", "refs.bib")
    one_line_error(result, "references")
    assert (work / "refs.bib").read_bytes() == before


def test_every_writing_command_refuses_its_inputs(work):
    assert run("refs", "extract", "paper.txt", "-o", "refs.bib").exit_code == 0
    before = (work / "paper.txt").read_bytes()
    one_line_error(run("refs", "extract", "paper.txt", "-o", "paper.txt", "--force"))
    one_line_error(run("claims", "extract", "paper.txt", "-o", "paper.txt"))
    one_line_error(run("resolve", "paper.txt", "--lock", "paper.txt"), "manuscript")
    one_line_error(run("bib", "--fix", "--refs", "refs.bib", "-o", "refs.bib"), "--in-place")
    assert (work / "paper.txt").read_bytes() == before


def test_the_configuration_file_is_an_input_too(work):
    (work / "citecheck.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    one_line_error(run("check", "paper.txt", "-o", "citecheck.toml"), "configuration")


# --- never replace what is not a regular file -------------------------------------------------


def test_a_character_device_is_written_as_a_stream_and_stays_a_device(work):
    result = run("check", "paper.txt", "--format", "json", "-o", "/dev/null")
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_refs_extract_to_a_device_needs_no_force_and_makes_no_backup(work):
    assert run("refs", "extract", "paper.txt", "-o", "/dev/null").exit_code == 0
    assert not Path("/dev/null.bak").exists()


def test_a_directory_or_fifo_as_output_is_refused(work):
    (work / "folder").mkdir()
    os.mkfifo(work / "pipe")
    one_line_error(run("check", "paper.txt", "-o", "folder"), "is a directory")
    one_line_error(run("check", "paper.txt", "-o", "pipe"), "FIFO")
    assert (work / "folder").is_dir() and stat.S_ISFIFO(os.stat(work / "pipe").st_mode)


def test_a_missing_folder_is_created_but_a_file_in_the_way_is_one_line(work):
    assert run("check", "paper.txt", "-o", "out/reports/r.txt").exit_code in (0, 1)
    assert (work / "out/reports/r.txt").is_file()
    (work / "blocker").write_text("x")
    one_line_error(run("check", "paper.txt", "-o", "blocker/r.txt"), "not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(work):
    (work / "ro").mkdir()
    (work / "ro").chmod(0o555)
    try:
        one_line_error(run("check", "paper.txt", "-o", "ro/r.txt"), "ro")
    finally:
        (work / "ro").chmod(0o755)


# --- backups and atomicity --------------------------------------------------------------------


def test_a_backup_never_overwrites_an_earlier_backup(work):
    target = work / "refs.bib"
    target.write_text("% my own edits\n", encoding="utf-8")
    for _ in range(3):
        assert run("refs", "extract", "paper.txt", "-o", "refs.bib", "--force").exit_code == 0
    assert (work / "refs.bib.bak").read_text(encoding="utf-8") == "% my own edits\n"
    assert (work / "refs.bib.bak.1").is_file() and (work / "refs.bib.bak.2").is_file()
    assert not list(work.glob(".*tmp"))


def test_backup_numbers_skip_names_that_are_taken(tmp_path):
    original = tmp_path / "x.bib"
    original.write_text("v1")
    (tmp_path / "x.bib.bak").write_text("older")
    assert backup(original) == tmp_path / "x.bib.bak.1"
    assert (tmp_path / "x.bib.bak").read_text() == "older"
    assert (tmp_path / "x.bib.bak.1").read_text() == "v1"


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_writing_through_a_symlink_replaces_the_file_it_names(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    (tmp_path / "link.txt").symlink_to(real)
    atomic_write(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_text() == "new"


def test_output_errors_are_input_errors_for_the_cli():
    assert issubclass(OutputError, InputError)
    with pytest.raises(OutputError, match="is this run's lock file"):
        refuse_inputs(__file__, {"lock file": __file__})
    refuse_inputs(None, {"manuscript": __file__})  # no output: nothing to refuse


# --- inputs are regular files -----------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["citations"], ["refs", "extract"]])
def test_a_fifo_or_device_as_input_is_refused_without_blocking(work, command):
    os.mkfifo(work / "in.txt")
    one_line_error(run(*command, "in.txt"), "FIFO")
    one_line_error(run(*command, "/dev/zero"), "character device")


def test_an_input_over_the_size_limit_is_one_line(work):
    (work / "citecheck.toml").write_text("[limits]\nmax_input_mb = 0.001\n", encoding="utf-8")
    (work / "big.txt").write_text(MANUSCRIPT * 20, encoding="utf-8")
    one_line_error(run("check", "big.txt"), "input limit", "max_input_mb")
