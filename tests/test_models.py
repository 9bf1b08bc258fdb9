"""The Reference model: validation, normalization and CSL-JSON."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mesorefs import PartialDate, Person, Reference


@pytest.mark.parametrize(
    ("given_pages", "expected"),
    [
        ("1420--1424", "1420-1424"),
        ("1420 – 1424", "1420-1424"),
        ("e123", "e123"),
        ("A1-A9", "A1-A9"),
        ("d2427-d2427", "d2427"),
    ],
    ids=["bibtex-dash", "en-dash-spaces", "article-number", "letters", "one-page-range"],
)
def test_pages_are_normalized(given_pages: str, expected: str) -> None:
    """Page ranges in any dash style become ``start-end``."""
    assert Reference(pages=given_pages).pages == expected


def test_identifiers_are_normalized_when_valid_and_kept_when_not() -> None:
    """Valid identifiers are canonical; invalid ones are kept for lint to report."""
    ref = Reference(doi="https://doi.org/10.1111/J.1524-4725.2006.32100.X", pmcid="pmc3142757")
    assert ref.doi == "10.1111/J.1524-4725.2006.32100.X"  # the prefix goes, the case stays
    assert ref.pmcid == "PMC3142757"
    assert Reference(doi="not a doi").doi == "not a doi"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": "journal"},
        {"locked": frozenset({"colour"})},
        {"issued": {"year": 2000, "month": 13}},
    ],
    ids=["unknown-type", "unknown-locked-field", "bad-month"],
)
def test_invalid_values_are_rejected(kwargs: dict[str, object]) -> None:
    """Unknown CSL types, unknown field names and impossible dates are rejected."""
    with pytest.raises(ValidationError):
        Reference.model_validate(kwargs)


def test_person_needs_a_name() -> None:
    """A person with neither family nor literal name is rejected."""
    with pytest.raises(ValidationError):
        Person(given="Ann")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"family": "Reinganum", "given": " C"}, ("Reinganum", "C")),
        ({"family": " de  Gaulle ", "given": "Charles\tAndré"}, ("de Gaulle", "Charles André")),
        ({"family": "Roe", "given": "  "}, ("Roe", None)),
    ],
    ids=["leading-space", "inner-runs", "blank-given"],
)
def test_person_name_parts_lose_stray_spaces(
    kwargs: dict[str, str], expected: tuple[str, str | None]
) -> None:
    person = Person(**kwargs)
    assert (person.family, person.given) == expected


def test_a_blank_family_name_is_no_name() -> None:
    with pytest.raises(ValidationError):
        Person(family="  ", given="Ann")


def test_csl_round_trip_of_a_full_reference() -> None:
    """to_csl then from_csl gives back the same Reference."""
    ref = Reference(
        key="k",
        type="chapter",
        title="T",
        authors=[Person(family="Berg", given="J.", particle="van")],
        editors=[Person(literal="WHO")],
        issued=PartialDate(year=2001, month=2, day=3),
        container_title="Book",
        pages="1-2",
        arxiv="1706.03762",
        extra={"file": "x.pdf"},
        truncated=frozenset({"container_title"}),
        hints={"host": "x"},
    )
    assert Reference.from_csl(ref.to_csl()) == ref


def test_from_csl_reads_real_crossref_shapes() -> None:
    """CSL from services (lists for ISSN, upper-case DOI key, literal dates) is accepted."""
    ref = Reference.from_csl(
        {
            "type": "article-journal",
            "title": "T",
            "DOI": "10.1000/ABC",
            "ISSN": ["1234-5679"],
            "issued": {"date-parts": [[2020, 5]]},
            "author": [{"family": "A", "given": "B"}],
        }
    )
    assert (ref.doi, ref.issn, ref.issued) == (
        "10.1000/ABC",
        "1234-5679",
        PartialDate(year=2020, month=5),
    )


names = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12)


@given(
    family=names,
    given_name=st.none() | names,
    year=st.integers(1500, 2100),
    month=st.none() | st.integers(1, 12),
)
def test_csl_round_trip_property(
    family: str, given_name: str | None, year: int, month: int | None
) -> None:
    """Any simple reference survives CSL-JSON unchanged."""
    ref = Reference(
        key="k",
        title=f"On {family}",
        authors=[Person(family=family, given=given_name)],
        issued=PartialDate(year=year, month=month),
    )
    assert Reference.from_csl(ref.to_csl()) == ref


# -- CSL-JSON items come back whole ---------------------------------------------------

CSL_ROUND_TRIPS = [
    ("unmodelled-variables", {
        "id": "a", "type": "book", "title": "T",
        "translator": [{"family": "Doe", "given": "J."}],
        "accessed": {"date-parts": [[2020, 1, 2]]},
        "title-short": "T", "number-of-pages": "212", "citation-label": "Doe20",
    }),
    ("season", {"id": "b", "type": "book", "issued": {"date-parts": [[2001, 21]]}}),
    ("date-range", {"id": "c", "type": "book",
                    "issued": {"date-parts": [[2001, 3], [2002, 4]]}}),
    ("literal-date", {"id": "d", "type": "book", "issued": {"literal": "circa 1850"}}),
    ("empty-date-parts", {"id": "e", "type": "book", "issued": {"date-parts": [[""]]}}),
    ("only-given-name", {"id": "f", "type": "book", "author": [{"given": "Plato"}]}),
    ("empty-type", {"id": "h", "type": "", "publisher": "P"}),
    ("unknown-type", {"id": "i", "type": "thesis-chapter", "title": "T"}),
    ("dropping-particle", {"id": "g", "type": "book", "author": [
        {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}]}),
    ("no-type", {"id": "j", "title": "T", "issued": {"date-parts": [[2006, 8]]}}),
    ("doi-as-url", {"id": "k", "type": "article-journal",
                    "DOI": "https://doi.org/10.1007/s11336-012-9269-1"}),
    ("note-lines", {"id": "l", "type": "book",
                    "note": "reviewed-title: Decrease\ngenre: Peer commentary"}),
    ("issn-list", {"id": "m", "type": "article-journal", "ISSN": ["1872-4078", "0018-7070"]}),
    ("number-values", {"id": "n", "type": "article-journal", "volume": 5, "issue": 2}),
    ("same-page-range", {"id": "o", "type": "article-journal", "page": "472-472"}),
]  # fmt: skip


@pytest.mark.parametrize(
    "item", [c[1] for c in CSL_ROUND_TRIPS], ids=[c[0] for c in CSL_ROUND_TRIPS]
)
def test_csl_items_round_trip_whole(item: dict[str, Any]) -> None:
    assert Reference.from_csl(item).to_csl() == item


@pytest.mark.parametrize(
    ("variable", "field", "written", "held"),
    [
        ("DOI", "doi", "https://doi.org/10.1000/X", "10.1000/X"),
        ("note", "note", "a: 1\nb: 2", "a: 1 b: 2"),
        ("page", "pages", "472-472", "472"),
    ],
    ids=["doi", "note", "page"],
)
def test_csl_strings_are_held_normalized_and_written_as_given(
    variable: str, field: str, written: str, held: str
) -> None:
    """The model holds the normal form; the item is written back as it came while that
    form is unchanged, and with the new value once it changes."""
    reference = Reference.from_csl({"id": "a", "type": "book", variable: written})
    assert getattr(reference, field) == held
    assert reference.to_csl()[variable] == written
    setattr(reference, field, "10.2000/Y" if field == "doi" else "99")
    assert reference.to_csl()[variable] == ("10.2000/Y" if field == "doi" else "99")


def test_an_item_without_a_type_is_a_document() -> None:
    """CSL requires a type; one without is read as a generic document, not a journal
    article, and written back without one until the type is set."""
    reference = Reference.from_csl({"id": "a", "title": "T"})
    assert reference.type == "document"
    reference.type = "book"
    assert reference.to_csl()["type"] == "book"


def test_changed_names_replace_the_original_csl_form() -> None:
    item = {"id": "g", "type": "book", "author": [
        {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}]}  # fmt: skip
    reference = Reference.from_csl(item)
    reference.authors = [Person(family="Roe", given="Ann")]
    assert reference.to_csl()["author"] == [{"family": "Roe", "given": "Ann"}]
