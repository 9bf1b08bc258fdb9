"""Resolve references online: Crossref, DataCite, doi.org, PubMed, OpenAlex, arXiv."""

from mesorefs.resolve.match import MatchScore
from mesorefs.resolve.merge import Change, Conflict, MergeResult
from mesorefs.resolve.resolver import Candidate, Resolver, ResolveResult

__all__ = [
    "Candidate",
    "Change",
    "Conflict",
    "MatchScore",
    "MergeResult",
    "ResolveResult",
    "Resolver",
]
