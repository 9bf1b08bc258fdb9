"""Sort keys compared as citeproc-js compares them.

citeproc-js lower-cases each key, turns its spaces into ``|`` and compares with the
platform collator at base strength, punctuation ignored and digits read as numbers
(``Intl.Collator(locale, {sensitivity: "base", ignorePunctuation: true, numeric:
true})``).  So ``O’Rourke`` sorts as ``ORourke``, ``Chapter 3`` before ``Chapter 15``,
``RING`` beside ``Ring``, ``Ångström`` beside ``Angstrom``, and a word ends before a
longer one begins (``Smith J`` before ``Smithson``): the ``|`` is a symbol, and
symbols sort before digits and letters.  :func:`collation_key` gives a tuple that
Python orders the same way, so sorting needs no collation library.

The collator is the one of the locale the document is rendered in, and some
languages order letters their own way (CLDR's tailorings, :data:`TAILORINGS`): in
Czech ``č`` is a letter after ``c`` and ``ch`` one after ``h``, in Turkish ``ı``
comes before ``i``, in Spanish ``ñ`` after ``n``, and Chinese puts Han characters
before Latin letters, Japanese puts kana and Han after them (:data:`SCRIPT_ORDER`).
Han characters among themselves follow the code points here (pinyin and stroke
order are not modelled).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

__all__ = ["SCRIPT_ORDER", "TAILORINGS", "CollationKey", "collation_key"]

CollationKey = tuple[tuple[int, int], ...]

_SYMBOL, _DIGITS, _LETTER, _LAST = 0, 1, 2, 3
# The replacement character, which the collator puts after every other character.
_REPLACEMENT = "\ufffd"
# A space in a key, as citeproc-js writes it: its field separator "|", a symbol.
_SEPARATOR = (_SYMBOL, ord("|"))
# Letters the collator reads as a base letter (or two) that Unicode does not decompose.
_BASE_LETTERS = {
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
}

# A letter's weight: its script's place, then its base letter, then its place after
# that letter in a language that adds letters of its own.
_STEP = 16
_SCRIPT_STEP = 1 << 32

TAILORINGS: Mapping[str, Mapping[str, tuple[str, int]]] = {
    "cs": {"č": ("c", 1), "ch": ("h", 1), "ř": ("r", 1), "š": ("s", 1), "ž": ("z", 1)},
    "sk": {
        "ä": ("a", 1),
        "č": ("c", 1),
        "ch": ("h", 1),
        "ô": ("o", 1),
        "ř": ("r", 1),
        "š": ("s", 1),
        "ž": ("z", 1),
    },
    "tr": {
        "ç": ("c", 1),
        "ğ": ("g", 1),
        "ı": ("i", -1),
        "ö": ("o", 1),
        "ş": ("s", 1),
        "ü": ("u", 1),
    },
    "es": {"ñ": ("n", 1)},
    "pl": {
        "ą": ("a", 1),
        "ć": ("c", 1),
        "ę": ("e", 1),
        "ł": ("l", 1),
        "ń": ("n", 1),
        "ó": ("o", 1),
        "ś": ("s", 1),
        "ź": ("z", 1),
        "ż": ("z", 2),
    },
    "hr": {
        "č": ("c", 1),
        "ć": ("c", 2),
        "dž": ("d", 1),
        "đ": ("d", 2),
        "lj": ("l", 1),
        "nj": ("n", 1),
        "š": ("s", 1),
        "ž": ("z", 1),
    },
    "sl": {"č": ("c", 1), "ć": ("c", 2), "đ": ("d", 1), "š": ("s", 1), "ž": ("z", 1)},
}
"""By language, the letters (lower case, composed; or two letters that sort as one)
that CLDR orders as letters of their own: each after a base letter (a step of 1, 2,
...) or, with a step of -1, before it.  Languages not listed sort as the root
collation does (English, German, French, Portuguese, Russian, ...), where only the
dotless ``ı`` is such a letter (after ``i``)."""

_ROOT = {"ı": ("i", 1)}  # dotless i, a letter of its own after i

_LATIN, _HAN, _KANA, _HANGUL, _OTHER = "latin", "han", "kana", "hangul", "other"

SCRIPT_ORDER: Mapping[str, tuple[str, ...]] = {
    "zh": (_HAN, _OTHER),
    "ja": (_LATIN, _KANA, _HAN, _OTHER),
    "ko": (_HANGUL, _HAN, _OTHER),
}
"""By language, the scripts whose letters CLDR moves ahead of the others, in order;
the rest (``other``: Latin, Greek, Cyrillic, ...) keep the root order among
themselves; ``latin`` is moved apart only where it is named.  Languages not listed
keep the root order (Latin first)."""


def _script(char: str) -> str:
    code = ord(char)
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF:
        return _HAN
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return _KANA
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return _HANGUL
    if code < 0x0370 or 0x1E00 <= code <= 0x1EFF or 0xA720 <= code <= 0xA7FF:
        return _LATIN
    return _OTHER


def _letter(char: str, order: tuple[str, ...]) -> tuple[int, int]:
    script = _script(char)
    if script not in order:
        script = _OTHER
    place = order.index(script)
    return (_LETTER, place * _SCRIPT_STEP + ord(char) * _STEP)


def _elements(text: str, language: str) -> list[tuple[int, int]]:
    tailoring = TAILORINGS.get(language, _ROOT)
    order = SCRIPT_ORDER.get(language, (_OTHER,))
    text = unicodedata.normalize("NFC", text.lower())
    out: list[tuple[int, int]] = []
    digits = ""
    position = 0
    while position < len(text):
        pair = text[position : position + 2]
        own = tailoring.get(pair) if len(pair) == 2 else None
        if own is None:
            pair = text[position]
            own = tailoring.get(pair)
        position += len(pair)
        if own is not None:
            if digits:
                out.append((_DIGITS, int(digits)))
                digits = ""
            base, step = own
            out.append((_LETTER, _letter(base, order)[1] + step))
            continue
        for char in unicodedata.normalize("NFKD", pair):
            if char.isdigit() and unicodedata.category(char) == "Nd":
                digits += str(unicodedata.digit(char))
                continue
            if digits:
                out.append((_DIGITS, int(digits)))
                digits = ""
            if char == _REPLACEMENT:
                out.append((_LAST, 0))
                continue
            if char == " ":
                out.append(_SEPARATOR)
                continue
            category = unicodedata.category(char)
            if category[0] in "PMZC":  # punctuation, accents, other spaces, controls: ignored
                continue
            if category[0] == "S":
                out.append((_SYMBOL, ord(char)))
            else:
                out.extend(_letter(c, order) for c in _BASE_LETTERS.get(char, char))
    if digits:
        out.append((_DIGITS, int(digits)))
    return out


def _language(locale: str | None) -> str:
    return (locale or "en").replace("_", "-").split("-")[0].lower()


_DIGIT_RUN = re.compile(r"[0-9]+")


@lru_cache(maxsize=64)
def _ascii_table(language: str) -> dict[str, tuple[int, int] | None] | None:
    """Each ASCII character but a digit (lower case), as :func:`_elements` reads it alone:
    its element or None (ignored); None for a language that tailors ASCII letters (Czech
    ``ch``), where a character's reading depends on the next."""
    if any(letter.isascii() for letter in TAILORINGS.get(language, _ROOT)):
        return None
    table: dict[str, tuple[int, int] | None] = {}
    for code in range(128):
        char = chr(code)
        if not char.isdigit():
            elements = _elements(char, language)
            table[char] = elements[0] if elements else None
    return table


def _ascii_elements(text: str, table: dict[str, tuple[int, int] | None]) -> CollationKey:
    """:func:`_elements` of an ASCII ``text`` (lower case) by table, a run of digits
    read as one number: the same key, a character at a time in C."""
    out: list[tuple[int, int]] = []
    position = 0
    for run in _DIGIT_RUN.finditer(text):
        out += [e for c in text[position : run.start()] if (e := table[c]) is not None]
        out.append((_DIGITS, int(run.group())))
        position = run.end()
    out += [e for c in text[position:] if (e := table[c]) is not None]
    return tuple(out)


@lru_cache(maxsize=4096)
def _key(text: str, language: str) -> CollationKey:
    table = _ascii_table(language) if text.isascii() else None
    if table is not None:
        return _ascii_elements(text.lower(), table)
    return tuple(_elements(text, language))


def collation_key(text: str, locale: str | None = None) -> CollationKey:
    """``text`` as citeproc-js's comparison sees it in ``locale`` ("cs-CZ"; None for
    the root order, as in English): two keys compare (``<``, ``==``) as citeproc-js
    compares the strings."""
    return _key(text, _language(locale))
