"""Identifiers cannot leave the request path of the service they are sent to (issue 27)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mesorefs.errors import InvalidIdentifier
from mesorefs.models import Reference
from mesorefs.resolve import Resolver, crossref, datacite, doiorg, openalex
from mesorefs.resolve._common import path_part
from mesorefs.settings import Settings

from .conftest import FakeClock, LocalServer
from .fakes import service_urls

BASE = "http://127.0.0.1:9/svc"
BUILDERS: list[tuple[str, Callable[[str, str], str], str]] = [
    ("crossref", crossref.work_url, "/svc/works/"),
    ("datacite", datacite.doi_url, "/svc/dois/"),
    ("doiorg", doiorg.csl_url, "/svc/"),
    ("openalex", openalex.work_url, "/svc/works/doi:"),
]


@pytest.mark.parametrize(("name", "build", "prefix"), BUILDERS, ids=[b[0] for b in BUILDERS])
@pytest.mark.parametrize(
    "doi",
    ["10.1000/x?admin=1", "10.1000/x#frag", "10.1000/a%2F..%2Fb", "10.1000/a b"],
    ids=["query", "fragment", "percent", "space"],
)
def test_query_and_fragment_stay_in_the_path(
    name: str, build: Callable[[str, str], str], prefix: str, doi: str
) -> None:
    """?, #, % and spaces in a DOI are percent-encoded: the URL has no query, no fragment."""
    url = build(BASE, doi)
    path = url.removeprefix("http://127.0.0.1:9")
    assert path.startswith(prefix)
    assert "?" not in url and "#" not in url and " " not in url


@pytest.mark.parametrize(
    ("name", "build", "prefix"),
    [b for b in BUILDERS if b[0] != "datacite"],
    ids=[b[0] for b in BUILDERS if b[0] != "datacite"],
)
@pytest.mark.parametrize("doi", ["10.1000/../../admin", "10.1000/x/./y", "10.1000/x/.."])
def test_dot_segments_are_refused(
    name: str, build: Callable[[str, str], str], prefix: str, doi: str
) -> None:
    """A DOI with a . or .. segment is refused: HTTP clients would fold it out of the route."""
    with pytest.raises(InvalidIdentifier, match="path segment"):
        build(BASE, doi)


def test_datacite_encodes_the_slashes() -> None:
    """DataCite takes the DOI as one segment: its slashes, dots included, are encoded."""
    assert datacite.doi_url(BASE, "10.1000/../x") == f"{BASE}/dois/10.1000%2F..%2Fx"


def test_path_part_keeps_a_dois_slashes() -> None:
    """A DOI's own slashes stay; dots inside a segment are not segments."""
    assert path_part("10.1000/a..b/c") == "10.1000/a..b/c"


def test_requests_stay_under_their_routes(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """Resolving DOIs with /../ and ?# sends nothing outside the services' routes."""
    settings = Settings.load(
        env={}, config_file=tmp_path / "none.toml", cache=False, **service_urls(local_server)
    )
    entries = [
        Reference(key="a", type="article-journal", doi="10.1000/../../admin"),
        Reference(key="b", type="article-journal", doi="10.1000/x?admin=1#f"),
    ]
    with Resolver(settings, clock=clock) as resolver:
        results = resolver.resolve_many(entries)
    assert results[0].status == "error"
    assert local_server.hits  # the second DOI was asked for
    for hit in local_server.hits:
        path, _, query = hit.partition("?")
        assert ".." not in path.split("/") and "admin" not in path.split("/")[1]
        assert "admin=1" not in query
