"""The repository's lock speaks only for the manuscript it was written for (issue 8, pattern 6).

Run inside this repository, `citecheck check other.md` finds refs/references.lock.json (the
seed's). Nothing in it may turn into a finding about another manuscript's entries, and
`citecheck resolve other.md` must not overwrite it with another manuscript's answers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from citecheck.config import Config
from citecheck.files import InputError
from citecheck.model import Author, Work
from citecheck.workflow import NetworkOptions, resolve_lock, run_check

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "refs" / "references.lock.json"
SHARED = REPO.parent / "shared"
KOZICH = SHARED / "data" / "realworld-dev" / "docs" / "text" / "kozich-2013" / "Kozich_AEM_2013.md"

# Another numbered manuscript: its [1]-[3] are other works than the seed's [1]-[3].
OTHER = """Gut bacteria and colon tumours

Antibiotics changed the community [1]. Diet matters too [2, 3].

References

1. Zackular JP, Baxter NT, Iverson KD, et al. The gut microbiome modulates colon
tumorigenesis. mBio. 2013;4(6):e00692-13.
2. Turnbaugh PJ, Ridaura VK, Faith JJ, et al. The effect of diet on the human gut
microbiome. Sci Transl Med. 2009;1(6):6ra14.
3. Schloss PD, Westcott SL. Assessing and improving methods used in operational taxonomic
unit-based approaches. Appl Environ Microbiol. 2011;77(10):3219-26.
"""

needs_lock = pytest.mark.skipif(not LOCK.is_file(), reason="refs/references.lock.json absent")


def _findings(manuscript: Path, lock: Path) -> list[tuple]:
    result = run_check(Config(root=REPO), manuscript=str(manuscript), lock_path=str(lock))
    return [(f.rule, f.severity, f.reference, f.message) for f in result.findings]


@needs_lock
def test_another_manuscript_gets_no_finding_from_the_repository_lock(tmp_path) -> None:
    other = tmp_path / "other.md"
    other.write_text(OTHER, encoding="utf-8")
    assert _findings(other, LOCK) == _findings(other, tmp_path / "absent.lock.json")


@needs_lock
@pytest.mark.skipif(not KOZICH.is_file(), reason="../shared/data/realworld-dev absent")
def test_a_real_numbered_manuscript_gets_no_finding_from_the_repository_lock(tmp_path) -> None:
    with_lock = _findings(KOZICH, LOCK)
    assert with_lock == _findings(KOZICH, tmp_path / "absent.lock.json")
    assert not [f for f in with_lock if f[0] == "unresolved-reference" or "mismatch" in f[0]]


@needs_lock
def test_resolve_refuses_to_overwrite_another_manuscripts_lock(tmp_path) -> None:
    other = tmp_path / "other.md"
    other.write_text(OTHER, encoding="utf-8")
    lock = tmp_path / "references.lock.json"
    shutil.copy(LOCK, lock)
    before = lock.read_bytes()
    with pytest.raises(InputError, match="another manuscript"):
        resolve_lock(
            Config(root=tmp_path),
            manuscript=str(other),
            refs=None,
            lock_path=str(lock),
            network=NetworkOptions(),
        )
    assert lock.read_bytes() == before


def test_check_online_asks_about_entries_the_lock_no_longer_fits(tmp_path, monkeypatch) -> None:
    """An unresolved entry (changed since it was locked) is looked up by `check --online`."""
    from citecheck import workflow
    from citecheck.model import Resolution, Verdict
    from citecheck.readers import read_manuscript
    from citecheck.resolve.lock import Lock, LockEntry, save_lock

    other = tmp_path / "other.md"
    other.write_text(OTHER, encoding="utf-8")
    refs = read_manuscript(str(other)).references
    work = Work(
        title="The gut microbiome modulates colon tumorigenesis",
        authors=(Author("Zackular", "Joseph"),),
        container_title="mBio",
        year=2013,
        volume="4",
        article_number="e00692-13",
    )
    stale = Work(title="Something else entirely about soil", authors=(Author("Schloss", "P"),))
    lock = tmp_path / "references.lock.json"
    save_lock(
        Lock(
            (
                LockEntry(1, refs[0].key, Resolution(Verdict.MATCHED, work, 1.0, refs[0].raw)),
                LockEntry(3, refs[2].key, Resolution(Verdict.MATCHED, stale, 1.0, "old text")),
            )
        ),
        lock,
    )
    asked: list[int] = []

    def fake_online(missing, network, session, on_progress=None):
        asked.extend(r.number for r in missing)
        return {}

    monkeypatch.setattr(workflow, "resolve_online", fake_online)
    monkeypatch.setattr(workflow, "open_session", lambda network: None)
    result = run_check(
        Config(root=tmp_path),
        manuscript=str(other),
        lock_path=str(lock),
        network=NetworkOptions(online=True),
    )
    assert asked == [2, 3]  # [1] is locked and unchanged; [3] no longer fits its record
    hints = [f for f in result.findings if f.rule == "unresolved-reference"]
    assert [(f.reference, f.severity.label) for f in hints] == [(3, "info")]


@needs_lock
def test_citecheck_check_run_inside_the_repository_leaves_the_lock_out(tmp_path, monkeypatch):
    """The command a user types: `citecheck check other.md` with the repository as cwd."""
    import json

    from click.testing import CliRunner

    from citecheck.cli import main

    other = tmp_path / "other.md"
    other.write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    args = ["check", str(other), "--format", "json", "--fail-on", "never"]
    with_lock = json.loads(runner.invoke(main, args).output)
    without = json.loads(runner.invoke(main, [*args, "--lock", str(tmp_path / "no.lock")]).output)
    assert with_lock["inputs"].get("lock") == "refs/references.lock.json"
    assert with_lock["findings"] == without["findings"]
