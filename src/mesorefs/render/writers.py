"""Turn the engine's document tree into text, HTML, Markdown or LaTeX.

Plain text keeps the characters and drops the formatting, as citeproc-js's
``text`` format does.  The others mark italics, bold, small capitals,
super- and subscripts and links in their own syntax and escape what their
syntax would otherwise read as markup.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal

from mesorefs.escape import MARKDOWN_SPECIAL, link_target
from mesorefs.render.tree import Node

__all__ = ["OUTPUTS", "Output", "write_blocks", "write_inlines"]

Output = Literal["text", "html", "markdown", "latex"]
OUTPUTS: tuple[Output, ...] = ("text", "html", "markdown", "latex")

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL))

# (open, close) per output for each kind of formatting.
_WRAP: dict[str, dict[str, tuple[str, str]]] = {
    "html": {
        "Emph": ("<i>", "</i>"),
        "Strong": ("<b>", "</b>"),
        "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>"),
        "Superscript": ("<sup>", "</sup>"),
        "Subscript": ("<sub>", "</sub>"),
        "Underline": ('<span style="text-decoration:underline;">', "</span>"),
        "Strikeout": ("<s>", "</s>"),
    },
    "markdown": {
        "Emph": ("*", "*"),
        "Strong": ("**", "**"),
        "SmallCaps": ("", ""),
        "Superscript": ("<sup>", "</sup>"),
        "Subscript": ("<sub>", "</sub>"),
        "Underline": ("", ""),
        "Strikeout": ("~~", "~~"),
    },
    "latex": {
        "Emph": (r"\emph{", "}"),
        "Strong": (r"\textbf{", "}"),
        "SmallCaps": (r"\textsc{", "}"),
        "Superscript": (r"\textsuperscript{", "}"),
        "Subscript": (r"\textsubscript{", "}"),
        "Underline": (r"\underline{", "}"),
        "Strikeout": ("", ""),
    },
}


# Inside a decoration of the same kind, citeproc-js flips it off (suite fixtures
# flipflop_ItalicsFlipped, decorations_SimpleFlipFlop, flipflop_SmallCaps, ...).
_FLIPPED_HTML = {
    "Emph": ('<span style="font-style:normal;">', "</span>"),
    "Strong": ('<span style="font-weight:normal;">', "</span>"),
    "SmallCaps": ('<span style="font-variant:normal;">', "</span>"),
}


def _escape(text: str, output: Output) -> str:
    if output == "html":
        return _superscripts()[1].sub(_as_sup, html.escape(text, quote=False))
    if output == "markdown":
        return MARKDOWN_SPECIAL.sub(r"\\\1", text)
    if output == "latex":
        return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text)
    return text


def _superscript_base(char: str) -> str | None:
    """The letter a superscript character stands for (``ᵉ`` -> ``e``), from Unicode."""
    decomposition = unicodedata.decomposition(char)
    if not decomposition.startswith("<super> "):
        return None
    return "".join(chr(int(code, 16)) for code in decomposition.split()[1:])


# Superscript letters and digits (1er, 2ᵉ, ª): citeproc-js writes them as <sup> in HTML
# (suite fixtures magic_SuperscriptChars, number_NewOrdinalsEdition, ...).
@functools.lru_cache(maxsize=1)  # built on first HTML output, not at import
def _superscripts() -> tuple[dict[str, str], re.Pattern[str]]:
    table = {c: b for c in map(chr, range(0x80, 0x3000)) if (b := _superscript_base(c))}
    return table, re.compile("[" + "".join(map(re.escape, table)) + "]")


def _as_sup(match: re.Match[str]) -> str:
    return f"<sup>{html.escape(_superscripts()[0][match.group()], quote=False)}</sup>"


def _link(label: str, url: str, plain: str, output: Output) -> str:
    """A link to ``url`` in ``output``; only a scheme on ``escape.LINK_SCHEMES`` links:
    ``javascript:`` and other targets are left as the label's text."""
    target = link_target(url)
    if target is None:
        return label
    if output == "html":
        return f'<a href="{html.escape(target)}">{label}</a>'
    if output == "markdown":
        return f"<{target}>" if plain == url and plain == target else f"[{label}]({target})"
    if output == "latex":
        if plain == target:
            return r"\url{" + target.replace("%", r"\%").replace("#", r"\#") + "}"
        return r"\href{" + target.replace("%", r"\%").replace("#", r"\#") + "}{" + label + "}"
    return label


