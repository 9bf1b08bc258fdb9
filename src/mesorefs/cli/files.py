"""Commands over bibliography files: ``parse``, ``tidy``, ``format``, ``convert``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from mesorefs.errors import InputError, MesorefsError

if TYPE_CHECKING:  # the library loads in the commands that use it: `--version` stays quick
    from mesorefs.library import Library
from mesorefs.cli.app import (
    main,
)
from mesorefs.cli.common import (
    _FORMATS,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    _broken_pipe,
    _echo,
    _emit_json,
    _fail,
    _log,
    _read_library,
    _read_text,
    _write_output,
    friendly_errors,
)

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
            {"schema": "mesorefs.parse/1", **parsed.to_dict(library.references)},
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


def _suffix(source: str) -> str:
    """``pathlib.PurePath(source).suffix``, without loading pathlib on `tidy`'s path."""
    parts = [part for part in source.replace(os.sep, "/").split("/") if part not in ("", ".")]
    name = parts[-1] if parts else ""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


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
    from mesorefs.bibtex.tidy import Tidied

    if in_place and source == "-":
        raise InputError("--in-place needs a file, not standard input")
    if source != "-" and _suffix(source).lower() not in (".bib", ".bibtex"):
        raise InputError("tidy works on BibTeX files (.bib)", source)
    original, name = _read_text(source, encoding)
    merges: list[dict[str, Any]] = []
    if dedupe:
        from mesorefs.library import Library

        library, report = Library.from_bibtex(original, name).with_keys().deduplicated()
        merges = [m.to_dict() for m in report.merges]
        for m in report.merges:
            for c in m.conflicts:
                _echo(
                    f"mesorefs: warning: {name}: {c.other_key or '?'} merged into {m.kept or '?'}"
                    f" with a different {c.field}: kept {c.kept[:80]!r}, not {c.other[:80]!r}",
                    err=True,
                )
        result = Tidied(library.to_bibtex(ascii_only=not utf8), library.problems, len(library))
    else:  # entries written from their fields, with no Reference built
        result = Tidied.of(original, name, ascii_only=not utf8)
    tidied = result.text
    changed = tidied != original
    for problem in result.problems:
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
                "entries": result.entries,
                "problems": [p.to_dict() for p in result.problems],
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
    from mesorefs.library import Library, library_format, not_carried

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
    lost = not_carried(library, Library.loads(written, to, "<converted>"), to)
    if as_json:
        _emit_json(
            {
                "schema": "mesorefs.convert/1",
                "file": name,
                "output": output,
                "to": to,
                "entries": len(library),
                "not_carried": [loss.to_dict() for loss in lost],
            }
        )
    for loss in lost:
        where = loss.key or f"line {loss.line}"
        click.echo(f"mesorefs: warning: {name}: {where}: {loss.message}", err=True)
