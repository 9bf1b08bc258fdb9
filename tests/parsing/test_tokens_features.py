"""Tokenizer cuts, value cleaning and lexicon features added for title/container boundaries."""

from __future__ import annotations

import pytest

from mesorefs.parsing import parse_reference
from mesorefs.parsing.features import load_lexicon, sequence_features
from mesorefs.parsing.fields import _clean_container, _clean_title
from mesorefs.parsing.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1Polymer 45, 274 (2004).", ["1", "Polymer", "45,", "274", "(2004)."]),
        ("Nucl. Phys. B133 (1978) 315.", ["Nucl.", "Phys.", "B", "133", "(1978)", "315."]),
        ("Phys. Lett.B751 (2015) 48", ["Phys.", "Lett.", "B", "751", "(2015)", "48"]),
        ("pp. S12-S15.", ["pp.", "S12-S15."]),
        ("1 M.J. Shea", ["1", "M.J.", "Shea"]),
        ("J. Cell Biol.32, 439", ["J.", "Cell", "Biol.", "32,", "439"]),
        ("Soc. London72, 819", ["Soc.", "London", "72,", "819"]),
        ("H9N2 Fe2O3 120S v1.2 pp.12-14", ["H9N2", "Fe2O3", "120S", "v1.2", "pp.12-14"]),
        ("Peterson andM. R. Murray", ["Peterson", "and", "M.", "R.", "Murray"]),
        ("Somorjai,Surf. Sci., 1,234", ["Somorjai,", "Surf.", "Sci.,", "1,234"]),
        ("Strings.JHEP 1211", ["Strings.", "JHEP", "1211"]),
        ("U.S.A. Ph.D. M.J.Shea", ["U.S.A.", "Ph.D.", "M.J.Shea"]),
        ("A&A,557 1,234", ["A&A,", "557", "1,234"]),
        ("Stamatescu .Decoherence", ["Stamatescu", ".", "Decoherence"]),
        ("377-391,1993 1,999", ["377-391,", "1993", "1,999"]),
        ("Neuropsych, 15, S184–S185.", ["Neuropsych,", "15,", "S184–S185."]),
    ],
    ids=[
        "citation-number",
        "series-letter",
        "series-letter-after-period",
        "letter-pages",
        "initials",
        "volume-after-abbreviation",
        "volume-after-word",
        "codes-stay-whole",
        "and-glued-to-an-initial",
        "comma-without-space",
        "period-without-space",
        "abbreviations-stay-whole",
        "number-after-a-comma",
        "leading-period",
        "year-after-a-comma",
        "lettered-page-after-volume",
    ],
)
def test_tokenizer_cuts_glued_numbers_and_series_letters(text: str, expected: list[str]) -> None:
    """A citation number glued to a word and a series letter glued to a volume are cut off."""
    assert [t.text for t in tokenize(text)] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Maintaining views incrementally. In", "Maintaining views incrementally"),
        (
            "Programming languages and lambda calculi. URL:",
            "Programming languages and lambda calculi",
        ),
        (
            "The World's Work: A History of Our Time. Vol.",
            "The World's Work: A History of Our Time",
        ),
        ("Log In", "Log In"),
    ],
)
def test_clean_title_drops_words_that_open_the_next_field(raw: str, expected: str) -> None:
    """'In', 'Vol.', 'URL:' at the end of a title span belong to the next field."""
    assert _clean_title(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("J Endod, Vol.", "J Endod"),
        (
            "Proceedings of the 22nd Symposium on Computer Architecture, pages",
            "Proceedings of the 22nd Symposium on Computer Architecture",
        ),
        ("Deutsche Bauzeitung, No.", "Deutsche Bauzeitung"),
        ("Phys .Rev .,vol", "Phys .Rev ."),
        ("Journal of P", "Journal of P"),
    ],
)
def test_clean_container_drops_trailing_locator_words(raw: str, expected: str) -> None:
    """A volume, issue or page word at the end of a container span is not part of the name."""
    assert _clean_container(raw) == expected


def test_doi_written_as_a_link_is_kept_and_marked() -> None:
    """A DOI inside a doi.org link stays the reference's DOI; provenance says it was a URL."""
    ref = parse_reference(
        "Shea, M. J. (1993). A title. Physical Review B, 47(15), 9967. "
        "http://dx.doi.org/10.1103/physrevb.47.9967"
    )
    assert ref.doi == "10.1103/physrevb.47.9967"
    assert "URL" in (ref.provenance["doi"].detail or "")
    plain = parse_reference("Shea, M. J. (1993). A title. Phys Rev B, 47, 9967. doi:10.1103/x.1")
    assert "URL" not in (plain.provenance["doi"].detail or "")


def test_shipped_lexicon_marks_journal_and_name_words() -> None:
    """The lexicon learnt from the training pools knows journal words and given names."""
    lexicon = load_lexicon()
    assert "lex=cont" in lexicon["journal"]
    assert any(c in lexicon["john"] for c in ("lex=giv", "lex=auth"))
    feats = sequence_features(tokenize("Smith, J. (2001). A study. Journal of Things, 1, 2."))
    assert feats[5][0] == "w=journal"
    assert "lex=cont" in feats[5]
    assert "yseg=2" in feats[5]  # two sentence ends after the year: "(2001)." and "study."


def test_a_collaboration_after_et_al_is_not_the_venue() -> None:
    ref = parse_reference("M. Ackermann et al. (Fermi-LAT), Phys. Rev. Lett. 115, 231301 (2015).")
    assert ref.container_title == "Phys. Rev. Lett."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S260", "S260"),
        ("S184–S185", "S184-S185"),
        ("S. 12-14", "12-14"),
        ("pp. 1374–80", "1374-1380"),
        ("P001", "P001"),
        ("p 12", "12"),
    ],
    ids=["supplement-page", "supplement-range", "seite", "abbreviated-range", "p-page", "p-word"],
)
def test_page_words_and_lettered_pages(raw: str, expected: str) -> None:
    """A page word ("S.", "pp.") is dropped; a letter that is part of the page stays."""
    from mesorefs.parsing.fields import normalize_page_range

    assert normalize_page_range(raw) == expected


def test_a_lettered_page_after_the_volume_keeps_its_letter() -> None:
    ref = parse_reference("Smith, J. (2005). A title. Eur Neuropsychopharmacol, 15, S184–S185.")
    assert ref.pages == "S184-S185"


def test_the_bracketed_year_is_the_works_date() -> None:
    """After a reviewed book's year, an author-date "(1987)." is the review's year."""
    ref = parse_reference(
        "charles lloyd cohen. God's Caress: The Psychology of Puritan Religious Experience."
        " New York: Oxford University Press. 1986. Pp. xiv, 310. $29.95. (1987)."
        " The American Historical Review."
    )
    assert ref.year == 1987


def test_cuts_look_a_bounded_way_into_a_word() -> None:
    """A cut is sought at most 40 characters into a word, which keeps tokenizing linear
    on words that would be cut again and again ("ab.Cab.Cab.C...")."""
    assert [t.text for t in tokenize("x" * 30 + "ab.Cd")] == ["x" * 30 + "ab.", "Cd"]
    assert [t.text for t in tokenize("x" * 50 + "ab.Cd")] == ["x" * 50 + "ab.Cd"]
    assert len(tokenize("ab.C" * 2000)) == 2000
