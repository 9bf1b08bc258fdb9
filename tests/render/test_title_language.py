"""A title in a language that is not English keeps its case where the style title-cases
(render/fixes.py ``prepare_items``): citeproc-js title-cases only English titles and
those of no stated language; pandoc reads a language it cannot parse (BibLaTeX's
"langlatin and langgerman") as English and title-cased it.  Expected texts are
citeproc-js's (benchmarks/_citeproc_js.py) for the same item: issue 28's wide bench,
chicago-notes-bibliography and turabian-notes-bibliography."""

from __future__ import annotations

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, format_citations

_TITLE = "De natura deorum. Über das Wesen der Götter"


def _book(language: str | None) -> Reference:
    item = {
        "id": "cicero",
        "type": "book",
        "title": _TITLE,
        "author": [{"family": "Cicero", "given": "Marcus Tullius"}],
        "publisher": "Reclam",
        "issued": {"date-parts": [[1995]]},
    }
    if language is not None:
        item["language"] = language
    return Reference.from_csl(item)


@pytest.mark.parametrize("language", ["langlatin and langgerman", "de", "french language"], ids=str)
def test_a_title_not_in_english_is_not_title_cased(language: str) -> None:
    """Chicago notes writes the title as given, in the note and in the entry."""
    ref = _book(language)
    note = format_citations([[ref]], style="chicago-notes-bibliography").citations[0]
    assert note == f"Marcus Tullius Cicero, {_TITLE} (Reclam, 1995)."
    entry = format_bibliography([ref], "chicago-notes-bibliography")[0]
    assert entry == f"Cicero, Marcus Tullius. {_TITLE}. Reclam, 1995."


@pytest.mark.parametrize("language", [None, "en-US"], ids=["none", "en-US"])
def test_an_english_title_is_still_title_cased(language: str | None) -> None:
    """Without a language, or in English, the title is title-cased as before."""
    entry = format_bibliography([_book(language)], "chicago-notes-bibliography")[0]
    assert "De Natura Deorum. Über Das Wesen Der Götter" in entry
