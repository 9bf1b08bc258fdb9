"""A record's fields that scoring and deciding read, without building a Reference.

Matching a string scores every candidate a snapshot offers, and only one is accepted:
a :class:`RecordView` holds what :func:`~mesorefs.resolve.scoring.score_string` and
:func:`~mesorefs.resolve.decide.choose` read, each value exactly as a
:class:`~mesorefs.models.Reference` of the same record holds it (the model's own
:func:`~mesorefs.models.normal_form`, the same name and date objects), so a view scores
as its Reference does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mesorefs.models import PartialDate, Person, normal_form

__all__ = ["RecordView", "record_view"]


@dataclass(frozen=True, slots=True)
class RecordView:
    """What scoring and deciding read of a record (see the module docstring)."""

    doi: str | None = None
    title: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    number: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    issued: PartialDate | None = None

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None


_TEXT_FIELDS = (
    "doi",
    "title",
    "container_title",
    "container_title_short",
    "volume",
    "issue",
    "pages",
    "number",
    "publisher",
    "publisher_place",
)


def record_view(fields: dict[str, Any]) -> RecordView:
    """The view of the record whose Reference ``Reference.model_validate(fields)`` makes."""
    get = fields.get
    # Most fields are absent: normal_form is asked only for those present.
    texts = {
        name: normal_form(name, fields[name]) for name in _TEXT_FIELDS if get(name) is not None
    }
    return RecordView(
        authors=get("authors") or [],
        editors=get("editors") or [],
        issued=get("issued"),
        **texts,
    )
