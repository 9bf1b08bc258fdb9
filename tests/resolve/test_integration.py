"""Resolver against a real local HTTP server: statuses, Retry-After, timeouts, redirects, cache."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from mesorefs.errors import NetworkError, NotFound, OfflineMiss, RateLimited, ServiceError
from mesorefs.models import Person, Reference
from mesorefs.resolve import Resolver
from mesorefs.settings import Settings

from .conftest import DOI, FakeClock, LocalServer, data_text, entry, reply
from .fakes import service_urls

WORK = f"/works/{DOI}"


def make(server: LocalServer, clock: FakeClock, tmp_path: Path, **extra: object) -> Resolver:
    options: dict[str, object] = {
        **service_urls(server),
        "cache": False,
    }
    options.update(extra)
    settings = Settings.load(env={}, config_file=tmp_path / "none.toml", **options)
    return Resolver(settings, clock=clock)


def test_200_merges_record(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """A 200 for the entry's DOI fills the missing fields, with provenance and updates."""
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    local_server.routes[WORK] = reply(200, body, X_Rate_Limit_Limit="5", X_Rate_Limit_Interval="1s")
    with make(local_server, clock, tmp_path) as resolver:
        result = resolver.resolve(entry())
    assert result.status == "matched"
    ref = result.reference
    assert (ref.volume, ref.issue, ref.pages) == ("7", "3", "e33693")
    assert ref.provenance["volume"].source == "crossref"
    assert ref.authors == entry().authors  # one author against six: kept, and reported
    assert [c.field for c in result.conflicts] == ["authors"]
    assert ref.updates[0].kind == "correction"
    assert local_server.hits[0] == f"/works/{DOI}"
    # PubMed is asked for the DOI's PMID; its 404 is noted and fails nothing.
    assert local_server.hits[1].startswith("/eutils/esearch.fcgi?")
    assert ref.pmid is None
    assert result.notes and "PubMed enrichment failed" in result.notes[0]


