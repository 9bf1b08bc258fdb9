"""The learned stance judgement."""

from __future__ import annotations

from typing import Any

import numpy as np

from mesorefs.claims.evidence import Passage
from mesorefs.claims.parts import list_items
from mesorefs.claims.retrieve import RankedReference, ScoredPassage
from mesorefs.claims.stance import FEATURES, StanceModel, load_stance_model, pair_features
from mesorefs.claims.verify import RankedVerifier


def _scored(text: str, dense: float | None = 0.5, key: str = "k") -> ScoredPassage:
    return ScoredPassage(Passage(key, "annote", text, 0, len(text), 0), 0.05, 2.0, dense)


def _model(**settings: Any) -> StanceModel:
    """A hand-made model: support grows with coverage, contradiction with negative cues."""
    n = len(FEATURES)
    support = [0.0] * (n + 1)
    contra = [0.0] * (n + 1)
    support[1 + FEATURES.index("coverage")] = 4.0
    contra[1 + FEATURES.index("null_finding")] = 6.0
    contra[1 + FEATURES.index("coverage")] = 2.0
    neutral = [2.0] + [0.0] * n
    return StanceModel(
        weights=(tuple(support), tuple(contra), tuple(neutral)),
        mean=(0.0,) * n,
        scale=(1.0,) * n,
        **settings,
    )


def test_shipped_model_loads_and_names_itself() -> None:
    """The shipped weights match the features, and the engine name carries the thresholds."""
    model = load_stance_model()
    assert model is not None
    assert len(model.weights) == 3
    assert all(len(row) == len(FEATURES) + 1 for row in model.weights)
    assert model.name.startswith("stance-lr/2 (")
    assert isinstance(model, RankedVerifier)
    assert "out_of_fold_train" in model.notes


def test_features_are_finite_and_named() -> None:
    """Every pair gives one finite number per feature, with or without a dense score."""
    for dense in (0.7, None):
        row = pair_features("Vitamin D lowers blood pressure.", _scored("No effect.", dense), {})
        assert row.shape == (len(FEATURES),)
        assert np.isfinite(row).all()


def test_model_decides_by_thresholds() -> None:
    """A covering passage supports; negative evidence about the claim contradicts."""
    model = _model(support=0.5, contradict=0.5)
    claim = "Statins lower cholesterol in adults."
    (yes,) = model.verify(claim, [_scored("Statins lower cholesterol in adults.")], {})
    assert yes.stance == "supports"
    assert yes.cues[0].startswith("model: supports")
    (no,) = model.verify(
        claim, [_scored("There is no evidence that statins lower cholesterol in adults.")], {}
    )
    assert no.stance == "contradicts"
    (off,) = model.verify(claim, [_scored("Lasers remove tattoos.")], {})
    assert off.stance == "neutral"


def test_verify_ranked_judges_each_chosen_reference() -> None:
    """With the ranking, one list of judgements comes back per chosen reference."""
    model = _model()
    a = RankedReference("a", 0.2, 1, (_scored("Statins lower cholesterol.", key="a"),))
    b = RankedReference("b", 0.1, 2, (_scored("Lasers.", key="b"), _scored("Tattoos.", key="b")))
    judged = model.verify_ranked("Statins lower cholesterol.", [a, b], [a, b], {})
    assert [len(j) for j in judged] == [1, 2]


def test_bracketed_enumerations_are_lists() -> None:
    """Three or more bracketed items count as a list even without "and"."""
    text = "Papular injections (wrinkles, alopecia, 'mesobotox') and nappage."
    assert [text[s:e] for s, e in list_items(text)] == ["wrinkles", "alopecia", "'mesobotox'"]


def test_a_side_above_one_is_never_taken() -> None:
    """A threshold above 1 switches a side off: the model then never takes it."""
    model = _model(support=0.5, contradict=2.0)
    claim = "Statins lower cholesterol in adults."
    passage = _scored("There is no evidence that statins lower cholesterol in adults.")
    (judged,) = model.verify(claim, [passage], {})
    assert judged.stance != "contradicts"
    assert "never contradicts" in model.name
