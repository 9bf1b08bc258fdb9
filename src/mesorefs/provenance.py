"""What a reference carries about its data: where each field came from, and notices
(retraction, correction, ...) attached to the work.  Re-exported by :mod:`mesorefs.models`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Provenance", "Update"]


class Provenance(BaseModel):
    """Where a field's value came from."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    source: str
    """``user``, ``bibtex``, ``parser``, ``crossref``, ``pubmed``, ..."""
    retrieved: datetime | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    detail: str | None = None
    """A URL, a query or a note that lets someone check the value."""


class Update(BaseModel):
    """A notice attached to a work: retraction, correction, expression of concern."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: Literal["retraction", "correction", "expression-of-concern", "withdrawal", "other"]
    doi: str | None = None
    date: str | None = None
    source: str | None = None
    label: str | None = None
