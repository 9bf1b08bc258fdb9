"""Snapshots (issue 27, second audit): a build on a full disk, and who may read the result.

``snapshot-full-disk`` mounts a 256 KiB tmpfs inside its temporary folder (root only;
unmounted before it returns) and builds a snapshot into it: the Parquet files fit, the
search index does not.  Where no tmpfs can be mounted, a file-size limit stands in.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from benchmarks.safety.case import Case, Result, one_line_error

ROOT = Path(__file__).resolve().parents[2]
MESOREFS = [sys.executable, "-m", "mesorefs.cli"]
ITEMS = ROOT / "tests" / "snapshot" / "data" / "matching_items.json"


def _source(tmp: Path, copies: int = 5) -> Path:
    items = json.loads(ITEMS.read_text(encoding="utf-8"))["items"]
    path = tmp / "src.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"items": items * copies}).encode()))
    return path


def _full_disk(tmp: Path) -> Result:
    source = _source(tmp)
    small = tmp / "small"
    small.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        command = [*MESOREFS, "snapshot", "build", str(source), "-o", str(small / "snap")]
        if not mounted:  # a file-size limit as the full disk
            script = (
                "import resource, sys\n"
                "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
                "from mesorefs.cli import main\n"
                "sys.argv[0] = 'mesorefs'\n"
                "main()\n"
            )
            command = [sys.executable, "-c", script, *command[3:]]
        done = subprocess.run(
            [*command, "--partitions", "4"], capture_output=True, text=True, timeout=240
        )
    finally:
        if mounted:
            subprocess.run(["umount", str(small)], capture_output=True)
    held = one_line_error(done)
    how = "tmpfs" if mounted else "file-size limit"
    tail = done.stderr.strip().splitlines()[-1:] or [""]
    return Result(held, f"{how}: exit {done.returncode}; {tail[0][-110:]}")


def _modes(tmp: Path) -> Result:
    source = _source(tmp, copies=1)
    snap = tmp / "snap"
    old = os.umask(0o022)
    try:
        done = subprocess.run(
            [*MESOREFS, "snapshot", "build", str(source), "-o", str(snap), "--partitions", "2"],
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        os.umask(old)
    wrong = {
        str(p.relative_to(snap)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in snap.rglob("*")
        if p.is_file() and stat.S_IMODE(p.stat().st_mode) != 0o644
    }
    held = done.returncode == 0 and not wrong
    return Result(held, f"exit {done.returncode}; files not 0644: {sorted(wrong.items())[:4]}")


CASES = [
    Case(
        "snapshot-full-disk",
        "snapshot build onto a full disk: one-line error, exit 2 (tantivy's ValueError was a "
        "traceback)",
        _full_disk,
        seconds=240,
    ),
    Case(
        "snapshot-parquet-mode",
        "snapshot build under umask 022: Parquet files 0644, readable by the accounts sharing it "
        "(they were 0600)",
        _modes,
        seconds=240,
    ),
]
