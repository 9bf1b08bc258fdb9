"""The title of the work a web page shows.

Scholarly pages carry ``citation_title`` (the Highwire tags Google Scholar reads),
others Dublin Core or Open Graph tags, and every page a ``<title>``; the first of
those a page has wins.  Only the title is read: the authors and dates pages declare
are too often the site's own to accuse an entry by.  Pure: the page's text in, a
:class:`Reference` out.
"""

from __future__ import annotations

from html.parser import HTMLParser

from mesorefs.models import Reference

__all__ = ["page_record"]

_TITLE_TAGS = ("citation_title", "dc.title", "og:title", "twitter:title")
_MAX_VALUE = 1_000


class _Titles(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            name = (values.get("name") or values.get("property") or "").strip().lower()
            content = " ".join((values.get("content") or "").split())[:_MAX_VALUE]
            if name in _TITLE_TAGS and content:
                self.meta.setdefault(name, content)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and len(self.title) < _MAX_VALUE:
            self.title += data


def page_record(html: str, url: str) -> Reference | None:
    """The work the page at ``url`` shows (its title), or None when it names none."""
    parser = _Titles()
    parser.feed(html)
    parser.close()
    title = next((parser.meta[n] for n in _TITLE_TAGS if n in parser.meta), "")
    title = title or " ".join(parser.title.split())
    return Reference(type="webpage", title=title, url=url) if title else None
