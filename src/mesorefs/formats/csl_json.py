"""CSL-JSON: a list of CSL items <-> References."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from mesorefs.errors import InputError
from mesorefs.models import Reference

__all__ = ["dumps_csl_json", "loads_csl_json"]


def loads_csl_json(text: str, source: str | None = None) -> list[Reference]:
    """Read a CSL-JSON array (or a single item); errors name the item that is wrong."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON at line {error.lineno}: {error.msg}", source) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError("CSL-JSON must be an array of items", source)
    references = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise InputError(f"item {index} is not a JSON object", source)
        try:
            references.append(Reference.from_csl(item))
        except (ValidationError, ValueError) as error:
            first = str(error).splitlines()
            detail = first[-1].strip() if first else "invalid"
            raise InputError(f"item {index} ({item.get('id', '?')}): {detail}", source) from None
    return references


def dumps_csl_json(references: Iterable[Reference]) -> str:
    """A CSL-JSON array, indented, with a trailing newline."""
    return json.dumps([r.to_csl() for r in references], indent=2, ensure_ascii=False) + "\n"
