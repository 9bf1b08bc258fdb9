"""The requests session: User-Agent, watchdog on slow sockets, bounded bodies, the cache.

:func:`build_session` makes the one polite session the client sends through: every socket
is watched (a server that drips bytes is cut off at the deadline), every body is read
within ``max_response_bytes`` and redacted as it is read, and answers are kept in a
persistent SQLite cache that is checked when it opens (a damaged file is set aside, a
locked or unwritable one is left alone and the run goes on without caching)."""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies, get_netrc_auth
from requests_cache.backends.sqlite import SQLiteCache, SQLiteDict
from requests_cache.serializers.pipeline import SerializerPipeline, Stage
from requests_cache.serializers.preconf import base_stage
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from mesorefs.outputs import cache_file_problem
from mesorefs.redaction import Redactor
from mesorefs.resolve.http.limits import (
    is_rate_limit_body,
)
from mesorefs.settings import Settings

__all__ = ["SessionLike", "build_session", "user_agent"]


class SessionLike(Protocol):
    """What we need of a requests session (tests hand in their own)."""

    def get(self, url: str, **kwargs: Any) -> Any: ...


def _version() -> str:
    try:
        return metadata.version("mesorefs")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0"


def user_agent(mailto: str | None) -> str:
    """``mesorefs/<version> (mailto:...)``; the mailto puts us in Crossref's polite pool."""
    base = f"mesorefs/{_version()}"
    return f"{base} (mailto:{mailto})" if mailto else base


class Watchdog:
    """Shuts the socket of a request that outlives its deadline.

    Socket timeouts restart with every byte, so a server that drips its headers or body
    would hold a request for ever; shutting the socket from a timer thread ends the
    blocked read at once, wherever it is.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        _watched.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _watched.current = None

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):  # already closed
                self._sock.shutdown(socket.SHUT_RDWR)


_watched = threading.local()
"""The watchdog of the request this thread is sending (set by :class:`Watchdog`)."""


class _WatchedMixin:
    sock: socket.socket | None

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        watchdog: Watchdog | None = getattr(_watched, "current", None)
        if watchdog is not None:
            watchdog.attach(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _WatchedConnection(_WatchedMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedMixin, HTTPSConnection):
    pass


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter with connections a :class:`Watchdog` can reach."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedPool,
            "https": _WatchedHTTPSPool,
        }


class TooLarge(requests.RequestException):
    """A body beyond ``max_response_bytes`` (raised from the response hook)."""


def bounded_body(limit: int, redactor: Redactor | None = None) -> Callable[..., Any]:
    """A response hook that reads the body itself, refusing more than ``limit`` bytes as
    received or once decompressed (a 1 MiB gzip bomb never becomes 1 GiB in memory), and
    redacts any secret of ``redactor`` it echoes before it is cached or shown."""

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        if getattr(response, "_content", None) is not False:
            return response  # already read (a cached answer, or a second dispatch)
        raw = response.raw
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise TooLarge(f"response of {int(declared)} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = raw.read(64 * 1024, decode_content=True)
            except urllib3.exceptions.ReadTimeoutError as error:
                raise requests.ReadTimeout(str(error)) from error
            except urllib3.exceptions.DecodeError as error:
                raise requests.exceptions.ContentDecodingError(str(error)) from error
            except (urllib3.exceptions.HTTPError, OSError) as error:
                raise requests.ConnectionError(str(error)) from error
            if not chunk:
                break
            size += len(chunk)
            if size > limit or raw.tell() > limit:
                response.close()
                raise TooLarge(f"response larger than {limit} bytes")
            chunks.append(chunk)
        content = b"".join(chunks)
        response._content = redactor.bytes(content) if redactor else content
        response._content_consumed = True  # type: ignore[attr-defined]
        return response

    return hook


def _cacheable(response: requests.Response) -> bool:
    if response.request is not None and response.request.method == "POST":
        # A question's answer, not a record: a 404 (a model not pulled yet) must not stick.
        return response.status_code == 200
    return not is_rate_limit_body(response.text)


def cache_path(settings: Settings) -> Path:
    return settings.cache_dir / "http-cache.sqlite"


DAMAGED_SIGNS = ("not a database", "malformed", "is not a file", "fails its check")
"""What SQLite (or we) say of a file that is really damaged; anything else (locked, busy,
read-only, disk full) is a passing state of a good cache, never a reason to move it."""
_LOCK_WAIT = 1.0
"""Seconds to wait for the cache's lock (per statement, and for a write transaction)."""


