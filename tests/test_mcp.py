"""`citecheck mcp` (issue 12, item 7): read-only MCP tools, driven through the SDK's client.

The server runs in-process over the SDK's memory streams (and once as `citecheck mcp` over
stdio); every test builds its own small manuscript and lock, so nothing depends on ../shared.
Tests needing the SDK skip when the `mcp` extra is absent (make test installs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.claims.support.store import StoredEvidence, evidence_path, save_evidence
from citecheck.config import load_config
from citecheck.model import Author, Resolution, Verdict, Work
from citecheck.resolve.lock import Lock, LockEntry, dump_lock

TOOLS = {
    "check_manuscript",
    "explain_rule",
    "lookup_reference",
    "claim_evidence",
    "propose_bib_fixes",
}

# A manuscript in the seed's shape: numbered callouts, an author mention, a missing entry.
MANUSCRIPT = """\
Exosomes and disc degeneration

Mesenchymal stem cell exosomes carry miR-21, which inhibits apoptosis of nucleus pulposus
cells through the PI3K/AKT pathway [1]. Jones et al. [2] showed that exosomes attenuate
matrix degradation in a rat model. Later work confirmed the protective effect [3].

References

1. Cheng W, Smith AB. Exosomal miR-21 inhibits nucleus pulposus cell apoptosis via PI3K/AKT.
Journal of Example Research. 2021;37(4):1611-1621. doi:10.5555/citecheck.hit
2. Wang L, Zhou Q. Exosomes attenuate matrix degradation in intervertebral disc degeneration.
Spine Journal. 2019;19(2):300-310.
"""

# What a reference manager pastes: only a list, one entry without volume and pages.
PASTED_LIST = """\
1. Cheng W, Smith AB. Exosomal miR-21 inhibits nucleus pulposus cell apoptosis via PI3K/AKT.
Journal of Example Research. 2021;37(4):1611-1621. doi:10.5555/citecheck.hit
2. Wang L, Zhou Q. Exosomes attenuate matrix degradation in intervertebral disc degeneration.
Spine J. 2019.
"""

# The manuscript's entry [1] as a BibTeX file: its DOI written as a link, no PMID, a wrong year.
BIB = """\
@article{cheng2021exosomal,
  author = {Cheng, W. and Smith, A. B.},
  title = {Exosomal miR-21 inhibits nucleus pulposus cell apoptosis via PI3K/AKT},
  journal = {Journal of Example Research},
  year = {2012},
  volume = {37},
  number = {4},
  pages = {1611--1621},
  doi = {https://doi.org/10.5555/citecheck.hit},
}
"""

RECORD = Work(
    doi="10.5555/citecheck.hit",
    title="Exosomal miR-21 inhibits nucleus pulposus cell apoptosis via PI3K/AKT",
    authors=(Author("Cheng", "Wei"), Author("Smith", "Anna B.")),
    container_title="Journal of Example Research",
    year=2021,
    volume="37",
    issue="4",
    page="1611-1621",
    type="journal-article",
    pmid="31234567",
)
# Its abstract, as `resolve --online --abstracts` records it next to the lock.
ABSTRACT = (
    "Exosomes from mesenchymal stem cells deliver miR-21 to nucleus pulposus cells.",
    (
        "Exosomal miR-21 inhibits apoptosis of nucleus pulposus cells by activating the "
        "PI3K/AKT pathway."
    ),
)


def _project(tmp_path: Path) -> Path:
    """A project folder: the manuscript and a lock holding the record of its entry [1]."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "paper.txt").write_text(MANUSCRIPT, encoding="utf-8")
    first = MANUSCRIPT.split("References\n\n1. ")[1].split("\n2. ")[0]
    resolution = Resolution(
        Verdict.MATCHED,
        work=RECORD,
        score=1.0,
        query=first,
        source="recorded",
        retrieved="2026-11-30T08:00:00Z",
    )
    lock = Lock((LockEntry(1, "cheng2021exosomal", resolution),))
    (tmp_path / "refs").mkdir()
    lock_file = tmp_path / "refs" / "references.lock.json"
    lock_file.write_text(dump_lock(lock), encoding="utf-8")
    abstract = StoredEvidence(1, "recorded", "abstract", ABSTRACT, doi=RECORD.doi)
    save_evidence([abstract], evidence_path(lock_file))
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    return tmp_path


def _options(tmp_path: Path, **network):
    from citecheck.agent.tools import AgentOptions

    options = AgentOptions(
        load_config(tmp_path), lock_path=str(tmp_path / "refs/references.lock.json")
    )
    return replace(options, network=replace(options.network, **network)) if network else options


# --------------------------------------------------------------------------- SDK plumbing


def _needs_sdk() -> None:
    pytest.importorskip("mcp", reason="the mcp extra is not installed (pip install '.[mcp]')")


def _call(options, calls: list[tuple[str, dict]]) -> list[tuple[bool, dict | str]]:
    """Run tool calls through an MCP client session; (is_error, JSON answer or error text)."""
    _needs_sdk()
    import anyio

    from citecheck.agent.server import build_server

    server = build_server(options)

    async def run(session) -> list:
        return [_answer(await session.call_tool(name, args)) for name, args in calls]

    return anyio.run(_with_session, server, run)


def _list_tools(options) -> list:
    _needs_sdk()
    import anyio

    from citecheck.agent.server import build_server

    async def run(session):
        return (await session.list_tools()).tools

    return anyio.run(_with_session, build_server(options), run)


async def _with_session(server, work):
    """The SDK's in-process client: mcp 2's Client, else mcp 1's memory-stream session."""
    try:
        from mcp import Client
    except ImportError:
        from mcp.shared.memory import create_connected_server_and_client_session

        async with create_connected_server_and_client_session(server._mcp_server) as session:
            return await work(session)
    async with Client(server) as client:
        return await work(client)


def _answer(result) -> tuple[bool, dict | str]:
    error = getattr(result, "is_error", None)
    if error is None:
        error = result.isError
    text = "".join(block.text for block in result.content)
    return bool(error), (text if error else json.loads(text))


def _hints(tool) -> dict:
    return tool.annotations.model_dump(by_alias=True)


# --------------------------------------------------------------------------- tool list


def test_the_tools_are_listed_read_only(tmp_path):
    tools = {t.name: t for t in _list_tools(_options(_project(tmp_path)))}
    assert set(tools) == TOOLS
    for tool in tools.values():
        hints = _hints(tool)
        assert hints["readOnlyHint"] is True and hints["destructiveHint"] is False
        assert hints["openWorldHint"] is False  # offline server: nothing leaves the machine
        assert tool.description  # the agent reads what each tool is for
    lookup = tools["lookup_reference"]
    schema = getattr(lookup, "input_schema", None) or lookup.inputSchema
    assert schema["required"] == ["query"]


def test_an_online_server_says_its_lookups_reach_out(tmp_path):
    tools = {t.name: t for t in _list_tools(_options(_project(tmp_path), online=True))}
    assert _hints(tools["lookup_reference"])["openWorldHint"] is True
    assert _hints(tools["explain_rule"])["openWorldHint"] is False


# --------------------------------------------------------------------------- check


def test_check_a_manuscript_file_returns_the_json_report(tmp_path):
    project = _project(tmp_path)
    [(error, report)] = _call(
        _options(project), [("check_manuscript", {"path": str(project / "paper.txt")})]
    )
    assert not error
    by_rule = {f["rule"]: f for f in report["findings"]}
    missing = by_rule["missing-reference"]
    assert missing["code"] == "CC101" and missing["severity"] == "error"
    assert missing["reference"] == 3
    assert missing["location"]["path"].endswith("paper.txt") and missing["location"]["line"] == 5
    assert set(missing) >= {"message", "suggestion", "expected", "found"}
    mention = by_rule["author-mention-mismatch"]  # "Jones et al. [2]" cites Wang L
    assert mention["reference"] == 2 and "Jones" in mention["message"]
    assert report["inputs"]["lock"].endswith("references.lock.json")
    assert report["summary"]["total"] == len(report["findings"])


def test_check_pasted_list_runs_no_citation_rules(tmp_path):
    project = _project(tmp_path)
    [(error, report)] = _call(_options(project), [("check_manuscript", {"text": PASTED_LIST})])
    assert not error
    rules = {f["rule"] for f in report["findings"]}
    assert "incomplete-reference" in rules  # entry 2 has no volume or pages
    assert not rules & {"uncited-reference", "missing-reference", "citation-order"}
    incomplete = next(f for f in report["findings"] if f["rule"] == "incomplete-reference")
    assert incomplete["reference"] == 2 and incomplete["location"]["path"] == "<text>"


def test_check_in_another_report_format(tmp_path):
    project = _project(tmp_path)
    [(error, answer)] = _call(
        _options(project),
        [("check_manuscript", {"path": str(project / "paper.txt"), "format": "markdown"})],
    )
    assert not error and answer["format"] == "markdown"
    assert "missing-reference" in answer["report"]


def test_bad_input_is_one_line_naming_the_file(tmp_path):
    project = _project(tmp_path)
    (project / "empty.txt").write_text("", encoding="utf-8")
    answers = _call(
        _options(project),
        [
            ("check_manuscript", {"path": str(project / "absent.txt")}),
            ("check_manuscript", {"path": str(project / "empty.txt")}),
            ("check_manuscript", {"path": str(project / "paper.txt"), "text": PASTED_LIST}),
            ("check_manuscript", {"text": PASTED_LIST, "format": "pdf"}),
            ("claim_evidence", {"path": str(project / "paper.txt")}),
        ],
    )
    assert all(error for error, _ in answers)
    messages = [text for _, text in answers]
    assert "absent.txt" in messages[0] and "empty.txt" in messages[1]
    assert "either path" in messages[2] and "unknown format 'pdf'" in messages[3]
    assert "claim_id" in messages[4]
    assert not any("Traceback" in m or "\n" in m for m in messages)


# --------------------------------------------------------------------------- explain


def test_explain_by_code_and_slug_gives_the_rule_page(tmp_path):
    answers = _call(
        _options(_project(tmp_path)),
        [
            ("explain_rule", {"rule": "CC101"}),
            ("explain_rule", {"rule": "author-mention-mismatch"}),
            ("explain_rule", {"rule": "missing-referenec"}),
        ],
    )
    (e1, by_code), (e2, by_slug), (e3, unknown) = answers
    assert not e1 and by_code["rule"] == "missing-reference" and by_code["severity"] == "error"
    from citecheck.explain import page

    assert by_code["page"] == page("missing-reference")  # the rule page itself, not a copy
    assert not e2 and by_slug["code"] == "CC108"
    assert e3 and "did you mean 'missing-reference'" in unknown


def test_explain_falls_back_to_the_registry_description(monkeypatch):
    from citecheck import explain
    from citecheck.agent.tools import explain_rule
    from citecheck.rules import find_rule

    monkeypatch.setattr(explain, "has_page", lambda slug: False)
    answer = explain_rule("CC205")
    assert "page" not in answer
    assert answer["description"] == find_rule("author-mismatch").description


# --------------------------------------------------------------------------- look up


def test_lookup_offline_answers_from_the_lock_with_bibtex_of_the_record(tmp_path):
    queries = [
        "10.5555/citecheck.hit",
        "https://doi.org/10.5555/CITECHECK.HIT",
        "PMID: 31234567",
        "Exosomal miR-21 inhibits nucleus pulposus cell apoptosis via PI3K/AKT",
    ]
    answers = _call(
        _options(_project(tmp_path)), [("lookup_reference", {"query": q}) for q in queries]
    )
    for error, found in answers:
        assert not error and found["verdict"] == "matched", found
        assert found["source"] == "lock (recorded)" and found["doi"] == "10.5555/citecheck.hit"
        bibtex = found["bibtex"]
        assert bibtex.startswith("% lock (recorded) record, retrieved 2026-11-30T08:00:00Z\n")
        assert "@article{cheng2021exosomal," in bibtex
        assert "author = {Cheng, Wei and Smith, Anna B.}" in bibtex  # the record's full names
        assert "pages = {1611--1621}" in bibtex and "pmid = {31234567}" in bibtex


def test_lookup_offline_of_an_unknown_work_says_it_cannot(tmp_path):
    [(error, answer)] = _call(
        _options(_project(tmp_path)), [("lookup_reference", {"query": "10.1000/not.in.the.lock"})]
    )
    assert not error
    assert answer["verdict"] == "cannot-look-up" and "bibtex" not in answer
    assert "--online" in answer["detail"]


def test_lookup_offline_asks_a_local_index_after_the_lock(tmp_path):
    import gzip

    from citecheck.resolve.index.build import build_index

    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    item = {
        "DOI": "10.1016/j.cell.2009.01.002",
        "title": ["MicroRNAs: target recognition and regulatory functions"],
        "author": [{"family": "Bartel", "given": "David P."}],
        "container-title": ["Cell"],
        "issued": {"date-parts": [[2009, 1, 23]]},
        "volume": "136",
        "issue": "2",
        "page": "215-233",
        "type": "journal-article",
    }
    (snapshot / "0.json.gz").write_bytes(gzip.compress(json.dumps({"items": [item]}).encode()))
    build_index(snapshot, tmp_path / "meta.idx")
    options = _options(_project(tmp_path / "p"), index=str(tmp_path / "meta.idx"))
    [(error, answer)] = _call(
        options, [("lookup_reference", {"query": "10.1016/J.CELL.2009.01.002"})]
    )
    assert not error and answer["verdict"] == "matched" and answer["source"] == "local-index"
    assert "author = {Bartel, David P.}" in answer["bibtex"]
    assert "journal = {Cell}" in answer["bibtex"] and "pages = {215--233}" in answer["bibtex"]


def test_lookup_online_asks_crossref_and_names_it(tmp_path):
    _needs_sdk()  # before the mock: a skip inside it would read as unfired requests
    responses = pytest.importorskip("responses")
    from citecheck.resolve.sources.crossref import doi_path

    fixture = json.loads(
        (Path(__file__).parent / "fixtures/crossref/work-hit.json").read_text(encoding="utf-8")
    )
    api = "https://api.crossref.test"
    options = _options(tmp_path, online=True, sources=("crossref",), api_url=api)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.add(responses.GET, api + doi_path("10.5555/citecheck.hit"), json=fixture["body"])
        [(error, answer)] = _call(
            options, [("lookup_reference", {"query": "doi:10.5555/citecheck.hit"})]
        )
    assert not error and answer["verdict"] == "matched"
    assert answer["source"] == "crossref" and answer["kind"] == "doi"
    assert answer["bibtex"].startswith("% crossref record, retrieved 20")
    assert "journal = {Journal of Example Research}" in answer["bibtex"]


def test_lookup_online_lists_several_works_with_the_title_and_chooses_none(tmp_path):
    _needs_sdk()  # before the mock: a skip inside it would read as unfired requests
    responses = pytest.importorskip("responses")

    def item(doi: str, family: str, year: int) -> dict:
        return {
            "DOI": doi,
            "title": ["Exosomes in intervertebral disc degeneration"],
            "author": [{"family": family, "given": "A."}],
            "container-title": ["Journal of Example Research"],
            "issued": {"date-parts": [[year]]},
            "type": "journal-article",
            "score": 80.0,
        }

    body = {
        "status": "ok",
        "message-type": "work-list",
        "message": {"items": [item("10.5555/a", "Li", 2020), item("10.5555/b", "Chen", 2022)]},
    }
    api = "https://api.crossref.test"
    options = _options(tmp_path, online=True, sources=("crossref",), api_url=api)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, f"{api}/works", json=body)
        [(error, answer)] = _call(
            options,
            [("lookup_reference", {"query": "Exosomes in intervertebral disc degeneration"})],
        )
    assert not error and answer["kind"] == "title"
    assert answer["verdict"] == "ambiguous" and "bibtex" not in answer
    assert [c["doi"] for c in answer["candidates"]] == ["10.5555/a", "10.5555/b"]
    assert answer["candidates"][1]["first_author"] == "Chen"


