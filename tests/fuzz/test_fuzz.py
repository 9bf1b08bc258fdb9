"""A short fuzz of every input parser in CI: only success or a MesorefsError comes out.

The examples are few and derandomized so CI stays fast and stable; ``python -m tests.fuzz
--minutes N`` runs the same targets for as long as you like.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz import targets
from mesorefs.errors import MesorefsError
from resolve.fakes import LocalServer, local_http_server

CI = settings(
    max_examples=40,
    deadline=5000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def only_mesorefs_errors(target: Any, *args: Any) -> None:
    try:
        target(*args)
    except MesorefsError as error:
        assert "\n" not in str(error), "an error message must be one line"


@CI
@given(targets.BIBTEX)
def test_bibtex(text: str) -> None:
    """Any BibTeX-like text reads and writes, or raises a one-line MesorefsError."""
    only_mesorefs_errors(targets.bibtex, text)


@CI
@given(targets.CSL_JSON)
def test_csl_json(text: str) -> None:
    """Any JSON text reads as CSL-JSON, or raises a one-line MesorefsError."""
    only_mesorefs_errors(targets.csl_json, text)


@CI
@given(targets.JSON_VALUE)
def test_csl_item(value: Any) -> None:
    """Reference.from_csl takes any JSON value or raises a MesorefsError."""
    only_mesorefs_errors(targets.csl_item, value)


@CI
@given(targets.RIS)
def test_ris(text: str) -> None:
    """Any RIS-like text reads, or raises a one-line MesorefsError."""
    only_mesorefs_errors(targets.ris, text)


@CI
@given(targets.REFERENCE)
def test_reference_string(text: str) -> None:
    """parse_reference takes any text or raises a MesorefsError."""
    only_mesorefs_errors(targets.reference_string, text)


@CI
@given(targets.REFERENCE)
def test_reference_block(text: str) -> None:
    """parse_block never raises."""
    targets.reference_block(text)


@CI
@given(targets.DOCUMENT)
def test_document(text: str) -> None:
    """parse_document takes any text."""
    only_mesorefs_errors(targets.document, text)


@CI
@given(targets.RAW_BYTES)
def test_bytes(data: bytes) -> None:
    """Any bytes decode as text or raise a one-line MesorefsError."""
    only_mesorefs_errors(targets.text_bytes, data)


@CI
@given(targets.SETTINGS_ENV, targets.TOML)
def test_settings(env: dict[str, str], toml: str) -> None:
    """Any environment and config file load, or raise a one-line MesorefsError."""
    only_mesorefs_errors(targets.settings, env, toml)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_http_server() as running:
        yield running


@settings(CI, max_examples=15)
@given(body=targets.SERVER_BODY)
def test_server_payloads(server: LocalServer, body: str) -> None:
    """Whatever a service answers, resolving returns a result for every entry."""
    targets.server_payload(server, body)


@settings(CI, max_examples=25)
@given(targets.SNAPSHOT_SOURCE)
def test_snapshot_sources(data: tuple[bytes, bool]) -> None:
    """Any snapshot source file gives records or a reason, never an exception."""
    targets.snapshot_source(data)


@CI
@given(targets.MANIFEST)
def test_manifests(text: str) -> None:
    """Any manifest text is checked, or refused with a one-line MesorefsError."""
    only_mesorefs_errors(targets.manifest, text)


@settings(CI, max_examples=10)
@given(targets.STYLE)
def test_csl_styles(text: str) -> None:
    """Any style file renders, or is refused with a one-line MesorefsError."""
    only_mesorefs_errors(targets.csl_style, text)


@CI
@given(targets.ANSWER)
def test_verifier_answers(value: object) -> None:
    """Any chat answer is a judgement, or a one-line MesorefsError."""
    only_mesorefs_errors(targets.verifier_answer, value)
