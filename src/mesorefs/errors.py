"""The whole exception tree of mesorefs.

::

    MesorefsError
     +-- InvalidIdentifier (also ValueError)
     +-- BibtexError        .line
     +-- InputError         .path   (a file we cannot read, an empty document)
     +-- ParseError
     +-- ResolveError       .service, .identifier
     |    +-- NotFound
     |    +-- RateLimited   .retry_after
     |    +-- ServiceError  .status
     |    +-- NetworkError  (__cause__ keeps the original)
     |    +-- OfflineMiss   (offline mode, not in cache)
     +-- RenderError

Single operations raise; batch operations return failures as data and let
the caller decide what to do with them.  ``str(error)`` is always one line
that a user can act on.
"""

from __future__ import annotations


class MesorefsError(Exception):
    """Base of every error mesorefs raises on purpose."""


class InvalidIdentifier(MesorefsError, ValueError):
    """A DOI, PMID, PMCID, arXiv id, ISBN, ISSN or ORCID that is not valid."""

    def __init__(self, kind: str, value: str, reason: str = "") -> None:
        self.kind = kind
        self.value = value
        shown = value if len(value) <= 80 else value[:77] + "..."
        detail = f": {reason}" if reason else ""
        super().__init__(f"invalid {kind} {shown!r}{detail}")


class BibtexError(MesorefsError):
    """BibTeX that cannot be read, with the line it starts on when known."""

    def __init__(self, message: str, line: int | None = None, source: str | None = None) -> None:
        self.line = line
        self.source = source
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class InputError(MesorefsError):
    """A file or document that cannot be used: missing, unreadable, empty, unknown type."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ParseError(MesorefsError):
    """Free text that cannot be turned into a reference."""


class ResolveError(MesorefsError):
    """A metadata service could not answer a question."""

    def __init__(
        self, message: str, service: str | None = None, identifier: str | None = None
    ) -> None:
        self.service = service
        self.identifier = identifier
        prefix = f"{service}: " if service else ""
        suffix = f" ({identifier})" if identifier else ""
        super().__init__(f"{prefix}{message}{suffix}")


class NotFound(ResolveError):
    """The service has no record for the identifier or query."""


class RateLimited(ResolveError):
    """The service asked us to slow down."""

    def __init__(
        self,
        message: str,
        service: str | None = None,
        identifier: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, service, identifier)


class ServiceError(ResolveError):
    """The service answered with an error status or a body we cannot read."""

    def __init__(
        self,
        message: str,
        service: str | None = None,
        identifier: str | None = None,
        status: int | None = None,
    ) -> None:
        self.status = status
        super().__init__(message, service, identifier)


class NetworkError(ResolveError):
    """The service could not be reached (DNS, connection, timeout)."""


class OfflineMiss(ResolveError):
    """Offline mode was asked for and the answer is not in the cache."""


class RenderError(MesorefsError):
    """A bibliography or citation could not be rendered (unknown style, bad locale)."""
