"""BibTeX field values in LaTeX, read as Unicode text (on top of pylatexenc).

Reading (:func:`latex_to_unicode`)
    Accents, special letters, ligatures (``--``, ``---``, ````` `` `````, ``''``,
    ``~``) and text symbols become Unicode; formatting such as ``\\emph`` keeps
    its text.  Grouping braces go.  Math (``$...$``, ``$$...$$``, ``\\(...\\)``,
    ``\\[...\\]``) and environments are kept byte for byte.  A macro we do not
    know is kept as written, with the brace groups right after it
    (``\\foo{bar}``), and so are ``\\cite``-like macros whose text would be a
    placeholder, so nothing is lost.  Runs of ASCII whitespace become one space
    (BibTeX does the same) and the ends are trimmed; the no-break space from
    ``~`` is kept.  An unescaped ``%`` is a percent sign, not a comment: in a
    .bib file it nearly always means ``50%`` or is part of a URL.  A control word
    eats the spaces after it, as in TeX (``Stra\\ss e`` reads ``Straße``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as _default_text_db

from mesorefs.bibtex.latex.scan import (
    _BRACES,
    _LIGATURE,
    _LIGATURE_TEXT,
    _MARKED_MATH,
    _MATH_CLOSE,
    _MATH_OPEN,
    _NEEDS_READER,
    _PERCENT,
    _STRUCTURAL,
    _UNESCAPED_PERCENT,
    _WS,
    _assemble,
    _BraceMap,
    _math_end,
    _Part,
)
from mesorefs.lazy_re import lazy

__all__ = ["latex_to_unicode", "read_recurring"]


# Text macros pylatexenc lacks or renders in a way unfit for a bibliography.
_EXTRA_SYMBOLS = {
    "copyright": "\u00a9",
    "S": "\u00a7",
    "P": "\u00b6",
    "pounds": "\u00a3",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textless": "<",
    "textgreater": ">",
    "textasciicircum": "^",  # pylatexenc gives U+02C6, which does not read back as "^"
    "textbar": "|",
    "textunderscore": "_",
    "textquotedbl": '"',
    "textperiodcentered": "\u00b7",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    # typesetting hints, not text
    "-": "",
    "/": "",
    "@": "",
    "relax": "",
    "protect": "",
    "em": "",
    "bf": "",
    "it": "",
    "rm": "",
    "sc": "",
    "sl": "",
    "sf": "",
    "tt": "",
    "normalfont": "",
    "itshape": "",
    "bfseries": "",
    "scshape": "",
    "upshape": "",
}
# Macros whose text is their argument.
_CONTENT_MACROS = (
    "mbox",
    "hbox",
    "textnormal",
    "textup",
    "textsf",
    "texttt",
    "textmd",
    "textsuperscript",
    "textsubscript",
    "NoCaseChange",
)
# Known to pylatexenc but turned into layout or placeholders; keep them as written.
_KEEP_AS_WRITTEN = frozenset(
    {
        "href", "input", "include", "today", "title", "author", "date", "maketitle",
        "item", "part", "chapter", "section", "subsection", "subsubsection", "paragraph",
        "subparagraph", "footnote",
    }
)  # fmt: skip


def latex_to_unicode(text: str) -> str:
    """A BibTeX field value written in LaTeX, as Unicode text (see the module doc)."""
    if not _NEEDS_READER.search(text):
        return _WS.sub(" ", text).strip(" ")
    if "$" not in text:
        # Most fields hold only braced accents: swap them for their letters first.
        # If only escaped symbols remain, no macro can take a swapped group as its argument.
        letters = _ACCENT_GROUP.sub(_accent_letter, text)
        if _ARGUMENT_TAKER.search(letters) is None:
            text = letters
    return _assemble(_read_parts(text))


# A self-contained accent or special letter: {\"u}, {\'\i}, {\'{\i}}, {\v{s}}, {\c c}, {\ss}.
_ACCENT_GROUP = lazy(
    r"\{\\(?:[^A-Za-z\s{}\\](?:\\?[A-Za-z]|\{\\?[A-Za-z]\})"
    r"|[A-Za-z]+(?:\{\\?[A-Za-z]\}| [A-Za-z])?)\}"
)


_ARGUMENT_TAKER = lazy(r"\\(?![&%_#])")


def _accent_letter(m: re.Match[str]) -> str:
    return _group_letter(m.group())


@functools.lru_cache(maxsize=4096)
def _group_letter(group: str) -> str:
    """The letter a group reads as, or the group itself when it is not one letter."""
    text = _assemble(_read_parts(group))
    return text if text.isalpha() and not text.isascii() else group


# Venues, publishers and name parts recur across a bibliography: convert each once.
read_recurring = functools.lru_cache(maxsize=1 << 14)(latex_to_unicode)
# -- reading -------------------------------------------------------------------


def _read_parts(s: str) -> list[_Part]:
    """Split a field into text, math and macro parts; macros go to pylatexenc."""
    parts: list[_Part] = []
    pos, n = 0, len(s)
    braces = _BraceMap(s, escapes=True)
    while pos < n:
        m = _STRUCTURAL.search(s, pos)
        stop = n if m is None else m.start()
        if stop > pos:
            parts.append((_plain_text(s[pos:stop]), False))
        if m is None:
            break
        char = s[stop]
        end = _math_end(s, stop)
        if end >= 0:
            parts.append((s[stop:end], True))
        elif char == "$" or stop + 1 == n:  # an unmatched "$", a trailing backslash
            parts.append((char, False))
            end = stop + 1
        elif s[stop + 1] in "()[]":  # an unmatched math delimiter
            parts.append((s[stop : stop + 2], False))
            end = stop + 2
        else:
            end = _macro_end(s, stop, braces)
            if end < 0:
                end = n
            parts.extend(_macro_parts(s[stop:end]))
        pos = end
    return parts


def _plain_text(text: str) -> str:
    """Text without macros or math: grouping braces go, ligatures become characters."""
    braced = "{" in text or "}" in text
    if _LIGATURE.search(text) is None:
        return _BRACES.sub("", text) if braced else text
    if braced:  # a brace ends a ligature: "-{}-" is two hyphens
        return "".join(_LIGATURE.sub(_ligature_text, piece) for piece in _BRACES.split(text))
    return _LIGATURE.sub(_ligature_text, text)


def _ligature_text(m: re.Match[str]) -> str:
    return _LIGATURE_TEXT[m.group()]


def _macro_end(s: str, i: int, braces: _BraceMap) -> int:
    """End of the macro at ``s[i]`` with the arguments pylatexenc will give it.

    This mirrors how pylatexenc's walker reads arguments, so that converting
    the piece alone gives what converting the whole field would.  -1 when
    unsure (an unclosed group, ``\\verb``); the reader then takes the rest of
    the field, which is always correct, just slower.
    """
    n = len(s)
    j = i + 1
    if s[j].isalpha():
        while j < n and s[j].isalpha():
            j += 1
        name = s[i + 1 : j]
        j = _after_post_space(s, j)
    else:
        name = s[j]
        j += 1
    spec = _argument_spec(name)
    if spec is None:
        return -1
    argspec, optional_no_space = spec
    for kind in argspec:
        if kind == "{":
            j = _argument_end(s, j, braces)
        elif kind == "[":
            if not (optional_no_space and j < n and s[j].isspace()):
                j = _optional_argument_end(s, j, braces)
        else:  # "*"
            k = _skip_space(s, j)
            if 0 <= k < n and s[k] == "*":
                j = k + 1
        if j < 0:
            return -1
    if _keep_as_written(name):
        while j < n and s[j] == "{":
            close = braces.close(j)
            if close < 0:
                return -1
            j = close + 1
    return j


def _after_post_space(s: str, j: int) -> int:
    """Skip the spaces a control word eats; a blank line is not eaten."""
    k = j
    while k < len(s) and s[k].isspace():
        k += 1
        if k - 2 >= j and s[k - 2 : k] == "\n\n":
            return k - 2
    return k


def _skip_space(s: str, j: int) -> int:
    """Where pylatexenc's next token starts; -1 - pos if that token is a blank line."""
    k = j
    while k < len(s) and s[k].isspace():
        k += 1
        if k - 2 >= j and s[k - 2 : k] == "\n\n":
            return -1 - k
    return k


