"""Fault matrix for the HTTP client against a real local server (127.0.0.1 only).

Each case sets how the server misbehaves -- drip one byte at a time, never answer, send a
huge or deeply nested body, answer 429 forever, advertise an hour-long rate window, send an
HTML portal page, 404 everything -- and checks that the lookup fails as LookupFailed within
the configured time, that nothing bad is cached, and through the CLI that the run ends with
lookup-failed verdicts, on time, and on Ctrl-C at once with files intact.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from citecheck.limits import Limits
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.crossref import CrossrefClient
from citecheck.resolve.sources.http import make_session
from citecheck.resolve.sources.ratelimit import POLITE, RateLimiter
from tests import hostile_seeds as seeds

FAST = Limits(
    request_timeout=0.6,
    connect_timeout=0.25,
    read_timeout=0.25,
    max_http_body_bytes=1024 * 1024,
    max_retry_after=0.5,
    max_rate_limit_interval=0.5,
)
WORK = {
    "status": "ok",
    "message-type": "work",
    "message": {"DOI": "10.5555/x", "title": ["A title"], "issued": {"date-parts": [[2020]]}},
}
WORK_LIST = {"status": "ok", "message-type": "work-list", "message": {"items": []}}

Behaviour = Callable[[BaseHTTPRequestHandler], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 -- http.server's naming
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        try:
            self.server.behaviour(self)  # type: ignore[attr-defined]
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes | dict, **headers) -> None:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    handler.send_response(status)
    handler.send_header("Content-Type", headers.pop("content_type", "application/json"))
    handler.send_header("Content-Length", str(len(data)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(data)


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.requests = []  # type: ignore[attr-defined]
    httpd.stop = threading.Event()  # type: ignore[attr-defined]
    httpd.behaviour = lambda h: send(h, 200, WORK)  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.stop.set()  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


def url(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def client(httpd: ThreadingHTTPServer, limits: Limits = FAST, **kwargs) -> CrossrefClient:
    return CrossrefClient(
        base_url=url(httpd),
        mailto="dev@example.org",
        session=kwargs.pop("session", None) or make_session(cache=False, user_agent="t"),
        limits=limits,
        limiter=kwargs.pop("limiter", None)
        or RateLimiter(POLITE, max_wait=limits.max_rate_limit_interval),
        sleep=lambda seconds: None,
        **kwargs,
    )


def timed_failure(lookup: Callable[[], object], match: str) -> float:
    start = time.monotonic()
    with pytest.raises(LookupFailed, match=match):
        lookup()
    return time.monotonic() - start


# --- time ---------------------------------------------------------------------------------------


def test_a_dripping_server_is_cut_off_by_the_request_deadline(server):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(1000):
            if server.stop.wait(0.1):
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()

    server.behaviour = drip
    elapsed = timed_failure(lambda: client(server).work("10.5555/x"), "gave up after 2 tries")
    assert elapsed < 2 * FAST.request_timeout + 1.0  # two tries, each cut at 1 s


def test_a_server_dripping_header_lines_is_cut_off_too(server):
    def drip_headers(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(60):
            if server.stop.wait(0.1):
                return
            handler.wfile.write(b"X-Slow-%d: 1\r\n" % n)
            handler.wfile.flush()

    server.behaviour = drip_headers
    elapsed = timed_failure(lambda: client(server).work("10.5555/x"), "gave up after 2 tries")
    assert elapsed < 2 * FAST.request_timeout + 1.0


def test_a_server_that_never_answers_fails_fast(server):
    server.behaviour = lambda handler: server.stop.wait(30)
    slow = client(server)
    elapsed = timed_failure(lambda: slow.work("10.5555/x"), "gave up after 2 tries")
    assert elapsed < 2 * FAST.read_timeout + 1.0
    for _ in range(2):
        with pytest.raises(LookupFailed):
            slow.work("10.5555/x")
    # Six silent requests in a row: the rest are not even tried.
    asked = len(server.requests)
    timed_failure(lambda: slow.work("10.5555/y"), "not tried")
    assert len(server.requests) == asked


def test_retry_after_beyond_the_cap_fails_now_with_the_wait_named(server):
    server.behaviour = lambda h: send(h, 429, b"slow down", Retry_After="30")
    elapsed = timed_failure(lambda: client(server).work("10.5555/x"), "rate-limited for 30 s")
    assert elapsed < 1.0 and len(server.requests) == 1


def test_a_429_storm_ends_in_lookup_failed_not_a_stall(server):
    server.behaviour = lambda h: send(h, 429, b"slow down", Retry_After="0")
    storm = client(server)
    elapsed = timed_failure(lambda: storm.work("10.5555/x"), "gave up after 5 tries")
    timed_failure(lambda: storm.work("10.5555/y"), "gave no answer to 6 requests")
    assert elapsed < 2.0


def test_retry_waits_of_one_lookup_stay_within_the_cap_in_all(server):
    # "Retry-After: 30 on every answer took 270 s for 3 references": each wait is under the
    # cap, but together they may not pass it.
    server.behaviour = lambda h: send(h, 429, b"slow down", Retry_After="0.3")
    waits: list[float] = []
    patient = client(server)
    patient._sleep = waits.append
    timed_failure(lambda: patient.work("10.5555/x"), r"rate-limited for 1 s in all")
    assert sum(waits) <= FAST.max_retry_after


def test_europe_pmc_gets_the_same_bounds(server):
    from citecheck.resolve.sources.europepmc import fetch_abstract

    server.behaviour = lambda handler: server.stop.wait(30)
    session = make_session(cache=False, user_agent="t")
    start = time.monotonic()
    with pytest.raises(LookupFailed, match="Europe PMC"):
        fetch_abstract(session, doi='10.1/x" OR "y', limits=FAST, url=url(server) + "/search")
    assert time.monotonic() - start < FAST.request_timeout + 0.5
    query = requests.utils.unquote(server.requests[0].replace("+", " "))
    assert 'DOI:"10.1/x OR y"' in query


def test_an_hour_long_advertised_rate_window_is_lookup_failed_not_a_stall(server):
    server.behaviour = lambda h: send(
        h, 200, WORK, X_Rate_Limit_Limit="1", X_Rate_Limit_Interval="3600s"
    )
    paced = client(server)
    assert paced.work("10.5555/x") is not None
    elapsed = timed_failure(lambda: paced.work("10.5555/y"), r"rate-limited for \d+ s")
    assert elapsed < 1.0


def test_the_run_deadline_stops_lookups(server):
    server.behaviour = lambda handler: server.stop.wait(30)
    late = client(server, deadline=time.monotonic() + 0.3)
    elapsed = timed_failure(lambda: late.work("10.5555/x"), "deadline")
    assert elapsed < 1.0


# --- size and shape -----------------------------------------------------------------------------


def test_a_declared_huge_body_is_refused_before_reading(server):
    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(100 * 1024 * 1024))
        handler.end_headers()
        handler.wfile.write(b"[" * 1024)

    server.behaviour = huge
    timed_failure(lambda: client(server).work("10.5555/x"), "over the cap")


def test_an_undeclared_huge_body_is_cut_at_the_cap(server):
    def chunked(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = b" " * 65536
        for _ in range(200):  # 12.5 MB against a 1 MB cap
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
        handler.wfile.write(b"0\r\n\r\n")

    server.behaviour = chunked
    timed_failure(lambda: client(server).work("10.5555/x"), "over the 1 MB cap")


@pytest.mark.parametrize(
    "body, content_type, match",
    [
        (b"[" * 200_000 + b"]" * 200_000, "application/json", "nested"),
        (b'{"message-type": "work", "message": {"volume": ' + b"7" * 5000 + b"}}", "application/json", "digits"),
        (b'{"message-type": "work", "message": {"year": NaN}}', "application/json", "NaN"),
        (b"<html><title>Hotel Wi-Fi login</title></html>", "text/html", "HTML page"),
        (b'{"message-type": "work-list", "message": {}}', "application/json", "shape"),
        (b"", "application/json", "not valid JSON"),
    ],
)
def test_bad_bodies_fail_and_are_never_cached(server, tmp_path, body, content_type, match):
    server.behaviour = lambda h: send(h, 200, body, content_type=content_type)
    session = make_session(cache=True, cache_dir=tmp_path, user_agent="t")
    timed_failure(lambda: client(server, session=session).work("10.5555/x"), match)
    server.behaviour = lambda h: send(h, 200, WORK)
    fresh = make_session(cache=True, cache_dir=tmp_path, user_agent="t")
    assert client(server, session=fresh).work("10.5555/x") is not None  # asked again


def test_404_to_everything_is_lookup_failed_and_names_the_api_url(server):
    server.behaviour = lambda h: send(h, 404, b"Not Found", content_type="text/plain")
    timed_failure(lambda: client(server).work("10.5555/x"), "check --api-url")


def test_hostile_dois_never_leave_the_works_path(server):
    server.behaviour = lambda h: send(h, 404, b"no") if "rows=0" not in h.path else send(
        h, 200, WORK_LIST
    )
    probe = client(server)
    for doi in ("10.1016/../../__log", "10.1/%2e%2e/admin", "10.1/x?rows=1000#y", "10.1/a b"):
        assert probe.work(doi) is None
    works = [p for p in server.requests if "rows=0" not in p]
    assert all(p.startswith("/works/10.") and p.split("?")[0].count("/") == 2 for p in works)


# --- through the CLI --------------------------------------------------------------------------


def project(tmp_path: Path, timeout: float = 0.5) -> Path:
    (tmp_path / "paper.txt").write_text(seeds.MANUSCRIPT, encoding="utf-8")
    (tmp_path / "citecheck.toml").write_text(
        f"[limits]\nrequest_timeout = {timeout}\nread_timeout = {timeout}\n", encoding="utf-8"
    )
    return tmp_path


def citecheck(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.Popen(
        [sys.executable, "-m", "citecheck.cli", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_resolve_against_a_wrong_api_url_locks_lookup_failed_never_not_found(server, tmp_path):
    server.behaviour = lambda h: send(h, 404, b"Not Found", content_type="text/plain")
    project(tmp_path)
    run = citecheck(
        tmp_path, "resolve", "paper.txt", "--online", "--sources", "crossref", "--mailto", "dev@example.org",
        "--api-url", url(server) + "/v0",
    )
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    lock = json.loads((tmp_path / "refs/references.lock.json").read_text(encoding="utf-8"))
    verdicts = {entry["verdict"] for entry in lock["references"]}
    assert verdicts == {"lookup-failed"}
    assert all("check --api-url" in e["detail"] for e in lock["references"])
    # The service is checked once; lookups after its verdict are not even sent (those already
    # in flight on other threads may still arrive).
    assert sum("rows=0" in p for p in server.requests) == 1
    assert len(server.requests) <= 1 + len(lock["references"])


def test_check_with_a_deadline_finishes_on_time_with_lookup_failed(server, tmp_path):
    server.behaviour = lambda handler: server.stop.wait(30)
    project(tmp_path)
    start = time.monotonic()
    run = citecheck(
        tmp_path, "check", "paper.txt", "--online", "--sources", "crossref", "--api-url", url(server), "--deadline", "1.5",
        "--format", "json", "-o", "report.json",
    )
    out, err = run.communicate(timeout=60)
    assert time.monotonic() - start < 1.5 + 10.0  # + start-up and the report on a busy machine
    assert "Traceback" not in err
    assert run.returncode in (0, 1), err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {f["rule"] for f in report["findings"]} >= {"lookup-failed"}


def test_ctrl_c_stops_within_a_second_and_leaves_the_lock_intact(server, tmp_path):
    server.behaviour = lambda handler: server.stop.wait(30)
    project(tmp_path, timeout=20)
    lock = tmp_path / "refs" / "references.lock.json"
    lock.parent.mkdir()
    lock.write_text('{"citecheck-lock": 1, "references": []}\n', encoding="utf-8")
    before = lock.read_bytes()
    run = citecheck(tmp_path, "resolve", "paper.txt", "--online", "--sources", "crossref", "--api-url", url(server))
    deadline = time.monotonic() + 60
    while not server.requests and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.requests, run.communicate()[1]
    run.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = run.communicate(timeout=20)
    assert time.monotonic() - sent < 1.0
    assert run.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert lock.read_bytes() == before
    assert not [p for p in lock.parent.iterdir() if p.name != lock.name]


def test_requests_reach_the_local_server_only(server):
    # The fault matrix never leaves this machine.
    assert url(server).startswith("http://127.0.0.1:")
    assert requests.utils.urlparse(url(server)).hostname == "127.0.0.1"
