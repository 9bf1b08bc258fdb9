"""The forms a Reference keeps its text in, as plain functions: whitespace collapsed,
page ranges and identifiers canonical.

:mod:`mesorefs.models` validates with these; a reader that writes fields without a
model (``tidy``, :mod:`mesorefs.bibtex.lossless`) uses them without loading pydantic.
"""

from __future__ import annotations

from typing import Any

from mesorefs.errors import InvalidIdentifier
from mesorefs.inputs import repair_surrogates
from mesorefs.lazy_re import lazy
from mesorefs.vocabulary import IDENTIFIER_FIELDS

__all__ = ["clean_text", "normal_form", "normalize_pages"]

_PAGE_RANGE = lazy(r"^\s*([A-Za-z]?\d+[A-Za-z]?)\s*(?:-+|–|—|‐|‑|‒)\s*([A-Za-z]?\d+[A-Za-z]?)\s*$")


def clean_text(value: Any) -> Any:
    """Collapse runs of whitespace; empty strings become None."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = " ".join(repair_surrogates(value).split())
    return value or None


def normalize_pages(value: str) -> str:
    """``1420 – 1424`` and ``1420--1424`` become ``1420-1424``; ``472-472`` is page ``472``
    (styles that shorten ranges would print it as "472-2"); anything else is kept."""
    match = _PAGE_RANGE.match(value)
    if match:
        first, last = match.groups()
        return first if first == last else f"{first}-{last}"
    return value.strip()


def _normalized_identifier(kind: str, value: str) -> str:
    """The canonical identifier, or the text as given when it is not valid (lint reports it)."""
    # Loaded here, on the first identifier: a command whose entries carry none (tidy of
    # most files) never compiles the identifier patterns.
    from mesorefs import identifiers

    normalize = {
        "doi": identifiers.clean_doi,  # case kept as written; compared without it
        "pmid": identifiers.normalize_pmid,
        "pmcid": identifiers.normalize_pmcid,
        "arxiv": identifiers.normalize_arxiv,
        "isbn": identifiers.normalize_isbn,
        "issn": identifiers.normalize_issn,
    }[kind]
    try:
        return normalize(value)
    except InvalidIdentifier:
        return value


def normal_form(field: str, value: Any) -> Any:
    """A string field's value as the model holds it: whitespace collapsed, pages and
    identifiers in their canonical form; None for an empty value."""
    text = clean_text(value)
    if not text:
        return None
    if field == "pages":
        return normalize_pages(text)
    if field in IDENTIFIER_FIELDS:
        return _normalized_identifier(field, text)
    return text
