"""Full text is read only from documents the user allowed, and only up to a cap (issue 27)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from mesorefs.claims.evidence import (
    MAX_FULLTEXT_BYTES,
    MAX_FULLTEXT_CHARS,
    passages_for,
    read_full_text,
)
from mesorefs.models import Reference

SECRET = "Injections reduce fat in SECRET7F3A patients."


def _fulltext(base: Path, file_field: str, allowed: list[Path] | None = None) -> list[str]:
    skipped: list[str] = []
    reference = Reference(key="k", type="article-journal", extra={"file": file_field})
    passages = passages_for(reference, base_dir=base, full_text_dirs=allowed, skipped=skipped)
    return [p.text for p in passages if p.field == "fulltext"] + skipped


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(SECRET, encoding="utf-8")
    (home / "id_rsa").write_text(SECRET, encoding="utf-8")
    (home / ".secret.txt").write_text(SECRET, encoding="utf-8")
    (home / ".cache").mkdir()
    (home / ".cache" / "notes.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "shadow.txt").write_text(SECRET, encoding="utf-8")
    (home / "link.txt").symlink_to(tmp_path / "shadow.txt")
    (home / "paper.txt").write_text(SECRET, encoding="utf-8")
    return home


@pytest.mark.parametrize(
    "field",
    [".ssh/id_rsa", "id_rsa", ".secret.txt", ".cache/notes.txt", "../shadow.txt", "link.txt"],
    ids=["hidden-folder", "no-extension", "hidden-file", "hidden-parent", "above", "symlink-out"],
)
def test_file_outside_the_rule_is_not_read(home: Path, field: str) -> None:
    """Hidden files and folders, other kinds of file, and paths leading out are never read."""
    found = _fulltext(home, field)
    assert not any("SECRET7F3A" in text for text in found)
    assert found and "outside the folders full text is read from" in found[-1]


def test_absolute_path_to_a_hidden_file_is_not_read(home: Path) -> None:
    """An absolute path into a hidden folder of the allowed folder is refused too."""
    found = _fulltext(home, str(home / ".ssh" / "id_rsa"))
    assert not any("SECRET7F3A" in text for text in found)


def test_a_document_beside_the_bib_is_read(home: Path) -> None:
    """A .txt in the .bib's folder is full text, as before."""
    assert any("SECRET7F3A" in text for text in _fulltext(home, "paper.txt"))


def test_huge_file_is_read_up_to_the_cap_while_reading(tmp_path: Path) -> None:
    """A 1 GiB (sparse) file costs about MAX_FULLTEXT_BYTES of memory, not the whole file."""
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(b"Injections reduce fat.\n\n")
        handle.truncate(1024**3)
    tracemalloc.start()
    try:
        text = read_full_text(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text is not None and text.startswith("Injections reduce fat.")
    assert len(text) <= MAX_FULLTEXT_CHARS
    assert peak < 8 * MAX_FULLTEXT_BYTES
