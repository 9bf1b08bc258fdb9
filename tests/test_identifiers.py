"""Tests for mesorefs.identifiers: normalization, check digits, finding in free text."""

from __future__ import annotations

import string
from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.errors import InvalidIdentifier
from mesorefs.identifiers import (
    FoundIdentifier,
    arxiv_base,
    doi_equal,
    doi_url,
    find_dois,
    find_identifiers,
    is_doi,
    is_valid,
    isbn10_to_13,
    isbn13_to_10,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_orcid,
    normalize_pmcid,
    normalize_pmid,
)

SICI = "10.1002/(SICI)1097-4547(19960215)43:4<439::AID-JNR5>3.0.CO;2-G"
LANCET = "10.1016/S0140-6736(97)11096-0"

NORMALIZERS: dict[str, Callable[[str], str]] = {
    "doi": normalize_doi,
    "pmid": normalize_pmid,
    "pmcid": normalize_pmcid,
    "arxiv": normalize_arxiv,
    "isbn": normalize_isbn,
    "issn": normalize_issn,
    "orcid": normalize_orcid,
}


# ---------------------------------------------------------------------------- DOI

DOI_CASES = [
    ("bare", "10.1000/182", "10.1000/182"),
    ("upper-case", "10.1000/ABC-Def", "10.1000/abc-def"),
    ("doi-prefix", "doi:10.1000/182", "10.1000/182"),
    ("DOI-prefix", "DOI:10.1000/182", "10.1000/182"),
    ("DOI-prefix-space", "DOI: 10.1000/182", "10.1000/182"),
    ("doi-label-no-colon", "doi 10.1000/182", "10.1000/182"),
    ("https-doi-org", "https://doi.org/10.1000/182", "10.1000/182"),
    ("http-doi-org", "http://doi.org/10.1000/182", "10.1000/182"),
    ("http-dx", "http://dx.doi.org/10.1000/182", "10.1000/182"),
    ("https-dx", "https://dx.doi.org/10.1000/182", "10.1000/182"),
    ("no-scheme", "doi.org/10.1000/182", "10.1000/182"),
    ("url-upper", "HTTPS://DOI.ORG/10.1000/ABC", "10.1000/abc"),
    ("urn", "urn:doi:10.1000/182", "10.1000/182"),
    ("url-urn", "https://doi.org/urn:doi:10.1000/182", "10.1000/182"),
    ("info-uri", "info:doi/10.1000/182", "10.1000/182"),
    ("whitespace", "  10.1000/182\n", "10.1000/182"),
    ("trailing-period", "10.1000/182.", "10.1000/182"),
    ("trailing-comma", "10.1000/182,", "10.1000/182"),
    ("trailing-semicolon", "10.1000/182;", "10.1000/182"),
    ("trailing-colon", "doi:10.1000/182:", "10.1000/182"),
    ("trailing-paren-period", "10.1000/182).", "10.1000/182"),
    ("trailing-bracket", "10.1000/182]", "10.1000/182"),
    ("balanced-parens", LANCET, "10.1016/s0140-6736(97)11096-0"),
    ("balanced-parens-extra-close", LANCET + ")", "10.1016/s0140-6736(97)11096-0"),
    (
        "balanced-brackets",
        "10.1645/0022-3395(2000)086[0001:TAOTAA]2.0.CO;2",
        "10.1645/0022-3395(2000)086[0001:taotaa]2.0.co;2",
    ),
    ("sici-wiley", SICI, SICI.lower()),
    (
        "sici-ams",
        "10.1175/1520-0469(1998)055<0001:ARWCSM>2.0.CO;2",
        "10.1175/1520-0469(1998)055<0001:arwcsm>2.0.co;2",
    ),
    ("hyphen-u2010", "10.5438/9te8\u20105h68", "10.5438/9te8-5h68"),
    ("hyphen-u2011", "10.5438/9te8\u20115h68", "10.5438/9te8-5h68"),
    ("hyphen-u2012", "10.5438/9te8\u20125h68", "10.5438/9te8-5h68"),
    ("hyphen-u2013", "10.5438/9te8\u20135h68", "10.5438/9te8-5h68"),
    ("minus-u2212", "10.5438/9te8\u22125h68", "10.5438/9te8-5h68"),
    ("soft-hyphen-dropped", "10.1000/18\u00ad2", "10.1000/182"),
    ("percent-slash", "10.1000%2F182", "10.1000/182"),
    ("percent-url", "https://doi.org/10.1016%2FS0140-6736%2897%2911096-0", LANCET.lower()),
    ("percent-whole-url", "https%3A%2F%2Fdoi.org%2F10.1000%2F182", "10.1000/182"),
    ("double-percent", "10.1000%252F182", "10.1000/182"),
    ("percent-sici", quote(SICI, safe=""), SICI.lower()),
    ("url-query-dropped", "https://doi.org/10.1000/182?locatt=mode:legacy", "10.1000/182"),
    ("url-fragment-dropped", "https://doi.org/10.1000/182#top", "10.1000/182"),
    ("registrant-sub-element", "10.1000.10/abc", "10.1000.10/abc"),
    ("registrant-9-digits", "10.123456789/x", "10.123456789/x"),
    ("plos", "10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693"),
    ("datacite", "10.5438/9TE8-5H68", "10.5438/9te8-5h68"),
    ("arxiv-datacite", "10.48550/arXiv.1706.03762", "10.48550/arxiv.1706.03762"),
    ("suffix-with-slashes", "10.1000/a/b/c", "10.1000/a/b/c"),
    ("non-ascii-suffix", "10.1000/Café", "10.1000/café"),
    ("decomposed-to-nfc", "10.1000/cafe\u0301", "10.1000/caf\u00e9"),
    ("literal-percent-kept", "10.1000/50%off", "10.1000/50%off"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in DOI_CASES], ids=[c[0] for c in DOI_CASES]
)
def test_normalize_doi_table(text: str, expected: str) -> None:
    """Every accepted DOI form normalizes to the lower-case 10.xxxx/suffix form."""
    assert normalize_doi(text) == expected


