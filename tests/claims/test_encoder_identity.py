"""The encoder's identity from remembered hashes: a rerun need not read the model, and an
edited model file never reuses the vectors of the old one (issue 32)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from mesorefs.claims import encoder as encoder_module
from mesorefs.claims.encoder import MODEL_FILE, TOKENIZER_FILE, OnnxEncoder, file_digest
from mesorefs.claims.vector_store import VectorStore


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    """Stand-ins for the model and tokenizer files (the identity never loads them)."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / MODEL_FILE).write_bytes(b"model bytes " * 1000)
    (folder / TOKENIZER_FILE).write_text('{"vocab": "tokens"}', encoding="utf-8")
    return folder


@pytest.fixture
def settled(monkeypatch: Any) -> None:
    """Files count as settled at once (the tests cannot wait for a clock tick)."""
    monkeypatch.setattr(encoder_module, "SETTLED_NS", -(10**18))


def _identity(folder: Path, store: VectorStore | None) -> bytes:
    return OnnxEncoder(folder, store=store).identity


def _counting(monkeypatch: Any) -> list[Path]:
    """The paths hashed from now on."""
    hashed: list[Path] = []
    real = encoder_module.hash_file

    def counted(path: Path) -> bytes:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(encoder_module, "hash_file", counted)
    return hashed


def test_digest_is_the_files_sha256(model_dir: Path, tmp_path: Path, settled: None) -> None:
    """Remembered or not, the digest is the SHA-256 of the file's bytes."""
    path = model_dir / MODEL_FILE
    expected = hashlib.sha256(path.read_bytes()).digest()
    store = VectorStore(tmp_path / "e.sqlite", 4)
    assert file_digest(path) == expected
    assert file_digest(path, store) == expected
    assert file_digest(path, store) == expected


def test_a_rerun_reads_no_model_file(
    model_dir: Path, tmp_path: Path, settled: None, monkeypatch: Any
) -> None:
    """A second encoder over the same store has the same identity without hashing a file."""
    first = _identity(model_dir, VectorStore(tmp_path / "e.sqlite", 4))
    hashed = _counting(monkeypatch)
    again = _identity(model_dir, VectorStore(tmp_path / "e.sqlite", 4))
    assert again == first
    assert hashed == []


@pytest.mark.parametrize(
    "edit",
    ["same-size-same-mtime", "replaced-by-copy", "tokenizer"],
    ids=["in-place-mtime-restored", "replaced", "tokenizer-edited"],
)
def test_an_edited_file_gives_another_identity(
    model_dir: Path, tmp_path: Path, settled: None, edit: str
) -> None:
    """An edit of the same size whose modification time is set back, or a file replaced
    by another, changes the identity: the old vectors are never reused."""
    store = VectorStore(tmp_path / "e.sqlite", 4)
    before = _identity(model_dir, store)
    path = model_dir / (TOKENIZER_FILE if edit == "tokenizer" else MODEL_FILE)
    info = path.stat()
    data = path.read_bytes()
    changed = data[:-1] + (b"X" if data[-1:] != b"X" else b"Y")
    if edit == "replaced-by-copy":
        other = path.with_suffix(".new")
        other.write_bytes(changed)
        os.replace(other, path)
    else:
        path.write_bytes(changed)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    after = _identity(model_dir, VectorStore(tmp_path / "e.sqlite", 4))
    assert after != before
    assert after == _identity(model_dir, None)  # what hashing the files gives


def test_a_fresh_file_is_not_remembered(model_dir: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """A file changed moments ago is hashed again on the next run (a coarse clock could give
    its next version the same times)."""
    monkeypatch.setattr(encoder_module, "SETTLED_NS", 10**18)
    _identity(model_dir, VectorStore(tmp_path / "e.sqlite", 4))
    hashed = _counting(monkeypatch)
    _identity(model_dir, VectorStore(tmp_path / "e.sqlite", 4))
    assert len(hashed) == 2
