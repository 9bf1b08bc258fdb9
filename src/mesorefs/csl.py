"""CSL-JSON's vocabulary (item types, the plain string variables) and the shape an item
must have before :meth:`mesorefs.models.Reference.from_csl` reads it (pydantic shapes;
the vocabulary itself is plain data in :mod:`mesorefs.vocabulary`; nothing here knows a
Reference)."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import (
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    create_model,
)

from mesorefs.vocabulary import (
    CSL_TYPES,
    FIELD_OF_VARIABLE,
    MODELLED_ORIGINALS,
    MODELLED_VARIABLES,
    STRING_FIELDS,
)

__all__ = [
    "CSL_TYPES",
    "FIELD_OF_VARIABLE",
    "MODELLED_ORIGINALS",
    "MODELLED_VARIABLES",
    "STRING_FIELDS",
    "first_problem",
    "item_shape",
]

_Number = Annotated[float, Strict(), AllowInfNan(False)]
_Scalar = Annotated[str, Strict()] | Annotated[int, Strict()] | _Number


class _CslNameShape(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)

    family: _Scalar | None = None
    given: _Scalar | None = None
    literal: _Scalar | None = None
    suffix: _Scalar | None = None


class _CslDateShape(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    date_parts: list[list[_Scalar | None]] | None = Field(default=None, alias="date-parts")
    raw: _Scalar | None = None
    literal: _Scalar | None = None


class _CslCustomShape(BaseModel):
    """``custom``: anything, but mesorefs' own bookkeeping must be an object."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    mesorefs: dict[str, Any] | None = None


@functools.lru_cache(maxsize=1)
def item_shape() -> type[BaseModel]:
    """What :meth:`Reference.from_csl` relies on; anything else in an item is ignored.

    Built on first use: a command that reads no CSL-JSON never pays for it.
    """
    text = _Scalar | list[_Scalar] | None
    spellings = sorted({n for csl in STRING_FIELDS.values() for n in (csl, csl.lower())})
    fields: dict[str, Any] = {
        f"text_{index}": (text, Field(default=None, alias=name))
        for index, name in enumerate(spellings)
    }
    return create_model(
        "CslItemShape",
        __config__=ConfigDict(extra="allow"),
        id=(_Scalar | None, Field(default=None, alias="id")),
        type=(Annotated[str, Strict()] | None, None),
        author=(list[_CslNameShape] | None, None),
        editor=(list[_CslNameShape] | None, None),
        issued=(_CslDateShape | _Scalar | None, None),
        custom=(_CslCustomShape | None, None),
        **fields,
    )


_TYPE_MISMATCHES = frozenset(
    {"string_type", "int_type", "float_type", "model_type", "list_type", "dict_type"}
)


def first_problem(error: ValidationError, data: Any = None) -> str:
    """One line for a pydantic error: where in the item (the item's own keys, not the
    alternatives pydantic tried), and what was wrong (the most specific complaint)."""
    problems = error.errors()
    specific = [p for p in problems if p["type"] not in _TYPE_MISMATCHES]
    first = (specific or problems)[0]
    where: list[str] = []
    node = data
    for part in first["loc"]:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        elif data is not None:
            continue  # a union member's name, not a place in the item
        where.append(str(part))
    if not where:  # a field of the Reference built from the item
        where = [str(part) for part in first["loc"]]
    message = str(first["msg"]).splitlines()[0] if first["msg"] else "invalid"
    return f"{'.'.join(where)}: {message}" if where else message