DOI_GARBAGE = [
    ("empty", ""),
    ("blank", "   "),
    ("prose", "hello world"),
    ("no-slash", "10.1000"),
    ("empty-suffix", "10.1000/"),
    ("only-punctuation-suffix", "10.1000/.;"),
    ("unbalanced-paren-suffix", "10.1000/)"),
    ("registrant-3-digits", "10.100/182"),
    ("registrant-10-digits", "10.1234567890/x"),
    ("registrant-letters", "10.abcd/182"),
    ("wrong-directory", "11.1000/182"),
    ("space-inside", "10.1000/18 2"),
    ("tab-inside", "10.1000/a\tb"),
    ("nul-inside", "10.1000/a\x00b"),
    ("zero-width-joiner-inside", "10.1000/a\u200db"),
    ("label-only", "doi:"),
    ("url-only", "https://doi.org/"),
    ("bad-percent-utf8", "10.1000/%FF"),
    ("percent-space", "10.1000/a%20b"),
    ("space-in-prefix", "10. 1000/182"),
    ("leading-paren", "(10.1000/182)"),
]


@pytest.mark.parametrize("text", [c[1] for c in DOI_GARBAGE], ids=[c[0] for c in DOI_GARBAGE])
def test_normalize_doi_rejects_garbage(text: str) -> None:
    """Non-DOIs raise InvalidIdentifier whose message names the offending value."""
    with pytest.raises(InvalidIdentifier) as info:
        normalize_doi(text)
    assert info.value.kind == "DOI"
    assert info.value.value == text
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)
    assert not is_doi(text)


def test_normalize_doi_rejects_non_string() -> None:
    """A non-string is an InvalidIdentifier, not an AttributeError."""
    with pytest.raises(InvalidIdentifier):
        normalize_doi(None)  # type: ignore[arg-type]
    assert not is_doi(182)  # type: ignore[arg-type]


def test_normalize_doi_long_value_is_shortened_in_message() -> None:
    """A long bad value is cut in the message but kept whole on the exception."""
    text = "x" * 500
    with pytest.raises(InvalidIdentifier) as info:
        normalize_doi(text)
    assert info.value.value == text
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("10.1000/ABC", "https://doi.org/10.1000/abc", True),
        ("doi:10.1000/182", "http://dx.doi.org/10.1000/182.", True),
        (LANCET, "10.1016%2Fs0140-6736%2897%2911096-0", True),
        ("10.1000/182", "10.1000/183", False),
        ("10.1000/182", "not a doi", False),
        ("garbage", "garbage", False),
    ],
    ids=["case", "prefix-and-punctuation", "percent", "different", "one-invalid", "both-invalid"],
)
def test_doi_equal(a: str, b: str, equal: bool) -> None:
    """doi_equal ignores case and form, and is False when either side is invalid."""
    assert doi_equal(a, b) is equal
    assert doi_equal(b, a) is equal


@pytest.mark.parametrize(
    ("doi", "url"),
    [
        ("10.1000/182", "https://doi.org/10.1000/182"),
        ("https://dx.doi.org/10.1000/ABC", "https://doi.org/10.1000/abc"),
        (LANCET, "https://doi.org/10.1016/s0140-6736(97)11096-0"),
        (
            SICI,
            "https://doi.org/10.1002/(sici)1097-4547(19960215)43:4%3C439::aid-jnr5%3E3.0.co;2-g",
        ),
        ("10.1000/a?b#c", "https://doi.org/10.1000/a%3Fb%23c"),
        ("10.1000/50%off", "https://doi.org/10.1000/50%25off"),
        ('10.1000/a"b+c', "https://doi.org/10.1000/a%22b%2Bc"),
        ("10.1000/{a}[b]^|`\\", "https://doi.org/10.1000/%7Ba%7D%5Bb%5D%5E%7C%60%5C"),
        ("10.1000/./x/../y", "https://doi.org/10.1000/.%2Fx/..%2Fy"),
        ("10.1000/café", "https://doi.org/10.1000/caf%C3%A9"),
    ],
    ids=[
        "plain",
        "from-url",
        "parens-kept",
        "sici-angles",
        "query-fragment",
        "percent",
        "quote-plus",
        "recommended-set",
        "dot-segments",
        "non-ascii",
    ],
)
def test_doi_url(doi: str, url: str) -> None:
    """doi_url encodes the DOI by the DOI Handbook rules and resolves back to the same DOI."""
    assert doi_url(doi) == url
    assert normalize_doi(url) == normalize_doi(doi)


