"""Regular expressions compiled on first use, not when their module is imported.

A command pays at start-up for every pattern its modules compile at import, used or not
(`tidy` imports some seventy and uses a part of them on a small file).  A module writes
``_WORD = lazy(r"...")`` where it would write ``re.compile``; the first call of any
method compiles the pattern (``re.compile``, so the same object and cache) and puts the
compiled pattern's bound methods on the instance, so later calls go straight to them,
with no step of ours in between.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "finditer", "findall")


class LazyPattern(Generic[AnyStr]):
    """``re.compile(pattern, flags)``, compiled on the first call of one of its methods."""

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern: AnyStr = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern; from now on the methods are the compiled pattern's own."""
        compiled = re.compile(self.pattern, self.flags)
        for name in _METHODS:
            self.__dict__[name] = getattr(compiled, name)
        self.__dict__["compiled"] = lambda: compiled
        return compiled

    def match(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.match`."""
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self.compiled().fullmatch(string, pos, endpos)

    def search(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.search`."""
        return self.compiled().search(string, pos, endpos)

    def sub(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> AnyStr:
        """As :meth:`re.Pattern.sub`."""
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> tuple[AnyStr, int]:
        """As :meth:`re.Pattern.subn`."""
        return self.compiled().subn(repl, string, count)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        """As :meth:`re.Pattern.split` (a group that did not take part gives ``None``)."""
        return self.compiled().split(string, maxsplit)

    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[AnyStr]]:
        """As :meth:`re.Pattern.finditer`."""
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """As :meth:`re.Pattern.findall`."""
        return self.compiled().findall(string, pos, endpos)


def lazy(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> LazyPattern[AnyStr]:
    """A pattern compiled on first use: write it where ``re.compile`` would be."""
    return LazyPattern(pattern, int(flags))
