"""Quotes and apostrophes written in the data print as citeproc-js prints them
(render/literal_quotes.py; issue 28: curly quotes in the data became locale quotes,
German apostrophes stayed straight)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, literal_quotes
from mesorefs.render.corrections import CORRECTIONS


def _book(**fields: str) -> Reference:
    return Reference.from_csl(
        {
            "id": "x",
            "type": "book",
            "title": "Plain",
            "author": [{"family": "Roe", "given": "Ann"}],
            "publisher": "P",
            "issued": {"date-parts": [[2020]]},
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("din-1505-2", "“Curly” words"),
        ("iso690-author-date-fr", "“Curly” words"),
        ("gost-r-7-0-5-2008", "“Curly” words"),
        ("apa", "“Curly” words"),
    ],
    ids=["de-DE", "fr-FR", "ru-RU", "en-US"],
)
def test_curly_quotes_in_the_data_print_as_written(style: str, expected: str) -> None:
    """A title with “…” keeps those quotes; the locale's own quotes do not replace them."""
    (entry,) = format_bibliography([_book(title="“Curly” words")], style)
    assert expected in entry


def test_curly_quotes_are_markup_where_they_are_the_locales_quotes() -> None:
    """In US English “…” is a quotation: inside a quoted title it becomes ‘…’."""
    ref = Reference.from_csl(
        {
            "id": "x",
            "type": "article-journal",
            "title": "“Curly” words",
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
        }
    )
    (entry,) = format_bibliography([ref], "ieee")
    assert "“‘Curly’ words,”" in entry


def test_the_locales_own_quotes_stay_markup() -> None:
    """German „…“ in a German style stays „…“ (the stand-ins touch only “…”)."""
    (entry,) = format_bibliography([_book(title="Die „Sache“ selbst")], "din-1505-2")
    assert "Die „Sache“ selbst" in entry


@pytest.mark.parametrize("style", ["din-1505-2", "iso690-author-date-fr"], ids=["de-DE", "fr-FR"])
def test_an_apostrophe_in_a_note_is_typographic(style: str) -> None:
    """citeproc-js writes it’s in the note field as in any other; pandoc left it's."""
    (entry,) = format_bibliography([_book(note="it's the note")], style)
    assert "it’s the note" in entry and "it's" not in entry


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_finish_leaves_text_without_stand_ins_alone(text: str) -> None:
    """Text without the module's stand-ins comes out of finish unchanged."""
    assert literal_quotes.finish(text) == text


@given(st.text(alphabet="ab “”„'"))
def test_quotes_come_back_as_written(text: str) -> None:
    """The stand-ins put into a field come back out of finish as the quotes written."""
    (item,) = literal_quotes.prepare_items([{"id": "x", "title": text}], "de-DE")
    assert literal_quotes.finish(item["title"]) == text


def test_us_english_items_are_left_alone() -> None:
    """Where “…” is the locale's quotation, items go to the engine unchanged."""
    items = [{"id": "x", "title": "“Curly”"}]
    assert literal_quotes.prepare_items(items, "en-US") == items
    assert literal_quotes.prepare_items(items, None) == items


def test_every_public_function_is_a_listed_hook() -> None:
    """Each public function of literal_quotes carries out a correction in corrections.py."""
    hooks = {h for c in CORRECTIONS for h in c.hooks}
    public = [literal_quotes.finish, literal_quotes.prepare_items]
    assert [f.__name__ for f in public if f not in hooks] == []
