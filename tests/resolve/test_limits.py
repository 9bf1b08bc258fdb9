"""Every server fault is bounded: drips, stalls, huge, deep and compressed bodies, 429 storms,
a damaged cache, identifiers that are not valid; against a real local HTTP server."""

from __future__ import annotations

import contextlib
import json
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from mesorefs.errors import DeadlineExceeded, RateLimited, ServiceError
from mesorefs.models import Reference, Update
from mesorefs.resolve import Resolver
from mesorefs.resolve.http import HttpClient, RateLimiter
from mesorefs.resolve.merge import merge
from mesorefs.settings import Settings

from .conftest import (
    DOI,
    FakeClock,
    FakeResponse,
    FakeSession,
    LocalServer,
    data_text,
    entry,
    reply,
)
from .fakes import service_urls

WORK = f"/works/{DOI}"


def settings_for(server: LocalServer, tmp_path: Path, **extra: object) -> Settings:
    options: dict[str, object] = {
        **service_urls(server),
        "cache": False,
        "backoff_base": 0.0,
    }
    options.update(extra)
    return Settings.load(env={}, config_file=tmp_path / "none.toml", **options)


def drip(head: bytes, body: bytes, pause: float) -> object:
    """A handler that sends ``head`` at once, then ``body`` one byte per ``pause`` seconds."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        with contextlib.suppress(OSError):  # we hang up, as we should
            request.wfile.write(head)
            request.wfile.flush()
            for byte in body:
                time.sleep(pause)
                request.wfile.write(bytes([byte]))
                request.wfile.flush()

    return handle


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 400 + b"\r\n\r\n{}"),
        (HEADERS + b"Content-Length: 400\r\n\r\n", b" " * 400),
        (HEADERS + b"\r\n", b" " * 400),  # no length: the body ends when we hang up
    ],
    ids=["headers", "body", "body-without-length"],
)
def test_drips_end_within_the_request_deadline(
    local_server: LocalServer, tmp_path: Path, head: bytes, body: bytes
) -> None:
    """A server dripping its headers or body a byte at a time costs one request deadline."""
    local_server.routes[WORK] = drip(head, body, 0.02)  # type: ignore[assignment]
    settings = settings_for(local_server, tmp_path, request_deadline=0.6, read_timeout=5.0)
    started = time.monotonic()
    with Resolver(settings) as resolver, pytest.raises(DeadlineExceeded):
        resolver.resolve(entry())
    assert time.monotonic() - started < 3.0


def test_a_stall_ends_within_the_request_deadline(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """A server that never answers costs the request deadline, not the read timeout."""
    local_server.routes[WORK] = drip(b"", b"x", 3.0)  # type: ignore[assignment]
    settings = settings_for(local_server, tmp_path, request_deadline=0.5, read_timeout=30.0)
    started = time.monotonic()
    with Resolver(settings) as resolver:
        results = resolver.resolve_many([entry(), entry()])
    assert [r.status for r in results] == ["error", "error"]
    assert time.monotonic() - started < 2.5  # the second fails at once: host paused


def gzip_of_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + compressor.flush()


@pytest.fixture(scope="module")
def bomb() -> Iterator[bytes]:
    yield gzip_of_zeros(64 * 1024 * 1024)


def test_decompression_bomb_is_refused(
    local_server: LocalServer, tmp_path: Path, bomb: bytes
) -> None:
    """A small gzip body that expands past max_response_bytes is refused while decoding."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        reply(200, bomb, Content_Encoding="gzip")(request)

    local_server.routes[WORK] = handle
    settings = settings_for(local_server, tmp_path, max_response_bytes=1024 * 1024)
    with Resolver(settings) as resolver, pytest.raises(ServiceError, match="larger than"):
        resolver.resolve(entry())


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_huge_body_is_refused(local_server: LocalServer, tmp_path: Path, declared: bool) -> None:
    """A body beyond max_response_bytes is refused, declared or not."""
    body = b'{"title": "' + b"x" * (3 * 1024 * 1024) + b'"}'

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        if declared:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        with contextlib.suppress(OSError):  # we hang up early, as we should
            request.wfile.write(body)

    local_server.routes[WORK] = handle
    settings = settings_for(local_server, tmp_path, max_response_bytes=1024 * 1024)
    with Resolver(settings) as resolver, pytest.raises(ServiceError, match=r"larger than|bytes"):
        resolver.resolve(entry())


