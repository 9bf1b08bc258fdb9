"""A record's name list is read up to MAX_PEOPLE names and then marked cut off."""

from __future__ import annotations

import pytest

from mesorefs.library import Library
from mesorefs.models import Reference
from mesorefs.resolve import crossref, doiorg
from mesorefs.resolve._common import MAX_PEOPLE
from mesorefs.resolve.merge import merge


def names(count: int) -> list[dict[str, str]]:
    return [{"given": "A", "family": f"Family{i}"} for i in range(count)]


def crossref_record(authors: list[dict[str, str]]) -> Reference:
    message = {"DOI": "10.1/x", "type": "journal-article", "title": ["T"], "author": authors}
    return crossref.parse_work({"status": "ok", "message-type": "work", "message": message})


@pytest.mark.parametrize(
    ("count", "kept", "cut"),
    [(3, 3, False), (MAX_PEOPLE, MAX_PEOPLE, False), (MAX_PEOPLE * 20, MAX_PEOPLE, True)],
    ids=["few", "exactly-the-cap", "twenty-times"],
)
def test_crossref_names_are_capped_and_marked(count: int, kept: int, cut: bool) -> None:
    """Up to MAX_PEOPLE names are kept; a longer list is cut and marked truncated."""
    record = crossref_record(names(count))
    assert len(record.authors) == kept
    assert ("authors" in record.truncated) is cut


def test_doiorg_names_are_capped_and_marked() -> None:
    """doi.org's CSL JSON gets the same cap."""
    payload = {"DOI": "10.1/x", "type": "article-journal", "title": "T"}
    record = doiorg.parse_csl({**payload, "author": names(MAX_PEOPLE + 1)})
    assert len(record.authors) == MAX_PEOPLE and "authors" in record.truncated


def test_a_cut_list_is_merged_and_written_as_and_others() -> None:
    """An entry filled from a cut list keeps the mark, and BibTeX says "and others"."""
    record = crossref_record(names(MAX_PEOPLE + 5))
    merged = merge(Reference(key="k", title="T"), record, "crossref").reference
    assert "authors" in merged.truncated
    text = Library([merged]).to_bibtex()
    assert text.count(" and ") == MAX_PEOPLE and " and others" in text
