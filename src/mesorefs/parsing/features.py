"""Token features for the reference-string sequence labeller.

Each token becomes a list of ``name=value`` strings (python-crfsuite's
cheapest input form): the word, its shape, affixes, punctuation around it,
flags for years, pages, initials, quotes, identifiers, where it sits in the
string, and the same for its neighbours.  Pure functions, linear in the
number of tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from mesorefs.parsing.tokens import Token

__all__ = ["sequence_features", "token_shape"]

_STRIP = re.compile(r"^[^\w]+|[^\w]+$")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)[a-z]?$")
_RANGE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?\s*[-–—‐‑]+\s*[A-Za-z]?\d+[A-Za-z]?$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|e|er|ème|\.)$", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$|^[A-Z][a-z]?\.$")
_SHAPE_SUBS = (
    (re.compile(r"[A-Z\u00C0-\u00DE]"), "X"),
    (re.compile(r"[a-z\u00DF-\u00FF]"), "x"),
    (re.compile(r"\d"), "d"),
)
_COLLAPSE = re.compile(r"(.)\1+")
_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
    ]
)
_KEYWORDS = {
    "in": "in",
    "eds": "ed",
    "ed": "ed",
    "editor": "ed",
    "editors": "ed",
    "hrsg": "ed",
    "edited": "ed",
    "vol": "vol",
    "volume": "vol",
    "bd": "vol",
    "no": "no",
    "nr": "no",
    "issue": "no",
    "pp": "pp",
    "p": "pp",
    "pages": "pp",
    "s": "pp",
    "et": "et",
    "al": "al",
    "and": "and",
    "und": "and",
    "et al": "al",
    "press": "pub",
    "university": "pub",
    "publisher": "pub",
    "publishers": "pub",
    "verlag": "pub",
    "books": "pub",
    "inc": "pub",
    "ltd": "pub",
    "proceedings": "proc",
    "proc": "proc",
    "conference": "proc",
    "symposium": "proc",
    "workshop": "proc",
    "journal": "jour",
    "j": "jour",
    "review": "jour",
    "rev": "jour",
    "transactions": "jour",
    "trans": "jour",
    "letters": "jour",
    "lett": "jour",
    "phys": "jour",
    "thesis": "genre",
    "dissertation": "genre",
    "phd": "genre",
    "report": "genre",
    "retrieved": "url",
    "available": "url",
    "accessed": "url",
    "doi": "doi",
    "arxiv": "arxiv",
    "edn": "edn",
    "edition": "edn",
    "ed.": "edn",
    "trans.": "trans",
    "translated": "trans",
    "by": "by",
    "isbn": "isbn",
    "http": "url",
    "https": "url",
    "www": "url",
}


def token_shape(text: str) -> str:
    """Compressed character classes: ``Nature,`` -> ``Xx,``; ``1993`` -> ``d``."""
    shape = text
    for pattern, sub in _SHAPE_SUBS:
        shape = pattern.sub(sub, shape)
    return _COLLAPSE.sub(r"\1", shape)


@lru_cache(maxsize=65536)
def _token_features(text: str) -> tuple[str, ...]:
    word = _STRIP.sub("", text)
    lower = word.lower()
    feats = [
        "w=" + lower,
        "sh=" + token_shape(text[:12]),
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "s2=" + lower[-2:],
        "s3=" + lower[-3:],
        "first=" + (text[0] if not text[0].isalnum() else "a"),
        "last=" + (text[-1] if not text[-1].isalnum() else "a"),
        "len=" + str(min(len(word), 8)),
    ]
    if word:
        if word[0].isupper():
            feats.append("cap")
        if word.isupper() and len(word) > 1:
            feats.append("allcaps")
        if word.isdigit():
            feats.append("digits=" + str(min(len(word), 5)))
    if _YEAR.match(word):
        feats.append("year")
    if _RANGE.match(word):
        feats.append("range")
    if _ORDINAL.match(text):
        feats.append("ordinal")
    if _ROMAN.match(word) and len(word) < 6:
        feats.append("roman")
    if _INITIALS.match(text.rstrip(",;:")):
        feats.append("initial")
    if lower in _MONTHS:
        feats.append("month")
    key = _KEYWORDS.get(lower)
    if key:
        feats.append("kw=" + key)
    if text[0] in "\"“‘«'" or text[-1] in "\"”’»'" or text[-2:] in ('",', ".”", "”,", '."'):
        feats.append("quote")
    if text[0] == "(" or text[-1] == ")" or text[-2:-1] == ")":
        feats.append("paren")
    if "://" in text or lower.startswith("www"):
        feats.append("url")
    if "10." in text and "/" in text:
        feats.append("doi")
    if "@" in text:
        feats.append("email")
    return tuple(feats)


def sequence_features(tokens: Sequence[Token]) -> list[list[str]]:
    """Feature lists for every token, with a ±2 window and position information."""
    n = len(tokens)
    own = [_token_features(t.text) for t in tokens]
    words = [f[0] for f in own]
    shapes = [f[1] for f in own]
    lasts = [f[7] for f in own]
    # How many sentence ends ("Title. ", "?") come before and after each token:
    # the container is usually the last segment before the numbers.
    ends = [t.text[-1] in ".?!" and len(t.text) > 2 for t in tokens]
    after = [0] * n
    running = 0
    for i in range(n - 1, -1, -1):
        after[i] = running
        if ends[i]:
            running += 1
    before = 0
    out: list[list[str]] = []
    seen_year = False
    seen_quote = False
    for i in range(n):
        feats = list(own[i])
        feats.append("pos=" + str(min(i, 6)))
        feats.append("rpos=" + str(10 * i // n))
        feats.append("rend=" + str(min(n - 1 - i, 4)))
        feats.append("seg=" + str(min(before, 4)))
        feats.append("segleft=" + str(min(after[i], 4)))
        if seen_year:
            feats.append("after_year")
        if seen_quote:
            feats.append("after_quote")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                feats.append(f"{off}:{words[j]}")
                feats.append(f"{off}:{shapes[j]}")
                feats.append(f"{off}:last={lasts[j]}")
            else:
                feats.append(f"{off}:edge")
        if i > 0:
            feats.append(f"bi={words[i - 1]}|{words[i]}")
        if "year" in own[i]:
            seen_year = True
        if "quote" in own[i]:
            seen_quote = True
        if ends[i]:
            before += 1
        out.append(feats)
    return out
