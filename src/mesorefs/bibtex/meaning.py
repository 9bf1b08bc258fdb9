"""What a BibTeX field value means, so that a rewrite can be proved harmless.

``same_meaning(field, before, after)`` is the guard ``tidy`` puts in front of every
normalization: a rewritten value is written only when it reads exactly as the
original.  It is a reader of its own, deliberately simpler and stricter than the
one that builds ``Reference`` objects, so a slip in the normalizers shows up here
instead of in the user's file:

- accents, special letters, ligatures and escaped symbols compare by the character
  they make (``{\\'e}``, ``\\'{e}`` and ``é`` are one letter);
- every other command (``\\emph``, ``\\url``, ``\\MF``, ``\\TeX``, font switches) is
  kept with its brace arguments, and math is kept byte for byte;
- in titles, the capitals BibTeX's sentence case keeps (braces, except a group that
  starts with a command, which BibTeX lower-cases as a "special character" unless it
  opens the title or follows ": ") must be kept; protection may be added to acronyms and
  inner capitals (``DNA`` -> ``{DNA}``, ``iPhone``, ``3D``), never to other words, and
  never removed;
- names compare part by part as BibTeX splits them (First von Last, Jr);
- months by the month they name, pages with any dash between numbers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from mesorefs.lazy_re import LazyPattern, lazy

__all__ = ["TITLE_FIELDS", "plain_reading", "refuses_every_rewrite", "same_meaning"]

NAME_FIELDS = frozenset(
    "author editor translator bookauthor editora editorb editorc annotator commentator "
    "introduction foreword afterword holder".split()
)
TITLE_FIELDS = frozenset(
    "title subtitle titleaddon booktitle booksubtitle maintitle mainsubtitle eventtitle "
    "origtitle series".split()
)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

# A unit of meaning: its text and whether BibTeX's sentence case leaves it alone.
_Unit = tuple[str, bool]

_COMBINING = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
    "H": "\u030b", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_ESCAPED = {"&": "&", "%": "%", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}", " ": " "}
# Outside commands, these characters do work in TeX (alignment, comment, subscript):
# written unescaped they are not the same as their escaped letters.
_ACTIVE = frozenset("&%#_^")
_LIGATURES = (
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("``", "\u201c"),
    ("''", "\u201d"),
    ("!`", "\u00a1"),
    ("?`", "\u00bf"),
    ("~", "\u00a0"),
)
_LIGATURE_STARTS = frozenset("-`'!?~")
# TeX's blanks are ASCII: a no-break or narrow space (U+00A0, U+202F) is a character.
_BLANKS = " \t\n\r\f\v"
_BLANK_RUN = lazy(r"[ \t\n\r\f\v]+")
# At least one character, up to the next one that needs a rule.
_CONTROL_WORD = lazy(r"\\([A-Za-z]+)[ \t\n\r\f\v]*")
_PLAIN_RUN = lazy(r"[^{}\\$&%#_^ \t\n\r\f\v\-`'!?~]+|.", re.S)
# Characters no rule applies to (a ligature's first character only where no ligature
# follows), and single spaces between them: read as they stand, in one step.
_INERT = r"(?:[^{}\\$&%#_^ \t\n\r\f\v\-`'!?~]|-(?!-)|'(?!')|`(?!`)|[!?](?!`))+"
_TEXT_RUN = lazy(_INERT + "(?: " + _INERT + ")*")
_MATH_OPEN = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}


@functools.lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    """Control words that stand for one character (``\\ss``, ``\\o``, ``\\ldots``).

    Read from pylatexenc's table, keeping only replacements of one character, so
    words (``\\TeX`` -> "TeX") and formatting stay commands.
    """
    from pylatexenc.latex2text import get_default_latex_context_db

    out: dict[str, str] = {"i": "i", "j": "j"}  # dotless i and j carry accents
    db = get_default_latex_context_db()
    for category in db.categories():
        for spec in db.iter_macro_specs([category]):
            repl = getattr(spec, "simplify_repl", None)
            name = spec.macroname
            if isinstance(repl, str) and len(repl) == 1 and "%" not in repl and name.isalpha():
                out.setdefault(name, repl)
    for name, char in (("textbraceleft", "{"), ("textbraceright", "}"), ("textbackslash", "\\"),
                       ("textasciicircum", "^"), ("textasciitilde", "~"), ("ldots", "\u2026"),
                       ("dots", "\u2026"), ("textunderscore", "_"), ("textless", "<"),
                       ("textgreater", ">"), ("textbar", "|")):  # fmt: skip
        out[name] = char
    return out


class _Reader:
    """Reads one value into units, tracking brace depth as BibTeX does.

    With ``runs`` a run of plain letters is one unit (enough where only the text is
    compared); without, every letter is a unit of its own (titles compare the case
    protection of each letter).
    """

    def __init__(self, text: str, runs: bool = False) -> None:
        self.s = text
        self.i = 0
        self.runs = runs
        self.units: list[_Unit] = []

    def read(self) -> list[_Unit]:
        self._sequence(depth=0, special=False, until_close=False)
        return self.units

    def _emit(self, text: str, protected: bool) -> None:
        for char in text:
            self.units.append((char, protected))

    def _case_kept(self) -> bool:
        """True where sentence case keeps the next character: the start, or after ": "."""
        k = len(self.units)
        spaced = False
        while k and self.units[k - 1][0] in (" ", "\n\n", ""):  # "": a group's place
            spaced = spaced or self.units[k - 1][0] != ""
            k -= 1
        if k == 0:
            return True
        last = self.units[k - 1][0]  # ":" alone, or ending a run of letters
        return spaced and (last == ":" or (last[-1] == ":" and not _is_special(last)))

    def _sequence(self, depth: int, special: bool, until_close: bool) -> None:
        s, n = self.s, len(self.s)
        protected = depth > 0 and not special
        text_run = _TEXT_RUN.match if self.runs else None
        while self.i < n:
            if text_run is not None:
                run = text_run(s, self.i)
                if run is not None:  # words and single spaces that need no rule
                    self.units.append((run.group(), protected))
                    self.i = run.end()
                    continue
            c = s[self.i]
            if c == "}":
                self.i += 1
                if until_close:
                    return
                self._emit("}", protected)  # an unbalanced brace is text
            elif c == "{":
                self.i += 1
                # BibTeX's sentence case leaves a special character that opens the title
                # (or follows ": ") untouched, whole: ``{\\"Uber die Definition}``.
                opens_special = (
                    depth == 0 and self.i < n and s[self.i] == "\\" and not self._case_kept()
                )
                first = len(self.units)
                self.units.append(("", True))  # the group's place (no insert: linear)
                self._sequence(depth + 1, special or opens_special, until_close=True)
                if any(len(t) > 1 and t[0] == "\\" for t, _ in self.units[first + 1 :]):
                    # a group bounds what a command inside it does (a font switch)
                    self.units[first] = ("{", True)
                    self.units.append(("}", True))
            elif c == "\\":
                self._command(depth, special)
            elif c == "$":
                if not self._math(protected):  # an unmatched "$" is text
                    self.units.append(("$", protected))
                    self.i += 1
            elif c == "%":
                self._comment()
            elif c in _ACTIVE:
                self.i += 1
                self.units.append(("\ufdd0" + c, True))
            elif c in _BLANKS:
                start = self.i
                while self.i < n and s[self.i] in _BLANKS:
                    self.i += 1
                # a blank line ends a paragraph in TeX: it is not a space
                gap = "\n\n" if s.count("\n", start, self.i) > 1 else " "
                self.units.append((gap, protected))
            elif c in _LIGATURE_STARTS:
                for latex, char in _LIGATURES:
                    if s.startswith(latex, self.i):
                        self.i += len(latex)
                        self._emit(char, protected)
                        break
                else:
                    self.i += 1
                    self._emit(c, protected)
            else:  # a run of plain letters, in one step
                end = _PLAIN_RUN.match(s, self.i).end()  # type: ignore[union-attr]
                if self.runs:
                    self.units.append((s[self.i : end], protected))
                else:
                    self.units.extend((char, protected) for char in s[self.i : end])
                self.i = end

    def _comment(self) -> None:
        """``%`` comments out the rest of its line in TeX, the line's end and the next
        line's leading blanks with it: one unit holding what it hides, so a rewrite that
        joins lines (and moves text behind the ``%``) reads differently."""
        s = self.s
        end = s.find("\n", self.i) + 1 or len(s)  # the line's end is part of the comment
        self.units.append(("\ufdd0" + s[self.i : end], True))
        self.i = end
        while self.i < len(s) and s[self.i] in " \t":
            self.i += 1

    def _math(self, protected: bool) -> bool:
        """Read the math span opening at ``self.i`` as one unit; False when there is none."""
        s = self.s
        for opening, closing in _MATH_OPEN.items():
            if s.startswith(opening, self.i):
                end = s.find(closing, self.i + len(opening))
                if end > 0:
                    # BibTeX's sentence case lower-cases math too, unless it is braced
                    self.units.append((s[self.i : end + len(closing)], protected))
                    self.i = end + len(closing)
                    return True
        return False

    def _command(self, depth: int, special: bool) -> None:
        s, n = self.s, len(self.s)
        if self.i + 1 >= n:
            self.i += 1
            self._emit("\\", depth > 0 and not special)
            return
        if s[self.i + 1] in "([" and self._math(depth > 0 and not special):
            return
        j = self.i + 1
        if s[j].isalpha():
            while j < n and s[j].isalpha():
                j += 1
            name = s[self.i + 1 : j]
            k = j
            while k < n and s[k] in _BLANKS:
                k += 1
        else:
            name = s[j]
            j += 1
            k = j
        protected = depth > 0 and not special
        if name in _COMBINING and (not name.isalpha() or k < n):
            self.i = k if name.isalpha() else j
            base = self._accent_argument(depth, special)
            self._emit(unicodedata.normalize("NFC", base + _COMBINING[name]), protected)
            return
        if name in _ESCAPED:
            self.i = j
            self._emit(_ESCAPED[name], protected)
            return
        if name == "\\":
            self.i = j
            self.units.append(("\\\\", True))
            return
        letter = _letters().get(name) if name.isalpha() else None
        if letter is not None:
            self.i = k
            self._emit(letter, protected)
            return
        # Any other command is meaning of its own: its name, then its brace arguments.
        self.i = k if name.isalpha() else j
        self.units.append(("\\" + name, True))
        while self.i < n and s[self.i] == "{":
            self.units.append(("{", True))
            self.i += 1
            self._sequence(depth + 1, special, until_close=True)
            self.units.append(("}", True))

    def _accent_argument(self, depth: int, special: bool) -> str:
        """The letter under an accent: a character, ``\\i``, or a group."""
        s, n = self.s, len(self.s)
        if self.i >= n:
            return ""
        if s[self.i] == "{":
            inner = _Reader(s, self.runs)
            inner.i = self.i + 1
            inner._sequence(depth + 1, special, until_close=True)
            self.i = inner.i
            return "".join(t for t, _ in inner.units)
        if s[self.i] == "\\":
            m = _CONTROL_WORD.match(s, self.i)
            if m:
                self.i = m.end()
                return _letters().get(m.group(1), m.group(1))
        self.i += 1
        return s[self.i - 1]


def _collapse(units: list[_Unit]) -> list[_Unit]:
    """Runs of spaces are one space; spaces at the ends go; so do the empty places of
    groups that hold no command."""
    out: list[_Unit] = []
    for unit in units:
        if not unit[0]:
            continue
        if unit[0] in (" ", "\n\n") and (not out or out[-1][0] in (" ", "\n\n")):
            if out and unit[0] == "\n\n":
                out[-1] = unit  # a paragraph break outweighs a space
            continue
        out.append(unit)
    while out and out[-1][0] in (" ", "\n\n"):
        out.pop()
    return out


def _units(value: str) -> list[_Unit]:
    """The value's units, one per letter (for titles)."""
    return _collapse(_Reader(value).read())


