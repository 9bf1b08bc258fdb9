"""A cite's prefix and suffix read as CSL rich text (render/affixes.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render.affixes import rich_text
from mesorefs.render.fixes import finish
from mesorefs.render.writers import write_inlines


@pytest.mark.parametrize(
    ("affix", "html"),
    [
        ("'quote', ", "“quote”, "),
        (', "Hello there".', ", “Hello there”."),
        ("\"a\", 'b'. c", "“a”, “b”. c"),
        (' And "so it goes"', " And “so it goes”"),
        ("\"it's 'fine' here\"", "“it's ‘fine’ here”"),
        ("<sc>See</sc> ", '<span style="font-variant:small-caps;">See</span> '),
        ("in <i>A <b>B</b></i>", "in <i>A <b>B</b></i>"),
        ("<sup>2</sup><sub>x</sub>", "<sup>2</sup><sub>x</sub>"),
        ('<span class="nocase">iPod</span>', "iPod"),
        ("O'Brien's view", "O'Brien's view"),
        ('a "b', 'a "b'),
        ('5" tall', '5" tall'),
        ("</i> x", "&lt;/i&gt; x"),
        ("<i>never closed", "&lt;i&gt;never closed"),
        ("", ""),
    ],
    ids=[
        "single-pair-is-outer-double",
        "period-stays-out",
        "both-kinds-stay-out",
        "double-pair",
        "nested-pair-is-single",
        "small-caps",
        "nested-formatting",
        "super-and-subscript",
        "nocase",
        "apostrophes",
        "unclosed-quote",
        "inch-mark",
        "stray-closing-tag",
        "unclosed-tag",
        "empty",
    ],
)
def test_rich_text(affix: str, html: str) -> None:
    assert finish(write_inlines(rich_text(affix), "html"), "html") == html


@given(st.text(alphabet=st.characters(blacklist_characters="<\"'\r\n\t\f\v")))
def test_text_without_markup_is_kept_as_written(text: str) -> None:
    assert write_inlines(rich_text(text), "text") == text


@given(st.text(alphabet="ab .,\"'"))
def test_quotes_take_no_letters_or_spaces(text: str) -> None:
    """Quote marks may become typographic ones, but nothing else of the affix changes."""
    written = finish(write_inlines(rich_text(text), "text"), "text")
    assert [c for c in written if c not in "\"'“”‘’"] == [c for c in text if c not in "\"'"]
