"""The client every request goes through: limits, retries with backoff, deadlines, errors.

:class:`HttpClient` paces each service (:mod:`mesorefs.resolve.http.limits`), sends
through the session (:mod:`mesorefs.resolve.http.session`), retries 429, 5xx, timeouts
and connection errors honouring Retry-After, and translates every failure into the
:mod:`mesorefs.errors` tree; what the service modules see is an :class:`HttpResponse`."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

import requests
import requests_cache

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
from mesorefs.resolve.http.limits import (
    Clock,
    Gate,
    RateLimiter,
    SystemClock,
    default_limits,
    interval_seconds,
    is_rate_limit_body,
    parse_retry_after,
)
from mesorefs.resolve.http.session import (
    DAMAGED_SIGNS,
    SessionLike,
    TooLarge,
    Watchdog,
    bounded_body,
    build_session,
    cache_path,
    check_cache,
)
from mesorefs.settings import Settings

__all__ = ["HttpClient", "HttpResponse"]


_redact = redact_url


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
        if any(sign in str(error) for sign in DAMAGED_SIGNS):
            check_cache(cache_path(self.settings))

    def _cached(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
        """The persistent cache's answer, or None."""
        if not self._caching:
            return None
        try:
            if not self._in_cache(method, url, kwargs):
                return None
            cached = self._call(method, url, only_if_cached=True, **kwargs)
        except sqlite3.Error as error:
            self._drop_cache(error)
            return None
        if cached.status_code != 504 and getattr(cached, "from_cache", False):
            return cached
        return None

    def _in_cache(self, method: str, url: str, kwargs: dict[str, Any]) -> bool:
        """Does the persistent cache hold an answer under this request's key (fresh or not)?

        The key is the cache's own (:meth:`requests_cache.BaseCache.create_key`: method,
        normalized URL and body, never the headers), so a miss, which is most lookups of a
        first or offline run, costs one key and one SQLite lookup instead of a request
        prepared and sent through the session; a hit goes the whole way, which checks
        its freshness.
        """
        cache = cast(requests_cache.CachedSession, self.session).cache
        plain, _ = split_userinfo(url)
        request = requests.PreparedRequest()
        request.prepare_method(method)
        request.prepare_url(plain, kwargs.get("params"))
        request.prepare_headers(kwargs.get("headers"))
        request.prepare_body(None, None, kwargs.get("json"))
        return bool(cache.contains(request=request))

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
        hooks = {"response": bounded_body(self.settings.max_response_bytes, self.redactor)}
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
            watchdog = Watchdog(0.0)
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
                watchdog = Watchdog(remaining)
                with watchdog:
                    with self._lock:
                        self.stats["requests"] += 1
                    raw = self._call(method, url, timeout=timeout, hooks=hooks, **kwargs)
            except TooLarge as exc:
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
            seconds = interval_seconds(interval)
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
