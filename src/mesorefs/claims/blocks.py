"""Blocks of a document: cleaned text with the original offset of every character.

Every reader (``claims/readers``) turns its format into :class:`Block` objects through a
:class:`Builder`: spans of a block's text map back to the user's file whatever its
format, so a report can point at the original characters.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, overload

from mesorefs.claims.sentences import split_sentences

__all__ = ["Block", "BlockKind", "Builder", "OffsetMap", "attach_lead_ins", "verbatim"]

BlockKind = Literal["title", "heading", "paragraph", "item", "bibentry"]


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or bibliography entry with its character map."""

    kind: BlockKind
    text: str
    offsets: Sequence[int]
    level: int = 0
    context: str | None = None
    """For a list item: the lead-in sentence or heading that introduces the list."""
    code: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` that were code or verbatim in the source: no citation is read there."""

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to a span of the original document."""
        if end <= start:
            return (self.offsets[start] if start < len(self.offsets) else self.end,) * 2
        return self.offsets[start], self.offsets[end - 1] + 1


class OffsetMap(Sequence[int]):
    """Where each character of a block's text stands in the original document, kept as
    runs of consecutive offsets: a few numbers for a paragraph however long (a tuple of
    one int a character took over 100 bytes a character)."""

    __slots__ = ("_length", "_origins", "_starts", "_steps")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._steps: list[int] = []
        self._length = 0

    def add(self, origin: int, count: int, step: int) -> None:
        """Append ``count`` offsets from ``origin``, each ``step`` (0 or 1) after the last."""
        if count <= 0:
            return
        if self._starts and self._steps[-1] == step:
            last = self._origins[-1] + (self._length - self._starts[-1]) * step
            if (step == 1 and last == origin) or (step == 0 and self._origins[-1] == origin):
                self._length += count
                return
        self._starts.append(self._length)
        self._origins.append(origin)
        self._steps.append(step)
        self._length += count

    def pop(self) -> None:
        """Drop the last offset."""
        self._length -= 1
        if self._starts and self._starts[-1] >= self._length:
            del self._starts[-1], self._origins[-1], self._steps[-1]

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("offset index out of range")
        run = bisect.bisect_right(self._starts, index) - 1
        return self._origins[run] + (index - self._starts[run]) * self._steps[run]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OffsetMap):
            return NotImplemented
        return list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def extend(self, other: Sequence[int], lo: int, hi: int) -> None:
        """Append ``other[lo:hi]``, run by run when ``other`` is an offset map."""
        if hi <= lo:
            return
        if not isinstance(other, OffsetMap):
            for i in range(lo, hi):
                self.add(other[i], 1, 1)
            return
        run = bisect.bisect_right(other._starts, lo) - 1
        while lo < hi and run < len(other._starts):
            run_end = other._starts[run + 1] if run + 1 < len(other._starts) else other._length
            upto = min(hi, run_end)
            step = other._steps[run]
            self.add(other._origins[run] + (lo - other._starts[run]) * step, upto - lo, step)
            lo = upto
            run += 1


_LEADING_SPACE = re.compile(r"\s*")
_LONG_SPACE = re.compile(r"\s{2,}")
_ANY_SPACE = re.compile(r"\s")


class Builder:
    """Accumulates cleaned text together with the original offset of each character."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, int, bool, bool]] = []

    def add(self, text: str, start: int, *, mapped: bool = True, code: bool = False) -> None:
        """Append ``text``; when ``mapped`` it is a verbatim slice starting at ``start``;
        ``code``: it was code or verbatim in the source."""
        if text:
            self.pieces.append((text, start, mapped, code))

    def text(self) -> str:
        return "".join(piece[0] for piece in self.pieces)

    def build(self, kind: BlockKind, level: int = 0) -> Block | None:
        """Collapse whitespace and trim; None when nothing is left.  A run of whitespace
        becomes one space at the run's first character; only runs of two or more (and
        those at a piece's edge) break the map's runs of consecutive offsets."""
        chars: list[str] = []
        offsets = OffsetMap()
        code: list[tuple[int, int]] = []
        after_space = True  # leading whitespace goes, like whitespace after a space
        for text, start, mapped, is_code in self.pieces:
            step = 1 if mapped else 0
            before = len(offsets)
            pos = _LEADING_SPACE.match(text).end() if after_space else 0  # type: ignore[union-attr]
            for run in _LONG_SPACE.finditer(text, pos):
                if run.start() > pos:
                    chars.append(_ANY_SPACE.sub(" ", text[pos : run.start()]))
                    offsets.add(start + pos * step, run.start() - pos, step)
                chars.append(" ")
                offsets.add(start + run.start() * step, 1, step)
                after_space = True
                pos = run.end()
            if pos < len(text):
                chars.append(_ANY_SPACE.sub(" ", text[pos:]))
                offsets.add(start + pos * step, len(text) - pos, step)
                after_space = text[-1].isspace()
            if is_code and len(offsets) > before:
                code.append((before, len(offsets)))
        if chars and chars[-1].endswith(" "):
            chars[-1] = chars[-1][:-1]
            offsets.pop()
        if not offsets:
            return None
        text = "".join(chars)
        spans = tuple((a, min(b, len(text))) for a, b in code if a < len(text))
        return Block(kind, text, offsets, level, code=spans)


def verbatim(kind: BlockKind, text: str, start: int, level: int = 0) -> Block | None:
    """A block of ``text`` as it stands at ``start``, whitespace collapsed."""
    b = Builder()
    b.add(text, start)
    return b.build(kind, level)


def attach_lead_ins(blocks: list[Block]) -> list[Block]:
    """Give every list item the sentence (ending in ':') or heading that introduces it."""
    out: list[Block] = []
    context: str | None = None
    for block in blocks:
        if block.kind == "item":
            out.append(replace(block, context=context))
            continue
        if block.kind in ("title", "heading"):
            context = block.text
        elif block.kind == "paragraph":
            sentences = split_sentences(block.text)
            last = sentences[-1][2] if sentences else ""
            context = last if last.endswith(":") else None
        out.append(block)
    return out
