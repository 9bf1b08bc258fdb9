"""Where snapshots and their sources live: a local path or an fsspec URL.

The only module that imports fsspec.  A snapshot on shared storage (``s3://``,
``gs://``, ``memory://``, ...) is copied once to the local cache, because the search
index is memory-mapped and must sit on a local disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import fsspec

from mesorefs.errors import InputError

__all__ = ["is_url", "list_files", "local_copy", "open_binary", "read_text"]


def is_url(location: str | os.PathLike[str]) -> bool:
    """Does ``location`` name a filesystem other than the local one?"""
    text = str(location)
    return "://" in text and not text.startswith("file://")


def _local(location: str | os.PathLike[str]) -> Path:
    text = str(location)
    return Path(text[len("file://") :] if text.startswith("file://") else text)


_NOT_REGULAR = "not a regular file (a FIFO, device or socket is never read)"


def _open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading when it is a regular file; InputError otherwise.

    Checked before opening (a FIFO is never opened, so it cannot hang the reader) and
    again on what was opened (without blocking), in case it was swapped in between.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise InputError(_NOT_REGULAR, str(path))
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(_NOT_REGULAR, str(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


@contextmanager
def open_binary(location: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """``location`` opened for reading bytes, wherever it is (a local one only when it
    is a regular file: InputError otherwise)."""
    if not is_url(location):
        with _open_regular(_local(location)) as handle:
            yield handle
        return
    with fsspec.open(str(location), "rb") as handle:
        yield handle


def read_text(location: str | os.PathLike[str]) -> str:
    with open_binary(location) as handle:
        return handle.read().decode("utf-8")


def list_files(location: str | os.PathLike[str]) -> list[str]:
    """The files at ``location``: itself, or every file under it, sorted."""
    if not is_url(location):
        path = _local(location)
        if path.is_dir():
            return sorted(str(p) for p in path.rglob("*") if p.is_file())
        if not path.exists():
            raise InputError("no such file or folder", str(path))
        if not path.is_file():
            raise InputError(_NOT_REGULAR, str(path))
        return [str(path)]
    fs, root = fsspec.core.url_to_fs(str(location))
    protocol = str(location).split("://", 1)[0]
    if fs.isdir(root):
        return sorted(f"{protocol}://{p}" for p in fs.find(root))
    return [str(location)]


def local_copy(location: str | os.PathLike[str], folder: str, cache_dir: Path) -> Path:
    """``folder`` of the snapshot at ``location`` as a local directory.

    A local snapshot is used in place; one on other storage is copied once into
    ``cache_dir`` (a folder of a given name never changes, so a copy stays valid).
    """
    if not is_url(location):
        return _local(location) / folder
    digest = hashlib.sha256(str(location).encode("utf-8")).hexdigest()[:16]
    target = cache_dir / "snapshots" / digest / folder
    if target.is_dir():
        return target
    fs, root = fsspec.core.url_to_fs(str(location))
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = f"{root.rstrip('/')}/{folder}"
    for remote in fs.find(source):
        relative = remote[len(source) :].lstrip("/")
        destination = partial / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(remote, str(destination))
    try:
        os.replace(partial, target)
    except OSError:  # another worker put its copy there first
        shutil.rmtree(partial, ignore_errors=True)
    return target
