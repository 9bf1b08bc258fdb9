"""Each scheme's rules: clean, check and normalize a DOI, PMID, PMCID, arXiv id, ISBN,
ISSN or ORCID (pure; canonical forms in :mod:`mesorefs.identifiers`)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from urllib.parse import quote, unquote

from mesorefs.errors import InvalidIdentifier

__all__ = [
    "arxiv_base",
    "clean_doi",
    "doi_equal",
    "doi_url",
    "is_doi",
    "is_valid",
    "isbn10_to_13",
    "isbn13_to_10",
    "normalize_arxiv",
    "normalize_doi",
    "normalize_isbn",
    "normalize_issn",
    "normalize_orcid",
    "normalize_pmcid",
    "normalize_pmid",
]


# Unicode hyphens that copy/paste and word processors put into identifiers.
_HYPHENS = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2212"}
# Invisible characters left behind by PDFs and web pages; they are never part of an id.
_INVISIBLE = {ord(c): None for c in "\u00ad\u200b\u2060\ufeff"}
_CLEAN_TABLE = {**_HYPHENS, **_INVISIBLE}

_PROSE_PUNCT = ".,;:"
# Free text also ends identifiers with quotes, ellipses and sentence marks.
_FIND_PUNCT = ".,;:!?'\"\u2019\u201d\u00bb\u203a\u2026\u3002\uff0c\uff1b\uff1a"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _clean(kind: str, text: object) -> str:
    if not isinstance(text, str):
        raise InvalidIdentifier(kind, repr(text), "not a string")
    if text.isascii():  # nothing to translate or normalise; str.translate is slow
        return text.strip()
    return unicodedata.normalize("NFC", text.translate(_CLEAN_TABLE)).strip()


def _trim_tail(s: str, punct: str) -> str:
    """Drop trailing punctuation and closing brackets that have no partner inside ``s``."""
    end = len(s)
    closes: dict[str, int] = {}  # counted on first need: most identifiers end in a letter
    while end:
        ch = s[end - 1]
        if ch in punct:
            end -= 1
        elif ch in _CLOSERS:
            if not closes:
                closes = {c: s.count(c) - s.count(o) for c, o in _CLOSERS.items()}
            if closes[ch] <= 0:
                break
            closes[ch] -= 1
            end -= 1
        else:
            break
    return s[:end]


# --------------------------------------------------------------------------- DOI

_DOI_URL_PREFIX = re.compile(r"(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_LABEL = re.compile(r"(?:urn:doi:|info:doi/|doi\s*:|doi\s)\s*", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/", re.ASCII)
_PCT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# Where a DOI inside a URL ends: at the query or fragment of the path, or at the next
# parameter when the DOI is a query value.
_PATH_END = re.compile(r"[?#]")
_QUERY_END = re.compile(r"[&#]")
# A label glued to the end of a DOI in free text: "...151502,arXiv:", "...BF02345020.URL".
_GLUED_LABEL = re.compile(
    r"[.,;](?=(?:arxiv|url|https?:|available|accessed|retrieved|pmid|pmcid|isbn|issn|epub))",
    re.IGNORECASE,
)
# Legal in a URL path and read literally by doi.org; quote() encodes everything else,
# which covers the Handbook's mandatory (% " # space ?) and recommended (<>{}^[]`|\+) sets.
_DOI_URL_SAFE = "/:;()!$&'*,=@"


def _unquote_all(kind: str, original: str, s: str) -> str:
    # Decode until stable (double-encoded DOIs occur), so the result has no escapes left
    # and normalize_doi stays idempotent.
    for _ in range(3):
        if not _PCT_ESCAPE.search(s):
            return s
        try:
            s = unquote(s, errors="strict")
        except UnicodeDecodeError:
            raise InvalidIdentifier(kind, original, "bad percent-encoding") from None
    if _PCT_ESCAPE.search(s):
        raise InvalidIdentifier(kind, original, "percent-encoded too many times")
    return s


def _strip_doi_prefixes(s: str) -> str:
    while True:
        m = _DOI_URL_PREFIX.match(s)
        if m:
            # An unencoded ? or # after a resolver URL starts the query or fragment.
            s = _PATH_END.split(s[m.end() :], maxsplit=1)[0]
            continue
        m = _DOI_LABEL.match(s)
        if m:
            s = s[m.end() :]
            continue
        return s


def normalize_doi(text: str) -> str:
    """Return the canonical lower-case ``10.xxxx/suffix`` form of a DOI in any common form.

    Accepts bare DOIs, ``doi:``, ``urn:doi:``, ``info:doi/`` and doi.org URLs (with or
    without scheme, ``dx.``), percent-encoding, Unicode hyphens and trailing prose
    punctuation.  Raises :class:`InvalidIdentifier` for anything that is not a DOI.
    This is the form to compare, deduplicate and key caches on (DOIs ignore case).
    """
    return clean_doi(text).lower()


def clean_doi(text: str) -> str:
    """The bare ``10.xxxx/suffix`` of a DOI in any form :func:`normalize_doi` accepts,
    in the case it was written: ``10.1097/01.PRS.0000162243.34988.90`` is printed as
    the record or the user wrote it."""
    s = _clean("DOI", text)
    if not s:
        raise InvalidIdentifier("DOI", text, "empty")
    s = _strip_doi_prefixes(s)
    s = _unquote_all("DOI", text, s).strip()
    s = _strip_doi_prefixes(s)  # a fully percent-encoded URL only shows its prefix now
    s = _trim_tail(s, _PROSE_PUNCT)
    m = _DOI_SHAPE.match(s)
    if not m:
        raise InvalidIdentifier("DOI", text, _doi_shape_problem(s))
    suffix = s[m.end() :]
    if not suffix:
        raise InvalidIdentifier("DOI", text, "empty suffix")
    # isprintable() is False exactly for Unicode "Other" and "Separator" except " ".
    if not s.isprintable() or " " in s:
        raise InvalidIdentifier("DOI", text, "whitespace or control character inside")
    return s


def _doi_shape_problem(s: str) -> str:
    if not s.startswith("10."):
        return "does not start with '10.'"
    if "/" not in s:
        return "no '/' between prefix and suffix"
    return "registrant code must be 4-9 digits (e.g. 10.1000/...)"


def is_doi(text: str) -> bool:
    """True if ``text`` is a DOI in any form :func:`normalize_doi` accepts."""
    return is_valid("doi", text)


def doi_equal(a: str, b: str) -> bool:
    """True if both are valid DOIs naming the same object (case and form do not matter)."""
    try:
        return normalize_doi(a) == normalize_doi(b)
    except InvalidIdentifier:
        return False


def doi_url(doi: str) -> str:
    """``https://doi.org/`` plus the DOI, encoded by the DOI Handbook's URL rules."""
    segments = quote(normalize_doi(doi), safe=_DOI_URL_SAFE).split("/")
    parts = [segments[0]]
    for prev, seg in itertools.pairwise(segments):
        # "/./" and "/../" would be collapsed by URL resolution; encode the slash after.
        parts.append(("%2F" if prev in (".", "..") else "/") + seg)
    return "https://doi.org/" + "".join(parts)


