"""Corrections to the labeller's output where the sequence says more than the tokens.

The CRF sees two tokens either side; a few structures span further, and these
rules read them off the whole labelled sequence.  Each changes labels only,
never the text, and each is measured by ``benchmarks/parse_bench.py``.

* A bracketed group right after "et al." names a collaboration (``(Fermi-LAT)``),
  not the venue: it becomes a note.
* A quoted title ends at its closing quote: an "In" after it starts the book the
  chapter is in (``“Melodramas of Beset Manhood.” In Feminism and ...``), also
  after the editors (``'Towards ...', in M. Picallo (ed.), Linguistic ...``).
* A range of years that ends a title (``The British Collector at Home, 1750–1850.``)
  belongs to the title when the work has a date elsewhere.
* A list label (``[2]``; ``12.`` before the names) is neither title nor author;
  "and others" or "et al." after the authors is part of them; a line of dashes
  standing for the previous entry's authors (``———.``, ``__________ .``) is the author,
  and all of it when a period ends it (``———. Watt.``: "Watt" is the title).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mesorefs.parsing.tokens import Token

__all__ = ["repair"]

Labels = list[tuple[str, float]]

_ET_AL = re.compile(r"\bal\.?,?$")
_OPENING_QUOTE = re.compile(r"^[“‘'\"«]")
# a quote that closes a title: with its punctuation inside or after it ("Nature.”")
_CLOSING_QUOTE = re.compile(r"(?:[.,;:!?][”’'\"»]|[”’'\"»][.,;:])$")
_IN = frozenset({"in", "in:"})
_LIST_LABEL = re.compile(r"^(?:\[\d{1,4}\]|\(\d{1,3}\))$")
# "5." may also start a title ("5. Recipes for Ink"), so it is a label only before names
_NUMBERED = re.compile(r"^\d{1,3}[.)]$")
_MORE_AUTHORS = (("and", "others"), ("et", "al"))
_DASHES = re.compile(r"^[-‐‑–—―_]{2,}[.,]?$")
_YEAR_RANGE = re.compile(r"^(1[5-9]\d\d|20\d\d)\s*[-‐‑–—]\s*(1[5-9]\d\d|20\d\d)[.,;:]?$")


def _after_et_al(tokens: Sequence[Token], labels: Labels) -> None:
    for i in range(1, len(tokens)):
        text = tokens[i].text.rstrip(",.;")
        if (
            labels[i][0] == "container"
            and text.startswith("(")
            and text.endswith(")")
            and labels[i - 1][0] == "author"
            and _ET_AL.search(tokens[i - 1].text)
        ):
            labels[i] = ("note", labels[i][1])


def _relabel_run(labels: Labels, start: int, old: str, new: str) -> int:
    """Relabel the run of ``old`` labels from ``start``; the index after it."""
    i = start
    while i < len(labels) and labels[i][0] == old:
        labels[i] = (new, labels[i][1])
        i += 1
    return i


def _quoted_title_then_in(tokens: Sequence[Token], labels: Labels) -> None:
    starts = [i for i, (label, _) in enumerate(labels) if label == "title"]
    if not starts or not _OPENING_QUOTE.match(tokens[starts[0]].text):
        return
    first = starts[0]
    close = next(
        (
            i
            for i in range(first, len(tokens))
            if labels[i][0] == "title" and _CLOSING_QUOTE.search(tokens[i].text)
        ),
        None,
    )
    if close is None or close + 1 >= len(tokens):
        return
    after = close + 1
    if tokens[after].text.lower() not in _IN:
        return
    if labels[after][0] == "title":
        _relabel_run(labels, after, "title", "container")
    elif labels[after][0] == "editor":
        end = after
        while end < len(labels) and labels[end][0] == "editor":
            end += 1
        _relabel_run(labels, end, "title", "container")


def _year_range_in_title(tokens: Sequence[Token], labels: Labels) -> None:
    for i in range(1, len(tokens)):
        match = _YEAR_RANGE.match(tokens[i].text)
        if (
            match
            and labels[i][0] in ("pages", "date")
            and labels[i - 1][0] == "title"
            and tokens[i - 1].text.endswith((",", ":"))
            and int(match.group(2)) > int(match.group(1))
            and any(label == "date" for j, (label, _) in enumerate(labels) if j != i)
        ):
            labels[i] = ("title", labels[i][1])


def _list_label_and_dashes(tokens: Sequence[Token], labels: Labels) -> None:
    if not tokens:
        return
    first = tokens[0].text
    if (_LIST_LABEL.match(first) and labels[0][0] in ("title", "author", "container")) or (
        _NUMBERED.match(first) and labels[0][0] == "author"
    ):
        labels[0] = ("other", labels[0][1])
    elif _DASHES.match(first):
        labels[0] = ("author", labels[0][1])
        after = 1
        if len(tokens) > 1 and tokens[1].text == ".":
            labels[1] = ("author", labels[1][1])
            after = 2
        if first.endswith(".") or after == 2:
            # the dashes are the whole author: what the labeller called author is the title
            _relabel_run(labels, after, "author", "title")


def _more_authors(tokens: Sequence[Token], labels: Labels) -> None:
    for i in range(1, len(tokens) - 1):
        pair = (tokens[i].text.lower(), tokens[i + 1].text.lower().rstrip(".,;"))
        if pair in _MORE_AUTHORS and labels[i - 1][0] == "author" and labels[i][0] != "author":
            labels[i] = ("author", labels[i][1])
            labels[i + 1] = ("author", labels[i + 1][1])


def repair(tokens: Sequence[Token], labels: Labels) -> None:
    """Correct ``labels`` (one per token) in place."""
    _list_label_and_dashes(tokens, labels)
    _more_authors(tokens, labels)
    _after_et_al(tokens, labels)
    _quoted_title_then_in(tokens, labels)
    _year_range_in_title(tokens, labels)
