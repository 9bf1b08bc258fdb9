"""The ``mesorefs`` command: a thin coat over the library.

Exit codes: 0 fine, 1 problems found, 2 usage or input error (an output that cannot
be written included), 141 when the reader of standard output went away (``| head``),
quietly, as a program killed by SIGPIPE.  Every ``MesorefsError`` becomes one line on
stderr; tracebacks are for bugs only.  Every byte of output goes through
:mod:`mesorefs.outputs` (standard output and files alike).
``--json`` output of every command carries a ``schema`` name documented in
docs/cli-json.md.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

import click

from mesorefs import __version__
from mesorefs.errors import InputError, MesorefsError
from mesorefs.escape import terminal_json, terminal_text
from mesorefs.outputs import atomic_write_text, write_stdout

if TYPE_CHECKING:  # the library loads in the commands that use it: `--version` stays quick
    from mesorefs.library import Library
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
        return Library.loads(text, format or "bibtex", "<stdin>")
    if text is None:
        return Library.read(source, format)
    return Library.loads(text, library_format(source, format), source)


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


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: one line and exit 130 (128 + SIGINT).  ``finally`` blocks run (temporary
    files go); a run that has not ended 0.3 s later (a worker thread that will not stop) is
    ended then, and a second Ctrl-C ends it at once."""
    import signal
    import threading

    with suppress(OSError):
        os.write(2, b"mesorefs: interrupted\n")
    signal.signal(signal.SIGINT, lambda *_: os._exit(EXIT_INTERRUPTED))
    timer = threading.Timer(0.3, os._exit, (EXIT_INTERRUPTED,))
    timer.daemon = True
    timer.start()
    raise SystemExit(EXIT_INTERRUPTED)