def _argument_end(s: str, j: int, braces: _BraceMap) -> int:
    """End of one mandatory argument (a group, a macro, a ligature, a character), or -1."""
    n = len(s)
    k = _skip_space(s, j)
    if k < 0:  # a blank line is the argument
        return -1 - k
    if k >= n:
        return n
    char = s[k]
    if char == "\\":
        if k + 1 >= n:
            return n
        if s[k + 1].isalpha():
            e = k + 1
            while e < n and s[e].isalpha():
                e += 1
            return _after_post_space(s, e)
        return k + 2
    if char == "{":
        close = braces.close(k)
        return -1 if close < 0 else close + 1
    if char == "}":  # missing argument
        return k
    if char == "$":
        return k + 2 if s.startswith("$$", k) else k + 1
    m = _LIGATURE.match(s, k)
    return m.end() if m else k + 1


def _optional_argument_end(s: str, j: int, braces: _BraceMap) -> int:
    """End of an optional ``[...]`` argument, ``j`` if there is none, -1 if unsure."""
    n = len(s)
    k = _skip_space(s, j)
    if k < 0 or k >= n or s[k] != "[":
        return j
    depth = 0
    while k < n:
        char = s[k]
        if char == "\\":
            if k + 1 < n and s[k + 1] in "()[]":
                return -1  # math inside an optional argument: let pylatexenc sort it out
            k += 2
            continue
        if char == "{":
            close = braces.close(k)
            if close < 0:
                return -1
            k = close + 1
            continue
        if char in "}$":
            return -1
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return -1


