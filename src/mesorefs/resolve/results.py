"""What resolving one reference gives: its status, the candidates, the merged reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from mesorefs.errors import ResolveError
from mesorefs.models import Reference
from mesorefs.resolve.merge import Change, Conflict
from mesorefs.resolve.scoring import MatchScore

if TYPE_CHECKING:
    pass

__all__ = ["Candidate", "ResolveResult", "Status", "bibliographic_query"]


Status = Literal["matched", "abstained", "mismatch", "not_found", "error"]


@dataclass(frozen=True)
class Candidate:
    """A record a service offered, with how well it fits."""

    reference: Reference
    score: float
    source: str
    detail: MatchScore | None = None


@dataclass(frozen=True)
class ResolveResult:
    """The outcome of resolving one reference.

    ``reference`` is the merged reference when ``status`` is ``matched`` and the input,
    untouched, otherwise.  ``notes`` says what happened beyond the match itself, e.g. why
    PubMed added nothing; a failed enrichment is also appended to ``reason``.
    """

    reference: Reference
    status: Status
    score: float | None = None
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    source: str | None = None
    error: ResolveError | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The error without the stack it was raised through: its frames hold every local
        # of the lookup (requests, responses) for as long as the result lives, and a
        # batch keeps a result per entry (memory, and the garbage collector's rescans).
        seen: set[int] = set()
        error: BaseException | None = self.error
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            error.__traceback__ = None
            error = error.__cause__ or error.__context__

    @property
    def ok(self) -> bool:
        return self.status == "matched"

    def to_dict(self) -> dict[str, object]:
        """The result as ``mesorefs resolve --json`` reports it (docs/cli-json.md)."""
        return {
            "key": self.reference.key,
            "status": self.status,
            "score": self.score,
            "source": self.source,
            "reason": self.reason,
            "changes": [
                {"field": c.field, "new": str(c.new), "source": c.source, "action": c.action}
                for c in self.changes
            ],
            "conflicts": [str(c) for c in self.conflicts],
            "notes": list(self.notes),
        }


def bibliographic_query(ref: Reference) -> str:
    """The text we send to a bibliographic search for ``ref`` (truncated parts left out)."""
    parts: list[str] = []
    people = ref.authors or ref.editors
    parts.extend(p.sort_name for p in people[:4])
    if ref.title:
        parts.append(ref.title)
    container = ref.container_title or ref.container_title_short
    if container and "container_title" not in ref.truncated:
        parts.append(container)
    if ref.year is not None:
        parts.append(str(ref.year))
    for value in (ref.volume, ref.issue, ref.pages):
        if value:
            parts.append(value)
    return " ".join(parts).strip()


def _withheld_notes(source: str, withheld: Sequence[str]) -> list[str]:
    return [f"{source}'s {item} is not a valid identifier; not attached" for item in withheld]


def _noted(result: ResolveResult, note: str, failure: bool = False) -> ResolveResult:
    """``result`` with ``note`` added (to ``reason`` too when something went wrong)."""
    reason = f"{result.reason}; {note}" if failure and result.reason else result.reason
    if failure and not reason:
        reason = note
    return replace(result, reason=reason, notes=[*result.notes, note])
