"""Identifiers found in free text, in one linear pass, never raising on bad input."""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import dataclass

from mesorefs.errors import InvalidIdentifier
from mesorefs.identifiers.schemes import (
    _ARXIV_DOI,
    _ARXIV_NEW,
    _ARXIV_OLD,
    _FIND_PUNCT,
    _ISBN_LABEL_RE,
    _ISSN_LABEL_RE,
    _PMC_URL,
    _arxiv_canonical,
    _arxiv_problem,
    _scan_dois,
    _trim_tail,
    _valid_isbn10,
    _valid_isbn13,
    isbn10_to_13,
    normalize_arxiv,
    normalize_issn,
)

__all__ = ["FoundIdentifier", "find_dois", "find_identifiers"]


# ------------------------------------------------------------------------ finding


@dataclass(frozen=True)
class FoundIdentifier:
    """An identifier found in text.

    ``value`` is normalized; ``text[start:end]`` is what was recognised, including a
    label (``doi:``, ``PMID:``, ``arXiv:``, ``ISBN``) or resolver URL in front of it.
    """

    kind: str
    value: str
    start: int
    end: int


_URL_FIND = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s\"<>\x00-\x1f\x7f]+", re.IGNORECASE)
_PMID_FIND = re.compile(
    r"\bPMID\s{0,3}:?\s{0,3}(?P<id>[1-9][0-9]{0,8})(?![0-9])"
    r"|\b(?:https?://)?(?:www\.)?"
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(?P<uid>[1-9][0-9]{0,8})(?![0-9])",
    re.IGNORECASE,
)
_PMCID_FIND = re.compile(
    rf"(?:\bPMCID\s{{0,3}}:?\s{{0,3}}|\b{_PMC_URL}|\b)(?P<id>PMC[1-9][0-9]{{0,8}})(?![0-9])",
    re.IGNORECASE,
)
_ARXIV_FIND = re.compile(
    r"(?:\barXiv\s{0,3}:\s{0,3}|\b(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)"
    rf"(?P<id>(?:{_ARXIV_NEW}|{_ARXIV_OLD})(?:v(?P<version>[0-9]+))?)(?![0-9])",
    re.IGNORECASE | re.ASCII,
)
_ISBN_SEP = "\\- \u2010-\u2013\u2212"
_ISBN_LABELLED_FIND = re.compile(
    rf"\b{_ISBN_LABEL_RE}"
    rf"(?P<run>[0-9](?:[{_ISBN_SEP}]?[0-9X]){{0,16}})",
    re.IGNORECASE,
)
_ISBN13_FIND = re.compile(r"(?<![\w-])97[89](?:-?[0-9]){10}(?![\w]|-[0-9])")
_ISSN_FIND = re.compile(
    rf"\b{_ISSN_LABEL_RE}"
    r"(?P<id>[0-9]{4}[-\u2010\u2011]?[0-9]{3}[0-9X])(?![\w-])",
    re.IGNORECASE,
)

_KIND_ORDER = {k: i for i, k in enumerate(("doi", "pmid", "pmcid", "arxiv", "isbn", "issn", "url"))}


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _URL_FIND.finditer(text):
        url = _trim_tail(m.group(), _FIND_PUNCT)
        if url.rstrip("/").lower() not in ("http:", "https:", "ftp:", "www."):
            spans.append((m.start(), m.start() + len(url)))
    return spans


def _isbn_in_run(run: str) -> tuple[str, int] | None:
    """The ISBN at the start of a digit run after an ISBN label: (ISBN-13, chars used)."""
    digits = ""
    ends: dict[int, int] = {}
    for i, ch in enumerate(run):
        if ch.isdigit() or ch in "xX":
            digits += ch.upper()
            ends[len(digits)] = i + 1
            if len(digits) == 13:
                break
    # Prefer ISBN-13; the candidate must not run on into another digit without a separator.
    end = ends.get(13)
    if end is not None and not _continues(run, end) and _valid_isbn13(digits[:13]):
        return digits[:13], end
    end = ends.get(10)
    if end is not None and not _continues(run, end) and _valid_isbn10(digits[:10]):
        return isbn10_to_13(digits[:10]), end
    return None


