"""Score a candidate record against what we know (pure, precision first).

Two entry points:

* :func:`score_reference` compares a structured :class:`Reference` (from a parser or a
  BibTeX file) with a candidate record field by field: normalized title similarity,
  author surnames, year (within one), container (aware of abbreviations and of
  truncation), volume and first page.
* :func:`score_string` validates a candidate against a raw reference string, the way
  Crossref's search-then-validate matcher does: it looks for the candidate's title
  words, surnames, year, container, volume and first page among the string's tokens.

Both return a :class:`MatchScore` in [0, 1]; :mod:`mesorefs.resolve.decide` applies the
acceptance threshold.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from mesorefs.models import Reference
from mesorefs.months import ENGLISH_WORDS, SEASONS
from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.similarity import (
    STOP_WORDS,
    author_similarity,
    container_similarity,
    content_tokens,
    first_page,
    normalize_text,
    person_keys,
    ratio,
    title_similarity,
)

__all__ = ["MatchScore", "score_reference", "score_string"]


EXTRA_TITLE_WORD = 0.85
"""A raw-string score is multiplied by this for each word (up to three) that the string
prints among the title's words and the record does not have."""
NUMBER_PENALTY = 0.75
"""A raw-string score is multiplied by this for each number of the string (up to three)
that the candidate does not print: a different volume or first page, a page of a book."""


@dataclass(frozen=True)
class MatchScore:
    """A candidate's score with the evidence behind it."""

    score: float
    fields: dict[str, float] = field(default_factory=dict)
    evidence: float = 0.0
    reason: str = ""


# Weights of the structured comparison (they sum to one).
_WEIGHTS = {
    "title": 0.45,
    "authors": 0.25,
    "year": 0.1,
    "container": 0.1,
    "volume": 0.05,
    "pages": 0.05,
}
_MIN_EVIDENCE = 0.55


CONTRADICTION_CAP = 0.75
"""A structured score is capped here when the volume or the first page differs, or when
no title agrees and the other fields do not place the work (see :func:`_placed`)."""


def _placed(parts: dict[str, float]) -> bool:
    """Do first author, year and volume + first page (or the container) all agree?"""
    where = (parts.get("volume") == 1.0 and parts.get("pages") == 1.0) or parts.get(
        "container", 0.0
    ) >= 0.85
    return parts.get("authors", 0.0) >= 0.7 and parts.get("year") == 1.0 and where