# Nothing in such a value is LaTeX or a ligature: its text is its words.
_PLAIN_VALUE = lazy(r"[^{}\\$&%#_^\-`'!?~]*")
_GAP = _BLANK_RUN


def _gap(match: re.Match[str]) -> str:
    return "\n\n" if match.group().count("\n") > 1 else " "


@functools.lru_cache(maxsize=1 << 14)
def _text(value: str) -> str:
    """What the value reads as: its letters, the commands it keeps, its math."""
    if _PLAIN_VALUE.fullmatch(value):
        return _GAP.sub(_gap, value).strip(_BLANKS)
    return "".join(text for text, _ in _collapse(_Reader(value, runs=True).read()))


def _is_special(text: str) -> bool:
    """A unit of several characters that is not a run of letters: a command, math, an
    active character, a paragraph break."""
    return (
        text[0] in "\\$"
        or text == "\n\n"
        or (text[0] == "\ufdd0" and text[1] in _ACTIVE)  # a comment runs on
    )


@functools.lru_cache(maxsize=1 << 12)  # a title is read for a precheck, then the guard
def _read_title(value: str) -> tuple[str, tuple[tuple[int, str], ...], str]:
    """The title's text, its special units by place, and which letters are protected
    ("1") — what the letter-by-letter units hold, read in runs."""
    text: list[str] = []
    specials: list[tuple[int, str]] = []
    mask: list[str] = []
    at = 0
    for unit, protected in _collapse(_Reader(value, runs=True).read()):
        if len(unit) > 1 and _is_special(unit):
            specials.append((at, unit))
        text.append(unit)
        mask.append(("1" if protected else "0") * len(unit))
        at += len(unit)
    return "".join(text), tuple(specials), "".join(mask)


