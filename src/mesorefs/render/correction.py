"""One correction around the engine: what it does, where it acts, and what justifies it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["STAGES", "Correction", "Stage"]

Stage = Literal["style", "items", "cite", "engine", "text"]
STAGES: tuple[Stage, ...] = ("style", "items", "cite", "engine", "text")
"""Where a correction acts, in pipeline order: the style XML the engine reads, the CSL
items it reads, each cite of a citation, the engine's document tree (and the probe runs
that read the style's terms), the rendered text."""


@dataclass(frozen=True)
class Correction:
    """One difference between pandoc's citeproc and citeproc-js, and what we do about it."""

    name: str
    does: str
    stages: tuple[Stage, ...]
    hooks: tuple[Callable[..., Any], ...]
    """The functions that carry it out, in the order they act."""
    fixtures: tuple[str, ...] = ()
    """CSL test-suite fixtures (``shared/data/csl-suite``) that show the difference."""
