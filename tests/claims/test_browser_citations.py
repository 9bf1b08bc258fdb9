"""The HTML report's panel shows a cited claim's own source first (headless Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.claims import check_claims
from mesorefs.models import Reference

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def test_panel_shows_the_cited_reference_first_and_citation_needed(tmp_path: Path) -> None:
    """Clicking a cited claim shows its citation's verdict and its passage first; an
    uncited claim says citation needed; the page raises no error."""
    sync_api = pytest.importorskip("playwright.sync_api")
    refs = [
        Reference(key="weak", title="Cages", annote="Mice were kept in cages for a week."),
        Reference(key="strong", title="Fat", annote="Fasting lowers body fat in mice."),
    ]
    text = "Fasting lowers body fat in mice [@weak].\n\nFasting lowers fat in mice.\n"
    page_file = tmp_path / "report.html"
    page_file.write_text(check_claims(text, refs, encoder=False).to_html(), encoding="utf-8")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.locator('.claim[data-id="c1"]').click()
            panel = page.locator("#evidence")
            assert panel.locator(".citation").first.inner_text().startswith("cited weak: ")
            assert panel.locator(".link-head").first.inner_text().startswith("weak: ")
            page.locator('.claim[data-id="c2"]').click()
            assert "citation needed" in panel.locator(".citation").first.inner_text()
        finally:
            browser.close()
    assert errors == []
