"""Findings as text for people, JSON for programs, and GitHub Actions annotations.

JSON schema ``mesorefs.lint/1``::

    {
      "schema": "mesorefs.lint/1",
      "summary": {"error": 0, "warning": 2, "info": 5, "fixable": 1},
      "findings": [
        {
          "check": "MR301",                  # stable id
          "name": "truncated-field",         # stable readable name
          "severity": "warning",             # "info" | "warning" | "error"
          "message": "the journal ... is cut off (...); replace it ...",
          "file": "references.bib",          # or null; the document for MR5xx
          "line": 12,                        # 1-based, or null when unknown
          "key": "matarasso2005mesotherapy", # or null
          "field": "container_title",        # mesorefs' field name, or null
          "fix": null | {"description": "...", "set": {"field": "new value"},
                         "remove": true}     # "set" and "remove" only when present
        }
      ],
      "changes": [                           # only when fixes were applied
        {"check": "MR304", "key": "...", "field": "container_title",
         "old": "...", "new": "...", "description": "..."}
      ]
    }

Within one schema version fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from mesorefs.lint.model import SEVERITIES, Change, Finding

__all__ = ["SCHEMA", "format_github", "format_json", "format_text", "summary"]

SCHEMA = "mesorefs.lint/1"


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    """Counts by severity (every severity present, most serious first) and of fixable ones."""
    counts = Counter(f.severity for f in findings)
    out: dict[str, int] = {severity: counts.get(severity, 0) for severity in reversed(SEVERITIES)}
    out["fixable"] = sum(1 for f in findings if f.fix is not None)
    return out


def format_text(findings: Sequence[Finding], changes: Sequence[Change] | None = None) -> str:
    """One line per finding (``file:line: MR301 warning [name] key.field: message``)."""
    lines = []
    for finding in findings:
        where = finding.location
        subject = finding.key or (f"entry {finding.item + 1}" if finding.item is not None else "")
        if finding.field:
            subject = f"{subject}.{finding.field}" if subject else finding.field
        prefix = f"{where}: " if where else ""
        about = f" {subject}:" if subject else ""
        fixable = " (fixable)" if finding.fix is not None else ""
        lines.append(
            f"{prefix}{finding.check} {finding.severity} [{finding.name}]{about} "
            f"{finding.message}{fixable}"
        )
    for change in changes or ():
        lines.append(f"fixed: {change}")
    counts = summary(findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in reversed(SEVERITIES)]
    tail = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)})"
    if counts["fixable"]:
        tail += f", {counts['fixable']} fixable with --fix"
    if changes:
        tail += f"; {len(changes)} change{'s' if len(changes) != 1 else ''} made"
    lines.append(tail)
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], changes: Sequence[Change] | None = None) -> str:
    """The findings as a ``mesorefs.lint/1`` JSON document (see the module doc)."""
    document: dict[str, object] = {
        "schema": SCHEMA,
        "summary": summary(findings),
        "findings": [f.to_dict() for f in findings],
    }
    if changes is not None:
        document["changes"] = [c.to_dict() for c in changes]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,title=T::message``."""
    lines = []
    for finding in findings:
        props = []
        if finding.file:
            props.append(f"file={_escape_property(finding.file)}")
        if finding.line is not None:
            props.append(f"line={finding.line}")
        props.append(f"title={_escape_property(f'{finding.check} {finding.name}')}")
        subject = f"{finding.key}: " if finding.key else ""
        message = _escape_data(subject + finding.message)
        lines.append(f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")
