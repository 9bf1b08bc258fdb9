"""Golden outputs: the seed's references in each required style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_document

DATA = Path(__file__).parent / "data"
STYLES = [
    "apa",
    "american-medical-association",
    "vancouver",
    "chicago-author-date",
    "ieee",
    "nature",
    "harvard-cite-them-right",
    "modern-language-association",
]


def _golden(style: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (DATA / f"golden-{style}.json").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize("style", STYLES, ids=STYLES)
def test_bibliography_and_citations_match_golden(style: str, seed_refs: list[Reference]) -> None:
    """Each seed reference cited once, in order, renders exactly as the golden file says."""
    golden = _golden(style)
    doc = format_document([[ref] for ref in seed_refs], style=style)
    assert doc.bibliography == golden["bibliography"]
    assert dict(zip([r.key for r in seed_refs], doc.citations, strict=True)) == golden["citations"]


@pytest.mark.parametrize("style", ["apa", "ieee"], ids=["apa", "ieee"])
def test_html_matches_golden(style: str, seed_refs: list[Reference]) -> None:
    """The HTML bibliography keeps the style's italics and matches the golden file."""
    golden = _golden(style)
    doc = format_document([[ref] for ref in seed_refs], style=style, output="html")
    assert doc.bibliography == golden["bibliography_html"]
