"""The only module that imports requests: session, politeness, retries, cache, errors.

:class:`HttpClient` sends every request of the resolver (GET) and of an ``openai:`` stance
verifier (:meth:`HttpClient.post_json`).  Per service it keeps a
:class:`RateLimiter` (requests per second, evenly spaced) and a :class:`Gate`
(requests in flight), both set from the services' published rules and lowered
when a service advertises a stricter limit in its headers.  It retries 429, 5xx,
timeouts and connection errors with exponential backoff, honouring Retry-After,
and translates every failure into the :mod:`mesorefs.errors` tree.  The clock and
the sleep function are injectable, so tests never wait.

Every request is bounded whatever the server does: one lookup (its retries and waits
included) ends within ``request_deadline`` seconds even when the server drips its headers
or body a byte at a time (a watchdog shuts the socket), and a run ends within
``deadline``; bodies larger than ``max_response_bytes`` (as received or once decompressed)
and JSON nested too deeply are refused.  A host that fails every retry is left alone for
``unreachable_pause`` seconds.  A service's rate headers may slow us down, never below one
request every 10 s; a batch has a run deadline by default (see :meth:`HttpClient.limit_run`).

Secrets: a ``user:password@`` in a URL is sent as Basic auth and taken out of the URL; every
URL in a message is :func:`~mesorefs.redaction.redact_url`'d; a body that echoes a secret of
the settings is redacted as it is read, before anyone sees or caches it; the cache stores
nothing without passing through the same redaction (API keys and Authorization are also out
of its keys).

The persistent cache is checked when it opens: a file SQLite calls damaged is renamed
aside (never deleted) and a fresh one built, with one warning; a cache another process
holds locked, or one that cannot be written (a full disk), is left as it is and the run goes
on without caching, with one warning.  No wait on the cache's lock is longer than a second
or two.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import pickle
import re
import socket
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

import requests
import requests_cache
import urllib3
from requests.adapters import HTTPAdapter
from requests_cache.backends.sqlite import SQLiteCache, SQLiteDict
from requests_cache.serializers.pipeline import SerializerPipeline, Stage
from requests_cache.serializers.preconf import base_stage
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from mesorefs.errors import (
    DeadlineExceeded,
    InputError,
    NetworkError,
    NotFound,
    OfflineMiss,
    RateLimited,
    ResolveError,
    ServiceError,
)
from mesorefs.inputs import load_json, repair_surrogates
from mesorefs.redaction import Redactor, redact_url, split_userinfo
from mesorefs.settings import RATE_RANGE, Settings

__all__ = [
    "Clock",
    "Gate",
    "HttpClient",
    "HttpResponse",
    "RateLimiter",
    "SessionLike",
    "SystemClock",
    "build_session",
    "default_limits",
    "parse_retry_after",
    "user_agent",
]

SERVICES = ("crossref", "crossref-list", "doi", "datacite", "pubmed", "openalex", "arxiv")


class Clock(Protocol):
    """Time as the rate limiter sees it."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


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


def default_limits(settings: Settings) -> dict[str, tuple[float, int]]:
    """Requests per second and concurrency per service, from the services' published rules.

    Crossref (since December 2025): public pool 5/s and 1 at a time for single records,
    1/s for lists; with a mailto 10/s and 3 at a time, 3/s for lists.  NCBI: 3/s, 10/s with
    an API key.  DataCite: 500 (1000 identified) per 5 minutes.  arXiv: one request per 3 s,
    one connection.  An ``openai:`` verifier endpoint: 5/s, 2 at a time.  Settings override
    any of them.
    """
    polite = bool(settings.mailto)
    limits: dict[str, tuple[float, int]] = {
        "crossref": (10.0, 3) if polite else (5.0, 1),
        "crossref-list": (3.0, 3) if polite else (1.0, 1),
        "doi": (10.0, 3) if polite else (5.0, 1),
        "datacite": (1000 / 300, 2) if polite else (500 / 300, 1),
        "pubmed": (10.0, 3) if settings.ncbi_api_key else (3.0, 3),
        "openalex": (10.0, 5),
        "arxiv": (1 / 3, 1),
        # An ``openai:`` stance verifier: often a model on the user's own machine, which
        # serves one or two answers at a time.
        "openai": (5.0, 2),
    }
    for name, rate in settings.rate_limits.items():
        limits[name] = (float(rate), limits.get(name, (rate, 1))[1])
    for name, conc in settings.concurrency.items():
        limits[name] = (limits.get(name, (1.0, conc))[0], int(conc))
    return limits


