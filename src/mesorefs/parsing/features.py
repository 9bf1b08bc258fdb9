"""Token features for the reference-string sequence labeller.

Each token becomes a list of ``name=value`` strings (python-crfsuite's
cheapest input form): the word, its shape, affixes, punctuation around it,
flags for years, pages, initials, quotes, identifiers, where it sits in the
string, and the same for its neighbours.  On top of that:

* word classes from a lexicon counted on the training pools (``lex=cont`` for
  journal-name words, ``fam``/``giv``/``auth`` for names, ``pub``, ``loc``,
  ``title``; ``lex=none`` for unseen words);
* ``inquote`` for tokens between an opening and a closing quote;
* ``yseg=k``: how many sentence ends lie between the year and the token;
* per sentence-like segment: its length, share of capitalised words, whether
  most of its words are journal or title words, whether it holds digits.

Pure functions, linear in the number of tokens.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from mesorefs.months import ENGLISH_WORDS, SEASONS
from mesorefs.parsing.tokens import Token

__all__ = ["LEXICON_NAME", "load_lexicon", "sequence_features", "set_lexicon", "token_shape"]

LEXICON_NAME = "refparse.lex.gz"
"""Word classes learnt from the training pools only (``training/train_parser.py``)."""

_lexicon: Mapping[str, tuple[str, ...]] | None = None


def load_lexicon(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Read a lexicon file: one ``word<TAB>class,class`` line per word (gzip)."""
    if path is None:
        resource = resources.files("mesorefs.parsing") / "data" / LEXICON_NAME
        if not resource.is_file():
            return {}
        raw = resource.read_bytes()
    else:
        raw = path.read_bytes()
    out: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word, _, classes = line.partition("\t")
        if word and classes:
            out[word] = tuple("lex=" + c for c in classes.split(","))
    return out


def set_lexicon(lexicon: Mapping[str, tuple[str, ...]] | None) -> None:
    """Use ``lexicon`` (``None``: the shipped one) from now on; clears the feature cache."""
    global _lexicon
    _lexicon = lexicon
    _token_features.cache_clear()
    _context.cache_clear()


def _lex() -> Mapping[str, tuple[str, ...]]:
    global _lexicon
    if _lexicon is None:
        _lexicon = load_lexicon()
    return _lexicon


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
_MONTHS = ENGLISH_WORDS | frozenset(SEASONS)
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
    if "<" in text and ">" in text:
        feats.append("markup")
    if word and word[-1:].isalpha() and text.endswith(".") and len(word) <= 5 and word[0].isupper():
        feats.append("abbrev")
    classes = _lex().get(lower)
    if classes:
        feats.extend(classes)
    elif word.isalpha() and len(word) > 1:
        feats.append("lex=none")
    return tuple(feats)


_OPEN_QUOTES = '"“‘«„'
_CLOSE_QUOTES = '"”’»“'
FEATURE_GROUPS = frozenset({"lex", "quotes", "yearseg", "segment"})
"""Feature groups on top of the base set; the shipped model was trained with these."""
_groups = FEATURE_GROUPS


def set_feature_groups(groups: frozenset[str] | None) -> None:
    """Training experiments only: switch groups on or off (``None``: the shipped set)."""
    global _groups
    _groups = FEATURE_GROUPS if groups is None else groups
    _token_features.cache_clear()
    _context.cache_clear()


@lru_cache(maxsize=131072)
def _context(text: str, off: int, lex: bool) -> tuple[str, ...]:
    """What a token at offset ``off`` tells its neighbour: word, shape, last char, classes."""
    own = _token_features(text)
    out = [f"{off}:{own[0]}", f"{off}:{own[1]}", f"{off}:last={own[7]}"]
    if lex and off in (-1, 1):
        out.extend(f"{off}:{c}" for c in own if c.startswith("lex="))
    return tuple(out)


def _segments(tokens: Sequence[Token], ends: list[bool]) -> list[int]:
    """Segment index of every token: a segment closes after a sentence end."""
    seg, k = [], 0
    for i in range(len(tokens)):
        seg.append(k)
        if ends[i]:
            k += 1
    return seg


def sequence_features(tokens: Sequence[Token]) -> list[list[str]]:
    """Feature lists for every token, with a ±2 window and position information."""
    n = len(tokens)
    groups = _groups
    own = [_token_features(t.text) for t in tokens]
    if "lex" not in groups:
        own = [tuple(f for f in o if not f.startswith("lex=")) for o in own]
    words = [f[0] for f in own]
    lex = "lex" in groups
    # How many sentence ends ("Title. ", "?") come before and after each token:
    # the container is usually the last segment before the numbers.
    ends = [t.text[-1] in ".?!" and len(t.text) > 2 for t in tokens]
    after = [0] * n
    running = 0
    for i in range(n - 1, -1, -1):
        after[i] = running
        if ends[i]:
            running += 1
    # Quotes: tokens between an opening and a closing quote are (nearly always) a title.
    inside = [False] * n
    if "quotes" in groups:
        open_at = -1
        for i, t in enumerate(tokens):
            text = t.text
            if open_at < 0 and text[0] in _OPEN_QUOTES and len(text) > 1:
                open_at = i
            if open_at >= 0:
                inside[i] = True
                core = text.rstrip(".,;:)")
                if (core and core[-1] in _CLOSE_QUOTES and (i > open_at or len(core) > 2)) or (
                    i - open_at > 60
                ):
                    open_at = -1
    # Where the year is, and which segment each token is in, relative to it.
    seg = _segments(tokens, ends)
    year_at = next((i for i, o in enumerate(own) if "year" in o), -1)
    seg_words: dict[int, list[int]] = {}
    if "segment" in groups:
        for i in range(n):
            seg_words.setdefault(seg[i], []).append(i)
    seg_info: dict[int, tuple[str, ...]] = {}
    for k, members in seg_words.items():
        alpha = [i for i in members if words[i][2:].isalpha()]
        caps = sum(1 for i in alpha if "cap" in own[i])
        conts = sum(1 for i in alpha if "lex=cont" in own[i])
        titles = sum(1 for i in alpha if "lex=title" in own[i])
        digits = sum(1 for i in members if any(ch.isdigit() for ch in tokens[i].text))
        info = ["seglen=" + str(min(len(members), 12) // 3)]
        if alpha:
            info.append("segcap=" + str(4 * caps // len(alpha)))
            if conts * 2 > len(alpha):
                info.append("segcont")
            if titles * 2 > len(alpha):
                info.append("segtitle")
        if digits:
            info.append("segdigits")
        seg_info[k] = tuple(info)
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
        if inside[i]:
            feats.append("inquote")
        if "yearseg" in groups and year_at >= 0:
            feats.append("yseg=" + str(max(-3, min(seg[i] - seg[year_at], 3))))
        if seg_info:
            feats.extend(seg_info[seg[i]])
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                feats.extend(_context(tokens[j].text, off, lex))
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
