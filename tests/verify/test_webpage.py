"""A web page an entry names: its title confirms the entry; a page that is gone means not
found; anything else leaves the entry unchecked."""

from __future__ import annotations

import pytest

from mesorefs.resolve import Resolver
from mesorefs.settings import Settings
from mesorefs.verify.run import verify_entry
from mesorefs.verify.webpage import page_record
from resolve.fakes import LocalServer, send

from .conftest import bib, entries

TITLE = "A Field Guide to Reproducible Lichen Surveys"
PAGE = (
    "<html><head><title>Lichen site | Home</title>"
    f'<meta name="citation_title" content="{TITLE}">'
    "</head><body>...</body></html>"
)


@pytest.mark.parametrize(
    ("html", "title"),
    [
        (PAGE, TITLE),
        ('<meta property="og:title" content="Open &amp; Graph">', "Open & Graph"),
        ("<title>\n  Just a   title </title>", "Just a title"),
        ("<p>no title</p>", None),
    ],
    ids=["citation-title-first", "open-graph", "title-tag", "none"],
)
def test_page_record_reads_the_title(html: str, title: str | None) -> None:
    """The scholarly tag wins over Open Graph and <title>; a page without any gives None."""
    record = page_record(html, "https://example.org/p")
    assert (record.title if record else None) == title


def _web_entry(server: LocalServer, path: str, title: str = TITLE) -> str:
    return bib(kind="misc", title=title, author="Doe, Jane", year=2021, url=server.url + path)


@pytest.mark.parametrize(
    ("route", "title", "outcome"),
    [
        (lambda r: send(r, 200, PAGE, "text/html"), TITLE, "confirmed"),
        (lambda r: send(r, 404, "<title>Not found</title>", "text/html"), TITLE, "not-found"),
        (lambda r: send(r, 200, PAGE, "text/html"), "Mushrooms of the Arctic", "unchecked"),
        (lambda r: send(r, 500, "oops", "text/html"), TITLE, "unchecked"),
    ],
    ids=["title-on-page", "page-gone", "other-title", "server-error"],
)
def test_a_web_page_entry(
    standin: tuple[LocalServer, Settings], route: object, title: str, outcome: str
) -> None:
    """A @misc with a URL that no service knows is judged by its page, never accused on a
    page that merely shows another title."""
    server, settings = standin
    server.routes["/page"] = route  # type: ignore[assignment]
    server.routes["/works"] = lambda r: send(
        r, 200, '{"status":"ok","message":{"items":[],"total-results":0}}'
    )
    [entry] = entries(_web_entry(server, "/page", title))
    with Resolver(settings) as resolver:
        result = verify_entry(resolver, entry)
    assert result.outcome == outcome, result.reason
    assert any("web " in s for s in result.searched) or outcome == "unchecked"
    if outcome == "confirmed":
        assert result.via == "web"
