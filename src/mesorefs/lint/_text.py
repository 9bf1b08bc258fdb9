"""Small pure helpers the checks share."""

from __future__ import annotations

import functools
import re
import unicodedata

from mesorefs.bibtex.keys import fold_ascii
from mesorefs.models import Reference

TEXT_FIELDS = (
    "title",
    "container_title",
    "container_title_short",
    "collection_title",
    "publisher",
    "publisher_place",
    "event_title",
    "edition",
    "genre",
    "volume",
    "issue",
    "pages",
    "number",
)
"""String fields that hold prose (LaTeX and ellipses are looked for in these)."""

_LABELS = {
    "container_title": "container title",
    "container_title_short": "journal abbreviation",
    "collection_title": "series",
    "publisher_place": "address",
    "issued": "year",
    "authors": "author list",
    "editors": "editor list",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "arxiv": "arXiv id",
    "isbn": "ISBN",
    "issn": "ISSN",
    "event_title": "event title",
}

_PREPRINT_DOI_PREFIXES = (
    "10.48550/",  # arXiv
    "10.1101/",  # bioRxiv, medRxiv
    "10.31234/",  # PsyArXiv
    "10.31219/",  # OSF Preprints
    "10.20944/",  # Preprints.org
    "10.21203/",  # Research Square
    "10.2139/",  # SSRN
    "10.26434/",  # ChemRxiv
)


_CONTAINERS = {
    "article-journal": "journal",
    "article-magazine": "magazine",
    "article-newspaper": "newspaper",
    "chapter": "book title",
    "paper-conference": "proceedings title",
    "webpage": "website",
}
_KINDS = {
    "article-journal": "@article",
    "paper-conference": "@inproceedings",
    "chapter": "@incollection",
    "webpage": "@online",
    "manuscript": "@unpublished",
    "article": "preprint",
    "document": "@misc",
}


def label(field: str | None, ref: Reference | None = None) -> str:
    """A field's name as a user reads it (the container named by the entry's type)."""
    if field is None:
        return "entry"
    if field == "container_title" and ref is not None:
        return _CONTAINERS.get(ref.type, "container title")
    return _LABELS.get(field, field.replace("_", " "))


def kind(ref: Reference) -> str:
    """The entry's type as a user knows it: ``@article``, ``@book``, ``preprint``..."""
    if ref.bibtex_type:
        return "@" + ref.bibtex_type
    return _KINDS.get(ref.type, "@" + ref.type)


def who(ref: Reference, item: int) -> str:
    """How a message names an entry: its key, or its position."""
    return repr(ref.key) if ref.key else f"entry {item + 1}"


def is_preprint(ref: Reference) -> bool:
    """A preprint record: CSL ``article``, an arXiv id without a venue, a preprint DOI."""
    doi = (ref.doi or "").lower()
    return (
        ref.type == "article"
        or (bool(ref.arxiv) and not ref.container_title)
        or doi.startswith(_PREPRINT_DOI_PREFIXES)
    )


def family_key(ref: Reference) -> str:
    """The first author's family name folded to lower-case ASCII letters."""
    return fold_ascii(ref.first_author_family or "").lower()


@functools.lru_cache(maxsize=4096)
def venue_key(name: str) -> str:
    """A journal name reduced for comparison: case, accents, punctuation, '&'/'and', 'the'."""
    text = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"\w+", text)
    return " ".join(w for w in words if w not in ("the", "and", "of"))


def shown(value: str, limit: int = 60) -> str:
    """``value`` quoted for a message, shortened when long."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)