# Suffix characters in free text.  Angle brackets only as a SICI group such as
# "43:4<439::AID-JNR5>" or "055<0001:ARWCSM>": after a digit, with a colon inside,
# which HTML tags and <URL> wrappers do not have.
_DOI_SUFFIX_CHAR = r"[^\s\"<>\x00-\x1f\x7f]"
_DOI_FIND = re.compile(
    r"(?:(?P<url>\b(?:https?://)?(?:dx\.|www\.)?doi\.org/(?:urn:doi:|doi:)?)"
    r"|(?P<label>\b(?:urn:doi:|doi(?:\s?:|\s)\s{0,3}))"
    r"|\b)"
    # Bounded repeats keep the scan linear on inputs like "10.1000.10.1000...".
    r"(?P<doi>10\.[0-9]{4,9}(?:\.[0-9]{1,9}){0,4}(?:/|%2[Ff])"
    rf"(?:{_DOI_SUFFIX_CHAR}|(?<=[0-9])<[^\s\"<>:/]*:[^\s\"<>/]*>)+)",
    re.IGNORECASE,
)


def _scan_dois(text: str, urls: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, normalized DOI) for each DOI in ``text``; ``urls`` are URL spans."""
    url_i = 0
    for m in _DOI_FIND.finditer(text):
        start, end = m.start(), m.end()
        doi_start = m.start("doi")
        cut: re.Pattern[str] | None = None
        while url_i < len(urls) and urls[url_i][1] <= doi_start:
            url_i += 1
        if url_i < len(urls) and urls[url_i][0] <= doi_start:
            url_start, url_end = urls[url_i]
            end = min(end, url_end)
            in_query = text.find("?", url_start, doi_start) >= 0
            cut = _QUERY_END if in_query else _PATH_END
        elif m.group("url"):
            cut = _PATH_END
        raw = text[doi_start:end]
        if cut:
            raw = cut.split(raw, maxsplit=1)[0]
        raw = _GLUED_LABEL.split(raw, maxsplit=1)[0]
        raw = _trim_tail(raw, _FIND_PUNCT)
        try:
            value = normalize_doi(raw)
        except InvalidIdentifier:
            continue
        yield start, doi_start + len(raw), value


# -------------------------------------------------------------------- PMID, PMCID

_PMID_PREFIX = re.compile(
    r"(?:pmid\s*:?\s*|(?:https?://)?(?:www\.)?"
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/))",
    re.IGNORECASE,
)
_PMID = re.compile(r"[1-9][0-9]{0,8}", re.ASCII)
_PMC_URL = (
    r"(?:https?://)?(?:www\.)?"
    r"(?:ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/articles/)"
)
_PMCID_PREFIX = re.compile(rf"(?:pmcid\s*:?\s*|{_PMC_URL})", re.IGNORECASE)
_PMCID = re.compile(r"PMC([1-9][0-9]{0,8})", re.ASCII | re.IGNORECASE)


def _strip_url_tail(s: str) -> str:
    return _PATH_END.split(s, maxsplit=1)[0].rstrip("/")


def normalize_pmid(text: str | int) -> str:
    """Return a PubMed id as its digits; accepts ``PMID: 123`` and PubMed URLs."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    s = _trim_tail(_clean("PMID", text), _PROSE_PUNCT)
    m = _PMID_PREFIX.match(s)
    if m:
        s = _strip_url_tail(s[m.end() :])
    if not _PMID.fullmatch(s):
        raise InvalidIdentifier("PMID", str(text), "expected 1-9 digits without leading zero")
    return s