def _title_same(before: str, after: str) -> bool:
    """The same units (letters, commands, math), and no protected capital left bare.

    Read in runs first: different text or units, or the same letters protected before and
    after, settle it; only a title that loses or gains some protection is read letter by
    letter (a gain is allowed on acronyms only).
    """
    text_a, specials_a, mask_a = _read_title(before)
    text_b, specials_b, mask_b = _read_title(after)
    if text_a != text_b or specials_a != specials_b:
        return False
    if mask_a == mask_b:
        return True
    return _title_same_by_letter(before, after)


def plain_reading(value: str) -> str | None:
    """What ``value`` reads as when it holds no command, math, active character or
    paragraph break (only letters, escaped symbols, accents and braces); else None."""
    text, specials, _ = _read_title(value)
    return None if specials else text


def refuses_every_rewrite(
    field: str, before: str, text: str, spans: Callable[[], list[tuple[int, int]]]
) -> bool:
    """True when ``same_meaning(field, before, after)`` is False for every ``after`` that
    reads as ``text`` one unit per character (no command, math, active character or
    paragraph break) and, in a title, protects no letter outside ``spans()`` (character
    spans of ``text``, asked only when needed).

    A normalizer that writes a value from its plain reading can so be told its rewrite
    would be refused before it builds one: ``before`` reads differently, or it is a title
    with a protected capital the rewrite leaves bare (``{Message from the Chairman}``,
    ``{M}oore``) where BibTeX's sentence case would lower it.
    """
    field = field.lower()
    try:
        if field not in TITLE_FIELDS:
            return _text(before) != text
        read, specials, mask = _read_title(before)
    except RecursionError:  # same_meaning refuses what it cannot read
        return True
    if specials or read != text:
        return True
    if "1" not in mask:
        return False
    covered = [False] * len(text)
    for start, end in spans():
        covered[start:end] = [True] * (end - start)
    keep_next = True  # as _title_same_by_letter reads: these letters keep their case
    for k, char in enumerate(text):
        if keep_next and char != " ":
            keep_next = False
            continue
        if char == ":" and text[k + 1 : k + 2] == " ":
            keep_next = True
        if mask[k] == "1" and char.lower() != char and not covered[k]:
            return True
    return False


