"""A label written at the start of a number variable is read as citeproc-js reads it
(render/number_labels.py; issue 28's wide bench: a series number "no. 80")."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, number_labels
from mesorefs.render.corrections import by_name


@pytest.mark.parametrize(
    ("variable", "written", "read"),
    [
        ("number", "no. 80", "80"),
        ("number", "no.80", "80"),
        ("number", "vol. 3", "3"),
        ("number", "ch. 12b", "12b"),
        ("volume", "vol. 3", "3"),
        ("issue", "no. 5", "5"),
        ("number", "No. 80", "No. 80"),
        ("number", "nos. 4-5", "nos. 4-5"),
        ("number", "Nr. 80", "Nr. 80"),
        ("number", "no. x", "no. x"),
        ("volume", "no. 3", "no. 3"),
        ("issue", "no.5", "no.5"),
        ("edition", "no. 2", "no. 2"),
    ],
    ids=[
        "number-no",
        "number-no-unspaced",
        "number-vol",
        "number-ch-letter",
        "volume-vol",
        "issue-no",
        "capital-label",
        "plural-range",
        "german-label",
        "no-number",
        "volume-other-label",
        "issue-unspaced",
        "other-variable",
    ],
)
def test_label_read_as_citeproc_js_reads_it(variable: str, written: str, read: str) -> None:
    """The label goes where citeproc-js takes it as one; anything else stays as written."""
    item = {"id": "x", variable: written}
    assert number_labels.prepare_item(item)[variable] == read


@given(st.dictionaries(st.sampled_from(["number", "volume", "issue", "title"]), st.text()))
def test_other_fields_and_unlabelled_values_are_kept(item: dict[str, Any]) -> None:
    """Only a number variable's leading label is ever taken out; the rest of it stays."""
    prepared = number_labels.prepare_item(item)
    assert prepared.keys() == item.keys()
    assert prepared.get("title") == item.get("title")
    for variable in ("number", "volume", "issue"):
        if variable in item:
            kept = prepared[variable] == item[variable]
            assert kept or item[variable].strip().endswith(prepared[variable])


def test_series_number_in_a_style_with_its_own_label() -> None:
    """A style that writes "No." before the number prints the label once."""
    ref = Reference.from_csl(
        {
            "id": "x",
            "type": "report",
            "title": "QoS",
            "collection-title": "Series",
            "number": "no. 80",
            "publisher": "U",
            "issued": {"date-parts": [[2009]]},
        }
    )
    (entry,) = format_bibliography([ref], "american-geophysical-union")
    assert "No. 80" in entry and "no. 80" not in entry


def test_listed_as_a_correction() -> None:
    """The correction is in the stack with its hook."""
    assert number_labels.prepare_item in by_name("label-in-a-number").hooks