def test_doi_url_rejects_garbage() -> None:
    """doi_url refuses to build a link for something that is not a DOI."""
    with pytest.raises(InvalidIdentifier, match="not-a-doi"):
        doi_url("not-a-doi")


FIND_DOI_CASES = [
    ("period", "See doi:10.1000/182.", ["10.1000/182"]),
    ("paren", "(see https://doi.org/10.1000/182)", ["10.1000/182"]),
    (
        "comma-list",
        "10.1000/182, 10.1000/183; and 10.1000/184: done",
        ["10.1000/182", "10.1000/183", "10.1000/184"],
    ),
    ("paren-period", "(doi:10.1000/182).", ["10.1000/182"]),
    ("balanced-parens", f"Lancet ({LANCET}).", [LANCET.lower()]),
    ("sici", f"in {SICI}, pp. 4", [SICI.lower()]),
    ("dedup-case-and-form", "10.1000/ABC and https://doi.org/10.1000/abc", ["10.1000/abc"]),
    ("order", "10.1000/2 then 10.1000/1 then 10.1000/2", ["10.1000/2", "10.1000/1"]),
    (
        "html",
        '<a href="https://doi.org/10.1000/182">10.1000/183</a>.',
        ["10.1000/182", "10.1000/183"],
    ),
    ("angle-url", "<https://doi.org/10.1000/182>", ["10.1000/182"]),
    ("markdown", "[paper](https://doi.org/10.1000/182).", ["10.1000/182"]),
    (
        "latex",
        r"\doi{10.1000/182} and \url{https://doi.org/10.1000/183}",
        ["10.1000/182", "10.1000/183"],
    ),
    ("quotes", "\u201c10.1000/182\u201d and '10.1000/183'", ["10.1000/182", "10.1000/183"]),
    ("question", "Have you read 10.1000/182?", ["10.1000/182"]),
    (
        "publisher-url-query",
        "https://onlinelibrary.wiley.com/doi/full/10.1002/ece3.123?af=R",
        ["10.1002/ece3.123"],
    ),
    ("query-parameter", "https://example.org/find?doi=10.1000%2F182&format=json", ["10.1000/182"]),
    ("unicode-hyphen", "doi: 10.5438/9te8\u20105h68.", ["10.5438/9te8-5h68"]),
    ("version-number", "version 10.1 of the software, 10.12/3", []),
    ("glued-to-word", "x10.1000/182", []),
    ("nothing", "no identifiers here.", []),
    ("glued-arxiv-label", "doi:10.1146/a.55.151502,arXiv:hep-ph/0502182", ["10.1146/a.55.151502"]),
    ("glued-url-label", "doi: 10.1007/BF02345020.URLhttps://x.org", ["10.1007/bf02345020"]),
    (
        "arxiv-doi-stays-whole",
        "https://doi.org/10.48550/arXiv.2101.00001",
        ["10.48550/arxiv.2101.00001"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in FIND_DOI_CASES], ids=[c[0] for c in FIND_DOI_CASES]
)
def test_find_dois(text: str, expected: list[str]) -> None:
    """find_dois returns normalized unique DOIs in order, without sentence punctuation."""
    assert find_dois(text) == expected


# -------------------------------------------------------------------- PMID, PMCID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("36367692", "36367692"),
        ("PMID: 36367692", "36367692"),
        ("pmid:123", "123"),
        ("PMID 123.", "123"),
        ("https://pubmed.ncbi.nlm.nih.gov/28731372/", "28731372"),
        ("http://www.ncbi.nlm.nih.gov/pubmed/28731372", "28731372"),
        ("123456789", "123456789"),
    ],
    ids=["bare", "label", "lower-label", "label-period", "pubmed-url", "legacy-url", "9-digits"],
)
def test_normalize_pmid(text: str, expected: str) -> None:
    """PMIDs in label and URL forms normalize to their digits."""
    assert normalize_pmid(text) == expected


def test_normalize_pmid_accepts_int() -> None:
    """An int PMID from JSON is accepted; a bool is not."""
    assert normalize_pmid(28731372) == "28731372"
    with pytest.raises(InvalidIdentifier):
        normalize_pmid(True)


