"""HttpClient: error mapping, retries, Retry-After, rate limits, through an injected session."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
import requests

from mesorefs.errors import NetworkError, NotFound, OfflineMiss, RateLimited, ServiceError
from mesorefs.resolve.http import (
    Gate,
    HttpClient,
    RateLimiter,
    default_limits,
    is_rate_limit_body,
    parse_retry_after,
    user_agent,
)
from mesorefs.settings import Settings

from .conftest import FakeClock, FakeResponse, FakeSession, data_text

URL = "https://api.example.org/works/10.1/x"


def client(settings: Settings, session: FakeSession, clock: FakeClock) -> HttpClient:
    return HttpClient(settings, session=session, clock=clock)


def test_ok_returns_body(settings: Settings, clock: FakeClock) -> None:
    """A 200 comes back as an HttpResponse with its text and headers."""
    session = FakeSession(FakeResponse(200, '{"a": 1}', {"Content-Type": "application/json"}))
    response = client(settings, session, clock).get("crossref", URL)
    assert response.status == 200
    assert response.json() == {"a": 1}
    assert session.calls[0][1]["timeout"] == (10.0, 30.0)


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFound), (410, NotFound), (400, ServiceError), (401, ServiceError)],
    ids=["404", "410", "400", "401"],
)
def test_client_errors_are_mapped(
    settings: Settings, clock: FakeClock, status: int, error: type[Exception]
) -> None:
    """4xx statuses become NotFound or ServiceError without a retry."""
    session = FakeSession(FakeResponse(status, data_text("crossref_works_404.txt")))
    with pytest.raises(error) as info:
        client(settings, session, clock).get("crossref", URL, identifier="10.1/x")
    assert len(session.calls) == 1
    assert "10.1/x" in str(info.value)
    if isinstance(info.value, ServiceError):
        assert info.value.status == status


def test_503_is_retried_with_backoff_then_succeeds(settings: Settings, clock: FakeClock) -> None:
    """A 503 is retried after an exponential backoff."""
    session = FakeSession(FakeResponse(503), FakeResponse(503), FakeResponse(200, "{}"))
    client(settings, session, clock).get("crossref", URL)
    assert len(session.calls) == 3
    assert [s for s in clock.sleeps if s >= 1] == [1.0, 2.0]


def test_persistent_5xx_raises_service_error(settings: Settings, clock: FakeClock) -> None:
    """After max_retries a 5xx raises ServiceError with the status."""
    session = FakeSession(FakeResponse(502))
    with pytest.raises(ServiceError) as info:
        client(settings, session, clock).get("crossref", URL)
    assert info.value.status == 502
    assert len(session.calls) == settings.max_retries + 1


def test_429_honours_retry_after(settings: Settings, clock: FakeClock) -> None:
    """A 429 with Retry-After waits that long before the retry."""
    session = FakeSession(FakeResponse(429, "", {"Retry-After": "7"}), FakeResponse(200, "{}"))
    client(settings, session, clock).get("crossref", URL)
    assert 7.0 in clock.sleeps
    assert len(session.calls) == 2


def test_429_exhausted_raises_rate_limited(settings: Settings, clock: FakeClock) -> None:
    """Repeated 429s raise RateLimited carrying retry_after."""
    session = FakeSession(FakeResponse(429, "", {"Retry-After": "3"}))
    with pytest.raises(RateLimited) as info:
        client(settings, session, clock).get("pubmed", URL)
    assert info.value.retry_after == 3.0


def test_retry_after_too_long_is_not_waited_for(settings: Settings, clock: FakeClock) -> None:
    """A Retry-After beyond max_retry_after raises at once instead of sleeping for an hour."""
    session = FakeSession(FakeResponse(429, "", {"Retry-After": "3600"}))
    with pytest.raises(RateLimited) as info:
        client(settings, session, clock).get("crossref", URL)
    assert info.value.retry_after == 3600.0
    assert len(session.calls) == 1
    assert max(clock.sleeps, default=0) < 3600


def test_ncbi_rate_limit_body_with_200_is_a_rate_limit(
    settings: Settings, clock: FakeClock
) -> None:
    """NCBI's rate-limit JSON is treated as a 429 even with status 200."""
    body = data_text("eutils_429_body.json")
    session = FakeSession(FakeResponse(200, body), FakeResponse(200, "<ok/>"))
    response = client(settings, session, clock).get("pubmed", URL)
    assert response.text == "<ok/>"
    assert len(session.calls) == 2


def test_ncbi_rate_limit_body_exhausted(settings: Settings, clock: FakeClock) -> None:
    """NCBI's rate-limit body every time ends in RateLimited."""
    session = FakeSession(FakeResponse(429, data_text("eutils_429_body.json")))
    with pytest.raises(RateLimited):
        client(settings, session, clock).get("pubmed", URL)


@pytest.mark.parametrize(
    "exc",
    [requests.ConnectTimeout("slow"), requests.ReadTimeout("slow"), requests.ConnectionError("x")],
    ids=["connect-timeout", "read-timeout", "connection-error"],
)
def test_network_failures_become_network_error(
    settings: Settings, clock: FakeClock, exc: Exception
) -> None:
    """Timeouts and connection errors are retried, then raise NetworkError with __cause__."""
    session = FakeSession(exc)
    with pytest.raises(NetworkError) as info:
        client(settings, session, clock).get("crossref", URL + "?api_key=SECRET")
    assert info.value.__cause__ is exc
    assert "SECRET" not in str(info.value)
    assert len(session.calls) == settings.max_retries + 1


