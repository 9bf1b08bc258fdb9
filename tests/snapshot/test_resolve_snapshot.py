"""Resolving against a snapshot decides exactly as resolving online on the same records.

The stand-in for Crossref is a real HTTP server on 127.0.0.1 holding the same items
(whole, as the API returns them); its search answers with the items the snapshot's
index ranks first, so both resolvers see the same candidates and any difference would
come from parsing, scoring or deciding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from mesorefs.errors import InputError
from mesorefs.models import Person, Reference
from mesorefs.resolve.resolver import Resolver, ResolveResult
from mesorefs.settings import Settings
from mesorefs.snapshot import build_snapshot
from mesorefs.snapshot.catalogue import Snapshot
from resolve.fakes import LocalServer, local_http_server, send, service_urls

from .conftest import PLOS, load, matching_items, notice_of, real_items, write_gz


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    items = matching_items() + real_items()
    build_snapshot([write_gz(tmp_path / "items.json.gz", {"items": items})], tmp_path / "snap")
    return tmp_path / "snap"


@pytest.fixture
def stand_in(snapshot_dir: Path, tmp_path: Path) -> Iterator[LocalServer]:
    items = {i["DOI"].lower(): i for i in matching_items() + real_items()}
    ranking = Snapshot(str(snapshot_dir), tmp_path / "stand-in-cache")

    def works(request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path.endswith("/agency"):
            send(request, 404, "Resource not found.", "text/plain")
        elif parts.path == "/works":
            query = parse_qs(parts.query)
            hits = ranking.search(query["query.bibliographic"][0], int(query["rows"][0]))
            message = {"items": [items[h.doi.lower()] for h in hits if h.doi]}
            send(
                request,
                200,
                json.dumps({"status": "ok", "message-type": "work-list", "message": message}),
            )
        else:
            item = items.get(unquote(parts.path[len("/works/") :]).lower())
            if item is None:
                send(request, 404, "Resource not found.", "text/plain")
            else:
                send(
                    request,
                    200,
                    json.dumps({"status": "ok", "message-type": "work", "message": item}),
                )

    with local_http_server() as server:
        server.routes["/works"] = works
        yield server


def _online(server: LocalServer, settings: Settings) -> Resolver:
    return Resolver(
        settings.model_copy(
            update={
                **service_urls(server),
                "rate_limits": {"crossref": 500.0, "crossref-list": 500.0, "doi": 500.0},
            }
        )
    )


def _decision(result: ResolveResult) -> tuple[Any, ...]:
    return (
        result.status,
        result.score,
        result.reference.doi,
        result.reference.title,
        [(c.reference.doi, c.score) for c in result.candidates],
    )


def _string_decision(result: ResolveResult) -> tuple[Any, ...]:
    """A string's decision; of a match, the accepted candidate.  A match lists the
    candidates it was chosen from, which for a string the snapshot's keys matched are the
    keyed records, not the search's five; anything else was searched, and lists the
    search's candidates."""
    if result.status != "matched":
        return _decision(result)
    return (*_decision(result)[:4], [(c.reference.doi, c.score) for c in result.candidates[:1]])


def _strings() -> list[str]:
    rows = load("matching_strings.json")
    return [text for row in rows for text in row["strings"].values()]


def test_strings_get_the_same_decisions(
    stand_in: LocalServer, snapshot_dir: Path, settings: Settings
) -> None:
    """360 reference strings in three styles: same status, score, DOI and candidates."""
    local = Resolver(settings.model_copy(update={"snapshot_dir": str(snapshot_dir)}))
    online = _online(stand_in, settings)
    strings = _strings()
    ours = [_string_decision(local.resolve_string(s)) for s in strings]
    theirs = [_string_decision(online.resolve_string(s)) for s in strings]
    assert ours == theirs
    assert sum(d[0] == "matched" for d in ours) > 300  # the comparison is not vacuous


def _entries() -> list[tuple[str, Reference]]:
    items = matching_items()[:40]
    plos = real_items()[0]
    people = [Person(family=a["family"], given=a.get("given")) for a in plos["author"][:3]]
    return [
        *(
            (
                f"doi-{i}",
                Reference(doi=item["DOI"], title=item["title"][0] if item.get("title") else None),
            )
            for i, item in enumerate(items)
        ),
        ("plos-by-search", Reference(title=plos["title"][0], authors=people, issued=None)),
        ("wrong-title", Reference(doi=PLOS, title="Deep learning for protein folding")),
        ("absent-doi", Reference(doi="10.9999/absent.1", title="Nothing")),
    ]


@pytest.mark.parametrize("case", _entries(), ids=lambda case: case[0])
def test_entries_get_the_same_decisions(
    case: tuple[str, Reference], stand_in: LocalServer, snapshot_dir: Path, settings: Settings
) -> None:
    """DOI lookups, a search by title and authors, a mismatch and a missing DOI."""
    _, entry = case
    local = Resolver(settings.model_copy(update={"snapshot_dir": str(snapshot_dir)}))
    online = _online(stand_in, settings)
    assert _decision(local.resolve(entry)) == _decision(online.resolve(entry))


def test_snapshot_only_asks_no_service(snapshot_dir: Path, settings: Settings) -> None:
    """Without online_fallback, nothing goes to the network: a PMID is not found."""
    local = Resolver(settings.model_copy(update={"snapshot_dir": str(snapshot_dir)}))
    local.http.session = None  # type: ignore[assignment]  # any request would fail
    result = local.resolve(Reference(pmid="123456", title="A paper"))
    assert result.status == "not_found" and "online_fallback is off" in result.reason


def test_fallback_asks_the_service_for_what_the_snapshot_lacks(
    stand_in: LocalServer, tmp_path: Path, settings: Settings
) -> None:
    """A DOI missing from the snapshot is fetched online with online_fallback."""
    item = matching_items()[0]
    others = [i for i in matching_items() if i["DOI"] != item["DOI"]]
    build_snapshot([write_gz(tmp_path / "s.json.gz", {"items": others})], tmp_path / "small")
    base = settings.model_copy(update={"snapshot_dir": str(tmp_path / "small")})
    assert Resolver(base).resolve(Reference(doi=item["DOI"])).status == "not_found"
    fallback = _online(stand_in, base.model_copy(update={"online_fallback": True}))
    result = fallback.resolve(Reference(doi=item["DOI"]))
    assert (result.status, result.reference.doi) == ("matched", item["DOI"].lower())
    assert any("/works/" in hit for hit in stand_in.hits)


def test_retraction_in_snapshot_reaches_the_result(tmp_path: Path, settings: Settings) -> None:
    """A notice in the data file marks the resolved work as retracted."""
    plos = real_items()[0]
    items = [plos, notice_of(plos, "10.1371/notice.9")]
    build_snapshot([write_gz(tmp_path / "s.json.gz", {"items": items})], tmp_path / "snap")
    local = Resolver(settings.model_copy(update={"snapshot_dir": str(tmp_path / "snap")}))
    result = local.resolve(Reference(doi=PLOS))
    assert any(u.kind == "retraction" for u in result.reference.updates)


def test_snapshot_dir_that_is_no_snapshot_is_refused(tmp_path: Path, settings: Settings) -> None:
    """A snapshot_dir that is no snapshot stops with one line naming it."""
    with pytest.raises(InputError, match="not a snapshot"):
        Resolver(settings.model_copy(update={"snapshot_dir": str(tmp_path)}))