@pytest.mark.parametrize(
    "text",
    ["", "0", "0123", "1234567890", "PMID:", "12a", "PMC123", "https://pubmed.ncbi.nlm.nih.gov/"],
    ids=["empty", "zero", "leading-zero", "10-digits", "label-only", "letters", "pmcid", "url"],
)
def test_normalize_pmid_rejects(text: str) -> None:
    """Anything but 1-9 digits without a leading zero is not a PMID."""
    with pytest.raises(InvalidIdentifier, match="PMID"):
        normalize_pmid(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PMC3531190", "PMC3531190"),
        ("pmc3531190", "PMC3531190"),
        ("PMCID: PMC3531190", "PMC3531190"),
        ("pmcid:pmc12", "PMC12"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3531190/", "PMC3531190"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC3531190/", "PMC3531190"),
    ],
    ids=["canonical", "lower", "label", "lower-label", "ncbi-url", "pmc-url"],
)
def test_normalize_pmcid(text: str, expected: str) -> None:
    """PMCIDs come back as PMC plus digits."""
    assert normalize_pmcid(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "3531190", "PMC", "PMC0123", "PMCX1", "NIHMS236863"],
    ids=["empty", "digits-only", "prefix-only", "leading-zero", "letter", "manuscript-id"],
)
def test_normalize_pmcid_rejects(text: str) -> None:
    """A PMCID needs the PMC prefix and digits."""
    with pytest.raises(InvalidIdentifier, match="PMCID"):
        normalize_pmcid(text)


# -------------------------------------------------------------------------- arXiv

ARXIV_CASES = [
    ("new-4-digits", "0704.0001", "0704.0001"),
    ("new-4-digits-last", "1412.9999", "1412.9999"),
    ("new-5-digits", "1501.00001", "1501.00001"),
    ("new-version", "1706.03762v5", "1706.03762v5"),
    ("new-version-upper", "1706.03762V5", "1706.03762v5"),
    ("prefix", "arXiv:1706.03762", "1706.03762"),
    ("prefix-lower-space", "arxiv: 1706.03762v2", "1706.03762v2"),
    ("abs-url", "https://arxiv.org/abs/1706.03762v5", "1706.03762v5"),
    ("pdf-url", "https://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762v5"),
    ("pdf-url-no-ext", "http://arxiv.org/pdf/1706.03762", "1706.03762"),
    ("export-url", "https://export.arxiv.org/abs/1706.03762/", "1706.03762"),
    ("datacite-doi", "10.48550/arXiv.1706.03762", "1706.03762"),
    ("datacite-doi-url", "https://doi.org/10.48550/arXiv.1706.03762", "1706.03762"),
    ("old", "hep-th/9901001", "hep-th/9901001"),
    ("old-subject-class", "math.CA/0611800v2", "math/0611800v2"),
    ("old-prefix", "arXiv:math.CA/0611800v2", "math/0611800v2"),
    ("old-url", "https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001v1"),
    ("old-2007", "astro-ph/0703001", "astro-ph/0703001"),
    ("old-doi", "10.48550/arXiv.math.CA/0611800", "math/0611800"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in ARXIV_CASES], ids=[c[0] for c in ARXIV_CASES]
)
def test_normalize_arxiv(text: str, expected: str) -> None:
    """arXiv ids lose their prefix/URL (and old-scheme subject class) and keep their version."""
    assert normalize_arxiv(text) == expected


ARXIV_BAD = [
    ("month-13", "1413.00001", "month"),
    ("month-00", "1500.00001", "month"),
    ("five-digits-before-1501", "1412.00001", "4-digit"),
    ("four-digits-from-1501", "1501.0001", "5-digit"),
    ("before-april-2007", "0703.0001", "0704"),
    ("six-digits", "1706.037621", "expected"),
    ("version-zero", "1706.03762v0", "v1"),
    ("old-month-13", "hep-th/9913001", "month"),
    ("old-after-2007", "hep-th/1001001", "1991"),
    ("old-short-number", "hep-th/990100", "expected"),
    ("not-arxiv-doi", "10.1000/arXiv.1706.03762", "expected"),
    ("other-datacite-doi", "10.48550/zenodo.123", "arXiv DOI"),
    ("garbage", "attention", "expected"),
]


@pytest.mark.parametrize(
    ("text", "reason"), [c[1:] for c in ARXIV_BAD], ids=[c[0] for c in ARXIV_BAD]
)
def test_normalize_arxiv_rejects(text: str, reason: str) -> None:
    """Impossible months, wrong digit counts for the era and non-ids are refused with a reason."""
    with pytest.raises(InvalidIdentifier, match=reason) as info:
        normalize_arxiv(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("1706.03762v5", "1706.03762"),
        ("arXiv:1706.03762", "1706.03762"),
        ("math.CA/0611800v2", "math/0611800"),
        ("https://arxiv.org/abs/hep-th/9901001v12", "hep-th/9901001"),
    ],
    ids=["new", "no-version", "old-subject", "old-url"],
)
def test_arxiv_base(text: str, base: str) -> None:
    """arxiv_base drops the version from the canonical id."""
    assert arxiv_base(text) == base


