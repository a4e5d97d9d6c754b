"""The adversarial suite: hostile inputs, outputs and servers through the real CLI.

Every case runs `citecheck` in a fresh folder as a subprocess and is judged as a user would:
exit code 0, 1 or 2 (never anything else), no "Traceback", no "internal error", finished
within its time bound (no hang), and the peak memory of the child process. Network cases
use one local server on 127.0.0.1 whose misbehaviour is chosen by the base path
(`--api-url http://127.0.0.1:PORT/drip` ...), with small configured timeouts.

    .venv/bin/python bench/hostile.py [--only SUBSTRING] [--verbose]

Prints one line per case and the counts; exits 1 when any case fails.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests import hostile_seeds as seeds

MB = 1024 * 1024
CITECHECK = [sys.executable, "-m", "citecheck.cli"]
NET_LIMITS = "[limits]\nrequest_timeout = 2\nread_timeout = 1\nconnect_timeout = 1\n"


@dataclass
class Case:
    name: str
    args: list[str]
    files: dict[str, bytes | Callable[[Path], None]] = field(default_factory=dict)
    bound: float = 120.0  # seconds; longer is a hang
    expect: tuple[int, ...] = (0, 1, 2)
    interrupt_after: float | None = None  # send SIGINT (Ctrl-C) this many seconds in
    interrupt_signal: int = signal.SIGINT  # or SIGTERM (a cancelled CI job, `kill`)


def text(value: str) -> bytes:
    return value.encode("utf-8")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


def docx(document_xml: bytes, *, compress: bool = True) -> bytes:
    """A minimal .docx package around the given word/document.xml."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        package.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * MB
            for _ in range(1024):  # 1 GiB of spaces, about 1 MB compressed
                member.write(block)
    return buffer.getvalue()


def many_references(count: int) -> bytes:
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import manuscript

    return text(manuscript(references=count, callouts=count))