@pytest.mark.parametrize(
    "body", ["[" * 100_000, '{"message": NaN}', '{"n": 1e999}'], ids=["deep", "nan", "overflow"]
)
def test_deep_or_non_finite_json_is_a_service_error(
    local_server: LocalServer, tmp_path: Path, body: str
) -> None:
    """Deep or non-finite JSON from Crossref is ServiceError; in a batch, an error result."""
    local_server.routes[WORK] = reply(200, body)
    with Resolver(settings_for(local_server, tmp_path)) as resolver:
        with pytest.raises(ServiceError, match="malformed"):
            resolver.resolve(entry())
        assert resolver.resolve_many([entry()])[0].status == "error"


@pytest.mark.parametrize("body", ["[" * 100_000, '{"esearchresult": NaN}'], ids=["deep", "nan"])
def test_bad_json_during_enrichment_is_a_note(
    local_server: LocalServer, tmp_path: Path, body: str
) -> None:
    """Deep JSON or NaN from PubMed or OpenAlex leaves the match standing, with a note."""
    local_server.routes[WORK] = reply(
        200, data_text("crossref_work_10.1371_journal.pone.0033693.json")
    )
    local_server.routes["/eutils"] = reply(200, body)
    local_server.routes["/openalex"] = reply(200, body)
    with Resolver(settings_for(local_server, tmp_path)) as resolver:
        result = resolver.resolve(entry())
    assert result.status == "matched"
    assert any("PubMed enrichment failed" in note for note in result.notes)


def test_surrogate_in_a_record_is_repaired(local_server: LocalServer, tmp_path: Path) -> None:
    """A lone surrogate in a Crossref record becomes U+FFFD; the result can be written."""
    record = json.loads(data_text("crossref_work_10.1371_journal.pone.0033693.json"))
    record["message"]["publisher"] = "Pub\\ud800lisher"
    text = json.dumps(record).replace("\\\\ud800", "\\ud800")
    local_server.routes[WORK] = reply(200, text)
    with Resolver(settings_for(local_server, tmp_path)) as resolver:
        result = resolver.resolve(entry())
    assert result.reference.publisher == "Pub\ufffdlisher"
    result.reference.model_dump_json()


