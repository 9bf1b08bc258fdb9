"""The memo tables (``functools`` caches) of loaded modules: found, counted, cleared.

Speed measured on data a process has seen before is speed of its caches; a benchmark
that wants the cost of a user's next, different file clears them between rounds.
The tables are found by walking the loaded modules (their functions and the methods
of their classes), never from a hand-kept list, so a new cache cannot be missed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["clear_memo_tables", "memo_tables"]


def _is_cache(value: object) -> bool:
    return callable(getattr(value, "cache_clear", None)) and callable(
        getattr(value, "cache_info", None)
    )


def _is_table(cache: Any) -> bool:
    """A table of values, not a lazily built object (a parser's macro database, an
    encoder): those hold at most two entries and cost the same on any data."""
    maxsize = cache.cache_info().maxsize
    return maxsize is None or maxsize > 2


def memo_tables(prefixes: tuple[str, ...] = ("mesorefs",)) -> Iterator[tuple[str, Any]]:
    """``(qualified name, cache)`` for every cache of the loaded modules under ``prefixes``.

    Module-level functions (``lru_cache``-decorated or wrapped) and methods of the
    module's classes are found; each cache once, under the first name that holds it.
    Caches of at most two entries are lazily built objects, not tables, and are left out.
    """
    seen: set[int] = set()
    for name, module in sorted(sys.modules.copy().items()):
        if module is None or not any(
            name == prefix or name.startswith(prefix + ".") for prefix in prefixes
        ):
            continue
        for attr, value in list(vars(module).items()):
            candidates = [(f"{name}.{attr}", value)]
            if isinstance(value, type) and value.__module__ == name:
                candidates += [
                    (f"{name}.{attr}.{member}", inner)
                    for member, inner in vars(value).items()
                    if not member.startswith("__")
                ]
            for qualified, candidate in candidates:
                candidate = getattr(candidate, "__func__", candidate)  # class/static methods
                if _is_cache(candidate) and _is_table(candidate) and id(candidate) not in seen:
                    seen.add(id(candidate))
                    yield qualified, candidate


def clear_memo_tables(prefixes: tuple[str, ...] = ("mesorefs",)) -> int:
    """Empty every cache :func:`memo_tables` finds; how many tables were cleared."""
    count = 0
    for _, cache in memo_tables(prefixes):
        cache.cache_clear()
        count += 1
    return count
