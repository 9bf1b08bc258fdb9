"""Documents -> blocks, sentences, list items and citation markers, with spans.

Every piece of text we extract keeps a *character map*: for each character of
the cleaned text, the offset of the character in the original document it came
from.  Spans (``start``, ``end``) always index the original text, so a report
can point back into the user's file whatever its format (plain text, Markdown,
HTML, LaTeX).  Everything here is a pure function of the input string.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal, overload

__all__ = [
    "Block",
    "Citation",
    "DocFormat",
    "Document",
    "Segment",
    "detect_format",
    "find_citations",
    "parse_document",
    "split_sentences",
]

DocFormat = Literal["text", "markdown", "html", "latex"]
BlockKind = Literal["title", "heading", "paragraph", "item", "bibentry"]
SegmentKind = Literal["title", "heading", "sentence", "item"]


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


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or bibliography entry with its character map."""

    kind: BlockKind
    text: str
    offsets: Sequence[int]
    level: int = 0
    context: str | None = None
    """For a list item: the lead-in sentence or heading that introduces the list."""

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


# --------------------------------------------------------------------------- helpers


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


_LEADING_SPACE = re.compile(r"\s*")
_LONG_SPACE = re.compile(r"\s{2,}")
_ANY_SPACE = re.compile(r"\s")


