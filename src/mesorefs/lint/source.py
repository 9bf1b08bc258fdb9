"""Where entries and fields sit in the raw .bib text: a key -> line map. Pure.

``Reference`` carries no line numbers, so lint scans the text it was read from for
entry starts (``@type{key,``) and, inside an entry, for ``name =`` field starts.
Entries are matched to references by key, in order, so a key used twice maps the
first reference to the first entry and the second to the second.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

__all__ = ["BIBTEX_NAMES", "SourceEntry", "SourceMap", "line_of", "line_starts"]

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.M)
_NOT_ENTRIES = frozenset({"string", "comment", "preamble"})

BIBTEX_NAMES: dict[str, tuple[str, ...]] = {
    "authors": ("author",),
    "editors": ("editor",),
    "issued": ("year", "date"),
    "container_title": ("journal", "journaltitle", "booktitle", "howpublished"),
    "container_title_short": ("shortjournal", "journalabbrev"),
    "collection_title": ("series", "booktitle"),
    "publisher": ("publisher", "school", "institution", "organization"),
    "publisher_place": ("address", "location"),
    "issue": ("number", "issue"),
    "arxiv": ("eprint",),
    "annote": ("annote", "annotation"),
    "language": ("langid", "language"),
    "genre": ("type",),
    "event_title": ("eventtitle",),
}
"""BibTeX field names that hold each of our fields (ours when not listed)."""


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def line_of(starts: list[int], offset: int) -> int:
    """The 1-based line of ``offset`` given the offsets where lines start."""
    return bisect.bisect_right(starts, offset)


@dataclass
class SourceEntry:
    """One entry start in the text: its key, first line and the line before the next entry."""

    key: str
    line: int
    end_line: int
    _fields: dict[str, int] | None = field(default=None, repr=False)


class SourceMap:
    """Entry and field lines of one .bib text."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        found: list[tuple[str, int]] = []
        line, position = 1, 0
        for match in _ENTRY_START.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            if match.group(1).lower() in _NOT_ENTRIES:
                continue
            found.append((match.group(2), line))
        self.entries: list[SourceEntry] = []
        for i, (key, line) in enumerate(found):
            end = found[i + 1][1] - 1 if i + 1 < len(found) else len(self._lines)
            self.entries.append(SourceEntry(key, line, end))
        self._queues: dict[str, deque[SourceEntry]] = defaultdict(deque)
        for entry in self.entries:
            self._queues[entry.key.lower()].append(entry)

    def take(self, key: str | None) -> SourceEntry | None:
        """The next unclaimed entry with this key (each entry is handed out once)."""
        if not key:
            return None
        queue = self._queues.get(key.lower())
        return queue.popleft() if queue else None

    def field_line(self, entry: SourceEntry, name: str | None) -> int:
        """The line where one of our fields is written in ``entry`` (the entry's line if none)."""
        if name is None:
            return entry.line
        if entry._fields is None:
            entry._fields = {}
            for number in range(entry.line, entry.end_line + 1):
                text = self._lines[number - 1] if number - 1 < len(self._lines) else ""
                match = re.match(r"\s*([A-Za-z][\w.:-]*)\s*=", text)
                if match:
                    entry._fields.setdefault(match.group(1).lower(), number)
        for candidate in BIBTEX_NAMES.get(name, (name,)):
            if candidate in entry._fields:
                return entry._fields[candidate]
        return entry.line
