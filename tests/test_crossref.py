"""Crossref client, its rate limiter and cache wiring, against `responses` mocks (no network)."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck import __version__
from citecheck.model import Author, Update
from citecheck.resolve.sources import LookupFailed
from citecheck.resolve.sources.crossref import (
    AUTHORS_INCOMPLETE_KEY,
    SEARCH_FIELDS,
    CrossrefClient,
    doi_path,
    normalize_doi,
    user_agent,
    work_from_message,
)
from citecheck.resolve.sources.http import (
    CACHE_FILE,
    HIT_EXPIRY,
    NOT_FOUND_EXPIRY,
    AnswerCache,
    Session,
    make_session,
)
from citecheck.resolve.sources.ratelimit import (
    HEADROOM,
    LIST,
    POLITE,
    PUBLIC,
    RateLimiter,
    retry_after_seconds,
)

FIXTURES = Path(__file__).parent / "fixtures" / "crossref"
SHARED = Path(__file__).resolve().parents[2] / "shared"
API = "https://api.crossref.org"
HIT_URL = f"{API}{doi_path('10.5555/citecheck.hit')}"
WORK_LIST = {"status": "ok", "message-type": "work-list", "message": {"items": []}}


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def exchange(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def add(rsps: responses.RequestsMock, name: str, url: str | None = None) -> None:
    """Register a recorded-shape exchange (request URL, status, headers, body) with responses."""
    ex = exchange(name)
    headers = {key: values[0] for key, values in ex["headers"].items()}
    content_type = headers.pop("content-type", "application/json")
    body = ex["body"] if isinstance(ex["body"], str) else json.dumps(ex["body"])
    target = url or ex["request"].split("?")[0]
    if url is None and "/works/10." in target:  # recorded with a literal "/": we send the DOI as one segment
        base, doi = target.split("/works/", 1)
        target = base + doi_path(doi)
    rsps.add(
        responses.GET,
        target,
        body=body,
        status=ex["status"],
        headers=headers,
        content_type=content_type,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> CrossrefClient:
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    return CrossrefClient(
        mailto="dev@example.org", limiter=limiter, sleep=clock.sleep, rng=random.Random(0)
    )


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def service_answers(rsps: responses.RequestsMock) -> None:
    """/works?rows=0 answers like Crossref: the check that makes a 404 mean "not found"."""
    rsps.add(responses.GET, f"{API}/works", json=WORK_LIST)


# --- work() -----------------------------------------------------------------------------


def test_work_hit_converts_every_field(client, rsps):
    add(rsps, "work-hit.json")
    work = client.work("10.5555/citecheck.hit")
    assert work is not None
    assert work.doi == "10.5555/citecheck.hit"
    assert work.title == "Exosomes and the intervertebral disc: a test record"
    assert work.authors == (
        Author("Cheng", "Wei"),
        Author("Smith", "Anna B."),
        Author("Disc Research Consortium", ""),
    )
    assert work.container_title == "Journal of Example Research"
    assert work.short_container_title == "J Example Res"
    assert (work.year, work.volume, work.issue, work.page) == (2019, "37", "4", "1611-1621")
    assert work.type == "journal-article"
    assert work.abstract == (
        "Exosomes from mesenchymal stem cells slowed disc degeneration & pain in a rat model."
    )
    assert work.updated_by == (Update("correction", "10.5555/citecheck.correction", "Correction"),)
    assert work.update_to == ()
    assert set(work.relation) == {
        Update("has-review", "10.5555/citecheck.review", ""),
        Update("is-supplemented-by", "", "https://example.org/data"),
    }


def test_work_404_is_not_found(client, rsps):
    add(rsps, "work-404.json")
    service_answers(rsps)
    assert client.work("10.5555/citecheck.missing") is None
    assert client.work("10.5555/citecheck.missing") is None
    assert len(rsps.calls) == 3  # the service is checked once, not per lookup


def test_404_for_everything_is_a_failure_that_names_the_api_url(client, rsps):
    # A wrong --api-url: every path 404s, including /works itself.
    rsps.add(responses.GET, f"{API}/works/10.5555%2Fcitecheck.hit", status=404)
    rsps.add(responses.GET, f"{API}/works", status=404)
    with pytest.raises(LookupFailed, match="check --api-url"):
        client.work("10.5555/citecheck.hit")
    calls = len(rsps.calls)
    with pytest.raises(LookupFailed, match="not tried, .*/works answers HTTP 404 too; check --api"):
        client.search("Smith J. A title. J Things. 2020;1:1-2.")
    assert len(rsps.calls) == calls  # once the base URL is known wrong it is not asked again


def test_retraction_reaches_updated_by(client, rsps):
    add(rsps, "work-retracted.json")
    work = client.work("10.5555/citecheck.retracted")
    assert work is not None
    assert [u.type for u in work.updated_by] == ["retraction"]
    assert work.updated_by[0].doi == "10.5555/citecheck.retraction-notice"


@pytest.mark.parametrize(
    "doi, path",
    [
        ("10.5555/a#b?c d", "/works/10.5555%2Fa%23b%3Fc%20d"),
        ("10.1016/../../__log", "/works/10.1016%2F..%2F..%2F__log"),
        ("10.1016/%2e%2e/x", "/works/10.1016%2F%252e%252e%2Fx"),
        ("10.1/x&rows=1000&mailto=evil", "/works/10.1%2Fx%26rows%3D1000%26mailto%3Devil"),
        ("10.1/a;b+c<d>", "/works/10.1%2Fa%3Bb%2Bc%3Cd%3E"),
    ],
)
def test_a_hostile_doi_stays_one_path_segment(client, rsps, doi, path):
    rsps.add(responses.GET, f"{API}{path}", status=404)
    service_answers(rsps)
    assert client.work(doi) is None
    sent = urlsplit(rsps.calls[0].request.url)
    assert sent.path == path
    assert sent.path.count("/") == 2  # /works/<one segment>
    assert parse_qs(sent.query) == {"mailto": ["dev@example.org"]}


def test_a_hostile_search_stays_one_parameter_value(client, rsps):
    text = "x&rows=1000#frag?select=DOI /../works"
    rsps.add(responses.GET, f"{API}/works", json=WORK_LIST)
    assert client.search(text) == []
    sent = urlsplit(rsps.calls[0].request.url)
    assert sent.path == "/works" and not sent.fragment
    assert parse_qs(sent.query)["query.bibliographic"] == [text]
    assert parse_qs(sent.query)["rows"] == ["5"]


def test_doi_url_form_is_normalised(client, rsps):
    add(rsps, "work-hit.json")
    assert normalize_doi(" https://doi.org/10.5555/citecheck.hit ") == "10.5555/citecheck.hit"
    assert client.work("doi: 10.5555/citecheck.hit") is not None


def test_a_string_that_is_no_doi_is_not_found_without_asking(client, rsps):
    assert client.work("") is None
    assert client.work("not a doi") is None
    assert len(rsps.calls) == 0


# --- polite pool ------------------------------------------------------------------------


def test_mailto_goes_in_user_agent_and_params(client, rsps):
    add(rsps, "work-hit.json")
    client.work("10.5555/citecheck.hit")
    request = rsps.calls[0].request
    assert request.headers["User-Agent"] == f"citecheck/{__version__} (mailto:dev@example.org)"
    assert parse_qs(urlsplit(request.url).query)["mailto"] == ["dev@example.org"]


def test_without_mailto_the_public_pool_limits_apply(rsps):
    anonymous = CrossrefClient()
    assert anonymous.concurrency == PUBLIC.concurrency
    assert anonymous.limiter.rate() == pytest.approx(PUBLIC.single_rate * HEADROOM)
    add(rsps, "work-hit.json")
    anonymous.work("10.5555/citecheck.hit")
    request = rsps.calls[0].request
    assert request.headers["User-Agent"] == user_agent(None) == f"citecheck/{__version__}"
    assert "mailto" not in parse_qs(urlsplit(request.url).query)


def test_a_public_pool_answer_lowers_the_limits(client, rsps):
    rsps.add(
        responses.GET,
        HIT_URL,
        json=exchange("work-hit.json")["body"],
        headers={"X-Api-Pool": "public", "X-Rate-Limit-Limit": "5", "X-Rate-Limit-Interval": "1s"},
    )
    client.work("10.5555/citecheck.hit")
    assert client.concurrency == 1
    assert client.limiter.rate() == pytest.approx(5 * HEADROOM)


# --- search() ---------------------------------------------------------------------------


def test_search_returns_every_close_candidate_with_its_score(client, rsps):
    add(rsps, "search-ambiguous.json")
    found = client.search("Wang  exosomes nucleus pulposus\n2021", rows=5)
    assert [(w.doi, s) for w, s in found] == [
        ("10.5555/citecheck.cand1", 61.2),
        ("10.5555/citecheck.cand2", 60.8),
        ("10.5555/citecheck.cand3", 59.9),
    ]
    assert found[0][0].authors == (Author("Wang", "Li"),)
    query = parse_qs(urlsplit(rsps.calls[0].request.url).query)
    assert query["query.bibliographic"] == ["Wang exosomes nucleus pulposus 2021"]
    assert query["rows"] == ["5"]
    assert query["select"] == [",".join(SEARCH_FIELDS)]
    assert query["mailto"] == ["dev@example.org"]


def test_search_of_nothing_asks_nothing(client, rsps):
    assert client.search("   ") == []
    assert len(rsps.calls) == 0


def test_search_is_paced_as_a_list_query(client, rsps, clock):
    add(rsps, "search-ambiguous.json")
    client.search("one")
    client.search("two")
    assert clock.sleeps == [pytest.approx(1 / (POLITE.list_rate * HEADROOM))]


# --- failures ---------------------------------------------------------------------------


def test_429_honours_retry_after_then_succeeds(client, rsps, clock):
    add(rsps, "rate-limited.json")
    add(rsps, "work-hit.json")
    work = client.work("10.5555/citecheck.hit")
    assert work is not None and work.year == 2019
    assert len(rsps.calls) == 2
    assert clock.sleeps[0] == 2.0  # the server's Retry-After, not our backoff


def test_429_pauses_every_thread_through_the_limiter(clock, rsps):
    # The retrying thread's own sleep is a no-op here, so only the limiter's shared pause
    # can delay the retry: any other thread using the limiter would wait just the same.
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    client = CrossrefClient(mailto="dev@example.org", limiter=limiter, sleep=lambda s: None)
    sent_at = []

    def record(request):
        sent_at.append(clock.now)
        if len(sent_at) == 1:
            return (429, {"Retry-After": "2"}, "Too many requests")
        return (200, {}, json.dumps(exchange("work-hit.json")["body"]))

    rsps.add_callback(responses.GET, HIT_URL, callback=record)
    assert client.work("10.5555/citecheck.hit") is not None
    assert sent_at == [0.0, 2.0]


def test_retry_after_beyond_the_cap_fails_at_once(client, rsps):
    rsps.add(responses.GET, HIT_URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(LookupFailed, match="3600"):
        client.work("10.5555/citecheck.hit")
    assert len(rsps.calls) == 1


def test_repeated_5xx_backs_off_then_fails(clock, rsps):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    client = CrossrefClient(
        mailto="dev@example.org",
        limiter=limiter,
        max_tries=4,
        sleep=clock.sleep,
        rng=random.Random(1),
    )
    add(rsps, "server-error.json")
    with pytest.raises(LookupFailed) as failure:
        client.work("10.5555/citecheck.hit")
    message = str(failure.value)
    assert "4 tries" in message and "HTTP 503" in message and "\n" not in message
    assert len(rsps.calls) == 4
    backoffs = [s for s in clock.sleeps if s > 0.2]  # leave out the limiter's 0.1 s spacing
    assert len(backoffs) == 3
    for attempt, delay in enumerate(backoffs, start=1):
        ceiling = 0.5 * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling


@pytest.mark.parametrize(
    "error, message, tries",
    [
        (requests.exceptions.ReadTimeout("read timed out"), "no answer within", 2),
        (requests.exceptions.ConnectTimeout("connect timed out"), "ConnectTimeout", 5),
        (requests.exceptions.ConnectionError("connection refused"), "ConnectionError", 5),
    ],
)
def test_network_errors_are_retried_then_fail(client, rsps, error, message, tries):
    # A timeout is tried twice, not five times: a silent server must not cost minutes.
    rsps.add(responses.GET, HIT_URL, body=error)
    with pytest.raises(LookupFailed, match=message):
        client.work("10.5555/citecheck.hit")
    assert len(rsps.calls) == tries


def test_timeout_then_success_recovers(client, rsps):
    rsps.add(responses.GET, HIT_URL, body=requests.exceptions.ReadTimeout("slow"))
    add(rsps, "work-hit.json")
    assert client.work("10.5555/citecheck.hit") is not None


def test_malformed_json_fails(client, rsps):
    add(rsps, "work-malformed.json")
    with pytest.raises(LookupFailed, match="not valid JSON"):
        client.work("10.5555/citecheck.malformed")


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        {"status": "ok", "message-type": "work-list", "message": {"items": []}},
        {"status": "ok", "message-type": "work", "message": "oops"},
        {"status": "failed", "message-type": "validation-failure", "message": [{"type": "x"}]},
    ],
)
def test_unexpected_message_shape_fails(client, rsps, body):
    rsps.add(responses.GET, HIT_URL, json=body)
    with pytest.raises(LookupFailed, match="unexpected response shape"):
        client.work("10.5555/citecheck.hit")


def test_search_items_of_the_wrong_shape_fail(client, rsps):
    body = {"status": "ok", "message-type": "work-list", "message": {"items": ["a", "b"]}}
    rsps.add(responses.GET, f"{API}/works", json=body)
    with pytest.raises(LookupFailed, match="items"):
        client.search("anything")


def test_other_client_errors_fail_without_retry(client, rsps):
    rsps.add(responses.GET, HIT_URL, status=400, body="bad request")
    service_answers(rsps)
    with pytest.raises(LookupFailed, match="HTTP 400$"):
        client.work("10.5555/citecheck.hit")
    assert len(rsps.calls) == 2  # the lookup, and the service check that clears the base URL


def test_400_for_everything_says_check_the_api_url(client, rsps):
    rsps.add(responses.GET, f"{API}/works", status=400, body="bad query")
    with pytest.raises(LookupFailed, match="HTTP 400, .* check --api-url"):
        client.search("anything")


def test_unregistered_url_is_a_lookup_failure_not_a_crash(client, rsps):
    with pytest.raises(LookupFailed):
        client.work("10.5555/nobody-registered-this")


# --- cache ------------------------------------------------------------------------------


def cached_client(tmp_path: Path, clock: FakeClock, *, refresh: bool = False) -> CrossrefClient:
    session = make_session(
        cache=True, cache_dir=tmp_path, refresh=refresh, user_agent=user_agent("dev@example.org")
    )
    return CrossrefClient(
        mailto="dev@example.org",
        session=session,
        limiter=RateLimiter(POLITE, clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
    )


def stored(tmp_path: Path) -> list[tuple[int, float]]:
    """(status, lifetime in seconds) of every answer in the cache file."""
    import sqlite3
    import time as _time

    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        rows = db.execute("SELECT status, expires FROM answers ORDER BY status").fetchall()
    return [(status, expires - _time.time()) for status, expires in rows]


def test_second_call_is_served_from_the_cache_with_the_network_gone(tmp_path, clock):
    with responses.RequestsMock() as rsps:
        add(rsps, "work-hit.json")
        add(rsps, "work-404.json")
        service_answers(rsps)
        first = cached_client(tmp_path, clock).work("10.5555/citecheck.hit")
        assert cached_client(tmp_path, clock).work("10.5555/citecheck.missing") is None
    with responses.RequestsMock(assert_all_requests_are_fired=False) as offline:
        again = cached_client(tmp_path, clock)
        assert again.work("10.5555/citecheck.hit") == first
        assert again.work("10.5555/citecheck.missing") is None
        assert len(offline.calls) == 0


def test_cache_keeps_hits_for_a_month_and_404s_for_a_day(tmp_path, clock):
    client = cached_client(tmp_path, clock)
    with responses.RequestsMock() as rsps:
        add(rsps, "work-hit.json")
        add(rsps, "work-404.json")
        service_answers(rsps)
        client.work("10.5555/citecheck.hit")
        client.work("10.5555/citecheck.missing")
    lifetimes = dict(stored(tmp_path))
    assert lifetimes[404] == pytest.approx(NOT_FOUND_EXPIRY.total_seconds(), abs=5)
    assert lifetimes[200] == pytest.approx(HIT_EXPIRY.total_seconds(), abs=5)


def test_errors_are_not_cached(tmp_path, clock):
    client = cached_client(tmp_path, clock)
    with responses.RequestsMock() as rsps:
        add(rsps, "server-error.json")
        add(rsps, "work-hit.json")
        assert client.work("10.5555/citecheck.hit") is not None
    assert [status for status, _ in stored(tmp_path)] == [200]


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("<html><body>Please log in to the hotel Wi-Fi</body></html>", "text/html"),
        ('{"status": "ok", "message-type": "work", "message": ', "application/json"),
        ('{"status": "ok", "message-type": "work", "message": [1]}', "application/json"),
        ("[" * 5000 + "]" * 5000, "application/json"),
        ('{"message-type": "work", "message": {"volume": 1' + "0" * 5000 + "}}", "application/json"),
        ('{"message-type": "work", "message": {"score": NaN}}', "application/json"),
    ],
)
def test_a_200_that_does_not_validate_is_never_cached(tmp_path, clock, body, content_type):
    client = cached_client(tmp_path, clock)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, HIT_URL, body=body, content_type=content_type)
        with pytest.raises(LookupFailed):
            client.work("10.5555/citecheck.hit")
    assert stored(tmp_path) == []
    with responses.RequestsMock() as rsps:  # the next run asks again and recovers
        add(rsps, "work-hit.json")
        assert cached_client(tmp_path, clock).work("10.5555/citecheck.hit") is not None


def test_a_404_is_not_cached_when_the_service_answers_404_to_everything(tmp_path, clock):
    client = cached_client(tmp_path, clock)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, HIT_URL, status=404)
        rsps.add(responses.GET, f"{API}/works", status=404)
        with pytest.raises(LookupFailed, match="check --api-url"):
            client.work("10.5555/citecheck.hit")
    assert stored(tmp_path) == []


def test_refresh_asks_again_and_stores_the_new_answer(tmp_path, clock):
    with responses.RequestsMock() as rsps:
        add(rsps, "work-404.json", url=HIT_URL)
        service_answers(rsps)
        assert cached_client(tmp_path, clock).work("10.5555/citecheck.hit") is None
    with responses.RequestsMock() as rsps:
        add(rsps, "work-hit.json")
        assert cached_client(tmp_path, clock, refresh=True).work("10.5555/citecheck.hit")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as offline:
        assert cached_client(tmp_path, clock).work("10.5555/citecheck.hit") is not None
        assert len(offline.calls) == 0


def test_mailto_is_not_part_of_the_cache_key(tmp_path, clock):
    with responses.RequestsMock() as rsps:
        add(rsps, "work-hit.json")
        cached_client(tmp_path, clock).work("10.5555/citecheck.hit")
    session = make_session(cache=True, cache_dir=tmp_path, user_agent=user_agent("other@x.org"))
    other = CrossrefClient(mailto="other@x.org", session=session)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as offline:
        assert other.work("10.5555/citecheck.hit") is not None
        assert len(offline.calls) == 0


def test_no_cache_gives_a_session_without_a_store():
    session = make_session(cache=False, user_agent="citecheck/test")
    assert isinstance(session, Session) and session.answers is None
    assert session.headers["User-Agent"] == "citecheck/test"


def test_a_corrupt_cache_is_set_aside_and_the_run_goes_on(tmp_path, clock, caplog):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    client = cached_client(tmp_path, clock)
    with responses.RequestsMock() as rsps:
        add(rsps, "work-hit.json")
        assert client.work("10.5555/citecheck.hit") is not None
    assert "unusable" in caplog.text and "continuing without a cache" in caplog.text
    assert list(tmp_path.glob(f"{CACHE_FILE}.broken-*"))


def test_a_cache_dir_that_is_a_file_means_no_cache(tmp_path, clock, caplog):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    session = make_session(cache=True, cache_dir=blocker, user_agent="citecheck/test")
    assert session.answers is not None and not session.answers.usable
    assert "continuing without a cache" in caplog.text
    assert blocker.read_text() == "a file, not a folder"


def test_a_cache_that_breaks_mid_run_is_dropped_not_raised(tmp_path):
    cache = AnswerCache(tmp_path / CACHE_FILE)
    cache.put("k", 200, b"{}", HIT_EXPIRY)
    cache._db.execute("DROP TABLE answers")  # what a concurrent vandal or bad disk might do
    assert cache.get("k") is None and not cache.usable
    cache.put("k", 200, b"{}", HIT_EXPIRY)  # no error either


# --- rate limiter -----------------------------------------------------------------------


def starts(limiter: RateLimiter, clock: FakeClock, count: int, kind: str = "single") -> list:
    times = []
    for _ in range(count):
        with limiter.slot(kind):
            times.append(clock.now)
    return times


def test_limiter_spaces_requests_evenly(clock):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    gap = 1 / (10 * HEADROOM)
    assert starts(limiter, clock, 4) == pytest.approx([0, gap, 2 * gap, 3 * gap])


def test_limiter_paces_list_queries_separately_and_slower(clock):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    assert starts(limiter, clock, 2, LIST) == pytest.approx([0, 1 / (2.8 * HEADROOM)])
    assert limiter.rate(LIST) < limiter.rate() <= 10


def test_limiter_does_not_save_up_idle_time_for_a_burst(clock):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    starts(limiter, clock, 1)
    clock.now = 100.0
    assert starts(limiter, clock, 2) == pytest.approx([100.0, 100.0 + 1 / (10 * HEADROOM)])


def test_pause_holds_the_next_request_and_never_shortens(clock):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    limiter.pause(3.0)
    limiter.pause(1.0)
    assert starts(limiter, clock, 1) == [3.0]


def test_advertised_limits_can_only_lower_the_pace(clock):
    limiter = RateLimiter(POLITE, clock=clock, sleep=clock.sleep)
    limiter.observe({"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"})
    assert limiter.rate() == pytest.approx(10 * HEADROOM)
    limiter.observe({"X-Rate-Limit-Limit": "240", "X-Rate-Limit-Interval": "60s"})
    assert limiter.rate() == pytest.approx(4 * HEADROOM)
    limiter.observe({"X-Rate-Limit-Limit": "junk", "X-Rate-Limit-Interval": "1s"})
    limiter.observe({"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Interval": "0s"})
    assert limiter.rate() == pytest.approx(4 * HEADROOM)


def test_limiter_caps_concurrency_across_threads():
    limiter = RateLimiter(POLITE, headroom=100.0)  # pacing out of the way: 1000 req/s
    active, peak, lock = 0, 0, threading.Lock()

    def request() -> None:
        nonlocal active, peak
        with limiter.slot():
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.01)
            with lock:
                active -= 1

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == POLITE.concurrency


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(" 1.5 ") == 1.5
    assert (
        retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now)
        == 30
    )
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("-4") == 0.0


# --- work_from_message ------------------------------------------------------------------


def test_year_prefers_issued_and_falls_back():
    assert (
        work_from_message(
            {"issued": {"date-parts": [[2012, 3]]}, "published-online": {"date-parts": [[2011]]}}
        ).year
        == 2012
    )
    assert (
        work_from_message(
            {"issued": {"date-parts": [[None]]}, "published-print": {"date-parts": [[2003, 1]]}}
        ).year
        == 2003
    )
    assert work_from_message({"issued": {"date-parts": [[None]]}}).year is None


def test_recorded_metadata_flag_marks_incomplete_author_lists():
    message = {
        "author": [{"family": "Pan", "given": "Hongyu"}],
        "citecheck-author-list-incomplete": True,
    }
    assert work_from_message(message).authors_complete is False
    assert work_from_message({"author": []}).authors_complete is True


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
# Every field the converter reads (SEARCH_FIELDS) plus the recorded-metadata extension.
KEYS = st.sampled_from([*SEARCH_FIELDS, AUTHORS_INCOMPLETE_KEY])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSON, max_size=8))
def test_any_message_shape_converts_without_raising(message):
    work = work_from_message(message)
    assert isinstance(work.title, str) and isinstance(work.authors, tuple)
    assert work.year is None or isinstance(work.year, int)


def shared_exchanges() -> list[Path]:
    folder = SHARED / "data" / "crossref-api"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.skipif(not shared_exchanges(), reason="../shared not present")
def test_every_recorded_crossref_message_converts():
    works = 0
    for path in shared_exchanges():
        ex = json.loads(path.read_text(encoding="utf-8"))
        if ex["status"] != 200:
            continue
        body = ex["body"]
        if body["message-type"] == "work":
            work = work_from_message(body["message"])
            assert work.doi.lower() == body["message"]["DOI"].lower()
            assert work.title and work.authors and work.type
            works += 1
        else:
            for item in body["message"]["items"]:
                assert work_from_message(item).doi == item["DOI"]
    assert works >= 7


@pytest.mark.skipif(not shared_exchanges(), reason="../shared not present")
def test_recorded_plos_record_reads_like_the_api_serves_it(rsps, client):
    ex = json.loads(
        (SHARED / "data/crossref-api/work-10.1371_journal.pone.0033693.json").read_text("utf-8")
    )
    assert ex["request"] == f"{API}/works/10.1371/journal.pone.0033693"
    rsps.add(responses.GET, f"{API}{doi_path('10.1371/journal.pone.0033693')}", json=ex["body"])
    work = client.work("10.1371/journal.pone.0033693")
    assert work is not None
    assert work.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert work.authors[0] == Author("Sadasivan", "Shankar")
    assert (work.year, work.volume, work.issue, work.page) == (2012, "7", "3", "e33693")
    assert [u.type for u in work.updated_by] == ["correction"]


def test_an_unreachable_server_fails_the_rest_at_once(client, rsps):
    # No network: the first lookup spends its retries, the others must not (39 x 11 s).
    rsps.add(
        responses.GET,
        HIT_URL,
        body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"),
    )
    with pytest.raises(LookupFailed, match=r"ConnectionError: \[Errno 111\] Connection refused"):
        client.work("10.5555/citecheck.hit")
    calls = len(rsps.calls)
    with pytest.raises(LookupFailed, match="not tried, Crossref was unreachable"):
        client.search("Smith J. A title. J Things. 2020;1:1-2.")
    assert len(rsps.calls) == calls


def test_a_server_that_stops_answering_fails_the_rest_at_once(client, rsps):
    # Timeouts: each lookup tries twice; after STRIKES silent requests the rest are not tried.
    rsps.add(responses.GET, HIT_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    for _ in range(3):
        with pytest.raises(LookupFailed, match="gave up after 2 tries"):
            client.work("10.5555/citecheck.hit")
    calls = len(rsps.calls)
    with pytest.raises(LookupFailed, match="not tried, .* gave no answer to 6 requests"):
        client.work("10.5555/citecheck.hit")
    assert len(rsps.calls) == calls


def test_an_answer_resets_the_count_of_silent_requests(client, rsps):
    rsps.add(responses.GET, HIT_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    add(rsps, "work-hit.json")
    for _ in range(5):
        client.work("10.5555/citecheck.hit")  # timeout, then an answer: never six in a row
