"""A batch row of a reference string, decided on the snapshot alone, says what
``resolve_string`` says: the same status, DOI and score."""

from __future__ import annotations

from functools import partial

import pytest

from mesorefs.batch import work
from mesorefs.models import Reference
from mesorefs.resolve.resolver import Resolver
from mesorefs.settings import Settings
from snapshot.conftest import load


def _strings() -> list[str]:
    return [text for row in load("matching_strings.json") for text in row["strings"].values()]


def _resolved(resolver: Resolver, text: str) -> dict[str, object]:
    result = work._safely(Reference(), partial(resolver.resolve_string, text))
    return work._resolved_row("id", result)


def test_rows_agree_with_resolve_string(settings: Settings) -> None:
    """Every string of the matching set gets the row ``resolve_string`` would give, and
    some are matched and some not (so both kinds of row are compared)."""
    resolver = Resolver(settings)
    rows = [work._string_row("id", text, resolver) for text in _strings()]
    assert rows == [_resolved(resolver, text) for text in _strings()]
    assert {row["status"] for row in rows} >= {"matched", "abstained"}


@pytest.mark.parametrize(
    "text",
    [
        "Nothing like any record at all, 1999.",
        "zzzz qqqq",
        "   ",
    ],
    ids=["no-match", "no-word", "blank"],
)
def test_rows_without_a_match_agree(settings: Settings, text: str) -> None:
    """Strings that match nothing get the row ``resolve_string`` would give."""
    resolver = Resolver(settings)
    row = work._string_row("id", text, resolver)
    assert row == _resolved(resolver, text)
    assert row["status"] != "matched"


def test_an_unreadable_record_is_an_error_row(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the parser cannot read makes that string's row an error naming it."""
    resolver = Resolver(settings)
    assert resolver.snapshot is not None

    def broken(*_: object, **__: object) -> Reference:
        raise ValueError("bad date")

    for reader in ("parse_hit", "view_hit"):  # resolve_string's and the batch's
        monkeypatch.setattr(resolver.snapshot, reader, broken)
    text = _strings()[0]
    row = work._string_row("id", text, resolver)
    assert row["status"] == "error"
    assert row["error"] == "unusable record: bad date"
    assert row == _resolved(resolver, text)
