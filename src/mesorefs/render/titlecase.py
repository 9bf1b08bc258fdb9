"""Title case as citeproc-js writes it, so that every style title-cases the same way.

pandoc's citeproc and citeproc-js disagree on what a word is.  pandoc capitalizes the
first letter of each space-separated word; citeproc-js cuts the title at punctuation,
quotes, brackets and markup and capitalizes the first *character* of each lower-case
piece.  So citeproc-js writes ``econdirectLMS.Zip``, ``CuI/l-Proline``, ``&#x00026;``,
``…no-Place`` and ``d’une`` where pandoc writes something else.  The rules, as
measured against citeproc-js:

* a run of text between two marks is split at spaces into words;
* a word is capitalized when it is all lower case and either longer than one
  character and not a function word, or the first word of the title, or the first
  word after ``:``, ``?`` or ``!``; capitalizing upper-cases its first character,
  whatever that is, except a lone Greek letter;
* the last word of the first run, when a hyphen follows it, is capitalized even if
  it is a function word (``Down-Regulates``);
* nothing inside ``nocase``, small-caps, ``<sub>`` or ``<sup>`` changes;
* a closing quote that closes nothing, or an opening quote never closed, keeps the
  first character after it as written (``d’une``);
* a function word that ends the title is capitalized;
* a space before ``:``, ``;``, ``?``, ``!`` or ``»``, or after ``«``, joins the words
  around it (citeproc-js makes it a narrow no-break space first; we keep the space).
"""

from __future__ import annotations

import re

__all__ = ["is_function_word", "title_case"]

# The English words citeproc-js keeps lower case inside a title.
_FUNCTION_WORDS = frozenset(
    """about above across afore after against al along alongside amid amidst among amongst
    anenst apropos apud around as aside astride at athwart atop barring before behind below
    beneath beside besides between beyond but by circa despite down during et except for
    forenenst from given in inside into lest like modulo near next notwithstanding of off on
    onto out over per plus pro qua sans since than through throughout thruout till to toward
    towards under underneath until unto up upon versus vs v via with within without or yet so
    and nor a an the de d' von van c ca""".split()
)
# What JavaScript's ``\s`` matches, and the stand-in for a joining space (below).
_JOINED = "\ue030"
_BLANK = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff" + _JOINED
# A word is a function word when it holds one between blanks or hyphens.  citeproc-js
# reads its "v." and "vs." as patterns (any two letters starting with v, any three
# starting with vs), and so do we.
_FUNCTION = re.compile(
    rf"(?:[?!:]*[{_BLANK}]+|-|^)"
    rf"(?:{'|'.join(re.escape(w) for w in sorted(_FUNCTION_WORDS, key=len, reverse=True))}|vs?.)"
    rf"(?=[!?:]*[{_BLANK}]+|-|$)"
)
_FIRST_CHARACTER = re.compile(rf"^([{_BLANK}]*)(.)", re.DOTALL)


def is_function_word(lower: str) -> bool:
    """Is the lower-case ``lower`` a word citeproc-js keeps lower case in a title?"""
    return _FUNCTION.search(lower) is not None


_MARK = re.compile(
    r"“|”|‘|’| \"| '|\"|'|[-\u2013\u2014/.,;?!:\[\]()]"
    r'|<span style="font-variant: ?small-caps;?">|<span class="no(?:case|decor)">'
    r"|</span>|</?(?:i|sc|b|sub|sup)>"
)
_SPACES = re.compile("([\u00a0 \u2000-\u200b\u205f\u3000]+)")
# Opening markup whose content keeps its case, and the tag that closes it.
_PROTECTING = {
    '<span style="font-variant: small-caps;">': "</span>",
    '<span style="font-variant:small-caps;">': "</span>",
    '<span class="nocase">': "</span>",
    '<span class="nodecor">': "</span>",
    "<sc>": "</sc>",
    "<sub>": "</sub>",
    "<sup>": "</sup>",
}
# Each opening quote mark and the (opener, closer) pair it starts.
_QUOTES = {
    "“": ("“", "”"),
    "‘": ("‘", "’"),
    ' "': (" '", '"'),
    " '": (' "', "'"),
}
_QUOTE_MARK = re.compile(r"^[‘’“”\"']| [\"']$")
_JOINING_SPACE = re.compile(r" (?=[:;?!»])|(?<=«) ")


