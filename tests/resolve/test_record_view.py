"""A record's view holds what its Reference holds for every field matching reads, so it
scores and is decided on exactly as the Reference is."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.errors import ServiceError
from mesorefs.resolve import crossref
from mesorefs.resolve.decide import choose
from mesorefs.resolve.record_view import RecordView
from mesorefs.resolve.scoring import score_string
from snapshot.conftest import load, matching_items, real_items

FIELDS = [name for name in RecordView.__dataclass_fields__ if name != "issued"] + ["year"]


def _items() -> list[dict[str, Any]]:
    return matching_items() + real_items()


def _strings() -> list[str]:
    return [text for row in load("matching_strings.json") for text in row["strings"].values()]


def test_views_hold_the_references_values() -> None:
    """For every real Crossref item, each field of the view equals the Reference's."""
    for item in _items():
        view, ref = crossref.parse_view(item), crossref.parse_work(item)
        assert {f: getattr(view, f) for f in FIELDS} == {f: getattr(ref, f) for f in FIELDS}


def test_views_score_and_decide_as_references() -> None:
    """Strings of the matching set score every record's view as they score its
    Reference, and the decision over a string's own record and its rivals is the same."""
    items = _items()
    views = [crossref.parse_view(item) for item in items]
    refs = [crossref.parse_work(item) for item in items]
    accepted = 0
    for text in _strings()[::24]:
        by_view = [(view, score_string(text, view)) for view in views]
        by_ref = [(ref, score_string(text, ref)) for ref in refs]
        assert [s for _, s in by_view] == [s for _, s in by_ref]
        best = sorted(range(len(refs)), key=lambda i: by_ref[i][1].score)[-4:]
        decision = choose([by_ref[i] for i in best], 0.85)
        assert choose([by_view[i] for i in best], 0.85) == decision
        accepted += decision[0] is not None
    assert accepted  # some decisions accept a record, not only abstentions


_text = st.one_of(st.none(), st.text(max_size=20), st.integers(-5, 5000))
_names = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "family": st.text(max_size=8),
            "given": st.text(max_size=8),
            "name": st.text(max_size=8),
            "ORCID": st.text(max_size=8),
        },
    ),
    max_size=3,
)


@given(
    item=st.fixed_dictionaries(
        {},
        optional={
            "title": st.lists(st.text(max_size=30), max_size=2),
            "subtitle": st.lists(st.text(max_size=10), max_size=1),
            "container-title": st.lists(st.text(max_size=20), max_size=1),
            "short-container-title": st.lists(st.text(max_size=8), max_size=1),
            "volume": _text,
            "issue": _text,
            "page": _text,
            "publisher": _text,
            "publisher-location": _text,
            "article-number": _text,
            "DOI": st.one_of(st.text(max_size=20), st.just("10.1000/X Y ")),
            "author": _names,
            "editor": _names,
            "issued": st.fixed_dictionaries(
                {"date-parts": st.lists(st.lists(st.integers(-20000, 20000), max_size=3))}
            ),
        },
    )
)
def test_views_of_any_item_agree(item: dict[str, Any]) -> None:
    """For any work-shaped item, the view fails exactly when the Reference does, and
    otherwise holds its values."""
    try:
        ref = crossref.parse_work(item)
    except (ServiceError, ValueError):
        with pytest.raises((ServiceError, ValueError)):
            crossref.parse_view(item)
        return
    view = crossref.parse_view(item)
    assert {f: getattr(view, f) for f in FIELDS} == {f: getattr(ref, f) for f in FIELDS}
