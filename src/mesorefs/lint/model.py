"""What lint reports: findings, their fixes, and the changes a fix made. Pure data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = [
    "SEVERITIES",
    "Change",
    "CheckInfo",
    "Finding",
    "Fix",
    "Report",
    "Severity",
    "at_or_above",
    "exit_code",
    "severity_rank",
]

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
"""Severities from the least to the most serious (``--fail-on`` compares by position)."""


def severity_rank(severity: str) -> int:
    """The position of ``severity`` in :data:`SEVERITIES`; ValueError for an unknown one."""
    try:
        return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]
    except ValueError:
        raise ValueError(
            f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}"
        ) from None


def at_or_above(findings: Iterable[Finding], severity: str) -> list[Finding]:
    """The findings whose severity is ``severity`` or more serious."""
    floor = severity_rank(severity)
    return [f for f in findings if severity_rank(f.severity) >= floor]


def exit_code(findings: Iterable[Finding], fail_on: str = "error") -> int:
    """1 when any finding is at or above ``fail_on``, else 0 (what ``--fail-on`` means)."""
    return 1 if at_or_above(findings, fail_on) else 0


@dataclass(frozen=True)
class Fix:
    """An automatic repair that is safe to apply without asking.

    ``set`` gives new values of string fields of one entry (``None`` empties the field);
    ``remove`` drops the whole entry (an exact duplicate).  ``description`` says what the
    fix does, in words a user can check.
    """

    description: str
    set: tuple[tuple[str, str | None], ...] = ()
    remove: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": self.description}
        if self.set:
            out["set"] = {name: value for name, value in self.set}
        if self.remove:
            out["remove"] = True
        return out


@dataclass(frozen=True)
class Finding:
    """One problem: which check saw it, how serious it is, where it is and what to do.

    ``field`` uses mesorefs' field names (``container_title``, ``authors``, ``doi``...);
    ``line`` is 1-based in ``file`` (the .bib, or the document for document checks);
    ``item`` is the position of the entry in ``Library.items`` (how fixes find it again).
    """

    check: str
    name: str
    severity: Severity
    message: str
    key: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None
    item: int | None = None
    fix: Fix | None = None

    @property
    def location(self) -> str:
        """``file:line`` (or what is known of it), for humans."""
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return where

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "field": self.field,
            "fix": self.fix.to_dict() if self.fix else None,
        }
        return out


@dataclass(frozen=True)
class Change:
    """What :func:`~mesorefs.lint.apply_fixes` did to one field (or entry)."""

    check: str
    key: str | None
    field: str | None
    old: str | None
    new: str | None
    description: str
    item: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "key": self.key,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "description": self.description,
        }

    def __str__(self) -> str:
        who = self.key or (f"entry {self.item + 1}" if self.item is not None else "entry")
        if self.field is None:
            return f"{who}: {self.description} [{self.check}]"
        return f"{who}: {self.field}: {self.old!r} -> {self.new!r} [{self.check}]"


class CheckInfo(Protocol):
    """What a finding takes from the check that made it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...


@dataclass(frozen=True)
class Report:
    """What a check saw; the registry adds id, name and location.

    ``item`` is the position of the entry in ``Library.items`` (None for findings about
    the document); ``line``/``file``/``key`` override what the item's location gives.
    """

    message: str
    item: int | None = None
    field: str | None = None
    fix: Fix | None = None
    severity: Severity | None = None
    line: int | None = None
    file: str | None = None
    key: str | None = None