def _own_folder(path: Path) -> bool:
    """A folder of this user in the cache file's place: damaged, and moved aside."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()


def check_cache(path: Path) -> tuple[str | None, bool]:
    """The warning to give about the cache file (None when it is fine) and whether to use it.

    A damaged file is renamed aside in its folder (``http-cache.sqlite.damaged-<time>``),
    never deleted; a locked or unreadable one is left alone and not used this run.
    """
    if not path.exists() and not path.is_symlink():
        return None, True
    planted = None if _own_folder(path) else cache_file_problem(path)
    if planted is not None:  # never opened, written or moved: it is not ours
        return f"HTTP cache {path} cannot be used ({planted}); not caching this run", False
    problem: str | None = None
    if not path.is_file():
        problem = "is not a file"
    else:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_LOCK_WAIT)
            try:
                row = db.execute("PRAGMA quick_check").fetchone()
            finally:
                db.close()
            if not row or row[0] != "ok":
                problem = f"fails its check ({row[0] if row else 'no answer'})"
        except sqlite3.DatabaseError as error:
            problem = str(error)
    if problem is None:
        return None, True
    if not any(sign in problem for sign in DAMAGED_SIGNS):
        return f"HTTP cache {path} cannot be used now ({problem}); not caching this run", False
    aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    try:
        path.rename(aside)
    except OSError as error:
        message = f"HTTP cache {path} {problem} and cannot be moved aside ({error}); not caching"
        return message, False
    return f"HTTP cache {path} {problem}: moved to {aside.name}, starting a new one", True


class _BoundedSQLiteDict(SQLiteDict):
    """requests-cache's SQLite table, except that waiting for the write lock ends: its own
    loop retries for ever (a cache another process holds, or a full disk, hung the run);
    here the lock is waited for :data:`_LOCK_WAIT` seconds and then sqlite3's error is
    raised, which :class:`HttpClient` answers by going on without the cache."""

    @contextlib.contextmanager
    def _acquire_sqlite_lock(self) -> Any:
        with self._lock:
            ends = time.monotonic() + _LOCK_WAIT
            while True:
                try:
                    assert self._connection is not None
                    self._connection.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError:
                    if time.monotonic() >= ends:
                        raise
                    time.sleep(0.01)
            self._active_transaction = True
            try:
                yield
                self._connection.commit()
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.rollback()
                raise
            finally:
                self._active_transaction = False


class _Cache(SQLiteCache):
    """The SQLite cache with bounded lock waits (:class:`_BoundedSQLiteDict`)."""

    def __init__(self, db_path: str, serializer: SerializerPipeline, **kwargs: Any) -> None:
        super(SQLiteCache, self).__init__(cache_name=db_path, **kwargs)
        common = {"timeout": _LOCK_WAIT, **kwargs}
        self.responses = _BoundedSQLiteDict(
            db_path, table_name="responses", serializer=serializer, **common
        )
        self.redirects = _BoundedSQLiteDict(
            db_path, table_name="redirects", lock=self.responses._lock, serializer=None, **common
        )


def _serializer(redactor: Redactor) -> SerializerPipeline:
    """requests-cache's pickle serializer with one more stage: every string and byte string
    of the stored response (URLs, headers, bodies, redirects) through ``redactor``."""
    scrub = Stage(dumps=redactor.walk, loads=lambda value: value)
    return SerializerPipeline(
        [base_stage, scrub, Stage(pickle)], name="pickle-redacted", is_binary=True
    )


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An auth that adds nothing (the host has no ``.netrc`` entry)."""
    return request


