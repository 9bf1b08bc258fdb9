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

from mesorefs.resolve.http.client import HttpClient, HttpResponse
from mesorefs.resolve.http.limits import (
    FLOOR,
    SERVICES,
    Clock,
    Gate,
    RateLimiter,
    SystemClock,
    default_limits,
    is_rate_limit_body,
    parse_retry_after,
)
from mesorefs.resolve.http.session import SessionLike, build_session, user_agent

__all__ = [
    "FLOOR",
    "SERVICES",
    "Clock",
    "Gate",
    "HttpClient",
    "HttpResponse",
    "RateLimiter",
    "SessionLike",
    "SystemClock",
    "build_session",
    "default_limits",
    "is_rate_limit_body",
    "parse_retry_after",
    "user_agent",
]