def _split(text: str) -> tuple[list[str], list[str]]:
    """The runs of text and the marks between them (``len(runs) == len(marks) + 1``).

    An ASCII apostrophe with text right after it belongs to that text (``'s``)."""
    runs, marks = [], []
    start = 0
    for match in _MARK.finditer(text):
        runs.append(text[start : match.start()])
        marks.append(match.group(0))
        start = match.end()
    runs.append(text[start:])
    for i in range(len(marks) - 1, -1, -1):
        if marks[i] == "'" and runs[i + 1]:
            runs[i + 1] = "'" + runs[i + 1]
            marks[i] = ""
    return runs, marks


def _capitalize(word: str) -> str:
    """``word`` with its first character after any blanks upper-cased."""
    match = _FIRST_CHARACTER.match(word)
    if not match:
        return word
    first = match.group(2)
    if "\u0370" <= first <= "\u03ff" and match.end() == len(word):
        return word  # a lone Greek letter is a symbol
    return match.group(1) + first.upper() + word[match.end() :]


class _Caser:
    def __init__(self) -> None:
        self.first = True
        self.after_punct = False
        self.last_word: tuple[int, int] | None = None

    def run(self, text: str, index: int, hyphen_follows: bool) -> str:
        if not text.strip():
            return text
        pieces = _SPACES.split(text)
        words = pieces[::2]
        for j, word in enumerate(words):
            if not word:
                continue
            lower = word.lower()
            wanted = (
                (len(word) > 1 and not is_function_word(lower))
                or (j == len(words) - 1 and hyphen_follows)
                or self.first
                or self.after_punct
            )
            if wanted and word == lower:
                pieces[2 * j] = _capitalize(word)
            self.first = self.after_punct = False
            self.last_word = (index, j)
        return "".join(pieces)


def title_case(text: str) -> str:
    """``text`` title-cased as citeproc-js title-cases it."""
    if not text:
        return text
    runs, marks = _split(_JOINING_SPACE.sub(_JOINED, text))
    original = list(runs)
    caser = _Caser()
    protected: list[str] = []
    quotes: list[tuple[str, str, int | None]] = []

    def restore(index: int | None) -> None:
        if index is not None and runs[index + 1]:
            runs[index + 1] = original[index + 1][:1] + runs[index + 1][1:]

    if runs[0].strip():
        runs[0] = caser.run(runs[0], 0, bool(marks) and marks[0] == "-")
    for i, mark in enumerate(marks):
        if mark in _PROTECTING:
            protected.append(_PROTECTING[mark])
        elif protected and mark == protected[-1]:
            protected.pop()
        if mark[-1:] in ("!", "?", ":"):
            caser.after_punct = True
        if not protected:
            runs[i + 1] = caser.run(runs[i + 1], i + 1, False)
        elif runs[i + 1].strip():
            caser.last_word = None
        if quote := _QUOTE_MARK.search(mark):
            kind = quote.group(0)
            if kind in _QUOTES:
                opener, closer = _QUOTES[kind]
                if not quotes or kind == quotes[-1][0]:
                    quotes.append((opener, closer, i))
                else:
                    # a different opener replaces the open quote, which closes nothing
                    replaced = quotes.pop()[2]
                    quotes.append((opener, closer, None))
                    if replaced is not None:
                        restore(replaced)
                        caser.last_word = None
            elif quotes and kind == quotes[-1][1]:
                quotes.pop()
            else:
                restore(i)
                caser.last_word = None
        if runs[i + 1].strip():
            caser.first = caser.after_punct = False
    for _, _, index in quotes:
        restore(index)
    if caser.last_word is not None:
        index, j = caser.last_word
        pieces = _SPACES.split(runs[index])
        word = pieces[2 * j]
        if len(word) > 1 and is_function_word(word.lower()):
            pieces[2 * j] = _capitalize(word)
            runs[index] = "".join(pieces)
    cased = "".join(run + mark for run, mark in zip(runs, [*marks, ""], strict=True))
    return cased.replace(_JOINED, " ")
