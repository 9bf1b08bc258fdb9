"""What a snapshot folder holds, and which of it mesorefs may touch (pure but for the disk).

Every path mesorefs reads from its own data files (the manifest's ``indexes``) is
checked before it is used: it must be ``index/<source>-<build id>``, a name mesorefs
makes, and lie inside the snapshot folder.  Anything else is a damaged manifest (a
one-line error naming the file and the key), never a path to open or delete.

Deleting only ever happens to an index folder mesorefs made: one of that name, directly
under the snapshot's ``index/`` folder (not a link), holding the marker file written
when the folder was made (:data:`MARKER`).  A build holds the snapshot's lock
(:data:`LOCK`) from start to end, so an index folder that no manifest names while the
lock is held is an orphan of a build that was killed, and is removed; so is a staging
folder (``.staging-<8 hex>``, with the marker) a killed build left.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mesorefs.errors import InputError

__all__ = [
    "FORMAT",
    "LOCK",
    "MANIFEST",
    "MARKER",
    "MAX_PARTITIONS",
    "SOURCES",
    "VERSIONS",
    "Manifest",
    "build_lock",
    "index_folder",
    "make_index_folder",
    "make_staging_folder",
    "match_marker_mode",
    "orphan_indexes",
    "parse_manifest",
    "read_manifest",
    "remove_index",
    "remove_orphan_staging",
]

MANIFEST = "manifest.json"
VERSIONS = "versions.parquet"
LOCK = ".build.lock"
MARKER = ".mesorefs-index"
FORMAT = 1
MAX_PARTITIONS = 4096
SOURCES = ("crossref", "openalex")
_INDEX = re.compile(r"index/(crossref|openalex)-\d{8}T\d{6}-[0-9a-f]{6}")
_STAGING = re.compile(r"\.staging-[0-9a-f]{8}")
_MAX_MANIFEST_BYTES = 1 << 20


@dataclass(frozen=True)
class Manifest:
    """A snapshot's manifest, every value checked."""

    partitions: int
    records: int = 0
    indexes: dict[str, str] = field(default_factory=dict)
    """Source -> its index folder, relative to the snapshot (``index/<source>-<id>``)."""
    built: str = ""


def index_folder(source: str, build_id: str) -> str:
    """The index folder of ``source`` made by the build ``build_id`` (relative)."""
    folder = f"index/{source}-{build_id}"
    if not _INDEX.fullmatch(folder):
        raise ValueError(f"not an index folder name mesorefs makes: {folder!r}")
    return folder


def _damaged(where: str, key: str, problem: str) -> InputError:
    return InputError(f"damaged snapshot manifest: {key!r} {problem}", where)


