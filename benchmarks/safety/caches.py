"""Caches (issue 27, second audit): names planted in the cache folder.

The cache folder holds files mesorefs names itself (``claims/<hex>.json``,
``bm25/<hex>.npz``, ``embeddings.sqlite``, ``http-cache.sqlite``).  Whatever another
account or an accident puts under one of those names (a symlink to a file outside, a
FIFO, a hard link) must not make a run write outside the folder or wait for ever.
Every case runs ``mesorefs check`` (the bundled example) with ``MESOREFS_CACHE_DIR``
inside its own temporary folder; the "victim" is a file of that folder too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.safety.case import Case, Result

MESOREFS = [sys.executable, "-m", "mesorefs.cli"]
VICTIM = b"root:x:0:0:root:/root:/bin/sh\n"


def _check(cache: Path, timeout: float = 150) -> subprocess.CompletedProcess[str] | None:
    env = {**os.environ, "MESOREFS_CACHE_DIR": str(cache)}
    try:
        return subprocess.run(
            [*MESOREFS, "check"], capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return None


def _filled(tmp: Path) -> tuple[Path, list[Path]]:
    """A cache folder after one run, and its claim and index files."""
    cache = tmp / "cache"
    _check(cache)
    return cache, sorted([*cache.glob("claims/*.json"), *cache.glob("bm25/*.npz")])


def _planted_symlinks(tmp: Path) -> Result:
    cache, files = _filled(tmp)
    victim = tmp / "victim"
    victim.write_bytes(VICTIM)
    for file in files:
        file.unlink()
        file.symlink_to(victim)
    done = _check(cache)
    intact = victim.read_bytes() == VICTIM
    links = all(f.is_symlink() for f in files)
    held = bool(files) and done is not None and done.returncode in (0, 1) and intact and links
    code = "hung" if done is None else done.returncode
    return Result(held, f"{len(files)} links; exit {code}; victim intact {intact}")


def _planted_fifos(tmp: Path) -> Result:
    cache, files = _filled(tmp)
    for file in files:
        file.unlink()
        os.mkfifo(file)
    done = _check(cache, timeout=120)
    code = "hung over 120 s" if done is None else done.returncode
    held = bool(files) and done is not None and done.returncode in (0, 1)
    return Result(held, f"{len(files)} FIFOs; exit {code}")


def _planted_hard_links(tmp: Path) -> Result:
    cache, files = _filled(tmp)
    victim = tmp / "victim"
    victim.write_bytes(VICTIM)
    for file in files:
        file.unlink()
        os.link(victim, file)
    done = _check(cache)
    intact = victim.read_bytes() == VICTIM
    held = bool(files) and done is not None and done.returncode in (0, 1) and intact
    code = "hung" if done is None else done.returncode
    return Result(held, f"{len(files)} hard links; exit {code}; victim intact {intact}")


def _planted_sqlite_links(tmp: Path) -> Result:
    cache, _ = _filled(tmp)
    victim = tmp / "victim.sqlite"
    victim.write_bytes(b"")  # an empty file: SQLite would make its tables in it
    for name in ("embeddings.sqlite", "http-cache.sqlite"):
        (cache / name).unlink(missing_ok=True)
        (cache / name).symlink_to(victim)
    for sub in ("claims", "bm25"):
        for file in (cache / sub).iterdir():
            file.unlink()
    done = _check(cache)
    size = victim.stat().st_size
    held = done is not None and done.returncode in (0, 1) and size == 0
    code = "hung" if done is None else done.returncode
    return Result(held, f"exit {code}; victim is {size} bytes (was 0)")


CASES = [
    Case(
        "cache-planted-symlinks",
        "check: claims/ and bm25/ files that are symlinks to a file outside; it is not written",
        _planted_symlinks,
        seconds=300,
    ),
    Case(
        "cache-planted-fifos",
        "check: claims/ and bm25/ files that are FIFOs; the run ends, nothing waits on them",
        _planted_fifos,
        seconds=300,
    ),
    Case(
        "cache-planted-hard-links",
        "check: claims/ and bm25/ files hard-linked to a file outside; it keeps its text",
        _planted_hard_links,
        seconds=300,
    ),
    Case(
        "cache-planted-sqlite-links",
        "check: embeddings.sqlite a symlink to an empty file outside; SQLite writes nothing there",
        _planted_sqlite_links,
        seconds=300,
    ),
]
