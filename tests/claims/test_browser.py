"""The HTML report works in a real browser (headless Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mesorefs.claims import check_claims
from mesorefs.models import Reference

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def test_seed_report_opens_and_shows_evidence(
    tmp_path: Path, seed_text: str, seed_refs: list[Reference]
) -> None:
    """The seed report loads without console errors; clicking a claim shows its evidence,
    part by part for a claim in parts."""
    sync_api = pytest.importorskip("playwright.sync_api")
    assert shutil.which(str(CHROMIUM))
    page_file = tmp_path / "report.html"
    page_file.write_text(check_claims(seed_text, seed_refs).to_html(), encoding="utf-8")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            claim = page.locator(".claim.v-needs-review[data-id]").first
            claim.click()
            panel = page.locator("#evidence")
            assert panel.locator("h2").inner_text() == "needs review"
            evidence = panel.locator(".evidence-text").first.inner_text()
            assert "mesotherapy" in evidence.lower()
            # A claim in parts (the list of chemicals) shows each part with its verdict
            # and its passages.
            page.locator(".claim[data-id]", has_text="salicylic acid").first.click()
            assert panel.locator("h3.part").count() >= 2
            assert panel.locator(".evidence-text").count() >= 2
        finally:
            browser.close()
    assert errors == []


def test_seed_report_without_javascript_and_its_filters(
    tmp_path: Path, seed_text: str, seed_refs: list[Reference]
) -> None:
    """With JavaScript off, a claim's evidence opens from its <details>; with it on, a
    verdict chip fades the claims of other verdicts."""
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "report.html"
    page_file.write_text(check_claims(seed_text, seed_refs).to_html(), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(java_script_enabled=False)
            page.goto(page_file.as_uri())
            first = page.locator("#evidence-list details").first
            assert not first.locator(".evidence-text").first.is_visible()
            first.locator("summary").click()
            assert first.locator(".explanation").first.is_visible()
            page.locator(".claim.v-needs-review[href]").first.click()  # a link to its details
            assert page.url.split("#", 1)[1].startswith("ev-")

            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.locator('.chip[data-verdict="needs-review"]').click()
            assert page.locator(".claim.v-needs-review.dimmed").count() == 0
            assert page.locator(".claim.v-unsupported.dimmed").count() > 0
            assert page.locator('.chip[aria-pressed="true"]').count() == 1
        finally:
            browser.close()
