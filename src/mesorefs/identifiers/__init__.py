"""Find, validate and normalize scholarly identifiers: DOI, PMID, PMCID, arXiv, ISBN, ISSN, ORCID.

Everything here is pure (no I/O).  ``normalize_*`` functions return one canonical
form and raise :class:`~mesorefs.errors.InvalidIdentifier` on anything else;
``find_*`` functions scan free text in linear time and never raise on bad input.

Canonical forms:

========  ===========================  ==========================================
kind      canonical                    notes
========  ===========================  ==========================================
doi       ``10.1000/abc``              lower-cased, no ``doi:`` or URL prefix
pmid      ``36367692``                 1-9 digits, no leading zero
pmcid     ``PMC3531190``
arxiv     ``1706.03762v5``             old scheme without subject class:
                                       ``math/0611800v2``; no ``arXiv:`` prefix
isbn      ``9780306406157``            always ISBN-13, check digit verified
issn      ``0378-5955``                check digit verified
orcid     ``0000-0002-1825-0097``      check digit verified (ISO 7064 11,2)
========  ===========================  ==========================================
"""

from __future__ import annotations

from mesorefs.identifiers.find import FoundIdentifier, find_dois, find_identifiers
from mesorefs.identifiers.schemes import (
    arxiv_base,
    clean_doi,
    doi_equal,
    doi_url,
    is_doi,
    is_valid,
    isbn10_to_13,
    isbn13_to_10,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_orcid,
    normalize_pmcid,
    normalize_pmid,
)

__all__ = [
    "FoundIdentifier",
    "arxiv_base",
    "clean_doi",
    "doi_equal",
    "doi_url",
    "find_dois",
    "find_identifiers",
    "is_doi",
    "is_valid",
    "isbn10_to_13",
    "isbn13_to_10",
    "normalize_arxiv",
    "normalize_doi",
    "normalize_isbn",
    "normalize_issn",
    "normalize_orcid",
    "normalize_pmcid",
    "normalize_pmid",
]
