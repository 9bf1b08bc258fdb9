"""The one redaction path: what a secret looks like once it leaves its header.

Every URL shown in a message, report or log goes through :func:`redact_url` (no user,
password or query string); every text or stored object that may hold a secret value
(an answer that echoes a key, a cached response) goes through a :class:`Redactor` built
from the settings' secrets (:meth:`mesorefs.settings.Settings.secret_values`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

__all__ = ["MIN_SECRET", "REDACTED", "Redactor", "redact_url", "split_userinfo"]

REDACTED = "[redacted]"
MIN_SECRET = 6
"""Shorter values are not searched for in bodies: too weak to be worth hiding, and common
enough that replacing them would damage the text (a password of ``abc``)."""


def _parts(url: str) -> tuple[str, str, str, str, str] | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment


def redact_url(url: str) -> str:
    """``url`` fit to show: no user or password, no query string or fragment (which may
    hold an API key).  A URL that cannot be parsed is shown as its scheme only."""
    parts = _parts(url)
    if parts is None:
        scheme = url.split(":", 1)[0] if ":" in url else ""
        return f"{scheme[:10]}:{REDACTED}" if scheme.isalpha() else REDACTED
    scheme, netloc, path, _, _ = parts
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    return urlunsplit((scheme, netloc, path, "", ""))


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its ``user:password@``, and the pair (None when it has none)."""
    parts = _parts(url)
    if parts is None or "@" not in parts[1]:
        return url, None
    scheme, netloc, path, query, fragment = parts
    userinfo, _, host = netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit((scheme, host, path, query, fragment)), (unquote(user), unquote(password))


class Redactor:
    """Replaces each secret value (as given, and as it appears URL-encoded) by
    :data:`REDACTED` in text, bytes and nested containers of them."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if len(secret) < MIN_SECRET:
                continue
            forms.update({secret, quote(secret, safe=""), quote_plus(secret, safe="")})
        # Longest first: a secret that contains another is replaced whole.
        self._text = sorted(forms, key=len, reverse=True)
        self._bytes = [form.encode("utf-8") for form in self._text]

    def __bool__(self) -> bool:
        return bool(self._text)

    def text(self, value: str) -> str:
        for form in self._text:
            if form in value:
                value = value.replace(form, REDACTED)
        return value

    def bytes(self, value: bytes) -> bytes:
        for form in self._bytes:
            if form in value:
                value = value.replace(form, REDACTED.encode())
        return value

    def walk(self, value: Any) -> Any:
        """``value`` with every str and bytes inside (dicts, lists, tuples) redacted."""
        if not self._text:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (bytes, bytearray)):
            return self.bytes(bytes(value))
        if isinstance(value, dict):
            return {self.walk(k): self.walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.walk(item) for item in value)
        return value
