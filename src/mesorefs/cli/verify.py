"""``verify``: is every entry a real work, described correctly?"""

from __future__ import annotations

import sys

import click

from mesorefs.cli.app import main
from mesorefs.cli.common import friendly_errors, online_settings, report_format_option
from mesorefs.escape import terminal_json, terminal_text
from mesorefs.outputs import write_stdout

# -- verify ----------------------------------------------------------------------------


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="FILE...")
@report_format_option("mesorefs.verify/1")
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
    from mesorefs.verify import verify_bibliography
    from mesorefs.verify.fixes import proposed_fixes
    from mesorefs.verify.report import format_github, format_json, format_text

    settings = online_settings(offline, mailto, deadline, snapshot_dir, online_fallback)
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