def parse_manifest(text: str, where: str) -> Manifest:
    """The manifest in ``text`` (read from ``where``); InputError naming the key that is
    missing or wrong."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"damaged snapshot manifest: not JSON ({exc})", where) from None
    if not isinstance(data, dict):
        raise InputError("damaged snapshot manifest: not a JSON object", where)
    if data.get("format") != FORMAT:
        raise InputError("not a snapshot of this version of mesorefs", where)
    partitions = data.get("partitions")
    if (
        not isinstance(partitions, int)
        or isinstance(partitions, bool)
        or not 1 <= partitions <= MAX_PARTITIONS
    ):
        raise _damaged(where, "partitions", f"is not a whole number from 1 to {MAX_PARTITIONS}")
    records = data.get("records", 0)
    if not isinstance(records, int) or isinstance(records, bool) or records < 0:
        raise _damaged(where, "records", "is not a count")
    indexes = data.get("indexes", {})
    if not isinstance(indexes, dict):
        raise _damaged(where, "indexes", "is not an object")
    for source, folder in indexes.items():
        if source not in SOURCES:
            raise _damaged(where, f"indexes.{source}", "is not a source mesorefs knows")
        if (
            not isinstance(folder, str)
            or not _INDEX.fullmatch(folder)
            or not folder.startswith(f"index/{source}-")
        ):
            raise _damaged(where, f"indexes.{source}", "is not an index folder inside the snapshot")
    built = data.get("built", "")
    return Manifest(partitions, records, dict(indexes), built if isinstance(built, str) else "")


def read_manifest(root: Path) -> Manifest | None:
    """The manifest of the local snapshot at ``root``; None when it has none."""
    path = root / MANIFEST
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"unreadable snapshot manifest: {reason}", str(path)) from None
    if len(raw) > _MAX_MANIFEST_BYTES:
        raise InputError("damaged snapshot manifest: larger than 1 MiB", str(path))
    return parse_manifest(raw.decode("utf-8", errors="replace"), str(path))


def make_index_folder(root: Path, folder: str) -> Path:
    """Create the (new) index folder ``folder`` of ``root`` with its marker."""
    if not _INDEX.fullmatch(folder):
        raise ValueError(f"not an index folder name mesorefs makes: {folder!r}")
    path = root / folder
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by mesorefs snapshot build\n", encoding="utf-8")
    return path


def match_marker_mode(path: Path) -> None:
    """Give every file under the index folder ``path`` the mode its marker file got (the
    mode the umask gives a new file: 0644 under umask 022), so a snapshot shared with
    other accounts can be read by them (tantivy makes some of its files 0600)."""
    mode = stat.S_IMODE(os.lstat(path / MARKER).st_mode)
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            os.chmod(item, mode)


def make_staging_folder(root: Path, name: str) -> Path:
    """Create the build's staging folder ``name`` (``.staging-<8 hex>``) with its marker."""
    if not _STAGING.fullmatch(name):
        raise ValueError(f"not a staging folder name mesorefs makes: {name!r}")
    path = root / name
    path.mkdir()
    (path / MARKER).write_text("made by mesorefs snapshot build\n", encoding="utf-8")
    return path


def remove_orphan_staging(root: Path) -> list[str]:
    """Remove the staging folders killed builds left in ``root`` (call it only with the
    build lock held); their names."""
    removed = []
    for path in sorted(root.glob(".staging-*")):
        if _STAGING.fullmatch(path.name) and _owned(root, path.name) is not None:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _owned(root: Path, folder: str) -> Path | None:
    """The index folder ``folder`` (or a staging folder) of ``root`` when mesorefs made
    it (see the module)."""
    if _INDEX.fullmatch(folder):
        parent = root / "index"
        path = parent / folder.removeprefix("index/")
    elif _STAGING.fullmatch(folder):
        parent = root
        path = root / folder
    else:
        return None
    try:
        if parent.is_symlink() or not stat.S_ISDIR(os.lstat(path).st_mode):
            return None
        if not stat.S_ISREG(os.lstat(path / MARKER).st_mode):
            return None
    except OSError:
        return None
    inside = os.path.realpath(root)
    if os.path.commonpath([inside, os.path.realpath(path)]) != inside:
        return None
    return path


def remove_index(root: Path, folder: str) -> bool:
    """Delete the index folder ``folder`` of ``root`` if mesorefs made it; whether it did."""
    path = _owned(root, folder)
    if path is None:
        return False
    shutil.rmtree(path, ignore_errors=True)
    return True


def orphan_indexes(root: Path, keep: set[str]) -> list[str]:
    """Index folders of ``root`` mesorefs made that are not in ``keep`` (call it only
    with the build lock held)."""
    parent = root / "index"
    if parent.is_symlink() or not parent.is_dir():
        return []
    names = sorted(f"index/{p.name}" for p in parent.iterdir())
    return [n for n in names if n not in keep and _owned(root, n) is not None]


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the snapshot's build lock; InputError when another build holds it."""
    path = root / LOCK
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        raise InputError(f"cannot lock the snapshot: {exc.strerror or exc}", str(path)) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError("another build is writing this snapshot", str(root)) from None
        yield
    finally:
        os.close(descriptor)
