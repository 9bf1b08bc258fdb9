"""Changes that must change no verdict: a citation marker, a lead-in, a reordering.

Each returns the new sentence, or None when the sentence does not allow the change
(:func:`reorder` needs a fronted phrase or two clauses it can swap safely).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from behaviour.negate import AUXILIARIES, SUBORDINATORS, base_form

__all__ = [
    "LEAD_INS",
    "MARKER_STYLES",
    "content_words",
    "lead_in",
    "lower_first",
    "marker",
    "reorder",
    "with_marker",
]

MARKER_STYLES = ("pandoc", "numeric", "latex", "author-year")
LEAD_INS = (
    "Studies show that",
    "It has been reported that",
    "Research has shown that",
    "There is evidence that",
)
_FUNCTION_WORDS = {
    "a", "an", "the", "this", "these", "those", "that", "in", "on", "at", "for", "of", "with",
    "by", "from", "to", "during", "after", "before", "among", "across", "within", "under",
    "over", "despite", "unlike", "compared", "although", "while", "when", "we", "our", "it",
    "its", "there", "their", "they", "both", "all", "each", "most", "many", "some", "several",
    "however", "moreover", "furthermore", "overall", "here", "thus", "therefore", "patients",
    "one", "two", "three", "more", "less", "higher", "lower", "as", "and", "or", "but", "no",
    "such", "other", "only", "using", "based", "following", "given", "since", "because",
}  # fmt: skip


def marker(style: str, key: str, number: int, author: str, year: int) -> str:
    """A citation marker of ``style`` naming the reference ``key`` (its ``number`` in the list)."""
    if style == "pandoc":
        return f"[@{key}]"
    if style == "numeric":
        return f"[{number}]"
    if style == "latex":
        return f"\\cite{{{key}}}"
    if style == "author-year":
        return f"({author} et al., {year})"
    raise ValueError(f"unknown marker style {style!r}")


def with_marker(sentence: str, mark: str) -> str:
    """``sentence`` with ``mark`` before its final full stop, as writers cite."""
    body = sentence[:-1] if sentence.endswith(".") else sentence
    return f"{body} {mark}."


def latex_text(sentence: str) -> str:
    """``sentence`` as LaTeX source (``%`` escaped; the sentence filter keeps out the rest)."""
    return sentence.replace("%", "\\%")


def lower_first(sentence: str, cases: Mapping[str, int] | None = None) -> str:
    """``sentence`` with its first letter lowered when its first word is not a name.

    A word with capitals or digits inside (``COVID-19``, ``mRNA``, ``DNA``) keeps its case;
    a function word is lowered; any other word is lowered only when ``cases`` (lowercase
    word -> uses in lower case minus uses capitalised inside sentences) says it is usually
    written in lower case.
    """
    first = sentence.split(" ", 1)[0]
    word = first.strip("(),")
    if not word[:1].isupper() or any(c.isupper() or c.isdigit() for c in word[1:]):
        return sentence
    if word.lower() in _FUNCTION_WORDS or (cases or {}).get(word.lower(), 0) > 0:
        return sentence[:1].lower() + sentence[1:]
    return sentence


# Sentences about the study itself or leaning on the one before ("Here, we report ...",
# "These results ...", "However, ..."): a lead-in would not make a statement of them.
_NO_LEAD_IN = {
    "here", "we", "our", "us", "this", "these", "those", "thus", "however", "therefore",
    "moreover", "furthermore", "together", "taken", "overall", "finally", "hence", "it",
    "consequently", "additionally", "also", "such", "they", "their", "its", "to",
}  # fmt: skip


def lead_in(sentence: str, lead: str, cases: Mapping[str, int] | None = None) -> str | None:
    """``sentence`` after a lead-in such as "Studies show that"; None when the sentence
    speaks of the study itself or leans on the one before."""
    words = [w.strip(",()").lower() for w in sentence.split()]
    if words[0] in _NO_LEAD_IN or {"we", "our", "us"} & set(words):
        return None
    return f"{lead} {lower_first(sentence, cases)}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_FRONTED = re.compile(
    r"^(?P<phrase>(?:In|During|After|Before|Among|For|At|On|Over|Within|Across|Under|Despite"
    r"|Unlike|Compared with|Compared to|Throughout|By|From|Between|Following|Without)\s[^,]{3,80}),"
    r"\s(?P<rest>[^,]+)\.$"
)
_SWAPPABLE = re.compile(r"^(?P<left>[^,]+), (?P<conj>whereas|while|but) (?P<right>[^,]+)\.$")
# "For example," "In addition," ...: discourse markers, not a place or time to move.
_DISCOURSE = {
    "example", "instance", "addition", "contrast", "conclusion", "summary", "particular",
    "general", "fact", "turn", "short", "brief", "total", "comparison", "other", "sum",
}  # fmt: skip
_DISCOURSE_PHRASES = {
    "on the other hand", "on the contrary", "at the same time", "in other words", "by contrast",
    "in the meantime", "for this reason", "in this regard", "in this context", "in the same way",
    "to this end", "in the end", "at present", "in turn", "on the whole", "at first",
}  # fmt: skip
_NO_SWAP_START = {
    "it", "its", "they", "their", "this", "these", "those", "that", "which", "who", "thus",
    "then", "therefore", "so", "also", "he", "she", "his", "her", "there", "such", "the",
    "both", "either", "not", "only", "in", "at", "by", "to",
}  # fmt: skip
_NO_SWAP_WORDS = {"respectively", "former", "latter", "other", "same", "also", "further", "later"}


def _has_verb(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    return any(w.lower() in AUXILIARIES or base_form(w) is not None for w in words[1:])


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*", text.lower())


def reorder(sentence: str) -> tuple[str, str] | None:
    """``sentence`` with a fronted phrase moved to its end, or two contrasted clauses
    swapped; with a note of which.  None when neither can be done safely."""
    fronted = _FRONTED.match(sentence)
    if fronted:
        phrase, rest = fronted.group("phrase"), fronted.group("rest")
        words = _words(phrase)
        if (
            len(words) <= 10
            and not (set(words) & (SUBORDINATORS | AUXILIARIES))
            and (len(_words(rest)) >= 4 and _has_verb(rest) and not _has_verb(phrase))
        ):
            first = rest.split(" ", 1)[0]
            if (
                first.lower() in ("this", "these", "it", "they", "such", "there")
                or (len(words) > 1 and words[1] in _DISCOURSE)
                or " ".join(words) in _DISCOURSE_PHRASES
            ):
                return None
            moved = phrase[:1].lower() + phrase[1:]
            return f"{_capitalised(rest)} {moved}.", "fronted phrase moved to the end"
    swap = _SWAPPABLE.match(sentence)
    if swap:
        left, conj, right = swap.group("left"), swap.group("conj"), swap.group("right")
        lw, rw = _words(left), _words(right)
        if (
            len(lw) >= 4
            and len(rw) >= 4
            and _has_verb(left)
            and _has_verb(right)
            and rw[0] not in _NO_SWAP_START
            and lw[0] not in SUBORDINATORS
            and not (set(lw) | set(rw)) & _NO_SWAP_WORDS
            and not (set(lw) & SUBORDINATORS)
        ):
            text = f"{_capitalised(right)}, {conj} {lower_first(left)}."
            return text, f"clauses around '{conj}' swapped"
    return None


_STOP = {
    "the", "and", "for", "with", "that", "this", "these", "those", "from", "was", "were", "are",
    "has", "have", "had", "been", "its", "their", "than", "which", "who", "not", "but", "into",
    "can", "may", "also", "all", "any", "our", "between", "after", "before", "during", "such",
    "there", "other", "more", "most", "less", "over", "under", "both", "each", "only", "about",
}  # fmt: skip


def content_words(text: str) -> set[str]:
    """Lower-case words of three letters or more, stop words out, a plural -s off."""
    out = set()
    for word in re.findall(r"[a-z]{3,}", text.lower()):
        if word not in _STOP:
            out.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return out
