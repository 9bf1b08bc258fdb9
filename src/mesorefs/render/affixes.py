"""A cite's prefix and suffix read as CSL rich text, into the engine's inlines.

citeproc-js reads the affixes a writer gives a cite as it reads a title: ``<i>``,
``<b>``, ``<sc>``, ``<sup>``, ``<sub>`` and ``<span class="nocase">`` are formatting,
and straight quotes that open and close a phrase are quotation marks, the outer pair
double and the inner single, whichever the writer typed ("'quote', " gives “quote”,).
Pandoc takes a prefix and suffix as inlines already parsed, so we parse them here
(suite fixtures affix_PrefixWithDecorations, affix_CommaAfterQuote,
affix_SpaceWithQuotes, affix_MovingPunctuation, label_EditorTranslator2).
A mark that opens nothing or is never closed stays as it was typed.  A comma or period
the writer typed after a closing quote stays after it, where pandoc would move it in
(affix_CommaAfterQuote, label_EditorTranslator2): citeproc-js moves only punctuation
the style adds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mesorefs.render.standins import COMMA, PERIOD
from mesorefs.render.tree import Node

__all__ = ["rich_text", "spaced_suffix", "words"]

_TAGS = {
    "<i>": "Emph",
    "<b>": "Strong",
    "<sc>": "SmallCaps",
    "<sup>": "Superscript",
    "<sub>": "Subscript",
    '<span class="nocase">': "Span",
}
_CLOSING = {"Emph": "</i>", "Strong": "</b>", "SmallCaps": "</sc>", "Superscript": "</sup>"}
_CLOSING |= {"Subscript": "</sub>", "Span": "</span>"}
_TOKEN = re.compile(
    "|".join(re.escape(t) for t in [*_TAGS, *_CLOSING.values()]) + "|[\"']",
)
_OPENS_AFTER = " \t\n([{\u201c\u2018\"'"  # a quote opens at the start or after these
_CLOSES_BEFORE = " \t\n.,;:!?)]}\u201d\u2019\"'"  # and closes at the end or before these


@dataclass
class _Open:
    kind: str  # a formatting kind, or the quote character typed
    written: str
    content: list[Node] = field(default_factory=list)


# citeproc-js puts a space before a suffix that starts with a letter (of the scripts it
# lists), "&", "[" or "(" (CSL.checkSuffixSpacePrepend); digits, other scripts and
# punctuation follow the citation directly
_SPACED_START = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b"
    "\u202a-\u202e\\[(]"
)


def spaced_suffix(suffix: str) -> str:
    """A cite's suffix with the space citeproc-js puts before one that starts with a
    word or a bracket ("for a counter-example" gives "4.2 for a counter-example", where
    the engine wrote "4.2for" after a locator and ", for" without one)."""
    return " " + suffix if _SPACED_START.match(suffix) else suffix


def words(text: str) -> list[Node]:
    """Plain text as inlines: its words, and a space where it has one."""
    out: list[Node] = []
    for k, word in enumerate(text.split(" ")):
        if k:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _node(opened: _Open, depth: int) -> Node:
    if opened.kind in ('"', "'"):
        quote = "DoubleQuote" if depth % 2 == 0 else "SingleQuote"
        return {"t": "Quoted", "c": [{"t": quote}, _merged(opened.content)]}
    if opened.kind == "Span":
        return {"t": "Span", "c": [["", ["nocase"], []], _merged(opened.content)]}
    return {"t": opened.kind, "c": _merged(opened.content)}


def _quote_depth(stack: list[_Open]) -> int:
    return sum(o.kind in ('"', "'") for o in stack[1:])


def rich_text(text: str) -> list[Node]:
    """``text`` as inlines: formatting tags and paired quotes become nodes, the rest is
    words and spaces (as written)."""
    stack = [_Open("root", "")]
    cursor = 0

    def flush(upto: int) -> None:
        if upto > cursor:
            stack[-1].content.extend(words(text[cursor:upto]))

    for match in _TOKEN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        top = stack[-1]
        if token in _TAGS:
            flush(start)
            stack.append(_Open(_TAGS[token], token))
        elif token in _CLOSING.values():
            if _CLOSING.get(top.kind) != token:
                continue  # a closing tag that closes nothing is text
            flush(start)
            stack.pop()
            stack[-1].content.append(_node(top, _quote_depth(stack)))
        elif top.kind == token and before not in " \t\n" and after in _CLOSES_BEFORE:
            flush(start)
            stack.pop()
            stack[-1].content.append(_node(top, _quote_depth(stack)))
        elif before in _OPENS_AFTER and after not in " \t\n":
            flush(start)
            stack.append(_Open(token, token))
        else:
            continue
        cursor = end
    flush(len(text))
    while len(stack) > 1:  # never closed: the mark is text again
        opened = stack.pop()
        stack[-1].content.extend([{"t": "Str", "c": opened.written}, *opened.content])
    return _merged(stack[0].content)


_KEPT_OUT = {",": COMMA, ".": PERIOD}


def _merged(nodes: list[Node]) -> list[Node]:
    """Adjacent strings joined, as pandoc would hold them; a comma or period right after
    a quotation kept there."""
    out: list[Node] = []
    for node in nodes:
        if node["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + node["c"]}
        elif node["t"] == "Str" and out and out[-1]["t"] == "Quoted" and node["c"][:1] in _KEPT_OUT:
            out.append({"t": "Str", "c": _KEPT_OUT[node["c"][0]] + node["c"][1:]})
        else:
            out.append(node)
    return out