def score_reference(query: Reference, candidate: Reference) -> MatchScore:
    """How well ``candidate`` fits ``query`` (structured fields), in [0, 1].

    Only fields present on both sides count; the weighted mean of their agreement is
    scaled down when too little was compared (a bare title is never enough), and capped
    when the titles, the authors or the years clearly disagree.
    """
    parts: dict[str, float] = {}
    weights: dict[str, float] = {}
    truncated = query.truncated
    if query.title and candidate.title:
        parts["title"] = title_similarity(query.title, candidate.title, "title" in truncated)
        words = len(normalize_text(query.title).split())
        weights["title"] = _WEIGHTS["title"] * min(1.0, words / 3)
    authors = author_similarity(
        query.authors or query.editors, candidate.authors or candidate.editors
    )
    if authors is not None:
        parts["authors"] = authors
        weights["authors"] = _WEIGHTS["authors"]
    if query.year is not None and candidate.year is not None:
        gap = abs(query.year - candidate.year)
        parts["year"] = 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0
        weights["year"] = _WEIGHTS["year"]
    query_container = query.container_title or query.container_title_short
    if query_container and (candidate.container_title or candidate.container_title_short):
        cut = "container_title" in truncated
        parts["container"] = max(
            container_similarity(query_container, c, cut)
            for c in (candidate.container_title, candidate.container_title_short)
            if c
        )
        weights["container"] = _WEIGHTS["container"]
    if query.volume and candidate.volume:
        parts["volume"] = float(normalize_text(query.volume) == normalize_text(candidate.volume))
        weights["volume"] = _WEIGHTS["volume"]
    qp, cp = first_page(query.pages), first_page(candidate.pages)
    if qp and cp:
        parts["pages"] = float(qp == cp)
        weights["pages"] = _WEIGHTS["pages"]
    evidence = sum(weights.values())
    if not evidence:
        return MatchScore(0.0, parts, 0.0, "nothing to compare")
    mean = sum(parts[k] * weights[k] for k in parts) / evidence
    score = mean * min(1.0, evidence / _MIN_EVIDENCE)
    reasons = []
    if parts.get("title", 1.0) < 0.7:
        score = min(score, parts["title"])
        reasons.append("titles differ")
    if parts.get("authors", 1.0) == 0.0:
        score = min(score, 0.4)
        reasons.append("no author in common")
    if parts.get("year", 1.0) == 0.0:
        score = min(score, 0.4)
        reasons.append("years differ by more than one")
    if parts.get("volume", 1.0) == 0.0 and parts.get("pages", 1.0) == 0.0:
        score = min(score, 0.5)
        reasons.append("volume and pages differ")
    elif parts.get("volume", 1.0) == 0.0:
        score = min(score, CONTRADICTION_CAP)
        reasons.append("volumes differ")
    elif parts.get("pages", 1.0) == 0.0:
        score = min(score, CONTRADICTION_CAP)
        reasons.append("first pages differ")
    if parts.get("title", 0.0) < 0.9 and not _placed(parts):
        score = min(score, CONTRADICTION_CAP)
        reasons.append("no title: first author, year and volume+page or container must agree")
    if evidence < _MIN_EVIDENCE:
        reasons.append("too little to compare")
    matched = sum(weights[k] for k in parts if parts[k] >= 0.99)
    return MatchScore(round(score, 4), parts, round(matched, 4), "; ".join(reasons))


# -- raw strings -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    tokens: frozenset[str]
    joined: str
    words: tuple[str, ...]
    positions: dict[str, list[int]]
    et_al: bool
    cited: frozenset[str]
    """The tokens after a leading list label (``(1)``, ``[1]``): where pages are sought."""
    spaced: str
    """The same, joined by single spaces and padded with one: where volumes are sought."""
    open_words: tuple[str, ...] = ()
    """The tokens a candidate must explain (:func:`_needs_explaining`), found once."""


@lru_cache(maxsize=4096)
def _prepare(text: str) -> _Text:
    label = _LABEL.match(text)
    norm = normalize_text(text)
    words = normalize_text(text[label.end() :]).split() if label else norm.split()
    every = tuple(norm.split())
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(every):
        positions.setdefault(word, []).append(i)
    # "1Clinics in ...": both "1clinics" and "clinics"
    tokens = frozenset(positions) | frozenset(words)
    return _Text(
        tokens,
        norm.replace(" ", ""),
        every,
        positions,
        bool(re.search(r"\bet al\b", norm)),
        frozenset(words),
        f" {' '.join(words)} ",
        tuple(t for t in tokens if _needs_explaining(t)),
    )


def _found(token: str, text: _Text) -> bool:
    if token in text.tokens:
        return True
    return len(token) >= 4 and token in text.joined


def _abbreviated(token: str, tokens: frozenset[str]) -> bool:
    """Does ``token`` begin with one of ``tokens`` of three letters or more (its prefixes
    looked up)?"""
    return any(token[:n] in tokens for n in range(3, len(token) + 1))


def _number_found(value: str, text: _Text) -> bool:
    """Is ``value`` (a volume such as ``89-B`` may be several tokens) a run of the string's?"""
    value = normalize_text(value)
    return bool(value) and f" {value} " in text.spaced