def normalize_pmcid(text: str) -> str:
    """Return a PubMed Central id as ``PMC`` + digits; accepts ``PMCID:`` and PMC URLs."""
    s = _trim_tail(_clean("PMCID", text), _PROSE_PUNCT)
    m = _PMCID_PREFIX.match(s)
    if m:
        s = _strip_url_tail(s[m.end() :])
    pm = _PMCID.fullmatch(s)
    if not pm:
        raise InvalidIdentifier("PMCID", text, "expected 'PMC' followed by digits")
    return "PMC" + pm.group(1)


# ------------------------------------------------------------------------- arXiv

_ARXIV_NEW = r"(?P<yymm>[0-9]{4})\.(?P<num>[0-9]{4,5})"
_ARXIV_OLD = r"(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.[a-z]{2})?/(?P<oldnum>[0-9]{7})"
_ARXIV_ID = re.compile(
    rf"(?:{_ARXIV_NEW}|{_ARXIV_OLD})(?:v(?P<version>[0-9]+))?", re.ASCII | re.IGNORECASE
)
_ARXIV_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/", re.ASCII | re.IGNORECASE
)
_ARXIV_LABEL = re.compile(r"arxiv\s*:\s*", re.IGNORECASE)
_ARXIV_DOI = "10.48550/arxiv."


def _arxiv_problem(m: re.Match[str]) -> str | None:
    """Why a syntactically matched arXiv id cannot exist, or None if it can."""
    version = m.group("version")
    if version is not None and version.startswith("0"):
        return "versions start at v1"
    yymm = m.group("yymm")
    if yymm is not None:
        if not 1 <= int(yymm[2:]) <= 12:
            return f"no month {yymm[2:]} in {yymm}"
        if yymm < "0704":
            return "YYMM.NNNN ids start in April 2007 (0704)"
        # Four-digit sequence numbers until 1412, five from 1501 on.
        width = 4 if yymm <= "1412" else 5
        if len(m.group("num")) != width:
            return f"ids from {yymm} have {width}-digit numbers"
        return None
    num = m.group("oldnum")
    if not 1 <= int(num[2:4]) <= 12:
        return f"no month {num[2:4]} in {num}"
    if 8 <= int(num[:2]) <= 90:
        return "archive/YYMMNNN ids run from 1991 to 2007"
    return None


