"""The commands' output as a shell meets it (issue 27): closed, piped, full, a descriptor."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BIB = (
    "@article{doe2020,\n  author = {Doe, Jane},\n  title = {A Title},\n"
    "  journal = {A Journal},\n  year = {2020},\n}\n"
)
MESOREFS = [sys.executable, "-m", "mesorefs.cli"]


def _bib(tmp_path: Path, entries: int = 1) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text("".join(BIB.replace("doe2020", f"doe{i}") for i in range(entries)))
    return path


@pytest.mark.parametrize(
    "args",
    [["tidy", "{bib}"], ["lint", "{bib}"], ["tidy", "--json", "{bib}"], ["lint", "--list"]],
    ids=["tidy", "lint", "tidy-json", "lint-list"],
)
def test_closed_stdout_is_an_error(tmp_path: Path, args: list[str]) -> None:
    """With standard output closed (``>&-``) a command exits 2 with one line, never 0."""
    bib = _bib(tmp_path)
    command = [a.format(bib=bib) for a in args]
    done = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *MESOREFS, *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == (
        "mesorefs: error: standard output is closed; nothing was written (use -o FILE)"
    )


def test_dev_stdout_into_a_pipe(tmp_path: Path) -> None:
    """``-o /dev/stdout`` into a pipe writes the same text as standard output does."""
    bib = _bib(tmp_path)
    plain = subprocess.run([*MESOREFS, "tidy", str(bib)], capture_output=True, timeout=120)
    through = subprocess.run(
        [*MESOREFS, "tidy", str(bib), "-o", "/dev/stdout"], capture_output=True, timeout=120
    )
    assert through.returncode == 0, through.stderr
    assert through.stdout == plain.stdout and b"@article{doe0," in through.stdout


def test_dev_stdout_appends_to_a_redirected_file(tmp_path: Path) -> None:
    """``-o /dev/stdout >> log`` appends to log, as the shell's redirect asks, not replaces it."""
    bib = _bib(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("% before\n")
    with log.open("a") as handle:
        done = subprocess.run(
            [*MESOREFS, "tidy", str(bib), "-o", "/dev/stdout"], stdout=handle, timeout=120
        )
    assert done.returncode == 0
    text = log.read_text()
    assert text.startswith("% before\n@article{doe0,")


def test_broken_pipe_is_a_quiet_nonzero_exit(tmp_path: Path) -> None:
    """A reader that goes away (``| head``) ends the command quietly with 141, not 0."""
    bib = _bib(tmp_path, entries=2000)
    with subprocess.Popen(
        [*MESOREFS, "tidy", str(bib)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.read(10)
        child.stdout.close()
        error = child.stderr.read()
        code = child.wait(timeout=120)
    assert code == 141
    assert error == b""


def test_file_size_limit_is_one_error_and_keeps_the_file(tmp_path: Path) -> None:
    """``tidy -i`` stopped by a full disk (EFBIG under a file-size limit) exits 2 with one
    line and leaves the file as it was."""
    bib = tmp_path / "refs.bib"
    bib.write_text("".join(BIB.replace("{doe2020,", f"{{ doe{i} ,") for i in range(40)))
    before = bib.read_bytes()
    script = (
        "import resource, sys\n"
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
    assert done.returncode == 2
    assert done.stderr.strip() == f"mesorefs: error: {bib}: cannot write: File too large"
    assert bib.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_fifo_output_is_written_through(tmp_path: Path) -> None:
    """``tidy -o FIFO`` writes into the FIFO's reader and leaves the FIFO a FIFO."""
    bib = _bib(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    with subprocess.Popen([*MESOREFS, "tidy", str(bib), "-o", str(fifo)]) as writer:
        received = fifo.read_bytes()
        code = writer.wait(timeout=120)
    assert code == 0
    assert received.startswith(b"@article{doe0,")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_folder_output_is_refused(tmp_path: Path) -> None:
    """``format -o FOLDER`` is one line and exit 2; the folder stays."""
    bib = _bib(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    done = subprocess.run(
        [*MESOREFS, "tidy", str(bib), "-o", str(folder)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"mesorefs: error: {folder}: is a folder, not a file"
    assert folder.is_dir()


def test_dev_fd_appends_to_its_descriptor(tmp_path: Path) -> None:
    """``-o /dev/fd/3`` with descriptor 3 opened for appending adds to the file, keeps it."""
    bib = _bib(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("% before\n")
    done = subprocess.run(
        ["sh", "-c", '"$@" 3>>"$LOG"', "sh", *MESOREFS, "tidy", str(bib), "-o", "/dev/fd/3"],
        env={**os.environ, "LOG": str(log)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert log.read_text().startswith("% before\n@article{doe0,")
