"""BibLaTeX fields with a CSL variable the model does not hold (bibtex/csl_fields.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex.csl_fields import csl_from_fields, iso_date
from mesorefs.library import Library
from mesorefs.models import PartialDate, Reference
from mesorefs.render import format_bibliography

ITEM: dict[str, Any] = {
    "id": "a",
    "type": "book",
    "title": "Der Prozess",
    "author": [{"family": "Kafka", "given": "Franz"}],
    "translator": [{"family": "Muir", "given": "Willa"}, {"family": "Muir", "given": "Edwin"}],
    "container-author": [{"family": "Über", "given": "Ann"}],
    "accessed": {"date-parts": [[2020, 1, 2]]},
    "original-date": {"date-parts": [[1925]]},
    "issued": {"date-parts": [[1937, 3], [1938, 4]]},
    "title-short": "Prozess",
    "number-of-pages": "297",
    "publisher": "Gollancz",
}


def _back(item: dict[str, Any]) -> dict[str, Any]:
    bib = Library([Reference.from_csl(item)]).to_bibtex()
    back = Library.from_bibtex(bib).references[0].to_csl()
    back.pop("custom", None)
    return back


def test_csl_item_through_bibtex_and_back() -> None:
    """Every mapped variable survives being written as BibLaTeX and read again."""
    assert _back(ITEM) == ITEM


def test_fields_written_for_the_variables() -> None:
    bib = Library([Reference.from_csl(ITEM)]).to_bibtex()
    for line in [
        "translator = {Muir, Willa and Muir, Edwin}",
        'bookauthor = {{\\"U}ber, Ann}',
        "urldate = {2020-01-02}",
        "origdate = {1925}",
        "date = {1937-03/1938-04}",
        "shorttitle = {Prozess}",
        "pagetotal = {297}",
    ]:
        assert line in bib


def test_a_bib_entry_keeps_its_fields_as_written() -> None:
    """Read from a .bib, the field is written back verbatim, and once."""
    text = "@book{k,\n  title = {T},\n  urldate = {2020-1-2},\n  translator = {Muir, W.}\n}\n"
    library = Library.from_bibtex(text)
    assert library.to_bibtex() == text
    reference = library.references[0]
    assert reference.csl["translator"] == [{"family": "Muir", "given": "W."}]
    assert "accessed" not in reference.csl  # "2020-1-2" is no ISO date: left as written


def test_a_changed_date_drops_the_stale_range() -> None:
    reference = Reference.from_csl(ITEM)
    reference.issued = PartialDate(year=1940)
    written = Library([reference]).to_bibtex()
    assert "\n  date = " not in written
    assert "year = {1940}" in written


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("chicago-author-date", "Translated by Willa Muir and Edwin Muir"),
        ("apa", "(W. Muir & E. Muir, Trans.)"),
    ],
    ids=["chicago", "apa"],
)
def test_a_biblatex_translator_reaches_the_bibliography(style: str, expected: str) -> None:
    """A translator in a .bib is printed as the style prints translators."""
    text = (
        "@book{k, author = {Kafka, Franz}, title = {The Trial}, year = {1937},"
        " publisher = {Gollancz}, translator = {Muir, Willa and Muir, Edwin}}"
    )
    entry = format_bibliography(Library.from_bibtex(text).references, style)[0]
    assert expected in entry


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("urldate", "yesterday"),
        ("urldate", "2020-13-45/"),
        ("date", "2001-03"),
        ("shorttitle", ""),
        ("translator", "~,"),
        ("translator", "~"),
    ],
    ids=["words", "bad-range", "date-without-range", "empty", "no-name", "only-spacing"],
)
def test_what_is_not_mapped(field: str, value: str) -> None:
    assert csl_from_fields({field: value}) == {}


_PART = st.tuples(st.integers(1, 2100), st.integers(1, 12), st.integers(1, 28)).flatmap(
    lambda t: st.sampled_from([[t[0]], [t[0], t[1]], [t[0], t[1], t[2]]])
)


@given(st.lists(_PART, min_size=1, max_size=2))
def test_iso_dates_read_back(parts: list[list[int]]) -> None:
    date = {"date-parts": parts}
    written = iso_date(date)
    assert written is not None
    assert csl_from_fields({"urldate": written}) == {"accessed": date}


_FIELD_NAMES = ["translator", "bookauthor", "urldate", "origdate", "date", "shorttitle", "chapter"]
_BIB_TEXT = st.text(alphabet=st.sampled_from(list("{}\\ and,-/0129aZ\"~'^`.")), max_size=30)


@given(
    st.dictionaries(
        st.sampled_from(_FIELD_NAMES), st.one_of(st.text(max_size=40), _BIB_TEXT), max_size=4
    )
)
def test_any_field_values_read_without_raising(fields: dict[str, str]) -> None:
    """Whatever a .bib holds in these fields, reading it gives a reference that renders
    to CSL (a crash here would stop tidy on the whole file)."""
    reference = Reference(key="k", type="book", title="T", csl=csl_from_fields(fields))
    item = reference.to_csl()
    assert Reference.from_csl(item).to_csl() == item
