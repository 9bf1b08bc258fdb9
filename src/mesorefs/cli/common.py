"""What every command shares: one-line errors, reading inputs, writing outputs through
:mod:`mesorefs.outputs`, JSON, progress on stderr, exit codes."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from mesorefs.errors import InputError, MesorefsError
from mesorefs.escape import terminal_json, terminal_text
from mesorefs.outputs import atomic_write_text, write_stdout

if TYPE_CHECKING:  # the library loads in the commands that use it: `--version` stays quick
    from pathlib import Path

    from mesorefs.library import Library
    from mesorefs.settings import Settings
from mesorefs.textfile import MAX_INPUT_BYTES, decode_text, read_text_file

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer killed by it
EXIT_INTERRUPTED = 130  # 128 + SIGINT
_log = logging.getLogger("mesorefs.cli")
_FORMATS = ("bibtex", "csl-json", "ris")


def _echo(message: str, err: bool = False, nl: bool = True) -> None:
    """A message or result for a person: control characters shown, never obeyed; standard
    output goes through :func:`write_stdout`, so a write that fails is never silent."""
    text = terminal_text(message) + ("\n" if nl else "")
    if err:
        click.echo(text, err=True, nl=False)
    else:
        write_stdout(text)


def _echo_json(text: str) -> None:
    """JSON with every control character escaped (the same data) on standard output."""
    write_stdout(terminal_json(text) + "\n")


def _cell(text: object) -> str:
    """Untrusted text for a rich table or line: controls shown, ``[bold]`` kept as text."""
    from rich.markup import escape

    return escape(terminal_text(str(text)))


def _fail(message: str) -> None:
    _echo(f"mesorefs: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _broken_pipe() -> None:
    """The reader of standard output went away: stop quietly, as ``head`` expects.

    Standard output is pointed at /dev/null so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(EXIT_BROKEN_PIPE)


def friendly_errors(func: F) -> F:
    """Turn mesorefs' own errors into one line and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _broken_pipe()
        except MesorefsError as error:
            _fail(str(error))
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            _fail(f"{where}{error.strerror or error}")

    return wrapper  # type: ignore[return-value]


def _read_stdin() -> bytes:
    """Standard input as bytes; InputError when it is closed or unreadable."""
    stream = sys.stdin
    if stream is None or stream.closed:
        raise InputError("standard input is closed: give a FILE instead of -")
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            data: bytes = buffer.read(MAX_INPUT_BYTES + 1)
            return data
        return stream.read(MAX_INPUT_BYTES + 1).encode("utf-8", "surrogateescape")
    except (OSError, ValueError) as error:  # EBADF, or "I/O operation on closed file"
        raise InputError(f"cannot read standard input ({error})") from None


def _read_text(source: str, encoding: str | None = None) -> tuple[str, str]:
    """Text from a path or ``-`` (stdin), and the name to report it under."""
    if source == "-":
        return decode_text(_read_stdin(), "<stdin>", encoding), "<stdin>"
    return read_text_file(source, encoding), source


def _read_library(source: str, format: str | None = None, text: str | None = None) -> Library:
    """The library in ``source`` (``-``: stdin, BibTeX unless ``format`` says); ``text`` when
    the caller has read the file already (a FIFO can be read only once)."""
    from mesorefs.library import Library, library_format

    if source == "-":
        if text is None:
            text, _ = _read_text("-")
        library = Library.loads(text, format or "bibtex", "<stdin>")
    elif text is None:
        library = Library.read(source, format)
    else:
        library = Library.loads(text, library_format(source, format), source)
    _long_lived()
    return library


def _long_lived() -> None:
    """What the command has read lives until it ends: keep the garbage collector from
    scanning it again.  Each full collection otherwise walks every object of the library,
    and a long run makes several (resolve --offline of 20,000 items spent 7.6 of its 28
    CPU s there, 40,000 items 15 s)."""
    gc.freeze()


def _write_output(text: str, output: str | None, for_person: bool = False) -> None:
    """``text`` to ``output`` (a path) or standard output (None or ``-``), ending in a
    newline on standard output; ``for_person``: text a person reads, such as a formatted
    bibliography, is made safe for a terminal even when piped."""
    if output in (None, "-"):
        # Data (a .bib, a bibliography) on a terminal: shown, not obeyed; piped, as is.
        on_terminal = sys.stdout is not None and sys.stdout.isatty()
        shown = terminal_text(text) if for_person or on_terminal else text
        write_stdout(shown if shown.endswith("\n") else shown + "\n")
    else:
        atomic_write_text(output, text)


class _Stdout:
    """Standard output for rich: its writes go through :func:`write_stdout`."""

    @property
    def encoding(self) -> str:
        return getattr(sys.stdout, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        write_stdout(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return sys.stdout is not None and sys.stdout.isatty()


def _emit_json(data: dict[str, Any], output: str | None = None) -> None:
    _write_output(terminal_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n", output)


def _example_path(name: str) -> Path:
    from importlib import resources  # here: it imports tempfile and shutil, not needed at start-up
    from pathlib import Path  # here: `tidy` and the other file commands never need it

    return Path(str(resources.files("mesorefs") / "examples" / "mesotherapy" / name))


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if not console.is_terminal or total < 2:
        yield lambda done: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


@contextmanager
def _rows_progress() -> Iterator[Callable[[int, int, int], None]]:
    """A bar of partitions done, with the rows written, on stderr when it is a terminal."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda done, total, rows: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("partitions", total=None)

        def step(done: int, total: int, rows: int) -> None:
            bar.update(task, completed=done, total=total, description=f"{rows:,} rows")

        yield step


class _QuietStderr:
    """Standard error without warnings: lines that start with ``mesorefs: warning:`` (or
    rich's ``warning:``) are dropped, everything else (errors) passes; never a terminal, so
    no progress bar is drawn."""

    _DROP = ("mesorefs: warning:", "warning:")

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._line = ""

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        if not self._line and text.startswith(self._DROP):
            return len(text)  # a whole warning in one write (click.echo), however many lines
        self._line += text
        *lines, self._line = self._line.split("\n")
        for line in lines:
            if not line.startswith(self._DROP):
                self.stream.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        if self._line and not self._line.startswith(self._DROP):
            self.stream.write(self._line)
        self._line = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.stream.fileno()


def report_format_option(schema: str) -> Callable[[F], F]:
    """The ``-f/--format text|json|github`` and ``--json`` options of a report command."""

    def apply(func: F) -> F:
        func = click.option(
            "--json", "as_json", is_flag=True, help=f"Same as --format json ({schema})."
        )(func)
        return click.option(
            "-f",
            "--format",
            "fmt",
            type=click.Choice(["text", "json", "github"]),
            default="text",
            show_default=True,
            help="github: Actions annotations.",
        )(func)

    return apply


def online_settings(
    offline: bool,
    mailto: str | None,
    deadline: float | None,
    snapshot_dir: str | None,
    online_fallback: bool,
) -> Settings:
    """The settings of a command that asks the services (or a snapshot), from its options
    over the environment and config files."""
    from mesorefs.settings import Settings

    return Settings.load(
        offline=offline or None,
        mailto=mailto,
        deadline=deadline,
        snapshot_dir=snapshot_dir,
        online_fallback=online_fallback or None,
    )
