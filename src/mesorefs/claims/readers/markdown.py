"""Markdown -> blocks: ATX headings, list items, paragraphs and block quotes; fenced code
is skipped, inline code kept but marked as code, emphasis marks and link targets dropped."""

from __future__ import annotations

import bisect
import re

from mesorefs.claims.blocks import Block, BlockKind, Builder, attach_lead_ins

__all__ = ["markdown_blocks"]

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_MD_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+")
_TICKS = re.compile(r"`+")
_REFERENCE_LABEL = re.compile(r"\]\[[^\[\]\n]{0,100}\]")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]^]{1,100}\]:\s")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_MD_INLINE = re.compile(r"\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])|`")


def _md_links(line: str) -> list[tuple[int, int, int, int]]:
    """``(start, text_start, text_end, end)`` of each ``[text](target)`` or
    ``![alt](target)`` in ``line``, left to right without overlaps: what the pattern
    ``!?\\[([^\\]]*)\\]\\([^)]*\\)`` finds, in one pass (the pattern rescans to the end
    of the line from every ``[`` that no ``]`` follows, quadratic in a line of ``[@``)."""
    links: list[tuple[int, int, int, int]] = []
    pos = 0
    while True:
        opening = line.find("[", pos)
        if opening < 0:
            return links
        closing = line.find("]", opening + 1)
        if closing < 0:  # no later [ has a ] either
            return links
        if not line.startswith("(", closing + 1):  # every [ before this ] fails alike
            pos = closing + 1
            continue
        end = line.find(")", closing + 2)
        if end < 0:  # no later link can close its target either
            return links
        start = opening - 1 if opening > pos and line[opening - 1] == "!" else opening
        links.append((start, opening + 1, closing, end + 1))
        pos = end + 1


def _code_spans(line: str) -> list[tuple[int, int, int]]:
    """``(start, end, ticks)`` of each inline code span: a run of backticks to the next
    run of as many (searched for, run by run: linear in the line)."""
    spans: list[tuple[int, int, int]] = []
    runs = list(_TICKS.finditer(line))
    i = 0
    while i < len(runs):
        opening = runs[i]
        ticks = len(opening.group())
        closing = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == ticks), None)
        if closing is None:
            i += 1
            continue
        spans.append((opening.start(), runs[closing].end(), ticks))
        i = closing + 1
    return spans


def _reference_labels(line: str) -> list[tuple[int, int]]:
    """The ``[label]`` of each reference-style link ``[text][label]``: a link, not a
    numeric citation."""
    return [(m.start() + 1, m.end()) for m in _REFERENCE_LABEL.finditer(line)]


def _md_inline(builder: Builder, line: str, start: int) -> None:
    """Add a Markdown line without emphasis marks and link targets; inline code is kept,
    marked as code (a citation there is an example, not a citation)."""
    pos = 0
    removals: list[tuple[int, int]] = []
    codes = _code_spans(line)
    code_starts = [a for a, _, _ in codes]

    def in_code(at: int) -> bool:
        k = bisect.bisect_right(code_starts, at) - 1
        return k >= 0 and codes[k][0] <= at < codes[k][1]

    def add(a: int, b: int) -> None:
        """Add ``line[a:b]``, its code spans' content marked as code."""
        while a < b:
            k = bisect.bisect_right(code_starts, a) - 1
            if k >= 0 and a < codes[k][1]:
                upto = min(b, codes[k][1])
                builder.add(line[a:upto], start + a, code=True)
            else:
                upto = min(b, codes[k + 1][0]) if k + 1 < len(codes) else b
                builder.add(line[a:upto], start + a)
            a = upto

    for a, b, ticks in codes:
        removals += [(a, a + ticks), (b - ticks, b)]
    removals += _reference_labels(line)
    for link_start, text_start, text_end, link_end in _md_links(line):
        if line[link_start] == "!":
            removals.append((link_start, link_end))
            continue
        removals.append((link_start, text_start))
        removals.append((text_end, link_end))
    # the links' removals are sorted and disjoint: one look-up says whether a mark is
    # inside one (the marks themselves never overlap)
    links = list(removals)
    starts = [a for a, _ in links]
    for m in _MD_INLINE.finditer(line):
        if m.group() == "`" or in_code(m.start()):
            continue  # code delimiters are removed above; marks inside code are code
        at = bisect.bisect_right(starts, m.start()) - 1
        if at < 0 or not links[at][0] <= m.start() < links[at][1]:
            removals.append((m.start(), m.end()))
    for a, b in sorted(removals):
        if a < pos:
            continue
        add(pos, a)
        pos = b
    add(pos, len(line))


def markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: Builder | None = None
    kind: BlockKind = "paragraph"
    in_code = False
    offset = 0

    def flush() -> None:
        nonlocal current
        if current is not None:
            block = current.build(kind)
            if block is not None:
                blocks.append(block)
        current = None

    for line in text.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if _FENCE.match(body):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        if not body.strip():
            flush()
            continue
        if current is None and _INDENTED_CODE.match(body) and not _MD_ITEM.match(body):
            continue  # an indented code block
        if _LINK_DEFINITION.match(body):
            flush()
            continue  # "[1]: https://...": where a reference-style link points, not prose
        heading = _MD_HEADING.match(body)
        if heading:
            flush()
            level = len(heading.group(1))
            b = Builder()
            _md_inline(b, heading.group(2), line_start + heading.start(2))
            block = b.build("title" if level == 1 and not blocks else "heading", level)
            if block is not None:
                blocks.append(block)
            continue
        item = _MD_ITEM.match(body)
        if item:
            flush()
            current = Builder()
            kind = "item"
            _md_inline(current, body[item.end() :], line_start + item.end())
            continue
        if current is None:
            current = Builder()
            kind = "paragraph"
        else:
            current.add(" ", line_start, mapped=False)
        stripped = body.lstrip(" \t>")
        _md_inline(current, stripped, line_start + len(body) - len(stripped))
    flush()
    return attach_lead_ins(blocks)