# --------------------------------------------------------------- ISBN, ISSN, ORCID

ISBN_VALID = [
    ("isbn10", "0-306-40615-2", "9780306406157"),
    ("isbn10-x", "0-8044-2957-X", "9780804429573"),
    ("isbn10-x-lower", "080442957x", "9780804429573"),
    ("isbn10-spaces", "1-85 899-011-4", "9781858990118"),
    ("isbn10-label", "ISBN 1-85899-022-X", "9781858990224"),
    ("isbn13", "978-0-306-40615-7", "9780306406157"),
    ("isbn13-979", "979-10-90636-07-1", "9791090636071"),
    ("isbn13-label", "ISBN-13: 978-0-19-877952-0", "9780198779520"),
    ("isbn13-plain", "9781770851191", "9781770851191"),
    ("unicode-hyphens", "978\u20100\u2011306\u201240615\u20137", "9780306406157"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in ISBN_VALID], ids=[c[0] for c in ISBN_VALID]
)
def test_normalize_isbn(text: str, expected: str) -> None:
    """Valid ISBN-10s and ISBN-13s come back as ISBN-13 digits."""
    assert normalize_isbn(text) == expected


ISBN_INVALID = [
    ("isbn10-bad-check", "0306406153", "check digit"),
    ("isbn13-bad-check", "9780306406158", "check digit"),
    ("isbn13-bad-prefix", "9770306406157", "978 or 979"),
    ("x-inside", "03064X6152", "9 digits"),
    ("too-short", "030640615", "10 or 13"),
    ("too-long", "97803064061570", "10 or 13"),
    ("empty", "", "10 or 13"),
]


@pytest.mark.parametrize(
    ("text", "reason"), [c[1:] for c in ISBN_INVALID], ids=[c[0] for c in ISBN_INVALID]
)
def test_normalize_isbn_rejects(text: str, reason: str) -> None:
    """Wrong check digits, prefixes and lengths are refused with a reason naming the value."""
    with pytest.raises(InvalidIdentifier, match=reason) as info:
        normalize_isbn(text)
    assert repr(text) in str(info.value)


def test_isbn_conversions() -> None:
    """ISBN-10 and 978-ISBN-13 convert both ways with recomputed check digits."""
    assert isbn10_to_13("0306406152") == "9780306406157"
    assert isbn10_to_13("080442957X") == "9780804429573"
    assert isbn13_to_10("978-0-306-40615-7") == "0306406152"
    assert isbn13_to_10("9780804429573") == "080442957X"


@pytest.mark.parametrize(
    ("func", "text"),
    [
        (isbn13_to_10, "9791090636071"),
        (isbn13_to_10, "9780306406158"),
        (isbn13_to_10, "0306406152"),
        (isbn10_to_13, "0306406153"),
        (isbn10_to_13, "9780306406157"),
    ],
    ids=["979-has-no-isbn10", "bad-check-13", "given-isbn10", "bad-check-10", "given-isbn13"],
)
def test_isbn_conversions_reject(func: Callable[[str], str], text: str) -> None:
    """Conversions refuse invalid input and 979 ISBN-13s, which have no ISBN-10."""
    with pytest.raises(InvalidIdentifier):
        func(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0378-5955", "0378-5955"),
        ("03785955", "0378-5955"),
        ("ISSN 2049-3630", "2049-3630"),
        ("eISSN: 1050-124x", "1050-124X"),
        ("ISSN (print) 0317-8471", "0317-8471"),
    ],
    ids=["canonical", "no-hyphen", "label", "lower-x-elabel", "print-label"],
)
def test_normalize_issn(text: str, expected: str) -> None:
    """ISSNs with a valid mod-11 check come back as NNNN-NNNC."""
    assert normalize_issn(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0378-5956", "check digit"),
        ("1050-1240", "check digit"),
        ("0378-595", "NNNN-NNNC"),
        ("X378-5955", "NNNN-NNNC"),
        ("", "NNNN-NNNC"),
    ],
    ids=["bad-check", "x-expected", "short", "x-first", "empty"],
)
def test_normalize_issn_rejects(text: str, reason: str) -> None:
    """Bad ISSN check characters and shapes are refused."""
    with pytest.raises(InvalidIdentifier, match=reason):
        normalize_issn(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1694-233x/", "0000-0002-1694-233X"),
        ("ORCID: 0000000218250097", "0000-0002-1825-0097"),
    ],
    ids=["canonical", "url", "http-url-lower-x", "label-no-hyphens"],
)
def test_normalize_orcid(text: str, expected: str) -> None:
    """ORCID iDs with a valid ISO 7064 11,2 check come back hyphenated."""
    assert normalize_orcid(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0000-0002-1825-0098", "check digit"),
        ("0000-0002-1694-2330", "check digit"),
        ("0000-0002-1825", "NNNN"),
        ("https://orcid.org/", "NNNN"),
    ],
    ids=["bad-check", "x-expected", "short", "url-only"],
)
def test_normalize_orcid_rejects(text: str, reason: str) -> None:
    """ORCID iDs with a wrong check digit or shape are refused."""
    with pytest.raises(InvalidIdentifier, match=reason):
        normalize_orcid(text)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("doi", "doi:10.1000/182", "10.1000"),
        ("pmid", "PMID: 1", "0"),
        ("pmcid", "PMC1", "PMC"),
        ("arxiv", "arXiv:1706.03762", "1413.00001"),
        ("isbn", "0-306-40615-2", "0-306-40615-3"),
        ("issn", "0378-5955", "0378-5956"),
        ("orcid", "0000-0002-1825-0097", "0000-0002-1825-0098"),
    ],
    ids=["doi", "pmid", "pmcid", "arxiv", "isbn", "issn", "orcid"],
)
def test_is_valid(kind: str, good: str, bad: str) -> None:
    """is_valid answers True/False for every kind and never raises for bad values."""
    assert is_valid(kind, good) is True
    assert is_valid(kind, bad) is False


