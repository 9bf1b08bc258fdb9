"""The registry of checks: each has a stable id (``MR301``), a name, a severity.

Ids are grouped by hundreds, and never reused::

    MR1xx  the .bib as a file: keys, duplicates, braces, LaTeX
    MR2xx  identifiers: syntax, presence, and (online) whether they name this work
    MR3xx  fields: truncated, missing, implausible, inconsistent
    MR4xx  the work's status: retracted, corrected, preprint published
    MR5xx  the bibliography against the document that cites it

A check is a function decorated with :func:`register`; it reads a
:class:`~mesorefs.lint.context.LintContext` and yields :class:`Report` objects, which
the registry turns into :class:`~mesorefs.lint.model.Finding` objects carrying the
check's id, name, severity and the location of the entry and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from mesorefs.errors import InputError
from mesorefs.lint.context import LintContext
from mesorefs.lint.model import SEVERITIES, CheckInfo, Finding, Report, Severity

__all__ = ["Check", "FunctionCheck", "Report", "all_checks", "get_check", "register", "selected"]


class Check(CheckInfo, Protocol):
    """What lint needs of a check: its id, name and severity, and these."""

    @property
    def online(self) -> bool:
        """True when the check needs a resolver (it is skipped without one)."""
        ...

    @property
    def summary(self) -> str: ...
    def run(self, context: LintContext) -> Iterable[Finding]: ...


@dataclass(frozen=True)
class FunctionCheck:
    """A check made from a function that yields :class:`Report` objects."""

    id: str
    name: str
    severity: Severity
    online: bool
    summary: str
    function: Callable[[LintContext], Iterable[Report]]

    def run(self, context: LintContext) -> Iterator[Finding]:
        for report in self.function(context):
            yield context.finding(self, report)


_CHECKS: dict[str, FunctionCheck] = {}


def register(
    id: str, name: str, severity: Severity, *, online: bool = False
) -> Callable[[Callable[[LintContext], Iterable[Report]]], FunctionCheck]:
    """Register the decorated function as a check; its docstring's first line is the summary."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def decorate(function: Callable[[LintContext], Iterable[Report]]) -> FunctionCheck:
        if id in _CHECKS or any(c.name == name for c in _CHECKS.values()):
            raise ValueError(f"check {id} ({name}) is registered twice")
        summary = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else name
        check = FunctionCheck(id, name, severity, online, summary, function)
        _CHECKS[id] = check
        return check

    return decorate


def all_checks() -> list[FunctionCheck]:
    """Every registered check, by id."""
    return [_CHECKS[k] for k in sorted(_CHECKS)]


def get_check(id_or_name: str) -> FunctionCheck:
    """The check with this id (``MR301``) or name (``truncated-field``)."""
    wanted = id_or_name.strip()
    for check in _CHECKS.values():
        if wanted.upper() == check.id or wanted.lower() == check.name:
            return check
    raise InputError(f"unknown lint check {id_or_name!r} (see `mesorefs lint --list`)")


def _matching(pattern: str) -> set[str]:
    """Ids a --select/--ignore word names: an id, a name, or an id prefix (``MR3``)."""
    word = pattern.strip()
    if not word:
        return set()
    if word.upper() == "ALL":
        return set(_CHECKS)
    ids = {c.id for c in _CHECKS.values() if c.id.startswith(word.upper())}
    ids |= {c.id for c in _CHECKS.values() if c.name == word.lower()}
    if not ids:
        raise InputError(f"unknown lint check {pattern!r} (see `mesorefs lint --list`)")
    return ids


def selected(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[FunctionCheck]:
    """The checks ``--select`` (default: all) minus ``--ignore`` names, by id.

    Each word is an id (``MR301``), a name (``truncated-field``), an id prefix (``MR3``)
    or ``ALL``; an unknown word raises :class:`~mesorefs.errors.InputError`.
    """
    chosen = set(_CHECKS)
    if select is not None:
        chosen = set().union(*(_matching(w) for w in select)) if select else set()
    for word in ignore or ():
        chosen -= _matching(word)
    return [_CHECKS[k] for k in sorted(chosen)]
