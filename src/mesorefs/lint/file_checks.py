"""MR1xx: the .bib as a file: duplicate keys and entries, broken entries, braces, LaTeX, keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from mesorefs.dedupe import identity_keys
from mesorefs.lint._text import TEXT_FIELDS, is_preprint, label, shown, who
from mesorefs.lint.context import LintContext
from mesorefs.lint.model import Fix
from mesorefs.lint.registry import Report, register
from mesorefs.models import Reference

__all__ = ["braces_balanced", "safe_key", "stray_latex"]


def _same_record(a: Reference, b: Reference) -> bool:
    return a.model_dump() == b.model_dump()


@register("MR101", "duplicate-key", "error")
def duplicate_key(ctx: LintContext) -> Iterator[Report]:
    """Two entries share a citation key (BibTeX compares keys without case)."""
    first: dict[str, tuple[int, Reference]] = {}
    for item, ref in ctx.entries:
        if not ref.key:
            continue
        folded = ref.key.lower()
        if folded not in first:
            first[folded] = (item, ref)
            continue
        other_item, other = first[folded]
        where = ctx.line(other_item)
        at = f" (line {where})" if where else ""
        if _same_record(ref, other):
            yield Report(
                f"entry {ref.key!r} is an exact copy of the one above{at}; delete this copy",
                item,
                fix=Fix(f"delete the exact copy of {ref.key!r}", remove=True),
            )
        else:
            yield Report(
                f"key {ref.key!r} is already used by another entry{at}; give each entry "
                "its own key (and update the citations of the one you rename)",
                item,
            )


_REASONS = {"doi": "the same DOI", "pmid": "the same PMID", "tya": "the same title, year and "}


@register("MR102", "duplicate-entry", "warning")
def duplicate_entry(ctx: LintContext) -> Iterator[Report]:
    """Two entries with different keys describe the same work (DOI, PMID or title+year+author)."""
    owner: dict[str, tuple[int, Reference]] = {}
    for item, ref in ctx.entries:
        reported = False
        for identity in identity_keys(ref):
            seen = owner.get(identity)
            if seen is None:
                owner[identity] = (item, ref)
                continue
            _, other = seen
            if reported or (ref.key and ref.key.lower() == (other.key or "").lower()):
                continue
            if is_preprint(ref) != is_preprint(other):
                continue  # a preprint and its publication: MR403's business
            kind = identity.split(":", 1)[0]
            reason = _REASONS[kind] + ("first author" if kind == "tya" else "")
            yield Report(
                f"{who(ref, item)} has {reason} as {who(other, seen[0])}: keep one entry "
                "and cite the work by one key",
                item,
                field="doi" if kind == "doi" else None,
            )
            reported = True


def braces_balanced(text: str) -> bool:
    """True when every unescaped ``{`` has its ``}`` and none closes early."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", text, re.S):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@register("MR103", "unparseable-entry", "error")
def unparseable_entry(ctx: LintContext) -> Iterator[Report]:
    """An entry BibTeX tools cannot read (it is kept verbatim and not linted further)."""
    unbalanced = {v.line for _, v in ctx.failed_blocks if not braces_balanced(v.raw)}
    for problem in ctx.library.problems:
        if problem.kind == "duplicate-key" or problem.line in unbalanced:
            continue
        yield Report(
            f"{problem.message}; fix the entry by hand",
            line=problem.line,
            key=problem.key,
        )


def _unbalanced_line(raw: str, first_line: int) -> int:
    """The line of the first field whose braces do not close, else the entry's line."""
    lines = raw.splitlines()
    for offset, text in enumerate(lines[1:], start=1):
        if re.match(r"\s*[A-Za-z][\w.:-]*\s*=", text) and not braces_balanced(
            text.split("=", 1)[1].rstrip().rstrip(",")
        ):
            return first_line + offset
    return first_line


@register("MR104", "unbalanced-braces", "error")
def unbalanced_braces(ctx: LintContext) -> Iterator[Report]:
    """Braces that do not pair up: the entry (or field) cannot be read as written."""
    for item, block in ctx.failed_blocks:
        if braces_balanced(block.raw):
            continue
        key = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", block.raw)
        yield Report(
            "braces do not pair up in this entry; close the field whose '{' has no '}'",
            item,
            line=_unbalanced_line(block.raw, block.line),
            key=key.group(1) if key else None,
        )
    for item, ref in ctx.entries:
        for name in TEXT_FIELDS:
            value = getattr(ref, name)
            if (
                isinstance(value, str)
                and ("{" in value or "}" in value)
                and not braces_balanced(value)
            ):
                yield Report(
                    f"the {label(name, ref)} has braces that do not pair up: {shown(value)}",
                    item,
                    field=name,
                )


_MATH = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")
_LATEX_LEFTOVER = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z\s]|[{}]")


def stray_latex(value: str) -> str | None:
    """The first LaTeX command or brace left in Unicode text (math ``$...$`` allowed)."""
    if "\\" not in value and "{" not in value and "}" not in value:
        return None
    match = _LATEX_LEFTOVER.search(_MATH.sub(" ", value))
    return match.group(0) if match else None


@register("MR105", "stray-latex", "warning")
def stray_latex_check(ctx: LintContext) -> Iterator[Report]:
    """LaTeX left in a field after conversion: a command mesorefs (and CSL) cannot read."""
    for item, ref in ctx.entries:
        for name in TEXT_FIELDS:
            value = getattr(ref, name)
            if isinstance(value, str):
                leftover = stray_latex(value)
                if leftover and (braces_balanced(value) or leftover[0] == "\\"):
                    yield Report(
                        f"the {label(name, ref)} still holds LaTeX {leftover!r} after conversion: "
                        f"{shown(value)}; write the character itself, or a standard command",
                        item,
                        field=name,
                    )
        for name in ("authors", "editors"):
            for person in getattr(ref, name):
                leftover = stray_latex(person.display())
                if leftover:
                    yield Report(
                        f"the name {person.display()!r} still holds LaTeX {leftover!r}; "
                        "write the accented letter itself or a standard accent command",
                        item,
                        field=name,
                    )
                    break


_UNSAFE_KEY_CHARS = re.compile(r"[\s,{}()=#%\"'\\~]")


def safe_key(key: str) -> str:
    """``Müller2020:ü`` -> ``Muller2020:u``: accents folded, unsafe characters dropped."""
    text = unicodedata.normalize("NFKD", key)
    kept = "".join(ch for ch in text if ch.isascii() and not unicodedata.combining(ch))
    return _UNSAFE_KEY_CHARS.sub("", kept)


@register("MR106", "key-not-ascii", "warning")
def key_not_ascii(ctx: LintContext) -> Iterator[Report]:
    """A citation key with non-ASCII or unsafe characters (BibTeX and LaTeX choke on them)."""
    for item, ref in ctx.entries:
        key = ref.key
        if not key or (key.isascii() and not _UNSAFE_KEY_CHARS.search(key)):
            continue
        suggestion = safe_key(key)
        what = "non-ASCII" if not key.isascii() else "unsafe"
        hint = f" such as {suggestion!r}" if suggestion else ""
        yield Report(
            f"key {key!r} has {what} characters; rename it to an ASCII key{hint} "
            "and update the citations",
            item,
            severity="error" if _UNSAFE_KEY_CHARS.search(key) else None,
        )
