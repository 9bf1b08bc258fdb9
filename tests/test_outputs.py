"""The one writing path (issue 27): what it replaces, writes through, refuses and deletes."""

from __future__ import annotations

import errno
import io
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mesorefs.errors import MesorefsError, OutputError
from mesorefs.outputs import atomic_write_text, replacing, temp_name, write_stdout


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _no_renames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any rename fail loudly, so a test proves nothing was renamed over."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"renamed: {args}")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)


def test_fifo_is_written_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO as output receives the text and stays a FIFO."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    _no_renames(monkeypatch)
    atomic_write_text(fifo, "@misc{a}\n")
    reader.join(timeout=10)
    assert received == [b"@misc{a}\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_character_device_is_written_through(tmp_path: Path) -> None:
    """A character device (a /dev/null node made in tmp) is written, not replaced."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    before = node.lstat()
    atomic_write_text(node, "@misc{a}\n")
    after = node.lstat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_folder_is_refused_and_kept(tmp_path: Path) -> None:
    """A folder as output is one OutputError naming it; the folder and its files stay."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(OutputError, match="is a folder, not a file") as caught:
        atomic_write_text(folder, "x")
    assert "\n" not in str(caught.value) and str(folder) in str(caught.value)
    assert folder.is_dir() and (folder / "keep.txt").read_text() == "mine"


def test_socket_is_refused(tmp_path: Path) -> None:
    """A socket is not something a bibliography is written to: refused, left in place."""
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(OutputError, match="not a file"):
            atomic_write_text(path, "x")
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


@pytest.mark.parametrize(
    "name",
    [
        ".refs.bib.my-backup.tmp",
        ".refs.bib.x9y8z7.tmp",
        ".refs.bib.{dead}.abc123.tmp",
        ".refs.bib.mesorefs-tmp-{dead}-short.tmp",
        ".refs.bib.mesorefs-tmp-{dead}-0123456789abcdef.tmp.orig",
        "refs.bib.mesorefs-tmp-{dead}-0123456789abcdef.tmp",
    ],
    ids=["backup", "old-random", "old-pid", "bad-token", "longer", "not-hidden"],
)
def test_a_users_tmp_file_survives(tmp_path: Path, name: str) -> None:
    """A file beside the output that mesorefs did not name exactly survives, however old."""
    path = tmp_path / "refs.bib"
    path.write_text("old")
    user = tmp_path / name.format(dead=_dead_pid())
    user.write_text("my backup")
    os.utime(user, (0, 0))
    atomic_write_text(path, "new")
    assert user.read_text() == "my backup"
    assert path.read_text() == "new"


def test_our_temporary_of_another_user_survives(tmp_path: Path) -> None:
    """Even a name of our pattern with a dead writer stays when another user owns it."""
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    path = tmp_path / "refs.bib"
    theirs = tmp_path / temp_name("refs.bib", _dead_pid(), "0123456789abcdef")
    theirs.write_text("half")
    os.chown(theirs, 1234, 1234)
    atomic_write_text(path, "new")
    assert theirs.exists()


def test_hard_linked_file_is_rewritten_in_place(tmp_path: Path) -> None:
    """Every name of a hard-linked file sees the new text; the inode and links are kept."""
    path = tmp_path / "refs.bib"
    path.write_text("old text, longer than the new one")
    other = tmp_path / "other-name.bib"
    os.link(path, other)
    inode = path.stat().st_ino
    atomic_write_text(path, "new")
    assert other.read_text() == "new" and path.read_text() == "new"
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-name.bib", "refs.bib"]


def test_hard_linked_file_on_a_full_disk_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the space for the new text cannot be reserved, the linked file is left as it was."""
    path = tmp_path / "refs.bib"
    path.write_text("old")
    os.link(path, tmp_path / "other.bib")

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write_text(path, "new text")
    assert path.read_text() == "old"


@pytest.mark.parametrize(
    "code", [errno.ENOSPC, errno.EFBIG, errno.EACCES, errno.EIO], ids=lambda c: errno.errorcode[c]
)
def test_failed_write_is_one_error_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A write that fails is one OutputError (also an OSError) naming the file; the old file
    stays whole and no temporary file is left."""
    path = tmp_path / "refs.bib"
    path.write_text("old")

    def fail(fd: int, data: object) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", fail)
    with pytest.raises(OutputError) as caught:
        atomic_write_text(path, "new")
    message = str(caught.value)
    assert message == f"{path}: cannot write: {os.strerror(code)}"
    assert isinstance(caught.value, OSError) and isinstance(caught.value, MesorefsError)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_rewrite_keeps_mode_xattr_and_owner(tmp_path: Path) -> None:
    """A replaced file keeps mode 0640, its user.test attribute and (as root) owner 1234."""
    path = tmp_path / "refs.bib"
    path.write_text("old")
    path.chmod(0o640)
    try:
        os.setxattr(path, "user.test", b"kept")
    except OSError:
        pytest.skip("this file system keeps no user attributes")
    as_root = os.geteuid() == 0
    if as_root:
        os.chown(path, 1234, 1235)
    atomic_write_text(path, "new")
    info = path.stat()
    assert path.read_text() == "new" and info.st_nlink == 1
    assert stat.S_IMODE(info.st_mode) == 0o640
    assert os.getxattr(path, "user.test") == b"kept"
    if as_root:
        assert (info.st_uid, info.st_gid) == (1234, 1235)


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    """Writing to a link whose target does not exist yet creates the target; the link stays."""
    link = tmp_path / "link.bib"
    link.symlink_to("real.bib")
    atomic_write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "real.bib").read_text() == "new"


def test_closed_stdout_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """With standard output closed (Python's sys.stdout is None), writing is an OutputError."""
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(OutputError, match="standard output is closed"):
        write_stdout("text\n")


class _FullStream(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_failed_stdout_write_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output on a full disk is one OutputError, not a silent loss."""
    monkeypatch.setattr(sys, "stdout", _FullStream())
    with pytest.raises(OutputError, match="<stdout>: cannot write: No space left on device"):
        write_stdout("text\n")


def test_replacing_cleans_up_after_a_failed_writer(tmp_path: Path) -> None:
    """A writer that fails inside ``replacing`` leaves the old file and no temporary."""
    path = tmp_path / "part-0000.parquet"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(path) as temp:
        Path(temp).write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["part-0000.parquet"]


def test_replacing_renames_a_finished_file_over(tmp_path: Path) -> None:
    """A writer that finishes inside ``replacing`` replaces the file whole."""
    path = tmp_path / "part-0000.parquet"
    path.write_bytes(b"old")
    with replacing(path) as temp:
        Path(temp).write_bytes(b"new")
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["part-0000.parquet"]