@functools.lru_cache(maxsize=4096)
def _argument_spec(name: str) -> tuple[str, bool] | None:
    """How pylatexenc's walker reads the macro's arguments: (argspec, no space before "[").

    None for environments and macros with a special argument reader (``\\verb``).
    """
    if name in ("begin", "end"):
        return None
    spec = _walker_db().get_macro_spec(name)
    if spec is None:
        return ("", False)
    parser = spec.args_parser
    if type(parser) is not macrospec.MacroStandardArgsParser:
        return None
    return (str(parser.argspec), bool(parser.optional_arg_no_space))


@functools.lru_cache(maxsize=4096)
def _keep_as_written(name: str) -> bool:
    return name in _KEEP_AS_WRITTEN or _text_db().get_macro_spec(name) is None


def _macro_parts(src: str) -> tuple[_Part, ...]:
    """Convert one macro with its arguments (or the rest of a field) with pylatexenc."""
    # Short pieces repeat across a bibliography; long ones would only fill the cache.
    return _cached_macro_parts(src) if len(src) <= 256 else _safe_pylatexenc_parts(src)


@functools.lru_cache(maxsize=16384)
def _cached_macro_parts(src: str) -> tuple[_Part, ...]:
    return _safe_pylatexenc_parts(src)


def _safe_pylatexenc_parts(src: str) -> tuple[_Part, ...]:
    try:
        return _pylatexenc_parts(src)
    except Exception:  # tolerant parsing still hits the recursion limit on deep nesting
        return ((src, False),)


def _pylatexenc_parts(src: str) -> tuple[_Part, ...]:
    """The pylatexenc conversion under our rules, as text and math parts."""
    protect_percent = _PERCENT not in src
    if protect_percent:
        src = _UNESCAPED_PERCENT.sub(lambda m: _PERCENT if m.group() == "%" else m.group(), src)
    mark_math = _MATH_OPEN not in src and _MATH_CLOSE not in src
    text = _converter(mark_math).convert(src)
    if protect_percent:
        text = text.replace(_PERCENT, "%")
    if not mark_math:
        return ((text, False),)
    pieces = _MARKED_MATH.split(text)
    return tuple((piece, k % 2 == 1) for k, piece in enumerate(pieces) if piece)


