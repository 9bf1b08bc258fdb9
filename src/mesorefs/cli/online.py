"""``resolve``: complete and correct a library from the metadata services."""

from __future__ import annotations

import sys
from typing import Any

import click

from mesorefs.cli.app import (
    main,
)
from mesorefs.cli.common import (
    EXIT_PROBLEMS,
    _cell,
    _echo,
    _emit_json,
    _progress,
    _read_library,
    _write_output,
    friendly_errors,
    online_settings,
)

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

    library = _read_library(source)
    settings = online_settings(offline, mailto, deadline, snapshot_dir, online_fallback)
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
    rows: list[dict[str, Any]] = [r.to_dict() for r in results]
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
