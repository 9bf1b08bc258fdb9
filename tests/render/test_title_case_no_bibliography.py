"""A style without a bibliography (Bluebook) title-cases its citations' titles as
citeproc-js does: English titles (a language that starts with "en", such as BibTeX's
"english") are title-cased, others are kept as written (render/pipeline.py
``_title_cased`` reads such a style's citations; correction title-case-by-language in
render/fixes.py).  Expected texts are citeproc-js's (benchmarks/_citeproc_js.py) for the
same items: issue 28's wide bench, bluebook-law-review w043 and w058."""

from __future__ import annotations

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_citations


def _item(language: str, title: str) -> Reference:
    return Reference.from_csl(
        {
            "id": "x",
            "type": "book",
            "title": title,
            "language": language,
            "author": [{"family": "Cicero", "given": "Marcus Tullius"}],
            "issued": {"date-parts": [[1995]]},
        }
    )


@pytest.mark.parametrize(
    ("language", "title", "expected"),
    [
        ("english", "Just a booklet", "Marcus Tullius Cicero, Just a Booklet (1995)."),
        (
            "langlatin and langgerman",
            "De natura deorum. Über das Wesen der Götter",
            "Marcus Tullius Cicero, De natura deorum. Über das Wesen der Götter (1995).",
        ),
    ],
    ids=["english-title-cased", "not-english-kept"],
)
def test_bluebook_title_case_follows_the_language(language: str, title: str, expected: str) -> None:
    """Bluebook, which has no bibliography, title-cases an English title and keeps
    another language's as written."""
    assert format_citations([[_item(language, title)]], style="bluebook-law-review").citations == [
        expected
    ]