def _title_same_by_letter(before: str, after: str) -> bool:
    a, b = _units(before), _units(after)
    if len(a) != len(b) or any(x[0] != y[0] for x, y in zip(a, b, strict=True)):
        return False
    keep_next = True  # the first letter, and the one after ": ", keep their case
    for k, ((text, kept_a), (_, kept_b)) in enumerate(zip(a, b, strict=True)):
        if keep_next and text != " ":
            keep_next = False
            continue
        if text == ":" and k + 1 < len(a) and a[k + 1][0] == " ":
            keep_next = True
        if kept_a and not kept_b and text.lower() != text:
            return False  # the user's protection would be lost
        if kept_b and not kept_a and text.lower() != text and not _acronym_like(_word(a, k)):
            return False  # protection added to a word that is no acronym (issue 28)
    return True


def _word(units: Sequence[_Unit], k: int) -> str:
    """The word around unit ``k``: letters and digits, with ``.`` ``'`` inside it."""

    def part(i: int) -> bool:
        text = units[i][0]
        return len(text) == 1 and (text.isalnum() or text in ".'\u2019")

    start = k
    while start > 0 and part(start - 1):
        start -= 1
    end = k + 1
    while end < len(units) and part(end):
        end += 1
    return "".join(units[i][0] for i in range(start, end)).strip(".'\u2019")


