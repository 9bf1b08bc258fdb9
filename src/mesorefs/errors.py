"""The whole exception tree of mesorefs.

::

    MesorefsError
     +-- InvalidIdentifier (also ValueError)
     +-- BibtexError        .line
     +-- InputError         .path, .line, .item  (a file we cannot read or use)
 +-- OutputError        .path  (also OSError: a file or stream we cannot write)
     +-- SettingsError      .setting, .source
     +-- ParseError
     +-- ResolveError       .service, .identifier
     |    +-- NotFound
     |    +-- RateLimited   .retry_after
     |    +-- ServiceError  .status
     |    +-- NetworkError  (__cause__ keeps the original)
     |    |    +-- DeadlineExceeded  (a request or the run took longer than allowed)
     |    +-- OfflineMiss   (offline mode, not in cache)
     +-- RenderError
     +-- VerifierError      (a stance backend that cannot be used or answered badly)

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
    """A file or document that cannot be used: missing, unreadable, empty, unknown type,
    or of the wrong shape; ``line`` and ``item`` say where when known."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        *,
        line: int | None = None,
        item: int | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.item = item
        where = path or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        if item is not None:
            message = f"item {item}: {message}"
        super().__init__(f"{where}: {message}" if where else message)


class SettingsError(MesorefsError):
    """A setting whose value cannot be used, with where it came from."""

    def __init__(self, message: str, setting: str | None = None, source: str | None = None) -> None:
        self.setting = setting
        self.source = source
        if setting:
            where = f"setting {setting}" + (f" (from {source})" if source else "")
        else:
            where = source or ""
        super().__init__(f"{where}: {message}" if where else message)


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


class DeadlineExceeded(NetworkError):
    """A request, or the whole run, took longer than its deadline."""


class OfflineMiss(ResolveError):
    """Offline mode was asked for and the answer is not in the cache."""


class RenderError(MesorefsError):
    """A bibliography or citation could not be rendered (unknown style, bad locale)."""


class VerifierError(MesorefsError):
    """A stance verifier backend that cannot be used: a bad ``--verifier`` spec, a model
    that cannot be loaded, or an answer that cannot be read."""


class OutputError(MesorefsError, OSError):
    """A file or standard output that cannot be written: closed, full, not permitted, or
    not something a bibliography can be written to (a folder); ``path`` names it.  Also
    an OSError, as the failed write underneath it was."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
