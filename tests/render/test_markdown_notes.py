"""Markdown documents in a note style (render/markdown.py, issue 31): an ``@key`` in
running text keeps its author in the text, and the note mark goes where the language
puts it.  Expected texts are what pandoc itself writes for the same document (its
``[^n]`` marks as our inline ``^[...]``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.render.markdown import place_note, render_markdown

AMIN = Reference(
    key="amin2006mesotherapy",
    type="article-journal",
    title="Mesotherapy for facial skin rejuvenation",
    authors=[
        Person(family="Amin", given="S. P."),
        Person(family="Phelps", given="R. G."),
        Person(family="Goldberg", given="D. J."),
    ],
    container_title="Dermatologic Surgery",
    volume="32",
    pages="1467-1472",
    issued=PartialDate(year=2006),
)
_CHICAGO = "chicago-notes-bibliography"


def _body(text: str, style: str = _CHICAGO, locale: str | None = None) -> str:
    return render_markdown(text, [AMIN], style=style, locale=locale).split("\n\n## ")[0]


def test_the_author_in_the_text_stays_in_the_text() -> None:
    """Issue 31: "Also @amin2006mesotherapy [p. 1468] found nothing." keeps "S. P. Amin et
    al." before the note mark, as pandoc writes it; the note holds the rest."""
    body = _body("Also @amin2006mesotherapy [p. 1468] found nothing.\n")
    assert body == (
        "Also S. P. Amin et al.^[“Mesotherapy for Facial Skin Rejuvenation,” "
        "*Dermatologic Surgery* 32 (2006): 1468.] found nothing."
    )


def test_the_mark_goes_after_the_full_stop_in_english() -> None:
    """ "work [@key]." becomes "work.^[...]" (pandoc: "work.[^1]"); a later in-text cite
    gives the short form of the names."""
    body = _body(
        "Earlier work [@amin2006mesotherapy, p. 1467].\n\n"
        "Also @amin2006mesotherapy [p. 1468] found nothing.\n"
    )
    first, second = body.split("\n\n")
    assert first.startswith("Earlier work.^[S. P. Amin et al., “Mesotherapy")
    assert first.endswith("1467.]")
    assert second.startswith("Also Amin et al.^[")
    assert second.endswith("] found nothing.")


def test_the_mark_stays_before_the_full_stop_in_french() -> None:
    """French puts the note call before the punctuation: "work^[...]."."""
    body = _body("Earlier work [@amin2006mesotherapy, p. 1467].\n", locale="fr-FR")
    assert body.startswith("Earlier work^[S. P. Amin et al.")
    assert body.endswith("].")


def test_in_text_styles_are_unchanged() -> None:
    """An author-date style writes the citations where they stand."""
    body = _body("Also @amin2006mesotherapy [p. 1468] found nothing.\n", style="apa")
    assert body == "Also Amin et al. (2006, p. 1468) found nothing."


@pytest.mark.parametrize(
    ("text", "names", "after", "expected"),
    [
        ("work [@a].", "", True, "work.^[N]"),
        ("work [@a], then", "", True, "work,^[N] then"),
        ("work [@a].", "", False, "work^[N]."),
        ("Also @a found", "A et al.", True, "Also A et al.^[N] found"),
        ("Also @a.", "A et al.", True, "Also A et al.^[N]"),
        ("Also @a!", "A et al.", True, "Also A et al.!^[N]"),
        ("work [@a] and", "", True, "work^[N] and"),
    ],
    ids=[
        "period-moves",
        "comma-moves",
        "french-keeps-order",
        "names-in-text",
        "no-double-period",
        "other-mark-after-names",
        "no-punctuation",
    ],
)
def test_place_note(text: str, names: str, after: bool, expected: str) -> None:
    """The citation becomes names and mark, punctuation moved before the mark once."""
    start = text.index("[@a]") if "[@a]" in text else text.index("@a")
    end = start + (4 if "[@a]" in text else 2)
    assert place_note(text, start, end, names, "N", after=after) == expected


@given(
    st.text(alphabet="ab ", max_size=8),
    st.text(alphabet="ab .,;", max_size=8),
    st.booleans(),
)
def test_place_note_keeps_the_words(before: str, rest: str, after: bool) -> None:
    """Only spaces before the mark and repeated punctuation are lost: the letters
    around the citation are all kept, in order."""
    text = f"{before}[@a]{rest}"
    placed = place_note(text, len(before), len(before) + 4, "", "N", after=after)
    letters = [c for c in placed.replace("^[N]", "") if c.isalpha()]
    assert letters == [c for c in before + rest if c.isalpha()]
