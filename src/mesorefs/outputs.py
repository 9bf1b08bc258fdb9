"""Where mesorefs writes: every file it writes and its standard output, through one path.

A regular file is replaced whole (readers see the old file or the new one) and keeps its
mode, owner, group and extended attributes; a FIFO, a device or a descriptor (``/dev/stdout``,
``/dev/fd/N``) is written through, as a shell redirect writes it; a folder, a block device or
a socket is refused.  The only files mesorefs ever deletes beside an output are its own
temporary files: named ``.NAME.mesorefs-tmp-PID-TOKEN.tmp``, owned by this user, and
left by a process that no longer runs.  Every failure is one :class:`OutputError`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

from mesorefs.errors import OutputError

__all__ = [
    "atomic_write_text",
    "cache_file_problem",
    "open_cache_file",
    "replacing",
    "temp_name",
    "write_bytes",
    "write_cache_file",
    "write_stdout",
]

_MARKER = "mesorefs-tmp"
_NAME_CHARS = 100
"""The temporary name repeats at most this much of the output's name (names end at 255 bytes)."""
_PID_MAX = 4_194_304
"""Linux's highest possible process id; a larger number in a name was not written by us."""
_umask_lock = threading.Lock()


def _current_umask() -> int:
    with _umask_lock:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def temp_name(name: str, pid: int, token: str) -> str:
    """The name of a temporary file of ours for the output called ``name``."""
    return f".{name[:_NAME_CHARS]}.{_MARKER}-{pid}-{token}.tmp"


def _temp_pattern(name: str) -> re.Pattern[str]:
    """Exactly the names :func:`temp_name` gives for ``name``, the pid captured."""
    stem = re.escape(name[:_NAME_CHARS])
    return re.compile(rf"\.{stem}\.{_MARKER}-([1-9][0-9]{{0,6}})-[0-9a-f]{{16}}\.tmp")


