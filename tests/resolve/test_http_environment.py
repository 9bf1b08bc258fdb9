"""The session reads the environment once and the client finds cached answers by key:
proxies, CA bundle and ``.netrc`` are honoured as requests honours them, and an answer
cached online is found again offline whatever its parameters or body."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from mesorefs.errors import OfflineMiss
from mesorefs.resolve.http import HttpClient, build_session
from mesorefs.settings import Settings

from .conftest import FakeClock, LocalServer, reply
from .fakes import local_http_server, send

BODY = '{"status": "ok", "message": {"items": []}}'


def _client(tmp_path: Path, clock: FakeClock, **changes: object) -> HttpClient:
    settings = Settings.load(
        env={},
        config_file=tmp_path / "none.toml",
        cache=True,
        cache_dir=tmp_path / "cache",
        rate_limits={"x": 1e6},
        **changes,
    )
    return HttpClient(settings, clock=clock)


@pytest.mark.parametrize(
    ("method", "path", "params", "body"),
    [
        ("GET", "/works", {}, None),
        ("GET", "/works", {"query.bibliographic": "Doe 2020 fat", "rows": "5"}, None),
        ("GET", "/works", {"query.bibliographic": "é ü &=?/ x", "mailto": "a@b.org"}, None),
        ("POST", "/chat", {}, {"model": "m", "messages": [{"role": "user", "content": "é"}]}),
    ],
    ids=["plain", "params", "encoded-params-ignored-mailto", "post-json"],
)
def test_cached_answer_found_offline(
    local_server: LocalServer,
    clock: FakeClock,
    tmp_path: Path,
    method: str,
    path: str,
    params: dict[str, str],
    body: dict[str, object] | None,
) -> None:
    """An answer cached by an online request is served offline, without the server."""
    local_server.routes[path] = reply(200, BODY)
    url = local_server.url + path

    def ask(client: HttpClient) -> str:
        if body is not None:
            return client.post_json("x", url, body).text
        return client.get("x", url, params=params).text

    online = _client(tmp_path, clock)
    assert ask(online) == BODY
    online.close()
    asked = len(local_server.hits)
    offline = _client(tmp_path, clock, offline=True)
    assert ask(offline) == BODY
    assert offline.stats["cache_hits"] == 1
    assert len(local_server.hits) == asked
    offline.close()


def test_other_parameters_miss_offline(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A question the cache has not seen (another parameter value) is an OfflineMiss."""
    local_server.routes["/works"] = reply(200, BODY)
    online = _client(tmp_path, clock)
    online.get("x", local_server.url + "/works", params={"q": "one"})
    online.close()
    offline = _client(tmp_path, clock, offline=True)
    with pytest.raises(OfflineMiss):
        offline.get("x", local_server.url + "/works", params={"q": "two"})
    offline.close()


def _plain(tmp_path: Path) -> Settings:
    """Settings without a cache or the user's config file."""
    return Settings.load(env={}, config_file=tmp_path / "none.toml", cache=False)


def _proxy(server: LocalServer) -> None:
    """``server`` answers as a forward proxy: the requests it gets name the whole URL."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        send(request, 200, '{"via": "proxy"}')

    server.routes["http://"] = handle


@pytest.mark.parametrize("cached", [False, True], ids=["plain-session", "cached-session"])
def test_environment_proxy_is_honoured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cached: bool
) -> None:
    """A proxy named in the environment carries the requests (trust_env stays on)."""
    with local_http_server() as proxy:
        _proxy(proxy)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        settings = Settings.load(
            env={}, config_file=tmp_path / "none.toml", cache=cached, cache_dir=tmp_path / "cache"
        )
        session = build_session(settings)
        assert session.trust_env
        response = session.get("http://records.invalid/works?q=1", timeout=10)
        assert response.json() == {"via": "proxy"}
        assert proxy.hits == ["http://records.invalid/works?q=1"]
        session.close()


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A host in NO_PROXY is asked directly, others through the proxy, in one session."""
    with local_http_server() as proxy, local_http_server() as direct:
        _proxy(proxy)
        direct.routes["/works"] = reply(200, '{"via": "direct"}')
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        session = build_session(_plain(tmp_path))
        for _ in range(2):
            assert session.get(direct.url + "/works", timeout=10).json() == {"via": "direct"}
            assert session.get("http://records.invalid/w", timeout=10).json() == {"via": "proxy"}
        assert direct.hits == ["/works", "/works"]
        assert proxy.hits == ["http://records.invalid/w"] * 2
        session.close()


def test_environment_is_read_once_per_session(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A proxy set after a session's first request to a host is not taken up by that
    session; a new session takes it."""
    with local_http_server() as proxy, local_http_server() as direct:
        _proxy(proxy)
        direct.routes["/works"] = reply(200, '{"via": "direct"}')
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        session = build_session(_plain(tmp_path))
        assert session.get(direct.url + "/works", timeout=10).json() == {"via": "direct"}
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        assert session.get(direct.url + "/works", timeout=10).json() == {"via": "direct"}
        session.close()
        fresh = build_session(_plain(tmp_path))
        assert fresh.get(direct.url + "/works", timeout=10).json() == {"via": "proxy"}
        fresh.close()


def test_netrc_credentials_are_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, local_server: LocalServer
) -> None:
    """A ``.netrc`` entry for the host is sent as Basic auth, on every request."""
    seen: list[str | None] = []

    def handle(request: BaseHTTPRequestHandler) -> None:
        seen.append(request.headers.get("Authorization"))
        send(request, 200, BODY)

    local_server.routes["/works"] = handle
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login reader password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    session = build_session(_plain(tmp_path))
    for _ in range(2):
        session.get(local_server.url + "/works", timeout=10)
    session.close()
    assert seen == ["Basic cmVhZGVyOnMzY3JldA=="] * 2


def test_ca_bundle_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """REQUESTS_CA_BUNDLE is the verify setting of a session built after it was set."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bundle.pem")
    session = build_session(_plain(tmp_path))
    merged = session.merge_environment_settings("https://records.invalid/", {}, None, None, None)
    assert merged["verify"] == "/nonexistent/bundle.pem"
    session.close()