# --------------------------------------------------------------------------- claims


def test_claim_evidence_by_id_and_by_sentence(tmp_path):
    project = _project(tmp_path)
    paper = str(project / "paper.txt")
    sentence = (
        "Mesenchymal stem cell exosomes carry miR-21, which inhibits apoptosis of nucleus "
        "pulposus cells through the PI3K/AKT pathway."
    )
    answers = _call(
        _options(project),
        [
            ("claim_evidence", {"path": paper, "claim_id": "c001"}),
            ("claim_evidence", {"path": paper, "sentence": sentence}),
            ("claim_evidence", {"path": paper, "sentence": "A sentence nobody wrote here."}),
            ("claim_evidence", {"path": paper, "claim_id": "c099"}),
        ],
    )
    (e1, by_id), (e2, by_sentence), (e3, none), (e4, absent) = answers
    assert not e1 and not e2 and by_id == by_sentence
    assert by_id["claim_id"] == "c001" and "miR-21" in by_id["sentence"]
    assert by_id["citations"] == [1]
    [support] = by_id["support"]
    assert support["reference"] == 1 and support["verdict"] == "supported"
    assert support["evidence"] in ABSTRACT  # a quoted sentence of the cited work
    assert "miR-21" in support["evidence"] and support["source"]
    named = {e["text"] for e in by_id["entities"]}
    assert "miR-21" in named
    assert e3 and "no claim has that sentence" in none
    assert e4 and "c099" in absent