def _arxiv_canonical(m: re.Match[str]) -> str:
    tail = f"v{m.group('version')}" if m.group("version") else ""
    if m.group("yymm") is not None:
        return f"{m.group('yymm')}.{m.group('num')}{tail}"
    return f"{m.group('archive').lower()}/{m.group('oldnum')}{tail}"


def normalize_arxiv(text: str) -> str:
    """Return an arXiv id without ``arXiv:`` prefix, keeping its version if given.

    Accepts ``arXiv:`` labels, arxiv.org ``/abs/`` and ``/pdf/`` URLs and the DataCite
    DOI ``10.48550/arXiv.<id>``.  Old-scheme ids lose their subject class.
    """
    s = _trim_tail(_clean("arXiv id", text), _PROSE_PUNCT)
    if "10.48550/" in s.lower():
        try:
            doi = normalize_doi(s)
        except InvalidIdentifier:
            doi = ""
        if not doi.startswith(_ARXIV_DOI):
            raise InvalidIdentifier("arXiv id", text, "not an arXiv DOI")
        s = doi[len(_ARXIV_DOI) :]
    elif m := _ARXIV_URL.match(s):
        s = _strip_url_tail(s[m.end() :])
        if s.lower().endswith(".pdf"):
            s = s[:-4]
    elif m := _ARXIV_LABEL.match(s):
        s = s[m.end() :]
    m = _ARXIV_ID.fullmatch(s)
    if not m:
        raise InvalidIdentifier("arXiv id", text, "expected YYMM.NNNNN[vN] or archive/YYMMNNN[vN]")
    problem = _arxiv_problem(m)
    if problem:
        raise InvalidIdentifier("arXiv id", text, problem)
    return _arxiv_canonical(m)


def arxiv_base(id: str) -> str:
    """The arXiv id without its version: ``1706.03762v5`` -> ``1706.03762``."""
    return re.sub(r"v[0-9]+$", "", normalize_arxiv(id))


# --------------------------------------------------------------- ISBN, ISSN, ORCID

# "ISBN-13:", "ISBN 13:", "ISBN13", but not the "13" that starts "ISBN 1399...".
_ISBN_LABEL_RE = r"ISBN(?:-?1[03](?![0-9])| 1[03](?=\s{0,3}:))?\s{0,3}:?\s{0,3}"
_ISBN_LABEL = re.compile(_ISBN_LABEL_RE, re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s-]+")


