"""Files (issue 27): write only what was asked, through what it is; delete only our own.

Every case runs the ``mesorefs`` command as a user would, inside the temporary folder it
is given.  The one case that names a system path, ``-o /dev/null``, first proves on a
device node of its own (made in the temporary folder) that the command writes a device
through instead of renaming over it, and touches /dev/null only then.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from benchmarks.safety.case import Case, Result, one_line_error

MESOREFS = [sys.executable, "-m", "mesorefs.cli"]
UNTIDY = (
    "@article{{ doe{i} ,\n  author = {{Doe, Jane}},\n  title = {{A Title {i}}},\n"
    "  journal = {{A Journal}},\n  year = {{2020}},\n}}\n"
)


def _bib(tmp: Path, entries: int = 3, name: str = "refs.bib") -> Path:
    path = tmp / name
    path.write_text("".join(UNTIDY.format(i=i) for i in range(entries)))
    return path


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MESOREFS, *args], capture_output=True, text=True, timeout=120)


def _tidied(tmp: Path, bib: Path) -> str:
    """What ``tidy`` prints for ``bib`` (the text every rewrite must hold)."""
    return _run(["tidy", str(bib)]).stdout


# -- outputs that are not regular files ------------------------------------------------


def output_fifo(tmp: Path) -> Result:
    bib = _bib(tmp)
    fifo = tmp / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = _run(["format", str(bib), "-o", str(fifo)])
    reader.join(timeout=30)
    still_fifo = stat.S_ISFIFO(fifo.lstat().st_mode)
    got = received[0] if received else b""
    held = done.returncode == 0 and still_fifo and b"Doe, J." in got
    return Result(held, f"exit {done.returncode}, FIFO kept: {still_fifo}, read {len(got)} bytes")


def _device_stand_in(tmp: Path) -> tuple[bool, str]:
    """``tidy -o NODE`` where NODE is a /dev/null node made in ``tmp``: written through?"""
    node = tmp / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        return False, "cannot make a device node here (not root)"
    before = node.lstat()
    done = _run(["tidy", str(_bib(tmp)), "-o", str(node)])
    after = node.lstat()
    kept = stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        before.st_ino,
        before.st_rdev,
    )
    return done.returncode == 0 and kept, f"exit {done.returncode}, node kept: {kept}"


def output_char_device(tmp: Path) -> Result:
    held, detail = _device_stand_in(tmp)
    return Result(held, detail)


def output_dev_null(tmp: Path) -> Result:
    safe, detail = _device_stand_in(tmp)
    if not safe:  # never risk the real /dev/null with a build that replaces devices
        return Result(False, f"stand-in failed, /dev/null not tried: {detail}")
    before = os.stat("/dev/null")
    done = _run(["tidy", str(_bib(tmp)), "-o", "/dev/null"])
    after = os.stat("/dev/null")
    kept = stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    return Result(done.returncode == 0 and kept, f"exit {done.returncode}, /dev/null kept: {kept}")


def output_folder(tmp: Path) -> Result:
    folder = tmp / "out"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine")
    done = _run(["format", str(_bib(tmp)), "-o", str(folder)])
    intact = folder.is_dir() and (folder / "mine.txt").read_text() == "mine"
    named = f"{folder}: is a folder" in done.stderr
    return Result(
        one_line_error(done) and named and intact, f"{done.stderr.strip()[:90]}; intact {intact}"
    )


def dev_stdout_pipe(tmp: Path) -> Result:
    bib = _bib(tmp)
    done = _run(["tidy", str(bib), "-o", "/dev/stdout"])
    held = (
        done.returncode == 0
        and done.stdout == _tidied(tmp, bib)
        and "@article{doe0," in done.stdout
    )
    return Result(held, f"exit {done.returncode}, {len(done.stdout)} chars through the pipe")


# -- what a rewrite keeps and deletes --------------------------------------------------


def user_tmp_survives(tmp: Path) -> Result:
    bib = _bib(tmp)
    backups = [tmp / ".refs.bib.my-backup.tmp", tmp / ".refs.bib.12345.abcdef.tmp"]
    for backup in backups:
        backup.write_text("my backup")
        os.utime(backup, (0, 0))  # far older than an hour
    done = _run(["tidy", "-i", str(bib)])
    kept = [b.name for b in backups if b.exists() and b.read_text() == "my backup"]
    return Result(done.returncode == 0 and len(kept) == 2, f"exit {done.returncode}, kept {kept}")


def hard_link(tmp: Path) -> Result:
    bib = _bib(tmp)
    other = tmp / "other-name.bib"
    os.link(bib, other)
    expected = _tidied(tmp, bib)
    inode = bib.stat().st_ino
    done = _run(["tidy", "-i", str(bib)])
    same = bib.stat().st_ino == inode and bib.stat().st_nlink == 2
    both = bib.read_text() == expected and other.read_text() == expected
    return Result(
        done.returncode == 0 and same and both,
        f"exit {done.returncode}; one inode, two links: {same}; both names rewritten: {both}",
    )


def mode_and_xattr(tmp: Path) -> Result:
    bib = _bib(tmp)
    bib.chmod(0o640)
    try:
        os.setxattr(bib, "user.test", b"kept")
    except OSError as error:
        return Result(False, f"this file system keeps no user attributes: {error}")
    done = _run(["tidy", "-i", str(bib)])
    mode = stat.S_IMODE(bib.stat().st_mode)
    attribute = os.getxattr(bib, "user.test") if "user.test" in os.listxattr(bib) else None
    held = done.returncode == 0 and mode == 0o640 and attribute == b"kept"
    return Result(held, f"exit {done.returncode}, mode {mode:o}, user.test {attribute!r}")


def owner_kept(tmp: Path) -> Result:
    if os.geteuid() != 0:
        return Result(False, "needs root to give the file to uid 1234")
    bib = _bib(tmp)
    os.chown(bib, 1234, 1234)
    done = _run(["tidy", "-i", str(bib)])
    info = bib.stat()
    held = done.returncode == 0 and (info.st_uid, info.st_gid) == (1234, 1234)
    return Result(held, f"exit {done.returncode}, owner {info.st_uid}:{info.st_gid}")


def symlink_target(tmp: Path) -> Result:
    real = _bib(tmp, name="real.bib")
    link = tmp / "link.bib"
    link.symlink_to(real.name)
    expected = _tidied(tmp, real)
    done = _run(["tidy", "-i", str(link)])
    held = done.returncode == 0 and link.is_symlink() and real.read_text() == expected
    return Result(held, f"exit {done.returncode}, link kept: {link.is_symlink()}")


# -- honest exit codes -----------------------------------------------------------------


def _closed_stdout(tmp: Path, command: list[str]) -> Result:
    bib = _bib(tmp)
    args = [a.replace("BIB", str(bib)) for a in command]
    done = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *MESOREFS, *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = done.stderr.strip().splitlines()
    held = done.returncode == 2 and lines[-1:] == [
        "mesorefs: error: standard output is closed; nothing was written (use -o FILE)"
    ]
    return Result(held, f"exit {done.returncode}: {lines[-1:]}")


def full_disk(tmp: Path) -> Result:
    bib = _bib(tmp, entries=40)
    before = bib.read_bytes()
    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))\n"
        "from mesorefs.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "tidy", "-i", str(bib)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    untouched = bib.read_bytes() == before
    leftovers = sorted(p.name for p in tmp.iterdir() if p != bib)
    named = f"{bib}: cannot write" in done.stderr
    held = one_line_error(done) and named and untouched and not leftovers
    return Result(held, f"{done.stderr.strip()[-60:]}; untouched {untouched}; left {leftovers}")


def broken_pipe(tmp: Path) -> Result:
    bib = _bib(tmp, entries=3000)
    with subprocess.Popen(
        [*MESOREFS, "tidy", str(bib)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.read(10)
        child.stdout.close()
        error = child.stderr.read().decode()
        code = child.wait(timeout=120)
    held = code not in (0, 2) and "Traceback" not in error and "error" not in error
    return Result(held, f"exit {code}, stderr {error.strip()[:60]!r}")


CASES = [
    Case("files-output-fifo", "format -o FIFO is written through; the FIFO stays", output_fifo),
    Case(
        "files-output-char-device",
        "tidy -o a character device (a /dev/null node in tmp) writes it, never replaces it",
        output_char_device,
    ),
    Case(
        "files-output-dev-null",
        "tidy -o /dev/null as root leaves /dev/null a device (after the stand-in held)",
        output_dev_null,
    ),
    Case("files-output-folder", "format -o FOLDER: one-line error, folder intact", output_folder),
    Case(
        "files-dev-stdout-pipe", "tidy -o /dev/stdout into a pipe writes the text", dev_stdout_pipe
    ),
    Case(
        "files-user-tmp-survives",
        "a user's .refs.bib.*.tmp older than an hour survives tidy -i",
        user_tmp_survives,
    ),
    Case("files-hard-link", "tidy -i on a hard-linked file rewrites every name", hard_link),
    Case("files-mode-xattr", "tidy -i keeps mode 0640 and xattr user.test", mode_and_xattr),
    Case("files-owner", "tidy -i as root keeps owner 1234:1234", owner_kept),
    Case(
        "files-symlink",
        "tidy -i through a symlink replaces the target, keeps the link",
        symlink_target,
    ),
    Case(
        "files-closed-stdout-tidy",
        "tidy with stdout closed: one-line error, exit 2",
        lambda tmp: _closed_stdout(tmp, ["tidy", "BIB"]),
    ),
    Case(
        "files-closed-stdout-format",
        "format with stdout closed: one-line error, exit 2",
        lambda tmp: _closed_stdout(tmp, ["format", "BIB"]),
    ),
    Case(
        "files-closed-stdout-lint",
        "lint with stdout closed: one-line error, exit 2",
        lambda tmp: _closed_stdout(tmp, ["lint", "BIB"]),
    ),
    Case(
        "files-closed-stdout-check",
        "check (the bundled example, a rich table) with stdout closed: one-line error, exit 2",
        lambda tmp: _closed_stdout(tmp, ["check"]),
        seconds=240.0,
    ),
    Case(
        "files-full-disk",
        "tidy -i hitting EFBIG (RLIMIT_FSIZE): one-line error, file untouched, no temporary",
        full_disk,
    ),
    Case("files-broken-pipe", "tidy | (reader leaves): quiet non-zero exit", broken_pipe),
]
