"""Citation markers in a block's text: which works a sentence cites, and where.

Markers found (each a pattern of a citation syntax, never of a topic):

- Pandoc: ``[@key]``, ``[see @a, p. 3; @b]``, ``[-@key]`` and narrative ``@key``
  (with an optional locator ``@key [p. 3]``);
- LaTeX: every ``\\...cite...`` command (``\\cite``, natbib's ``\\citep``, ``\\citet``,
  ``\\citealp``, ``\\citeauthor``, ``\\citeyear``, biblatex's ``\\parencite``,
  ``\\textcite``, ``\\autocite``, ``\\footcite``, ``\\cites{a}{b}``, starred forms) with
  optional pre- and post-notes ``[..][..]``;
- numeric: ``[1]``, ``[1–3]``, ``[1, 4-6]``, ``[1]–[3]`` (an HTML superscript
  ``<sup>1,2</sup>`` reaches us as ``[1,2]``: the HTML reader adds the brackets);
- author–year: parenthetical ``(Smith et al. 2010; Jones & Lee, 2011a)``, with pre- and
  post-notes ``(see Smith 2010, p. 5)``, and narrative ``Smith et al. (2010)``, where the
  name is part of the sentence and only the bracketed year is a marker.

:func:`strip_markers` takes the markers out of a sentence and tidies the spaces and
punctuation they leave ("reduces fat [3]." -> "reduces fat."), keeping where each
character came from.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["LATEX_CITE", "Citation", "find_citations", "strip_markers"]

CitationStyle = Literal["numeric", "author-year", "pandoc", "latex"]


@dataclass(frozen=True)
class Citation:
    """A citation marker found in the text, e.g. ``[1-3]`` or ``(Amin et al. 2006)``.

    A marker that cites several works by author and year gives one citation per work,
    all with the marker's span.
    """

    marker: str
    start: int
    end: int
    style: CitationStyle
    numbers: tuple[int, ...] = ()
    keys: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    year: str | None = None
    narrative: bool = False
    """The authors' names are part of the sentence ("Smith et al. (2010) showed",
    ``@key showed``, ``\\textcite{key}``)."""
    cut: int = 0
    """How many characters at the marker's start stay in the text: a narrative
    author-year citation keeps its names and loses only the bracketed year."""

    @property
    def cut_span(self) -> tuple[int, int]:
        """The span taken out of the text the judgement reads."""
        return self.start + self.cut, self.end

    def labels(self) -> list[str]:
        """How a reader names each work the marker cites: ``@key``, ``[3]``, ``Smith 2010``."""
        if self.style in ("pandoc", "latex"):
            return [f"@{k}" for k in self.keys]
        if self.style == "numeric":
            return [f"[{n}]" for n in self.numbers]
        return [f"{' & '.join(self.authors[:2])} {self.year or ''}".strip()]


# ------------------------------------------------------------------- Pandoc

# a bracket without brackets inside, holding an @key: matched as two steps, since one
# pattern backtracks from every @ of an unclosed bracket to its end (quadratic)
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_PANDOC_CUE = re.compile(r"(?<![\w.])-?@\w")
_KEY = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"
_PANDOC_KEY = re.compile(rf"(?<![\w.])-?@({_KEY})")
_NARRATIVE_KEY = re.compile(rf"(?<![\w.@\[-])@({_KEY})(?:\s?\[[^\[\]@]{{0,60}}\])?")

# -------------------------------------------------------------------- LaTeX

# notes and key lists bounded in length: an unclosed [ or { must not make every later
# command scan to the end of the text (quadratic)
_TEX_ARGS = r"(?:\s*\([^()]{0,200}\)){0,2}(?:\s*\[[^\]]{0,200}\]){0,2}\s*\{[^{}]{0,500}\}"
LATEX_CITE = re.compile(rf"\\([A-Za-z]*cite[A-Za-z]*)\*?((?:{_TEX_ARGS})+)")
"""A LaTeX citation command with its notes and key groups (``\\cites`` has several)."""
_TEX_KEYS = re.compile(r"\{([^{}]*)\}")
_TEX_NARRATIVE = frozenset(["citet", "textcite", "Textcite", "citeauthor", "Citeauthor", "citet*"])

# ------------------------------------------------------------------ numeric

_NUMS = r"\s*\d{1,4}(?:\s*[-–—,]\s*\d{1,4})*\s*"
_NUMERIC = re.compile(rf"\[{_NUMS}\](?:\s*[-–—,]\s*\[{_NUMS}\])*")
_BETWEEN_BRACKETS = re.compile(r"\]\s*([-–—,])\s*\[")

# --------------------------------------------------------------- author-year

_UPPER = "A-ZÀ-ÖØ-Þ"
# name particles, "van der Berg", "de la Cruz": part of the family name
_PARTICLE = r"(?:(?:[vV][ao]n|[dD](?:e|er|en|el|ella|i|a|u|os)|[lL][ae])\s+)"
_NAME = rf"{_PARTICLE}*[{_UPPER}][\w'’-]+"
# inside parentheses a name may run to four capitalised words ("World Health
# Organization"); before a narrative year it is one name, as the sentence's words
# before it are capitalised too ("In March Smith (2010)")
_LONG_NAME = rf"{_NAME}(?:\s+{_NAME}){{0,3}}"


def _authors(name: str) -> str:
    return (
        rf"(?P<first>{name})"
        rf"(?:\s+et\s+al\.?|(?:\s*,\s*{name})*\s*,?\s*(?:&|and)\s*(?P<second>{name}))?"
    )


_AUTHORS = _authors(_NAME)
_YEAR = r"(?:\d{4}[a-z]?|n\.d\.|in\s+press)"
_YEARS = rf"(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
_POSTNOTE = r"(?:,\s*[^;]{1,60})?"
_PRENOTE = r"(?:[a-z][\w.]*,?\s+){0,3}"


@functools.cache
def _author_year_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(one part of a parenthetical citation, years alone, the names before them): compiled
    on the first parenthesis that holds a year, since they cost more to compile (20 ms)
    than the rest of this module, and a document citing by key never needs them."""
    return (
        re.compile(rf"\s*{_PRENOTE}{_authors(_LONG_NAME)},?\s+{_YEARS}{_POSTNOTE}\s*"),
        re.compile(rf"\s*{_YEARS}{_POSTNOTE}\s*"),
        re.compile(rf"{_AUTHORS}\s*$"),
    )


