"""Split a claim that joins several statements into parts that are checked one by one.

Three shapes are split, each a pattern of English rather than of any topic:

- a list of three or more items, "such as A, B, C and D" or "can thicken the skin,
  strengthen it and reduce wrinkles": each item becomes the statement with the list
  replaced by that item alone ("... such as C");
- two clauses that share a subject, "X is painless and requires no medication":
  "X is painless" and "X requires no medication";
- a list item stated under its lead-in ("used to treat these conditions:" then
  "Acne scars and/or discoloration"): the item is read with its lead-in, and an
  "A and/or B" item gives two parts.

Lists inside parentheses are examples, not statements, and stay whole.  Every part
keeps the span of its own words in the claim, so a report can point at them.

A split stands only when every part can be checked on its own: each part, as it is
read, must be a statement, with a subject before a finite verb and no dangling
function word at its end (:func:`is_statement`).  "Early in the pandemic, various
reports suggested that A and B might C" is no list: "Early in the pandemic" has no
verb.  Verbs are told by grammar, not by a list of verbs: the closed class of
auxiliaries and modals, and the shapes of finite verbs (``-s``, ``-ed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Part", "is_statement", "list_items", "split_claim"]


@dataclass(frozen=True)
class Part:
    """One statement of a claim: ``text`` is ``claim[start:end]``, ``query`` what is checked."""

    text: str
    query: str
    start: int
    end: int


_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# English closed classes (grammar, not topic): auxiliaries and modals by the form they
# take, and the function words that cannot end a statement.
_AUX_FORMS = {
    **dict.fromkeys("is has does".split(), "s"),
    **dict.fromkeys("was were had did".split(), "ed"),
    **dict.fromkeys("are have do am".split(), "plural"),
    **dict.fromkeys("can could may might will would shall should must".split(), "modal"),
    # linking verbs and "include", which introduce a predicate or a list: their bare
    # (plural) form has no shape of its own
    **dict.fromkeys("include become seem appear remain".split(), "plural"),
}
_FUNCTION = frozenset(
    """a an the this that these those which who whom whose whether if because although
    though while when where as of in on at to for from by with without into onto over
    under about than and or but nor so such like including between among during after
    before since until upon via per its their his her our your my""".split()
)
# Words after which a list starts: the list is what they introduce or govern.
_LIST_OPENERS = frozenset(
    """such as like including include includes included namely e.g. i.e. as especially
    to also both either be been being become becomes became of with""".split()
)


def _verb_form(word: str) -> str | None:
    """The form of ``word`` if it can be a finite verb: an auxiliary or modal, or a
    lower-case word shaped like a third-person (``-s``) or past (``-ed``) verb."""
    word = word.strip(",;:.!?\"'()").lower()
    if word in _AUX_FORMS:
        return _AUX_FORMS[word]
    if not word.isalpha() or len(word) < 4 or word in _FUNCTION:
        return None
    if word.endswith("ed"):
        return "ed"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return "s"
    return None


def is_statement(text: str) -> bool:
    """Whether ``text`` can be checked on its own: a finite verb with a word before it
    that can head its subject, and no function word left dangling at its end."""
    words = _LETTERS.findall(text)
    if len(words) < 2 or words[-1].lower() in _FUNCTION:
        return False
    for i in range(1, len(words)):
        if _verb_form(words[i]) and any(w.lower() not in _FUNCTION for w in words[:i]):
            return True
    return False


_ITEM_STARTS_CLAUSE = frozenset("these those this that the it they there we he she which".split())
# "either with a needle or with a blade" is one choice, not a list of statements.
_NOT_AN_ITEM = frozenset("either neither whether with without in on at by for from".split())
_MAX_ITEM_WORDS = 6


def _mask_parentheses(text: str) -> str:
    """``text`` with everything inside (...) or [...] replaced by underscores (same length)."""
    out = list(text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        if depth:
            out[i] = "_"
        if ch in ")]" and depth:
            depth -= 1
    return "".join(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inwards past spaces and closing punctuation."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    return start, end


def _words(text: str) -> list[str]:
    return [w.lower().strip(",;:") for w in _WORD.findall(text)]


def _list_spans(text: str) -> list[tuple[int, int]] | None:
    """The item spans of the first list of three or more items in ``text``, if any."""
    masked = _mask_parentheses(text)
    for clause in re.finditer(r"[^;:—]+", masked):
        c_start, c_end = clause.span()
        commas = [m.start() for m in re.finditer(r",", masked[c_start:c_end])]
        if not commas:
            continue
        commas = [c_start + c for c in commas]
        tail = masked[commas[-1] + 1 : c_end]
        joint = re.search(r"\s(?:and|or)\s", tail)
        if joint is None:
            continue
        spans = [(left + 1, right) for left, right in pairwise(commas)]
        tail_start = commas[-1] + 1
        if tail[: joint.start()].strip():
            spans.append((tail_start, tail_start + joint.start()))
        last_start = tail_start + joint.end()
        spans.append((last_start, c_end))
        # The first item: the words before the first comma, back to the word that
        # opens the list, and no longer than the longest other item.
        longest = max(len(_words(masked[s:e])) for s, e in spans[:-1] or spans)
        reach = max(len(_words(masked[s:e])) for s, e in spans)
        before = list(_WORD.finditer(masked, c_start, commas[0]))
        first_start = None
        for n, m in enumerate(reversed(before), start=1):
            word = m.group().lower()
            if (word in _LIST_OPENERS or _verb_form(word)) and n > 1:
                first_start = before[len(before) - n + 1].start()
                break
            if n > reach:
                break
        if first_start is None:
            if len(before) <= reach:
                first_start = before[0].start() if before else c_start
            else:
                continue
        spans.insert(0, (first_start, commas[0]))
        spans = [_trim(text, s, e) for s, e in spans]
        inner = [masked[s:e] for s, e in spans[1:-1]]
        if any(not w or len(_words(w)) > _MAX_ITEM_WORDS for w in inner):
            continue
        if any(_words(w)[0] in _ITEM_STARTS_CLAUSE for w in inner):
            continue
        if any(_words(masked[s:e])[0] in _NOT_AN_ITEM for s, e in spans[1:] if e > s):
            continue
        if any(e <= s for s, e in spans):
            continue
        # A list item ends where the sentence's shared tail starts: the last item is
        # cut to the length of the longest other item when a preposition follows.
        s, e = spans[-1]
        words = list(_WORD.finditer(text, s, e))
        if len(words) > longest + 1:
            for m in words[1:]:
                if m.group().lower() in ("for", "after", "before", "in", "at", "when", "during"):
                    spans[-1] = _trim(text, s, m.start())
                    break
        if len(spans) >= 3:
            return spans
    return None


def list_items(text: str) -> list[tuple[int, int]]:
    """The spans of the items that ``text`` lists: its first list of three or more, and
    every bracketed enumeration of three or more ("(wrinkles, alopecia, mesobotox)")."""
    spans = list(_list_spans(text) or [])
    for group in re.finditer(r"[(\[]([^()\[\]]*)[)\]]", text):
        inner, offset = group.group(1), group.start(1)
        items = [m for m in re.finditer(r"[^,;]+", inner) if m.group().strip()]
        if len(items) >= 3 and all(len(m.group().split()) <= _MAX_ITEM_WORDS for m in items):
            spans += [_trim(text, offset + m.start(), offset + m.end()) for m in items]
    return spans


def _split_list(text: str) -> list[Part] | None:
    spans = _list_spans(text)
    if spans is None:
        return None
    whole_start, whole_end = spans[0][0], spans[-1][1]
    parts: list[Part] = []
    for s, e in spans:
        item = text[s:e]
        # "and even vitamins C and E": the emphasis belongs to the list, not the item.
        item_query = re.sub(r"^(?:even|also|especially|possibly)\s+", "", item)
        query = text[:whole_start] + item_query + text[whole_end:]
        parts.append(Part(item, query.strip(), s, e))
    return parts


def _split_clauses(text: str) -> list[Part] | None:
    """Two clauses joined by "and" + a verb, the second borrowing the first's subject.

    The verbs must agree in form (both ``-s``, both past, ...), as coordinated finite
    verbs do, and the second must have words after it: "reduces fat and calories" joins
    two nouns, not two clauses.
    """
    masked = _mask_parentheses(text)
    for joint in re.finditer(r"\s(?:,\s*)?and\s+(\w+)", masked):
        second_form = _verb_form(joint.group(1))
        if second_form is None or not joint.group(1).islower():
            continue
        if not re.search(r"\w", masked[joint.end() :]):
            continue
        first = list(_WORD.finditer(masked, 0, joint.start()))
        verb = next((i for i, m in enumerate(first) if _verb_form(m.group()) and i > 0), None)
        if verb is None or not _agree(_verb_form(first[verb].group()), second_form):
            continue
        subject = text[: first[verb].start()].strip()
        a_start, a_end = _trim(text, 0, joint.start())
        b_start, b_end = _trim(text, joint.start(1), len(text))
        second = text[b_start:b_end]
        return [
            Part(text[a_start:a_end], text[a_start:a_end], a_start, a_end),
            Part(second, f"{subject} {second}", b_start, b_end),
        ]
    return None


def _agree(first: str | None, second: str) -> bool:
    """Whether two finite verbs can share a subject: the same form, or a modal or plural
    auxiliary (whose partner's bare form has no shape of its own) with a plural one."""
    if first == second:
        return True
    return {first, second} <= {"modal", "plural"}


def _split_either(text: str) -> list[Part] | None:
    """An item "A and/or B" as two parts."""
    joint = re.search(r"\s+and/or\s+", _mask_parentheses(text))
    if joint is None:
        return None
    a_start, a_end = _trim(text, 0, joint.start())
    b_start, b_end = _trim(text, joint.end(), len(text))
    return [
        Part(text[a_start:a_end], text[a_start:a_end], a_start, a_end),
        Part(text[b_start:b_end], text[b_start:b_end], b_start, b_end),
    ]


def split_claim(text: str, lead: str | None = None) -> list[Part]:
    """The parts of the claim ``text`` (one part, the whole claim, when it states one thing).

    ``lead`` is the lead-in of a list item ("Mesotherapy is used to treat"); each
    part's query then reads the item under it.
    """
    parts = _split_list(text) or _split_clauses(text)
    if parts is None and lead is not None:
        parts = _split_either(text)
    if parts is not None and lead is None and not all(is_statement(p.query) for p in parts):
        parts = None  # a fragment would be checked as if it stated something
    if parts is not None:
        parts = [p for p in parts if p.text.strip()] or None  # no empty part, ever
    if parts is None:
        start, end = _trim(text, 0, len(text))
        if start == end:  # nothing but punctuation: the claim as it is, never an empty part
            start, end = 0, len(text)
        parts = [Part(text[start:end], text[start:end], start, end)]
    if lead:
        parts = [Part(p.text, f"{lead}: {p.query}", p.start, p.end) for p in parts]
    return parts
