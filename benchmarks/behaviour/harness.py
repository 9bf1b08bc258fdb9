"""Run behavioural cases through ``check_claims`` with any verifier backend.

The verdicts of a text are those of its checkworthy claims, in order (the pipeline may
cut a sentence into more than one claim).  A test reads them as :func:`passes` says; a
case whose text gave no checkworthy claim is "not checked" and left out of the rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from behaviour.corpora import Source
from behaviour.suite import AUTHOR, TESTS, YEAR, Case
from mesorefs.claims import check_claims
from mesorefs.models import PartialDate, Person, Reference

__all__ = ["CONTRADICTING", "SUPPORTING", "Harness", "Result", "passes", "references"]

SUPPORTING = frozenset({"supported", "partly supported"})
CONTRADICTING = frozenset({"contradicted", "partly contradicted"})


def references(library: Sequence[Source], cited: int) -> list[Reference]:
    """The reference list: the cited source keyed ``src`` (by Smith, 2010), the rest ``refN``."""
    out = []
    for i, source in enumerate(library):
        own = i == cited
        out.append(
            Reference(
                key="src" if own else f"ref{i + 1}",
                title=source.title or None,
                abstract=source.text,
                authors=[Person(family=AUTHOR)] if own else [],
                issued=PartialDate(year=YEAR) if own else None,
            )
        )
    return out


@dataclass(frozen=True)
class Result:
    """A case's verdicts (``before``: of the original, for invariance) and the outcome."""

    case: Case
    before: tuple[str, ...]
    after: tuple[str, ...]
    passed: bool | None
    """None: the text gave no checkworthy claim (not checked)."""


def passes(test: str, before: tuple[str, ...], after: tuple[str, ...]) -> bool | None:
    """Whether verdicts ``after`` (and ``before``, for invariance) meet ``test``: an
    invariance test wants the same verdicts; ``own`` none contradicted; ``unrelated`` no
    side taken; a directional test no claim called supported as a whole."""
    kind = TESTS[test].kind
    if not after or (kind == "INV" and not before):
        return None
    if kind == "INV":
        return after == before
    if test == "own":
        return not any(v in CONTRADICTING for v in after)
    if test == "unrelated":
        return not any(v in SUPPORTING or v in CONTRADICTING for v in after)
    # DIR (negation, number): the claim as a whole is not supported; a part of it may be
    # ("X did not reduce Y in 2010, as measured by Z": the measuring is still true).
    return "supported" not in after


class Harness:
    """Checks texts against reference lists with one verifier; remembers every answer.

    ``verifier`` is what :func:`check_claims` takes (None: the shipped default);
    ``encoder`` likewise (None: the shipped encoder when it loads; False: BM25 only).
    """

    def __init__(self, verifier: Any = None, encoder: Any = None) -> None:
        self.verifier = verifier
        self.encoder = encoder
        self.engine = ""
        self.ranking = ""
        self.checks = 0
        self._memo: dict[tuple[str, str, tuple[str, ...], int], tuple[str, ...]] = {}

    def verdicts(
        self, text: str, fmt: str, library: Sequence[Source], cited: int
    ) -> tuple[str, ...]:
        """The verdicts of the checkworthy claims of ``text`` against ``library``."""
        key = (text, fmt, tuple(f"{s.corpus}:{s.id}" for s in library), cited)
        if key not in self._memo:
            report = check_claims(
                text,
                references(library, cited),
                verifier=self.verifier,
                encoder=self.encoder,
                format=fmt,  # type: ignore[arg-type]
            )
            self.checks += 1
            self.engine, self.ranking = report.engine, report.ranking
            self._memo[key] = tuple(c.verdict for c in report.claims if c.claim.checkworthy)
        return self._memo[key]

    def run(self, case: Case) -> Result:
        after = self.verdicts(case.variant, case.format, case.library, case.cited)
        before: tuple[str, ...] = ()
        if TESTS[case.test].kind == "INV":
            before = self.verdicts(case.original, case.format, case.library, case.cited)
        return Result(case, before, after, passes(case.test, before, after))
