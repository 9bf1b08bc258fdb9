"""The ``mesorefs`` group: options every command takes, signals, logging."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from contextlib import suppress
from typing import IO, Any, cast

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
    """The ``mesorefs`` group: a command's module loads when the command is looked up, and
    every command module when they are listed or a name is unknown (see
    :func:`defer_commands`), so ``--version`` loads none of them and ``tidy`` only its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.homes: dict[str, str] = {}
        """Command name -> the module that registers it, for the modules not loaded yet."""

    def _load(self, modules: list[str]) -> None:
        import importlib

        for module in modules:
            importlib.import_module(module)
        self.homes = {name: home for name, home in self.homes.items() if home not in modules}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        home = self.homes.get(cmd_name)
        if home is not None:
            self._load([home])
        elif cmd_name not in self.commands and self.homes:
            self._load(sorted(set(self.homes.values())))  # unknown: the error names them all
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load(sorted(set(self.homes.values())))
        return super().list_commands(ctx)


def defer_commands(group: click.Group, homes: Mapping[str, str]) -> None:
    """Have ``group`` import the module that registers a command (``homes``: command name
    -> module) when the command is first needed."""
    if isinstance(group, _Commands):
        group.homes = dict(homes)
    else:  # pragma: no cover - not our group: load at once
        import importlib

        for module in sorted(set(homes.values())):
            importlib.import_module(module)


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