FLOOR = RATE_RANGE[0]
"""The slowest rate a service's headers or 429s can push us to: one request every 10 s."""


class RateLimiter:
    """Evenly spaced requests: at most ``rate`` per second, never a burst.

    A small safety margin keeps us under the limit even when requests arrive at the
    server with jitter.  ``ceiling`` is the published rule, ``allowed`` what the service
    advertises (never above the rule), ``rate`` what we send at now: halved after a 429,
    doubled back after each answer that is not one, up to ``allowed``.
    """

    def __init__(self, rate: float, clock: Clock, margin: float = 0.05) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._margin = margin
        self._next = 0.0
        self._slowed_at = float("-inf")
        self.ceiling = rate
        self.allowed = rate
        self.rate = rate

    @property
    def interval(self) -> float:
        return 1.0 / (self.rate * (1 - self._margin)) if self.rate > 0 else 0.0

    def acquire(self, max_wait: float | None = None, until: float | None = None) -> float | None:
        """Wait for our slot; returns the seconds waited, or None (without waiting or
        taking a slot) when the slot is further than ``max_wait`` seconds away, or later
        than ``until`` (on the clock's monotonic time).  ``until`` is checked once the
        lock is ours: time spent queueing behind other callers counts against it.

        The wait happens under the lock, one caller at a time: callers that slept
        through a pause (a garbage collection, a busy core) then leave one by one
        instead of together, so a stall never turns into a burst at the server.
        """
        with self._lock:
            start = self._clock.monotonic()
            slot = max(start, self._next)
            if max_wait is not None and slot - start > max_wait:
                return None
            if until is not None and slot > until:
                return None
            if slot > start:
                self._clock.sleep(slot - start)
            woke = self._clock.monotonic()
            # The next slot is a full interval after this request actually leaves: a late
            # wake-up never lets two requests out closer than that, so the server sees no
            # burst (catching up half an interval provoked 429s under load).
            self._next = max(slot, woke) + self.interval
        return max(slot - start, 0.0)

    def advertise(self, rate: float) -> None:
        """The service says its limit is ``rate``: lower ours to it, never raise above the
        rules, never below :data:`FLOOR` (a header asking for one request an hour would
        stall a run for hours; the run's deadline and 429 handling keep us polite)."""
        if rate > 0:
            self.allowed = min(self.ceiling, max(rate, FLOOR))
            self.rate = self.allowed

    def slow_down(self) -> None:
        """After a 429: halve the rate (down to one request per 10 s), once per interval: the
        429s of requests already on their way when we slowed down say nothing new."""
        with self._lock:
            now = self._clock.monotonic()
            if now - self._slowed_at < self.interval:
                return
            self._slowed_at = now
            self.rate = max(self.rate / 2, min(FLOOR, self.allowed))

    def recover(self) -> None:
        """After an answer that is not a 429: back towards the allowed rate, so a burst of
        429s costs a few slow requests, not the rest of the run."""
        self.rate = min(self.allowed, self.rate * 2)

    def defer(self, seconds: float) -> None:
        """Nobody sends before ``seconds`` from now (a Retry-After)."""
        with self._lock:
            self._next = max(self._next, self._clock.monotonic() + seconds)


