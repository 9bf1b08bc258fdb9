"""Reading source files: the shapes Crossref and OpenAlex ship, and damaged ones."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from mesorefs.snapshot.sources import read_source

from .conftest import RESOLVE_DATA, load, matching_items


def _openalex_lines(count: int) -> list[str]:
    work = load("openalex_work_peerj.json", RESOLVE_DATA)
    lines = []
    for number in range(count):
        copy = dict(work)
        copy["id"] = f"https://openalex.org/W{number + 1}"
        copy["doi"] = f"https://doi.org/10.7717/peerj.{number + 1}"
        lines.append(json.dumps(copy))
    return lines


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        pytest.param("a.json", json.dumps({"items": matching_items()[:5]}), 5, id="one-line"),
        pytest.param(
            "b.json", json.dumps({"items": matching_items()[:5]}, indent=2), 5, id="pretty"
        ),
        pytest.param(
            "c.json",
            json.dumps({"status": "ok", "message": {"items": matching_items()[:3]}}),
            3,
            id="api-envelope",
        ),
        pytest.param("d.json", json.dumps(matching_items()[0], indent=2), 1, id="one-work"),
        pytest.param("e.jsonl", "\n".join(_openalex_lines(4)) + "\n", 4, id="openalex-lines"),
    ],
)
def test_shapes(tmp_path: Path, name: str, payload: str, expected: int) -> None:
    """Each shape gives its works, plain or gzipped."""
    for path, data in (
        (tmp_path / name, payload.encode()),
        (tmp_path / f"{name}.gz", gzip.compress(payload.encode())),
    ):
        path.write_bytes(data)
        result = read_source(str(path))
        assert (result.error, len(result.records)) == (None, expected)


def test_broken_line_late_in_json_lines_drops_the_file(tmp_path: Path) -> None:
    """A JSON Lines file read line by line is still taken whole or not at all."""
    lines = _openalex_lines(50)
    lines[42] = lines[42][:30]
    path = tmp_path / "part_000.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    result = read_source(str(path))
    assert result.error and "JSONDecodeError" in result.error
    assert result.records == [] and result.unusable == 0


def test_items_that_are_not_works_are_counted(tmp_path: Path) -> None:
    """An item without a DOI is counted as unusable, the rest are read."""
    items = [*matching_items()[:3], {"title": ["no DOI"]}]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    result = read_source(str(path))
    assert (len(result.records), result.unusable) == (3, 1)
