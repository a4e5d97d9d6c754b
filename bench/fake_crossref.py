"""A local stand-in for api.crossref.org: slow answers and the polite pool's limits, enforced.

Serves GET /works/{doi} (a small work message; 404 for DOIs under 10.5555/missing) and
GET /works?query.bibliographic=...&rows=N (a work-list of N invented candidates) on
127.0.0.1 at an ephemeral port. Every answer takes `latency` seconds. A request that would
make more than `rate` arrivals within `interval` seconds, or more than `concurrency` in
flight, gets 429 with Retry-After at once (rejected requests count as arrivals, as they
would at Crossref). The server stops itself after `lifetime` seconds.

Usage: .venv/bin/python bench/fake_crossref.py [--lifetime 60]   (prints its base URL)
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Stats:
    """What the server saw: arrivals, 429s sent, and the most requests in flight at once."""

    requests: int = 0
    rejected: int = 0
    peak_in_flight: int = 0


class FakeCrossref:
    """The server, as a context manager: `with FakeCrossref() as api: ... api.url ...`."""

    def __init__(
        self,
        *,
        latency: float = 0.2,
        rate: int = 10,
        interval: float = 1.0,
        concurrency: int = 3,
        retry_after: int = 1,
        lifetime: float = 300.0,
    ) -> None:
        self.latency = latency
        self.rate = rate
        self.interval = interval
        self.concurrency = concurrency
        self.retry_after = retry_after
        self.lifetime = lifetime
        self.stats = Stats()
        self._lock = threading.Lock()
        self._arrivals: deque[float] = deque()
        self._in_flight = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    def wait(self) -> None:
        """Block until the server has stopped (its lifetime ran out or stop() was called)."""
        self._stopped.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def admit(self) -> bool:
        """Count one arrival; True if it is inside the limits (and is now in flight)."""
        now = time.monotonic()
        with self._lock:
            self.stats.requests += 1
            while self._arrivals and self._arrivals[0] <= now - self.interval:
                self._arrivals.popleft()
            over_rate = len(self._arrivals) >= self.rate
            self._arrivals.append(now)
            if over_rate or self._in_flight >= self.concurrency:
                self.stats.rejected += 1
                return False
            self._in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self._in_flight)
            return True

    def done(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _work(doi: str, n: int = 0) -> dict:
    """A small but complete work message, shaped like Crossref's."""
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [f"Benchmark record {doi}"],
        "author": [
            {"given": "Test", "family": f"Author{n}", "sequence": "first", "affiliation": []}
        ],
        "container-title": ["Journal of Benchmarks"],
        "short-container-title": ["J Bench"],
        "issued": {"date-parts": [[2020, 1, 1]]},
        "volume": "1",
        "issue": "1",
        "page": f"{n + 1}-{n + 9}",
    }


def _handler_for(api: FakeCrossref) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as api.crossref.org offers

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the benchmark reports, the server does not."""

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            pool = "polite" if "mailto" in query else "public"
            headers = {
                "X-Rate-Limit-Limit": str(api.rate),
                "X-Rate-Limit-Interval": f"{api.interval:g}s",
                "X-Api-Pool": pool,
            }
            if not api.admit():
                self._send(
                    429, "Too many requests", {**headers, "Retry-After": str(api.retry_after)}
                )
                return
            try:
                time.sleep(api.latency)
                status, body = self._answer(parts.path, query)
            finally:
                api.done()  # before the reply: the client may start its next request at once
            self._send(status, body, headers)

        def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str | dict]:
            if path.startswith("/works/"):
                doi = unquote(path.removeprefix("/works/"))
                if doi.startswith("10.5555/missing"):
                    return 404, "Resource not found."
                return 200, {"status": "ok", "message-type": "work", "message": _work(doi)}
            if path == "/works" and "query.bibliographic" in query:
                rows = int(query.get("rows", ["5"])[0])
                items = [{**_work(f"10.5555/cand.{i}", i), "score": 50.0 - i} for i in range(rows)]
                message = {"total-results": rows, "items": items, "items-per-page": rows}
                return 200, {"status": "ok", "message-type": "work-list", "message": message}
            if path == "/works" and "filter" in query:  # filter=doi:a,doi:b (batched lookups)
                dois = [f[4:] for f in query["filter"][0].split(",") if f.startswith("doi:")]
                items = [_work(d) for d in dois if not d.startswith("10.5555/missing")]
                message = {"total-results": len(items), "items": items}
                return 200, {"status": "ok", "message-type": "work-list", "message": message}
            if path == "/works":  # e.g. rows=0, the client's check that this is a Crossref API
                message = {"total-results": 0, "items": [], "items-per-page": 0}
                return 200, {"status": "ok", "message-type": "work-list", "message": message}
            return 404, "Resource not found."

        def _send(self, status: int, body: str | dict, headers: dict[str, str]) -> None:
            is_json = isinstance(body, dict)
            data = (json.dumps(body) if is_json else str(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if is_json else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifetime", type=float, default=60.0, help="seconds before it stops")
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    with FakeCrossref(latency=args.latency, lifetime=args.lifetime) as api:
        print(api.url, flush=True)
        api.wait()
        print(
            f"stopped: {api.stats.requests} requests, {api.stats.rejected} answered 429",
            flush=True,
        )


if __name__ == "__main__":
    main()