class Gate:
    """A semaphore whose size can shrink when a service asks for less concurrency."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._busy = 0
        self._cond = threading.Condition()

    def __enter__(self) -> Gate:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self, timeout: float | None = None) -> bool:
        """Take a place; False when none came free within ``timeout`` seconds."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._busy < self.limit, timeout):
                return False
            self._busy += 1
        return True

    def release(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()

    def advertise(self, limit: int) -> None:
        with self._cond:
            self.limit = max(1, min(self.limit, limit))


@dataclass(frozen=True)
class HttpResponse:
    """What the service modules see of a response (no requests types leak out)."""

    status: int
    url: str
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False

    def json(self) -> Any:
        """The body as JSON within :func:`mesorefs.inputs.load_json`'s limits (ValueError
        when it is not JSON, too deep, or holds numbers JSON does not allow)."""
        try:
            return load_json(self.text)
        except InputError as error:
            raise ValueError(str(error)) from None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


_RATE_BODY = re.compile(r"rate limit exceeded", re.IGNORECASE)


def is_rate_limit_body(text: str) -> bool:
    """NCBI's ``{"error":"API rate limit exceeded",...}``, which may come with status 200."""
    snippet = text[:400].lstrip()
    if not snippet.startswith("{"):
        return False
    try:
        data = load_json(text)
    except InputError:
        return False
    return isinstance(data, dict) and bool(_RATE_BODY.search(str(data.get("error", ""))))


def _interval_seconds(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*s?\s*", value)
    return float(match.group(1)) if match else None


_redact = redact_url


class _Watchdog:
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

    def __enter__(self) -> _Watchdog:
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
"""The watchdog of the request this thread is sending (set by :class:`_Watchdog`)."""


class _WatchedMixin:
    sock: socket.socket | None

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        watchdog: _Watchdog | None = getattr(_watched, "current", None)
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
    """requests' adapter with connections a :class:`_Watchdog` can reach."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedPool,
            "https": _WatchedHTTPSPool,
        }


class _TooLarge(requests.RequestException):
    """A body beyond ``max_response_bytes`` (raised from the response hook)."""


def _bounded_body(limit: int, redactor: Redactor | None = None) -> Callable[..., Any]:
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
            raise _TooLarge(f"response of {int(declared)} bytes")
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
                raise _TooLarge(f"response larger than {limit} bytes")
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


def _cache_path(settings: Settings) -> Path:
    return settings.cache_dir / "http-cache.sqlite"


_DAMAGED = ("not a database", "malformed", "is not a file", "fails its check")
"""What SQLite (or we) say of a file that is really damaged; anything else (locked, busy,
read-only, disk full) is a passing state of a good cache, never a reason to move it."""
_LOCK_WAIT = 1.0
"""Seconds to wait for the cache's lock (per statement, and for a write transaction)."""


def _check_cache(path: Path) -> tuple[str | None, bool]:
    """The warning to give about the cache file (None when it is fine) and whether to use it.

    A damaged file is renamed aside in its folder (``http-cache.sqlite.damaged-<time>``),
    never deleted; a locked or unreadable one is left alone and not used this run.
    """
    if not path.exists() and not path.is_symlink():
        return None, True
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
    if not any(sign in problem for sign in _DAMAGED):
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
        warning, use_cache = _check_cache(_cache_path(settings))
        if warning is not None and warnings is not None:
            warnings.append(warning)
    if use_cache:
        expire = timedelta(days=settings.cache_expire_days)
        try:
            backend = _Cache(
                str(_cache_path(settings)), _serializer(Redactor(settings.secret_values()))
            )
            session = requests_cache.CachedSession(
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
        session = requests.Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent(settings.mailto)
    # Only encodings we can bound while decoding (urllib3 decodes in bounded steps).
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session


@dataclass
class _Service:
    limiter: RateLimiter
    gate: Gate


@dataclass
class _Host:
    unreachable_until: float = 0.0
    """After a request failed on every retry, fail fast until then: one unreachable
    host must not cost every lookup of a batch its timeouts."""
    refusals: int = 0
    """Lookups in a row that ended in 5xx or 429 after every retry (two open the pause;
    a single bad record must not stop the lookups of the others)."""


class HttpClient:
    """Polite GETs: rate limits, concurrency, retries, cache, offline mode, error mapping,
    and the bounds of the module docstring.  ``warnings`` collects what the user should
    hear once (a damaged cache moved aside)."""

    def __init__(
        self,
        settings: Settings,
        session: SessionLike | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.warnings: list[str] = []
        self._own_session = session is None
        self.session: SessionLike = (
            session
            if session is not None
            else cast(SessionLike, build_session(settings, self.warnings))
        )
        self._services: dict[str, _Service] = {}
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self.limits = default_limits(settings)
        self.stats: dict[str, int] = {"requests": 0, "cache_hits": 0, "retries": 0}
        self._memo: OrderedDict[tuple[Any, ...], HttpResponse] = OrderedDict()
        self.memo_size = 4096
        self._run_ends: float | None = None
        self._run_seconds = 0.0
        if settings.deadline is not None:
            self.limit_run(settings.deadline)
        self.redactor = Redactor(settings.secret_values())
        """Every secret of the settings, for whatever shows what a service said."""

    def limit_run(self, seconds: float) -> None:
        """From now on, the run ends within ``seconds`` (or sooner, when it already had a
        nearer end): every lookup after that fails at once with DeadlineExceeded."""
        ends = self.clock.monotonic() + seconds
        if self._run_ends is None or ends < self._run_ends:
            self._run_ends = ends
            self._run_seconds = seconds

    def close(self) -> None:
        """Close the session when we built it."""
        closer: Callable[[], None] | None = getattr(self.session, "close", None)
        if self._own_session and closer is not None:
            closer()

    def service(self, name: str) -> _Service:
        with self._lock:
            if name not in self._services:
                rate, conc = self.limits.get(name, (1.0, 1))
                self._services[name] = _Service(RateLimiter(rate, self.clock), Gate(conc))
            return self._services[name]

    def _host(self, url: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(urlsplit(url).netloc.lower(), _Host())

    @property
    def _caching(self) -> bool:
        return isinstance(self.session, requests_cache.CachedSession)

    def _drop_cache(self, error: sqlite3.Error) -> None:
        """The cache broke during the run: go on without it, and say so once."""
        with self._lock:
            if not self._caching:
                return
            old = cast(requests_cache.CachedSession, self.session)
            self.session = cast(
                SessionLike, build_session(self.settings.model_copy(update={"cache": False}))
            )
            self.warnings.append(f"HTTP cache failed ({error}); going on without it this run")
        with contextlib.suppress(sqlite3.Error):
            old.close()  # type: ignore[no-untyped-call]
        if any(sign in str(error) for sign in _DAMAGED):
            _check_cache(_cache_path(self.settings))

    def _cached(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
        """The persistent cache's answer, or None."""
        if not self._caching:
            return None
        try:
            cached = self._call(method, url, only_if_cached=True, **kwargs)
        except sqlite3.Error as error:
            self._drop_cache(error)
            return None
        if cached.status_code != 504 and getattr(cached, "from_cache", False):
            return cached
        return None

    def get(
        self,
        service: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        identifier: str | None = None,
    ) -> HttpResponse:
        """GET ``url`` as ``service``; raise NotFound, RateLimited, ServiceError, NetworkError
        (DeadlineExceeded), OfflineMiss; return the response otherwise (any 2xx)."""
        kwargs: dict[str, Any] = {"params": dict(params or {}), "headers": dict(headers or {})}
        memo_key = (url, tuple(sorted(kwargs["params"].items())), kwargs["headers"].get("Accept"))
        return self._send("GET", service, url, kwargs, memo_key, identifier)

    def post_json(
        self,
        service: str,
        url: str,
        body: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        identifier: str | None = None,
    ) -> HttpResponse:
        """POST ``body`` as JSON to ``url`` as ``service``, with every rule of :meth:`get`
        (limits, retries, deadlines, size bounds, errors).  The persistent cache keeps a 200
        by URL and body (never by headers, so an API key is neither part of the key nor
        stored): the same question asked again is answered from the cache."""
        payload = dict(body)
        kwargs: dict[str, Any] = {"json": payload, "headers": dict(headers or {})}
        memo_key = ("POST", url, json.dumps(payload, sort_keys=True, ensure_ascii=False))
        return self._send("POST", service, url, kwargs, memo_key, identifier)

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        # A ``user:password@`` goes as Basic auth, never in the URL the cache or a message
        # could keep.
        url, auth = split_userinfo(url)
        if auth is not None:
            kwargs["auth"] = auth
        if method == "GET":
            return self.session.get(url, **kwargs)
        # Sessions handed in by tests need only ``get``; ours (requests) also post.
        post: Callable[..., Any] = cast(Any, self.session).post
        return post(url, **kwargs)

    def _send(
        self,
        method: str,
        service: str,
        url: str,
        kwargs: dict[str, Any],
        memo_key: tuple[Any, ...],
        identifier: str | None,
    ) -> HttpResponse:
        with self._lock:
            remembered = self._memo.get(memo_key)
            if remembered is not None:
                self._memo.move_to_end(memo_key)
                self.stats["cache_hits"] += 1
        if remembered is not None:
            return self._finish(service, remembered, identifier)
        cached = self._cached(method, url, kwargs)
        if cached is not None:
            with self._lock:
                self.stats["cache_hits"] += 1
            return self._finish(service, self._remember(memo_key, self._wrap(cached)), identifier)
        if self.settings.offline:
            raise OfflineMiss("offline and not in the cache", service, identifier)
        state = self.service(service)
        host = self._host(url)
        now = self.clock.monotonic()
        if now < host.unreachable_until:
            raise NetworkError(
                f"unreachable (it just failed on every retry): {_redact(url)}", service, identifier
            )
        if self._run_ends is not None and self._run_ends <= now:
            raise DeadlineExceeded(
                f"the run's deadline ({self._run_seconds:g} s) has passed",
                service,
                identifier,
            )
        hooks = {"response": _bounded_body(self.settings.max_response_bytes, self.redactor)}
        attempt = 0
        # The request's own deadline starts when its first attempt may go: waiting in line
        # behind the other lookups of a batch is bounded by the run's deadline only.
        ends: float | None = None
        while True:
            limit = ends if ends is not None else self._run_ends
            waits = None if limit is None else limit - self.clock.monotonic()
            if waits is not None and (waits <= 0 or state.limiter.acquire(until=limit) is None):
                raise self._too_slow(host, url, service, identifier, unreachable=False)
            if waits is None:
                state.limiter.acquire()
            gate_wait = None if limit is None else max(limit - self.clock.monotonic(), 0.0)
            if not state.gate.acquire(timeout=gate_wait):
                raise self._too_slow(host, url, service, identifier, unreachable=False)
            if ends is None:
                ends = self.clock.monotonic() + self.settings.request_deadline
                if self._run_ends is not None:
                    ends = min(ends, self._run_ends)
            watchdog = _Watchdog(0.0)
            held = True
            try:
                # Checked again once our turn has come: the request ahead of us may have
                # found the host unreachable while we waited.
                if self.clock.monotonic() < host.unreachable_until:
                    raise NetworkError(
                        f"unreachable (it just failed on every retry): {_redact(url)}",
                        service,
                        identifier,
                    )
                remaining = ends - self.clock.monotonic()
                if remaining <= 0:
                    raise self._too_slow(host, url, service, identifier, unreachable=False)
                timeout = (
                    min(self.settings.connect_timeout, remaining),
                    min(self.settings.read_timeout, remaining),
                )
                watchdog = _Watchdog(remaining)
                with watchdog:
                    with self._lock:
                        self.stats["requests"] += 1
                    raw = self._call(method, url, timeout=timeout, hooks=hooks, **kwargs)
            except _TooLarge as exc:
                raise ServiceError(f"{exc}, refused: {_redact(url)}", service, identifier) from exc
            except requests.exceptions.ContentDecodingError as exc:
                raise ServiceError(
                    f"undecodable compressed body: {_redact(url)}", service, identifier
                ) from exc
            except sqlite3.Error as error:  # the cache broke while saving an answer
                self._drop_cache(error)
                continue
            except requests.RequestException as exc:
                if watchdog.fired:
                    raise self._too_slow(host, url, service, identifier) from exc
                if not isinstance(exc, (requests.Timeout, requests.ConnectionError)):
                    raise NetworkError(
                        f"request failed: {_redact(url)}", service, identifier
                    ) from exc
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
                state.gate.release()  # nobody waits behind our backoff
                held = False
                if attempt < self.settings.max_retries and self._backoff(attempt, None, ends):
                    attempt += 1
                    continue
                host.unreachable_until = self.clock.monotonic() + self.settings.unreachable_pause
                raise NetworkError(f"{kind}: {_redact(url)}", service, identifier) from exc
            finally:
                if held:
                    state.gate.release()
            if watchdog.fired:  # the body ended early because the watchdog shut it
                raise self._too_slow(host, url, service, identifier)
            response = self._wrap(raw)
            if len(response.text) > self.settings.max_response_bytes:
                raise ServiceError(
                    f"response larger than {self.settings.max_response_bytes} bytes, refused",
                    service,
                    identifier,
                )
            self._adapt(state, service, response)
            status = response.status
            rate_limited = status == 429 or (
                status in (200, 403) and is_rate_limit_body(response.text)
            )
            if rate_limited or status >= 500:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if rate_limited:
                    state.limiter.slow_down()
                too_long = retry_after is not None and retry_after > self.settings.max_retry_after
                if attempt < self.settings.max_retries and not too_long:
                    if retry_after is not None:
                        state.limiter.defer(retry_after)
                    if self._backoff(attempt, retry_after, ends):
                        attempt += 1
                        continue
                self._refused(host)
                if rate_limited:
                    raise RateLimited(
                        "rate limited; try again later", service, identifier, retry_after
                    )
                raise ServiceError(f"server error {status}", service, identifier, status)
            state.limiter.recover()
            host.refusals = 0
            if self._caching and (status == 200 or (status == 404 and method == "GET")):
                self._remember(memo_key, response)
            return self._finish(service, response, identifier)

    def _too_slow(
        self, host: _Host, url: str, service: str, identifier: str | None, unreachable: bool = True
    ) -> ResolveError:
        """The error for a request that ran out of time; the host is left alone a while."""
        if unreachable:
            host.unreachable_until = self.clock.monotonic() + self.settings.unreachable_pause
        return DeadlineExceeded(
            f"no complete answer within the deadline: {_redact(url)}", service, identifier
        )

    def _refused(self, host: _Host) -> None:
        """A lookup ended in 5xx or 429 after every retry: the second in a row pauses the host."""
        with self._lock:
            host.refusals += 1
            if host.refusals >= 2:
                host.unreachable_until = self.clock.monotonic() + self.settings.unreachable_pause

    def _remember(self, key: tuple[Any, ...], response: HttpResponse) -> HttpResponse:
        """Keep a cacheable answer in memory too (the persistent cache stays the reference)."""
        with self._lock:
            self._memo[key] = response
            if len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)
        return response

    def _finish(self, service: str, response: HttpResponse, identifier: str | None) -> HttpResponse:
        status = response.status
        if status in (404, 410):
            raise NotFound("not found", service, identifier)
        if status >= 400 or status < 200:
            raise ServiceError(f"unexpected status {status}", service, identifier, status)
        return response

    def _backoff(self, attempt: int, retry_after: float | None, ends: float) -> bool:
        """Sleep before the next attempt; False (without sleeping) when the wait would not
        leave time for it before ``ends``."""
        delay = self.settings.backoff_base * (2**attempt)
        if retry_after is not None:
            delay = max(delay, retry_after) if retry_after > 0 else retry_after
        delay = min(delay, max(self.settings.max_retry_after, 0.0))
        if self.clock.monotonic() + delay >= ends:
            return False
        with self._lock:
            self.stats["retries"] += 1
        self.clock.sleep(delay)
        return True

    def _adapt(self, state: _Service, service: str, response: HttpResponse) -> None:
        headers = response.headers
        limit = headers.get("X-Rate-Limit-Limit")
        interval = headers.get("X-Rate-Limit-Interval")
        if service == "pubmed" and limit is None:
            limit, interval = headers.get("X-RateLimit-Limit"), "1s"
        if limit and interval:
            seconds = _interval_seconds(interval)
            try:
                count = float(limit)
            except ValueError:
                count = 0.0
            if seconds and count > 0:
                state.limiter.advertise(count / seconds)
        conc = headers.get("X-Concurrency-Limit")
        if conc and conc.strip().isdigit():
            state.gate.advertise(int(conc))

    @staticmethod
    def _wrap(raw: Any) -> HttpResponse:
        try:
            text = raw.text
        except (UnicodeDecodeError, LookupError):  # pragma: no cover - odd encodings
            text = raw.content.decode("utf-8", "replace")
        if isinstance(text, str):
            text = repair_surrogates(text)
        return HttpResponse(
            status=int(raw.status_code),
            url=str(raw.url),
            text=text if isinstance(text, str) else str(text),
            headers=raw.headers if raw.headers is not None else {},
            from_cache=bool(getattr(raw, "from_cache", False)),
        )
