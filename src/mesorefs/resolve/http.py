"""The only module that imports requests: session, politeness, retries, cache, errors.

:class:`HttpClient` sends every request of the resolver.  Per service it keeps a
:class:`RateLimiter` (requests per second, evenly spaced) and a :class:`Gate`
(requests in flight), both set from the services' published rules and lowered
when a service advertises a stricter limit in its headers.  It retries 429, 5xx,
timeouts and connection errors with exponential backoff, honouring Retry-After,
and translates every failure into the :mod:`mesorefs.errors` tree.  The clock and
the sleep function are injectable, so tests never wait.
"""

from __future__ import annotations

import email.utils
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import metadata
from typing import Any, Protocol, cast
from urllib.parse import urlsplit, urlunsplit

import requests
import requests_cache

from mesorefs.errors import NetworkError, NotFound, OfflineMiss, RateLimited, ServiceError
from mesorefs.settings import Settings

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
    one connection.  Settings override any of them.
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
    }
    for name, rate in settings.rate_limits.items():
        limits[name] = (float(rate), limits.get(name, (rate, 1))[1])
    for name, conc in settings.concurrency.items():
        limits[name] = (limits.get(name, (1.0, conc))[0], int(conc))
    return limits


class RateLimiter:
    """Evenly spaced requests: at most ``rate`` per second, never a burst.

    A small safety margin keeps us under the limit even when requests arrive at the
    server with jitter.
    """

    def __init__(self, rate: float, clock: Clock, margin: float = 0.05) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._margin = margin
        self._next = 0.0
        self.ceiling = rate
        self.rate = rate

    @property
    def interval(self) -> float:
        return 1.0 / (self.rate * (1 - self._margin)) if self.rate > 0 else 0.0

    def acquire(self) -> float:
        """Wait for our slot; returns the seconds waited.

        The wait happens under the lock, one caller at a time: callers that slept
        through a pause (a garbage collection, a busy core) then leave one by one
        instead of together, so a stall never turns into a burst at the server.
        """
        with self._lock:
            start = self._clock.monotonic()
            slot = max(start, self._next)
            if slot > start:
                self._clock.sleep(slot - start)
            woke = self._clock.monotonic()
            # Woken a little late: keep the schedule; woken very late: restart it from now.
            self._next = max(slot, woke - self.interval / 2) + self.interval
        return max(slot - start, 0.0)

    def advertise(self, rate: float) -> None:
        """The service says its limit is ``rate``: lower ours to it, never raise above the rules."""
        if rate > 0:
            self.rate = min(self.ceiling, rate)

    def slow_down(self) -> None:
        """After a 429: halve the rate (down to one request per 10 s)."""
        self.rate = max(self.rate / 2, 0.1)

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
        with self._cond:
            while self._busy >= self.limit:
                self._cond.wait()
            self._busy += 1
        return self

    def __exit__(self, *exc: object) -> None:
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
        return json.loads(self.text)


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
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and bool(_RATE_BODY.search(str(data.get("error", ""))))


