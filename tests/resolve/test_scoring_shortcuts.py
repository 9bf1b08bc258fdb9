"""The batch-speed shortcuts in scoring give the answers of the definitions they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.scoring import _candidate_numbers, _explained, _prepare, _unexplained
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
