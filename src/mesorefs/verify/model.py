"""What verify says about one entry, and about a bibliography (plain data)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from mesorefs.models import Reference
from mesorefs.verify.compare import FieldDifference

__all__ = [
    "EXIT_CONFIRMED",
    "EXIT_FOUND",
    "EXIT_UNCHECKED",
    "OUTCOMES",
    "EntryResult",
    "Outcome",
    "VerifyReport",
    "exit_code",
]

Outcome = Literal["confirmed", "mismatch", "not-found", "unchecked"]
OUTCOMES: tuple[Outcome, ...] = ("confirmed", "mismatch", "not-found", "unchecked")

EXIT_CONFIRMED = 0
"""Every entry confirmed."""
EXIT_FOUND = 1
"""Some entry is described wrongly or was not found (whatever else happened)."""
EXIT_UNCHECKED = 3
"""No entry accused, but some could not be checked (a lookup failed).  2 stays the
command line's code for a usage or input error."""


@dataclass(frozen=True)
class EntryResult:
    """The one outcome of one entry, with its evidence.

    * ``confirmed``: ``record`` is the work, found ``via`` its DOI, PMID, arXiv id or a
      search, at ``source``; no field disagrees.
    * ``mismatch``: ``record`` is the work, and ``differences`` lists each field the
      entry describes wrongly (an identifier that names another work included).
    * ``not-found``: no record of the work where it looked (``searched``); ``closest``
      is the nearest candidate seen, if any.
    * ``unchecked``: a lookup failed (``reason``); never counted as confirmed.
    """

    entry: Reference
    outcome: Outcome
    via: str | None = None
    source: str | None = None
    record: Reference | None = None
    differences: list[FieldDifference] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)
    closest: Reference | None = None
    reason: str = ""
    file: str | None = None
    line: int | None = None
    index: int = 0
    """The entry's position among the file's references (0-based)."""

    @property
    def key(self) -> str:
        return self.entry.key or f"entry {self.index + 1}"


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of every entry of one or more files, in file order."""

    results: list[EntryResult]

    def counts(self) -> dict[str, int]:
        """How many entries had each outcome (every outcome present)."""
        seen = Counter(r.outcome for r in self.results)
        return {outcome: seen.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def exit_code(self) -> int:
        """0 all confirmed; 1 a mismatch or an entry not found; 3 only unchecked ones."""
        return exit_code(self.results)


def exit_code(results: Sequence[EntryResult]) -> int:
    """The exit code a CI step gates on (see :data:`EXIT_FOUND`, :data:`EXIT_UNCHECKED`)."""
    outcomes = {r.outcome for r in results}
    if outcomes & {"mismatch", "not-found"}:
        return EXIT_FOUND
    if "unchecked" in outcomes:
        return EXIT_UNCHECKED
    return EXIT_CONFIRMED
