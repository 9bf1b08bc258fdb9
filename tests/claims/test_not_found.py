"""A reference that `mesorefs verify` found no record of supports no claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesorefs.claims import BaselineVerifier, check_claims
from mesorefs.cli import main
from mesorefs.errors import InputError
from mesorefs.models import Reference
from mesorefs.verify.report import not_found_keys

SIDED = BaselineVerifier(relevance=0.5, support=0.5, contradict=0.5, dense_weight=0.0)
CLAIM = "Vitamin injections improve skin hydration in adults.\n"
REFS = [
    Reference(
        key="ghost", title="G", annote="Vitamin injections improve skin hydration in adults."
    ),
    Reference(key="far", title="F", annote="Tattoo removal uses short pulses of light."),
]


def _verify_report(outcomes: dict[str, str]) -> str:
    entries = [{"key": key, "outcome": outcome} for key, outcome in outcomes.items()]
    return json.dumps({"schema": "mesorefs.verify/1", "entries": entries})


def test_a_reference_not_found_supports_nothing() -> None:
    """The same passage supports the claim until verify says its reference was not found;
    then the claim is not supported, the link says why, and the report says so on top."""
    found = check_claims(CLAIM, REFS, encoder=False, verifier=SIDED)
    assert found.checked[0].verdict == "supported"
    ghost = check_claims(CLAIM, REFS, encoder=False, verifier=SIDED, not_found=["ghost"])
    (result,) = ghost.checked
    assert result.verdict not in {"supported", "partly supported"}
    link = next(lk for lk in result.links if lk.key == "ghost")
    assert link.stance == "neutral"
    assert "reference not found by mesorefs verify" in link.cues
    assert any("ghost" in notice and "no record" in notice for notice in ghost.notices)


def test_keys_not_in_the_library_are_ignored() -> None:
    """A not-found key of another bibliography changes nothing and adds no notice."""
    report = check_claims(CLAIM, REFS, encoder=False, verifier=SIDED, not_found=["elsewhere"])
    assert report.checked[0].verdict == "supported"
    assert not any("no record" in notice for notice in report.notices)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[]", "not a mesorefs.verify/1 report"),
        ('{"schema": "mesorefs.lint/1"}', "not a mesorefs.verify/1 report"),
        ('{"schema": "mesorefs.verify/1", "entries": {}}', "not a list of objects"),
        ("{", "not valid JSON"),
    ],
    ids=["list", "other-schema", "entries-not-list", "broken"],
)
def test_not_found_keys_refuses_other_files(text: str, problem: str) -> None:
    """Anything but a verify report is one InputError naming the file."""
    with pytest.raises(InputError, match=problem) as caught:
        not_found_keys(text, "report.json")
    assert "report.json" in str(caught.value)


def test_not_found_keys_reads_only_not_found() -> None:
    """Confirmed, mismatched and unchecked entries are not counted as missing works."""
    text = _verify_report(
        {"a": "confirmed", "b": "not-found", "c": "mismatch", "d": "unchecked", "e": "not-found"}
    )
    assert not_found_keys(text) == ["b", "e"]


def test_cli_check_verified(tmp_path: Path) -> None:
    """`check --verified REPORT` names the missing work on top; a bad report is one line."""
    (tmp_path / "doc.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(
        "@misc{ghost, title = {G}, annote = {Vitamin injections improve skin hydration in"
        " adults.}}\n",
        encoding="utf-8",
    )
    (tmp_path / "verify.json").write_text(_verify_report({"ghost": "not-found"}))
    args = ["check", str(tmp_path / "doc.md"), "--bib", str(tmp_path / "refs.bib")]
    result = CliRunner().invoke(main, [*args, "--verified", str(tmp_path / "verify.json")])
    assert "found no record of (ghost)" in result.output
    (tmp_path / "bad.json").write_text("{}")
    bad = CliRunner().invoke(main, [*args, "--verified", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2
    assert "not a mesorefs.verify/1 report" in bad.output
    assert "Traceback" not in bad.output
