"""BibTeX field values: LaTeX to Unicode and back, on top of pylatexenc.

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

Writing (:func:`unicode_to_latex`)
    One canonical form.  ``& % # _`` get a backslash and a lone ``$`` becomes
    ``\\$``; ``{ } ~ ^ \\`` become ``{\\textbraceleft}``, ``{\\textbraceright}``,
    ``{\\textasciitilde}``, ``{\\textasciicircum}``, ``{\\textbackslash}``.  En
    and em dashes and the no-break space become ``--``, ``---`` and ``~``.
    Character pairs LaTeX would read as a ligature (``--``, ``''``, ...) are
    split with ``{}``.  Math and environments with balanced braces pass through,
    and so does a command exactly where the reader would have kept it as
    written (``\\foo{bar}``); any other backslash is text.  With ``ascii_only``
    (the default) the text is NFC-normalised and each other non-ASCII character
    becomes a braced macro: ``{\\'e}``, ``{\\"a}``, ``{\\'\\i}`` (an accent over
    i always sits on the dotless ``\\i``), ``{\\ss}``, ``{\\o}``, ``{\\aa}``,
    ``{\\ae}``, ``{\\l}``, ``{\\c{c}}``, ``{\\v{s}}``, ``{\\=a}``, ``{\\ldots}``;
    curly double quotes become ````` `` ````` and ``''``.  A character with no
    macro that reads back to itself stays as it is.  The braces of the output
    always balance, as BibTeX requires.

``latex_to_unicode(unicode_to_latex(s)) == s`` for any ``s`` of single-spaced
words, and writing is idempotent through a read.

Speed: text without LaTeX never reaches pylatexenc.  Otherwise a small scanner
handles plain text, braces, ligatures and math itself and hands pylatexenc only
each macro with its arguments, caching the result: the same ``{\\"u}`` turns up
in thousands of entries.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as _default_text_db
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

__all__ = [
    "latex_to_unicode",
    "mask_plain",
    "plain_to_latex",
    "read_recurring",
    "unicode_to_latex",
    "unmask_plain",
    "write_recurring",
]

# (text, is_math): math parts are never whitespace-collapsed.
_Part = tuple[str, bool]

_WS = re.compile(r"[ \t\n\r\f\v]+")  # ASCII only: U+00A0 from "~" must survive
_NEEDS_READER = re.compile(r"[\\{}$~`]|--|''")
_STRUCTURAL = re.compile(r"[\\$]")
_BRACES = re.compile(r"[{}]")
_LIGATURE = re.compile(r"---|--|``|''|!`|\?`|~")
_LIGATURE_TEXT = {
    "---": "\u2014",
    "--": "\u2013",
    "``": "\u201c",
    "''": "\u201d",
    "!`": "\u00a1",
    "?`": "\u00bf",
    "~": "\u00a0",
}

# Math spans.  A span longer than this is not looked for: it keeps a field full
# of unmatched "$" linear, and no real field has such a formula.
_MAX_MATH = 4096
_INLINE_MATH = re.compile(r"\$((?:[^\\$]|\\.)+)\$", re.S)
_DISPLAY_MATH = re.compile(r"\$\$((?:[^\\$]|\\.)+)\$\$", re.S)
_PAREN_MATH = re.compile(r"\\\(((?:[^\\]|\\[^)])+)\\\)", re.S)
_BRACKET_MATH = re.compile(r"\\\[((?:[^\\]|\\[^\]])+)\\\]", re.S)
_BEGIN = re.compile(r"\\begin\s*\{([\w* ._-]+)\}")  # as pylatexenc's walker reads it

# Private markers for the pylatexenc pass: Unicode noncharacters never occur in
# real text, and when one does we simply do without the marker.
_PERCENT = "\ufdd0"
_MATH_OPEN = "\ufdd1"
_MATH_CLOSE = "\ufdd2"
_UNESCAPED_PERCENT = re.compile(r"\\.|%", re.S)
_MARKED_MATH = re.compile(_MATH_OPEN + "(.*?)" + _MATH_CLOSE, re.S)

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
_ACCENT_GROUP = re.compile(
    r"\{\\(?:[^A-Za-z\s{}\\](?:\\?[A-Za-z]|\{\\?[A-Za-z]\})"
    r"|[A-Za-z]+(?:\{\\?[A-Za-z]\}| [A-Za-z])?)\}"
)


_ARGUMENT_TAKER = re.compile(r"\\(?![&%_#])")


def _accent_letter(m: re.Match[str]) -> str:
    return _group_letter(m.group())


@functools.lru_cache(maxsize=4096)
def _group_letter(group: str) -> str:
    """The letter a group reads as, or the group itself when it is not one letter."""
    text = _assemble(_read_parts(group))
    return text if text.isalpha() and not text.isascii() else group


def unicode_to_latex(text: str, ascii_only: bool = True) -> str:
    """Unicode text as a BibTeX-safe LaTeX field value (see the module doc)."""
    if text.isascii() and not _NEEDS_WRITER.search(text):
        return _WS.sub(" ", text).strip(" ")
    if "\\" not in text and "$" not in text:  # no math or commands to pass through
        return _WS.sub(" ", _encode_text(text, ascii_only)).strip(" ")
    parts: list[_Part] = []
    pos, n = 0, len(text)
    braces = _BraceMap(text, escapes=False)  # BibTeX counts every brace
    after_command = ""  # "word" or "symbol" right after a command we passed through
    while pos < n:
        m = _WRITER_STRUCTURAL.search(text, pos)
        stop = n if m is None else m.start()
        if stop > pos:
            encoded = _encode_text(text[pos:stop], ascii_only)
            if after_command:
                encoded = _detach(encoded, allow_space=after_command == "word")
            parts.append((encoded, False))
            after_command = ""
        if m is None:
            break
        end = _math_end(text, stop)
        if end >= 0:
            parts.append((text[stop:end], True))
            after_command = ""
        elif text[stop] == "$":
            parts.append(("\\$", False))
            end = stop + 1
            after_command = ""
        else:
            end = _command_end(text, stop, braces)
            if end >= 0:
                parts.append((text[stop:end], False))
                # after a bare control word the reader skips spaces to find a group
                last = text[end - 1]
                after_command = "word" if last.isalpha() or last.isspace() else "symbol"
            else:
                parts.append(("\\textbackslash{}" if after_command else "{\\textbackslash}", False))
                end = stop + 1
                after_command = ""
        pos = end
    return _assemble(parts)


# Venues, publishers and name parts recur across a bibliography: convert each once.
read_recurring = functools.lru_cache(maxsize=1 << 14)(latex_to_unicode)
write_recurring = functools.lru_cache(maxsize=1 << 14)(unicode_to_latex)


# -- plain text ------------------------------------------------------------------
# Text from a service, CSL-JSON or RIS is plain text, never LaTeX: a backslash or a
# dollar in it is a character.  ``mask_plain`` hides both behind noncharacters the
# writer passes through untouched; ``unmask_plain`` turns them into the LaTeX for the
# character, so ``\input{x}`` from a service is written ``{\textbackslash}input...``
# and reads back as the same text, never as a command.
_PLAIN_BACKSLASH = "\ufdd4"
_PLAIN_DOLLAR = "\ufdd5"
_PLAIN_MARKS = re.compile("[\ufdd4\ufdd5]")


def mask_plain(text: str) -> str:
    """Plain text with its backslashes and dollars hidden from :func:`unicode_to_latex`."""
    text = _PLAIN_MARKS.sub("", text)
    return text.replace("\\", _PLAIN_BACKSLASH).replace("$", _PLAIN_DOLLAR)


def unmask_plain(latex: str) -> str:
    """The LaTeX value of masked plain text: each hidden character written as text."""
    if _PLAIN_BACKSLASH not in latex and _PLAIN_DOLLAR not in latex:
        return latex
    return latex.replace(_PLAIN_BACKSLASH, "{\\textbackslash}").replace(_PLAIN_DOLLAR, "\\$")


def plain_to_latex(text: str, ascii_only: bool = True) -> str:
    """Plain text (never LaTeX) as a BibTeX value that reads back as the same text."""
    return unmask_plain(unicode_to_latex(mask_plain(text), ascii_only=ascii_only))


# -- shared helpers ------------------------------------------------------------


def _assemble(parts: list[_Part] | tuple[_Part, ...]) -> str:
    """Join parts, collapsing ASCII whitespace outside math and trimming the ends."""
    if not any(is_math for _, is_math in parts):
        return _WS.sub(" ", "".join(text for text, _ in parts)).strip(" ")
    out: list[str] = []
    space_pending = False
    for text, is_math in parts:
        if is_math:
            if space_pending and out:
                out.append(" ")
            space_pending = False
            out.append(text)
            continue
        text = _WS.sub(" ", text)
        if not text:
            continue
        if text[0] == " ":
            space_pending = True
            text = text[1:]
        if not text:
            continue
        if space_pending and out:
            out.append(" ")
        space_pending = text[-1] == " "
        out.append(text[:-1] if space_pending else text)
    return "".join(out)


def _math_end(s: str, i: int) -> int:
    """End of the math span starting at ``s[i]``, or -1 if there is none.

    Both directions use this, so what the reader keeps as math is exactly what
    the writer passes through.  Braces inside must balance as BibTeX counts them
    (escaped ones included), so passing a span through never breaks a .bib file.
    """
    limit = min(len(s), i + _MAX_MATH)
    if s.startswith("$$", i):
        pattern, closing = _DISPLAY_MATH, "$$"
    elif s.startswith("$", i):
        pattern, closing = _INLINE_MATH, "$"
    elif s.startswith("\\(", i):
        pattern, closing = _PAREN_MATH, "\\)"
    elif s.startswith("\\[", i):
        pattern, closing = _BRACKET_MATH, "\\]"
    elif s.startswith("\\begin", i):
        return _environment_end(s, i, limit)
    else:
        return -1
    if s.find(closing, i + len(closing), limit) < 0:  # cheap early exit
        return -1
    m = pattern.match(s, i, limit)
    if m is None or not _braces_balance(m.group(1)):
        return -1
    return m.end()


def _environment_end(s: str, i: int, limit: int) -> int:
    """End of ``\\begin{name}...\\end{name}`` starting at ``s[i]``, or -1."""
    begin = _BEGIN.match(s, i, limit)
    if begin is None:
        return -1
    closing = re.compile(r"\\end\s*\{" + re.escape(begin.group(1)) + r"\}")
    end = closing.search(s, begin.end(), limit)
    if end is None or not _braces_balance(s[i : end.end()]):
        return -1
    return end.end()


def _braces_balance(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


class _BraceMap:
    """Matching closing brace for each opening one, computed once per string.

    With ``escapes`` a backslash hides the next character (how TeX and
    pylatexenc pair braces); without, every brace counts (how BibTeX does).
    Precomputing keeps many unclosed groups linear instead of quadratic.
    """

    def __init__(self, s: str, escapes: bool) -> None:
        self._s = s
        self._escapes = escapes
        self._close: dict[int, int] | None = None

    def close(self, i: int) -> int:
        """Index of the brace closing the one at ``i``, or -1."""
        if self._close is None:
            self._close = {}
            stack: list[int] = []
            pattern = r"\\.|[{}]" if self._escapes else r"[{}]"
            for m in re.finditer(pattern, self._s, re.S):
                char = m.group()
                if char == "{":
                    stack.append(m.start())
                elif char == "}" and stack:
                    self._close[stack.pop()] = m.start()
        return self._close.get(i, -1)


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


# -- writing -------------------------------------------------------------------

_NEEDS_WRITER = re.compile(r"[\\{}$&%#_~^]|--|''|``|!`|\?`")
_WRITER_STRUCTURAL = re.compile(r"[\\$]")
# Characters that need work, and characters that may start a ligature with the next one.
_ENCODE_ASCII = re.compile(r"[-'`!?&%#_{}~^\u2013\u2014\u00a0\u201c\u201d]|[^\x00-\x7f]")
_ENCODE_UNICODE = re.compile(r"[-'`!?&%#_{}~^\u2013\u2014\u00a0]")
_LIGATURE_PAIRS = frozenset({"--", "''", "``", "!`", "?`"})
_ALWAYS = {
    "&": "\\&",
    "%": "\\%",
    "#": "\\#",
    "_": "\\_",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
    "\u2013": "--",
    "\u2014": "---",
    "\u00a0": "~",
}
_ASCII_ONLY = {
    "\u201c": "``",
    "\u201d": "''",
}
# Where our canonical macro differs from pylatexenc's choice.
_PREFERRED_MACROS = {
    ord("\u00e5"): "\\aa",
    ord("\u00c5"): "\\AA",
    ord("\u2026"): "\\ldots",
    ord("\u0237"): "\\j",
    ord("\u01d0"): "\\v{\\i}",
    ord("\u0129"): "\\~\\i",
    ord("\u012b"): "\\=\\i",
    ord("\u012d"): "\\u{\\i}",
    ord("\u0170"): "\\H{U}",  # pylatexenc 2.10 writes an acute here
    ord("\u0171"): "\\H{u}",
}
# pylatexenc writes some accents as "\={a}"; ours is "{\=a}" like "{\'e}".
_ENDS_WITH_CONTROL_WORD = re.compile(r"\\[A-Za-z]+$")
_SYMBOL_ACCENT_GROUP = re.compile(r"^\{\\([^A-Za-z])\{([A-Za-z]|\\[ij])\}\}$")


def _encode_text(text: str, ascii_only: bool) -> str:
    """Encode text that holds no backslash and no dollar."""
    if ascii_only and not text.isascii():
        text = unicodedata.normalize("NFC", text)
    pattern = _ENCODE_ASCII if ascii_only else _ENCODE_UNICODE

    def replace(m: re.Match[str]) -> str:
        piece = _encode_char(m.group(), ascii_only)
        end = m.end()
        if end < len(text):
            following = _encode_char(text[end], ascii_only)
            if piece[-1] + following[0] in _LIGATURE_PAIRS:
                piece += "{}"  # "-" then "–" must not read as "---"
        return piece

    return pattern.sub(replace, text)


def _detach(encoded: str, allow_space: bool) -> str:
    """Unbrace the first piece so the reader does not take it as the command's argument.

    After ``\\foo`` a ``{\\'e}`` would read as ``\\foo{\\'e}`` kept verbatim;
    ``\\'e`` (or ``\\ss{}``) reads as the letter.
    """
    k = len(encoded) - len(encoded.lstrip(" ")) if allow_space else 0
    if k >= len(encoded) or encoded[k] != "{":
        return encoded
    close = _BraceMap(encoded, escapes=False).close(k)
    if close < 0:
        return encoded
    inner = encoded[k + 1 : close]
    if _ENDS_WITH_CONTROL_WORD.search(inner):
        inner += "{}"
    return encoded[:k] + inner + encoded[close + 1 :]


def _encode_char(char: str, ascii_only: bool) -> str:
    if char in _ALWAYS:
        return _ALWAYS[char]
    if ascii_only:
        if char in _ASCII_ONLY:
            return _ASCII_ONLY[char]
        if not char.isascii():
            return _macro_for(char)
    return char


@functools.lru_cache(maxsize=8192)
def _macro_for(char: str) -> str:
    """The braced macro for a non-ASCII character, or the character if none reads back."""
    latex = str(_encoder().unicode_to_latex(char))
    latex = _SYMBOL_ACCENT_GROUP.sub(r"{\\\1\2}", latex)
    if latex == char or not latex.isascii() or latex_to_unicode(latex) != char:
        return char
    if "ensuremath" not in latex and any(
        name not in _KERNEL_TEXT_MACROS for name in _CONTROL_WORD.findall(latex)
    ):
        return char  # \cyrm, \textuparrow: they need packages a document may lack
    return latex


_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
# Text macros every LaTeX document has (kernel, T1 and textcomp, which the kernel loads).
_KERNEL_TEXT_MACROS = frozenset(
    """c v u H k r d b t i j ss o O l L ae AE oe OE aa AA ldots dots S P copyright pounds
    dag ddag dh DH th TH ng NG dj DJ guillemotleft guillemotright guilsinglleft
    guilsinglright quotedblbase quotesinglbase textdegree textregistered texttrademark
    textcopyright textordfeminine textordmasculine textonehalf textonequarter
    textthreequarters textperiodcentered textsection textparagraph textdagger
    textdaggerdbl textbullet textellipsis textquoteleft textquoteright textquotedblleft
    textquotedblright textquotesingle textexclamdown textquestiondown textsterling textyen
    texteuro textcent textcurrency textbrokenbar textasciidieresis textasciimacron
    textasciiacute textasciicaron textasciibreve textperthousand textmu textmultiply
    textdiv textonesuperior texttwosuperior textthreesuperior textminus texttimes
    textlnot""".split()
)


@functools.lru_cache(maxsize=1)
def _encoder() -> Any:
    rules = [UnicodeToLatexConversionRule(RULE_DICT, rule=_PREFERRED_MACROS), "defaults"]
    return UnicodeToLatexEncoder(
        conversion_rules=rules,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def _command_end(text: str, i: int, braces: _BraceMap) -> int:
    """End of a backslash command to pass through unchanged, or -1.

    Only what the reader would itself keep as written passes: an unknown macro
    (``\\foo{bar}``) with the same extent the reader gives it.  Any other
    backslash is text and is written as ``{\\textbackslash}``, so Unicode
    ``\\alpha`` or ``\\{`` reads back as typed and the braces stay balanced.
    """
    if i + 1 >= len(text):
        return -1
    j = i + 1
    if text[j].isalpha():
        while j < len(text) and text[j].isalpha():
            j += 1
        name = text[i + 1 : j]
    else:
        name = text[j]
    if name in "()[]" or name.isspace() or not _keep_as_written(name):
        return -1  # "\\(" alone is text to the reader; "\\ " would become a control space
    end = _macro_end(text, i, braces)
    return end if end >= 0 and _braces_balance(text[i:end]) else -1
