"""The batch-speed shortcuts in scoring give the answers of the definitions they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.scoring import (
    _candidate_numbers,
    _explained,
    _prepare,
    _string_numbers,
    _unexplained,
    unexplained_numbers,
)
from mesorefs.resolve.similarity import normalize_text

_letters = "abcdeiklnorst"
_words = st.text(alphabet=_letters, min_size=1, max_size=9)
# Reference-like text: words, numbers, punctuation, an accent, a tag, a superscript.
_text = st.lists(
    st.one_of(_words, st.sampled_from(["1999", "12", "(3)", "pp.", "é", "<i>", "²", "½", "and"])),
    max_size=14,
).map(" ".join)


@given(text=_text, record=st.frozensets(_words, max_size=10), limit=st.sampled_from([None, 1, 3]))
def test_unexplained_counts_as_the_word_by_word_rule(
    text: str, record: frozenset[str], limit: int | None
) -> None:
    """Counting only the words that need explaining gives the count of every word."""
    joined = "".join(sorted(record))
    prepared = _prepare(text)
    every = sum(not _explained(t, record, joined) for t in prepared.tokens)
    expected = every if limit is None else min(every, limit)
    assert _unexplained(prepared, record, joined, limit) == expected


@given(pieces=st.lists(st.one_of(st.none(), _text), min_size=8, max_size=8))
def test_candidate_numbers_as_every_field_normalized(pieces: list[str | None]) -> None:
    """Skipping ASCII fields without a digit finds every number the fields print."""
    title, container, short, volume, issue, pages, number, publisher = pieces
    view = RecordView(
        title=title,
        container_title=container,
        container_title_short=short,
        volume=volume,
        issue=issue,
        pages=pages,
        number=number,
        publisher=publisher,
    )
    expected = {t for p in pieces if p for t in normalize_text(p).split() if t.isdigit()}
    assert _candidate_numbers(view) == frozenset(expected)


def _unexplained_numbers_by_rule(text: str, view: RecordView) -> list[str]:
    """Every rule of ``unexplained_numbers`` applied to every number (no early exit)."""
    known = _candidate_numbers(view)
    pages = [n for n in normalize_text(view.pages or "").split() if n.isdigit()]
    volume = normalize_text(view.volume or "")
    found = _string_numbers(text)
    numbers = [n for _, n in found]
    explained = [
        n in known
        or n.lstrip("0") in known
        or any(len(p) > len(n) and p.endswith(n) for p in pages)
        for n in numbers
    ]
    for i in range(len(found) - 1):
        if numbers[i] + numbers[i + 1] in known:
            explained[i] = explained[i + 1] = True
        elif (
            not view.issue
            and volume
            and numbers[i] == volume
            and found[i + 1][0] == found[i][0] + 1
        ):
            explained[i + 1] = True
    return [n for n, ok in zip(numbers, explained, strict=True) if not ok]


_numbers = st.lists(
    st.sampled_from(["12", "012", "3", "1999", "2000", "345", "45", "7"]), max_size=6
)


@given(
    text=st.tuples(_numbers, _text).map(lambda p: " ".join([p[1], *p[0]])),
    volume=st.sampled_from([None, "12", "3"]),
    issue=st.sampled_from([None, "3"]),
    pages=st.sampled_from([None, "345-349", "1345", "7"]),
    title=st.one_of(st.none(), _text),
)
def test_unexplained_numbers_as_every_rule(
    text: str, volume: str | None, issue: str | None, pages: str | None, title: str | None
) -> None:
    """Returning early when every number is the record's changes no answer."""
    view = RecordView(title=title, volume=volume, issue=issue, pages=pages)
    assert unexplained_numbers(text, view) == _unexplained_numbers_by_rule(text, view)
