"""Plain text -> blocks: paragraphs split at blank lines, short title-case lines as headings,
and short lines after a line ending in ':' as list items."""

from __future__ import annotations

import re
from dataclasses import replace

from mesorefs.claims.blocks import Block, BlockKind, verbatim
from mesorefs.claims.sentences import split_sentences

__all__ = ["plain_blocks"]

_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "vs",
        "vs.",
        "versus",
        "is",
        "are",
        "as",
        "into",
        "over",
        "under",
        "per",
        "via",
        "its",
        "it",
    ]
)


def _is_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’.-]*", text)
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content:
        return False
    return bool(sum(w[0].isupper() for w in content) / len(content) >= 0.8)


def _looks_like_heading(text: str) -> bool:
    """A short line with no sentence-final full stop, in title case or ending in '?'."""
    words = text.split()
    if not words or len(words) > 12 or text.endswith((".", ":", ";", ",")):
        return False
    return _is_title_case(text)


_NON_SPACE = re.compile(r"\S")
_BLANK_LINE_BREAK = re.compile(r"\n(?=[ \t]*\n)")


def _paragraph_chunks(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated chunks of ``text``: each from a character that
    is not a space to the line break before the next blank line (searched for, not
    matched character by character: a pattern repeating per character keeps a
    backtracking state per character, gigabytes for a long paragraph)."""
    chunks: list[tuple[int, int]] = []
    pos = 0
    while (first := _NON_SPACE.search(text, pos)) is not None:
        brk = _BLANK_LINE_BREAK.search(text, first.start())
        pos = brk.start() if brk else len(text)
        chunks.append((first.start(), pos))
    return chunks


def plain_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lead_in: str | None = None
    in_list = False
    last_item_closed = False
    for index, (start, end) in enumerate(_paragraph_chunks(text)):
        chunk = text[start:end]
        block = verbatim("paragraph", chunk, start)
        if block is None:
            continue
        single_line = "\n" not in chunk.strip()
        sentences = split_sentences(block.text)
        if single_line and _looks_like_heading(block.text):
            kind: BlockKind = "title" if index == 0 else "heading"
            blocks.append(replace(block, kind=kind, level=1 if kind == "title" else 2))
            in_list = False
            lead_in = None
            continue
        if (
            in_list
            and single_line
            and len(sentences) <= 1
            and len(block.text.split()) <= 30
            and not last_item_closed
        ):
            blocks.append(replace(block, kind="item", level=0, context=lead_in))
            last_item_closed = block.text.endswith(".")
            continue
        blocks.append(block)
        in_list = block.text.endswith(":")
        last_item_closed = False
        lead_in = sentences[-1][2] if in_list and sentences else None
    return blocks
