"""What reading and writing share: the parts of a value (text or math), math and
environment spans, brace matching, and the private markers of the pylatexenc pass."""

from __future__ import annotations

import re

from mesorefs.lazy_re import lazy

# (text, is_math): math parts are never whitespace-collapsed.
_Part = tuple[str, bool]

_WS = lazy(r"[ \t\n\r\f\v]+")  # ASCII only: U+00A0 from "~" must survive
_NEEDS_READER = lazy(r"[\\{}$~`]|--|''")
_STRUCTURAL = lazy(r"[\\$]")
_BRACES = lazy(r"[{}]")
_LIGATURE = lazy(r"---|--|``|''|!`|\?`|~")
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
_INLINE_MATH = lazy(r"\$((?:[^\\$]|\\.)+)\$", re.S)
_DISPLAY_MATH = lazy(r"\$\$((?:[^\\$]|\\.)+)\$\$", re.S)
_PAREN_MATH = lazy(r"\\\(((?:[^\\]|\\[^)])+)\\\)", re.S)
_BRACKET_MATH = lazy(r"\\\[((?:[^\\]|\\[^\]])+)\\\]", re.S)
_BEGIN = lazy(r"\\begin\s*\{([\w* ._-]+)\}")  # as pylatexenc's walker reads it

# Private markers for the pylatexenc pass: Unicode noncharacters never occur in
# real text, and when one does we simply do without the marker.
_PERCENT = "\ufdd0"
_MATH_OPEN = "\ufdd1"
_MATH_CLOSE = "\ufdd2"
_UNESCAPED_PERCENT = lazy(r"\\.|%", re.S)
_MARKED_MATH = lazy(_MATH_OPEN + "(.*?)" + _MATH_CLOSE, re.S)

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
