"""CSL-JSON's vocabulary (item types, the plain string variables) and the shape an item
must have before :meth:`mesorefs.models.Reference.from_csl` reads it (pure data and
pydantic shapes; nothing here knows a Reference)."""

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

__all__ = [
    "CSL_TYPES",
    "FIELD_OF_VARIABLE",
    "MODELLED_ORIGINALS",
    "MODELLED_VARIABLES",
    "STRING_FIELDS",
    "first_problem",
    "item_shape",
]

# CSL 1.0.2 item types.
CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture
    musical_score pamphlet paper-conference patent performance periodical
    personal_communication post post-weblog regulation report review review-book software song
    speech standard thesis treaty webpage
    """.split()
)

# Plain string fields, in the order they are written.  Keys are our names,
# values the CSL-JSON variable names.
STRING_FIELDS: dict[str, str] = {
    "title": "title",
    "container_title": "container-title",
    "container_title_short": "container-title-short",
    "collection_title": "collection-title",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "number": "number",
    "edition": "edition",
    "genre": "genre",
    "publisher": "publisher",
    "publisher_place": "publisher-place",
    "event_title": "event-title",
    "language": "language",
    "url": "URL",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "isbn": "ISBN",
    "issn": "ISSN",
    "abstract": "abstract",
    "note": "note",
    "annote": "annote",
}


MODELLED_ORIGINALS = ("author", "editor", "issued", "type", *STRING_FIELDS.values())
"""Variables the model holds in a form that may keep less than CSL-JSON said."""
FIELD_OF_VARIABLE = {csl: ours for ours, csl in STRING_FIELDS.items()}
MODELLED_VARIABLES = frozenset(
    {"id", "type", "custom", *MODELLED_ORIGINALS}
    | {name for csl in STRING_FIELDS.values() for name in (csl, csl.lower())}
)
"""The variables the model reads (the others are kept as they came)."""


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
