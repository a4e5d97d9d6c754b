"""`citecheck mcp` on real documents, through the SDK's client as an agent would call it.

For every document of ../shared/data/realworld-dev: check_manuscript must give exactly the
findings `run_check` gives (the tool adds nothing and loses nothing), and claim_evidence,
called with each claim's own sentence, must name that claim (or refuse, saying the sentence
is ambiguous: the same sentence written twice). On the seed, every locked reference is looked
up by DOI, by PMID and by its reference string, and must give its own record's BibTeX.

    .venv/bin/python bench/mcp_tools.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import anyio

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "data" / "realworld-dev"
SEED = SHARED / "seed" / "manuscript.txt"


async def _session(server, work):
    from mcp import Client

    async with Client(server) as client:
        return await work(client)


def _answer(result):
    text = "".join(block.text for block in result.content)
    return bool(result.is_error), (text if result.is_error else json.loads(text))


def documents(limit: int | None) -> list[tuple[str, Path]]:
    manifest = json.loads((REALWORLD / "manifest.json").read_text(encoding="utf-8"))
    docs = [(d["name"], REALWORLD / d["files"][0]["path"]) for d in manifest["documents"]]
    return docs[:limit] if limit else docs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    if not REALWORLD.exists():
        print(f"skipped: {REALWORLD} not present")
        return 0
    from citecheck.agent.server import build_server
    from citecheck.agent.tools import AgentOptions
    from citecheck.config import load_config
    from citecheck.reports.json_report import document
    from citecheck.workflow import run_check

    options = AgentOptions(load_config(REPO))
    server = build_server(options)
    tally: Counter[str] = Counter()

    async def run(client):
        for name, path in documents(args.limit):
            started = time.perf_counter()
            error, report = _answer(await client.call_tool("check_manuscript", {"path": str(path)}))
            seconds = time.perf_counter() - started
            if error:
                tally["check error"] += 1
                print(f"{name:32} error: {report}")
                continue
            result = run_check(options.config, manuscript=str(path), lock_path=options.lock)
            direct = document(result)
            texts = {c.id: c.text for c in result.claims}
            same = direct["findings"] == report["findings"]
            tally["check same as run_check" if same else "check DIFFERS"] += 1
            found = ambiguous = wrong = 0
            for claim in direct["claims"][:40]:  # the first 40 claims of each document
                sentence = texts.get(claim["id"], "")
                if not sentence:
                    continue
                error, answer = _answer(
                    await client.call_tool(
                        "claim_evidence", {"path": str(path), "sentence": sentence}
                    )
                )
                if error and "several claims" in answer:
                    ambiguous += 1
                elif error or answer["claim_id"] != claim["id"]:
                    wrong += 1
                    print(f"  {claim['id']}: {answer if error else answer['claim_id']}")
                else:
                    found += 1
            tally["claim by sentence: right"] += found
            tally["claim by sentence: ambiguous (refused)"] += ambiguous
            tally["claim by sentence: wrong or failed"] += wrong
            print(
                f"{name:32} {len(report['findings']):4} findings {seconds:6.2f} s  "
                f"same={same}  claims by sentence {found} right, {ambiguous} refused, {wrong} wrong"
            )

    anyio.run(_session, server, run)
    if SEED.exists():
        tally.update(anyio.run(_session, server, _seed_lookups))
    for key, value in tally.items():
        print(f"{key}: {value}")
    return 0


async def _seed_lookups(client) -> Counter[str]:
    """Every locked seed reference by DOI, PMID and its own text: its own record back."""
    from citecheck.resolve.lock import load_lock

    tally: Counter[str] = Counter()
    for entry in load_lock(REPO / "refs" / "references.lock.json").entries:
        work = entry.resolution.work
        if work is None:
            continue
        for kind, query in (
            ("doi", work.doi),
            ("pmid", work.pmid),
            ("text", entry.resolution.query),
        ):
            if not query:
                continue
            error, answer = _answer(await client.call_tool("lookup_reference", {"query": query}))
            right = not error and answer["verdict"] == "matched" and answer["doi"] == work.doi
            tally[f"seed lookup by {kind}: {'own record' if right else 'NOT own record'}"] += 1
            if not right:
                print(f"  seed [{entry.number}] by {kind}: {answer}")
    return tally


if __name__ == "__main__":
    sys.exit(main())
