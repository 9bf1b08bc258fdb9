"""A snapshot build that cannot write (issue 27 audit): a full disk under the search index
is one OutputError naming the folder, never tantivy's bare ValueError; the Parquet files
of a shared snapshot are readable by other accounts, as a new file is under the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

import mesorefs.snapshot.index as index_module
from mesorefs.errors import OutputError
from mesorefs.outputs import replacing
from mesorefs.snapshot import build_snapshot
from mesorefs.snapshot.index import IndexedRecord, build_index

FULL = "An IO error occurred: 'No space left on device (os error 28)'"


class _FailingWriter:
    """tantivy's writer on a full disk, at the step ``fails``."""

    def __init__(self, fails: str) -> None:
        self.fails = fails

    def _maybe(self, step: str) -> None:
        if step == self.fails:
            raise ValueError(FULL)

    def add_document(self, document: Any) -> None:
        self._maybe("add")

    def commit(self) -> None:
        self._maybe("commit")

    def wait_merging_threads(self) -> None:
        self._maybe("merge")


class _FailingIndex:
    fails = "commit"

    def __init__(self, schema: Any, path: str) -> None:
        if self.fails == "open":
            raise ValueError(FULL)

    def writer(self, **kwargs: Any) -> _FailingWriter:
        return _FailingWriter(self.fails)


@pytest.mark.parametrize("step", ["open", "add", "commit", "merge"])
def test_a_failing_index_write_is_one_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Whichever tantivy step fails to write, the error is an OutputError naming the folder
    and the cause (the CLI prints it as one line, exit 2)."""
    failing = type("Failing", (_FailingIndex,), {"fails": step})
    monkeypatch.setattr(index_module.tantivy, "Index", failing)
    folder = tmp_path / "index" / "crossref-x"
    records = [IndexedRecord("k", "10.1/x", "a title", "{}")]
    with pytest.raises(OutputError, match="No space left on device") as raised:
        build_index(folder, records)
    assert str(folder) in str(raised.value) and "\n" not in str(raised.value)


def test_a_damaged_record_is_not_taken_for_a_write_failure(tmp_path: Path) -> None:
    """A ValueError from the records themselves is not turned into a write error."""

    def records() -> Any:
        yield IndexedRecord("k", None, "t", "{}")
        raise ValueError("a record we could not read")

    with pytest.raises(ValueError, match="could not read") as raised:
        build_index(tmp_path / "index", records())
    assert not isinstance(raised.value, OutputError)


@pytest.mark.parametrize("mask", [0o022, 0o077], ids=["umask-022", "umask-077"])
def test_replacing_gives_a_new_file_the_umask_mode(tmp_path: Path, mask: int) -> None:
    """A file written through ``replacing`` gets 0666 less the umask (it was always 0600)."""
    old = os.umask(mask)
    try:
        with replacing(tmp_path / "part.parquet") as temp:
            Path(temp).write_bytes(b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "part.parquet").stat().st_mode) == 0o666 & ~mask


def test_a_built_snapshot_is_readable_by_others(sources: Path, tmp_path: Path) -> None:
    """Under umask 022 every file of a new snapshot is 0644 (partitions, versions, updates,
    manifest and index), so another account can read a shared snapshot."""
    old = os.umask(0o022)
    try:
        build_snapshot([sources], tmp_path / "snap", partitions=2)
    finally:
        os.umask(old)
    modes = {
        str(p.relative_to(tmp_path / "snap")): stat.S_IMODE(p.stat().st_mode)
        for p in (tmp_path / "snap").rglob("*")
        if p.is_file()
    }
    assert any(name.endswith(".parquet") for name in modes)
    assert {name: oct(m) for name, m in modes.items() if m != 0o644} == {}
