"""verify against a local snapshot: the same outcomes, no service asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs.settings import Settings
from mesorefs.verify import verify_bibliography
from resolve.seed_services import seed_items

from .conftest import bib


@pytest.fixture
def snapshot(tmp_path: Path) -> Settings:
    """Settings that verify against a snapshot of the seed papers' records, offline."""
    from mesorefs.snapshot import build_snapshot

    source = tmp_path / "items.json"
    source.write_text(json.dumps({"items": seed_items()}), encoding="utf-8")
    build_snapshot([source], tmp_path / "snap", partitions=2, threads=1)
    return Settings.load(
        env={},
        config_file=Path("/nonexistent/mesorefs.toml"),
        snapshot_dir=str(tmp_path / "snap"),
        cache_dir=tmp_path / "cache",
        crossref_url="http://127.0.0.1:9",  # nothing listens: any request would fail
    )


def test_outcomes_against_a_snapshot(snapshot: Settings, tmp_path: Path) -> None:
    """Confirmed by DOI, mismatch, not found: from the snapshot alone, naming it."""
    text = (
        bib(
            "rohrich",
            author="Rohrich, R. J.",
            title="Mesotherapy: what is it? Does it work?",
            year=2005,
            doi="10.1097/01.prs.0000162243.34988.90",
        )
        + bib(
            "rotunda",
            author="Rotunda, A. M. and Kolodney, M. S.",
            title="Mesotherapy and phosphatidylcholine injections: historical clarification "
            "and review",
            year=2013,
        )
        + bib("nobody", author="Nobody, A.", title="Quantum gravity of turtles", year=2019)
    )
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    results = verify_bibliography([path], snapshot).results
    assert [r.outcome for r in results] == ["confirmed", "mismatch", "not-found"]
    assert results[0].source == "snapshot (crossref)"
    assert results[1].differences[0].field == "year"
    assert all(s.startswith("snapshot") for s in results[2].searched)