class _Builder:
    """Accumulates cleaned text together with the original offset of each character."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, int, bool]] = []

    def add(self, text: str, start: int, *, mapped: bool = True) -> None:
        """Append ``text``; when ``mapped`` it is a verbatim slice starting at ``start``."""
        if text:
            self.pieces.append((text, start, mapped))

    def text(self) -> str:
        return "".join(text for text, _, _ in self.pieces)

    def build(self, kind: BlockKind, level: int = 0) -> Block | None:
        """Collapse whitespace and trim; None when nothing is left.  A run of whitespace
        becomes one space at the run's first character; only runs of two or more (and
        those at a piece's edge) break the map's runs of consecutive offsets."""
        chars: list[str] = []
        offsets = OffsetMap()
        after_space = True  # leading whitespace goes, like whitespace after a space
        for text, start, mapped in self.pieces:
            step = 1 if mapped else 0
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
        if chars and chars[-1].endswith(" "):
            chars[-1] = chars[-1][:-1]
            offsets.pop()
        if not offsets:
            return None
        return Block(kind, "".join(chars), offsets, level)


def _verbatim(kind: BlockKind, text: str, start: int, level: int = 0) -> Block | None:
    b = _Builder()
    b.add(text, start)
    return b.build(kind, level)


_BIB_HEADING = re.compile(
    r"^\s*(?:sources?|references?|bibliography|works\s+cited|literature(?:\s+cited)?|"
    r"cited\s+works|further\s+reading|notes\s+and\s+references)\b[^.!?]{0,60}:?\s*$",
    re.IGNORECASE,
)
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


# ---------------------------------------------------------------- format detection

_HTML_TAG = re.compile(r"<(?:html|body|p|div|h[1-6]|ul|ol|li|article|section|br)\b", re.I)
_LATEX_CUE = re.compile(r"\\(?:documentclass|begin\{document\}|section\*?\{|cite[pt]?\{)")
_MD_CUE = re.compile(r"^(?:#{1,6}\s|\s*[-*+]\s+\S|\s*\d+[.)]\s+\S|```)", re.M)


def detect_format(text: str) -> DocFormat:
    """Guess the format of a document from its content."""
    if _HTML_TAG.search(text[:5000]):
        return "html"
    if _LATEX_CUE.search(text):
        return "latex"
    if _MD_CUE.search(text):
        return "markdown"
    return "text"


# -------------------------------------------------------------------- plain text


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


def _plain_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lead_in: str | None = None
    in_list = False
    last_item_closed = False
    for index, (start, end) in enumerate(_paragraph_chunks(text)):
        chunk = text[start:end]
        block = _verbatim("paragraph", chunk, start)
        if block is None:
            continue
        single_line = "\n" not in chunk.strip()
        sentences = split_sentences(block.text)
        if single_line and _looks_like_heading(block.text):
            kind: BlockKind = "title" if index == 0 else "heading"
            blocks.append(Block(kind, block.text, block.offsets, 1 if kind == "title" else 2))
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
            blocks.append(Block("item", block.text, block.offsets, 0, lead_in))
            last_item_closed = block.text.endswith(".")
            continue
        blocks.append(block)
        in_list = block.text.endswith(":")
        last_item_closed = False
        lead_in = sentences[-1][2] if in_list and sentences else None
    return blocks


# ---------------------------------------------------------------------- Markdown

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


def _md_inline(builder: _Builder, line: str, start: int) -> None:
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


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: _Builder | None = None
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
            b = _Builder()
            _md_inline(b, heading.group(2), line_start + heading.start(2))
            block = b.build("title" if level == 1 and not blocks else "heading", level)
            if block is not None:
                blocks.append(block)
            continue
        item = _MD_ITEM.match(body)
        if item:
            flush()
            current = _Builder()
            kind = "item"
            _md_inline(current, body[item.end() :], line_start + item.end())
            continue
        if current is None:
            current = _Builder()
            kind = "paragraph"
        else:
            current.add(" ", line_start, mapped=False)
        stripped = body.lstrip(" \t>")
        _md_inline(current, stripped, line_start + len(body) - len(stripped))
    flush()
    return _attach_lead_ins(blocks)


def _attach_lead_ins(blocks: list[Block]) -> list[Block]:
    """Give every list item the sentence (ending in ':') or heading that introduces it."""
    out: list[Block] = []
    context: str | None = None
    for block in blocks:
        if block.kind == "item":
            out.append(Block("item", block.text, block.offsets, block.level, context))
            continue
        if block.kind in ("title", "heading"):
            context = block.text
        elif block.kind == "paragraph":
            sentences = split_sentences(block.text)
            last = sentences[-1][2] if sentences else ""
            context = last if last.endswith(":") else None
        out.append(block)
    return out


# -------------------------------------------------------------------------- HTML

_HTML_BLOCKS = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "td",
        "th",
        "caption",
        "figcaption",
        "pre",
        "title",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
        "body",
        "html",
    ]
)
_HTML_SKIP = frozenset(["script", "style", "head", "noscript", "template", "svg", "nav"])
_HTML_VOID = frozenset(
    [
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    ]
)


class _HtmlBlocks(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = text
        self.line_starts = [0]
        for m in re.finditer(r"\n", text):
            self.line_starts.append(m.end())
        self.blocks: list[Block] = []
        self.current = _Builder()
        self.tag_stack: list[str] = []
        self.skip = 0
        self.kind: BlockKind = "paragraph"
        self.level = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _flush(self) -> None:
        block = self.current.build(self.kind, self.level)
        if block is not None:
            self.blocks.append(block)
        self.current = _Builder()
        self.kind = "paragraph"
        self.level = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIP:
            self.skip += 1
            return
        if tag in _HTML_BLOCKS:
            self._flush()
            if tag == "li":
                self.kind = "item"
            elif re.fullmatch(r"h[1-6]", tag):
                self.kind = "heading"
                self.level = int(tag[1])
        elif tag == "br":
            self.current.add(" ", self._pos(), mapped=False)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _HTML_BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.current.add(data, self._pos())

    def _add_reference(self, raw: str, decoded: str) -> None:
        if self.skip:
            return
        start = self._pos()
        # The whole entity maps to the first character of its source.
        self.current.add(decoded, start, mapped=False)
        del raw

    def handle_entityref(self, name: str) -> None:
        from html import unescape

        self._add_reference(name, unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        from html import unescape

        self._add_reference(name, unescape(f"&#{name};"))

    def close(self) -> None:
        super().close()
        self._flush()


def _html_blocks(text: str) -> list[Block]:
    parser = _HtmlBlocks(text)
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        blocks[0] = Block("title", blocks[0].text, blocks[0].offsets, 1)
    return _attach_lead_ins(blocks)


# ------------------------------------------------------------------------- LaTeX

_TEX_SECTION = re.compile(r"\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\{")
_TEX_DROP_LINE = re.compile(
    r"^\s*\\(?:begin|end|label|maketitle|usepackage|documentclass|bibliographystyle|"
    r"bibliography|author|date|tableofcontents)\b"
)
_TEX_CMD = re.compile(r"\\(?!cite)[A-Za-z]+\*?(?:\[[^\]]*\])?\{|[{}]|\\[A-Za-z]+\*?|~")


def _tex_inline(builder: _Builder, line: str, start: int) -> None:
    """Add a LaTeX line keeping text and ``\\cite`` commands, dropping other markup."""
    line_nc = re.sub(r"(?<!\\)%.*$", "", line)
    pos = 0
    cites = [
        (m.start(), m.end())
        for m in re.finditer(r"\\cite[a-z]*\*?(?:\[[^\]]*\])*\{[^}]*\}", line_nc)
    ]
    for m in _TEX_CMD.finditer(line_nc):
        if any(a <= m.start() < b for a, b in cites):
            continue
        builder.add(line_nc[pos : m.start()], start + pos)
        if m.group(0) == "~":
            builder.add(" ", start + m.start(), mapped=False)
        pos = m.end()
    builder.add(line_nc[pos:], start + pos)


def _latex_blocks(text: str) -> list[Block]:
    body_start = text.find("\\begin{document}")
    offset = body_start + len("\\begin{document}") if body_start >= 0 else 0
    blocks: list[Block] = []
    current: _Builder | None = None
    kind: BlockKind = "paragraph"

    def flush() -> None:
        nonlocal current
        if current is not None:
            block = current.build(kind)
            if block is not None:
                blocks.append(block)
        current = None

    for line in text[offset:].splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if body.strip().startswith("\\end{document}"):
            break
        if not body.strip() or body.lstrip().startswith("%"):
            flush()
            continue
        sec = _TEX_SECTION.match(body.lstrip())
        if sec:
            flush()
            lead = len(body) - len(body.lstrip())
            close = body.rfind("}")
            level = {"part": 1, "chapter": 1, "section": 2, "subsection": 3}.get(sec.group(1), 4)
            b = _Builder()
            inner_start = lead + sec.end()
            _tex_inline(b, body[inner_start:close], line_start + inner_start)
            block = b.build("heading", level)
            if block is not None:
                blocks.append(block)
            continue
        if _TEX_DROP_LINE.match(body):
            flush()
            continue
        item = re.match(r"^\s*\\(item|bibitem)(?:\[[^\]]*\])?(?:\{[^}]*\})?\s*", body)
        if item:
            flush()
            current = _Builder()
            kind = "item" if item.group(1) == "item" else "bibentry"
            _tex_inline(current, body[item.end() :], line_start + item.end())
            continue
        if current is None:
            current = _Builder()
            kind = "paragraph"
        else:
            current.add(" ", line_start, mapped=False)
        _tex_inline(current, body, line_start)
    flush()
    return _attach_lead_ins(blocks)


# -------------------------------------------------------------- sentence splitting

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "al",
        "etc",
        "vs",
        "cf",
        "fig",
        "figs",
        "eq",
        "eqs",
        "no",
        "nos",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "approx",
        "ca",
        "resp",
        "vol",
        "pp",
        "ed",
        "eds",
        "ref",
        "refs",
        "dept",
        "univ",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*")
_LAST_WORD = re.compile(r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)$")
_WORD_WINDOW = 40
_STOP_OR_BRACKET = re.compile(r"[.!?…()\[\]]")
_CITE_AFTER_STOP = re.compile(r"\[[^\]\n]{1,40}\]|\(\s*[A-Z][^()\n]{0,80}\d{4}[a-z]?\s*\)")


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """Split ``text`` into ``(start, end, sentence)`` with ``text[start:end] == sentence``.

    A boundary is a run of ``.``, ``!`` or ``?`` followed by whitespace and a capital, a digit
    or an opening quote/bracket; abbreviations, initials and decimals do not end a sentence.
    A citation marker right after the full stop (``... skin. [3] Next``) stays with the
    sentence it follows.
    """
    out: list[tuple[int, int, str]] = []
    start = 0
    n = len(text)
    depth = 0
    i = 0
    while i < n:
        # only brackets and stops matter: jump to the next one rather than step to it
        found = _STOP_OR_BRACKET.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        m = _BOUNDARY.match(text, i) if ch in ".!?…" else None
        if m is None:
            i += 1
            continue
        end = m.end()
        j = end
        while j < n and text[j] in " \t\r\n":
            j += 1
        if j == end and j < n:
            i = end
            continue
        if j < n:
            # The word before the stop, from a short window: abbreviations are short, and
            # searching the whole sentence so far is quadratic on text without breaks.
            word = _LAST_WORD.search(text, max(start, i - _WORD_WINDOW), i)
            token = word.group(1).lower() if word else ""
            nxt = text[j]
            if (
                (ch == "." and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())))
                or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([")
                or (depth > 0 and ch == ".")
            ):
                i = end
                continue
            cite = _CITE_AFTER_STOP.match(text, j)  # from j: slicing text[j:] is quadratic
            if cite and (cite.end() == n or text[cite.end()] in " \t\r\n"):
                end = cite.end()
                j = end
                while j < n and text[j] in " \t\r\n":
                    j += 1
        out.append((start, end, text[start:end]))
        start = j
        i = j
        depth = 0
    if start < n:
        tail = text[start:].rstrip()
        if tail.strip():
            lead = len(tail) - len(tail.lstrip())
            out.append((start + lead, start + len(tail), tail.lstrip()))
    return [s for s in out if s[2].strip()]


# --------------------------------------------------------------------- citations

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


# ------------------------------------------------------------------------ segments


_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")


def _segments(blocks: Sequence[Block]) -> tuple[list[Segment], list[Block]]:
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
            if in_bib and not is_bib and block.level and block.level > bib_level:
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
        cites = find_citations(block.text)
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
                )
            )
    return segments, bibliography


def _mapped(
    cites: Sequence[Citation], block: Block, lo: int, hi: int, starts: Sequence[int] = ()
) -> tuple[Citation, ...]:
    """The citations within ``lo:hi`` of the block, placed in the document.  ``cites``
    are sorted by start; ``starts`` (their starts, when given) lets a block of many
    sentences look up each sentence's citations instead of reading them all."""
    out: list[Citation] = []
    for index in range(bisect.bisect_left(starts, lo) if starts else 0, len(cites)):
        c = cites[index]
        if starts and c.start > hi:
            break
        if lo <= c.start and c.end <= hi:
            start, end = block.span(c.start, c.end)
            out.append(
                Citation(c.marker, start, end, c.style, c.numbers, c.keys, c.authors, c.year)
            )
    return tuple(out)


def parse_document(text: str, format: DocFormat | None = None) -> Document:
    """Parse ``text`` (plain text, Markdown, HTML or LaTeX) into blocks and segments."""
    fmt = format or detect_format(text)
    if fmt == "html":
        blocks = _html_blocks(text)
    elif fmt == "markdown":
        blocks = _markdown_blocks(text)
    elif fmt == "latex":
        blocks = _latex_blocks(text)
    else:
        blocks = _plain_blocks(text)
    segments, bibliography = _segments(blocks)
    return Document(text, fmt, tuple(blocks), tuple(segments), tuple(bibliography))
