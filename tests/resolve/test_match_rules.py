"""Rules that make the raw-string matcher abstain instead of linking a wrong DOI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve.decide import AMBIGUITY_MARGIN, STRING_THRESHOLD, THRESHOLD, choose
from mesorefs.resolve.scoring import (
    NUMBER_PENALTY,
    MatchScore,
    score_reference,
    score_string,
    unexplained_numbers,
)
from mesorefs.resolve.similarity import normalize_text

ARTICLE = Reference(
    type="article-journal",
    title="Surface-plasmon ejection of Ag+ ions from a roughened silver surface",
    authors=[Person(family="Shea", given="M. J."), Person(family="Compton", given="R. N.")],
    issued=PartialDate(year=1993),
    container_title="Physical Review B",
    volume="47",
    issue="15",
    pages="9967-9970",
    doi="10.1103/physrevb.47.9967",
)

BOOK = Reference(
    type="book",
    title="Developing Animals",
    authors=[Person(family="Brower", given="Matthew")],
    issued=PartialDate(year=2011),
    doi="10.5749/minnesota/9780816654789.001.0001",
)

PROCEEDINGS = Reference(
    type="book",
    title="Proceedings of the International Workshop on Emotion Representations",
    issued=PartialDate(year=2015),
    doi="10.1145/2829966",
)

FRONT_MATTER = Reference(
    type="article-journal",
    title="Editorial Board",
    issued=PartialDate(year=2000),
    container_title="Clinics in Perinatology",
    volume="27",
    issue="1",
    pages="iii-iv",
    doi="10.1016/s0095-5108(05)70002-6",
)

AUTHORLESS = FRONT_MATTER.model_copy(update={"title": "Index", "pages": "415-420"})

CHAPTER = Reference(
    type="chapter",
    title="Of stocking the green-house with plants and trees",
    authors=[Person(family="Loudon", given="J. C.")],
    container_title="The Green-House Companion",
    pages="26-142",
)

ENTRY = Reference(
    type="entry-dictionary",
    title="cost estimate [n]",
    issued=PartialDate(year=2010),
    container_title="Encyclopedic Dictionary of Landscape and Urban Planning",
    pages="196",
)

TRANSLATED = Reference(
    type="report",
    title="Mine Amulet, district de Noranda (Québec)",
    authors=[Person(family="Wilson", given="M. E.")],
    issued=PartialDate(year=1934),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shea, M. J. (1993). Physical Review B, 47(15), 9967–9970.", []),
        ("1 M.J. Shea, Physical Review B 47, 9967 (1993).", []),
        ("[1] M.J. Shea, Physical Review B 47 (1993) 9967.", []),
        ("(1) Shea, M. J. Physical Review B 1993, 47, 9967–70.", []),
        ("Shea, M. J. 1993. Physical Review B 47 (15) (April 15): 9967–9970.", []),
        ("Shea, M. J. (1994). Physical Review B, 47(15), 9967.", []),
        ("Shea, M. J. (20 12). Physical Review B, 47(15), 9967.", ["20", "12"]),
        ("Shea (1993). Phys Rev B 47, 9967. doi:10.1103/physrevb.48.1234", []),
        ("Shea (1993). Phys Rev B 47, 9967. Accessed 12 2019.", []),
        ("Shea, M. J. (1993). Physical Review B, 48(15), 9967.", ["48"]),
        ("Shea, M. J. (1993). Physical Review B, 47(15), 1201–1210.", ["1201", "1210"]),
        ("Shea, M. J. (1997). Physical Review B, 47, 9967.", ["1997"]),
    ],
    ids=[
        "apa",
        "aip-label",
        "elsevier-label",
        "acs-abbreviated-range",
        "chicago-month-day",
        "year-within-one",
        "year-split-by-ocr-is-not-the-record-year",
        "doi-digits-ignored",
        "access-date-ignored",
        "other-volume",
        "other-pages",
        "year-off-by-four",
    ],
)
def test_unexplained_numbers(text: str, expected: list[str]) -> None:
    """Numbers of the string that the record does not print are reported, and only those."""
    assert unexplained_numbers(text, ARTICLE) == expected


def test_split_year_is_explained() -> None:
    """A year broken by a stray space ("(20 11)") counts as the record's year."""
    assert unexplained_numbers("Brower, M. (20 11). Developing Animals.", BOOK) == []