def _continues(run: str, end: int) -> bool:
    return end < len(run) and run[end] in "0123456789Xx"


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def find_identifiers(text: str) -> list[FoundIdentifier]:
    """Every identifier and URL in free text, sorted by position.

    DOIs anywhere; PMIDs only when labelled ``PMID`` or in a PubMed URL (a bare number
    is not a PMID); PMCIDs; arXiv ids only after ``arXiv:`` or in an arxiv.org URL (an
    arXiv DOI also yields an ``arxiv`` entry with the same span); ISBNs when labelled,
    or as a valid 978/979 ISBN-13 outside URLs and DOIs; ISSNs when labelled; and URLs
    (kind ``url``) except resolver URLs (doi.org, PubMed, PMC, arxiv.org) that were
    already reported as the identifier they resolve.
    """
    found: list[FoundIdentifier] = []
    urls = _url_spans(text)

    doi_spans: list[tuple[int, int]] = []
    for start, end, value in _scan_dois(text, urls):
        found.append(FoundIdentifier("doi", value, start, end))
        doi_spans.append((start, end))
        if value.startswith(_ARXIV_DOI):
            with contextlib.suppress(InvalidIdentifier):
                found.append(FoundIdentifier("arxiv", normalize_arxiv(value), start, end))

    for m in _PMID_FIND.finditer(text):
        found.append(FoundIdentifier("pmid", m.group("id") or m.group("uid"), m.start(), m.end()))

    for m in _PMCID_FIND.finditer(text):
        found.append(FoundIdentifier("pmcid", "PMC" + m.group("id")[3:], m.start(), m.end()))

    for m in _ARXIV_FIND.finditer(text):
        if _arxiv_problem(m) is None:
            found.append(FoundIdentifier("arxiv", _arxiv_canonical(m), m.start(), m.end()))

    for m in _ISBN_LABELLED_FIND.finditer(text):
        hit = _isbn_in_run(m.group("run"))
        if hit is not None:
            value, used = hit
            found.append(FoundIdentifier("isbn", value, m.start(), m.start("run") + used))

    # A bare ISBN-13 inside a URL or DOI (Springer chapter DOIs embed one) is not cited as such.
    taken = sorted(urls + doi_spans)
    taken_starts = [s for s, _ in taken]
    for m in _ISBN13_FIND.finditer(text):
        digits = m.group().replace("-", "")
        if _valid_isbn13(digits) and not _inside(taken, taken_starts, m.start()):
            found.append(FoundIdentifier("isbn", digits, m.start(), m.end()))

    for m in _ISSN_FIND.finditer(text):
        try:
            value = normalize_issn(m.group("id"))
        except InvalidIdentifier:
            continue
        found.append(FoundIdentifier("issn", value, m.start(), m.end()))

    id_starts = {f.start for f in found}
    for start, end in urls:
        if start not in id_starts:  # a resolver URL already reported as its identifier
            found.append(FoundIdentifier("url", text[start:end], start, end))

    return _drop_overlaps(found)


def _drop_overlaps(found: list[FoundIdentifier]) -> list[FoundIdentifier]:
    """Sort by position; of overlapping finds of one kind keep the one that starts first."""
    found.sort(key=lambda f: (f.start, -f.end, _KIND_ORDER[f.kind]))
    last_end: dict[str, int] = {}
    kept = []
    for f in found:
        if f.start < last_end.get(f.kind, -1):
            continue
        last_end[f.kind] = f.end
        kept.append(f)
    kept.sort(key=lambda f: (f.start, _KIND_ORDER[f.kind], f.end))
    return kept


def find_dois(text: str) -> list[str]:
    """Every DOI in free text, normalized, without duplicates, in order of first appearance."""
    seen: dict[str, None] = {}
    for _, _, value in _scan_dois(text, _url_spans(text)):
        seen.setdefault(value, None)
    return list(seen)