def test_invalid_doi_from_a_search_is_not_attached(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """A search candidate whose metadata match but whose DOI is not a DOI adds no doi."""
    items = json.loads(data_text("crossref_work_10.1371_journal.pone.0033693.json"))["message"]
    items["DOI"] = "not-a-doi"
    body = {"status": "ok", "message-type": "work-list", "message": {"items": [items]}}
    local_server.routes["/works?"] = reply(200, json.dumps(body))
    ref = entry().model_copy(update={"doi": None, "issued": None})
    ref = Reference.model_validate(ref.model_dump())
    with Resolver(settings_for(local_server, tmp_path)) as resolver:
        result = resolver.resolve(ref)
    assert result.status == "matched"
    assert result.reference.doi is None
    assert any("not-a-doi" in note for note in result.notes)


def test_rate_recovers_after_429s(clock: FakeClock, settings: Settings) -> None:
    """After 429s, answers that are not 429 bring the rate back to the allowed rate."""
    session = FakeSession(
        FakeResponse(429, "", {"Retry-After": "1"}),
        FakeResponse(429, "", {"Retry-After": "1"}),
        FakeResponse(200, "{}"),
    )
    http = HttpClient(settings, session=session, clock=clock)
    url = "https://api.example.org/works/10.1/x"
    http.get("crossref", url)
    limiter = http.service("crossref").limiter
    assert limiter.rate < limiter.ceiling
    session.answers = [FakeResponse(200, "{}")]
    for _ in range(6):
        http.get("crossref", url + "?again")
    assert limiter.rate == limiter.ceiling


def test_limiter_recovery_is_capped_by_advertised_rate(clock: FakeClock) -> None:
    """Recovery never goes above what the service advertised."""
    limiter = RateLimiter(10.0, clock)
    limiter.advertise(4.0)
    limiter.slow_down()
    limiter.recover()
    limiter.recover()
    assert limiter.rate == 4.0


def test_a_429_storm_is_bounded(clock: FakeClock, settings: Settings) -> None:
    """Always 429: each lookup gives up within its deadline; the second pauses the host."""
    session = FakeSession(FakeResponse(429, "", {"Retry-After": "1"}))
    http = HttpClient(settings, session=session, clock=clock)
    url = "https://api.example.org/works/10.1/x"
    for _ in range(2):
        with pytest.raises(RateLimited):
            http.get("crossref", url)
    sent = len(session.calls)
    with pytest.raises(Exception, match="unreachable"):
        http.get("crossref", url + "?3")
    assert len(session.calls) == sent
    assert clock.now < 2 * settings.request_deadline


def test_retry_after_beyond_the_request_deadline_is_not_waited(
    clock: FakeClock, tmp_path: Path
) -> None:
    """A Retry-After longer than what is left of the deadline ends the lookup at once."""
    settings = Settings.load(env={}, config_file=tmp_path / "x.toml", cache=False)
    session = FakeSession(FakeResponse(429, "", {"Retry-After": "100"}))
    with pytest.raises(RateLimited):
        HttpClient(settings, session=session, clock=clock).get("crossref", "https://a.org/x")
    assert clock.now < settings.request_deadline
    assert len(session.calls) == 1


def test_run_deadline(clock: FakeClock, tmp_path: Path) -> None:
    """After the run's deadline, lookups fail at once with DeadlineExceeded."""
    settings = Settings.load(env={}, config_file=tmp_path / "x.toml", cache=False, deadline=5)
    session = FakeSession(FakeResponse(200, "{}"))
    http = HttpClient(settings, session=session, clock=clock)
    assert http.get("crossref", "https://a.org/x").status == 200
    clock.now += 6
    with pytest.raises(DeadlineExceeded, match="deadline"):
        http.get("crossref", "https://a.org/y")
    assert len(session.calls) == 1


@pytest.mark.parametrize("damage", ["truncated", "random", "directory"])
def test_damaged_cache_is_moved_aside_and_rebuilt(
    local_server: LocalServer, tmp_path: Path, damage: str
) -> None:
    """A damaged cache file is moved aside with one warning, and a new cache works."""
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    local_server.routes[WORK] = reply(200, body)
    cache_dir = tmp_path / "cache"
    settings = settings_for(local_server, tmp_path, cache=True, cache_dir=cache_dir)
    with Resolver(settings) as resolver:
        assert resolver.resolve(entry()).status == "matched"
        assert resolver.http.warnings == []
    path = cache_dir / "http-cache.sqlite"
    if damage == "truncated":
        with path.open("r+b") as handle:
            handle.truncate(4096 + 100)
            handle.seek(4096)
            handle.write(b"\xff" * 100)
    elif damage == "random":
        path.write_bytes(bytes(range(256)) * 80)
    else:
        path.unlink()
        path.mkdir()
    with Resolver(settings) as resolver:
        assert resolver.resolve(entry()).status == "matched"
        assert len(resolver.http.warnings) == 1
        assert "moved to" in resolver.http.warnings[0]
    assert any(p.name.startswith("http-cache.sqlite.damaged-") for p in cache_dir.iterdir())
    with Resolver(settings.model_copy(update={"offline": True})) as offline:
        assert offline.resolve(entry()).status == "matched"
        assert offline.http.warnings == []


@pytest.mark.parametrize(
    "message",
    [{"type": [None]}, {"title": {"a": 1}}, {"author": "x"}, {"issued": {"date-parts": "x"}}],
)
def test_records_of_an_unexpected_shape_are_error_results(
    local_server: LocalServer, tmp_path: Path, message: dict[str, object]
) -> None:
    """A Crossref record of the wrong shape (found by tests/fuzz) gives a result, never a
    TypeError: what cannot be read is a ServiceError result, the rest is ignored."""
    body = json.dumps({"status": "ok", "message-type": "work", "message": message})
    local_server.routes[WORK] = reply(200, body)
    with Resolver(settings_for(local_server, tmp_path)) as resolver:
        (result,) = resolver.resolve_many([entry()])
    if result.status == "error":
        assert isinstance(result.error, ServiceError)
    assert result.reference.title == entry().title


def test_invalid_doi_of_a_notice_is_not_attached() -> None:
    """A retraction notice whose DOI is not a DOI is kept without it, and said so."""
    record = entry().model_copy(
        update={"updates": [Update(kind="retraction", doi="not-a-doi", source="crossref")]}
    )
    result = merge(entry(), record, "crossref")
    assert result.reference.updates[0].kind == "retraction"
    assert result.reference.updates[0].doi is None
    assert result.withheld == ["retraction notice's doi 'not-a-doi'"]
