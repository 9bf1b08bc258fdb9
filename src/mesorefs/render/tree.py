"""Pandoc's JSON document tree, as the engine hands it back and the writers read it."""

from __future__ import annotations

from typing import Any

__all__ = ["Node"]

Node = dict[str, Any]
"""One element of pandoc's JSON document tree."""
