"""Helpers for the lint tests: a library from BibTeX text, findings of one check."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mesorefs.library import Library
from mesorefs.lint import Finding, lint


def library_of(text: str) -> Library:
    """A library read from BibTeX text."""
    return Library.from_bibtex(text)


RunCheck = Callable[..., list[Finding]]


@pytest.fixture
def run_check() -> RunCheck:
    """Lint BibTeX text (or a library) with one check selected; lines come from the text."""

    def run(check: str, source: str | Library, **options: object) -> list[Finding]:
        if isinstance(source, Library):
            return lint(source, select=[check], year=2024, **options)  # type: ignore[arg-type]
        return lint(
            library_of(source),
            select=[check],
            source_text=source,
            path="refs.bib",
            year=2024,
            **options,  # type: ignore[arg-type]
        )

    return run