class _EnvironmentOnce:
    """What requests reads from the environment for every request (proxies, the CA
    bundle, ``.netrc``) read once per session and host instead.

    requests looks these up on every request when ``trust_env`` is on, which cost a
    quarter of a cached lookup; they are honoured exactly as requests honours them, only
    not read again while the session lives.  With ``trust_env`` off nothing is read.
    """

    trust_env: bool
    auth: Any
    proxies: Any
    stream: Any
    verify: Any
    cert: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._proxies_by_host: dict[tuple[str, str, str | None], dict[str, str]] = {}
        self._netrc_by_host: dict[tuple[str, str], Any] = {}
        self._ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        if self.trust_env and not request.auth and not self.auth:
            parts = urlsplit(request.url)
            host = (parts.scheme, parts.netloc)
            if host not in self._netrc_by_host:
                self._netrc_by_host[host] = get_netrc_auth(request.url) or _no_auth
            request.auth = self._netrc_by_host[host]
        return super().prepare_request(request)  # type: ignore[misc, no-any-return]

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        if not self.trust_env:
            return super().merge_environment_settings(  # type: ignore[misc]
                url, proxies, stream, verify, cert
            )
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        parts = urlsplit(str(url))
        host = (parts.scheme, parts.netloc, no_proxy)
        if host not in self._proxies_by_host:
            self._proxies_by_host[host] = get_environ_proxies(str(url), no_proxy=no_proxy)
        if proxies is not None:
            for key, value in self._proxies_by_host[host].items():
                proxies.setdefault(key, value)
        if verify is True or verify is None:
            verify = self._ca_bundle or verify
        merge = cast(Callable[[Any, Any], Any], merge_setting)  # untyped in the stubs
        return {
            "proxies": merge(proxies, self.proxies),
            "stream": merge(stream, self.stream),
            "verify": merge(verify, self.verify),
            "cert": merge(cert, self.cert),
        }


class _Session(_EnvironmentOnce, requests.Session):
    """requests' session, reading the environment once (:class:`_EnvironmentOnce`)."""


class _CachedSession(_EnvironmentOnce, requests_cache.CachedSession):
    """requests-cache's session, reading the environment once (:class:`_EnvironmentOnce`)."""


def build_session(settings: Settings, warnings: list[str] | None = None) -> requests.Session:
    """A requests session with our User-Agent; a persistent SQLite cache when enabled.

    A damaged cache is moved aside (its warning appended to ``warnings``) and rebuilt; a
    cache that cannot be opened now is not used (with a warning).
    """
    session: requests.Session | None = None
    use_cache = settings.cache
    if use_cache:
        try:
            settings.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            use_cache = False
            if warnings is not None:
                warnings.append(f"HTTP cache folder unusable ({error}); not caching this run")
    if use_cache:
        warning, use_cache = check_cache(cache_path(settings))
        if warning is not None and warnings is not None:
            warnings.append(warning)
    if use_cache:
        expire = timedelta(days=settings.cache_expire_days)
        try:
            backend = _Cache(
                str(cache_path(settings)), _serializer(Redactor(settings.secret_values()))
            )
            session = _CachedSession(
                backend=backend,
                expire_after=expire,
                allowable_codes=(200, 404),
                # POST for the chat-completions answers of an ``openai:`` verifier, keyed by
                # their body (model, prompt, claim and passage).
                allowable_methods=("GET", "HEAD", "POST"),
                ignored_parameters=["api_key", "email", "tool", "mailto", "Authorization"],
                filter_fn=_cacheable,
                stale_if_error=False,
            )
        except sqlite3.Error as error:
            if warnings is not None:
                warnings.append(f"HTTP cache failed to open ({error}); not caching this run")
    if session is None:
        session = _Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent(settings.mailto)
    # Only encodings we can bound while decoding (urllib3 decodes in bounded steps).
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session