def test_doi_of_another_work_is_a_mismatch(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A DOI whose record has another title and authors is reported, never merged."""
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    local_server.routes[WORK] = reply(200, body)
    wrong = Reference(title="Mesotherapy: what is it?", authors=[Person(family="Rohrich")], doi=DOI)
    with make(local_server, clock, tmp_path) as resolver:
        result = resolver.resolve(wrong)
    assert result.status == "mismatch"
    assert result.reference == wrong
    assert "title differs" in result.reason


def test_404_everywhere_is_not_found(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """Crossref's 404, then the agency's 404, then doi.org's 404 page: status not_found."""
    local_server.routes["/doi/"] = reply(
        404, data_text("doiorg_404_doi_not_found.html"), "text/html;charset=utf-8"
    )
    with make(local_server, clock, tmp_path) as resolver:
        result = resolver.resolve(entry())
        with pytest.raises(NotFound):
            resolver.record_by_doi(DOI)
    assert result.status == "not_found"


def test_302_redirect_from_doi_org(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A DOI of another agency goes to doi.org, whose 302 to the CSL-JSON is followed."""
    doi = "10.1126/science.169.3946.635"
    local_server.routes[f"/works/{doi}/agency"] = reply(
        200, '{"status":"ok","message-type":"work-agency","message":{"agency":{"id":"medra"}}}'
    )
    target = f"{local_server.url}/v1/works/10.1126%2Fscience.169.3946.635/transform"
    local_server.routes[f"/doi/{doi}"] = reply(
        302, data_text("doiorg_302_redirect_body.html"), "text/html", Location=target
    )
    seen_accept: list[str] = []

    def transform(request: BaseHTTPRequestHandler) -> None:
        seen_accept.append(request.headers.get("Accept", ""))
        reply(200, data_text("crossref_transform_csl.json"), "application/json")(request)

    local_server.routes["/v1/works/"] = transform
    with make(local_server, clock, tmp_path) as resolver:
        record, source = resolver.record_by_doi(doi)
    assert source == "doi.org"
    assert record.title == "The Structure of Ordinary Water"
    assert seen_accept == ["application/vnd.citationstyles.csl+json"]


def test_datacite_agency_goes_to_datacite(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A DataCite DOI is fetched from DataCite's API."""
    doi = "10.14454/fxws-0523"
    local_server.routes[f"/works/{doi}/agency"] = reply(
        200, '{"status":"ok","message-type":"work-agency","message":{"agency":{"id":"datacite"}}}'
    )
    local_server.routes["/datacite/dois/"] = reply(200, data_text("datacite_doi_fxws-0523.json"))
    with make(local_server, clock, tmp_path) as resolver:
        record, source = resolver.record_by_doi(doi)
    assert (source, record.publisher) == ("datacite", "DataCite")


def test_429_with_retry_after(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """A 429 with Retry-After is waited for (on the injected clock) and retried."""
    calls: list[int] = []
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")

    def flaky(request: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        if len(calls) == 1:
            reply(429, "<html>Too Many Requests</html>", "text/html", Retry_After="2")(request)
        else:
            reply(200, body)(request)

    local_server.routes[WORK] = flaky
    with make(local_server, clock, tmp_path) as resolver:
        assert resolver.resolve(entry()).status == "matched"
    assert 2.0 in clock.sleeps
    assert len(calls) == 2


def test_429_for_ever_raises(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """Persistent 429s raise RateLimited with the server's Retry-After."""
    local_server.routes[WORK] = reply(429, "slow down", "text/plain", Retry_After="4")
    with (
        make(local_server, clock, tmp_path, max_retries=1) as resolver,
        pytest.raises(RateLimited) as info,
    ):
        resolver.resolve(entry())
    assert info.value.retry_after == 4.0


def test_503_raises_after_retries(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A 503 that does not go away raises ServiceError(503) after the retries."""
    local_server.routes[WORK] = reply(503, "busy", "text/plain")
    with (
        make(local_server, clock, tmp_path, max_retries=2) as resolver,
        pytest.raises(ServiceError) as info,
    ):
        resolver.resolve(entry())
    assert info.value.status == 503
    assert len(local_server.hits) == 3


def test_timeout(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """A server slower than the read timeout gives NetworkError (the only real wait here)."""

    def slow(request: BaseHTTPRequestHandler) -> None:
        time.sleep(0.3)
        reply(200, "{}")(request)

    local_server.routes[WORK] = slow
    with (
        make(local_server, clock, tmp_path, read_timeout=0.05, max_retries=0) as resolver,
        pytest.raises(NetworkError) as info,
    ):
        resolver.resolve(entry())
    assert info.value.__cause__ is not None


def test_malformed_body(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """A 200 whose body is not JSON raises ServiceError."""
    local_server.routes[WORK] = reply(200, '{"status": "ok", "message": {', "application/json")
    with (
        make(local_server, clock, tmp_path) as resolver,
        pytest.raises(ServiceError, match="malformed"),
    ):
        resolver.resolve(entry())


def test_batch_returns_failures_as_data(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """resolve_many keeps going: a 503 becomes an 'error' result, in input order, with progress."""
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    local_server.routes[WORK] = reply(200, body)
    local_server.routes["/works/10.1000/broken"] = reply(503, "busy", "text/plain")
    refs = [entry(), Reference(title="Broken", doi="10.1000/broken"), entry()]
    seen: list[tuple[int, int]] = []
    with make(local_server, clock, tmp_path, max_retries=0) as resolver:
        results = resolver.resolve_many(refs, progress=lambda d, t, r: seen.append((d, t)))
    assert [r.status for r in results] == ["matched", "error", "matched"]
    assert isinstance(results[1].error, ServiceError)
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]


def test_cache_and_offline(local_server: LocalServer, clock: FakeClock, tmp_path: Path) -> None:
    """A cached answer is served offline; anything else raises OfflineMiss."""
    body = data_text("crossref_work_10.1371_journal.pone.0033693.json")
    local_server.routes[WORK] = reply(200, body)
    cache = {"cache": True, "cache_dir": tmp_path / "cache"}
    with make(local_server, clock, tmp_path, **cache) as resolver:
        assert resolver.resolve(entry()).status == "matched"
        assert resolver.resolve(entry()).status == "matched"
        # the Crossref record and PubMed's and OpenAlex's 404s for its DOI, each asked once
        assert resolver.http.stats["cache_hits"] == 3
    assert len(local_server.hits) == 3
    with make(local_server, clock, tmp_path, offline=True, **cache) as offline:
        assert offline.resolve(entry()).status == "matched"
        with pytest.raises(OfflineMiss):
            offline.resolve(Reference(title="Other", doi="10.1000/other"))
    assert len(local_server.hits) == 3
