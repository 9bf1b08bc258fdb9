"""Unicode text, written as a BibTeX-safe LaTeX field value (on top of pylatexenc).

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
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from mesorefs.bibtex.latex.read import (
    _keep_as_written,
    _macro_end,
    latex_to_unicode,
)
from mesorefs.bibtex.latex.scan import (
    _WS,
    _assemble,
    _BraceMap,
    _braces_balance,
    _math_end,
    _Part,
)
from mesorefs.lazy_re import lazy

__all__ = ["mask_plain", "plain_to_latex", "unicode_to_latex", "unmask_plain", "write_recurring"]


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


write_recurring = functools.lru_cache(maxsize=1 << 14)(unicode_to_latex)


# -- plain text ------------------------------------------------------------------
# Text from a service, CSL-JSON or RIS is plain text, never LaTeX: a backslash or a
# dollar in it is a character.  ``mask_plain`` hides both behind noncharacters the
# writer passes through untouched; ``unmask_plain`` turns them into the LaTeX for the
# character, so ``\input{x}`` from a service is written ``{\textbackslash}input...``
# and reads back as the same text, never as a command.
_PLAIN_BACKSLASH = "\ufdd4"
_PLAIN_DOLLAR = "\ufdd5"
_PLAIN_MARKS = lazy("[\ufdd4\ufdd5]")


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


# -- writing -------------------------------------------------------------------

_NEEDS_WRITER = lazy(r"[\\{}$&%#_~^]|--|''|``|!`|\?`")
_WRITER_STRUCTURAL = lazy(r"[\\$]")
# Characters that need work, and characters that may start a ligature with the next one.
_ENCODE_ASCII = lazy(r"[-'`!?&%#_{}~^\u2013\u2014\u00a0\u201c\u201d]|[^\x00-\x7f]")
_ENCODE_UNICODE = lazy(r"[-'`!?&%#_{}~^\u2013\u2014\u00a0]")
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
_ENDS_WITH_CONTROL_WORD = lazy(r"\\[A-Za-z]+$")
_SYMBOL_ACCENT_GROUP = lazy(r"^\{\\([^A-Za-z])\{([A-Za-z]|\\[ij])\}\}$")


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


_CONTROL_WORD = lazy(r"\\([A-Za-z]+)")
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
