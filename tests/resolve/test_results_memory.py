"""A result keeps its error, not the stack it was raised through (resolve/results.py):
a batch keeps one result per entry, and the frames would keep every lookup's locals."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import NotFound, OfflineMiss, ResolveError
from mesorefs.models import Person, Reference
from mesorefs.resolve import Resolver, ResolveResult
from mesorefs.settings import Settings


def _raised(error: ResolveError) -> ResolveError:
    try:
        raise error
    except ResolveError as caught:
        return caught


def _chained() -> ResolveError:
    try:
        try:
            raise ValueError("unreadable record")
        except ValueError as inner:
            raise NotFound("no such work", "crossref", "10.1/x") from inner
    except ResolveError as caught:
        return caught


@pytest.mark.parametrize(
    "make",
    [lambda: _raised(OfflineMiss("offline and not in the cache", "crossref", "x")), _chained],
    ids=["raised", "chained"],
)
def test_a_result_drops_the_errors_stack(make: object) -> None:
    """The error a result holds, and every error it was raised from, carry no traceback;
    the message stays."""
    error = make()  # type: ignore[operator]
    assert error.__traceback__ is not None
    result = ResolveResult(Reference(title="A title"), "error", reason=str(error), error=error)
    chain: list[BaseException] = []
    current: BaseException | None = result.error
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    assert chain and all(e.__traceback__ is None for e in chain)
    assert str(result.error) == result.reason


def test_offline_batch_results_keep_no_frames(tmp_path: Path) -> None:
    """resolve_many offline: every miss is an error result whose error holds no frames."""
    settings = Settings.load(env={}, cache_dir=tmp_path / "cache", offline=True)
    refs = [
        Reference(key=f"k{n}", title=f"Mesotherapy trial {n}", authors=[Person(family="Doe")])
        for n in range(5)
    ]
    with Resolver(settings) as resolver:
        results = resolver.resolve_many(refs)
    assert [r.status for r in results] == ["error"] * 5
    assert all(r.error is not None and r.error.__traceback__ is None for r in results)
