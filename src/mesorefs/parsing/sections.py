"""Find the reference section of a document and split it into entries.

Headings are recognised on their own line ("References", "Bibliography",
"Sources & references used in this article:", "Literature cited", "Works
cited", ... in Markdown or plain text, numbered or not); the last one in the
document wins.  Entries are split on numbering (``[1]``, ``1.``, ``(1)``),
bullets, blank lines, hanging indents, or one per line, joining lines that
continue an entry.  Everything is a single pass over the lines.
"""

from __future__ import annotations

import re

__all__ = ["find_reference_section", "split_block", "split_entries", "strip_heading"]

_HEADING_WORDS = (
    r"references?(?:\s+(?:and|&)\s+notes)?|bibliography|bibliographie|literatur(?:e)?"
    r"(?:\s+cited)?|literaturverzeichnis|works\s+cited|cited\s+literature|reference\s+list|"
    r"sources(?:\s*(?:&|and)\s*references?)?|références(?:\s+bibliographiques)?|"
    r"referencias|riferimenti(?:\s+bibliografici)?|bibliografia|notes\s+and\s+references|"
    r"further\s+reading|citations|works\s+consulted|selected\s+bibliography"
)
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?(?:[0-9IVX]+\.?[ \t]+)?"
    rf"(?:{_HEADING_WORDS})\b[^\n]{{0,40}}?(?:\*\*|__)?[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_END_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:[0-9IVX]+\.?[ \t]+)?(?:appendix|appendices|acknowledg|"
    r"supplementary|supporting information|about the authors?|author contributions|"
    r"conflicts? of interest|funding|footnotes|figure legends|tables?\b)[^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,6}\]|\(\d{1,6}\)|\d{1,6}[.)](?=\s)|\d{1,4}\s(?=\D))")
_BULLET = re.compile(r"^\s*[-*•·‣▪◦–]\s+")
_CONTINUE_END = re.compile(r"(?:[,;:&\-–(]|\b(?:and|in|of|the|&|to|for|et|ed|eds|by|In))$")
_MAX_LINE = 5000


def strip_heading(block: str) -> str:
    """``block`` without a reference-section heading on its first non-blank line."""
    m = _HEADING.search(block)
    if m and not block[: m.start()].strip():
        return block[m.end() :]
    return block


def find_reference_section(document: str) -> str | None:
    """The text under the last reference-section heading, or ``None`` when there is none."""
    if not document:
        return None
    last = None
    for m in _HEADING.finditer(document):
        last = m
    if last is None:
        return None
    body = document[last.end() :]
    end = _END_HEADING.search(body)
    if end:
        body = body[: end.start()]
    body = body.strip("\n")
    return body if body.strip() else None


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif out.endswith("-") and line[:1].islower():
            out += line
        else:
            out += " " + line
    return out


def _marker(line: str) -> bool:
    return bool(_NUMBERED.match(line) or _BULLET.match(line))


def split_entries(block: str) -> list[str]:
    """The entries of a reference block, each on one line, bullets and spacing removed."""
    return split_block(block)[0]


def split_block(block: str) -> tuple[list[str], list[str]]:
    """The entries of a reference block (as :func:`split_entries`), and the lines left out
    because they are too long to be part of a reference."""
    all_lines = block.splitlines()
    lines = [ln for ln in all_lines if len(ln) <= _MAX_LINE]
    overlong = [ln for ln in all_lines if len(ln) > _MAX_LINE]
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return [], overlong
    marked = sum(1 for ln in nonblank if _marker(ln))
    blank_separated = any(not ln.strip() for ln in lines[1:-1]) and len(nonblank) > 1
    indents = [len(ln) - len(ln.lstrip()) for ln in nonblank]
    base = min(indents)
    hanging = any(i > base for i in indents) and sum(i == base for i in indents) > 1
    entries: list[list[str]] = []
    previous_blank = True
    for line in lines:
        if not line.strip():
            previous_blank = True
            continue
        indent = len(line) - len(line.lstrip())
        if marked >= max(2, len(nonblank) // 3):
            start = _marker(line)
        elif hanging:
            start = indent == base
        elif blank_separated:
            start = previous_blank
        else:
            start = not _continues(entries[-1][-1], line) if entries else True
        if start or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
        previous_blank = False
    out = []
    for entry in entries:
        text = _join(entry)
        text = _BULLET.sub("", text, count=1)
        if text.strip():
            out.append(text.strip())
    return out, overlong


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the entry that ``previous`` started."""
    prev = previous.rstrip()
    first = line.lstrip()[:1]
    if not first:
        return False
    if first.islower() or (first in ",;:)]"):
        return True
    if _CONTINUE_END.search(prev):
        return True
    return bool(first.isdigit() and not _NUMBERED.match(line))
