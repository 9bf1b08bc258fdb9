"""Strings matched together, stage by stage, get the rows each gets alone, in order, and
one string's failure stays in its own row."""

from __future__ import annotations

import pytest

from mesorefs.batch import work
from mesorefs.errors import ServiceError
from mesorefs.resolve.resolver import Resolver
from mesorefs.resolve.snapshot_match import choose_in_snapshot, choose_many_in_snapshot
from mesorefs.settings import Settings
from mesorefs.snapshot.catalogue import Snapshot
from mesorefs.snapshot.index import Hit
from snapshot.conftest import load


def _strings() -> list[str]:
    texts = [text for row in load("matching_strings.json") for text in row["strings"].values()]
    return [*texts, "Nothing like any record at all, 1999.", "zzzz qqqq"]


def _snapshot(resolver: Resolver) -> Snapshot:
    assert resolver.snapshot is not None
    return resolver.snapshot


def test_choices_together_are_the_choices_alone(settings: Settings) -> None:
    """Each string's choice made in a batch holds the candidates, scores, index and
    reason of its choice made alone; some strings are matched and some not."""
    resolver = Resolver(settings)
    snapshot, threshold = _snapshot(resolver), resolver.string_threshold
    together = choose_many_in_snapshot(snapshot, _strings(), threshold, snapshot.view_hit)
    alone = [choose_in_snapshot(snapshot, t, threshold, snapshot.view_hit) for t in _strings()]
    assert together == alone
    assert {c.ok for c in alone} == {True, False}


def test_rows_in_chunks_are_the_rows_alone(settings: Settings) -> None:
    """The rows of items taken in chunks (a bad line and a blank string among them)
    equal the rows of each taken alone, in the items' order."""
    resolver = Resolver(settings)
    items: list[tuple[str, str | None, str | None]] = [
        (f"id{n}", text, None) for n, text in enumerate(_strings())
    ]
    items[3] = ("bad", None, "not JSON: oops")
    items[7] = ("blank", "   ", None)
    rows = list(work._chunk_rows(items, resolver))
    alone = [
        work._string_row(i, t, resolver)
        if t is not None
        else work._row(i, "reference", "error", error=p)
        for i, t, p in items
    ]
    assert rows == alone
    assert [row["input_id"] for row in rows] == [i for i, _, _ in items]


@pytest.mark.parametrize(
    ("stage", "error", "message"),
    [
        ("lookup_hits", ServiceError("index unreadable", "snapshot"), "snapshot: index unreadable"),
        ("search_hits", ValueError("bad date"), "unusable record: bad date"),
        ("search_hits", KeyError("raw"), "KeyError: 'raw'"),
    ],
    ids=["lookup-mesorefs-error", "search-value-error", "search-other-error"],
)
def test_one_failing_string_is_one_error_row(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
    error: Exception,
    message: str,
) -> None:
    """A string whose lookup or search fails gets an error row naming the failure (as
    alone), and the strings around it get their own rows."""
    resolver = Resolver(settings)
    snapshot = _snapshot(resolver)
    texts = ["Nothing like any record at all, 1999.", *_strings()[:4]]
    expected = [work._string_row(f"id{n}", t, resolver) for n, t in enumerate(texts)]
    original = getattr(snapshot, stage)

    def failing(text: str, *args: object, **kwargs: object) -> list[Hit]:
        if text == texts[0]:
            raise error
        result: list[Hit] = original(text, *args, **kwargs)
        return result

    monkeypatch.setattr(snapshot, stage, failing)
    items: list[tuple[str, str | None, str | None]] = [
        (f"id{n}", t, None) for n, t in enumerate(texts)
    ]
    rows = list(work._chunk_rows(items, resolver))
    assert rows[0]["status"] == "error"
    assert rows[0]["error"] == message
    assert rows[1:] == expected[1:]
