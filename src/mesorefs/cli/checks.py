"""Commands that check: ``check`` (claims against their references) and ``lint``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

import click

from mesorefs.cli.app import (
    main,
)
from mesorefs.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    _cell,
    _echo,
    _echo_json,
    _example_path,
    _read_library,
    _read_text,
    _Stdout,
    friendly_errors,
    report_format_option,
)
from mesorefs.cli.files import (
    _each_file,
)
from mesorefs.errors import InputError
from mesorefs.escape import terminal_json, terminal_text
from mesorefs.outputs import atomic_write_text, write_stdout

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
    "--verified",
    "verified",
    metavar="REPORT",
    help="A `mesorefs verify --json` report of the references: those it found no record "
    "of support no claim.",
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
    verified: str | None,
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
    if document is None:
        if bib is not None:
            raise InputError("--bib needs a DOCUMENT to check")
        document, bib = str(_example_path("article.txt")), str(_example_path("references.bib"))
        label = "bundled example: What Is Mesotherapy"
    else:
        label = document
        if bib is None:
            raise InputError("give the references with --bib FILE")
    verbose = full or bool(click.get_current_context().find_root().params.get("verbose"))
    # An unchanged rerun prints what the last run printed, from its record: it reads no
    # settings, no .bib and no full text, and imports no claim checking.
    record = None if verbose else _run_record(document, bib, locals())
    if record is not None:
        kept = record.load()
        if kept is not None:
            for name, path in (
                ("html", html_out),
                ("markdown", md_out),
                ("annotated", annotated_out),
            ):
                if path:
                    atomic_write_text(path, kept["outputs"][name])
            write_stdout(kept["stdout"])
            if kept["exit"]:
                sys.exit(kept["exit"])
            return

    from mesorefs.claims import check_claims
    from mesorefs.claims.backends import load_verifier, parse_spec
    from mesorefs.claims.encoder import load_default_encoder
    from mesorefs.settings import Settings

    settings = Settings.load(verifier=verifier_spec)
    spec = parse_spec(settings.verifier)  # a bad spec fails before any work
    text, _ = _read_text(document)
    if not text.strip():
        raise InputError("empty document: nothing to check", document)
    library = _read_library(bib)
    not_found: list[str] = []
    if verified is not None:
        from mesorefs.verify.report import not_found_keys

        not_found = not_found_keys(*_read_text(verified))
    base_dir = Path(bib).parent if bib != "-" else None
    folders = [Path(d) for d in full_text_dirs] + ([base_dir] if base_dir is not None else [])
    verifier = load_verifier(spec, settings)
    # Vectors and BM25 indexes kept in the cache folder: a rerun after an edit embeds
    # only what changed, and builds no index for an unchanged library.
    encoder = load_default_encoder(cache_dir=settings.cache_dir)
    try:
        report = check_claims(
            text,
            library,
            base_dir=base_dir,
            full_text_dirs=folders,
            verifier=verifier,
            encoder=encoder,
            not_found=not_found,
            cache_dir=settings.cache_dir,
        )
    finally:
        close: Callable[[], None] | None = getattr(verifier, "close", None)
        if close is not None:
            close()
    outputs: dict[str, str] = {}
    if html_out:
        atomic_write_text(html_out, outputs.setdefault("html", report.to_html()))
    if md_out:
        atomic_write_text(md_out, outputs.setdefault("markdown", report.to_markdown()))
    if annotated_out:
        atomic_write_text(annotated_out, outputs.setdefault("annotated", report.annotate()))
    summary = report.summary()
    failed = any(summary.get(verdict, 0) for verdict in _FAIL_ON[fail_on])
    if verbose and not as_json:
        _print_claims(report, label)
    else:
        if as_json:
            shown = terminal_json(report.to_json()) + "\n"
        else:
            shown = terminal_text(_compact(report, label)) + "\n"
        if (
            record is not None
            and spec.kind == "baseline"
            and not report.warnings
            and record.path.parent.parent == Path(settings.cache_dir)
        ):
            from mesorefs.claims.evidence import file_paths
            from mesorefs.cli.check_record import MODEL_FILES

            read: list[str | Path] = list(MODEL_FILES)
            for ref in library:
                for name in file_paths(ref.extra.get("file") or ""):
                    named = Path(name).expanduser()
                    absolute = named.is_absolute() or base_dir is None
                    read.append(named if absolute or base_dir is None else base_dir / named)
            record.save(
                stdout=shown,
                exit_code=EXIT_PROBLEMS if failed else EXIT_OK,
                outputs=outputs,
                read=read,
            )
        write_stdout(shown)
    if failed:
        sys.exit(EXIT_PROBLEMS)


def _run_record(document: str, bib: str, options: dict[str, Any]) -> Any:
    """The record of a run of ``check`` over these files and options, or None when
    such a run is not recorded (standard input, a file that cannot be read)."""
    from mesorefs.cli.check_record import RunRecord, cache_dir, run_key

    asked = {
        name: options[name]
        for name in (
            "html_out",
            "md_out",
            "annotated_out",
            "full_text_dirs",
            "verified",
            "verifier_spec",
            "as_json",
            "fail_on",
        )
    }
    key = run_key(document=document, bib=bib, options=asked)
    folder = cache_dir()
    return None if key is None or folder is None else RunRecord(folder, key)


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


def _compact(report: Any, label: str) -> str:
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
    return "\n".join(lines)


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
@report_format_option("mesorefs.lint/1")
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