_PARENTHESIS = re.compile(r"\(([^()]{1,300})\)")
_SPLIT_YEARS = re.compile(r"\s*,\s*")


def _numbers(body: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", body.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            if 0 < hi - lo <= 50:
                out.extend(range(lo, hi + 1))
                continue
        if part.isdigit():
            out.append(int(part))
    return tuple(out)


def _author_year(text: str) -> list[Citation]:
    found: list[Citation] = []
    for m in _PARENTHESIS.finditer(text):
        body = m.group(1)
        if not re.search(r"\d{4}|n\.d\.|in\s+press", body):
            continue
        ay_part, ay_years_only, ay_narrative_names = _author_year_patterns()
        parts = body.split(";")
        matches = [ay_part.fullmatch(p) for p in parts]
        if all(matches):
            for pm in matches:
                assert pm is not None
                authors = tuple(a for a in (pm.group("first"), pm.group("second")) if a)
                for year in _SPLIT_YEARS.split(pm.group("years")):
                    found.append(
                        Citation(
                            m.group(0), m.start(), m.end(), "author-year", (), (), authors, year
                        )
                    )
            continue
        years = ay_years_only.fullmatch(body)
        if years is None:
            continue
        names = ay_narrative_names.search(text, max(0, m.start() - 120), m.start())
        if names is None:
            continue
        authors = tuple(a for a in (names.group("first"), names.group("second")) if a)
        for year in _SPLIT_YEARS.split(years.group("years")):
            found.append(
                Citation(
                    text[names.start() : m.end()],
                    names.start(),
                    m.end(),
                    "author-year",
                    authors=authors,
                    year=year,
                    narrative=True,
                    cut=m.start() - names.start(),
                )
            )
    return found


def find_citations(text: str, *, narrative_keys: bool = True) -> list[Citation]:
    """Every citation marker in ``text`` with its span, in order of appearance.

    ``narrative_keys``: read a bare ``@key`` as a Pandoc narrative citation (Markdown
    and plain text; in HTML an ``@name`` is a handle more often than a citation).
    """
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _NUMERIC.finditer(text):
        body = _BETWEEN_BRACKETS.sub(r"\1", m.group(0))[1:-1]
        found.append(Citation(m.group(0), m.start(), m.end(), "numeric", numbers=_numbers(body)))
    for m in _BRACKETED.finditer(text):
        if _PANDOC_CUE.search(m.group(1)) is None:
            continue
        keys = tuple(k.group(1) for k in _PANDOC_KEY.finditer(m.group(1)))
        if keys:
            found.append(Citation(m.group(0), m.start(), m.end(), "pandoc", keys=keys))
            taken.append((m.start(), m.end()))
    for m in LATEX_CITE.finditer(text):
        command = m.group(1)
        cited: tuple[str, ...] = ()
        if command != "nocite":
            cited = tuple(
                k.strip()
                for group in _TEX_KEYS.finditer(m.group(2))
                for k in group.group(1).split(",")
                if k.strip()
            )
        found.append(
            Citation(
                m.group(0),
                m.start(),
                m.end(),
                "latex",
                keys=cited,
                narrative=command in _TEX_NARRATIVE,
            )
        )
        taken.append((m.start(), m.end()))
    starts, ends = _merged(taken)
    for m in _NARRATIVE_KEY.finditer(text) if narrative_keys else ():
        at = bisect_right(starts, m.start()) - 1
        if at >= 0 and m.start() < ends[at]:  # inside a bracketed or LaTeX citation
            continue
        found.append(
            Citation(m.group(0), m.start(), m.end(), "pandoc", keys=(m.group(1),), narrative=True)
        )
    found.extend(_author_year(text))
    found.sort(key=lambda c: (c.start, c.end))
    return found


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The spans' union as disjoint intervals, sorted: their starts and their ends (so a
    position is looked up by bisection, not against every span)."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