def write_inlines(
    nodes: Iterable[Node], output: Output, inside: frozenset[str] = frozenset()
) -> str:
    """The inlines of one citation or entry in ``output`` syntax (``inside``: the
    decorations in force around them, which a nested one of the same kind turns off)."""
    parts: list[str] = []
    for node in nodes:
        kind = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            parts.append(_escape(content, output))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in _WRAP["html"]:
            flipped = output == "html" and kind in inside and kind in _FLIPPED_HTML
            within = inside - {kind} if flipped else inside | {kind}
            inner = write_inlines(content, output, within)
            if output == "text":
                parts.append(inner)
            else:
                start, end = _FLIPPED_HTML[kind] if flipped else _WRAP[output][kind]
                parts.append(f"{start}{inner}{end}")
        elif kind == "Quoted":
            double = content[0]["t"] == "DoubleQuote"
            quote = ("\u201c", "\u201d") if double else ("\u2018", "\u2019")
            parts.append(quote[0] + write_inlines(content[1], output, inside) + quote[1])
        elif kind == "Span":
            parts.append(_span(content, output, inside))
        elif kind == "Link":
            label = write_inlines(content[1], output, inside)
            parts.append(_link(label, content[2][0], write_inlines(content[1], "text"), output))
        elif kind in ("Cite",):
            parts.append(write_inlines(content[1], output, inside))
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(_escape(content[1], output))
        elif kind == "Note":
            parts.append(write_blocks(content, output))
    return "".join(parts)


def _span(content: list[Any], output: Output, inside: frozenset[str]) -> str:
    attrs, nodes = content[0], content[1]
    inner = write_inlines(nodes, output, inside)
    classes: list[str] = attrs[1]
    if output == "html" and classes and classes[0].startswith("csl-"):
        # second-field-align: the engine trims the leading space of the right part to an
        # empty string, where citeproc-js keeps the affix as it is (" J. Doe")
        if classes[0] == "csl-right-inline" and nodes and nodes[0] == {"t": "Str", "c": ""}:
            inner = " " + inner
        if classes[0] == "csl-right-inline":
            # ...but trims its end (a layout's last suffix ". "): suite fixtures
            # variables_ContainerTitleShort, variables_ContainerTitleShort2
            inner = inner.rstrip(" ")
        return f'<div class="{classes[0]}">{inner}</div>'
    if output == "text" and "csl-left-margin" in classes:
        return inner.rstrip() + " "
    if output == "text" and "csl-block" in classes:
        # a block is a line of its own, which one line of text writes as a space, as
        # citeproc-js's line break reads (AAA's "Utrecht N.d.", not "UtrechtN.d.")
        return inner.rstrip() + " "
    if output == "html" and "nodecoration" in classes:
        # <span class="nodecor"> in the data: the decorations around it are turned off
        # (suite fixtures flipflop_ItalicsWithOk, flipflop_ItalicsWithOkAndTextcase)
        for kind in sorted(inside & _FLIPPED_HTML.keys()):
            start, end = _FLIPPED_HTML[kind]
            inner = f"{start}{inner}{end}"
    return inner


_SPACE: Node = {"t": "Space"}
_TRIMMED: Node = {"t": "Str", "c": ""}
"""Where the engine trimmed a space an affix had written."""


def _edges(inlines: list[Node]) -> tuple[str, str]:
    """The space an entry starts or ends with in the engine's tree, which citeproc-js
    keeps in HTML (suite fixtures bugreports_parenthesis, date_AccessedCrash,
    bugreports_UnisaHarvardInitialization)."""
    lead = " " if inlines[:1] == [_SPACE] or inlines[:2] == [_TRIMMED, _SPACE] else ""
    trail = " " if inlines[-1:] in ([_SPACE], [_TRIMMED]) else ""
    return lead, trail


def write_blocks(blocks: Iterable[Node], output: Output) -> str:
    """An entry's blocks (paragraphs and CSL display divisions) in ``output`` syntax."""
    blocks = list(blocks)
    parts: list[str] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            parts.append(write_inlines(block["c"], output))
        elif block["t"] == "Div":
            classes: list[str] = block["c"][0][1]
            inner = write_blocks(block["c"][1], output)
            if output == "html" and classes:
                inner = f'<div class="{classes[0]}">{inner}</div>'
            parts.append(inner)
    joiner = "" if output == "html" else " "
    text = _tidy(joiner.join(parts), output)
    if output == "html" and len(blocks) == 1 and blocks[0]["t"] == "Para" and text:
        lead, trail = _edges(blocks[0]["c"])
        text = lead + text + trail
    return text


_SPACES = re.compile(r"[ \t\r\n]+")


def _tidy(text: str, output: Output) -> str:
    """One line, single spaces, nothing around it."""
    return _SPACES.sub(" ", text).strip()
