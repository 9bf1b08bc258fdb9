"""parse_reference on the common citation styles, with the trained model."""

from __future__ import annotations

import pytest

from mesorefs.errors import ParseError
from mesorefs.parsing import label_reference, parse_reference
from mesorefs.parsing.fields import _clean_container, _clean_title

STYLES = {
    "apa": (
        "Shea, M. J., & Compton, R. N. (1993). Surface-plasmon ejection of Ag+ ions from laser "
        "irradiation of a roughened silver surface. Physical Review B, 47(15), 9967–9970. "
        "https://doi.org/10.1103/physrevb.47.9967",
        {
            "title": "Surface-plasmon ejection of Ag+ ions from laser irradiation of a roughened "
            "silver surface",
            "container_title": "Physical Review B",
            "volume": "47",
            "issue": "15",
            "pages": "9967-9970",
            "year": 1993,
            "first": "Shea",
            "doi": "10.1103/physrevb.47.9967",
        },
    ),
    "vancouver": (
        "60. Pérez-Higueras JJ, Arias A, de la Macorra JC, Peters OA. Differences in cyclic "
        "fatigue resistance between two instruments. J Endod. 2014;40(9):1477-81.",
        {
            "title": "Differences in cyclic fatigue resistance between two instruments",
            "container_title": "J Endod",
            "volume": "40",
            "issue": "9",
            "pages": "1477-1481",
            "year": 2014,
            "first": "Pérez-Higueras",
        },
    ),
    "ieee": (
        '[3] A. Vaswani et al., "Attention is all you need," in Proc. NeurIPS, 2017, '
        "pp. 5998–6008.",
        {
            "title": "Attention is all you need",
            "year": 2017,
            "first": "Vaswani",
            "pages": "5998-6008",
        },
    ),
    "chicago-book": (
        "Heidegger, Martin. Being and Time. New York: Harper & Row, 1962.",
        {
            "title": "Being and Time",
            "publisher": "Harper & Row",
            "publisher_place": "New York",
            "year": 1962,
            "first": "Heidegger",
            "type": "book",
        },
    ),
    "aip-no-title": (
        "1 M.J. Shea and R.N. Compton, Physical Review B 47, 9967 (1993).",
        {"container_title": "Physical Review B", "volume": "47", "year": 1993, "first": "Shea"},
    ),
    "mla": (
        'Shea, M. J., and R. N. Compton. "Surface-Plasmon Ejection of Ag Ions." Physical Review '
        "B 47.15 (1993): 9967–9970.",
        {
            "title": "Surface-Plasmon Ejection of Ag Ions",
            "volume": "47",
            "issue": "15",
            "year": 1993,
            "first": "Shea",
        },
    ),
}


@pytest.mark.parametrize("style", list(STYLES), ids=list(STYLES))
def test_style(style: str) -> None:
    """Each common style yields the expected title, venue, numbers, year and first author."""
    text, expected = STYLES[style]
    ref = parse_reference(text)
    for name, value in expected.items():
        if name == "year":
            assert ref.year == value
        elif name == "first":
            assert ref.first_author_family == value
        else:
            assert getattr(ref, name) == value, name


def test_confidence_is_recorded_per_field() -> None:
    """Every parsed field carries parser provenance with a confidence in [0, 1]."""
    ref = parse_reference(STYLES["apa"][0])
    assert ref.provenance["title"].source == "parser"
    for prov in ref.provenance.values():
        assert prov.confidence is not None
        assert 0.0 <= prov.confidence <= 1.0


def test_identifiers_come_from_the_identifier_module() -> None:
    """A PMID and an arXiv id in the string are found by pattern, not by the model."""
    ref = parse_reference(
        "Smith J. A study of things. Nature. 2001;1:1-2. PMID: 12345678. arXiv:1706.03762"
    )
    assert ref.pmid == "12345678"
    assert ref.arxiv == "1706.03762"


def test_labelled_spans_lie_within_the_text() -> None:
    """label_reference gives ordered spans inside the cleaned string."""
    labelled = label_reference(STYLES["vancouver"][0])
    last = 0
    for span in labelled.spans:
        assert last <= span.start < span.end <= len(labelled.text)
        last = span.end


@pytest.mark.parametrize(
    "bad",
    ["", "   \n\t ", "\x00\x01binary\x00", "x" * 6000, "…… —— !!"],
    ids=["empty", "blank", "binary", "too-long", "no-alnum"],
)
def test_bad_input_raises_parse_error(bad: str) -> None:
    """Empty, blank, binary, overlong and letterless input raise ParseError."""
    with pytest.raises(ParseError):
        parse_reference(bad)


def test_inline_markup_is_read_through() -> None:
    """Formatting tags publishers leave in deposited strings mark up words, they do not
    split them: the container is "Water Research", the formula "H2O"."""
    ref = parse_reference(
        "Fobert PR, Després C. 2005. Redox control of H<sub>2</sub>O resistance. "
        "<italic>Water Research</italic>, 39: 378-382."
    )
    assert ref.container_title == "Water Research"
    assert ref.title is not None and "H2O" in ref.title
    with pytest.raises(ParseError):
        parse_reference("<i></i> <b> </b>")


def test_non_string_raises_parse_error() -> None:
    """Bytes are refused with ParseError, not a crash."""
    with pytest.raises(ParseError):
        parse_reference(b"Smith J. 2001.")  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [",", ";:", "“”", ".", "( )", ""], ids=str)
def test_clean_title_of_bare_punctuation_terminates(raw: str) -> None:
    """A title span made only of punctuation cleans to a string instead of looping."""
    assert isinstance(_clean_title(raw), str)
    assert isinstance(_clean_container(raw), str)
