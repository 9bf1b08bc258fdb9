"""Citation markers in a block's text: which works a sentence cites, and where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Citation", "find_citations"]


@dataclass(frozen=True)
class Citation:
    """A citation marker found in the text, e.g. ``[1-3]`` or ``(Amin et al. 2006)``."""

    marker: str
    start: int
    end: int
    style: Literal["numeric", "author-year", "pandoc", "latex"]
    numbers: tuple[int, ...] = ()
    keys: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    year: str | None = None


_NUMERIC = re.compile(r"\[(\s*\d+(?:\s*[-–,]\s*\d+)*\s*)\]")
# a bracket without brackets inside, holding an @key: matched as two steps, since one
# pattern backtracks from every @ of an unclosed bracket to its end (quadratic)
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_PANDOC_CUE = re.compile(r"(?<![\w.])-?@\w")
_PANDOC_KEY = re.compile(r"(?<![\w.])-?@(\w(?:[\w:.#$%&+?<>~/-]*\w)?)")
_LATEX_CITE = re.compile(r"\\(?:[a-zA-Z]*cite[a-zA-Z]*)\*?(?:\[[^\]]*\]){0,2}\{([^}]+)\}")
_NAME = r"[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)?"
_AUTHOR_YEAR_ONE = rf"{_NAME}(?:\s*(?:&|and)\s*{_NAME}|\s+et\s+al\.?)?,?\s+(\d{{4}}[a-z]?)"
_AUTHOR_YEAR = re.compile(rf"\(((?:{_AUTHOR_YEAR_ONE})(?:\s*;\s*{_AUTHOR_YEAR_ONE})*)\)")
_AUTHOR_YEAR_PART = re.compile(
    rf"({_NAME})(?:\s*(?:&|and)\s*({_NAME})|\s+et\s+al\.?)?,?\s+(\d{{4}}[a-z]?)"
)


def _numbers(body: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", body.strip()):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            if 0 < hi - lo <= 50:
                out.extend(range(lo, hi + 1))
                continue
        if part.isdigit():
            out.append(int(part))
    return tuple(out)


def find_citations(text: str) -> list[Citation]:
    """Every citation marker in ``text`` with its span, in order of appearance."""
    found: list[Citation] = []
    for m in _NUMERIC.finditer(text):
        found.append(
            Citation(m.group(0), m.start(), m.end(), "numeric", numbers=_numbers(m.group(1)))
        )
    for m in _BRACKETED.finditer(text):
        if _PANDOC_CUE.search(m.group(1)) is None:
            continue
        keys = tuple(k.group(1) for k in _PANDOC_KEY.finditer(m.group(1)))
        if keys:
            found.append(Citation(m.group(0), m.start(), m.end(), "pandoc", keys=keys))
    for m in _LATEX_CITE.finditer(text):
        keys = tuple(k.strip() for k in m.group(1).split(",") if k.strip())
        found.append(Citation(m.group(0), m.start(), m.end(), "latex", keys=keys))
    for m in _AUTHOR_YEAR.finditer(text):
        for part in re.split(r"\s*;\s*", m.group(1)):
            pm = _AUTHOR_YEAR_PART.search(part)
            if pm is None:
                continue
            authors = tuple(a for a in (pm.group(1), pm.group(2)) if a)
            found.append(
                Citation(
                    m.group(0), m.start(), m.end(), "author-year", authors=authors, year=pm.group(3)
                )
            )
    found.sort(key=lambda c: (c.start, c.end))
    return found