def _setup_run(ctx: click.Context, *, quiet: bool, verbose: bool) -> None:
    """The run's stderr, logging and Ctrl-C handler; each undone when the command ends."""
    import signal
    import threading
    import warnings

    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, _interrupted)
        if previous is not None:  # None: a handler not set from Python, cannot be put back
            ctx.call_on_close(lambda: signal.signal(signal.SIGINT, previous))
    logger = logging.getLogger("mesorefs")
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mesorefs: %(levelname)s: %(name)s: %(message)s"))
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

        def unlog() -> None:
            logger.removeHandler(handler)
            logger.setLevel(level)

        ctx.call_on_close(unlog)
        _log.info("mesorefs %s: %s", __version__, ctx.invoked_subcommand or "no command")
    if quiet:
        stderr = sys.stderr
        filtered = _QuietStderr(stderr)
        sys.stderr = cast(IO[str], filtered)
        ctx.with_resource(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        level = logger.level
        logger.setLevel(logging.ERROR)

        def unquiet() -> None:
            filtered.flush()
            sys.stderr = stderr
            logger.setLevel(level)

        ctx.call_on_close(unquiet)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mesorefs")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars or warnings on stderr (errors stay)."
)
@click.option("-v", "--verbose", is_flag=True, help="Log what mesorefs does (INFO) to stderr.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Model, tidy, resolve, check and format the references you cite.

    Run `mesorefs check` with no arguments to check the bundled example article
    against its references. Exit codes: 0 fine, 1 problems found, 2 usage or input error,
    130 interrupted (Ctrl-C).
    """
    _setup_run(ctx, quiet=quiet and not verbose, verbose=verbose)
    # bibtexparser logs a multi-line account of each broken block; our own warning
    # already says it in one line, so its records go nowhere.
    silent = logging.getLogger("bibtexparser")
    silent.addHandler(logging.NullHandler())
    silent.propagate = False


# -- parse -----------------------------------------------------------------------------


@main.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("-o", "--output", help="Write here instead of standard output.")
@click.option(
    "-t",
    "--to",
    "to",
    type=click.Choice(["bibtex", "csl-json", "json"]),
    default="bibtex",
    show_default=True,
    help="Output format; json includes per-field confidence and flags.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --to json.")
@friendly_errors
def parse(source: str, output: str | None, to: str, as_json: bool) -> None:
    """Parse free-text references (one per line, numbered, or a document's reference section).

    If the text is a whole document, only its reference section ("References",
    "Bibliography", "Sources & references", ...) is parsed.
    """
    from mesorefs.library import Library
    from mesorefs.parsing import find_reference_section, parse_block

    text, name = _read_text(source)
    if not text.strip():
        raise InputError("empty input: nothing to parse", name)
    block = find_reference_section(text) or text
    parsed = parse_block(block)
    for piece in parsed.unparsed:
        _echo(f"mesorefs: warning: {name}: not parsed ({piece.reason}): {piece.text}", err=True)
    library = Library(parsed.references).with_keys()
    if as_json or to == "json":
        _emit_json(
            {
                "schema": "mesorefs.parse/1",
                "unparsed": [{"text": p.text, "reason": p.reason} for p in parsed.unparsed],
                "references": [
                    {
                        "reference": ref.to_csl(),
                        "truncated": sorted(ref.truncated),
                        "confidence": {
                            k: p.confidence for k, p in ref.provenance.items() if p.confidence
                        },
                        "hints": ref.hints,
                    }
                    for ref in library.references
                ],
            },
            output,
        )
        return
    _write_output(library.dumps(to), output)


# -- tidy ------------------------------------------------------------------------------


@main.command()
@click.argument("sources", nargs=-1, metavar="[FILE...|-]")
@click.option("-o", "--output", help="Write here instead of standard output.")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite each FILE (mode, owner, links kept).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file is not tidy.")
@click.option("--dedupe/--no-dedupe", default=False, help="Merge records of the same work.")
@click.option("--utf8", is_flag=True, help="Keep non-ASCII letters as UTF-8 instead of LaTeX.")
@click.option(
    "--encoding",
    help="Read FILE in this encoding (e.g. latin-1); UTF-8 and UTF-16 are recognised.",
)
@click.option("--json", "as_json", is_flag=True, help="Report what was done as JSON.")
def tidy(
    sources: tuple[str, ...],
    output: str | None,
    in_place: bool,
    check: bool,
    dedupe: bool,
    utf8: bool,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Normalize a .bib: LaTeX, names, pages, months, brace protection, missing keys.

    Broken entries are kept verbatim and reported; existing keys are never renamed.
    Several files (as pre-commit passes them) need -i (rewrite each) or --check (check
    each; exit 1 if any is not tidy).
    """
    options = (output, in_place, check, dedupe, utf8, encoding, as_json)
    if len(sources) <= 1:
        friendly_errors(_tidy_file)(sources[0] if sources else "-", *options)
        return
    if not (in_place or check):
        _fail(f"{len(sources)} files given: use -i to rewrite each or --check to check each")
    if output is not None or as_json:
        _fail("-o and --json take one FILE; run once per file")
    sys.exit(_each_file(sources, lambda source: _tidy_file(source, *options)))


def _each_file(sources: tuple[str, ...], run: Callable[[str], int | None]) -> int:
    """Run a command's work on each file in turn; a file that fails is one error line and
    the next file is done.  The worst exit code (2 > 1 > 0)."""
    worst = EXIT_OK
    for source in sources:
        try:
            status = run(source) or EXIT_OK
        except SystemExit as stop:  # a file's own exit code (1: problems found)
            if stop.code not in (EXIT_PROBLEMS, EXIT_USAGE):
                raise
            status = EXIT_PROBLEMS if stop.code == EXIT_PROBLEMS else EXIT_USAGE
        except BrokenPipeError:
            _broken_pipe()
        except MesorefsError as error:
            click.echo(f"mesorefs: error: {error}", err=True)
            status = EXIT_USAGE
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"mesorefs: error: {where}{error.strerror or error}", err=True)
            status = EXIT_USAGE
        worst = max(worst, status)
    return worst


def _tidy_file(
    source: str,
    output: str | None,
    in_place: bool,
    check: bool,
    dedupe: bool,
    utf8: bool,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Tidy one file (``-``: standard input) as ``mesorefs tidy`` does."""
    from mesorefs.library import Library

    if in_place and source == "-":
        raise InputError("--in-place needs a file, not standard input")
    if source != "-" and Path(source).suffix.lower() not in (".bib", ".bibtex"):
        raise InputError("tidy works on BibTeX files (.bib)", source)
    original, name = _read_text(source, encoding)
    library = Library.from_bibtex(original, name).with_keys()
    merges: list[dict[str, Any]] = []
    if dedupe:
        library, report = library.deduplicated()
        merges = [
            {
                "kept": m.kept,
                "dropped": list(m.dropped),
                "reason": m.reason,
                "filled": list(m.filled),
                "conflicts": [c.field for c in m.conflicts],
                "differences": [
                    {"field": c.field, "kept": c.kept, "other": c.other, "other_key": c.other_key}
                    for c in m.conflicts
                ],
            }
            for m in report.merges
        ]
        for m in report.merges:
            for c in m.conflicts:
                _echo(
                    f"mesorefs: warning: {name}: {c.other_key or '?'} merged into {m.kept or '?'}"
                    f" with a different {c.field}: kept {c.kept[:80]!r}, not {c.other[:80]!r}",
                    err=True,
                )
    tidied = library.to_bibtex(ascii_only=not utf8)
    changed = tidied != original
    for problem in library.problems:
        _echo(f"mesorefs: warning: {problem}", err=True)
    target = source if in_place else output
    if not check and (target or not as_json):
        _write_output(tidied, target)
    if as_json:
        _emit_json(
            {
                "schema": "mesorefs.tidy/1",
                "file": name,
                "tidy": not changed,
                "entries": len(library),
                "problems": [
                    {"kind": p.kind, "line": p.line, "key": p.key, "message": p.message}
                    for p in library.problems
                ],
                "merges": merges,
                # the tidied text, when it went nowhere else (no -o, -i or --check)
                **({"bibtex": tidied} if not check and not target else {}),
            }
        )
    if check:
        if changed:
            _echo(f"{name}: not tidy (run `mesorefs tidy -i {name}`)", err=True)
            sys.exit(EXIT_PROBLEMS)
        _echo(f"{name}: tidy", err=True)


# -- resolve ---------------------------------------------------------------------------


@main.command()
@click.argument("source", metavar="FILE")
@click.option("-o", "--output", help="Write the completed library here (default: standard output).")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite FILE (mode, owner, links kept).")
@click.option("--offline", is_flag=True, help="Use only the cache; never touch the network.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--mailto", help="Contact e-mail for the services' polite pools.")
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop asking the services after this many seconds; entries left are reported.",
)
@click.option(
    "--snapshot-dir",
    metavar="DIR",
    help="Resolve against this metadata snapshot (a folder or an fsspec URL), not online.",
)
@click.option(
    "--online-fallback", is_flag=True, help="With a snapshot: ask the services for what it lacks."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@friendly_errors
def resolve(
    source: str,
    output: str | None,
    in_place: bool,
    offline: bool,
    dry_run: bool,
    mailto: str | None,
    deadline: float | None,
    snapshot_dir: str | None,
    online_fallback: bool,
    as_json: bool,
) -> None:
    """Complete a library online (Crossref, DataCite, doi.org, PubMed, OpenAlex, arXiv).

    Only confident matches are merged; missing fields are filled, nothing the file
    already says is overwritten, and every conflict is reported. Exit 1 when some
    entries could not be resolved or disagree with their record.
    """
    from rich.console import Console
    from rich.table import Table

    from mesorefs.library import Library
    from mesorefs.models import Reference
    from mesorefs.resolve import Resolver
    from mesorefs.settings import Settings

    library = _read_library(source)
    settings = Settings.load(
        offline=offline or None,
        mailto=mailto,
        deadline=deadline,
        snapshot_dir=snapshot_dir,
        online_fallback=online_fallback or None,
    )
    references = library.references
    with Resolver(settings) as resolver, _progress(len(references), "resolving") as tick:
        results = resolver.resolve_many(references, progress=lambda done, total, r: tick(done))
        for warning in resolver.http.warnings:
            _echo(f"mesorefs: warning: {warning}", err=True)
    merged = iter([r.reference for r in results])
    completed = Library(
        [item if not isinstance(item, Reference) else next(merged) for item in library.items],
        library.problems,
    )
    rows: list[dict[str, Any]] = [
        {
            "key": r.reference.key,
            "status": r.status,
            "score": r.score,
            "source": r.source,
            "reason": r.reason,
            "changes": [
                {"field": c.field, "new": str(c.new), "source": c.source, "action": c.action}
                for c in r.changes
            ],
            "conflicts": [str(c) for c in r.conflicts],
            "notes": list(r.notes),
        }
        for r in results
    ]
    if as_json:
        _emit_json({"schema": "mesorefs.resolve/1", "file": source, "results": rows})
    else:
        console = Console(stderr=True)
        table = Table(title=f"resolve {_cell(source)}")
        for column in ("key", "status", "score", "changes", "conflicts / reason"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                _cell(row["key"]),
                row["status"],
                f"{row['score']:.2f}" if row["score"] is not None else "",
                ", ".join(c["field"] for c in row["changes"]),
                _cell(
                    "; ".join(row["conflicts"])
                    or (row["reason"] if row["status"] != "matched" else "")
                ),
            )
        console.print(table)
    if not dry_run:
        if in_place:
            completed.write(source)
        elif output or not as_json:
            _write_output(completed.to_bibtex(), output)
    if any(r.status != "matched" or r.conflicts for r in results):
        sys.exit(EXIT_PROBLEMS)


# -- check -----------------------------------------------------------------------------

# The verdicts each --fail-on level fails on: each level adds the next, milder verdict.
_FAIL_ON: dict[str, tuple[str, ...]] = {
    "contradicted": ("contradicted",),
    "unsupported": ("contradicted", "unsupported"),
    "needs-review": ("contradicted", "unsupported", "needs review"),
    "never": (),
}


@main.command()
@click.argument("document", required=False, metavar="[DOCUMENT|-]")
@click.option("-b", "--bib", "bib", help="The references (.bib, .json, .ris).")
@click.option("--html", "html_out", help="Also write the report as a self-contained HTML page.")
@click.option("--markdown", "md_out", help="Also write the report as Markdown.")
@click.option(
    "--annotate",
    "annotated_out",
    help="Write the document with [@key] citations and the evidence as footnotes.",
)
@click.option(
    "--full-text-dir",
    "full_text_dirs",
    multiple=True,
    help="Also read full text named in `file` fields under this folder (repeatable); "
    "by default only the .bib's own folder is read. Only .txt, .text, .md, .markdown, "
    ".html, .htm and .pdf files are read, never hidden files or folders, and at most "
    "1.6 MB of each.",
)
@click.option(
    "--verifier",
    "verifier_spec",
    metavar="SPEC",
    help="The stance backend: baseline (the shipped default), nli:<model folder or id> "
    "(needs mesorefs[nli]) or openai:<base-url>#<model>; default: the `verifier` setting.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the report as JSON (mesorefs.claims/3)."
)
@click.option(
    "--fail-on",
    type=click.Choice(list(_FAIL_ON)),
    default="unsupported",
    show_default=True,
    help="Exit 1 when a claim is this bad or worse (contradicted < unsupported < "
    "needs-review); never: always exit 0 once checked.",
)
@click.option(
    "-v",
    "--verbose",
    "full",
    is_flag=True,
    help="The full table: every part, reason and passage (default: two lines a claim).",
)
@friendly_errors
def check(
    document: str | None,
    bib: str | None,
    html_out: str | None,
    md_out: str | None,
    annotated_out: str | None,
    full_text_dirs: tuple[str, ...],
    verifier_spec: str | None,
    as_json: bool,
    fail_on: str,
    full: bool,
) -> None:
    """Check each claim of a document against its references.

    With no arguments, checks the bundled example ("What Is Mesotherapy") against its
    seven references, offline. Exit 1 when a claim is contradicted or unsupported
    (--fail-on changes which verdicts fail).
    """
    from mesorefs.claims import check_claims
    from mesorefs.claims.backends import load_verifier, parse_spec
    from mesorefs.claims.encoder import load_default_encoder
    from mesorefs.settings import Settings

    settings = Settings.load(verifier=verifier_spec)
    spec = parse_spec(settings.verifier)  # a bad spec fails before any work

    if document is None:
        if bib is not None:
            raise InputError("--bib needs a DOCUMENT to check")
        document, bib = str(_example_path("article.txt")), str(_example_path("references.bib"))
        label = "bundled example: What Is Mesotherapy"
    else:
        label = document
        if bib is None:
            raise InputError("give the references with --bib FILE")
    text, _ = _read_text(document)
    if not text.strip():
        raise InputError("empty document: nothing to check", document)
    library = _read_library(bib)
    base_dir = Path(bib).parent if bib != "-" else None
    folders = [Path(d) for d in full_text_dirs] + ([base_dir] if base_dir is not None else [])
    verifier = load_verifier(spec, settings)
    # Vectors kept in the cache folder: a rerun after an edit embeds only what changed.
    encoder = load_default_encoder(cache_dir=settings.cache_dir)
    try:
        report = check_claims(
            text,
            library,
            base_dir=base_dir,
            full_text_dirs=folders,
            verifier=verifier,
            encoder=encoder,
        )
    finally:
        close: Callable[[], None] | None = getattr(verifier, "close", None)
        if close is not None:
            close()
    if html_out:
        atomic_write_text(html_out, report.to_html())
    if md_out:
        atomic_write_text(md_out, report.to_markdown())
    if annotated_out:
        atomic_write_text(annotated_out, report.annotate())
    if as_json:
        _echo_json(report.to_json())
    elif full or (click.get_current_context().find_root().params.get("verbose") or False):
        _print_claims(report, label)
    else:
        _print_compact(report, label)
    summary = report.summary()
    if any(summary.get(verdict, 0) for verdict in _FAIL_ON[fail_on]):
        sys.exit(EXIT_PROBLEMS)


_VERDICT_STYLE = {
    "supported": "green",
    "partly supported": "green",
    "contradicted": "bold red",
    "needs review": "cyan",
    "unsupported": "yellow",
}


def _evidence_cell(links: Any) -> str:
    """The shown links of a claim or part, one line each, escaped for rich."""
    from mesorefs.claims.report import shown

    lines = []
    for lk in shown(links):
        quote = " ".join(lk.evidence.text.split())
        if len(quote) > 90:
            quote = quote[:89].rstrip() + "\u2026"
        # A stance shows its confidence; a neutral link how much it bears on the claim.
        value = lk.score if lk.stance != "neutral" else lk.relevance
        lines.append(_cell(f"[@{lk.key}] {lk.label} {value:.2f}: \u201c{quote}\u201d"))
    return "\n".join(lines)


def _print_compact(report: Any, label: str) -> None:
    """Two lines a claim, each cut to the terminal's width: the verdict and the claim, then
    the passage (once) of the first reference shown for it (one that takes a side, is cited
    or bears on it), or the reason when none does.  Keys open their line: never cut."""
    from shutil import get_terminal_size

    from mesorefs.claims.report import shown

    width = max(40, get_terminal_size((80, 24)).columns)

    def cut(text: str, room: int) -> str:
        text = " ".join(text.split())
        return text if len(text) <= room else text[: max(1, room - 1)].rstrip() + "\u2026"

    from mesorefs.claims.check import UNCITED_NOTICE

    uncited = UNCITED_NOTICE in report.notices  # said once above, not on every claim
    lines = [cut(f"Claims in {label}", width)]
    lines += [f"note: {notice}" for notice in report.notices]  # whole: read before the rest
    lines.append(
        cut("each: the verdict and the claim, then its evidence (a passage) or why", width)
    )
    for result in report.checked:
        head = f"{result.claim.id:>4}  {result.verdict:<16} "
        lines.append(head + cut(result.claim.query, width - len(head)))
        bearing = [
            lk for lk in shown(result.links) if lk.stance != "neutral" or lk.cited or lk.related
        ]
        # What the claim cites is shown first, with its own verdict; a claim citing
        # nothing says so.
        check = result.citation_checks[0] if result.citation_checks else None
        if result.citation_needed and not uncited:
            lead = "citation needed; "
        elif check is not None:
            better = f", better: {check.better}" if check.better else ""
            lead = f"cited: {check.verdict}{better}; "
        else:
            lead = ""
        if bearing:
            lk = bearing[0]
            said = f"      {lead}{lk.key} {lk.label}: "
            quote = cut(lk.evidence.text, width - len(said) - 2)
            lines.append(f"{said}\u201c{quote}\u201d")
        else:
            lines.append("      " + cut(lead + result.explanation, width - 6))
    counts = ", ".join(f"{n} {v}" for v, n in report.summary().items() if n)
    lines.append(f"{len(report.checked)} checkworthy claims: {counts}")  # whole: the result
    lines.append("(mesorefs check -v shows every part, reason and passage; --html a page)")
    lines.append(cut(f"engine: {report.engine}; ranking: {report.ranking}", width))
    for warning in report.warnings:
        lines.append(cut(f"warning: {warning}", width))
    _echo("\n".join(lines))


def _print_claims(report: Any, label: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=cast(IO[str], _Stdout()))
    for notice in report.notices:
        console.print(f"note: {_cell(notice)}", style="yellow")
    table = Table(title=f"Claims in {_cell(label)}", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("verdict")
    table.add_column("claim and why", ratio=3)
    table.add_column("evidence", ratio=4)
    for result in report.checked:
        style = _VERDICT_STYLE.get(result.verdict, "")
        claim = f"{_cell(result.claim.query)}\n[dim]{_cell(result.explanation)}[/]"
        claim += "".join(f"\n[italic]{_cell(note)}[/]" for note in result.citation_notes())
        if len(result.parts) > 1:
            evidence = "\n".join(
                f"[bold]\u201c{_cell(p.part.text)}\u201d: {p.verdict}[/]\n"
                + _evidence_cell(p.links)
                for p in result.parts
            )
        else:
            evidence = _evidence_cell(result.links)
        table.add_row(
            result.claim.id,
            f"[{style}]{result.verdict}[/]" if style else result.verdict,
            claim,
            evidence,
        )
    console.print(table)
    counts = ", ".join(f"{n} {v}" for v, n in report.summary().items())
    console.print(f"{len(report.checked)} checkworthy claims: {counts}")
    # A backend's engine name starts with its spec (nli:..., openai:...); the shipped
    # engines name themselves.
    console.print(f"engine: {_cell(report.engine)}; ranking: {_cell(report.ranking)}")
    for warning in report.warnings:
        console.print(f"warning: {_cell(warning)}", style="yellow")


# -- lint ------------------------------------------------------------------------------


@main.command(name="lint")
@click.argument("sources", nargs=-1, metavar="[FILE...]")
@click.option("--doc", "document", help="The document that cites the library.")
@click.option("--select", multiple=True, help="Only these checks (id, name or prefix; repeatable).")
@click.option("--ignore", multiple=True, help="Skip these checks (id, name or prefix; repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at least this severe.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github: Actions annotations.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json (mesorefs.lint/1).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes and rewrite FILE (as -i does).")
@click.option("--online", is_flag=True, help="Also run the checks that ask the metadata services.")
@click.option("--offline", is_flag=True, help="Online checks use only the cache.")
@click.option(
    "--allow-unchecked",
    is_flag=True,
    help="Exit 0 even when the online checks could not run (MR208 unchecked).",
)
@click.option("--list", "list_checks", is_flag=True, help="List the checks and exit.")
@friendly_errors
def lint_command(
    sources: tuple[str, ...],
    document: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    fmt: str,
    as_json: bool,
    fix: bool,
    online: bool,
    offline: bool,
    allow_unchecked: bool,
    list_checks: bool,
) -> None:
    """Find what is wrong with a bibliography: duplicates, bad or mismatched DOIs, retractions,
    truncated fields, missing fields, and (with --doc) citations without entries.

    Several files are linted one by one into one report (each finding names its file);
    the exit code is the worst.  With --online, when no lookup could be made, an
    "unchecked" error (MR208) is reported; it fails the run unless --allow-unchecked."""
    from mesorefs.lint import (
        all_checks,
        apply_fixes,
        exit_code,
        format_github,
        format_json,
        format_text,
        lint,
    )

    if list_checks:
        for check_ in all_checks():
            where = " (online)" if check_.online else ""
            _echo(f"{check_.id}  {check_.name:26s} {check_.severity:8s}{where}  {check_.summary}")
        return
    if not sources:
        raise InputError("give the .bib file to lint (or --list to see the checks)")
    if document and len(sources) > 1:
        raise InputError("--doc takes one FILE: the bibliography the document cites")
    doc_text = _read_text(document)[0] if document else None
    resolver = None
    if online or offline:
        from mesorefs.resolve import Resolver
        from mesorefs.settings import Settings

        resolver = Resolver(Settings.load(offline=offline or None))
    findings: list[Any] = []
    changes: list[Any] | None = [] if fix else None

    def lint_file(source: str) -> None:
        text, _ = _read_text(source)
        library = _read_library(source, text=text)
        found = lint(
            library,
            doc_text,
            resolver=resolver,
            select=select or None,
            ignore=ignore or None,
            source_text=text,
            path=source,
            document_path=document,
        )
        findings.extend(found)
        if fix and changes is not None:
            fixed, made = apply_fixes(library, found)
            if made:
                fixed.write(source)
            changes.extend(made)

    try:
        if len(sources) == 1:
            lint_file(sources[0])
            worst = EXIT_OK
        else:
            worst = _each_file(sources, lint_file)
    finally:
        if resolver is not None:
            resolver.close()
    if as_json or fmt == "json":
        _echo_json(format_json(findings, changes))
    elif fmt == "github":
        _echo(format_github(findings))
    else:
        _echo(format_text(findings, changes))
    counted = [f for f in findings if not (allow_unchecked and f.name == "unchecked")]
    sys.exit(max(worst, exit_code(counted, fail_on)))


# -- verify ----------------------------------------------------------------------------


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github: Actions annotations.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json (mesorefs.verify/1).")
@click.option("--fix", is_flag=True, help="Print the proposed fixes as a diff; write nothing.")
@click.option("--all", "show_all", is_flag=True, help="Text: list the confirmed entries too.")
@click.option("--offline", is_flag=True, help="Use only the cache; never touch the network.")
@click.option("--mailto", help="Contact e-mail for the services' polite pools.")
@click.option("--deadline", type=click.FloatRange(min=0, min_open=True), help="Seconds at most.")
@click.option("--snapshot-dir", metavar="DIR", help="Check against this metadata snapshot.")
@click.option("--online-fallback", is_flag=True, help="With a snapshot: ask online for the rest.")
@friendly_errors
def verify(
    sources: tuple[str, ...],
    fmt: str,
    as_json: bool,
    fix: bool,
    show_all: bool,
    offline: bool,
    mailto: str | None,
    deadline: float | None,
    snapshot_dir: str | None,
    online_fallback: bool,
) -> None:
    """Check that every entry is a real work described correctly: one outcome each
    (confirmed, mismatch, not-found, unchecked) with its evidence.

    Exit 0 all confirmed, 1 a mismatch or an entry not found, 3 only unchecked entries
    (a lookup failed), 2 usage or input error.  --fix prints a unified diff of the
    proposed corrections on standard output (the report goes to standard error)."""
    from mesorefs.settings import Settings
    from mesorefs.verify import verify_bibliography
    from mesorefs.verify.fixes import proposed_fixes
    from mesorefs.verify.report import format_github, format_json, format_text

    settings = Settings.load(
        offline=offline or None,
        mailto=mailto,
        deadline=deadline,
        snapshot_dir=snapshot_dir,
        online_fallback=online_fallback or None,
    )
    report = verify_bibliography(sources, settings)
    if as_json or fmt == "json":
        text = terminal_json(format_json(report))
    else:
        text = format_github(report) if fmt == "github" else format_text(report, show_all)
        text = terminal_text(text)
    if fix:
        click.echo(text, err=True, nl=False)
        write_stdout(terminal_text(proposed_fixes(report)))
    else:
        write_stdout(text)
    sys.exit(report.exit_code)


# -- format ----------------------------------------------------------------------------


@main.command(name="format")
@click.argument("sources", nargs=-1, metavar="[FILE...|-]")
@click.option(
    "-s",
    "--style",
    default="apa",
    show_default=True,
    help="A CSL style name (apa, vancouver, ieee, ...) or a path to a .csl file.",
)
@click.option(
    "-f",
    "--output-format",
    "fmt",
    type=click.Choice(["text", "html", "markdown", "latex"]),
    default="text",
    show_default=True,
    help="latex: entries ready for a LaTeX document (special characters escaped).",
)
@click.option("--locale", default=None, help="CSL locale, e.g. en-GB, de-DE.")
@click.option("-o", "--output", help="Write here instead of standard output.")
@click.option("--cite", "cite_keys", multiple=True, help="Only these keys (repeatable).")
@click.option(
    "--doc",
    "document",
    help="A Markdown document whose [@key, p. 23] citations to write in the style, "
    "with the bibliography of the works it cites appended.",
)
@click.option(
    "--links",
    is_flag=True,
    help="In HTML and Markdown, make URLs and DOIs links (and link a title to its work "
    "when the style prints neither). By default the text is the style's alone.",
)
@click.option("--json", "as_json", is_flag=True, help="Print entries as JSON.")
@click.option(
    "--list-styles", is_flag=True, help="List the style names -s takes (with --json: as JSON)."
)
@friendly_errors
def format_command(
    sources: tuple[str, ...],
    style: str,
    fmt: str,
    locale: str | None,
    output: str | None,
    cite_keys: tuple[str, ...],
    document: str | None,
    links: bool,
    as_json: bool,
    list_styles: bool,
) -> None:
    """Format a bibliography, or a Markdown document's citations, in a citation style.

    Several files are one bibliography: the entries of all of them, in order."""
    from mesorefs.render import format_bibliography

    if list_styles:
        _list_styles(as_json, output)
        return
    _check_style_name(style)
    source = sources[0] if len(sources) == 1 else ", ".join(sources) if sources else "-"
    library = _read_libraries(sources or ("-",))
    if document is not None:
        from mesorefs.render.markdown import render_markdown

        text, _ = _read_text(document)
        _write_output(
            render_markdown(text, library, style=style, locale=locale, links=links), output
        )
        return
    references = library.readable
    if cite_keys:
        by_key = {r.key: r for r in references}
        missing = [k for k in cite_keys if k not in by_key]
        if missing:
            raise InputError(f"no entry with key {', '.join(missing)}", source)
        references = [by_key[k] for k in cite_keys]
    skipped = _unreadable_entries(library, source)
    entries = format_bibliography(
        references,
        style=style,
        output=fmt,  # type: ignore[arg-type]
        locale=locale,
        links=links,
    )
    if as_json:
        _emit_json({"schema": "mesorefs.format/1", "style": style, "entries": entries}, output)
    else:
        _write_output("\n".join(entries) + "\n", output, for_person=fmt == "text")
    for line in skipped:
        _echo(f"mesorefs: warning: {line}", err=True)
    if skipped:
        sys.exit(1)


def _read_libraries(sources: tuple[str, ...]) -> Library:
    """The libraries in ``sources`` as one, in order (problems of each kept)."""
    from mesorefs.library import Library

    if len(sources) == 1:
        return _read_library(sources[0])
    libraries = [_read_library(source) for source in sources]
    return Library(
        [item for lib in libraries for item in lib.items],
        [problem for lib in libraries for problem in lib.problems],
    )


def _list_styles(as_json: bool, output: str | None) -> None:
    """The style names ``-s`` takes, one a line (or as ``mesorefs.styles/1`` JSON)."""
    from mesorefs.render.styles import style_names

    names = style_names()
    if as_json:
        _emit_json({"schema": "mesorefs.styles/1", "styles": names}, output)
    else:
        _write_output("\n".join(names) + "\n", output)


def _check_style_name(style: str) -> None:
    """A style name that names no installed style: RenderError with the closest names."""
    if style.endswith(".csl") or "/" in style or "\\" in style:
        return  # a path: the renderer says when it is missing
    from difflib import get_close_matches

    from mesorefs.errors import RenderError
    from mesorefs.render.styles import style_names

    names = style_names()
    if style.lower() in names:
        return
    close = get_close_matches(style.lower(), names, n=3, cutoff=0.6)
    quoted = [repr(name) for name in close]
    listed = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
    hint = f"; did you mean {listed}?" if close else ""
    raise RenderError(f"unknown CSL style {style!r}{hint} (`mesorefs format --list-styles`)")


def _unreadable_entries(library: Library, source: str) -> list[str]:
    """One line for each entry that no style can render, naming it and why."""
    unreadable = {
        item.line for item in library.verbatim if item.kind == "failed" and item.reference is None
    }
    return [
        f"{problem}; entry {problem.key or 'without a key'} skipped"
        for problem in library.problems
        if problem.line in unreadable
    ]


# -- convert ---------------------------------------------------------------------------

_FORMAT_NAMES = {"bibtex": "BibTeX", "csl-json": "CSL-JSON", "ris": "RIS"}
# The fields of a Reference that say how mesorefs got the work, not what the work is: every
# other field is compared after a conversion.
_BOOKKEEPING = frozenset(
    {"extra", "bibtex_type", "provenance", "locked", "truncated", "protected", "hints", "csl"}
)


@main.command()
@click.argument("source", metavar="IN|-")
@click.option("-o", "--output", help="Write here; its extension names the format unless --to.")
@click.option(
    "--to",
    "to",
    type=click.Choice(_FORMATS),
    help="Output format (default: from -o's extension: .bib, .json, .ris).",
)
@click.option(
    "--from",
    "from_",
    type=click.Choice(_FORMATS),
    help="Input format (default: from IN's extension; BibTeX for -).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Report what was not carried as JSON (needs -o)."
)
@friendly_errors
def convert(
    source: str, output: str | None, to: str | None, from_: str | None, as_json: bool
) -> None:
    """Convert a library between BibTeX/BibLaTeX, CSL-JSON and RIS.

    Every field the target format has a place for is written; what it has no place for
    is named on stderr, one warning per entry and field ("KEY: pmid not carried (RIS has
    no place for it)"), found by reading the written text back.  Exit 0 all the same
    (2 on unreadable input or a missing format).
    """
    from mesorefs.library import Library, library_format

    if to is None:
        if output in (None, "-"):
            raise InputError("give --to bibtex|csl-json|ris (or -o FILE with an extension)")
        to = library_format(output)
    if as_json and output in (None, "-"):
        raise InputError("--json prints the report: give -o FILE for the converted library")
    text, name = _read_text(source)
    library = _read_library(source, from_, text=text)
    written = library.dumps(to)
    _log.info("%s: %d entries read, written as %s", name, len(library), to)
    _write_output(written, output)
    lost = _not_carried(library, Library.loads(written, to, "<converted>"), to)
    if as_json:
        _emit_json(
            {
                "schema": "mesorefs.convert/1",
                "file": name,
                "output": output,
                "to": to,
                "entries": len(library),
                "not_carried": lost,
            }
        )
    for loss in lost:
        where = loss["key"] or f"line {loss['line']}"
        click.echo(f"mesorefs: warning: {name}: {where}: {loss['message']}", err=True)


def _not_carried(before: Library, after: Library, to: str) -> list[dict[str, Any]]:
    """What ``before`` holds that ``after`` (the written text read back) lost, one item per
    entry and field (``key``, ``line``, ``field``, ``message``); blocks that are not entries
    (comments, unreadable entries) too."""
    target = _FORMAT_NAMES[to]
    lost: list[dict[str, Any]] = []

    def add(key: str | None, line: int | None, field: str | None, message: str) -> None:
        lost.append({"key": key, "line": line, "field": field, "message": message})

    for item in before.verbatim if to != "bibtex" else ():
        if item.kind == "failed":
            add(None, item.line, None, "an entry BibTeX could not read whole, not converted")
        elif item.kind in ("comment", "preamble"):
            add(None, item.line, None, f"@{item.kind} not carried ({target} has no place for it)")
    back = after.references
    by_key = {ref.key: ref for ref in back if ref.key}
    for index, ref in enumerate(before.references):
        other = by_key.get(ref.key) if ref.key else None
        if other is None and index < len(back):
            other = back[index]
        who = ref.key or f"entry {index + 1}"
        if other is None:
            add(who, None, None, "not carried")
            continue
        for field in (f for f in type(ref).model_fields if f not in _BOOKKEEPING):
            value, kept = getattr(ref, field), getattr(other, field)
            if not value or value == kept:
                continue
            how = "has no place for it" if not kept else "reads it back differently"
            whole = "" if not kept else " whole"
            add(who, None, field, f"{field} not carried{whole} ({target} {how})")
        for field, value in ref.extra.items():
            if value and other.extra.get(field) != value:
                add(who, None, field, f"{field} not carried ({target} has no place for it)")
    return lost


# -- corpus scale ------------------------------------------------------------------------


@main.group()
def snapshot() -> None:
    """Build a local metadata snapshot to resolve whole archives against."""


@snapshot.command(name="build")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-o", "--output", "out", required=True, metavar="DIR", help="The snapshot folder.")
@click.option(
    "--partitions",
    type=click.IntRange(1, 4096),
    default=32,
    show_default=True,
    help="Parquet partitions of a new snapshot (an existing one keeps its own).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@friendly_errors
def snapshot_build(sources: tuple[str, ...], out: str, partitions: int, as_json: bool) -> None:
    """Read Crossref's public data file and OpenAlex's works snapshot into DIR.

    SOURCE is a file or a folder of them: gzipped JSON with the work items under
    "items" (Crossref) or gzipped JSON Lines of works (OpenAlex).  Building into an
    existing snapshot updates it: newer records replace older ones.  A damaged file is
    reported and skipped (exit 1); the rest is built.
    """
    try:
        from mesorefs.snapshot import build_snapshot
    except ImportError as exc:
        raise InputError(
            f"snapshots need the scale extra (pip install 'mesorefs[scale]'): {exc}"
        ) from None
    with _progress(100, "building") as tick:

        def step(stage: str, done: int, total: int) -> None:
            tick(int(100 * done / max(total, 1)))

        report = build_snapshot(sources, out, partitions=partitions, progress=step)
    if as_json:
        _emit_json({"schema": "mesorefs.snapshot/1", **asdict(report)})
    else:
        _echo(
            f"{report.location}: {report.records:,} records ({report.added:,} added, "
            f"{report.replaced:,} replaced, {report.kept:,} older copies ignored); "
            f"{report.files_read} files read; {report.notices} update notices; "
            f"{report.versions} works with another version; "
            f"Parquet {report.parquet_bytes / 2**20:.1f} MiB, "
            f"index {report.index_bytes / 2**20:.1f} MiB; {report.seconds:.1f} s"
        )
        if report.unusable:
            _echo(f"mesorefs: warning: {report.unusable} items were not works", err=True)
    for path, reason in report.skipped:
        _echo(f"mesorefs: error: {path}: skipped, {reason}", err=True)
    if report.skipped:
        sys.exit(EXIT_PROBLEMS)


@main.command(name="batch")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "out", required=True, metavar="DIR", help="Where rows go.")
@click.option("--snapshot-dir", metavar="DIR", help="The metadata snapshot to resolve against.")
@click.option(
    "--online-fallback", is_flag=True, help="Ask the services for what the snapshot lacks."
)
@click.option(
    "--workers",
    type=click.IntRange(0, 512),
    default=2,
    show_default=True,
    help="Worker processes of the local Dask cluster (0: no cluster, this process).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Use this Dask cluster (tls://host:8786; plain tcp:// only on a trusted network).",
)
@click.option(
    "--tls-ca-file",
    metavar="FILE",
    help="With a tls:// scheduler: the CA that signed the cluster's certificates "
    "(default: Dask's distributed.comm.tls.ca-file).",
)
@click.option(
    "--tls-cert", metavar="FILE", help="With a tls:// scheduler: this client's certificate."
)
@click.option("--tls-key", metavar="FILE", help="With a tls:// scheduler: this client's key.")
@click.option(
    "--partition-rows",
    type=click.IntRange(1, 10_000_000),
    default=5000,
    show_default=True,
    help="Reference strings per partition (JSON Lines and Parquet inputs).",
)
@click.option("--column", help="The Parquet column that holds the reference strings.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@friendly_errors
def batch_command(
    inputs: tuple[str, ...],
    out: str,
    snapshot_dir: str | None,
    online_fallback: bool,
    workers: int,
    scheduler: str | None,
    tls_ca_file: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    partition_rows: int,
    column: str | None,
    as_json: bool,
) -> None:
    """Resolve, lint and check many inputs at once; one row per reference or claim.

    INPUT is a file or folder: bibliographies (.bib, .ris, CSL-JSON .json), JSON Lines
    of reference strings (.jsonl), a Parquet column of them (--column), and documents
    beside a .bib of the same name (their claims are checked).  Rows go to
    DIR/parquet and DIR/jsonl; a rerun skips finished partitions.  Exit 1 when some
    rows are errors.
    """
    from mesorefs.batch import run_batch
    from mesorefs.settings import Settings

    settings = Settings.load(snapshot_dir=snapshot_dir, online_fallback=online_fallback or None)
    with _rows_progress() as step:
        report = run_batch(
            inputs,
            out,
            settings=settings,
            workers=workers,
            scheduler=scheduler,
            partition_rows=partition_rows,
            column=column,
            tls=(tls_ca_file, tls_cert, tls_key),
            progress=step,
        )
    if as_json:
        _emit_json({"schema": "mesorefs.batch/1", **asdict(report)})
    else:
        retried = f", {report.retried} of them retried" if report.retried else ""
        _echo(
            f"{report.out}: {report.partitions} partitions ({report.skipped} done before, "
            f"{report.done} now{retried}); this run {report.rows:,} rows, "
            f"{report.errors:,} errors; the output {report.total_rows:,} rows, "
            f"{report.total_errors:,} errors; {report.seconds:.1f} s"
        )
    if report.total_errors:  # the output's state, earlier runs' rows included
        sys.exit(EXIT_PROBLEMS)


if __name__ == "__main__":  # pragma: no cover
    main()
