"""CSL-JSON: a list of CSL items <-> References."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from mesorefs.errors import InputError
from mesorefs.inputs import load_json
from mesorefs.models import Reference

__all__ = ["dumps_csl_json", "loads_csl_json"]


def loads_csl_json(text: str, source: str | None = None) -> list[Reference]:
    """Read a CSL-JSON array (or a single item); errors name the item that is wrong."""
    data: Any = load_json(text, source)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError("CSL-JSON must be an array of items", source)
    references = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise InputError("not a JSON object", source, item=index)
        try:
            reference = Reference.from_csl(item)
        except InputError as error:
            label = item.get("id")
            named = f" ({str(label)[:40]})" if isinstance(label, (str, int)) else ""
            raise InputError(f"{named.strip()} {error}".strip(), source, item=index) from None
        reference._plain_text = True  # CSL-JSON holds text, never LaTeX
        references.append(reference)
    return references


def dumps_csl_json(references: Iterable[Reference]) -> str:
    """A CSL-JSON array, indented, with a trailing newline."""
    return json.dumps([r.to_csl() for r in references], indent=2, ensure_ascii=False) + "\n"