@pytest.mark.parametrize(
    ("issue", "expected"),
    [(None, []), ("16", ["15"])],
    ids=["record-without-issue", "record-with-other-issue"],
)
def test_number_after_volume(issue: str | None, expected: list[str]) -> None:
    """The number after the volume is an issue the record may lack, not a contradiction."""
    record = ARTICLE.model_copy(update={"issue": issue})
    text = "Shea, M. J. (1993). Physical Review B, 47(15), 9967–9970."
    assert unexplained_numbers(text, record) == expected


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("Brower, M. (2011). Developing Animals. Minneapolis.", True),
        ("[1] M. Brower, Developing Animals (2011) 25.", False),
        ("1 M. Brower, Developing Animals 25 (2011).", False),
    ],
    ids=["the-book", "page-of-a-chapter-elsevier", "page-of-a-chapter-aip"],
)
def test_a_cited_page_the_book_record_lacks(text: str, accept: bool) -> None:
    """A string citing a page of a book is not the book's record (its chapter is)."""
    score = score_string(text, BOOK)
    assert (score.score >= STRING_THRESHOLD) is accept
    if not accept:
        assert "25" in score.reason


def test_number_penalty_per_number() -> None:
    """Each unexplained number (up to three) multiplies the score by NUMBER_PENALTY."""
    cite = "Shea, M. J., & Compton, R. N. (1993). {}. Physical Review B, {}(15), {}."
    title = ARTICLE.title or ""
    right = score_string(cite.format(title, 47, "9967–9970"), ARTICLE)
    one = score_string(cite.format(title, 47, "9967–9970, 12"), ARTICLE)
    two = score_string(cite.format(title, 47, "9967–9970, 12, 13"), ARTICLE)
    assert right.score == 1.0
    assert one.score == pytest.approx(NUMBER_PENALTY, abs=1e-4)
    assert two.score == pytest.approx(NUMBER_PENALTY**2, abs=1e-4)
    assert one.score < STRING_THRESHOLD


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("Proceedings of the International Workshop on Emotion Representations (2015).", True),
        (
            "Böck, R. (Ed.). (2015). Proceedings of the International Workshop on Emotion "
            "Representations.",
            True,
        ),
        (
            "1 R. Böck and I. Siegert, Proceedings of the International Workshop on Emotion "
            "Representations (2015).",
            False,
        ),
        (
            "Böck, R., & Siegert, I. (2015). Recognising Emotional Evolution from Speech. "
            "Proceedings of the International Workshop on Emotion Representations.",
            False,
        ),
    ],
    ids=["no-names", "editor-marked", "authors-aip", "authors-apa-chapter"],
)
def test_leading_name_the_record_lacks(text: str, accept: bool) -> None:
    """A string that begins with names a record without people does not explain is refused."""
    score = score_string(text, PROCEEDINGS)
    assert (score.score >= STRING_THRESHOLD) is accept
    assert ("begins with a name" in score.reason) is not accept