# --------------------------------------------------------------------------- read-only


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(root.rglob("*"))
    }


def test_no_tool_writes_a_file(tmp_path, monkeypatch):
    """Every tool, in a read-only folder that is also the working directory and the cache."""
    project = _project(tmp_path / "project")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    before = _snapshot(tmp_path)
    for folder in (project, project / "refs", home):
        folder.chmod(0o555)
    try:
        answers = _call(
            _options(project),
            [
                ("check_manuscript", {"path": "paper.txt"}),
                ("check_manuscript", {"text": PASTED_LIST}),
                ("explain_rule", {"rule": "CC303"}),
                ("lookup_reference", {"query": "10.5555/citecheck.hit"}),
                ("lookup_reference", {"query": "10.1000/unknown"}),
                ("claim_evidence", {"path": "paper.txt", "claim_id": "c002"}),
                ("propose_bib_fixes", {"refs": "refs.bib", "level": "all"}),
            ],
        )
    finally:
        for folder in (project, project / "refs", home):
            folder.chmod(0o755)
    assert [error for error, _ in answers] == [False] * 7, answers
    assert _snapshot(tmp_path) == before  # also when run as root, where chmod does not bind


def test_online_tools_keep_no_http_cache(tmp_path, monkeypatch):
    """Online, answers are not cached either: the cache is an SQLite file."""
    _needs_sdk()
    responses = pytest.importorskip("responses")
    from citecheck.resolve.sources.crossref import doi_path

    project = _project(tmp_path / "project")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    fixture = json.loads(
        (Path(__file__).parent / "fixtures/crossref/work-hit.json").read_text(encoding="utf-8")
    )
    api = "https://api.crossref.test"
    options = _options(project, online=True, sources=("crossref",), api_url=api)
    options = replace(options, lock_path=str(project / "no.lock.json"))  # all asked online
    before = _snapshot(tmp_path)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, api + doi_path("10.5555/citecheck.hit"), json=fixture["body"])
        mock.add(responses.GET, f"{api}/works", json={"status": "ok", "message": {"items": []}})
        answers = _call(
            options,
            [
                ("lookup_reference", {"query": "10.5555/citecheck.hit"}),
                ("check_manuscript", {"path": str(project / "paper.txt")}),
            ],
        )
        asked = len(mock.calls)
    assert [error for error, _ in answers] == [False, False], answers
    assert answers[0][1]["source"] == "crossref" and asked >= 2
    assert _snapshot(tmp_path) == before