def _title_found(words: Sequence[str], text: _Text) -> float:
    """Share of the title's words found in the string, in the title's order.

    Content words that are tokens of the string count as far as they form a common
    subsequence with the string (a title whose words the string has in another order
    is another title, often a translation).  Short and stop words, which recur all over
    a string, and words found only inside a longer token (hyphenation, a missing
    space) count wherever they are.
    """
    loose = 0
    tails: list[int] = []  # longest common subsequence as a longest increasing run
    for word in words:
        places = text.positions.get(word)
        if places is None or len(word) < 3 or word in STOP_WORDS:
            loose += _found(word, text)
            continue
        for place in reversed(places):
            k = bisect_left(tails, place)
            if k == len(tails):
                tails.append(place)
            else:
                tails[k] = place
    return (loose + len(tails)) / len(words)


_PAGE_RANGE = re.compile(r"\b[A-Za-z]?\d+\s*[-–—]\s*[A-Za-z]?\d+\b")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")


def _cites_pages(text: str, printed: frozenset[str] = frozenset()) -> bool:
    """Does the string cite a page range (not a range of years, nor one whose ends the
    record prints elsewhere: an issue ``11-1``, life dates in a title)?"""
    for match in _PAGE_RANGE.finditer(text):
        low, high = re.split(r"\s*[-–—]\s*", match.group(0), maxsplit=1)
        if _YEAR.match(low) and _YEAR.match(high):
            continue
        if normalize_text(low) in printed and normalize_text(high) in printed:
            continue
        return True
    return False


_STYLE_WORDS = (
    frozenset(
        """and et al eds ed edn editor editors pp vol volume no nr issue pages page in retrieved
        from doi http https www org available online accessed press""".split()
    )
    | ENGLISH_WORDS
    | frozenset(SEASONS)
)


def _needs_explaining(token: str) -> bool:
    """Is ``token`` a word a candidate must explain (four letters or more, not a number,
    not a word of the citation style)?"""
    return len(token) >= 4 and not token.isdigit() and token not in _STYLE_WORDS


def _explained(token: str, candidate_tokens: frozenset[str], joined: str) -> bool:
    if not _needs_explaining(token) or token in candidate_tokens or token in joined:
        return True
    # a word with a typo or an OCR error
    if _typo_of_any(token, candidate_tokens):
        return True
    return 5 <= len(token) <= 40 and _one_edit_in(token, joined)


def _typo_of_any(token: str, candidate_tokens: frozenset[str]) -> bool:
    """Is some word of the record, of about the same length (two letters more or less),
    ``ratio`` 0.8 or more from ``token``?  rapidfuzz's ratio (the longest common
    subsequence, which no matching-block count exceeds) passes every word that could
    qualify, in C; only those are measured with difflib."""
    size = len(token)
    possible = process.extract(
        token, candidate_tokens, scorer=fuzz.ratio, score_cutoff=79.9, limit=None
    )
    return any(abs(len(c) - size) <= 2 and ratio(c, token) >= 0.8 for c, _, _ in possible)


def _mismatches(a: str, b: str) -> int:
    """Places where two strings of one length differ."""
    return sum(x != y for x, y in zip(a, b, strict=True))


def _one_edit_in(token: str, joined: str) -> bool:
    """Is ``token``, with one character dropped or changed, a stretch of ``joined``?
    (Words glued together with a stray letter: ``separationqin``.)"""
    # The edit falls in one half of the token, so the other half is in ``joined`` as is.
    half = len(token) // 2
    head, tail = token[:half], token[half:]
    if head not in joined and tail not in joined:
        return False
    if any(token[:i] + token[i + 1 :] in joined for i in range(len(token))):
        return True  # a character dropped
    # A character changed: a stretch as long as the token, one character off, which
    # holds the head at its start (the change in the tail) or the tail at its end.
    size = len(token)
    for anchor, offset in ((head, 0), (tail, half)):
        start = joined.find(anchor) if anchor else -1
        while start != -1:
            begin = start - offset
            stretch = joined[begin : begin + size] if begin >= 0 else ""
            if len(stretch) == size and _mismatches(stretch, token) <= 1:
                return True
            start = joined.find(anchor, start + 1)
    return False


