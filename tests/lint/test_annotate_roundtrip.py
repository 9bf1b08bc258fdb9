"""`check --annotate` writes a document that `lint --doc` reads without false findings."""

from __future__ import annotations

from pathlib import Path

from mesorefs.claims import check_claims
from mesorefs.library import Library
from mesorefs.lint import lint

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "mesorefs" / "examples" / "mesotherapy"


def test_annotated_document_passes_lint_doc() -> None:
    """The footnotes annotate adds after the reference list are not taken for entries of
    it, so the annotated example lints as the original does (no MR501)."""
    library = Library.read(EXAMPLE / "references.bib")
    text = (EXAMPLE / "article.txt").read_text(encoding="utf-8")
    annotated = check_claims(text, library.references, encoder=False).annotate()
    assert "[^c" in annotated
    before = {f.check for f in lint(library, text)}
    after = [f for f in lint(library, annotated) if f.check not in before]
    assert after == [], [str(f) for f in after]