# --------------------------------------------------------------------------- CLI


def _citecheck(*args: str, cwd: Path, block_sdk: bool = False) -> subprocess.CompletedProcess:
    code = "import sys\n"
    if block_sdk:
        code += "sys.modules['mcp'] = None  # as if the extra were not installed\n"
    code += "from citecheck.cli import main\nmain(sys.argv[1:], prog_name='citecheck')\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path):
    done = _citecheck("mcp", cwd=tmp_path, block_sdk=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "citecheck: error: citecheck mcp needs the MCP SDK: pip install 'citecheck[mcp]'"
    ]
    assert done.stdout == ""


def test_citecheck_mcp_serves_over_stdio(tmp_path):
    _needs_sdk()
    import anyio
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    project = _project(tmp_path)
    command = [sys.executable, "-c", "from citecheck.cli import main; main(['mcp'])"]
    params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(project))

    async def run():
        try:
            from mcp import Client
        except ImportError:  # mcp 1
            from mcp import ClientSession

            async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
                await s.initialize()
                return await _tools_and_lookup(s)
        async with Client(params) as client:
            return await _tools_and_lookup(client)

    names, (error, answer) = anyio.run(run)
    assert set(names) == TOOLS
    assert not error and answer["verdict"] == "matched"  # the default lock, found from cwd


