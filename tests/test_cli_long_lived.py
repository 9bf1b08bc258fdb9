"""What a command reads is kept out of the garbage collector's rescans (cli/common.py):
a long run's full collections do not walk the whole library again and again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from mesorefs.cli.common import _read_library


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("refs.bib", "@article{a, author={Doe, Jane}, title={Fat}, year={2020}}\n"),
        ("refs.json", '[{"id": "a", "type": "book", "title": "Fat"}]'),
    ],
    ids=["bibtex", "csl-json"],
)
def test_a_read_library_is_frozen(tmp_path: Path, unfrozen: None, name: str, text: str) -> None:
    """After reading, the library's objects sit in the permanent generation."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert gc.get_freeze_count() == 0
    library = _read_library(str(path))
    assert gc.get_freeze_count() > 0
    assert all(o is not library for g in range(3) for o in gc.get_objects(generation=g))
    assert [r.title for r in library.references] == ["Fat"]
