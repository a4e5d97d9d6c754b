"""--lang zh on `citations` and the `bib` commands (--fix, --diff, --style, bib fetch): their
own lines from the catalogue, the data (names, DOIs, file names, entries) as written."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from citecheck import messages
from citecheck.cli import main
from citecheck.locale import zh
from citecheck.resolve.lock import Lock, LockEntry, save_lock
from tests.test_bib_fetch import CROSSREF, OFFLINE_OK, _search_body, needs_shared
from tests.test_fix_diff import BIB, _matched

CJK = re.compile(r"[\u4e00-\u9fff]")
FIXTURES = Path(__file__).parent / "fixtures" / "xformat"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_catalogue_says_every_command_text_in_chinese_with_the_same_fields():
    missing = sorted(set(messages.COMMANDS) - set(zh.COMMANDS))
    assert not missing, f"no zh text for: {missing}"
    assert not set(zh.COMMANDS) - set(messages.COMMANDS), "zh keys no command uses"
    for key, english in messages.COMMANDS.items():
        assert _fields(zh.COMMANDS[key]) == _fields(english), key
        assert CJK.search(zh.COMMANDS[key]) or key == "fetch.comment", key


def test_every_key_is_used_and_every_use_has_a_key():
    """The keys the code says are the catalogue's keys, no more, no fewer."""
    src = Path(messages.__file__).parent
    code = "".join(
        (src / name).read_text()
        for name in ("cli.py", "bibliography/fetch.py", "bibliography/styles.py")
    )
    used = set(re.findall(r"\"((?:citations|bib|style|fetch)\.[a-z_.]+)\"", code))
    assert used == set(messages.COMMANDS)


@pytest.mark.parametrize(
    "problem",
    [
        "range 9-3 runs backwards",
        "reference numbers start at 1",
        "'5-' is an incomplete range",
        "'x' is not a reference number",
        "range 4-4 names one reference twice",
        "range 1-999999 is implausibly long",
        "citation without a key",
    ],
)
def test_each_callout_problem_is_said(problem):
    said = messages.translate_problem(problem, "zh")
    assert CJK.search(said) and not re.search(r"[a-z]{4,}", said.replace("key", "")), said


def test_citations_in_chinese_on_a_fixture_keeps_the_data():
    args = ["citations", str(FIXTURES / "exosome.md")]
    zh_out = CliRunner().invoke(main, [*args, "--lang", "zh"])
    en_out = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert zh_out.exit_code == en_out.exit_code == 0
    assert "[正文]" in zh_out.output and "作者：Cheng" in zh_out.output
    assert "[text]" in en_out.output and "author: Cheng" in en_out.output
    assert not CJK.search(en_out.output)
    # Same callouts, same numbers: only the labels differ.
    strip = [re.sub(r"  \[.*$", "", x) for x in zh_out.output.splitlines()]
    assert strip == [re.sub(r"  \[.*$", "", x) for x in en_out.output.splitlines()]


def test_citations_problems_and_json_keys(tmp_path):
    paper = tmp_path / "paper.txt"
    paper.write_text("Text [3-1] and [0].\n\nReferences\n1. Smith A. A title. J Ex. 2020;1:1-2.\n")
    out = CliRunner().invoke(main, ["citations", str(paper), "--lang", "zh"]).output
    assert "问题：范围 3-1 是倒序的" in out and "问题：参考文献编号从 1 开始" in out
    data = CliRunner().invoke(main, ["citations", str(paper), "--lang", "zh", "--format", "json"])
    assert '"context": "text"' in data.output and '"problem": "range 3-1 runs backwards"' in (
        data.output
    )  # JSON: English keys and values, as machines read them
    empty = tmp_path / "none.txt"
    empty.write_text("No callouts here.\n\nReferences\n1. Smith A. A title. J Ex. 2020;1:1-2.\n")
    none = CliRunner().invoke(main, ["citations", str(empty), "--lang", "zh"])
    assert none.exit_code == 0 and "中没有找到正文引用" in none.output


