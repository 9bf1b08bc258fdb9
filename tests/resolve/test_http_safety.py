"""The HTTP layer keeps secrets out of messages and the cache, and ends whatever happens."""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import textwrap
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from mesorefs.errors import NetworkError
from mesorefs.models import Reference
from mesorefs.redaction import REDACTED
from mesorefs.resolve import Resolver
from mesorefs.resolve.http import FLOOR, HttpClient, RateLimiter
from mesorefs.settings import Settings

from .conftest import FakeClock, LocalServer
from .fakes import send, service_urls

KEY = "k3y-0123456789abcdef"
PASSWORD = "mirr0r-Pa55word"


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    options: dict[str, Any] = {"cache_dir": tmp_path / "cache", "backoff_base": 0.0}
    options.update(extra)
    return Settings.load(env={}, config_file=tmp_path / "none.toml", **options)


def cache_bytes(tmp_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())


def test_url_password_goes_as_basic_auth_and_into_no_message(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """A ``user:password@`` URL is sent with Basic auth, without the password in the URL;
    a failure's message shows neither."""
    seen: list[tuple[str, str]] = []

    def record(request: BaseHTTPRequestHandler) -> None:
        seen.append((request.path, request.headers.get("Authorization") or ""))
        send(request, 200, b"{}")

    local_server.routes["/x"] = record
    url = local_server.url.replace("http://", f"http://mirror:{PASSWORD}@") + "/x"
    http = HttpClient(settings_for(tmp_path, max_retries=0))
    try:
        assert http.get("crossref", url).status == 200
        with pytest.raises(NetworkError) as caught:
            http.get("crossref", f"http://mirror:{PASSWORD}@127.0.0.1:9/works")
    finally:
        http.close()
    assert seen and seen[0][1].startswith("Basic ") and PASSWORD not in seen[0][0]
    assert PASSWORD not in str(caught.value) and REDACTED in str(caught.value)
    assert PASSWORD.encode() not in cache_bytes(tmp_path)


def test_keys_are_in_no_byte_of_the_cache_nor_in_what_is_shown(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Keys in the query, in a redirect's URL and echoed in a body never reach the cache
    file, and the body the caller sees is redacted too."""

    def echo(request: BaseHTTPRequestHandler) -> None:
        if "moved" not in request.path:
            send(request, 302, b"", "text/plain", Location=request.path + "&moved=1")
            return
        body = {"echo": request.path, "auth": request.headers.get("Authorization")}
        send(request, 200, json.dumps(body))

    local_server.routes["/eutils"] = echo
    settings = settings_for(tmp_path, ncbi_api_key=KEY, openai_api_key=KEY[::-1])
    http = HttpClient(settings)
    try:
        url = f"{local_server.url}/eutils/esearch.fcgi?term=a&api_key={KEY}"
        got = http.get("pubmed", url)
        posted = http.post_json(
            "openai", url, {"q": 1}, headers={"Authorization": f"Bearer {KEY[::-1]}"}
        )
    finally:
        http.close()
    assert got.json()["echo"].count(REDACTED) == 1 and KEY not in got.text
    assert KEY[::-1] not in posted.text
    stored = cache_bytes(tmp_path)
    assert len(stored) > 8192
    assert KEY.encode() not in stored and KEY[::-1].encode() not in stored


def test_advertised_rate_has_a_floor() -> None:
    """One request an hour in a service's headers slows us to one every 10 s, no further."""
    limiter = RateLimiter(5.0, FakeClock())
    limiter.advertise(1 / 3600)
    assert limiter.allowed == limiter.rate == FLOOR == 0.1
    limiter.slow_down()
    assert limiter.rate == FLOOR


def test_rate_limiter_refuses_a_slot_after_until() -> None:
    """A caller whose slot comes after its end gets None and leaves without waiting."""
    clock = FakeClock()
    limiter = RateLimiter(0.1, clock)
    assert limiter.acquire(until=5.0) == 0.0
    assert limiter.acquire(until=5.0) is None
    assert clock.sleeps == []


def test_batch_has_a_default_run_deadline(local_server: LocalServer, tmp_path: Path) -> None:
    """A server slower than the run's budget: resolve_many ends near run_seconds +
    entry_seconds per entry, every entry reported."""

    def slow(request: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        send(request, 404, b"no")

    local_server.routes["/"] = slow
    settings = settings_for(
        tmp_path, cache=False, run_seconds=1.0, entry_seconds=0.5, **service_urls(local_server)
    )
    refs = [
        Reference(key=f"r{i}", title=f"A title {i} of some length", doi=f"10.1/{i}")
        for i in range(3)
    ]
    started = time.monotonic()
    with Resolver(settings) as resolver:
        results = resolver.resolve_many(refs)
    assert time.monotonic() - started < 2.5 + 2  # the budget, and a little for threads
    assert [r.reference.key for r in results] == ["r0", "r1", "r2"]
    assert {r.status for r in results} == {"error"}


def _fill_cache(local_server: LocalServer, tmp_path: Path) -> Settings:
    local_server.routes["/x"] = lambda request: send(request, 200, b'{"ok": 1}')
    settings = settings_for(tmp_path)
    http = HttpClient(settings)
    http.get("crossref", local_server.url + "/x")
    http.close()
    return settings


@pytest.mark.parametrize("lock", ["EXCLUSIVE", "IMMEDIATE"], ids=["exclusive", "reserved"])
def test_locked_cache_is_not_moved_aside(
    local_server: LocalServer, tmp_path: Path, lock: str
) -> None:
    """A cache another process holds locked is used no further this run, with one warning,
    within seconds, and is left where it is with its answers."""
    settings = _fill_cache(local_server, tmp_path)
    path = tmp_path / "cache" / "http-cache.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(f"BEGIN {lock}")
    started = time.monotonic()
    try:
        http = HttpClient(settings)
        response = http.get("crossref", local_server.url + "/x?new=1")
        http.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status == 200 and time.monotonic() - started < 10
    assert len(http.warnings) == 1 and "cache" in http.warnings[0]
    assert sorted(p.name for p in path.parent.iterdir()) == ["http-cache.sqlite"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM responses").fetchone()[0] >= 1


def test_full_disk_warns_and_goes_on(local_server: LocalServer, tmp_path: Path) -> None:
    """A cache that cannot grow (a file size limit at its size): answers still come, with a
    warning, and nothing hangs."""
    settings = _fill_cache(local_server, tmp_path)
    size = (tmp_path / "cache" / "http-cache.sqlite").stat().st_size
    script = textwrap.dedent(
        f"""
        from mesorefs.resolve.http import HttpClient
        from mesorefs.settings import Settings
        settings = Settings.load(env={{}}, config_file={str(tmp_path / "none.toml")!r},
                                 cache_dir={str(settings.cache_dir)!r}, backoff_base=0)
        http = HttpClient(settings)
        for n in range(20):
            assert http.get("crossref", {local_server.url!r} + f"/x?n={{n}}").status == 200
        print(len(http.warnings), http.warnings[0] if http.warnings else "")
        """
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-400:]
    count, _, warning = run.stdout.strip().partition(" ")
    assert count == "1" and "cache" in warning