def _acronym_like(word: str) -> bool:
    """Two capitals or more (DNA, U.S.A), a capital after a small letter (iPhone), or a
    capital after a digit with no small letter after it (3D): the words whose added
    protection "What tidy changes" allows; not Object, 64-Bit's Bit, 2Nd."""
    capitals = [i for i, c in enumerate(word) if c.isupper()]
    if len(capitals) >= 2:
        return True
    return any(
        i > 0
        and (
            word[i - 1].islower()
            or (word[i - 1].isdigit() and not any(c.islower() for c in word[i + 1 :]))
        )
        for i in capitals
    )


_BRACE = lazy(r"[{}]")


def _split_top(value: str, separator: LazyPattern[str]) -> list[str]:
    """Split at ``separator`` matches that stand at brace depth 0."""
    if "{" not in value and "}" not in value:
        return separator.split(value)
    braces = [(m.start(), m.group()) for m in _BRACE.finditer(value)]
    parts, start, depth, k = [], 0, 0, 0
    for m in separator.finditer(value):
        while k < len(braces) and braces[k][0] < m.start():
            depth = depth + 1 if braces[k][1] == "{" else max(0, depth - 1)
            k += 1
        if depth == 0 and m.start() >= start:
            parts.append(value[start : m.start()])
            start = m.end()
    parts.append(value[start:])
    return parts


# (?!(?<=B)B) first: a match starts only at the first blank of a run (the same matches;
# tried from every blank of a long run, the pattern took time quadratic in its length)
_AND = lazy(r"(?!(?<=[ \t\n\r\f\v])[ \t\n\r\f\v])[ \t\n\r\f\v]+and[ \t\n\r\f\v]+", re.IGNORECASE)
# "\ " and "~" part words; "\~" is an accent
_SPACE = lazy(r"(?:\\[ \t\n\r\f\v]|(?<!\\)[ \t\n\r\f\v~])+")
_COMMA = lazy(r",")


def _is_von(word: str) -> bool:
    depth = 0
    for c in word:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isalpha():
            return c.islower()
    return False


@functools.lru_cache(maxsize=1 << 15)  # the same people recur across a bibliography
def _name_parts(name: str) -> tuple[str, ...]:
    sections = [_split_top(p.strip(_BLANKS), _SPACE) for p in _split_top(name, _COMMA)]
    sections = [[w for w in words if w] for words in sections]
    first: list[str] = []
    von: list[str] = []
    last: list[str] = []
    jr: list[str] = []
    if len(sections) == 1:
        words = sections[0]
        body = words[:-1]
        start = next((k for k, w in enumerate(body) if _is_von(w)), len(body))
        end = max((k for k, w in enumerate(body) if _is_von(w)), default=-1)
        first, von = body[:start], body[start : end + 1] if end >= start else []
        last = body[end + 1 :] if end >= start else []
        last = last + words[-1:]
    else:
        words = sections[0]
        body = words[:-1]
        end = max((k for k, w in enumerate(body) if _is_von(w)), default=-1)
        von, last = body[: end + 1], body[end + 1 :] + words[-1:]
        jr = sections[1] if len(sections) > 2 else []
        first = sections[2] if len(sections) > 2 else sections[1]
    more = tuple(_text(" ".join(section)) for section in sections[3:])  # not BibTeX: as is
    return tuple(_text(" ".join(part)) for part in (first, von, last, jr)) + more


def _names(value: str) -> tuple[tuple[str, ...], ...]:
    value = " ".join(value.split()) if value.isascii() else _BLANK_RUN.sub(" ", value).strip(" ")
    return tuple(_name_parts(n.strip(" ")) for n in _split_top(value, _AND))


def _month(value: str) -> str:
    text = _text(value).lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return _MONTHS[int(text) - 1]
    return text[:3] if text[:3] in _MONTHS and len(text) >= 3 else text


_DASH = lazy(r"(?!(?<=\s)\s)\s*[-\u2010-\u2015]+\s*")  # (?!(?<=B)B): see _AND


def _meaning(field: str, value: str) -> Any:
    if field in NAME_FIELDS:
        return _names(value)
    if field == "month":
        return _month(value)
    if field == "pages":
        return _DASH.sub("-", _text(value))
    return _text(value)


def same_meaning(field: str, before: str, after: str) -> bool:
    """True when ``after`` reads as ``before`` for this field (see the module doc)."""
    if before == after:
        return True
    field = field.lower()
    try:
        if field in TITLE_FIELDS:
            return _title_same(before, after)
        return bool(_meaning(field, before) == _meaning(field, after))
    except RecursionError:  # absurd nesting: do not rewrite what we cannot read
        return False
