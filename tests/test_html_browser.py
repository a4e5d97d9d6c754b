"""The HTML report opened in a real headless browser (Debian's chromium): it renders, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from test_reports import HOSTILE, realistic_result

from citecheck.reports import html as html_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# No network, no profile sync, no GPU: the page must render from the file alone.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _find_chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _find_chromium()
    if found is None and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        # Best effort on Debian CI images running as root; quiet, bounded.
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "chromium"],
            capture_output=True,
            timeout=600,
            check=False,
        )
        found = _find_chromium()
    if found is None:
        pytest.skip("chromium not installed and not installable here (needs Debian + root)")
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html_report.render(realistic_result()), encoding="utf-8")
    return path


def _run(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_screenshot_is_a_real_image(chromium, page, tmp_path):
    png = tmp_path / "report.png"
    done = _run(chromium, tmp_path, f"--screenshot={png}", "--window-size=1200,1600", page.as_uri())
    assert png.is_file(), done.stderr[-2000:]
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC)
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    # A blank page compresses to a few kB; a rendered report with text and colour does not.
    assert len(data) > 30_000


def test_dom_shows_findings_and_escaped_text(chromium, page, tmp_path):
    done = _run(chromium, tmp_path, "--dump-dom", page.as_uri())
    dom = done.stdout
    assert "</html>" in dom, done.stderr[-2000:]
    result = realistic_result()
    assert dom.count('<article class="finding') == len(result.findings)
    assert dom.count('<section class="claim"') == 3
    assert "[32] wen2021bone" in dom and "author-mention-mismatch" in dom
    assert "cited work names SUV38H1" in dom
    # The hostile message stays text: the browser's DOM holds it escaped, with no script node.
    assert "<script" not in dom
    assert "&lt;script&gt;alert" in dom
    assert escape(HOSTILE.split("\n")[0], quote=False) in dom and "中文" in dom