# ------------------------------------------------------------------ removal

_CLOSING = ".,;:!?)]}…"


def strip_markers(
    text: str, spans: Sequence[tuple[int, int]]
) -> tuple[str, list[tuple[int, int, int]]]:
    """``text`` without the character spans ``spans``, spaces and punctuation tidied.

    Returns the new text and its runs ``(new_start, old_start, length)``: each run of the
    new text is ``text[old_start:old_start + length]``, so every character maps back.
    A space left before punctuation or at an edge goes, two spaces become one, and a
    bracket or a separator left empty (``( )``, ``, ,``) goes with the marker.
    """
    if not spans:
        return text, [(0, 0, len(text))] if text else []
    kept: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            kept.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        kept.append((pos, len(text)))
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = 0

    def trim_tail() -> None:
        nonlocal length
        while out and out[-1][-1:].isspace():
            out[-1] = out[-1][:-1]
            new, old, n = runs[-1]
            runs[-1] = (new, old, n - 1)
            length -= 1
            if not out[-1]:
                out.pop()
                runs.pop()

    for index, (a, b) in enumerate(kept):
        if index:  # a marker was taken out just before this piece
            nxt = text[a] if a < b else ""
            if nxt.isspace():
                # "fat (2010) ." -> "fat.": spaces before closing punctuation go too
                rest = text[a:b].lstrip()
                if rest[:1] and rest[0] in _CLOSING:
                    a = b - len(rest)
                    nxt = rest[0]
            if not nxt or nxt.isspace() or nxt in _CLOSING:
                trim_tail()
            # brackets the marker leaves empty go too: "fat ([1])." -> "fat."
            if nxt in (")", "]") and out and out[-1][-1:] == {")": "(", "]": "["}[nxt]:
                out[-1] = out[-1][:-1]
                new, old, n = runs[-1]
                runs[-1] = (new, old, n - 1)
                length -= 1
                if not out[-1]:
                    out.pop()
                    runs.pop()
                a += 1
                nxt = text[a] if a < b else ""
                if not nxt or nxt.isspace() or nxt in _CLOSING:
                    trim_tail()
            # a separator the marker leaves dangling: "shown [1], [2]." -> "shown."
            while (
                a < b and text[a] in ",;" and (not out or out[-1][-1:] in ("", " ", "(", ",", ";"))
            ):
                a += 1
            if not out or out[-1][-1:].isspace() or out[-1][-1:] in ("(", "["):
                while a < b and text[a].isspace():
                    a += 1
        if a >= b:
            continue
        out.append(text[a:b])
        runs.append((length, a, b - a))
        length += b - a
    trim_tail()
    if out and out[0][:1].isspace():
        lead = len(out[0]) - len(out[0].lstrip())
        out[0] = out[0][lead:]
        new, old, n = runs[0]
        runs = [(0, old + lead, n - lead)] + [(s - lead, o, k) for s, o, k in runs[1:]]
        if not out[0]:
            out.pop(0)
            runs.pop(0)
    return "".join(out), [r for r in runs if r[2] > 0]