@pytest.mark.parametrize(
    ("record", "text", "accept"),
    [
        (ARTICLE, "1 M.J. Shea and R.N. Compton, Physical Review B 47, 9967 (1993).", True),
        (
            ARTICLE.model_copy(update={"authors": [Person(family="Wood", given="A.")]}),
            "1 M.J. Shea and R.N. Compton, Physical Review B 47, 9967 (1993).",
            False,
        ),
        (AUTHORLESS, "[1]Clinics in Perinatology 27 (2000) 415.", True),
        (FRONT_MATTER, "[1]Clinics in Perinatology 27 (2000) iii.", False),
        (
            AUTHORLESS.model_copy(update={"volume": None}),
            "[1]Clinics in Perinatology (2000) 415.",
            False,
        ),
        (
            AUTHORLESS.model_copy(update={"volume": None}),
            "[1]Clinics in Perinatology (2000) 1, 415.",
            True,
        ),
        (
            ARTICLE.model_copy(update={"volume": "89-B"}),
            "1 M.J. Shea and R.N. Compton, Physical Review B 89-B, 9967 (1993).",
            True,
        ),
        (CHAPTER, "1 J.C. Loudon, The Green-House Companion 26 (n.d.).", True),
        (CHAPTER.model_copy(update={"authors": []}), "[1]The Green-House Companion 26.", True),
        (ENTRY, "[1]Encyclopedic Dictionary of Landscape and Urban Planning (2010) 196.", False),
        (
            CHAPTER.model_copy(update={"authors": [], "pages": "1-9"}),
            "[1]The Green-House Companion.",
            False,
        ),
    ],
    ids=[
        "author-year-volume-page",
        "other-first-author",
        "authorless-numbered-page",
        "authorless-front-matter",
        "authorless-without-volume",
        "issue-in-place-of-volume",
        "volume-of-two-tokens",
        "chapter-of-a-book",
        "authorless-chapter",
        "dictionary-entries-share-pages",
        "list-label-is-not-a-page",
    ],
)
def test_title_less_strings_need_author_year_and_place(
    record: Reference, text: str, accept: bool
) -> None:
    """Without a title the first author, year and volume+page (or the container) must agree."""
    assert (score_string(text, record).score >= STRING_THRESHOLD) is accept


# -- structured references --------------------------------------------------------------

QUERY = ARTICLE.model_copy(update={"doi": None})


@pytest.mark.parametrize(
    ("update", "accept", "reason"),
    [
        ({}, True, ""),
        ({"volume": "48"}, False, "volumes differ"),
        ({"pages": "1201-1210"}, False, "first pages differ"),
        ({"volume": "48", "pages": "1201-1210"}, False, "volume and pages differ"),
        ({"issued": PartialDate(year=1996)}, False, "years differ by more than one"),
    ],
    ids=["same", "other-volume", "other-first-page", "both-differ", "year-off-by-three"],
)
def test_structured_contradictions(update: dict[str, object], accept: bool, reason: str) -> None:
    """A candidate whose volume, first page or year the query contradicts is refused."""
    score = score_reference(QUERY, ARTICLE.model_copy(update=update))
    assert (score.score >= THRESHOLD) is accept
    assert reason in score.reason


@pytest.mark.parametrize(
    ("update", "accept"),
    [
        ({}, True),
        ({"authors": [Person(family="Wood", given="A.")]}, False),
        ({"issued": PartialDate(year=1994)}, False),
        ({"volume": "47", "pages": "9968", "container_title": "Nature"}, False),
    ],
    ids=["author-year-place", "other-first-author", "year-off-by-one", "not-placed"],
)
def test_title_less_query_needs_author_year_and_place(
    update: dict[str, object], accept: bool
) -> None:
    """A query without a title must agree on first author, year and volume+page or container."""
    query = QUERY.model_copy(update={"title": None, **update})
    score = score_reference(query, ARTICLE)
    assert (score.score >= THRESHOLD) is accept
    assert ("no title" in score.reason) is not accept


# -- ambiguity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runner_up", "accept"),
    [(0.99 - AMBIGUITY_MARGIN - 0.01, True), (0.99 - AMBIGUITY_MARGIN + 0.01, False)],
    ids=["clear-winner", "within-margin"],
)
def test_runner_up_within_margin_abstains(runner_up: float, accept: bool) -> None:
    """Two different records closer than AMBIGUITY_MARGIN make the matcher abstain."""
    other = ARTICLE.model_copy(update={"doi": "10.1000/other", "title": "Another work"})
    scored = [
        (ARTICLE, MatchScore(0.99, evidence=0.9)),
        (other, MatchScore(runner_up, evidence=0.9)),
    ]
    index, reason = choose(scored, STRING_THRESHOLD)
    assert (index == 0) is accept
    assert ("ambiguous" in reason) is not accept


