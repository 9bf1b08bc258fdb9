"""Lint a bibliography (and the document that cites it): a registry of checks.

>>> findings = lint(Library.read("references.bib"))             # doctest: +SKIP
>>> fixed, changes = apply_fixes(library, findings)             # doctest: +SKIP
>>> print(format_text(findings)); exit_code(findings, "warning")  # doctest: +SKIP

Checks register themselves (see :mod:`mesorefs.lint.registry` for the id scheme);
importing this package imports every group of checks.  Offline checks are pure;
online ones run only when a resolver is given.
"""

import sys
import types
from typing import Any

from mesorefs.lint import (  # noqa: F401  (importing registers the checks)
    document_checks,
    field_checks,
    file_checks,
    identifier_checks,
    status_checks,
)
from mesorefs.lint.context import LintContext, ResolverLike
from mesorefs.lint.engine import apply_fixes, lint
from mesorefs.lint.model import (
    SEVERITIES,
    Change,
    Finding,
    Fix,
    Severity,
    at_or_above,
    exit_code,
    severity_rank,
)
from mesorefs.lint.output import SCHEMA, format_github, format_json, format_text, summary
from mesorefs.lint.registry import Check, Report, all_checks, get_check, register, selected

__all__ = [
    "SCHEMA",
    "SEVERITIES",
    "Change",
    "Check",
    "Finding",
    "Fix",
    "LintContext",
    "Report",
    "ResolverLike",
    "Severity",
    "all_checks",
    "apply_fixes",
    "at_or_above",
    "exit_code",
    "format_github",
    "format_json",
    "format_text",
    "get_check",
    "lint",
    "register",
    "selected",
    "severity_rank",
    "summary",
]


class _CallableModule(types.ModuleType):
    """``mesorefs.lint`` names both this package and the function that lints. Importing the
    package first (``import mesorefs.lint.engine``) binds the package over the function on
    ``mesorefs``, so the package lints when called, as the function does."""

    def __call__(self, *args: Any, **kwargs: Any) -> list[Finding]:
        return lint(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
