"""Fixtures for the claim checker: the seed article and its references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesorefs.claims.encoder import OnnxEncoder
from mesorefs.claims.retrieve import default_encoder
from mesorefs.models import PartialDate, Person, Reference

DATA = Path(__file__).parent / "data"


def seed_references() -> list[Reference]:
    """The seed article's seven references, with our notes on each as ``annote``."""
    rows = json.loads((DATA / "seed_references.json").read_text(encoding="utf-8"))
    return [
        Reference(
            key=row["key"],
            title=row["title"],
            authors=[Person(**a) for a in row["authors"]],
            issued=PartialDate(year=row["year"]),
            annote=row["annote"],
        )
        for row in rows
    ]


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The text of the first user's article."""
    return (DATA / "seed_article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_refs() -> list[Reference]:
    """The seed references."""
    return seed_references()


@pytest.fixture(scope="session")
def dense_encoder() -> OnnxEncoder:
    """The shipped int8 MiniLM encoder, loaded once for the whole test session."""
    encoder = default_encoder()
    if not isinstance(encoder, OnnxEncoder):
        pytest.skip("int8 MiniLM model or onnxruntime/tokenizers not installed")
    return encoder