def slow_manuscript() -> bytes:
    """A manuscript that takes many seconds to check offline (3,000 references, 200,000 callouts)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import manuscript

    return text(manuscript(references=3000, callouts=200_000))


def claims_many(count: int) -> bytes:
    item = (
        "  - id: c{n:06d}\n    location: {{path: paper.txt, line: {n}, column: 1}}\n"
        "    citations: [1]\n    author_mention: ''\n    context: text\n"
        "    paraphrase: '[1] cited'\n    fingerprint: abcdef123456\n    entities: []\n"
    )
    body = "".join(item.format(n=n) for n in range(1, count + 1))
    return text("schema_version: 2\nmanuscript: paper.txt\nclaims:\n" + body)


LAUGHS_XML = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]><article><body><p>&lol9;</p></body></article>"
)
YAML_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
PAPER = {"paper.txt": text(seeds.MANUSCRIPT)}
BIB = {"refs.bib": text(seeds.BIBTEX)}


def input_cases() -> list[Case]:
    deep_json = b"[" * 500_000 + b"]" * 500_000
    return [
        Case("FIFO as manuscript", ["check", "in.txt"], {"in.txt": fifo}, bound=10),
        Case("/dev/zero as manuscript", ["check", "/dev/zero"], bound=10),
        Case("directory named x.docx", ["check", "x.docx"], {"x.docx": folder}, bound=10),
        Case("directory as manuscript", ["check", "d"], {"d": folder}, bound=10),
        Case("empty manuscript", ["check", "e.txt"], {"e.txt": b""}),
        Case("binary manuscript", ["check", "b.txt"], {"b.txt": os.urandom(200_000)}),
        Case("Latin-1 manuscript", ["check", "l.txt"], {"l.txt": seeds.MANUSCRIPT.encode("latin-1", "replace") + b"\xe9"}),
        Case("UTF-16 manuscript", ["check", "u.txt"], {"u.txt": seeds.MANUSCRIPT.encode("utf-16")}),
        Case("10 MB on one line", ["check", "one.txt"], {"one.txt": b"word " * (2 * MB)}),
        Case("800,000 callouts in one paragraph", ["check", "c.txt"], {"c.txt": b"[1] " * 800_000 + b"\n\nReferences\n1. A B. T. J. 2020;1:1.\n"}, bound=180),
        Case("10 MB of callouts in one paragraph", ["check", "c.txt"], {"c.txt": b"[1] " * (MB * 5 // 2) + b"\n\nReferences\n1. A B. T. J. 2020;1:1.\n"}, bound=60),
        Case("10 MB of callouts, --deadline 20", ["check", "c.txt", "--deadline", "20"], {"c.txt": b"[1] " * (MB * 5 // 2) + b"\n\nReferences\n1. A B. T. J. 2020;1:1.\n"}, bound=20 + 3 + 10),
        Case("10,000-entry reference list", ["check", "many.txt", "--format", "json"], {"many.txt": many_references(10_000)}, bound=300),
        Case("claims: YAML alias bomb", ["check", "paper.txt", "--claims", "c.yaml"], {**PAPER, "c.yaml": text(YAML_LAUGHS)}),
        Case("claims: 100,000 levels deep", ["check", "paper.txt", "--claims", "c.yaml"], {**PAPER, "c.yaml": b"claims: " + b"[" * 100_000}),
        Case("claims: python object tag", ["check", "paper.txt", "--claims", "c.yaml"], {**PAPER, "c.yaml": b"claims: !!python/object/apply:os.system ['echo pwned']\n"}),
        Case("claims: 40,000 claims (~10 MB)", ["check", "paper.txt", "--claims", "c.yaml", "--format", "json", "-o", "/dev/null"], {**PAPER, "c.yaml": claims_many(40_000)}, bound=600),
        Case("lock: 500,000 levels deep", ["resolve", "--refs", "refs.bib", "--lock", "l.json"], {**BIB, "l.json": deep_json}),
        Case("lock: 5,000-digit number", ["resolve", "--refs", "refs.bib", "--lock", "l.json"], {**BIB, "l.json": b'{"citecheck-lock": 1, "references": [{"number": ' + b"9" * 5000 + b"}]}"}),
        Case("lock: NaN and Infinity", ["resolve", "--refs", "refs.bib", "--lock", "l.json"], {**BIB, "l.json": b'{"citecheck-lock": 1, "references": [{"score": NaN, "work": {"year": Infinity}}]}'}),
        Case("lock: 10 MB of garbage", ["resolve", "--refs", "refs.bib", "--lock", "l.json"], {**BIB, "l.json": os.urandom(10 * MB)}),
        Case("evidence file: NaN", ["check", "paper.txt", "--lock", "l.json"], {**PAPER, "l.json": text(seeds.LOCK), "l.evidence.json": b'{"evidence": [{"number": NaN}]}'}, expect=(2,)),
        Case("evidence file: 500,000 levels deep", ["check", "paper.txt", "--lock", "l.json"], {**PAPER, "l.json": text(seeds.LOCK), "l.evidence.json": deep_json}, expect=(2,)),
        Case("batch manifest: deep, NaN and huge lines", ["batch", "m.jsonl", "--out", "out", "-q", "--workers", "1"], {**PAPER, "m.jsonl": b'{"path": "paper.txt"}\n' + deep_json + b'\n{"path": NaN}\n{"id": ' + b"9" * 5000 + b"}\n"}),
        Case("batch manifest: a 200 KB CSV field", ["batch", "m.csv", "--out", "out", "-q", "--workers", "1"], {**PAPER, "m.csv": b'path,id\npaper.txt,"' + b"a" * 200_000 + b'"\n'}),
        Case("index snapshot: deep JSON line", ["index", "build", "s.jsonl", "-o", "i.db"], {"s.jsonl": b'{"id": "W1", "title": "T"}\n' + deep_json + b"\n"}, expect=(2,)),
        Case("index snapshot: NaN in a Crossref file", ["index", "build", "s.json", "-o", "i.db"], {"s.json": b'{"items": [{"DOI": "10.1/x", "volume": NaN}]}'}, expect=(2,)),
        Case("Retraction Watch CSV: a 200 KB field", ["retractions", "update", "--from", "r.csv"], {"r.csv": b'Record ID,OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature\n1,10.1/x,"' + b"1" * 200_000 + b'",Retraction\n'}, expect=(2,)),
        Case("CSL JSON: deep", ["check", "p.md", "--refs", "r.json"], {"p.md": text(seeds.PANDOC), "r.json": deep_json}),
        Case("CSL JSON: NaN year", ["check", "p.md", "--refs", "r.json"], {"p.md": text(seeds.PANDOC), "r.json": b'[{"id": "wen2021", "issued": {"date-parts": [[NaN]]}}]'}),
        Case("Pandoc front matter alias bomb", ["check", "p.md"], {"p.md": text("---\n" + YAML_LAUGHS + "bibliography: r.json\n---\nText [@a].\n")}),
        Case("BibTeX: 10 MB of open braces", ["check", "p.tex", "--refs", "r.bib"], {"p.tex": text(seeds.LATEX), "r.bib": b"@article{x, title = " + b"{" * (10 * MB - 40)}),
        Case("LaTeX: \\input of itself", ["check", "p.tex", "--refs", "refs.bib"], {**BIB, "p.tex": b"\\input{p}\n\\cite{wen2021bone}\n"}),
        Case("LaTeX: \\input{/dev/zero}", ["check", "p.tex", "--refs", "refs.bib"], {**BIB, "p.tex": b"\\input{/dev/zero}\n\\cite{wen2021bone}\n"}, bound=30),
        Case("JATS: billion laughs", ["check", "a.nxml"], {"a.nxml": LAUGHS_XML}),
        Case("JATS: 200,000 levels deep", ["check", "a.nxml"], {"a.nxml": b"<article>" + b"<sec>" * 200_000}),
        Case("DOCX: 1 GiB zip bomb", ["check", "b.docx"], {"b.docx": zip_bomb()}),
        Case("DOCX: malformed XML", ["check", "m.docx"], {"m.docx": docx(b"<w:document><w:body><w:p>")}),
        Case("DOCX: invalid XML characters", ["check", "m.docx"], {"m.docx": docx(b"<?xml version='1.0'?><w:document>\x01\x02</w:document>")}),
        Case("config: disable = 5", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b"disable = 5\n"}, expect=(2,)),
        Case("config: severity = 'error'", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b'severity = "error"\n'}, expect=(2,)),
        Case("config: suppress = [1]", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b"suppress = [1]\n"}, expect=(2,)),
        Case("config: disable as a string", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b'disable = "uncited-reference"\n'}, expect=(2,)),
        Case("config: fail-on for fail_on", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b'fail-on = "never"\n'}, expect=(2,)),
        Case("config: Latin-1 pyproject.toml", ["check", "paper.txt"], {**PAPER, "pyproject.toml": b"[tool.citecheck]\nmailto = \"caf\xe9\"\n"}, expect=(2,)),
        Case("config: 5,000-digit number", ["check", "paper.txt"], {**PAPER, "citecheck.toml": b"disable = " + b"1" * 5000 + b"\n"}, expect=(2,)),
        Case("Ctrl-C during a long offline check", ["check", "big.txt", "-o", "r.json", "--format", "json"], {"big.txt": slow_manuscript(), "r.json": b"{}"}, bound=60, expect=(130,), interrupt_after=4.0),
        Case("offline run past --deadline 1", ["check", "big.txt", "--deadline", "1"], {"big.txt": slow_manuscript()}, bound=1 + 2 + 10, expect=(0, 1, 2)),
        Case("SIGTERM during a long offline check", ["check", "big.txt", "-o", "r.json", "--format", "json"], {"big.txt": slow_manuscript(), "r.json": b"{}"}, bound=60, expect=(143,), interrupt_after=4.0, interrupt_signal=signal.SIGTERM),
        Case("--deadline nan", ["check", "paper.txt", "--deadline", "nan"], dict(PAPER), expect=(2,)),
        Case("--deadline 1e300", ["resolve", "paper.txt", "--deadline", "1e300"], dict(PAPER), expect=(2,)),
        Case("a 300-character file name", ["check", "a" * 300 + ".txt"], expect=(2,)),
        Case("a path with a newline and ESC", ["check", "a\nb\x1b[31m.txt"], expect=(2,)),
        Case("CSL style: billion laughs", ["bib", "--refs", "refs.bib", "--style", "b.csl"], {**BIB, "b.csl": LAUGHS_XML.replace(b"<article><body><p>&lol9;</p></body></article>", b"<style>&lol9;</style>")}, expect=(2,)),
        Case("cache dir is a file", ["check", "paper.txt", "--online", "--api-url", "http://127.0.0.1:9"], {**PAPER, "cache": b"not a folder"}),
    ]


def output_cases() -> list[Case]:
    return [
        Case("-o the manuscript", ["check", "paper.txt", "-o", "paper.txt"], dict(PAPER), expect=(2,)),
        Case("--output its own .bib", ["bib", "--style", "apa", "--refs", "refs.bib", "--output", "refs.bib"], dict(BIB), expect=(2,)),
        Case("-o /dev/null", ["check", "paper.txt", "-o", "/dev/null"], dict(PAPER), expect=(0, 1)),
        Case("-o a directory", ["check", "paper.txt", "-o", "d"], {**PAPER, "d": folder}, expect=(2,)),
        Case("-o a FIFO", ["check", "paper.txt", "-o", "f"], {**PAPER, "f": fifo}, expect=(2,), bound=10),
        Case("-o under a file", ["check", "paper.txt", "-o", "paper.txt/x"], dict(PAPER), expect=(2,)),
        Case("report on a non-UTF-8 file name", ["check", "\udcff.txt", "--format", "html", "-o", "r.html"], {"\udcff.txt": text(seeds.MANUSCRIPT)}, expect=(0, 1)),
        Case("-o the evidence file", ["check", "paper.txt", "--lock", "l.json", "-o", "l.evidence.json"], {**PAPER, "l.json": text(seeds.LOCK), "l.evidence.json": b'{"evidence": []}'}, expect=(2,)),
        Case("bib --fix -o the evidence file", ["bib", "--refs", "refs.bib", "--fix", "--lock", "l.json", "-o", "l.evidence.json"], {**BIB, "l.json": text(seeds.LOCK), "l.evidence.json": b'{"evidence": []}'}, expect=(2,)),
        Case("bib --fix --in-place -o the lock", ["bib", "--refs", "refs.bib", "--fix", "--in-place", "--lock", "l.json", "-o", "l.json"], {**BIB, "l.json": text(seeds.LOCK)}, expect=(2,)),
    ]


# --- one local server, misbehaving by path ---------------------------------------------------


def work_message() -> dict:
    return {"status": "ok", "message-type": "work-list", "message": {"items": []}}


class Faults(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        fault = self.path.split("/")[1]
        stop: threading.Event = self.server.stop  # type: ignore[attr-defined]
        try:
            if fault == "drip":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                while not stop.wait(0.5):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif fault == "silent":
                stop.wait(60)
            elif fault == "huge":
                self.send_response(200)
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b" " * MB)
            elif fault == "deep":
                self.reply(200, b"[" * 300_000 + b"]" * 300_000)
            elif fault == "storm":
                self.reply(429, b"slow down", Retry_After="1")
            elif fault == "retry-hour":
                self.reply(429, b"slow down", Retry_After="3600")
            elif fault == "window":
                self.reply(200, json.dumps(work_message()).encode(), X_Rate_Limit_Limit="1", X_Rate_Limit_Interval="3600s")
            elif fault == "portal":
                self.reply(200, b"<html><body>Log in to the Wi-Fi</body></html>", Content_Type="text/html")
            elif fault == "shape":
                self.reply(200, b'{"message-type": "work", "message": [1, 2]}')
            else:  # a wrong base path: 404 for everything
                self.reply(404, b"Not Found")
        except (BrokenPipeError, ConnectionResetError):
            pass


def network_cases(base: str) -> list[Case]:
    files = {**PAPER, "citecheck.toml": text(NET_LIMITS)}
    faults = ["drip", "silent", "huge", "deep", "storm", "retry-hour", "window", "portal", "shape", "wrong-path"]
    return [
        Case(
            f"server: {fault}",
            ["resolve", "paper.txt", "--online", "--mailto", "dev@example.org", "--api-url", f"{base}/{fault}", "--lock", "l.json"],
            dict(files),
            bound=60,
            expect=(0,),
        )
        for fault in faults
    ] + [
        Case(
            "Ctrl-C while waiting on a silent server",
            ["resolve", "paper.txt", "--online", "--api-url", f"{base}/silent", "--no-cache"],
            {**PAPER, "citecheck.toml": b"[limits]\nrequest_timeout = 30\nread_timeout = 30\n"},
            bound=30,
            expect=(130,),
            interrupt_after=3.0,
        ),
        Case(
            "server: silent, --deadline 3",
            ["check", "paper.txt", "--online", "--api-url", f"{base}/silent", "--deadline", "3", "--no-cache"],
            {**PAPER, "citecheck.toml": b"[limits]\nrequest_timeout = 30\nread_timeout = 30\n"},
            bound=3 + 10 + 5,
            expect=(0, 1),
        )
    ]


# --- running ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    code: int | None
    seconds: float
    peak_mb: float
    output: str
    stop_seconds: float | None = None  # from Ctrl-C to exit

    @property
    def problems(self) -> list[str]:
        found = []
        if self.code is None:
            found.append("hang")
        elif self.code not in self.case.expect:
            found.append(f"exit {self.code}")
        if "Traceback" in self.output:
            found.append("traceback")
        if "internal error" in self.output:
            found.append("internal error")
        if self.stop_seconds is not None and self.stop_seconds > 1.0:
            found.append(f"Ctrl-C took {self.stop_seconds:.1f} s")
        return found


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM; rusage would count the forked
    parent's pages too), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_case(case: Case, where: Path) -> Outcome:
    where.mkdir(parents=True)
    for name, content in case.files.items():
        if callable(content):
            content(where / name)
        else:
            (where / name).write_bytes(content)
    env = {**os.environ, "XDG_CACHE_HOME": str(where / "cache")}
    start = time.monotonic()
    process = subprocess.Popen(
        CITECHECK + case.args,
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
    reader.start()
    code, peak = None, 0.0
    interrupted = None
    while time.monotonic() - start < case.bound:
        peak = max(peak, _peak_mb(process.pid))
        due = case.interrupt_after is not None and interrupted is None
        if due and time.monotonic() - start >= case.interrupt_after:
            process.send_signal(case.interrupt_signal)
            interrupted = time.monotonic()
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.02)
    if code is None:
        process.kill()
        os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    reader.join(timeout=5)
    output = b"".join(chunks).decode("utf-8", "replace")
    stop = start + seconds - interrupted if interrupted is not None else None
    return Outcome(case, code, seconds, peak, output, stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    parser.add_argument("--verbose", action="store_true", help="print each case's output")
    args = parser.parse_args()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Faults)
    httpd.daemon_threads = True
    httpd.stop = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    cases = input_cases() + output_cases() + network_cases(base)
    cases = [c for c in cases if args.only.lower() in c.name.lower()]
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="citecheck-hostile-") as scratch:
        for index, case in enumerate(cases):
            outcome = run_case(case, Path(scratch) / f"case{index}")
            outcomes.append(outcome)
            status = "FAIL " + ",".join(outcome.problems) if outcome.problems else "ok"
            if outcome.stop_seconds is not None:
                outcome.output += f" [Ctrl-C to exit: {outcome.stop_seconds:.2f} s]"
            first = outcome.output.strip().splitlines()[-1:] or [""]
            print(
                f"{status:<6} {case.name:<36} exit {outcome.code!s:<4} {outcome.seconds:6.1f} s "
                f"{outcome.peak_mb:7.0f} MB  {first[0][:110]}"
            )
            if args.verbose:
                print(outcome.output)
    httpd.stop.set()  # type: ignore[attr-defined]
    httpd.shutdown()
    count = {
        name: sum(name in o.problems for o in outcomes)
        for name in ("internal error", "traceback", "hang")
    }
    wrong_exit = sum(any(p.startswith("exit") for p in o.problems) for o in outcomes)
    peak = max((o.peak_mb for o in outcomes), default=0.0)
    print(
        f"\n{len(outcomes)} cases: {count['internal error']} internal errors, "
        f"{count['traceback']} tracebacks, {count['hang']} hangs, {wrong_exit} unexpected exit "
        f"codes; peak memory {peak:.0f} MB"
    )
    sys.exit(1 if any(o.problems for o in outcomes) else 0)


if __name__ == "__main__":
    main()
