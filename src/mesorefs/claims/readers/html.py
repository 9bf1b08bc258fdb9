"""HTML -> blocks: one block per block-level element; scripts, styles and navigation skipped."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from mesorefs.claims.blocks import Block, BlockKind, Builder, attach_lead_ins

__all__ = ["html_blocks"]

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
_HTML_CODE = frozenset(["code", "pre", "kbd", "samp", "tt", "var"])
_EXPONENT_BASE = re.compile(r"(?<![\w.-])\d{1,3}(?:\.\d+)?$|\d\s?[A-Za-zµ]{1,2}$")
_SUP_NUMBERS = re.compile(r"\s*\d{1,4}(?:\s*[-–,]\s*\d{1,4})*\s*")
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
        self.current = Builder()
        self.tag_stack: list[str] = []
        self.skip = 0
        self.kind: BlockKind = "paragraph"
        self.level = 0
        self.code = 0
        self.sups: list[list[int]] = []  # per open <sup>: [first piece, has an in-page link]

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _flush(self) -> None:
        block = self.current.build(self.kind, self.level)
        if block is not None:
            self.blocks.append(block)
        self.current = Builder()
        self.kind = "paragraph"
        self.level = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIP:
            self.skip += 1
            return
        if tag in _HTML_CODE:
            self.code += 1
        if tag == "sup":
            self.sups.append([len(self.current.pieces), 0])
        elif tag == "a" and self.sups and (dict(attrs).get("href") or "").startswith("#"):
            self.sups[-1][1] = 1
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
        if tag in _HTML_CODE:
            self.code = max(0, self.code - 1)
        if tag == "sup" and self.sups:
            self._superscript(*self.sups.pop())
        if tag in _HTML_BLOCKS:
            self._flush()

    def _superscript(self, first: int, linked: int) -> None:
        """Bracket a superscript that is a citation, ``<sup>1,2</sup>`` -> ``[1,2]``, so
        that it reads as a numeric marker; an exponent (``10<sup>6</sup>``,
        ``m<sup>2</sup>``: after a number or a one- or two-letter unit) stays as it is."""
        pieces = self.current.pieces
        if first > len(pieces):
            return  # the block was flushed inside the superscript
        inner = "".join(piece[0] for piece in pieces[first:])
        if not _SUP_NUMBERS.fullmatch(inner):
            return
        before = "".join(piece[0] for piece in pieces[max(0, first - 8) : first])[-40:]
        # an exponent follows a short number (10<sup>6</sup>) or a unit of one or two
        # letters after a number (3 m<sup>2</sup>); a year (1979<sup>12</sup>), a name
        # (IL-10<sup>4</sup>, PGE2<sup>4</sup>) or a word takes a citation
        exponent = bool(_EXPONENT_BASE.search(before))
        if not (linked or re.search(r"[,–-]", inner) or not exponent):
            return
        at = pieces[first][1]
        pieces.insert(first, ("[", at, False, False))
        last_text, last_start, last_mapped, _ = pieces[-1]
        pieces.append(("]", last_start + (len(last_text) - 1 if last_mapped else 0), False, False))

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.current.add(data, self._pos(), code=self.code > 0)

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


def html_blocks(text: str) -> list[Block]:
    parser = _HtmlBlocks(text)
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        blocks[0] = replace(blocks[0], kind="title", level=1)
    return attach_lead_ins(blocks)