def _writer_is_gone(pid: int) -> bool:
    """Has the process that named a temporary file ``pid`` ended (killed while writing)?"""
    if pid == os.getpid() or not 0 < pid <= _PID_MAX:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def _remove_stale_temporaries(directory: str, name: str) -> None:
    """Delete the temporary files an interrupted write of ``name`` left in ``directory``:
    only names of our exact pattern, regular files of this user, whose writer is gone."""
    pattern = _temp_pattern(name)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not _writer_is_gone(int(match.group(1))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
                os.unlink(entry.path)
        except OSError:
            continue


def _through_proc(path: str) -> str | None:
    """The /proc name ``path`` reaches its file through (``/dev/stdout``, ``/dev/fd/3``), or
    None.  Such a name is an open descriptor, not a place in a folder: it is written
    through."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        parent = os.path.realpath(os.path.dirname(current))
        current = os.path.join(parent, os.path.basename(current))
        if parent == "/proc" or parent.startswith("/proc/"):
            return current
        if not os.path.islink(current):
            return None
        current = os.path.join(parent, os.readlink(current))
    return None


def _own_descriptor(proc_name: str) -> int | None:
    """The descriptor number when ``proc_name`` is one of this process's own
    (``/proc/PID/fd/N``): written with that descriptor, as a shell writes ``/dev/fd/N``, so
    its offset and append mode hold (reopening would start at byte 0)."""
    match = re.fullmatch(rf"/proc/{os.getpid()}/fd/([0-9]+)", proc_name)
    return int(match.group(1)) if match else None


def _is_stdout(info: os.stat_result) -> bool:
    """Is ``info`` the file our standard output writes to?"""
    stream = sys.stdout
    try:
        mine = os.fstat(stream.fileno()) if stream is not None else None
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        return False
    return mine is not None and (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output and flush it.

    A real descriptor is written with ``os.write`` until every byte is taken: Python's
    buffered stream can report a write as done when a pipe took only part of it.  A
    closed standard output (``>&-``) or a failed write is an :class:`OutputError`; a
    reader that went away raises BrokenPipeError, for the caller's quiet exit.
    """
    stream = sys.stdout
    if stream is None or stream.closed:
        raise OutputError("standard output is closed; nothing was written (use -o FILE)")
    try:
        stream.flush()  # what was written before goes first
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):  # not a descriptor (a test's capture)
            stream.write(text)
            stream.flush()
            return
        _write_all(fd, text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", "<stdout>") from None
    except ValueError as error:  # I/O operation on closed file
        raise OutputError(f"cannot write: {error}", "<stdout>") from None


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as :func:`write_bytes` does."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path``: nothing but ``path`` changes, and a failure is one error.

    * A new or ordinary file is written to a temporary file beside it and renamed over it,
      so readers see the old file or the new one, never half; a failure (full disk,
      permission) leaves the old file as it was.  The new file keeps the old one's mode,
      owner and group (when this user may set them) and extended attributes (ACLs
      included, where the file system keeps them); a new file gets 0666 less the umask.
    * A symlink is written through: the file it points to is replaced, the link stays.
    * A file with more than one hard link is rewritten in place (the same inode), so
      every name of it sees the new text, as editors that keep links do.  Renaming would
      silently leave the other names with the old text.  The space is reserved before
      the first byte is written, so a full disk still leaves the file as it was; a crash
      in the middle of the write can leave it half written.
    * A FIFO, a character device (``/dev/null``, a terminal) or another name under /proc
      is opened and written, as a shell redirect would.  A descriptor of this process
      (``/dev/stdout``, ``/dev/fd/N``) is written with that descriptor, so the offset and
      append mode the shell gave it hold; our own standard output is written as
      standard output.
    * A folder, a block device or a socket is refused.
    """
    name = os.fspath(path)
    try:
        info: os.stat_result | None = os.stat(name)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", name) from None
    if info is not None and _is_stdout(info):
        write_stdout(data.decode("utf-8"))
        return
    try:
        proc = _through_proc(name) if info is not None else None
        own = _own_descriptor(proc) if proc is not None else None
        if info is None:
            _replace(os.path.realpath(name), data, None)
        elif stat.S_ISDIR(info.st_mode):
            raise OutputError("is a folder, not a file", name)
        elif own is not None:
            _write_all(own, data)
        elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode) or proc is not None:
            _write_through(name, data)
        elif not stat.S_ISREG(info.st_mode):
            raise OutputError("is a block device or a socket, not a file", name)
        elif info.st_nlink > 1:
            _write_in_place(name, data)
        else:
            _replace(os.path.realpath(name), data, info)
    except OutputError:
        raise
    except BrokenPipeError:  # a FIFO whose reader went away
        raise OutputError("cannot write: its reader went away", name) from None
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", name) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_through(name: str, data: bytes) -> None:
    """Open and write, as ``> name`` does (a FIFO waits for its reader)."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_in_place(name: str, data: bytes) -> None:
    """Rewrite the file's own inode: reserve the space, write, cut to the new length."""
    fd = os.open(name, os.O_WRONLY | os.O_CLOEXEC)
    try:
        if data and hasattr(os, "posix_fallocate"):  # not on macOS: written unreserved
            try:
                os.posix_fallocate(fd, 0, len(data))
            except OSError as error:
                if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_temp(directory: str, name: str) -> tuple[int, str]:
    """A new temporary file of ours beside ``name`` (mode 0600 until it is filled)."""
    for _ in range(100):
        temp = os.path.join(directory, temp_name(name, os.getpid(), os.urandom(8).hex()))
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", directory)


def _keep_metadata(fd: int, target: str, info: os.stat_result) -> None:
    """Give the new file (open as ``fd``) the owner, group, extended attributes and mode of
    the file it replaces, each as far as this user may."""
    if (info.st_uid, info.st_gid) != (os.fstat(fd).st_uid, os.fstat(fd).st_gid):
        try:
            os.chown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            with suppress(PermissionError):  # a user may still give it one of their groups
                os.chown(fd, -1, info.st_gid)
    try:  # Linux only: elsewhere there is no os.listxattr
        names = os.listxattr(target) if hasattr(os, "listxattr") else []
    except OSError:  # not supported by this file system
        names = []
    for attribute in names:
        try:
            os.setxattr(fd, attribute, os.getxattr(target, attribute))
        except OSError:  # a namespace this user may not write, or unsupported
            continue
    os.chmod(fd, stat.S_IMODE(info.st_mode))  # last: chown clears the set-id bits


def _replace(target: str, data: bytes, info: os.stat_result | None) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``."""
    directory, name = os.path.split(target)
    directory = directory or "."
    _remove_stale_temporaries(directory, name)
    fd, temp = _create_temp(directory, name)
    try:
        try:
            _write_all(fd, data)
            if info is None:
                os.chmod(fd, 0o666 & ~_current_umask())
            else:
                _keep_metadata(fd, target, info)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _cache_file_of_ours(info: os.stat_result) -> bool:
    """A regular file of this user (not a link, FIFO, device or folder)."""
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()


def cache_file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` may not be used as a file of a cache of ours (None: missing, or a
    regular file of this user).  A symlink, a FIFO, a device, a folder or another user's
    file planted under a cache's name is never opened, written or moved."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return str(error.strerror or error)
    if _cache_file_of_ours(info):
        return None
    return "not a regular file of this user (a link, FIFO, device, folder or another's file)"


def open_cache_file(path: str | os.PathLike[str]) -> BinaryIO | None:
    """``path`` opened for reading when it is a file a cache of ours may have written (a
    regular file of this user, not reached through a symlink); None for anything else
    (missing, a link, a FIFO, a device, a folder, another user's file), which a cache
    treats as a miss.  Opening never waits (a FIFO is not read)."""
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not _cache_file_of_ours(os.fstat(fd)):
            os.close(fd)
            return None
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None


def write_cache_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write one file of a cache folder of ours: a new file, renamed over the name.

    Unlike :func:`write_bytes` (for the files a user names), nothing is written through: a
    symlink, a FIFO, a device, a folder or another user's file in its place is left alone
    and refused with an :class:`OutputError`, so a name planted in a cache folder cannot
    make mesorefs write anywhere else.  A hard-linked file of ours is replaced by a new
    file under this name only.
    """
    name = os.fspath(path)
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", name) from None
    if info is not None and not _cache_file_of_ours(info):
        raise OutputError("not a regular file of this user; left alone", name)
    try:
        _replace(name, data, None)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", name) from None


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary file's path beside ``path``, for a writer that wants a path (pyarrow);
    renamed over ``path`` when the block ends, deleted when it fails.

    For files that are ours alone (a snapshot's partitions): no metadata is carried over,
    and the file gets 0666 less the umask, as a new file does (readable by the other
    accounts that share a snapshot under the usual umask).
    """
    directory, name = os.path.split(os.fspath(path))
    directory = directory or "."
    _remove_stale_temporaries(directory, name)
    fd, temp = _create_temp(directory, name)
    os.close(fd)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_current_umask())
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
