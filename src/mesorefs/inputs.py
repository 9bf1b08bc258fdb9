"""The checks text passes before a reader sees it (pure).

Bytes become text in :mod:`mesorefs.textfile`; here lone surrogates become U+FFFD, and
JSON (files and the services' answers alike) is parsed with limits on nesting, digits and
non-finite numbers.  Readers behind this boundary can then assume well-formed, bounded
data; what fails here is an :class:`~mesorefs.errors.InputError` naming the source, the
line and what was wrong.
"""

from __future__ import annotations

import json
import math
from typing import Any

from mesorefs.errors import InputError
from mesorefs.lazy_re import lazy

__all__ = ["MAX_JSON_DEPTH", "MAX_NUMBER_DIGITS", "load_json", "repair_surrogates"]

MAX_JSON_DEPTH = 64
"""CSL-JSON and the services' records nest a few levels; 64 leaves room and stays cheap."""
MAX_NUMBER_DIGITS = 40
"""Longer integers are no year, volume or count, and converting them costs quadratic time."""

_SURROGATE = lazy("[\ud800-\udfff]")


def repair_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (which no encoder can write) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


class _BadNumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a number JSON allows")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(f"a number of {len(text)} digits")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"{text[:20]} is too large a number")
    return value


def _clean(value: Any, depth: int, max_depth: int) -> Any:
    """``value`` with surrogates repaired; _BadNumber when it nests deeper than allowed."""
    if depth > max_depth:
        raise _BadNumber(f"nested deeper than {max_depth} levels")
    if isinstance(value, str):
        return repair_surrogates(value)
    if isinstance(value, list):
        return [_clean(item, depth + 1, max_depth) for item in value]
    if isinstance(value, dict):
        return {
            repair_surrogates(key): _clean(item, depth + 1, max_depth)
            for key, item in value.items()
        }
    return value


def load_json(text: str, source: str | None = None, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parsed JSON within the limits above; InputError with the line when it is not."""
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
        return _clean(data, 0, max_depth)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg}", source, line=error.lineno) from None
    except RecursionError:
        raise InputError(f"JSON nested deeper than {max_depth} levels", source) from None
    except _BadNumber as error:
        raise InputError(f"JSON {error}", source) from None
