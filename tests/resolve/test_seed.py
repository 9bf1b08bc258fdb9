"""The 7 seed references, as a parser would give them, against local Crossref and PubMed
stand-ins holding the seed papers' verified records."""

from __future__ import annotations

from typing import Any

import pytest

from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve import Resolver

from .conftest import FakeClock, LocalServer
from .seed_services import PUBMED_PATH, SEED, seed_items, serve_seed

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


def resolver_for(server: LocalServer, items: list[dict[str, Any]]) -> Resolver:
    return Resolver(serve_seed(server, items), clock=FakeClock())


def _all_items(without: str | None = None) -> list[dict[str, Any]]:
    return seed_items(without)


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
    assert [(c.field, c.entry, c.record) for c in result.conflicts] == [
        ("issued", "2006", "2005-04-15")
    ]


PUBMED_IDS = {
    "rotunda2006mesotherapy": ("16681654", None),
    "sivagnanam2010mesotherapy": ("21808584", "PMC3142757"),
}


@pytest.mark.parametrize(("line", "key"), seed_lines(), ids=KEYS)
def test_seed_pubmed_enrichment(local_server: LocalServer, line: str, key: str) -> None:
    """A DOI match gains the PMID and PMCID the facts know, and nothing for papers without."""
    with resolver_for(local_server, _all_items()) as resolver:
        result = resolver.resolve(seed_reference(line, key))
    assert result.status == "matched"
    ref = result.reference
    pmid, pmcid = PUBMED_IDS.get(key, (None, None))
    assert (ref.pmid, ref.pmcid) == (pmid, pmcid)
    searches = [h for h in local_server.hits if h.startswith(f"{PUBMED_PATH}/esearch")]
    fetches = [h for h in local_server.hits if h.startswith(f"{PUBMED_PATH}/efetch")]
    assert len(searches) == (1 if ref.doi else 0)  # no DOI (Matarasso, Konda): nothing to ask
    assert len(fetches) == (1 if pmid else 0)
    if pmid:
        assert ref.provenance["pmid"].source == "pubmed"
        assert ref.abstract is None  # the facts hold no abstract: none is made up
        assert result.notes[0] == f"PubMed record pmid:{pmid} attached"
    elif ref.doi:
        assert result.notes[0] == f"PubMed has no record of doi:{ref.doi}"
        assert "PubMed" not in result.reason  # finding nothing is not a failure
    if ref.doi:  # still no abstract: OpenAlex is asked, and the stand-in knows nothing
        assert result.notes[1:] == [f"OpenAlex has no record of doi:{ref.doi}"]
        assert "OpenAlex" not in result.reason


def test_seed_enrichment_can_be_switched_off(local_server: LocalServer) -> None:
    """With enrich_pubmed off, PubMed is never asked."""
    line, key = seed_lines()[1]
    settings = serve_seed(local_server, _all_items(), enrich_pubmed=False)
    with Resolver(settings, clock=FakeClock()) as resolver:
        result = resolver.resolve(seed_reference(line, key))
    assert result.status == "matched"
    assert result.reference.pmid is None
    assert not [h for h in local_server.hits if h.startswith(PUBMED_PATH)]
