"""Split a reference string into tokens that remember where they came from.

Tokens are whitespace-delimited words, split further where fields often
touch without a space: after ``:`` and ``;``, before ``(`` and ``[``, after
``)`` and ``]``, and around the dashes that join a title to a Google Scholar
venue.  Every token keeps its character span, so labels map back to the
original text without guessing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize"]

# A token is a run of non-space characters, cut after : ; ) ] and before ( [
# when more text follows inside the same whitespace word.  URLs and DOIs are
# kept whole.
_TOKEN = re.compile(
    r"""
    (?:https?://|www\.|doi:|10\.\d{4,9}/)[^\s]+   # URLs and DOIs stay whole
    | [(\[][^\s()\[\]]*[)\]]?[,.;:]*      # a bracketed group: (2005). [12]
    | [^\s(\[:;)\]]+[:;)\]]*             # a word with what closes it
    | [:;)\]]+                           # stray closers
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    """One token: its text and its ``[start, end)`` span in the input."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with spans; linear in the length of ``text``."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