@pytest.mark.parametrize("text", ["ῲ", "Straße", "ǅ"], ids=["greek-iota", "sharp-s", "digraph"])
def test_normalize_text_ignores_case_folding(text: str) -> None:
    """A text and its case-folded form normalize the same (hypothesis found 'ῲ')."""
    assert normalize_text(text) == normalize_text(text.casefold())


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("Wilson, M. E. (1934). Mine Amulet, district de Noranda (Québec).", True),
        ("Wilson, M. E. (1934). Amulet Mine, Noranda District, Quebec.", False),
        ("Wilson, M. E. (1934). Mine-Amulet, district de Noranda. Québec.", True),
    ],
    ids=["same-order", "other-order", "hyphenated"],
)
def test_title_words_count_in_order(text: str, accept: bool) -> None:
    """A title whose words the string has in another order is another title."""
    assert (score_string(text, TRANSLATED).score >= STRING_THRESHOLD) is accept


def test_a_title_alone_is_not_enough() -> None:
    record = Reference(title="Test Method for Determination of Residue of Emulsified Asphalt")
    score = score_string(
        "(n.d.). Test Method for Determination of Residue of Emulsified Asphalt.", record
    )
    assert score.score < STRING_THRESHOLD
    assert "nothing but a title" in score.reason


@given(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=6), min_size=1, max_size=12))
def test_a_title_printed_whole_is_found_whole(words: list[str]) -> None:
    title = " ".join(words)
    record = Reference(title=title, authors=[Person(family="Quinn")], issued=PartialDate(year=2001))
    assert score_string(f"Quinn (2001). {title}.", record).fields["title"] == 1.0


SSRN = Reference(
    type="article-journal",
    title="Market Skewness Risk and the Cross-Section of Stock Returns",
    authors=[Person(family="Chang"), Person(family="Christoffersen"), Person(family="Jacobs")],
    issued=PartialDate(year=2009),
    container_title="SSRN Electronic Journal",
)


@pytest.mark.parametrize(
    ("title", "accept"),
    [
        ("Market Skewness Risk and the Cross-Section of Stock Returns", True),
        (
            "Market Volatility, Skewness, and Kurtosis Risks and the Cross-Section of Stock"
            " Returns",
            False,
        ),
        ("Market Skewness Risk and the Cross-Section of Stock Returnsq", True),
        ("Market Skewness Risk and theCross-Sectionq of Stock Returns", True),
    ],
    ids=["same-title", "longer-title", "typo", "glued-words-with-a-stray-letter"],
)
def test_words_the_record_title_lacks(title: str, accept: bool) -> None:
    """Words inside the printed title that the record lacks mean another title."""
    text = (
        f"Chang, B. Y., Christoffersen, P., & Jacobs, K. (2009). {title}. SSRN Electronic Journal."
    )
    assert (score_string(text, SSRN).score >= STRING_THRESHOLD) is accept


@pytest.mark.parametrize(
    ("update", "text"),
    [
        ({"issue": "11-1"}, "Perspectives Interdisciplinaires sur le Travail et la Santé, (11-1)."),
        ({"title": "Dew, Ronald (1916–2016), Professor 1967–80"}, "Who Was Who."),
    ],
    ids=["issue-range", "life-dates-in-title"],
)
def test_ranges_the_record_prints_are_not_pages(update: dict[str, object], text: str) -> None:
    record = Reference(
        title="Les effets de la précarité du travail sur la santé",
        authors=[Person(family="Lerouge", given="L.")],
        issued=PartialDate(year=2009),
        container_title=text.rstrip(".").split(",")[0],
    ).model_copy(update=update)
    score = score_string(f"Lerouge, L. (2009). {record.title}. {text}", record)
    assert "cites pages" not in score.reason
    assert score.score >= STRING_THRESHOLD
