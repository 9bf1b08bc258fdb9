"""Brace protection in titles: which words keep their capitals.

BibTeX styles may lower-case a title; braces stop them.  We protect acronyms and
words with inner capitals always (``DNA``, ``iPhone``, ``SARS-CoV-2``, ``3D``; not
``Object-Oriented``, ``64-Bit``, ``2Nd`` or ``d'Arborescence``, whose one capital opens
a word or follows a digit or an apostrophe), proper nouns when a title that came
without braces (from a service or CSL-JSON) is in sentence case, and any phrase the
user protected.  A title read from a .bib gets no proper-noun protection: there the
author's braces already say what to keep, and adding more would change what a
sentence-case style prints.  We never brace the whole title, and protection never
accumulates: reading what we wrote and writing it again gives the same text.
"""

from __future__ import annotations

import functools

from mesorefs.bibtex.latex import read_recurring, unicode_to_latex
from mesorefs.lazy_re import lazy

__all__ = ["format_title", "protected_phrases", "protected_spans"]

_MATH = lazy(r"(?<!\\)\$[^$]*(?<!\\)\$")
_WORD = lazy(r"[^\W_](?:[\w'’.\-]*[^\W_])?")
# After these a capital starts a new sentence or subtitle, so it says nothing.
_SENTENCE_END_CHARS = frozenset(":.?!—–-")


