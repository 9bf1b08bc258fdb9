"""mesorefs: model, normalize, resolve, check and format the references you cite.

The errors are imported at once; everything else (models, Library, parser, resolver,
claim checker, renderer, lint) loads on first use, so ``import mesorefs`` (and
``mesorefs --version``) costs next to nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mesorefs.errors import (
    BibtexError,
    DeadlineExceeded,
    InputError,
    InvalidIdentifier,
    MesorefsError,
    NetworkError,
    NotFound,
    OfflineMiss,
    OutputError,
    ParseError,
    RateLimited,
    RenderError,
    ResolveError,
    ServiceError,
    SettingsError,
    VerifierError,
)

if TYPE_CHECKING:
    from mesorefs.bibtex.tidy import tidy_bibtex
    from mesorefs.claims import ClaimReport, check_claims
    from mesorefs.library import Library
    from mesorefs.lint import Finding, lint
    from mesorefs.models import PartialDate, Person, Provenance, Reference, Update
    from mesorefs.parsing import find_reference_section, parse_reference, parse_references
    from mesorefs.render import format_bibliography, format_citation
    from mesorefs.resolve import Resolver, ResolveResult
    from mesorefs.settings import Settings
    from mesorefs.verify import VerifyReport, verify_bibliography

__version__ = "0.1.0"

_LAZY = {
    "Library": "mesorefs.library",
    "tidy_bibtex": "mesorefs.bibtex.tidy",
    "Finding": "mesorefs.lint",
    "lint": "mesorefs.lint",
    "PartialDate": "mesorefs.models",
    "Person": "mesorefs.models",
    "Provenance": "mesorefs.models",
    "Reference": "mesorefs.models",
    "Update": "mesorefs.models",
    "ClaimReport": "mesorefs.claims",
    "check_claims": "mesorefs.claims",
    "find_reference_section": "mesorefs.parsing",
    "parse_reference": "mesorefs.parsing",
    "parse_references": "mesorefs.parsing",
    "format_bibliography": "mesorefs.render",
    "format_citation": "mesorefs.render",
    "Resolver": "mesorefs.resolve",
    "ResolveResult": "mesorefs.resolve",
    "Settings": "mesorefs.settings",
    "VerifyReport": "mesorefs.verify",
    "verify_bibliography": "mesorefs.verify",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mesorefs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, the lazily loaded ones included (``dir()``, ``help()``, completion)."""
    return sorted(set(globals()) | set(__all__) | set(_LAZY))


__all__ = [
    "BibtexError",
    "ClaimReport",
    "DeadlineExceeded",
    "Finding",
    "InputError",
    "InvalidIdentifier",
    "Library",
    "MesorefsError",
    "NetworkError",
    "NotFound",
    "OfflineMiss",
    "OutputError",
    "ParseError",
    "PartialDate",
    "Person",
    "Provenance",
    "RateLimited",
    "Reference",
    "RenderError",
    "ResolveError",
    "ResolveResult",
    "Resolver",
    "ServiceError",
    "Settings",
    "SettingsError",
    "Update",
    "VerifierError",
    "VerifyReport",
    "__version__",
    "check_claims",
    "find_reference_section",
    "format_bibliography",
    "format_citation",
    "lint",
    "parse_reference",
    "parse_references",
    "tidy_bibtex",
    "verify_bibliography",
]
