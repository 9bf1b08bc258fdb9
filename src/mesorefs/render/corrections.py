"""The corrections around the engine, in one ordered stack (as bibtexparser lists its middleware).

pandoc's citeproc writes some things differently from citeproc-js, the engine behind Zotero. Each
difference we correct is one :class:`Correction`: its name, what it does, the pipeline stages
it acts at, the functions that do it (its hooks) and the CSL test-suite fixtures that justify it.
:data:`CORRECTIONS` lists them in the order they act: by stage, in :data:`STAGES` order (the style,
then the items, each cite, the engine's output, the written text), and within a stage in the order
the pipeline (:mod:`mesorefs.render.pipeline`) applies them. None changes what the data says; each
is measured by ``benchmarks/csl_bench.py`` and the suite by ``csl_suite_bench.py``.

Adding a correction: write its hooks in the module of its kind (:mod:`~mesorefs.render.fixes`
for styles, items and text, :mod:`~mesorefs.render.locator_fixes` for locators,
:mod:`~mesorefs.render.name_fixes` for names), call them from the pipeline at their
stage, and list it in the module of the first stage it acts at
(:mod:`~mesorefs.render.corrections_style`, :mod:`~mesorefs.render.corrections_items`, or
:mod:`~mesorefs.render.corrections_output` for a cite, the engine's tree or the text);
``tests/render/test_corrections.py`` checks that every hook of those modules is listed and
every fixture named exists.
"""

from __future__ import annotations

from mesorefs.render.correction import STAGES, Correction, Stage
from mesorefs.render.corrections_items import ITEMS
from mesorefs.render.corrections_output import OUTPUT
from mesorefs.render.corrections_style import STYLE

__all__ = ["CORRECTIONS", "STAGES", "Correction", "Stage", "by_name"]

CORRECTIONS: tuple[Correction, ...] = STYLE + ITEMS + OUTPUT
"""Every correction, by the first stage it acts at (:data:`STAGES` order), and within a
stage in the order the pipeline applies them."""


def by_name(name: str) -> Correction:
    """The correction called ``name`` (KeyError when there is none)."""
    for correction in CORRECTIONS:
        if correction.name == name:
            return correction
    raise KeyError(name)