def test_an_unreachable_service_fails_fast_then_is_tried_again(
    settings: Settings, clock: FakeClock
) -> None:
    """After every retry failed, the next requests to that host fail at once; after the
    pause, one is sent.  Other hosts are not affected."""
    session = FakeSession(requests.ConnectionError("refused"))
    http = client(settings, session, clock)
    with pytest.raises(NetworkError):
        http.get("pubmed", URL)
    sent = len(session.calls)
    with pytest.raises(NetworkError, match="unreachable"):
        http.get("pubmed", URL + "?other")
    assert len(session.calls) == sent
    with pytest.raises(NetworkError, match="unreachable"):
        http.get("crossref", URL)  # another service on the same host
    with pytest.raises(NetworkError, match="could not connect"):
        http.get("crossref", "https://other.example.org/works/10.1/x")
    clock.now += settings.unreachable_pause
    session.answers = [FakeResponse(200, "{}")]
    assert http.get("pubmed", URL).status == 200


def test_timeout_then_success(settings: Settings, clock: FakeClock) -> None:
    """A single timeout is retried."""
    session = FakeSession(requests.ReadTimeout("slow"), FakeResponse(200, "{}"))
    assert client(settings, session, clock).get("crossref", URL).status == 200


def test_offline_without_cache_raises_offline_miss(tmp_path: object, clock: FakeClock) -> None:
    """Offline mode never sends a request and raises OfflineMiss."""
    settings = Settings.load(env={}, cache=False, offline=True)
    session = FakeSession(FakeResponse(200, "{}"))
    with pytest.raises(OfflineMiss):
        client(settings, session, clock).get("crossref", URL)
    assert session.calls == []


def test_rate_limiter_spaces_requests(clock: FakeClock) -> None:
    """Requests are evenly spaced at a little under the rate, never in a burst."""
    limiter = RateLimiter(5.0, clock, margin=0.0)
    for _ in range(6):
        limiter.acquire()
    assert clock.now == pytest.approx(1.0)


def test_rate_limiter_never_bursts_after_a_stall(clock: FakeClock) -> None:
    """A caller that slept through a pause does not release the queue all at once."""
    limiter = RateLimiter(5.0, clock, margin=0.0)
    sleep = clock.sleep

    def stalled_once(seconds: float) -> None:
        sleep(seconds + 1.0)  # woken a second late, as by a long collection
        clock.sleep = sleep  # type: ignore[method-assign]

    releases = []
    for call in range(5):
        if call == 1:
            clock.sleep = stalled_once  # type: ignore[method-assign]
        limiter.acquire()
        releases.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(releases)]
    assert min(gaps) >= limiter.interval / 2 - 1e-9
    assert gaps[-1] == pytest.approx(limiter.interval)


def test_rate_limiter_adapts_down_not_up(clock: FakeClock) -> None:
    """An advertised limit lowers our rate but never raises it above the rules."""
    limiter = RateLimiter(10.0, clock)
    limiter.advertise(50.0)
    assert limiter.rate == 10.0
    limiter.advertise(5.0)
    assert limiter.rate == 5.0


def test_headers_adapt_rate_and_concurrency(settings: Settings, clock: FakeClock) -> None:
    """Crossref's X-Rate-Limit-* and X-Concurrency-Limit headers lower our limits."""
    headers = {"X-Rate-Limit-Limit": "2", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "1"}
    polite = Settings.load(env={}, cache=False, mailto="me@example.org")
    http = client(polite, FakeSession(FakeResponse(200, "{}", headers)), clock)
    http.get("crossref", URL)
    assert http.service("crossref").limiter.rate == 2.0
    assert http.service("crossref").gate.limit == 1


def test_default_limits_follow_published_rules() -> None:
    """Crossref public 5/s (1 at a time), lists 1/s; polite 10/s (3), lists 3/s; NCBI 3 or 10/s."""
    public = default_limits(Settings.load(env={}, cache=False))
    polite = default_limits(Settings.load(env={}, cache=False, mailto="a@b.org", ncbi_api_key="k"))
    assert public["crossref"] == (5.0, 1)
    assert public["crossref-list"] == (1.0, 1)
    assert polite["crossref"] == (10.0, 3)
    assert polite["crossref-list"] == (3.0, 3)
    assert public["pubmed"][0] == 3.0
    assert polite["pubmed"][0] == 10.0
    assert public["arxiv"][0] == pytest.approx(1 / 3)
    assert public["arxiv"][1] == 1


def test_settings_override_limits() -> None:
    """rate_limits and concurrency settings override the defaults."""
    limits = default_limits(
        Settings.load(
            env={}, cache=False, rate_limits={"crossref-list": 50}, concurrency={"crossref-list": 8}
        )
    )
    assert limits["crossref-list"] == (50.0, 8)


def test_gate_shrinks() -> None:
    """The concurrency gate can only shrink, and never below one."""
    gate = Gate(3)
    gate.advertise(5)
    assert gate.limit == 3
    gate.advertise(0)
    assert gate.limit == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
        ("soon", None),
        (None, None),
    ],
    ids=["seconds", "zero", "http-date", "junk", "missing"],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    """Retry-After is read as seconds or as an HTTP date."""
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"error":"API rate limit exceeded","count":"11"}', True),
        ('{"esearchresult": {"count": "0"}}', False),
        ("<html>Rate limit exceeded</html>", False),
        ("{not json", False),
    ],
    ids=["ncbi", "normal-json", "html", "broken"],
)
def test_is_rate_limit_body(body: str, expected: bool) -> None:
    """Only NCBI's JSON error body counts as a rate-limit body."""
    assert is_rate_limit_body(body) is expected


def test_user_agent_carries_mailto() -> None:
    """The User-Agent names mesorefs and the mailto."""
    assert user_agent("me@example.org").endswith("(mailto:me@example.org)")
    assert user_agent(None).startswith("mesorefs/")
