"""Sentences of a block of text, with their spans: a pure function of the string."""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "al",
        "etc",
        "vs",
        "cf",
        "fig",
        "figs",
        "eq",
        "eqs",
        "no",
        "nos",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "approx",
        "ca",
        "resp",
        "vol",
        "pp",
        "ed",
        "eds",
        "ref",
        "refs",
        "dept",
        "univ",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*")
_LAST_WORD = re.compile(r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)$")
_WORD_WINDOW = 40
_STOP_OR_BRACKET = re.compile(r"[.!?…()\[\]]")
_CITE_AFTER_STOP = re.compile(r"\[[^\]\n]{1,40}\]|\(\s*[A-Z][^()\n]{0,80}\d{4}[a-z]?\s*\)")


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """Split ``text`` into ``(start, end, sentence)`` with ``text[start:end] == sentence``.

    A boundary is a run of ``.``, ``!`` or ``?`` followed by whitespace and a capital, a digit
    or an opening quote/bracket; abbreviations, initials and decimals do not end a sentence.
    A citation marker right after the full stop (``... skin. [3] Next``) stays with the
    sentence it follows.
    """
    out: list[tuple[int, int, str]] = []
    start = 0
    n = len(text)
    depth = 0
    i = 0
    while i < n:
        # only brackets and stops matter: jump to the next one rather than step to it
        found = _STOP_OR_BRACKET.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        m = _BOUNDARY.match(text, i) if ch in ".!?…" else None
        if m is None:
            i += 1
            continue
        end = m.end()
        glued = _CITE_AFTER_STOP.match(text, end)  # "down.[3] Next": the marker ends it
        if glued and glued.end() < n and text[glued.end()] in " \t\r\n":
            end = glued.end()
        j = end
        while j < n and text[j] in " \t\r\n":
            j += 1
        if j == end and j < n:
            i = end
            continue
        if j < n:
            # The word before the stop, from a short window: abbreviations are short, and
            # searching the whole sentence so far is quadratic on text without breaks.
            word = _LAST_WORD.search(text, max(start, i - _WORD_WINDOW), i)
            token = word.group(1).lower() if word else ""
            nxt = text[j]
            if (
                (ch == "." and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())))
                or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([")
                or (depth > 0 and ch == ".")
            ):
                i = end
                continue
            cite = _CITE_AFTER_STOP.match(text, j)  # from j: slicing text[j:] is quadratic
            if cite and (cite.end() == n or text[cite.end()] in " \t\r\n"):
                end = cite.end()
                j = end
                while j < n and text[j] in " \t\r\n":
                    j += 1
        out.append((start, end, text[start:end]))
        start = j
        i = j
        depth = 0
    if start < n:
        tail = text[start:].rstrip()
        if tail.strip():
            lead = len(tail) - len(tail.lstrip())
            out.append((start + lead, start + len(tail), tail.lstrip()))
    return [s for s in out if s[2].strip()]
