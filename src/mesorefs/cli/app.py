"""The ``mesorefs`` group: options every command takes, signals, logging."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import IO, cast

import click

from mesorefs import __version__

# logging and mesorefs.cli.common (json, pathlib, the escaping and output modules) load
# when a command runs, inside the functions below: `mesorefs --version` needs none of them.


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: one line and exit 130 (128 + SIGINT).  ``finally`` blocks run (temporary
    files go); a run that has not ended 0.3 s later (a worker thread that will not stop) is
    ended then, and a second Ctrl-C ends it at once."""
    import signal
    import threading

    from mesorefs.cli.common import EXIT_INTERRUPTED

    with suppress(OSError):
        os.write(2, b"mesorefs: interrupted\n")
    signal.signal(signal.SIGINT, lambda *_: os._exit(EXIT_INTERRUPTED))
    timer = threading.Timer(0.3, os._exit, (EXIT_INTERRUPTED,))
    timer.daemon = True
    timer.start()
    raise SystemExit(EXIT_INTERRUPTED)


def _setup_run(ctx: click.Context, *, quiet: bool, verbose: bool) -> None:
    """The run's stderr, logging and Ctrl-C handler; each undone when the command ends."""
    import logging
    import signal
    import threading
    import warnings

    from mesorefs.cli.common import _log, _QuietStderr

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


class _Commands(click.Group):
    """The ``mesorefs`` group: its commands' modules load when a command is looked up or
    listed (see :func:`defer_commands`), so ``--version`` loads none of them."""

    loader: Callable[[], None] | None = None

    def _load(self) -> None:
        if self.loader is not None:
            load, self.loader = self.loader, None
            load()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


def defer_commands(group: click.Group, loader: Callable[[], None]) -> None:
    """Have ``group`` run ``loader`` (which imports the command modules) on first need."""
    if isinstance(group, _Commands):
        group.loader = loader
    else:  # pragma: no cover - not our group: load at once
        loader()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    # pydantic reads the entry points of every installed distribution, looking for its
    # plugins, the first time it builds a validator: a large share of a short command's
    # start-up, for plugins the command never uses.  A user's own setting wins.
    import logging

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _setup_run(ctx, quiet=quiet and not verbose, verbose=verbose)
    # bibtexparser logs a multi-line account of each broken block; our own warning
    # already says it in one line, so its records go nowhere.
    silent = logging.getLogger("bibtexparser")
    silent.addHandler(logging.NullHandler())
    silent.propagate = False