def _starts_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` opens the title, a sentence or a subtitle."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END_CHARS


def _math_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MATH.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _segment_has_inner_capital(segment: str) -> bool:
    """Two capitals or more (``DNA``, ``U.S.``, ``METAFONTbook``), a capital after a small
    letter (``iPhone``), or one after a digit that no small letter follows (``3D``,
    ``H2O``); not ``Object``, ``2Nd``, ``d'Arborescence`` or ``e.V``."""
    capitals = 0
    for i, char in enumerate(segment):
        if not char.isupper():
            continue
        capitals += 1
        before = segment[i - 1] if i else ""
        if capitals >= 2 or before.islower():
            return True
        if before.isdigit() and not any(c.islower() for c in segment[i + 1 :]):
            return True
    return False


def _inner_capital_spans(word: str) -> list[tuple[int, int]]:
    """Spans of ``word``'s hyphen-joined segments that have inner capitals, each run
    taking the letterless segments after it: ``{SARS-CoV-2}``, ``{HIV}-Positive``."""
    spans: list[tuple[int, int]] = []
    offset = 0
    open_run = False
    for segment in word.split("-"):
        start, end = offset, offset + len(segment)
        offset = end + 1
        if _segment_has_inner_capital(segment):
            if open_run:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            open_run = True
        elif open_run and segment and not any(c.isalpha() for c in segment):
            spans[-1] = (spans[-1][0], end)
        else:
            open_run = False
    return spans


def _has_inner_capital(word: str) -> bool:
    return any(_segment_has_inner_capital(segment) for segment in word.split("-"))


def _is_sentence_case(words: list[tuple[int, str]], text: str) -> bool:
    """True when most words that could be capitalised are not."""
    candidates = [
        w
        for start, w in words
        if len(w) > 3 and not _starts_sentence(text, start) and not _has_inner_capital(w)
    ]
    if not candidates:
        return False
    capitalised = sum(1 for w in candidates if w[0].isupper())
    return capitalised / len(candidates) < 0.5


def rule_spans(title: str, proper_nouns: bool = True) -> list[tuple[int, int]]:
    """Spans of ``title`` (Unicode) our rules protect (see the module doc)."""
    math = _math_spans(title) if "$" in title else []
    words = [(m.start(), m.group()) for m in _WORD.finditer(title)]
    if math:
        words = [(start, w) for start, w in words if not _inside(math, start, start + len(w))]
    sentence_case = proper_nouns and _is_sentence_case(words, title)
    spans = []
    for start, word in words:
        # no capital after the first letter: no inner capital (most words, in one step)
        inner = [] if word[1:].islower() else _inner_capital_spans(word)
        if inner:
            spans += [(start + s, start + e) for s, e in inner]
        elif sentence_case and word[0].isupper() and not _starts_sentence(title, start):
            spans.append((start, start + len(word)))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


def _phrase_spans(title: str, phrases: frozenset[str]) -> list[tuple[int, int]]:
    """Where each phrase stands in the title as whole words (not inside a longer word)."""
    spans = []
    for phrase in phrases:
        start = title.find(phrase)
        while start >= 0 and phrase:
            end = start + len(phrase)
            before_ok = start == 0 or not _is_word_char(title[start - 1])
            after_ok = end == len(title) or not _is_word_char(title[end])
            if before_ok and after_ok:
                spans.append((start, end))
            start = title.find(phrase, end if before_ok and after_ok else start + 1)
    return spans


def format_title(
    title: str,
    protected: frozenset[str] = frozenset(),
    ascii_only: bool = True,
    proper_nouns: bool = True,
) -> str:
    """The title in LaTeX with brace protection where it is needed; ``proper_nouns=False``
    for a title read from a .bib, whose own braces say which proper nouns to keep."""
    spans = protected_spans(title, protected, proper_nouns)
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            out.append(_encode_keep_spaces(title[cursor:start], ascii_only))
        out.append("{" + unicode_to_latex(title[start:end], ascii_only=ascii_only) + "}")
        cursor = end
    if cursor < len(title):
        out.append(_encode_keep_spaces(title[cursor:], ascii_only))
    return "".join(out)


def protected_spans(
    title: str, protected: frozenset[str] = frozenset(), proper_nouns: bool = True
) -> list[tuple[int, int]]:
    """The spans of ``title`` (Unicode) that :func:`format_title` braces, in order."""
    spans = _merge(rule_spans(title, proper_nouns) + _phrase_spans(title, protected))
    if spans == [(0, len(title))] and " " in title:
        return []  # never brace a whole multi-word title
    return spans


def _encode_keep_spaces(segment: str, ascii_only: bool) -> str:
    """Encode a piece between protected words without losing its edge spaces."""
    core = segment.strip(" ")
    if not core:
        return segment
    lead = segment[: len(segment) - len(segment.lstrip(" "))]
    trail = segment[len(segment.rstrip(" ")) :]
    return lead + unicode_to_latex(core, ascii_only=ascii_only) + trail


# Braces that group; an escaped one (\{) is a character.
_GROUP_BRACE = lazy(r"(?<!\\)[{}]")
_ENDS_WITH_MACRO = lazy(r"\\(?:[A-Za-z]+\s*|.)$")


def _top_level_groups(latex: str) -> list[str]:
    """Contents of the brace groups at depth one that are not macro arguments."""
    groups = []
    depth = 0
    start = 0
    for m in _GROUP_BRACE.finditer(latex):
        i = m.start()
        if m.group() == "{":
            if depth == 0:
                start = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                content = latex[start + 1 : i]
                if (
                    content
                    and not content.startswith("\\")
                    and not _ENDS_WITH_MACRO.search(latex, 0, start)
                ):
                    groups.append(content)
    return groups


@functools.lru_cache(maxsize=1 << 14)  # read, then normalized on write: the same title twice
def protected_phrases(latex_title: str) -> frozenset[str]:
    """Phrases the user protected that our rules would not protect by themselves."""
    groups = _top_level_groups(latex_title) if "{" in latex_title else []
    if not groups:
        return frozenset()
    # read_recurring: the writer reads the same title (lossless._title), and groups such
    # as {TeX} or {DNA} recur across a bibliography: each is read once per file.
    title = read_recurring(latex_title)
    covered = _merge(rule_spans(title, proper_nouns=False))
    phrases = set()
    for group in dict.fromkeys(groups):  # a repeated {DNA} is one phrase: stays linear
        phrase = read_recurring(group)
        if not phrase or phrase == title or not any(ch.isupper() for ch in phrase):
            continue
        spans = _phrase_spans(title, frozenset({phrase}))
        if spans and not all(any(cs <= s and e <= ce for cs, ce in covered) for s, e in spans):
            phrases.add(phrase)
    return frozenset(phrases)