def test_is_valid_unknown_kind() -> None:
    """An unknown kind is a programming error (ValueError), not a False."""
    with pytest.raises(ValueError, match="unknown identifier kind"):
        is_valid("handle", "20.500/1")


# ------------------------------------------------------------------ find_identifiers

Found = list[tuple[str, str, str]]

FIND_CASES: list[tuple[str, str, Found]] = [
    ("pmid-label", "PMID: 36367692.", [("pmid", "36367692", "PMID: 36367692")]),
    (
        "pmid-url",
        "https://pubmed.ncbi.nlm.nih.gov/28731372/",
        [("pmid", "28731372", "https://pubmed.ncbi.nlm.nih.gov/28731372")],
    ),
    ("bare-number-not-pmid", "Vol 12, 36367692 readers", []),
    ("pmcid-label", "PMCID: PMC3531190;", [("pmcid", "PMC3531190", "PMCID: PMC3531190")]),
    ("pmcid-bare", "free at PMC3531190.", [("pmcid", "PMC3531190", "PMC3531190")]),
    ("arxiv-label", "arXiv:1706.03762v5.", [("arxiv", "1706.03762v5", "arXiv:1706.03762v5")]),
    (
        "arxiv-preprint",
        "arXiv preprint arXiv:1706.03762, 2017",
        [("arxiv", "1706.03762", "arXiv:1706.03762")],
    ),
    (
        "arxiv-space-colon",
        "arXiv :1301.2826[nucl-th]",
        [("arxiv", "1301.2826", "arXiv :1301.2826")],
    ),
    ("arxiv-old", "[arXiv:hep-th/0603057].", [("arxiv", "hep-th/0603057", "arXiv:hep-th/0603057")]),
    (
        "arxiv-old-subject",
        "arXiv:math.KT/0407054",
        [("arxiv", "math/0407054", "arXiv:math.KT/0407054")],
    ),
    (
        "arxiv-url",
        "see https://arxiv.org/abs/1706.03762.",
        [("arxiv", "1706.03762", "https://arxiv.org/abs/1706.03762")],
    ),
    ("arxiv-bare-not-found", "see 1706.03762 and hep-th/9901001", []),
    ("arxiv-impossible-month", "arXiv:1413.00001", []),
    (
        "arxiv-doi",
        "https://doi.org/10.48550/arXiv.1706.03762",
        [
            ("doi", "10.48550/arxiv.1706.03762", "https://doi.org/10.48550/arXiv.1706.03762"),
            ("arxiv", "1706.03762", "https://doi.org/10.48550/arXiv.1706.03762"),
        ],
    ),
    (
        "isbn-label-10",
        "ISBN 0-306-40615-2 448 p.",
        [("isbn", "9780306406157", "ISBN 0-306-40615-2")],
    ),
    ("isbn-label-glued", "ISBN1-85899-022-X.", [("isbn", "9781858990224", "ISBN1-85899-022-X")]),
    (
        "isbn-label-13",
        "(ISBN: 978-0-19-877952-0).",
        [("isbn", "9780198779520", "ISBN: 978-0-19-877952-0")],
    ),
    ("isbn-label-bad-check", "ISBN 0-306-40615-3", []),
    ("isbn13-bare", "Oxford, 978-0-306-40615-7.", [("isbn", "9780306406157", "978-0-306-40615-7")]),
    ("isbn13-bare-bad-check", "Oxford, 9780306406158.", []),
    ("isbn10-bare-not-found", "Oxford, 0306406152.", []),
    (
        "isbn-inside-doi",
        "10.1007/978-3-319-24277-4_9",
        [("doi", "10.1007/978-3-319-24277-4_9", "10.1007/978-3-319-24277-4_9")],
    ),
    ("issn-label", "ISSN 0378-5955.", [("issn", "0378-5955", "ISSN 0378-5955")]),
    ("issn-bad-check", "ISSN 0378-5956", []),
    ("issn-bare-not-found", "pages 0378-5955", []),
    ("doi-label", "DOI: 10.1000/182.", [("doi", "10.1000/182", "DOI: 10.1000/182")]),
    (
        "doi-url-not-also-url",
        "(https://doi.org/10.1000/182)",
        [("doi", "10.1000/182", "https://doi.org/10.1000/182")],
    ),
    (
        "url",
        "Available at https://example.org/page?q=1.",
        [("url", "https://example.org/page?q=1", "https://example.org/page?q=1")],
    ),
    (
        "url-parens",
        "(see https://en.wikipedia.org/wiki/Foo_(bar)).",
        [
            (
                "url",
                "https://en.wikipedia.org/wiki/Foo_(bar)",
                "https://en.wikipedia.org/wiki/Foo_(bar)",
            )
        ],
    ),
    ("www-url", "www.who.int/news,", [("url", "www.who.int/news", "www.who.int/news")]),
    (
        "publisher-url-and-doi",
        "https://www.nature.com/articles/10.1038/nphys1170.",
        [
            (
                "url",
                "https://www.nature.com/articles/10.1038/nphys1170",
                "https://www.nature.com/articles/10.1038/nphys1170",
            ),
            ("doi", "10.1038/nphys1170", "10.1038/nphys1170"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in FIND_CASES], ids=[c[0] for c in FIND_CASES]
)
def test_find_identifiers(text: str, expected: Found) -> None:
    """find_identifiers reports kind, normalized value and the span of what it recognised."""
    found = find_identifiers(text)
    assert [(f.kind, f.value, text[f.start : f.end]) for f in found] == expected


def test_find_identifiers_full_reference() -> None:
    """A reference with several identifiers yields each of them, sorted by position."""
    text = (
        "Smith J, Doe A. A trial. Lancet. 1998;351:1-5. doi:10.1016/S0140-6736(97)11096-0. "
        "PMID: 9500320; PMCID: PMC3531190. Preprint: arXiv:1706.03762v2. "
        "Also in: Book (ISBN 978-0-306-40615-7), ISSN 0140-6736. https://example.org/x."
    )
    found = find_identifiers(text)
    assert [(f.kind, f.value) for f in found] == [
        ("doi", "10.1016/s0140-6736(97)11096-0"),
        ("pmid", "9500320"),
        ("pmcid", "PMC3531190"),
        ("arxiv", "1706.03762v2"),
        ("isbn", "9780306406157"),
        ("issn", "0140-6736"),
        ("url", "https://example.org/x"),
    ]
    assert found == sorted(found, key=lambda f: f.start)


def test_found_identifier_is_frozen() -> None:
    """FoundIdentifier is an immutable, comparable value."""
    f = FoundIdentifier("doi", "10.1000/182", 0, 11)
    assert f == FoundIdentifier("doi", "10.1000/182", 0, 11)
    with pytest.raises(AttributeError):
        f.value = "x"  # type: ignore[misc]


ADVERSARIAL = {
    "doi-prefixes": "10." * 350_000,
    "open-parens": "10.1000/" + "(" * 1_000_000,
    "close-parens": "10.1000/x" + ")" * 1_000_000,
    "registrant-dots": "10.1000." * 130_000,
    "labels": "doi: arXiv: PMID: ISBN 1 ISSN " * 35_000,
    "angle-brackets": "10.1000/a<" + "b" * 1_000_000,
    "urls": "https://" * 130_000,
    "many-dois": "(10.1000/x). " * 90_000,
}


@pytest.mark.parametrize("text", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_find_identifiers_adversarial_input_finishes(text: str) -> None:
    """1 MB of pathological text is scanned without catastrophic backtracking."""
    found = find_identifiers(text)
    assert all(0 <= f.start < f.end <= len(text) for f in found)
    assert isinstance(find_dois(text), list)


# ------------------------------------------------------------------------ properties

_ALNUM = string.ascii_letters + string.digits
# Crossref's characters plus the SICI ones; the suffix ends in a letter or digit so
# nothing is trimmed off it as punctuation.
_SUFFIX_CHARS = _ALNUM + "-._;()/:<>[]"


# In prose, brackets and angle brackets around a DOI are ambiguous, so those tests use these.
_PLAIN_SUFFIX_CHARS = _ALNUM + "-._;/:"


@st.composite
def dois(draw: st.DrawFn, chars: str = _SUFFIX_CHARS) -> str:
    registrant = draw(st.integers(min_value=1000, max_value=999_999_999))
    body = draw(st.text(chars, max_size=30))
    first, last = draw(st.sampled_from(_ALNUM)), draw(st.sampled_from(_ALNUM))
    return f"10.{registrant}/{first}{body}{last}"


DOI_VARIANTS: dict[str, Callable[[str], str]] = {
    "bare": lambda d: d,
    "upper": str.upper,
    "swapcase": str.swapcase,
    "doi-prefix": lambda d: f"doi:{d}",
    "DOI-prefix-space": lambda d: f"DOI: {d}",
    "https": lambda d: f"https://doi.org/{d}",
    "http-dx": lambda d: f"http://dx.doi.org/{d}",
    "https-dx": lambda d: f"https://dx.doi.org/{d}",
    "no-scheme": lambda d: f"doi.org/{d}",
    "urn": lambda d: f"urn:doi:{d}",
    "percent-path": lambda d: "https://doi.org/" + quote(d, safe="/"),
    "percent-all": lambda d: quote(d, safe=""),
    "doi-url": doi_url,
    "padded": lambda d: f" \t{d}\n",
    "prose-period": lambda d: f"{d}.",
    "prose-comma": lambda d: f"{d},",
    "unicode-hyphen": lambda d: d.replace("-", "\u2010"),
    "upper-url": lambda d: f"HTTPS://DOI.ORG/{d.upper()}",
}


@given(dois(), st.sampled_from(sorted(DOI_VARIANTS)))
def test_doi_variants_normalize_alike(doi: str, variant: str) -> None:
    """Every prefix, URL, encoding and case variant of a DOI normalizes to the same value."""
    assert normalize_doi(DOI_VARIANTS[variant](doi)) == normalize_doi(doi) == doi.lower()


@given(
    st.one_of(
        dois(),
        st.builds(lambda d, v: DOI_VARIANTS[v](d), dois(), st.sampled_from(sorted(DOI_VARIANTS))),
        st.text().map(lambda s: "10.1234/" + s),
        st.text().map(lambda s: "https://doi.org/10.1234/" + s),
    )
)
def test_normalize_doi_is_idempotent(text: str) -> None:
    """Normalizing a normalized DOI changes nothing."""
    try:
        once = normalize_doi(text)
    except InvalidIdentifier:
        return
    assert normalize_doi(once) == once


@given(dois(_PLAIN_SUFFIX_CHARS))
def test_find_dois_finds_generated_doi_in_prose(doi: str) -> None:
    """A DOI followed by sentence punctuation is found exactly, in several wrappings."""
    for wrapped in (f"See {doi}.", f"(doi:{doi}).", f"at https://doi.org/{doi}, and"):
        assert find_dois(wrapped) == [doi.lower()]


def _isbn10_check(first9: str) -> str:
    value = -sum((10 - i) * int(c) for i, c in enumerate(first9)) % 11
    return "X" if value == 10 else str(value)


def _isbn13_check(first12: str) -> str:
    return str(-sum((1, 3)[i % 2] * int(c) for i, c in enumerate(first12)) % 10)


isbn10s = st.text("0123456789", min_size=9, max_size=9).map(lambda b: b + _isbn10_check(b))
isbn13s = st.builds(
    lambda prefix, body: prefix + body + _isbn13_check(prefix + body),
    st.sampled_from(["978", "979"]),
    st.text("0123456789", min_size=9, max_size=9),
)


@given(isbn10s)
def test_isbn10_13_round_trip(isbn10: str) -> None:
    """ISBN-10 -> ISBN-13 -> ISBN-10 gives back the original, and normalize agrees."""
    isbn13 = isbn10_to_13(isbn10)
    assert isbn13.startswith("978")
    assert isbn13_to_10(isbn13) == isbn10
    assert normalize_isbn(isbn10) == normalize_isbn(isbn13) == isbn13


@given(st.one_of(isbn10s, isbn13s), st.data())
def test_isbn_single_digit_error_is_rejected(isbn: str, data: st.DataObject) -> None:
    """Changing any one digit of a valid ISBN makes the check fail."""
    assert normalize_isbn(isbn)
    pos = data.draw(st.integers(min_value=0, max_value=len(isbn) - 1), label="position")
    choices = "0123456789X" if (len(isbn) == 10 and pos == 9) else "0123456789"
    new = data.draw(st.sampled_from([c for c in choices if c != isbn[pos]]), label="new")
    with pytest.raises(InvalidIdentifier):
        normalize_isbn(isbn[:pos] + new + isbn[pos + 1 :])


_FRAGMENTS = st.sampled_from(
    [
        "10.",
        "10.1000/",
        "doi:",
        "https://doi.org/",
        "(",
        ")",
        "[",
        "]",
        "<",
        ">",
        ":",
        ".",
        " ",
        "\n",
        "%2F",
        "%",
        "PMID:",
        "PMC",
        "arXiv:",
        "ISBN ",
        "ISSN ",
        "978-",
        "-",
        "X",
        "https://arxiv.org/abs/",
        "www.",
        "?",
        "#",
        "&",
        "\u2010",
        "1706.03762",
        "hep-th/",
        "v",
    ]
)


@given(st.one_of(st.text(), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=4))).map("".join)))
def test_finders_never_raise_and_agree_with_normalizers(text: str) -> None:
    """On any text the finders do not raise, and each find re-normalizes to its value."""
    for doi in find_dois(text):
        assert normalize_doi(doi) == doi
    found = find_identifiers(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        if f.kind == "url":
            assert f.value == text[f.start : f.end]
        else:
            assert NORMALIZERS[f.kind](text[f.start : f.end]) == f.value
