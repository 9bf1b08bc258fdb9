"""The words a Reference is made of, as plain data: CSL-JSON's item types and string
variables, and the names of a Reference's bibliographic fields.

No pydantic and no model here, so the readers that need only the names (``tidy``'s
path through :mod:`mesorefs.bibtex.lossless`) load neither; :mod:`mesorefs.csl` and
:mod:`mesorefs.models` take their vocabulary from here.
"""

from __future__ import annotations

__all__ = [
    "BIBLIOGRAPHIC_FIELDS",
    "CSL_TYPES",
    "FIELD_OF_VARIABLE",
    "IDENTIFIER_FIELDS",
    "LATEX_SOURCES",
    "MODELLED_ORIGINALS",
    "MODELLED_VARIABLES",
    "STRING_FIELDS",
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

IDENTIFIER_FIELDS = ("doi", "pmid", "pmcid", "arxiv", "isbn", "issn")
LATEX_SOURCES = frozenset({"user", "bibtex", "lint"})
"""Provenance sources whose text may hold LaTeX a person wrote (see
``Reference.plain_text_fields``)."""

# Every field that holds bibliographic data (what provenance and locks refer to).
BIBLIOGRAPHIC_FIELDS = (
    "type",
    "title",
    "authors",
    "editors",
    "issued",
    *[name for name in STRING_FIELDS if name != "title"],
    "arxiv",
)