def test_citations_language_follows_the_locale_as_check_does(tmp_path, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = CliRunner().invoke(main, ["citations", str(FIXTURES / "exosome.md")]).output
    assert "[正文]" in out
    english = ["citations", str(FIXTURES / "exosome.md"), "--lang", "en"]
    assert "[text]" in CliRunner().invoke(main, english).output


def _bib_project(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    lock = tmp_path / "lock.json"
    save_lock(Lock((LockEntry(1, "pan2023", _matched()[1]),)), lock)
    return bib, lock


def test_bib_fix_diff_and_write_in_chinese(tmp_path):
    bib, lock = _bib_project(tmp_path)
    args = ["bib", "--fix", "--refs", str(bib), "--lock", str(lock), "--lang"]
    diff = CliRunner().invoke(main, [*args, "zh", "--diff"])
    assert diff.exit_code == 0, diff.output
    assert diff.stdout.startswith(f"--- {bib}\n+++ {bib}\n@@ ")  # the diff itself is data
    assert "+  doi     = {10.1016/j.exger.2023.112119},\n" in diff.stdout
    assert "1 个条目中的 2 个字段将被更正（--level safe）；未写入任何文件" in diff.stderr
    english = CliRunner().invoke(main, [*args, "en", "--diff"])
    assert english.stdout == diff.stdout
    assert "--level safe would correct 2 fields (entries: 1); nothing written" in english.stderr
    out = tmp_path / "fixed.bib"
    wrote = CliRunner().invoke(main, [*args, "zh", "-o", str(out)])
    assert wrote.exit_code == 0 and f"已写入 {out}（依据匹配记录更正了 2 个字段）" in wrote.stderr
    nothing = CliRunner().invoke(main, [*args, "zh", "--diff", "--refs", str(out)])
    assert nothing.stdout.strip() == "" and "没有需要更正的内容" in nothing.stderr


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--in-place", "-o", "x.bib"], "--in-place 会直接改写该 .bib 文件：请去掉 --output"),
        (["--fix"], "--fix 需要 --output FILE 或 --in-place"),
        (["--fix", "--diff", "--in-place"], "--diff 不写入任何文件：请去掉 --in-place"),
        ([], "请在 --fix 和 --style 中选择一个"),
    ],
)
def test_bib_usage_errors_in_chinese(tmp_path, extra, said):
    bib, lock = _bib_project(tmp_path)
    args = ["bib", "--refs", str(bib), "--lock", str(lock), "--lang", "zh", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and said in result.output


def test_bib_style_in_chinese_keeps_the_entries_and_explains_a_bad_style(tmp_path):
    bib = FIXTURES / "exosome.bib"
    lock = tmp_path / "none.json"
    args = ["bib", "--refs", str(bib), "--lock", str(lock), "--style"]
    zh_out = CliRunner().invoke(main, [*args, "vancouver", "--lang", "zh"])
    en_out = CliRunner().invoke(main, [*args, "vancouver", "--lang", "en"])
    assert zh_out.exit_code == 0 and zh_out.output == en_out.output  # the list is data
    missing = CliRunner().invoke(main, [*args, str(tmp_path / "nope.csl"), "--lang", "zh"])
    assert missing.exit_code == 2 and "nope.csl: 没有这个 CSL 样式文件" in missing.output
    unknown = CliRunner().invoke(main, [*args, "no-such-style-xyz", "--lang", "zh"])
    assert unknown.exit_code == 2 and "未知的样式 'no-such-style-xyz'" in unknown.output


def test_bib_fetch_offline_and_bad_query_in_chinese():
    offline = CliRunner().invoke(main, ["bib", "fetch", "10.1038/srep16696", "--lang", "zh"])
    assert offline.exit_code == 2
    assert offline.output == "citecheck: error: bib fetch 需要通过网络查询元数据来源：请加上 --online\n"
    short = CliRunner().invoke(main, ["bib", "fetch", "abc", "--online", "--lang", "zh"])
    assert short.exit_code == 2 and "'abc' 不是 DOI、PMID、PMCID 或 arXiv id" in short.output


@needs_shared
@responses.activate
def test_bib_fetch_in_chinese_one_record_and_candidates():
    def run(*args):
        return CliRunner().invoke(main, ["bib", "fetch", *args, *OFFLINE_OK, "--lang", "zh"])

    responses.add(
        responses.GET,
        f"{CROSSREF}/works",
        json=_search_body([("10.1093/a", "Chemical Ecology"), ("10.1093/b", "Ecology of fish")]),
    )
    one = run("--online", "--sources", "crossref", "Chemical ecology")
    assert one.exit_code == 0, one.output
    assert re.match(r"% citecheck bib fetch title Chemical ecology：crossref 记录，检索于 \d{4}-", one.output)
    assert "doi = {10.1093/a}" in one.output and "title = {Chemical Ecology}" in one.output
    responses.replace(
        responses.GET,
        f"{CROSSREF}/works",
        json=_search_body([("10.1093/a", "Chemical Ecology"), ("10.1093/c", "Chemical ecology.")]),
    )
    several = run("--online", "--sources", "crossref", "Chemical ecology")
    assert several.exit_code == 1
    lines = several.output.splitlines()
    assert lines[0] == "有 2 篇文献与该标题相符；请按标识符获取其中一篇："
    assert any("doi:10.1093/c" in x and "Chemical ecology." in x for x in lines)
