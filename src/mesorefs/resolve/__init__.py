"""Resolve references online: Crossref, DataCite, doi.org, PubMed, OpenAlex, arXiv."""

from mesorefs.resolve.merge import Change, Conflict, MergeResult
from mesorefs.resolve.resolver import Candidate, Resolver, ResolveResult
from mesorefs.resolve.scoring import MatchScore

__all__ = [
    "Candidate",
    "Change",
    "Conflict",
    "MatchScore",
    "MergeResult",
    "ResolveResult",
    "Resolver",
]
