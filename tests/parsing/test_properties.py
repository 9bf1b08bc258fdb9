"""Property tests: the parser never crashes and stays inside its input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mesorefs.errors import ParseError
from mesorefs.parsing import label_reference, parse_reference, parse_references
from mesorefs.parsing.sections import split_entries
from mesorefs.parsing.tokens import tokenize

_WORDS = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .,;:()[]–-&“”\"'…/\n")), min_size=0, max_size=200
)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_tokens_cover_non_space_text(text: str) -> None:
    """Tokens are in order, in bounds, and reproduce every non-space character."""
    tokens = tokenize(text)
    last = 0
    for tok in tokens:
        assert last <= tok.start < tok.end <= len(text)
        assert text[tok.start : tok.end] == tok.text
        last = tok.end
    assert "".join(t.text for t in tokens) == "".join(text.split())


@given(st.one_of(st.text(max_size=300), _WORDS))
@settings(max_examples=150, deadline=None)
def test_parse_reference_never_crashes(text: str) -> None:
    """Any text gives a Reference or a ParseError, and title/container come from the input."""
    try:
        ref = parse_reference(text)
    except ParseError:
        return
    squashed = _squash(text)
    for value in (ref.title, ref.container_title, ref.volume):
        if value:
            assert _squash(value) in squashed


@given(_WORDS)
@settings(max_examples=100, deadline=None)
def test_spans_within_bounds(text: str) -> None:
    """Labelled spans never leave the cleaned input."""
    try:
        labelled = label_reference(text)
    except ParseError:
        return
    for span in labelled.spans:
        assert 0 <= span.start < span.end <= len(labelled.text)


@given(st.text(max_size=500))
@settings(max_examples=100, deadline=None)
def test_block_functions_never_crash(text: str) -> None:
    """split_entries and parse_references accept any text."""
    entries = split_entries(text)
    assert all(e == e.strip() and e for e in entries)
    assert len(parse_references(text)) <= max(len(entries), 0)
