"""Politeness: per-service rate limits and concurrency, the clock, Retry-After (no I/O).

The limits come from the services' published rules (:func:`default_limits`); a
:class:`RateLimiter` spaces requests evenly and a :class:`Gate` bounds those in flight.
Nothing here imports requests."""

from __future__ import annotations

import email.utils
import re
import threading
import time
from datetime import datetime, timezone
from typing import Protocol

from mesorefs.errors import (
    InputError,
)
from mesorefs.inputs import load_json
from mesorefs.settings import RATE_RANGE, Settings

__all__ = ["Clock", "Gate", "RateLimiter", "SystemClock", "default_limits", "parse_retry_after"]


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


def interval_seconds(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*s?\s*", value)
    return float(match.group(1)) if match else None
