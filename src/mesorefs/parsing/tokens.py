"""Split a reference string into tokens that remember where they came from.

Tokens are whitespace-delimited words, split further where fields often
touch without a space: after ``:`` and ``;``, before ``(`` and ``[``, after
``)`` and ``]``, and around the dashes that join a title to a Google Scholar
venue; a citation number glued to the first word (``1Polymer``), a journal
series letter glued to its volume (``Phys. Rev. D47``) and a volume glued to
the journal (``J. Cell Biol.32``, ``Proc. Zool. Soc. London72``) are cut off too,
and so are words glued by a comma (``Somorjai,Surf.``, ``A&A,557``), by a
period after a word (``Strings.JHEP``) or after ``and`` (``andM. R. Murray``),
and a period or comma stuck to the front of a word (``Stamatescu .Decoherence``).
Every token keeps its character span, so labels map back to the original
text without guessing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize"]

# A token is a run of non-space characters, cut after : ; ) ] and before ( [
# when more text follows inside the same whitespace word.  URLs and DOIs are
# kept whole.  The cuts look at most 40 characters into a word, so a word that is
# cut again and again costs linear, not quadratic, time.
_TOKEN = re.compile(
    r"""
    (?:https?://|www\.|doi:|10\.\d{4,9}/)[^\s]+   # URLs and DOIs stay whole
    | ^\d{1,3}(?=[A-Z][a-z])              # a citation number glued to the text: 1Polymer
    | (?<![^\s.])(?<!\d,\s)(?<!\),\s)[A-Z](?=\d{1,5}(?:[\s,.;:(]|$))  # series letter: B133
    | [^\s(\[:;)\]]{0,40}?\.(?=[A-Z]\d{1,5}(?:[\s,.;:(]|$))  # "Lett." of "Lett.B751"
    | [^\s(\[:;)\]]{0,40}?[A-Za-z]\.(?=\d{1,5}(?:[\s,.;:(]|$))  # "Biol." of "Biol.32"
    | (?<!\S)and(?=[A-Z]\.)                # "and" of "andM. R. Murray"
    | (?<!\S)[.,](?=[A-Z][A-Za-z])          # "." of "Stamatescu .Decoherence"
    | [^\s(\[:;)\],]{1,40},(?=[A-Z‘“"'])   # "Somorjai," of "Somorjai,Surf. Sci."
    | [^\s(\[:;)\],]{0,40}[A-Za-z],(?=\d)   # "A&A," of "A&A,557"
    | [^\s(\[:;)\],]{0,40}\d,(?=(?:1[5-9]|20)\d\d\b)  # "377-391," of "377-391,1993"
    | [^\s(\[:;)\]\d]{0,40}?[a-z]{3}(?=\d{1,4}(?:[\s,.;:(]|$))  # "London" of "London72"
    | [^\s(\[:;)\]]{0,40}?[a-z]{2}\.(?=[A-Z][A-Za-z])  # "Strings." of "Strings.JHEP"
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
