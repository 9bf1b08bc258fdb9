"""Snapshot sources built from real records: the matching set's Crossref items, the
recorded Crossref and OpenAlex answers of tests/resolve/data, and the seed's items."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from mesorefs.settings import Settings

HERE = Path(__file__).parent
DATA = HERE / "data"
RESOLVE_DATA = HERE.parent / "resolve" / "data"
PLOS = "10.1371/journal.pone.0033693"


def load(name: str, folder: Path = DATA) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def matching_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = load("matching_items.json")["items"]
    return items


def real_items() -> list[dict[str, Any]]:
    """Recorded Crossref items: the PLOS work, the search answer and the seed's works."""
    items = [load("crossref_work_10.1371_journal.pone.0033693.json", RESOLVE_DATA)["message"]]
    items += load("crossref_works_query_ecology_rows2.json", RESOLVE_DATA)["message"]["items"]
    items += [r["item"] for r in load("seed_crossref_items.json", RESOLVE_DATA)["records"]]
    return [item for item in items if item.get("DOI")]  # Crossref has no work without one


def notice_of(target: dict[str, Any], doi: str, kind: str = "retraction") -> dict[str, Any]:
    """A notice item (as the public data file has it) that updates ``target``."""
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [f"{kind.title()}: {target['title'][0]}"],
        "container-title": target.get("container-title", []),
        "issued": {"date-parts": [[2020, 1, 1]]},
        "update-to": [
            {
                "DOI": target["DOI"],
                "type": kind,
                "label": kind.title(),
                "source": "publisher",
                "updated": {"date-parts": [[2020, 1, 1]]},
            }
        ],
    }


def preprint_of(target: dict[str, Any], doi: str) -> dict[str, Any]:
    """A posted-content record naming ``target`` as its published version."""
    item = copy.deepcopy(target)
    item.update(
        {
            "DOI": doi,
            "type": "posted-content",
            "issued": {"date-parts": [[2011, 6, 1]]},
            "relation": {"is-preprint-of": [{"id-type": "doi", "id": target["DOI"]}]},
        }
    )
    item.pop("container-title", None)
    return item


def write_gz(path: Path, payload: Any) -> Path:
    path.write_bytes(gzip.compress(json.dumps(payload).encode("utf-8")))
    return path


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A folder with a gzipped public-data-file batch, a saved API answer (plain JSON)
    and a gzipped OpenAlex JSON Lines file."""
    folder = tmp_path / "sources"
    folder.mkdir()
    write_gz(folder / "0.json.gz", {"items": matching_items()})
    (folder / "1.json").write_text(
        json.dumps({"status": "ok", "message": {"items": real_items()}}), encoding="utf-8"
    )
    work = load("openalex_work_peerj.json", RESOLVE_DATA)
    (folder / "works.jsonl.gz").write_bytes(gzip.compress((json.dumps(work) + "\n").encode()))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.load(
        env={},
        config_file=tmp_path / "none.toml",
        cache=False,
        cache_dir=tmp_path / "cache",
        enrich_pubmed=False,
        enrich_openalex=False,
    )