class _Latex2Unicode(LatexNodes2Text):  # type: ignore[misc]  # pylatexenc is untyped
    """pylatexenc's converter with our rules for unknown macros, math and spaces."""

    def __init__(self, mark_math: bool) -> None:
        super().__init__(latex_context=_text_db(), math_mode="verbatim")
        self._open, self._close = (_MATH_OPEN, _MATH_CLOSE) if mark_math else ("", "")

    def convert(self, src: str) -> str:
        walker = latexwalker.LatexWalker(src, latex_context=_walker_db(), tolerant_parsing=True)
        return str(self.nodelist_to_text(walker.get_latex_nodes()[0]))

    def nodelist_to_text(self, nodelist: list[Any]) -> str:
        # Unlike the base class: no space after a known control word (TeX eats
        # it), and an unknown macro keeps its spelling and the groups after it.
        out: list[str] = []
        k = 0
        while k < len(nodelist):
            node = nodelist[k]
            k += 1
            if node is None:
                continue
            if node.isNodeType(latexwalker.LatexMacroNode) and _keep_as_written(node.macroname):
                out.append(node.latex_verbatim())
                while k < len(nodelist) and _is_brace_group(nodelist[k]):
                    out.append(nodelist[k].latex_verbatim())
                    k += 1
            else:
                out.append(self.node_to_text(node))
        return "".join(out)

    def chars_node_to_text(self, node: Any, textcol: int = 0) -> str:
        return str(node.chars)  # keep all spaces; they are collapsed later

    def comment_node_to_text(self, node: Any) -> str:
        return "%" + str(node.comment) + str(node.comment_post_space)

    def macro_node_to_text(self, node: Any) -> str:
        if _keep_as_written(node.macroname):  # e.g. an unknown macro as an accent's argument
            return str(node.latex_verbatim())
        return str(super().macro_node_to_text(node))

    def specials_node_to_text(self, node: Any) -> str:
        chars = str(node.specials_chars)
        return _LIGATURE_TEXT.get(chars, chars)

    def math_node_to_text(self, node: Any) -> str:
        return self._open + str(node.latex_verbatim()) + self._close

    def environment_node_to_text(self, node: Any) -> str:
        return self._open + str(node.latex_verbatim()) + self._close


def _is_brace_group(node: Any) -> bool:
    return (
        node is not None
        and node.isNodeType(latexwalker.LatexGroupNode)
        and node.delimiters == ("{", "}")
    )


@functools.lru_cache(maxsize=2)
def _converter(mark_math: bool) -> _Latex2Unicode:
    return _Latex2Unicode(mark_math)


@functools.lru_cache(maxsize=1)
def _walker_db() -> Any:
    return latexwalker.get_default_latex_context_db()


def _url_text(node: Any) -> str:
    """A URL as written: pylatexenc would write "<url>" and turn "~" into a space."""
    arg = node.nodeargd.argnlist[0] if node.nodeargd and node.nodeargd.argnlist else None
    if arg is None:
        return ""
    written = str(arg.latex_verbatim())
    return written[1:-1] if _is_brace_group(arg) else written


@functools.lru_cache(maxsize=1)
def _text_db() -> Any:
    # "<cit.>"-style placeholders would lose the citation key; unknown, they stay verbatim.
    db = _default_text_db().filter_context(exclude_categories=["latex-placeholders"])
    macros = [MacroTextSpec(name, simplify_repl=text) for name, text in _EXTRA_SYMBOLS.items()]
    macros += [MacroTextSpec(name, discard=False) for name in _CONTENT_MACROS]
    macros.append(MacroTextSpec("url", simplify_repl=_url_text))
    db.add_context_category("mesorefs", macros=macros, prepend=True)
    return db