def _interval_seconds(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*s?\s*", value)
    return float(match.group(1)) if match else None


def _redact(url: str) -> str:
    """The URL without its query string (which may hold an API key)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def build_session(settings: Settings) -> requests.Session:
    """A requests session with our User-Agent; a persistent SQLite cache when enabled."""
    session: requests.Session
    if settings.cache:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        expire = timedelta(days=settings.cache_expire_days)
        session = requests_cache.CachedSession(
            str(settings.cache_dir / "http-cache"),
            backend="sqlite",
            expire_after=expire,
            allowable_codes=(200, 404),
            ignored_parameters=["api_key", "email", "tool", "mailto", "Authorization"],
            filter_fn=_cacheable,
            stale_if_error=False,
        )
    else:
        session = requests.Session()
    session.headers["User-Agent"] = user_agent(settings.mailto)
    return session


def _cacheable(response: requests.Response) -> bool:
    return not is_rate_limit_body(response.text)


@dataclass
class _Service:
    limiter: RateLimiter
    gate: Gate
    unreachable_until: float = 0.0
    """After a request failed on every retry, fail fast until then: one unreachable
    service must not cost every lookup of a batch its timeouts."""


class HttpClient:
    """Polite GETs: rate limits, concurrency, retries, cache, offline mode, error mapping."""

    def __init__(
        self,
        settings: Settings,
        session: SessionLike | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._own_session = session is None
        self.session: SessionLike = (
            session if session is not None else cast(SessionLike, build_session(settings))
        )
        self._services: dict[str, _Service] = {}
        self._lock = threading.Lock()
        self.limits = default_limits(settings)
        self.stats: dict[str, int] = {"requests": 0, "cache_hits": 0, "retries": 0}
        self._memo: OrderedDict[tuple[Any, ...], HttpResponse] = OrderedDict()
        self.memo_size = 4096

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

    @property
    def _caching(self) -> bool:
        return isinstance(self.session, requests_cache.CachedSession)

    def get(
        self,
        service: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        identifier: str | None = None,
    ) -> HttpResponse:
        """GET ``url`` as ``service``; raise NotFound, RateLimited, ServiceError, NetworkError,
        OfflineMiss; return the response otherwise (any 2xx)."""
        kwargs: dict[str, Any] = {"params": dict(params or {}), "headers": dict(headers or {})}
        memo_key = (url, tuple(sorted(kwargs["params"].items())), kwargs["headers"].get("Accept"))
        with self._lock:
            remembered = self._memo.get(memo_key)
            if remembered is not None:
                self._memo.move_to_end(memo_key)
                self.stats["cache_hits"] += 1
        if remembered is not None:
            return self._finish(service, remembered, identifier)
        if self._caching:
            cached = self.session.get(url, only_if_cached=True, **kwargs)
            if cached.status_code != 504 and getattr(cached, "from_cache", False):
                with self._lock:
                    self.stats["cache_hits"] += 1
                return self._finish(
                    service, self._remember(memo_key, self._wrap(cached)), identifier
                )
        if self.settings.offline:
            raise OfflineMiss("offline and not in the cache", service, identifier)
        state = self.service(service)
        if self.clock.monotonic() < state.unreachable_until:
            raise NetworkError(
                f"unreachable (it just failed on every retry): {_redact(url)}", service, identifier
            )
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        attempt = 0
        while True:
            state.limiter.acquire()
            try:
                with state.gate:
                    with self._lock:
                        self.stats["requests"] += 1
                    raw = self.session.get(url, timeout=timeout, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
                if attempt < self.settings.max_retries:
                    self._backoff(attempt, None)
                    attempt += 1
                    continue
                state.unreachable_until = self.clock.monotonic() + self.settings.unreachable_pause
                raise NetworkError(f"{kind}: {_redact(url)}", service, identifier) from exc
            except requests.RequestException as exc:
                raise NetworkError(f"request failed: {_redact(url)}", service, identifier) from exc
            response = self._wrap(raw)
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
                    self._backoff(attempt, retry_after)
                    attempt += 1
                    continue
                if rate_limited:
                    raise RateLimited(
                        "rate limited; try again later", service, identifier, retry_after
                    )
                raise ServiceError(f"server error {status}", service, identifier, status)
            if self._caching and status in (200, 404):
                self._remember(memo_key, response)
            return self._finish(service, response, identifier)

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

    def _backoff(self, attempt: int, retry_after: float | None) -> None:
        with self._lock:
            self.stats["retries"] += 1
        delay = self.settings.backoff_base * (2**attempt)
        if retry_after is not None:
            delay = max(delay, retry_after) if retry_after > 0 else retry_after
        self.clock.sleep(min(delay, max(self.settings.max_retry_after, 0.0)))

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
        return HttpResponse(
            status=int(raw.status_code),
            url=str(raw.url),
            text=text if isinstance(text, str) else str(text),
            headers=raw.headers if raw.headers is not None else {},
            from_cache=bool(getattr(raw, "from_cache", False)),
        )