async def _tools_and_lookup(session):
    names = [t.name for t in (await session.list_tools()).tools]
    found = await session.call_tool("lookup_reference", {"query": "PMID 31234567"})
    return names, _answer(found)


# --------------------------------------------------------------------------- bib --fix preview


def test_propose_bib_fixes_previews_the_safe_and_all_levels_and_writes_nothing(tmp_path):
    project = _project(tmp_path)
    bib = project / "refs.bib"
    [(error, safe), (_, everything), (bad, said)] = _call(
        _options(project),
        [
            ("propose_bib_fixes", {"refs": str(bib)}),
            ("propose_bib_fixes", {"refs": str(bib), "level": "all"}),
            ("propose_bib_fixes", {"refs": str(bib), "level": "most"}),
        ],
    )
    assert not error and safe["level"] == "safe"
    fields = {c["field"]: c for c in safe["changes"]}
    assert set(fields) == {"doi", "pmid"}  # identifiers only at the safe level
    assert fields["doi"]["original"] == "https://doi.org/10.5555/citecheck.hit"
    assert fields["doi"]["corrected"] == "10.5555/citecheck.hit"
    assert fields["pmid"]["corrected"] == "31234567"
    assert fields["pmid"]["key"] == "cheng2021exosomal"
    assert "-  doi = {https://doi.org/10.5555/citecheck.hit},\n" in safe["diff"]
    assert "+  doi = {10.5555/citecheck.hit},\n" in safe["diff"]
    assert "+  pmid = {31234567},\n" in safe["diff"]
    assert {"year"} <= {c["field"] for c in everything["changes"]}
    assert bad and "unknown level 'most'" in said
    assert bib.read_text(encoding="utf-8") == BIB


