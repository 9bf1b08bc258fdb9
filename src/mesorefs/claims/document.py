"""Documents -> blocks, sentences, list items and citation markers, with spans.

Every piece of text we extract keeps a *character map*: for each character of
the cleaned text, the offset of the character in the original document it came
from.  Spans (``start``, ``end``) always index the original text, so a report
can point back into the user's file whatever its format (plain text, Markdown,
HTML, LaTeX).  Everything here is a pure function of the input string.

The readers of each format live in ``claims/readers``, sentence splitting in
``claims/sentences`` and citation markers in ``claims/citations``; this module holds
the document model and :func:`parse_document`, which puts them together.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from mesorefs.claims.blocks import Block, OffsetMap
from mesorefs.claims.citations import Citation, find_citations, strip_markers
from mesorefs.claims.sentences import split_sentences

__all__ = [
    "Block",
    "Citation",
    "DocFormat",
    "Document",
    "OffsetMap",
    "Segment",
    "detect_format",
    "find_citations",
    "parse_document",
    "split_sentences",
]

DocFormat = Literal["text", "markdown", "html", "latex"]
SegmentKind = Literal["title", "heading", "sentence", "item"]


@dataclass(frozen=True)
class Segment:
    """A unit that may carry a claim: a sentence, a list item, a heading."""

    kind: SegmentKind
    text: str
    start: int
    end: int
    section: str | None
    context: str | None = None
    citations: tuple[Citation, ...] = ()
    paragraph: int = 0
    plain: str | None = None
    """``text`` without its citation markers, spaces and punctuation tidied: what a
    judgement reads.  ``None``: the same as ``text``."""
    plain_offsets: Sequence[int] = ()
    """Where each character of ``plain`` stands in the document (when ``plain`` is set)."""

    @property
    def checked_text(self) -> str:
        """The text a judgement reads: without citation markers."""
        return self.text if self.plain is None else self.plain

    def checked_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`checked_text` to a span of the document."""
        if self.plain is None:
            return self.start + start, self.start + end
        offsets = self.plain_offsets
        if end <= start or not offsets:
            at = offsets[start] if start < len(offsets) else self.end
            return at, at
        return offsets[start], offsets[end - 1] + 1


@dataclass(frozen=True)
class Document:
    """A parsed document: the original text, its blocks, segments and bibliography."""

    text: str
    format: DocFormat
    blocks: tuple[Block, ...]
    segments: tuple[Segment, ...]
    bibliography: tuple[Block, ...] = field(default=())

    @property
    def sections(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind in ("title", "heading")]


