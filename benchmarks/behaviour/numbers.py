"""Change one number a sentence states, and nothing else.

Only plain numerals count (``28``, ``1.8``, ``12%``, ``1,250``): not the digits of a name
(``IL-6``, ``COVID-19``, ``H1N1``, ``CO 2``), a reference number (``(2)``), a range
(``10-20``), a ratio or a date with slashes, nor a bound (``p < 0.05``, ``more than 50``,
``up to 3``), whose change can leave the sentence true.  The new value keeps the old one's
form (decimals, thousands commas, a percentage stays at most 100) and is none of ``avoid``
(the numbers of the passage).
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["NUMBER", "NumberChange", "change_number", "numbers_in"]

NUMBER = re.compile(r"(?<![\w.,/±+–)-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w/–-]|[.,]\d)")
_BOUND = re.compile(
    r"(?:[<>≤≥~≈]|\b(?:less|more|fewer|greater|lower|higher|over|under|above|below|least|most"
    r"|to|nearly|almost|about|approximately|around|roughly|exceed(?:ing|s|ed)?|within|than"
    r"|up|beyond|between|from)|\b[pP]\s*=)\s*$"
)
_AFTER_BOUND = re.compile(r"^\s*(?:%\s*)?(?:CI\b|confidence|or (?:more|less|fewer|greater))")


@dataclass(frozen=True)
class NumberChange:
    """``text`` with ``old`` at ``start`` replaced by ``new``."""

    text: str
    start: int
    old: str
    new: str


def numbers_in(text: str) -> list[re.Match[str]]:
    """The plain numerals of ``text`` a change may touch (see the module's notes)."""
    out = []
    for m in NUMBER.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()]
        if _BOUND.search(before) or _AFTER_BOUND.match(text[m.end() :]):
            continue
        if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
            continue  # "(2)": a reference number or a list label, not a stated figure
        if re.search(r"\b[A-Z]{1,5}\s$", before):
            continue  # "CO 2", "PM 2.5": part of a name
        out.append(m)
    return out


def _format(value: float, template: str) -> str:
    places = len(template.partition(".")[2])
    if "," in template.partition(".")[0]:
        return f"{value:,.{places}f}"
    return f"{value:.{places}f}"


def _value(token: str) -> float:
    return float(token.replace(",", ""))


def _new_value(token: str, percent: bool, rng: random.Random) -> list[str]:
    """Candidate replacements for ``token``, in the order to try them."""
    value = _value(token)
    places = len(token.partition(".")[2])
    if places == 0 and 1900 <= value <= 2035 and "," not in token:
        shifts = [1, 2, 3, -1, -2, -3]  # a year
        rng.shuffle(shifts)
        return [str(int(value) + s) for s in shifts]
    unit = 10.0**-places
    factors = [2.0, 3.0, 0.5, 1.5]
    rng.shuffle(factors)
    values = [value * f for f in factors] + [value + unit * k for k in (1, 2, 3, 5, 7)]
    if value == 0:
        values = [unit * k for k in (1, 2, 3, 5)]
    out = []
    for v in values:
        if percent and v > 100:
            continue
        shown = _format(v, token)
        if _value(shown) != value and shown not in out:
            out.append(shown)
    return out


def change_number(
    sentence: str, seed: int | str = 0, avoid: Collection[str] = ()
) -> NumberChange | None:
    """``sentence`` with one of its numbers changed (chosen by ``seed``), or None."""
    found = numbers_in(sentence)
    if not found:
        return None
    rng = random.Random(f"{seed}:{sentence}")
    target = rng.choice(found)
    percent = sentence[target.end() : target.end() + 2].lstrip().startswith("%")
    taken = set(avoid) | {m.group() for m in NUMBER.finditer(sentence)}
    for new in _new_value(target.group(), percent, rng):
        if new not in taken and _value(new) not in {_value(t) for t in taken if _is_num(t)}:
            text = sentence[: target.start()] + new + sentence[target.end() :]
            return NumberChange(text, target.start(), target.group(), new)
    return None


def _is_num(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", token))
