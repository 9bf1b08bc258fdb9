"""How alike two titles, containers and author lists are (pure, normalized text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from mesorefs.models import Person

__all__ = [
    "STOP_WORDS",
    "author_similarity",
    "container_similarity",
    "content_tokens",
    "first_page",
    "normalize_text",
    "person_keys",
    "ratio",
    "surname_key",
    "title_similarity",
]


STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "of",
        "the",
        "for",
        "in",
        "on",
        "at",
        "to",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "et",
        "und",
        "der",
        "die",
        "das",
        "fur",
        "&",
        "y",
        "e",
    ]
)
_TAG = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match[str]) -> str:
    """A run of non-ASCII characters without its combining marks (ASCII has none)."""
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Lower case, accents and markup removed, every non-word character a space."""
    text = _TAG.sub(" ", text).casefold()  # before decomposing: "ῲ".casefold() is "ὼι"
    if not text.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", text)
        text = _NON_ASCII.sub(_without_marks, text).casefold()
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def surname_key(name: str) -> str:
    """A surname reduced to lower-case ASCII letters."""
    return normalize_text(name).replace(" ", "")


def ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=65536)
def title_similarity(a: str, b: str, truncated: bool = False) -> float:
    """Similarity of two titles in [0, 1]; symmetric unless ``a`` is ``truncated``.

    The larger of a character-level ratio and a word-level Dice coefficient on the
    normalized titles.  A truncated ``a`` is compared with the same-length start of ``b``.
    """
    na, nb = normalize_text(a), normalize_text(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if truncated:
        nb = nb[: len(na)]
        if nb == na:
            return 1.0
    ta, tb = na.split(), nb.split()
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    dice = 2 * common / (len(ta) + len(tb))
    first, second = sorted((na, nb))  # one fixed order keeps the measure symmetric
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    if matcher.real_quick_ratio() <= dice or matcher.quick_ratio() <= dice:
        return max(0.0, min(1.0, dice))  # the character ratio cannot beat the word score
    return max(0.0, min(1.0, max(matcher.ratio(), dice)))


def content_tokens(text: str) -> list[str]:
    return [t for t in normalize_text(text).split() if t not in STOP_WORDS]


def _prefix_align(short: list[str], long: list[str]) -> int:
    """How many ``short`` tokens are, in order, prefixes of ``long`` tokens."""
    matched = 0
    j = 0
    for token in short:
        k = j
        while k < len(long) and not long[k].startswith(token):
            k += 1
        if k < len(long):
            matched += 1
            j = k + 1
    return matched


def container_similarity(a: str, b: str, truncated: bool = False) -> float:
    """Similarity of two journal names, aware of abbreviations (``Plast Reconstr Surg``)
    and, when ``a`` is ``truncated`` (``Plastic and …``), of a cut-off first name."""
    ta, tb = content_tokens(a), content_tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    if truncated:
        head = tb[: len(ta)]
        if len(head) == len(ta) and all(
            x == y or (i == len(ta) - 1 and y.startswith(x))
            for i, (x, y) in enumerate(zip(ta, head, strict=False))
        ):
            return 1.0
        return _prefix_align(ta, tb) / len(ta) * 0.8
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    matched = _prefix_align(short, long)
    abbreviated = matched / len(short) * (0.5 + 0.5 * matched / len(long))
    if abbreviated >= 0.85:
        return abbreviated
    first, second = sorted((" ".join(ta), " ".join(tb)))
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    if matcher.quick_ratio() < 0.85:
        return abbreviated
    fuzzy = matcher.ratio()
    return max(abbreviated, fuzzy if fuzzy >= 0.85 else 0.0)


def person_keys(people: Sequence[Person]) -> list[str]:
    keys = []
    for p in people:
        if p.literal or not p.family:
            continue
        key = surname_key(p.sort_name)
        if key:
            keys.append(key)
    return keys


@lru_cache(maxsize=65536)
def _surname_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and (a in b or b in a):
        return True
    return len(a) >= 5 and abs(len(a) - len(b)) <= 2 and ratio(*sorted((a, b))) >= 0.85


def author_similarity(query: Sequence[Person], candidate: Sequence[Person]) -> float | None:
    """Share of the query's surnames found among the candidate's (None: nothing to compare).

    The first author counts double; a missing first author caps the result at 0.5.
    """
    qk, ck = person_keys(query)[:6], person_keys(candidate)
    if not qk or not ck:
        return None
    found = [any(_surname_match(q, c) for c in ck) for q in qk]
    first_ok = _surname_match(qk[0], ck[0]) or found[0]
    total = (2 * found[0] + sum(found[1:])) / (len(qk) + 1)
    return total if first_ok else min(total, 0.5)


def first_page(pages: str | None) -> str | None:
    if not pages:
        return None
    match = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)", pages)
    if match:
        return match.group(1).lower()
    if not any(ch.isdigit() for ch in pages) and len(pages.strip()) <= 2:
        return None  # "n/a", "no": not a page
    return normalize_text(pages).split(" ")[0] or None
