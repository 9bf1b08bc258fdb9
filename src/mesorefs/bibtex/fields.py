"""Which BibTeX field holds which ``Reference`` field: shared by reading and writing."""

from __future__ import annotations

__all__ = ["TEXT_FIELDS"]

# BibTeX field -> our field, for plain text fields.
TEXT_FIELDS: dict[str, str] = {
    "journal": "container_title",
    "journaltitle": "container_title",
    "shortjournal": "container_title_short",
    "journalabbrev": "container_title_short",
    "series": "collection_title",
    "volume": "volume",
    "edition": "edition",
    "publisher": "publisher",
    "address": "publisher_place",
    "location": "publisher_place",
    "eventtitle": "event_title",
    "language": "language",
    "langid": "language",
    "abstract": "abstract",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "pages": "pages",
    "issue": "issue",
}
