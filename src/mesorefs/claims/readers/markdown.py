"""Markdown -> blocks: ATX headings, list items, paragraphs and block quotes; fenced code
is skipped, inline code kept but marked as code, emphasis marks and link targets dropped."""

from __future__ import annotations

import bisect
import re

from mesorefs.claims.blocks import Block, BlockKind, Builder, attach_lead_ins

__all__ = ["markdown_blocks"]

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_MD_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+")
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


def _md_inline(builder: Builder, line: str, start: int) -> None:
    """Add a Markdown line without emphasis marks and link targets."""
    pos = 0
    removals: list[tuple[int, int]] = []
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
        at = bisect.bisect_right(starts, m.start()) - 1
        if at < 0 or not links[at][0] <= m.start() < links[at][1]:
            removals.append((m.start(), m.end()))
    for a, b in sorted(removals):
        if a < pos:
            continue
        builder.add(line[pos:a], start + pos)
        pos = b
    builder.add(line[pos:], start + pos)


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
        if body.lstrip().startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        if not body.strip():
            flush()
            continue
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
