"""mesorefs: model, normalize, resolve, check and format the references you cite."""

from mesorefs.errors import (
    BibtexError,
    InputError,
    InvalidIdentifier,
    MesorefsError,
    NetworkError,
    NotFound,
    OfflineMiss,
    ParseError,
    RateLimited,
    RenderError,
    ResolveError,
    ServiceError,
)
from mesorefs.library import Library, tidy_bibtex
from mesorefs.models import PartialDate, Person, Provenance, Reference, Update

__version__ = "0.1.0"

__all__ = [
    "BibtexError",
    "InputError",
    "InvalidIdentifier",
    "Library",
    "MesorefsError",
    "NetworkError",
    "NotFound",
    "OfflineMiss",
    "ParseError",
    "PartialDate",
    "Person",
    "Provenance",
    "RateLimited",
    "Reference",
    "RenderError",
    "ResolveError",
    "ServiceError",
    "Update",
    "__version__",
    "tidy_bibtex",
]
