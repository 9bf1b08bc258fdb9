"""The HTML report people read (issue 31): titled after the document, evidence without
JavaScript, chips that filter, verdict colours far apart."""

from __future__ import annotations

import colorsys
import re
from html.parser import HTMLParser

import pytest

from mesorefs.claims import check_claims
from mesorefs.claims.report import _COLOURS
from mesorefs.models import Reference


class _Text(HTMLParser):
    """The page's visible text by element id, scripts left out (as without JavaScript)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.skip += 1
        ident = dict(attrs).get("id")
        self.stack.append(ident if tag not in ("br", "meta") else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.skip -= 1
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        for ident in self.stack:
            if ident:
                self.text.setdefault(ident, []).append(data)


@pytest.fixture(scope="module")
def page(seed_text: str, seed_refs: list[Reference]) -> tuple[str, object]:
    report = check_claims(seed_text, seed_refs, encoder=False)
    return report.to_html(), report


def test_the_page_is_titled_after_the_document(page: tuple[str, object]) -> None:
    """The title and the heading name the document's own title, not a generic label."""
    html, _ = page
    assert "<title>Claim check: What Is Mesotherapy" in html
    assert re.search(r"<h1>Claim check: What Is Mesotherapy", html)


def test_every_checked_claim_has_its_evidence_without_javascript(
    page: tuple[str, object],
) -> None:
    """Scripts aside, each checked claim's verdict, reason and quoted passages are in the
    page, in a <details> the highlighted claim links to."""
    html, report = page
    parsed = _Text()
    parsed.feed(html)
    checked = report.checked  # type: ignore[attr-defined]
    assert checked
    for result in checked:
        ident = f"ev-{result.claim.id}"
        assert f'href="#{ident}"' in html
        shown_text = " ".join(" ".join(parsed.text[ident]).split())
        assert result.verdict in shown_text
        assert " ".join(result.explanation.split()) in shown_text


def test_chips_are_buttons_for_the_verdicts_present(page: tuple[str, object]) -> None:
    """Each verdict the report has is a filter button with its count; none for absent ones."""
    html, report = page
    counts = report.summary()  # type: ignore[attr-defined]
    for verdict, n in counts.items():
        marker = f'data-verdict="{verdict.replace(" ", "-")}"'
        assert (marker in html) == (n > 0 and verdict != "not checked")


def test_verdict_colours_are_far_apart() -> None:
    """Every two verdicts' backgrounds differ in hue by at least 30 degrees."""
    hues = {}
    for verdict, colour in _COLOURS.items():
        if colour == "transparent":
            continue
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        hues[verdict] = colorsys.rgb_to_hls(r, g, b)[0] * 360
    names = sorted(hues)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            gap = abs(hues[a] - hues[b])
            assert min(gap, 360 - gap) >= 30, (a, b)
