"""A loopback stand-in for verify: Crossref (the seed papers' real records), arXiv (a
recorded feed), doi.org and DataCite (their 404s), and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mesorefs.library import Library
from mesorefs.models import Reference
from mesorefs.settings import Settings
from resolve.fakes import LocalServer, local_http_server, send
from resolve.seed_services import serve_seed

DATA = Path(__file__).parent.parent / "resolve" / "data"
ARXIV_FEED = (DATA / "arxiv_1706.03762.xml").read_text(encoding="utf-8")
EMPTY_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"><id>https://arxiv.org/api/x</id></feed>\n'
)
DOI_404 = (DATA / "doiorg_404_doi_not_found.html").read_text(encoding="utf-8")


def _arxiv(request: BaseHTTPRequestHandler) -> None:
    ids = parse_qs(urlsplit(request.path).query).get("id_list", [""])[0]
    feed = ARXIV_FEED if ids.startswith("1706.03762") else EMPTY_FEED
    send(request, 200, feed, "application/atom+xml; charset=UTF-8")


@pytest.fixture
def standin() -> Iterator[tuple[LocalServer, Settings]]:
    """The stand-in server and settings that send every service to it (no cache, no retries)."""
    with local_http_server() as server:
        settings = serve_seed(server, max_retries=0, backoff_base=0, enrich_pubmed=False)
        server.routes["/arxiv"] = _arxiv
        server.routes["/doi"] = lambda r: send(r, 404, DOI_404, "text/html")
        server.routes["/datacite"] = lambda r: send(r, 404, '{"errors":[]}')
        yield server, settings


def entries(bibtex: str) -> list[Reference]:
    """The references of a BibTeX text."""
    return Library.loads(bibtex, "bibtex", "test.bib").references


def bib(key: str = "e", kind: str = "article", **fields: Any) -> str:
    """One BibTeX entry with ``fields`` (None values left out)."""
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v is not None)
    return f"@{kind}{{{key},\n{body}\n}}\n"
