"""The 7 seed references, as a parser would give them, against a local Crossref stand-in."""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve import Resolver
from mesorefs.settings import Settings

from .conftest import FakeClock, LocalServer, data_json

SEED = data_json("seed_crossref_items.json")
KEYS = [r["key"] for r in SEED["records"]]


def _people(text: str) -> list[Person]:
    """``RJ Rohrich, TM Pfeifer…`` -> Persons with initials."""
    out = []
    for name in text.replace("…", "").split(","):
        parts = name.split()
        if parts:
            out.append(Person(family=parts[-1], given=" ".join(parts[:-1]) or None))
    return out


def seed_reference(line: str, key: str) -> Reference:
    """What a parser sees in a Google-Scholar-like seed line (no DOI, venue maybe cut off)."""
    title, rest = line.split(" by ", 1)
    people, _, tail = rest.partition(" – ")
    fields = [f.strip() for f in tail.split(" – ")[0].split(",")]
    year = int(fields[-1])
    venue = ", ".join(fields[:-1]).strip()
    truncated = set()
    if "…" in people:
        truncated.add("authors")
    data: dict[str, Any] = {
        "key": key,
        "title": title,
        "authors": _people(people),
        "issued": PartialDate(year=year),
        "hints": {"host": line.rsplit(" – ", 1)[-1]},
    }
    if venue:
        if venue.endswith("…"):
            venue = venue.rstrip("… ").rstrip(",")
            truncated.add("container_title")
        data["container_title"] = venue
    data["truncated"] = frozenset(truncated)
    return Reference.model_validate(data)


def seed_lines() -> list[tuple[str, str]]:
    lines = [
        "Mesotherapy: what is it? Does it work? by RJ Rohrich – 2005 – journals.lww.com",
        "Mesotherapy and phosphatidylcholine injections: historical clarification and review by "
        "AM Rotunda, MS Kolodney – Dermatologic surgery, 2006 – Wiley Online Library",
        "Mesotherapy by M Vedamurthy – Indian Journal of Dermatology, Venereology, and …, 2007 – "
        "go.gale.com",
        "Mesotherapy for body contouring by A Matarasso, TM Pfeifer… – Plastic and …, 2005 – "
        "journals.lww.com",
        "Mesotherapy: What is new? by D Konda, DM Thappa – Indian Journal of Dermatology, "
        "Venereology …, 2013 – ijdvl.com",
        "Mesotherapy for facial skin rejuvenation: a clinical, histologic, and electron "
        "microscopic evaluation by SP Amin, RG Phelps, DJ Goldberg – Dermatologic surgery, "
        "2006 – Wiley Online Library",
        "Mesotherapy–The french connection by G Sivagnanam – Journal of pharmacology & "
        "pharmacotherapeutics, 2010 – ncbi.nlm.nih.gov",
    ]
    return list(zip(lines, KEYS, strict=True))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def search_handler(items: list[dict[str, Any]]) -> Any:
    """A Crossref stand-in: rank items by words shared with query.bibliographic."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(request.path).query)
        words = _words(query.get("query.bibliographic", [""])[0])
        rows = int(query.get("rows", ["5"])[0])

        def overlap(item: dict[str, Any]) -> int:
            text = json.dumps([item.get("title"), item.get("author"), item.get("container-title")])
            return len(words & _words(text))

        ranked = sorted(items, key=overlap, reverse=True)[:rows]
        body = {"status": "ok", "message-type": "work-list", "message": {"items": ranked}}
        payload = json.dumps(body).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    return handle


def resolver_for(server: LocalServer, items: list[dict[str, Any]]) -> Resolver:
    server.routes["/works"] = search_handler(items)
    settings = Settings.load(env={}, cache=False, crossref_url=server.url)
    return Resolver(settings, clock=FakeClock())


def _all_items(without: str | None = None) -> list[dict[str, Any]]:
    records = [r["item"] for r in SEED["records"] if r["key"] != without]
    return records + [d["item"] for d in SEED["distractors"]]


@pytest.mark.parametrize(("line", "key"), seed_lines(), ids=KEYS)
def test_seed_line_picks_its_record(local_server: LocalServer, line: str, key: str) -> None:
    """Each seed line is matched to its own record, never to a near-duplicate."""
    expected = next(r["item"] for r in SEED["records"] if r["key"] == key)
    with resolver_for(local_server, _all_items()) as resolver:
        result = resolver.resolve(seed_reference(line, key))
    assert result.status == "matched", result.reason
    merged = result.reference
    assert merged.title == seed_reference(line, key).title  # the entry's own title is kept
    assert result.candidates[0].reference.title == expected["title"][0]
    assert merged.doi == (expected.get("DOI") or None)
    assert merged.volume == expected.get("volume")
    assert "container_title" not in merged.truncated
    assert merged.container_title is not None
    assert merged.provenance["volume"].source == "crossref" if merged.volume else True


@pytest.mark.parametrize(("line", "key"), seed_lines(), ids=KEYS)
def test_seed_line_abstains_without_its_record(
    local_server: LocalServer, line: str, key: str
) -> None:
    """With the right record absent, the resolver abstains and writes nothing."""
    ref = seed_reference(line, key)
    with resolver_for(local_server, _all_items(without=key)) as resolver:
        result = resolver.resolve(ref)
    assert result.status == "abstained", (result.reason, result.reference.doi)
    assert result.reference == ref
    assert result.candidates


def test_truncated_venue_is_completed(local_server: LocalServer) -> None:
    """'Plastic and …' is replaced by the record's full journal name and leaves `truncated`."""
    line, key = seed_lines()[3]
    with resolver_for(local_server, _all_items()) as resolver:
        result = resolver.resolve(seed_reference(line, key))
    assert result.reference.container_title == "Plastic and Reconstructive Surgery"
    assert "container_title" not in result.reference.truncated
    completed = {c.field: c.action for c in result.changes}
    assert completed["container_title"] == "completed"
    assert result.reference.pages == "1420-1424"
    assert result.reference.doi is None  # the facts know no DOI: none is invented


def test_conflicting_year_is_reported(local_server: LocalServer) -> None:
    """An entry that says 2006 for a 2005 record matches, keeps 2006 and reports the conflict."""
    line, key = seed_lines()[0]
    ref = seed_reference(line, key).model_copy(update={"issued": PartialDate(year=2006)})
    with resolver_for(local_server, _all_items()) as resolver:
        result = resolver.resolve(ref)
    assert result.status == "matched"
    assert result.reference.year == 2006
    assert [(c.field, c.entry, c.record) for c in result.conflicts] == [("issued", "2006", "2005")]