# --------------------------------------------------------------------------- resources, prompts


def _session_run(options, work):
    _needs_sdk()
    import anyio

    from citecheck.agent.server import build_server

    return anyio.run(_with_session, build_server(options), work)


def _text(result) -> str:
    return "".join(content.text for content in result.contents)


def test_resources_are_the_rule_catalogue_and_every_rule_page(tmp_path):
    from citecheck.explain import page
    from citecheck.rules import RULES

    async def work(session):
        listed = (await session.list_resources()).resources
        templates = (await session.list_resource_templates()).resource_templates
        catalogue = _text(await session.read_resource("citecheck://rules"))
        by_slug = _text(await session.read_resource("citecheck://rules/missing-reference"))
        by_code = _text(await session.read_resource("citecheck://rules/CC303"))
        try:
            await session.read_resource("citecheck://rules/CC999")
            unknown = ""
        except Exception as error:  # noqa: BLE001 -- the SDK's error type differs by version
            unknown = str(error)
        return listed, templates, catalogue, by_slug, by_code, unknown

    listed, templates, catalogue, by_slug, by_code, unknown = _session_run(
        _options(_project(tmp_path)), work
    )
    uris = {str(r.uri) for r in listed}
    assert uris == {"citecheck://rules"} | {f"citecheck://rules/{r.slug}" for r in RULES}
    pages = [r for r in listed if str(r.uri) != "citecheck://rules"]
    assert all(getattr(r, "mime_type", None) or r.mimeType for r in pages)
    template = templates[0]
    assert (getattr(template, "uri_template", None) or template.uriTemplate) == (
        "citecheck://rules/{rule}"
    )
    rules = json.loads(catalogue)["rules"]
    assert [r["slug"] for r in rules] == [r.slug for r in RULES]
    first = rules[0]
    assert first == {
        "slug": "missing-reference",
        "code": "CC101",
        "severity": "error",
        "area": RULES[0].area,
        "description": RULES[0].description,
        "page": "citecheck://rules/missing-reference",
    }
    assert by_slug == page("missing-reference")
    assert by_code == page("invalid-symbol")
    assert "unknown rule 'CC999'" in unknown and "did you mean" in unknown


def test_prompts_ask_for_the_tools_and_rule_pages(tmp_path):
    async def work(session):
        prompts = (await session.list_prompts()).prompts
        review = await session.get_prompt("review-citations", {"path": "/home/me/paper.docx"})
        fix = await session.get_prompt("fix-bibliography", {"refs": "/home/me/refs.bib"})
        default = await session.get_prompt("fix-bibliography", {})
        return prompts, review, fix, default

    prompts, review, fix, default = _session_run(_options(_project(tmp_path)), work)
    arguments = {p.name: {a.name: a.required for a in p.arguments} for p in prompts}
    assert arguments == {"review-citations": {"path": True}, "fix-bibliography": {"refs": False}}
    [message] = review.messages
    assert message.role == "user"
    text = message.content.text
    assert "check_manuscript" in text and '"/home/me/paper.docx"' in text
    assert "citecheck://rules/<rule>" in text and "explain_rule" in text
    fix_text = fix.messages[0].content.text
    assert "propose_bib_fixes" in fix_text and '"/home/me/refs.bib"' in fix_text
    assert 'level "safe"' in fix_text
    assert "refs/references.bib" in default.messages[0].content.text
