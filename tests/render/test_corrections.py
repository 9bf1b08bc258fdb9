"""The stack of corrections around the engine (render/corrections.py) is complete and ordered."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from types import ModuleType

import pytest

from mesorefs.render import corrections, fixes, locator_fixes, name_fixes
from mesorefs.render.corrections import CORRECTIONS, STAGES

_SUITE = (
    Path(os.environ.get("MESOREFS_SHARED", Path(__file__).parents[3] / "shared"))
    / "data"
    / "csl-suite"
    / "humans"
)


def test_names_are_unique() -> None:
    """Each correction has its own name, and by_name finds it."""
    names = [c.name for c in CORRECTIONS]
    assert len(names) == len(set(names))
    assert all(corrections.by_name(n).name == n for n in names)


def test_the_stack_is_in_stage_order() -> None:
    """Corrections are listed by the first stage they act at, in pipeline order."""
    firsts = [STAGES.index(c.stages[0]) for c in CORRECTIONS]
    assert firsts == sorted(firsts)
    assert all(set(c.stages) <= set(STAGES) and c.hooks and c.does for c in CORRECTIONS)


@pytest.mark.parametrize(
    "module", [fixes, locator_fixes, name_fixes], ids=lambda m: m.__name__.rsplit(".", 1)[1]
)
def test_every_public_function_is_a_listed_hook(module: ModuleType) -> None:
    """A public function of a corrections module is the hook of some listed correction."""
    hooks = {h for c in CORRECTIONS for h in c.hooks}
    public = {
        name: f
        for name, f in vars(module).items()
        if inspect.isfunction(f) and not name.startswith("_") and f.__module__ == module.__name__
    }
    assert [n for n, f in public.items() if f not in hooks] == []


@pytest.mark.skipif(not _SUITE.is_dir(), reason="the CSL test suite (shared/data) is not here")
def test_every_fixture_named_is_in_the_suite() -> None:
    """Each fixture a correction cites exists in the CSL test suite."""
    named = [(c.name, f) for c in CORRECTIONS for f in c.fixtures]
    missing = [f"{name}: {f}" for name, f in named if not (_SUITE / f"{f}.txt").exists()]
    assert missing == []