_BIB_HEADING = re.compile(
    r"^\s*(?:sources?|references?|bibliography|works\s+cited|literature(?:\s+cited)?|"
    r"cited\s+works|further\s+reading|notes\s+and\s+references)\b[^.!?]{0,60}:?\s*$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- format detection

_HTML_TAG = re.compile(r"<(?:html|body|p|div|h[1-6]|ul|ol|li|article|section|br)\b", re.I)
_LATEX_CUE = re.compile(r"\\(?:documentclass|begin\{document\}|section\*?\{|cite[pt]?\{)")
# Blanks before a list marker within its own line ([^\S\n]*): whether the document holds
# a match is as with \s*, but \s* crossed lines, so a document of blank lines was read
# again from each line (quadratic: 20,000 lines of one space took 25 s)
_MD_CUE = re.compile(r"^(?:#{1,6}\s|[^\S\n]*[-*+]\s+\S|[^\S\n]*\d+[.)]\s+\S|```)", re.M)


def detect_format(text: str) -> DocFormat:
    """Guess the format of a document from its content."""
    if _HTML_TAG.search(text[:5000]):
        return "html"
    if _LATEX_CUE.search(text):
        return "latex"
    if _MD_CUE.search(text):
        return "markdown"
    return "text"


_NUMBERED_ENTRY = re.compile(r"\[?\d{1,4}[.)\]]\s")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")


def _segments(
    blocks: Sequence[Block], narrative_keys: bool = True
) -> tuple[list[Segment], list[Block]]:
    segments: list[Segment] = []
    bibliography: list[Block] = []
    section: str | None = None
    in_bib = False
    bib_level = 0
    for index, block in enumerate(blocks):
        if block.kind in ("title", "heading") or (
            block.kind == "paragraph" and _BIB_HEADING.match(block.text) and len(block.text) < 80
        ):
            is_bib = bool(_BIB_HEADING.match(block.text))
            if (
                in_bib
                and not is_bib
                and ((block.level and block.level > bib_level) or _NUMBERED_ENTRY.match(block.text))
            ):
                # a numbered line under the reference list is an entry, however it is cased
                bibliography.append(Block("bibentry", block.text, block.offsets))
                continue
            in_bib = is_bib
            bib_level = block.level
            section = block.text
            start, end = block.span(0, len(block.text))
            kind: SegmentKind = "title" if block.kind == "title" else "heading"
            segments.append(Segment(kind, block.text, start, end, section, paragraph=index))
            continue
        if in_bib and _FOOTNOTE_DEFINITION.match(block.text):
            continue  # a Markdown footnote after the list (check --annotate's) is no entry
        if in_bib or block.kind == "bibentry":
            bibliography.append(Block("bibentry", block.text, block.offsets))
            continue
        found = find_citations(block.text, narrative_keys=narrative_keys)
        cites = [c for c in found if not _in_code(c, block.code)]
        starts = [c.start for c in cites]  # find_citations sorts by start
        if block.kind == "item":
            start, end = block.span(0, len(block.text))
            segments.append(
                Segment(
                    "item",
                    block.text,
                    start,
                    end,
                    section,
                    block.context,
                    _mapped(cites, block, 0, len(block.text)),
                    index,
                    *_plain(block, 0, len(block.text), cites),
                )
            )
            continue
        for s_start, s_end, sentence in split_sentences(block.text):
            start, end = block.span(s_start, s_end)
            segments.append(
                Segment(
                    "sentence",
                    sentence,
                    start,
                    end,
                    section,
                    None,
                    _mapped(cites, block, s_start, s_end, starts),
                    index,
                    *_plain(block, s_start, s_end, cites, starts),
                )
            )
    return segments, bibliography


def _in_code(citation: Citation, code: Sequence[tuple[int, int]]) -> bool:
    """Whether a marker lies in code or verbatim text (an example, not a citation)."""
    return any(a < citation.end and citation.start < b for a, b in code)


def _within(
    cites: Sequence[Citation], lo: int, hi: int, starts: Sequence[int] = ()
) -> list[Citation]:
    """The citations within ``lo:hi``.  ``cites`` are sorted by start; ``starts`` (their
    starts, when given) lets a block of many sentences look up each sentence's citations
    instead of reading them all."""
    out: list[Citation] = []
    for index in range(bisect.bisect_left(starts, lo) if starts else 0, len(cites)):
        c = cites[index]
        if starts and c.start > hi:
            break
        if lo <= c.start and c.end <= hi:
            out.append(c)
    return out


def _plain(
    block: Block, lo: int, hi: int, cites: Sequence[Citation], starts: Sequence[int] = ()
) -> tuple[str | None, Sequence[int]]:
    """A segment's text without its markers, with the document offset of each character
    (``None`` when it has no marker)."""
    inside = _within(cites, lo, hi, starts)
    if not inside:
        return None, ()
    text = block.text[lo:hi]
    plain, runs = strip_markers(text, [(c.start + c.cut - lo, c.end - lo) for c in inside])
    offsets = OffsetMap()
    for _, old, length in runs:
        offsets.extend(block.offsets, lo + old, lo + old + length)
    return plain, offsets


def _mapped(
    cites: Sequence[Citation], block: Block, lo: int, hi: int, starts: Sequence[int] = ()
) -> tuple[Citation, ...]:
    """The citations within ``lo:hi`` of the block, placed in the document.  ``cites``
    are sorted by start; ``starts`` (their starts, when given) lets a block of many
    sentences look up each sentence's citations instead of reading them all."""
    out: list[Citation] = []
    for c in _within(cites, lo, hi, starts):
        start, end = block.span(c.start, c.end)
        cut = block.span(c.start + c.cut, c.end)[0] - start if c.cut else 0
        out.append(replace(c, start=start, end=end, cut=cut))
    return tuple(out)


def parse_document(text: str, format: DocFormat | None = None) -> Document:
    """Parse ``text`` (plain text, Markdown, HTML or LaTeX) into blocks and segments."""
    fmt = format or detect_format(text)
    # only the reader of this format is imported (the HTML one brings html.parser)
    if fmt == "html":
        from mesorefs.claims.readers.html import html_blocks

        blocks = html_blocks(text)
    elif fmt == "markdown":
        from mesorefs.claims.readers.markdown import markdown_blocks

        blocks = markdown_blocks(text)
    elif fmt == "latex":
        from mesorefs.claims.readers.latex import latex_blocks

        blocks = latex_blocks(text)
    else:
        from mesorefs.claims.readers.plain import plain_blocks

        blocks = plain_blocks(text)
    segments, bibliography = _segments(blocks, narrative_keys=fmt in ("markdown", "text"))
    return Document(text, fmt, tuple(blocks), tuple(segments), tuple(bibliography))