def _isbn10_check(first9: str) -> str:
    total = sum((10 - i) * int(c) for i, c in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _isbn13_check(first12: str) -> str:
    total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def _isbn_compact(text: str) -> str:
    s = _trim_tail(_clean("ISBN", text), _PROSE_PUNCT)
    m = _ISBN_LABEL.match(s)
    if m:
        s = s[m.end() :]
    return _SEPARATORS.sub("", s).upper()


def _valid_isbn10(s: str) -> bool:
    return re.fullmatch(r"[0-9]{9}[0-9X]", s) is not None and _isbn10_check(s[:9]) == s[9]


def _valid_isbn13(s: str) -> bool:
    return re.fullmatch(r"97[89][0-9]{10}", s) is not None and _isbn13_check(s[:12]) == s[12]


def _isbn10_problem(s: str) -> str:
    if not re.fullmatch(r"[0-9]{9}[0-9X]", s):
        return "ISBN-10 must be 9 digits and a check digit 0-9 or X"
    return f"bad check digit (expected {_isbn10_check(s[:9])})"


def _isbn13_problem(s: str) -> str:
    if not re.fullmatch(r"[0-9]{13}", s):
        return "ISBN-13 must be 13 digits"
    if not s.startswith(("978", "979")):
        return "ISBN-13 must start with 978 or 979"
    return f"bad check digit (expected {_isbn13_check(s[:12])})"


def isbn10_to_13(text: str) -> str:
    """Convert a valid ISBN-10 (hyphens allowed) to ISBN-13 digits."""
    s = _isbn_compact(text)
    if not _valid_isbn10(s):
        raise InvalidIdentifier("ISBN", text, _isbn10_problem(s))
    body = "978" + s[:9]
    return body + _isbn13_check(body)


def isbn13_to_10(text: str) -> str:
    """Convert a valid 978-prefixed ISBN-13 to ISBN-10 (check may be ``X``)."""
    s = _isbn_compact(text)
    if not _valid_isbn13(s):
        raise InvalidIdentifier("ISBN", text, _isbn13_problem(s))
    if not s.startswith("978"):
        raise InvalidIdentifier("ISBN", text, "only 978-prefixed ISBN-13s have an ISBN-10")
    return s[3:12] + _isbn10_check(s[3:12])


def normalize_isbn(text: str) -> str:
    """Return an ISBN as 13 digits; ISBN-10s are converted; check digits must hold."""
    s = _isbn_compact(text)
    if len(s) == 10:
        return isbn10_to_13(s)
    if len(s) == 13:
        if not _valid_isbn13(s):
            raise InvalidIdentifier("ISBN", text, _isbn13_problem(s))
        return s
    raise InvalidIdentifier("ISBN", text, f"expected 10 or 13 digits, got {len(s)} characters")


_ISSN_LABEL_RE = (
    r"(?:[ep]-?)?ISSN(?:-L)?(?:\s{0,3}\((?:print|online|electronic)\))?\s{0,3}:?\s{0,3}"
)
_ISSN_LABEL = re.compile(_ISSN_LABEL_RE, re.IGNORECASE)
_ISSN = re.compile(r"([0-9]{4})-?([0-9]{3}[0-9X])", re.ASCII)


def _issn_check(first7: str) -> str:
    total = sum((8 - i) * int(c) for i, c in enumerate(first7))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_issn(text: str) -> str:
    """Return an ISSN as ``NNNN-NNNC`` after checking its mod-11 check character."""
    s = _trim_tail(_clean("ISSN", text), _PROSE_PUNCT)
    m = _ISSN_LABEL.match(s)
    if m:
        s = s[m.end() :]
    im = _ISSN.fullmatch(s.upper())
    if not im:
        raise InvalidIdentifier("ISSN", text, "expected NNNN-NNNC")
    digits = im.group(1) + im.group(2)
    if _issn_check(digits[:7]) != digits[7]:
        raise InvalidIdentifier(
            "ISSN", text, f"bad check digit (expected {_issn_check(digits[:7])})"
        )
    return f"{digits[:4]}-{digits[4:]}"


_ORCID_PREFIX = re.compile(
    r"(?:(?:https?://)?(?:www\.|sandbox\.)?orcid\.org/|orcid(?:\s*id)?\s*:?\s*)", re.IGNORECASE
)
_ORCID = re.compile(r"([0-9]{4})-?([0-9]{4})-?([0-9]{4})-?([0-9]{3}[0-9X])", re.ASCII)


def _orcid_check(first15: str) -> str:
    total = 0
    for c in first15:
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_orcid(text: str) -> str:
    """Return an ORCID iD as ``0000-0002-1825-0097``; accepts orcid.org URLs."""
    s = _trim_tail(_clean("ORCID", text), _PROSE_PUNCT)
    m = _ORCID_PREFIX.match(s)
    if m:
        s = _strip_url_tail(s[m.end() :])
    om = _ORCID.fullmatch(s.upper())
    if not om:
        raise InvalidIdentifier("ORCID", text, "expected NNNN-NNNN-NNNN-NNNC")
    digits = "".join(om.groups())
    if _orcid_check(digits[:15]) != digits[15]:
        raise InvalidIdentifier(
            "ORCID", text, f"bad check digit (expected {_orcid_check(digits[:15])})"
        )
    return "-".join(om.groups())


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "doi": normalize_doi,
    "pmid": normalize_pmid,
    "pmcid": normalize_pmcid,
    "arxiv": normalize_arxiv,
    "isbn": normalize_isbn,
    "issn": normalize_issn,
    "orcid": normalize_orcid,
}


def is_valid(kind: str, text: str) -> bool:
    """True if ``text`` is a valid identifier of ``kind`` (doi, pmid, pmcid, arxiv, isbn,
    issn, orcid); an unknown kind is a programming error and raises ValueError."""
    try:
        normalize = _NORMALIZERS[kind]
    except KeyError:
        raise ValueError(
            f"unknown identifier kind {kind!r}; expected one of {', '.join(_NORMALIZERS)}"
        ) from None
    try:
        normalize(text)
    except InvalidIdentifier:
        return False
    return True
