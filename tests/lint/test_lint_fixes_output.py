"""Fixes (applied, reported, idempotent), selection, exit codes and the three output formats."""

from __future__ import annotations

import json

import pytest

from mesorefs.errors import InputError
from mesorefs.lint import (
    SCHEMA,
    SEVERITIES,
    Finding,
    apply_fixes,
    exit_code,
    format_github,
    format_json,
    format_text,
    lint,
    selected,
)

from .conftest import library_of
from .test_lint_checks import GOOD, entry

FIXABLE = [
    ("MR101", GOOD + GOOD),
    ("MR201", entry(doi="doi 10.1000/xyz123 (publisher)")),
    (
        "MR304",
        GOOD
        + entry("a2", title="Two", doi="10.1000/2")
        + entry("a3", title="Three", doi="10.1000/3", journal="journal of things"),
    ),
    (
        "MR304",
        entry(shortjournal="J. Things")
        + entry("b2", title="B", doi="10.1000/b", journal="J Things"),
    ),
]


@pytest.mark.parametrize(
    ("check", "text"), FIXABLE, ids=["exact-copy", "doi-in-prose", "spelling", "abbreviation"]
)
def test_fix_removes_the_finding_and_is_idempotent(check: str, text: str) -> None:
    """After --fix the check is silent, a second --fix changes nothing, and the .bib round-trips."""
    library = library_of(text)
    findings = lint(library, select=[check])
    assert findings and all(f.fix for f in findings)
    fixed, changes = apply_fixes(library, findings)
    assert changes
    assert lint(fixed, select=[check]) == []
    again, more = apply_fixes(fixed, lint(fixed))
    assert more == [] and again.to_bibtex() == fixed.to_bibtex()
    assert lint(library_of(fixed.to_bibtex()), select=[check]) == []


def test_fix_skips_locked_fields() -> None:
    """A field the user locked is never rewritten by a fix."""
    text = (
        GOOD
        + entry("a2", title="Two", doi="10.1000/2")
        + entry("a3", title="Three", doi="10.1000/3", journal="journal of things").replace(
            "}\n", "  mesorefs-locked = {container_title},\n}\n", 1
        )
    )
    library = library_of(text)
    assert lint(library, select=["MR304"]) == []


def test_stale_finding_is_not_applied() -> None:
    """A finding whose entry moved or changed key is ignored by apply_fixes."""
    library = library_of(GOOD + GOOD)
    findings = lint(library, select=["MR101"])
    other = library_of(entry("x") + entry("y", doi="10.1000/y", title="Y"))
    fixed, changes = apply_fixes(other, findings)
    assert changes == [] and len(fixed) == 2


def test_changes_are_described() -> None:
    """Every change names the check, entry, field, old and new value."""
    library = library_of(entry(doi="doi 10.1000/xyz123 (publisher)"))
    _, (change,) = apply_fixes(library, lint(library))
    assert (change.check, change.key, change.field, change.new) == (
        "MR201",
        "smith2020",
        "doi",
        "10.1000/xyz123",
    )
    assert "MR201" in str(change)


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (["MR101"], None, ["MR101"]),
        (["duplicate-key"], None, ["MR101"]),
        (["MR1"], ["MR103", "unbalanced-braces"], ["MR101", "MR102", "MR105", "MR106"]),
        (["ALL"], ["MR1", "MR2", "MR3", "MR4"], ["MR501", "MR502"]),
        ([], None, []),
    ],
    ids=["id", "name", "prefix-minus", "all-minus-groups", "empty"],
)
def test_select_and_ignore(
    select: list[str], ignore: list[str] | None, expected: list[str]
) -> None:
    """--select/--ignore accept ids, names, id prefixes and ALL."""
    assert [c.id for c in selected(select, ignore)] == expected


def test_unknown_check_is_an_input_error() -> None:
    """An unknown check name is a user error with a one-line message."""
    with pytest.raises(InputError, match="unknown lint check 'nope'"):
        selected(["nope"])


def _finding(severity: str) -> Finding:
    return Finding("MR999", "x", severity, "m")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "fail_on", "code"),
    [
        (["info"], "warning", 0),
        (["info", "warning"], "warning", 1),
        (["warning"], "error", 0),
        (["error"], "error", 1),
        (["info"], "info", 1),
        ([], "info", 0),
    ],
    ids=["info<warning", "warning>=warning", "warning<error", "error", "info>=info", "none"],
)
def test_exit_code(severities: list[str], fail_on: str, code: int) -> None:
    """Exit 1 when any finding is at or above --fail-on, ordered as SEVERITIES."""
    assert SEVERITIES == ("info", "warning", "error")
    assert exit_code([_finding(s) for s in severities], fail_on) == code


def test_unknown_fail_on_is_refused() -> None:
    """An unknown severity is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="info, warning, error"):
        exit_code([], "fatal")


@pytest.fixture
def findings() -> list[Finding]:
    """A truncated journal (warning) and a bad DOI with a fix (error) from one .bib."""
    text = entry(doi="doi 10.1000/xyz123 (publisher)") + entry(
        "b", title="B", journal="Plastic and …", doi="10.1000/b"
    )
    return lint(library_of(text), source_text=text, path="refs, 1.bib", select=["MR2", "MR3"])


def test_format_text(findings: list[Finding]) -> None:
    """Text output: one line per finding with location, id, severity, name, then a summary."""
    lines = format_text(findings).splitlines()
    assert lines[0].startswith("refs, 1.bib:6: MR201 error [invalid-doi] smith2020.doi: ")
    assert lines[0].endswith("(fixable)")
    assert lines[-1] == "2 findings (1 error, 1 warning, 0 infos), 1 fixable with --fix"


def test_format_json(findings: list[Finding]) -> None:
    """JSON output follows the versioned schema, with changes when fixes were applied."""
    data = json.loads(format_json(findings, changes=[]))
    assert data["schema"] == SCHEMA == "mesorefs.lint/1"
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0, "fixable": 1}
    first = data["findings"][0]
    assert set(first) == {
        "check",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "key",
        "field",
        "fix",
    }
    assert first["fix"]["set"] == {"doi": "10.1000/xyz123"}
    assert data["changes"] == []
    assert "changes" not in json.loads(format_json(findings))


def test_format_github(findings: list[Finding]) -> None:
    """GitHub annotations: level, escaped file, line and title, then the message."""
    lines = format_github(findings).splitlines()
    assert lines[0].startswith(
        "::error file=refs%2C 1.bib,line=6,title=MR201 invalid-doi::smith2020: "
    )
    assert lines[1].startswith("::warning ")
    info = Finding("MR203", "missing-identifier", "info", "a\nb 100%")
    assert format_github([info]) == "::notice title=MR203 missing-identifier::a%0Ab 100%25\n"
    assert format_github([]) == ""
