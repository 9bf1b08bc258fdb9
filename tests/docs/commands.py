"""Shell command lines in Markdown code blocks, and ``mesorefs`` ones parsed without running."""

from __future__ import annotations

import re
import shlex

import click

from mesorefs.cli import main

_FENCE = re.compile(r"^[ ]*```(\w*)\n(.*?)^[ ]*```", re.S | re.M)
_SHELL = ("sh", "bash", "shell", "console")
_SEPARATORS = ("&&", "||", "|", ";")


def command_lines(text: str) -> list[str]:
    """The shell command lines of the code blocks in ``text``, continuation lines joined.

    In a ``console`` block only the lines after ``$ `` are commands; in a ``sh`` block
    every line is, less its comment.
    """
    lines = []
    for lang, body in _FENCE.findall(text):
        if lang not in _SHELL:
            continue
        for line in re.sub(r"\\\n\s*", " ", body).splitlines():
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
            if line:
                lines.append(line)
    return lines


def segments(line: str) -> list[list[str]]:
    """The simple commands of a shell line (split at ``&&``, ``|``, ...), redirections dropped."""
    segments: list[list[str]] = [[]]
    tokens = iter(shlex.split(line))
    for token in tokens:
        if token in _SEPARATORS:
            segments.append([])
        elif re.fullmatch(r"\d?>>?", token):
            next(tokens, None)
        else:
            segments[-1].append(token)
    return [segment for segment in segments if segment]


def mesorefs_args(segment: list[str]) -> list[str] | None:
    """The arguments of a ``mesorefs ...`` or ``python -m mesorefs ...`` command, else None."""
    while segment and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", segment[0]):
        segment = segment[1:]  # VAR=value before the command
    if segment[:1] == ["mesorefs"]:
        return segment[1:]
    if segment[:3] in (["python", "-m", "mesorefs"], ["python3", "-m", "mesorefs"]):
        return segment[3:]
    return None


def invocations(text: str) -> list[list[str]]:
    """Every ``mesorefs`` invocation in the shell and console blocks of Markdown ``text``."""
    found = []
    for line in command_lines(text):
        for segment in segments(line):
            args = mesorefs_args(segment)
            if args is not None:
                found.append(args)
    return found


def parse(args: list[str]) -> None:
    """Parse ``mesorefs ARGS`` as the CLI would, without running it.

    Commands, option names, option arity, extra arguments and option values (choices,
    numbers) are checked; paths and arguments are not, since the README's files are examples.
    """
    command: click.Command = main
    ctx = click.Context(main, info_name="mesorefs")
    rest = list(args)
    while isinstance(command, click.Group):
        _opts, rest, _order = command.make_parser(ctx).parse_args(rest)
        if not rest:
            return
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            raise click.UsageError(f"No such command {rest[0]!r}.")
        ctx = click.Context(sub, parent=ctx, info_name=rest[0])
        command, rest = sub, rest[1:]
    opts, extra, _order = command.make_parser(ctx).parse_args(rest)
    if extra:
        raise click.UsageError(f"unexpected extra arguments {extra}")
    for param in command.params:
        given = isinstance(param, click.Option) and param.name in opts
        if given and not isinstance(param.type, (click.Path, click.File)):
            param.type_cast_value(ctx, opts[param.name])