def _unexplained(
    prepared: _Text, candidate_tokens: frozenset[str], joined: str, limit: int | None = None
) -> int:
    """Words of the string (four letters or more) that no field of the candidate explains,
    counted up to ``limit``."""
    count = 0
    for token in prepared.open_words:
        if token in candidate_tokens or token in joined:
            continue  # the cheap tests first, inline: most words are the record's own
        if not _explained(token, candidate_tokens, joined):
            count += 1
            if limit is not None and count >= limit:
                break
    return count


def _unexplained_in_title(
    title: Sequence[str], prepared: _Text, candidate_tokens: frozenset[str], joined: str
) -> int:
    """Unexplained words of the string between its first and last of the title's words:
    a title printed with words the record's title lacks is another title."""
    places = [
        prepared.positions[w]
        for w in title
        if len(w) >= 3 and w not in STOP_WORDS and w in prepared.positions
    ]
    if len(places) < 2:
        return 0
    first = min(p[0] for p in places[:2])
    last = max(p[-1] for p in places[-2:])
    inside = set(prepared.words[first : last + 1])
    return sum(not _explained(t, candidate_tokens, joined) for t in inside)


_ACCESS = frozenset("accessed retrieved viewed cited consulted".split())
_IDENTIFIER = re.compile(
    r"(?:https?://|www\.)\S+|\b10\.\d{4,9}/\S+|"
    r"\b(?:pmid|pmcid|pmc|isbn|issn|arxiv)\s*:?\s*[\dx-]+",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*[\[(]?(\d{1,3})[\]).]?(?=\s|[^\w\s]|[A-Za-z]{2})")


@lru_cache(maxsize=4096)
def _string_numbers(text: str) -> tuple[tuple[int, str], ...]:
    """The numbers a reference string cites (volume, issue, pages, year, ...).

    A leading list label (``1``, ``(1)``, ``[1]``) and a day after a month name
    (``April 15``) are left out.
    """
    label = _LABEL.match(text)
    words = normalize_text(_IDENTIFIER.sub(" ", text)).split()
    if label and words and words[0] == label.group(1):
        words = words[1:]
    numbers = []
    skip = 0
    for i, word in enumerate(words):
        if word in _ACCESS:
            skip = 5  # an access date is not the work's
        elif skip:
            skip -= 1
            continue
        if not word.isdigit():
            continue
        if int(word) <= 31 and any(w in ENGLISH_WORDS for w in words[max(0, i - 1) : i + 2]):
            continue
        numbers.append((i, word))
    return tuple(numbers)


_ASCII_DIGIT = re.compile("[0-9]")


def _candidate_numbers(candidate: Reference | RecordView) -> frozenset[str]:
    """Every number that some field of the candidate prints, years within one included."""
    c = candidate
    pieces = [c.title, c.container_title, c.container_title_short, c.volume, c.issue]
    pieces += [c.pages, c.number, c.publisher]
    pieces = [p for p in pieces if p and (not p.isascii() or _ASCII_DIGIT.search(p))]
    numbers = {t for p in pieces for t in normalize_text(p).split() if t.isdigit()}
    if candidate.year is not None:
        numbers.update(str(candidate.year + d) for d in (-1, 0, 1))
    return frozenset(numbers)


def unexplained_numbers(text: str, candidate: Reference | RecordView) -> list[str]:
    """Numbers of the string that no field of the candidate prints (a contradiction).

    A short number that ends a longer page of the candidate (``1374–80``) is explained,
    and so is the number right after the volume when the candidate has no issue.
    """
    known, found = _candidate_numbers(candidate), _string_numbers(text)
    if all(n in known for _, n in found):
        return []  # the rules below only explain more
    pages = [n for n in normalize_text(candidate.pages or "").split() if n.isdigit()]
    volume = normalize_text(candidate.volume or "")
    numbers = [n for _, n in found]
    explained = [
        n in known
        or n.lstrip("0") in known
        or any(len(p) > len(n) and p.endswith(n) for p in pages)
        for n in numbers
    ]
    for i in range(len(found) - 1):
        if numbers[i] + numbers[i + 1] in known:  # a number split by a stray space: "(20 12)"
            explained[i] = explained[i + 1] = True
        elif (
            not candidate.issue
            and volume
            and numbers[i] == volume
            and found[i + 1][0] == found[i][0] + 1
        ):
            explained[i + 1] = True  # an issue the record does not know
    return [n for n, ok in zip(numbers, explained, strict=True) if not ok]


def _spans_pages(candidate: Reference | RecordView) -> bool:
    """Does the record's page range cover more than one page?"""
    numbers = re.findall(r"\d+", candidate.pages or "")
    return len(numbers) >= 2 and int(numbers[-1]) > int(numbers[0])


_EDITED = frozenset("ed eds edited editor editors hrsg hg coord dir".split())


def _leading_name_unexplained(text: str, tokens: frozenset[str], joined: str) -> bool:
    """Does the string begin with a word (an author's name, in most styles) that the
    candidate does not explain, with no sign that the names are editors'?"""
    label = _LABEL.match(text)
    words = normalize_text(text[label.end() :] if label else text).split()
    if _EDITED & set(words[:16]):
        return False
    lead = next((w for w in words if len(w) >= 3 and not w.isdigit()), None)
    if lead is None or lead in tokens or lead in joined:
        return False
    return not _typo_of_any(lead, tokens)


def _candidate_text(candidate: Reference | RecordView) -> tuple[frozenset[str], str]:
    pieces = [candidate.title or "", candidate.container_title or ""]
    pieces.append(candidate.container_title_short or "")
    pieces.extend(v for v in (candidate.publisher, candidate.publisher_place) if v)
    for p in candidate.authors or candidate.editors:
        pieces.append(" ".join(x for x in (p.given, p.particle, p.family, p.literal) if x))
    pieces.extend(v for v in (candidate.volume, candidate.issue, candidate.pages) if v)
    norm = normalize_text(" ".join(pieces))
    return frozenset(norm.split()), norm.replace(" ", "")


_MANY_UNEXPLAINED = 3
"""From this many unexplained words on, the count makes no difference to a score."""


def score_string(text: str, candidate: Reference | RecordView) -> MatchScore:
    """How well ``candidate`` is attested by the raw reference string ``text``, in [0, 1].

    Two routes, and the better one counts: the title route (title words, surnames,
    year, container, volume, page) and, for styles that print no title, the
    bibliographic route: surnames, year and first page found, volume or container
    found, and no more than two words of the string left unexplained by the candidate.
    """
    prepared = _prepare(text)
    parts: dict[str, float] = {}
    weights: dict[str, float] = {}
    title_words = normalize_text(candidate.title or "").split()
    if title_words:
        parts["title"] = _title_found(title_words, prepared)
        weights["title"] = 0.45 * min(1.0, len(title_words) / 4)
    keys = person_keys(candidate.authors or candidate.editors)
    if keys:
        first = float(_found(keys[0], prepared))
        others = keys[1:3]
        if others and not prepared.et_al:
            rest = sum(_found(k, prepared) for k in others) / len(others)
            parts["authors"] = 0.7 * first + 0.3 * rest
        else:
            parts["authors"] = first
        weights["authors"] = 0.2
    if candidate.year is not None:
        year = str(candidate.year)
        near = {str(candidate.year - 1), str(candidate.year + 1)}
        parts["year"] = 1.0 if year in prepared.tokens else 0.5 if near & prepared.tokens else 0.0
        weights["year"] = 0.1
    container = candidate.container_title
    if container:
        ctoks = content_tokens(container)
        if ctoks:
            hits = 0
            for tok in ctoks:
                if tok in prepared.tokens or _abbreviated(tok, prepared.tokens):
                    hits += 1
            parts["container"] = hits / len(ctoks)
            weights["container"] = 0.09
    if candidate.volume:
        parts["volume"] = float(_number_found(candidate.volume, prepared))
        weights["volume"] = 0.08
    page = first_page(candidate.pages)
    if page:
        parts["pages"] = float(page in prepared.cited)
        weights["pages"] = 0.08
    total = sum(weights.values())
    if not total:
        return MatchScore(0.0, parts, 0.0, "nothing to compare")
    score = sum(parts[k] * weights[k] for k in parts) / total
    route = "title"
    tokens, joined = _candidate_text(candidate)
    unexplained = _unexplained(prepared, tokens, joined, limit=_MANY_UNEXPLAINED)
    # Without a title, the first author must agree, and the volume or the container.
    # A first page places a work only within a volume, an issue, or a book (a chapter
    # spans pages; entries of a dictionary share them).  A record without authors needs
    # its container and a numbered first page (front matter repeats every issue).
    in_container = parts.get("container", 0.0)
    unnumbered = not candidate.volume and (
        _number_found(candidate.issue, prepared) if candidate.issue else _spans_pages(candidate)
    )
    authored = parts.get("authors", 0.0) >= 0.7 and (
        parts.get("volume") == 1.0
        or (in_container >= 0.8 and (bool(candidate.volume) or unnumbered))
    )
    authorless = (
        not keys
        and (page or "").isdigit()
        and (
            (parts.get("volume") == 1.0 and in_container >= 0.8)
            or (unnumbered and in_container >= 0.95)
        )
    )
    if (
        parts.get("pages") == 1.0
        and (parts.get("year") == 1.0 or candidate.year is None)
        and (authored or authorless)
        and unexplained <= 2
    ):
        keys_b = [k for k in parts if k != "title"]
        biblio = sum(parts[k] * weights[k] for k in keys_b) / sum(weights[k] for k in keys_b)
        biblio *= 0.97
        if biblio > score:
            score, route = biblio, "bibliographic"
    reasons = [route]
    numbers = unexplained_numbers(text, candidate)
    if numbers:
        score *= NUMBER_PENALTY ** min(len(numbers), 3)
        reasons.append(f"the string cites {', '.join(numbers[:3])}, which the record does not")
    if not keys and _leading_name_unexplained(text, tokens, joined):
        score = min(score, 0.7)
        reasons.append("the string begins with a name the record does not have")
    if unexplained >= _MANY_UNEXPLAINED and parts.get("title", 0.0) < 0.9:
        score = min(score, 0.7)
        reasons.append(f"{_MANY_UNEXPLAINED} or more words of the string unexplained")
    elif unexplained == 2 and parts.get("title", 0.0) < 0.9:
        score *= 0.95
    if unexplained and parts.get("title", 0.0) >= 0.9:
        extra = _unexplained_in_title(title_words, prepared, tokens, joined)
        if extra:
            score *= EXTRA_TITLE_WORD ** min(extra, 3)
            reasons.append(f"the string's title has {extra} words the record's lacks")
    if parts.get("pages") == 0.0:
        score *= 0.85
        reasons.append("first page not found")
    elif "pages" not in parts and _cites_pages(text, tokens):
        score = min(score, 0.75)
        reasons.append("the string cites pages the record does not have")
    if parts.get("authors", 1.0) == 0.0:
        score = min(score, 0.5)
    if parts.get("year", 1.0) == 0.0:
        score = min(score, 0.6)
    if set(parts) == {"title"}:
        score = min(score, 0.8)
        reasons.append("nothing but a title to compare")
    specificity = sum(weights[k] for k in parts if parts[k] >= 0.99)
    if candidate.issue and _number_found(candidate.issue, prepared):
        specificity += 0.04
    return MatchScore(round(score, 4), parts, round(specificity, 4), "; ".join(reasons))
