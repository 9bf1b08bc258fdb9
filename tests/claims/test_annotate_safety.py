"""The notes of `check --annotate` quote references as Markdown text (issue 27)."""

from __future__ import annotations

import re

from mesorefs.claims import check_claims
from mesorefs.models import Reference

HOSTILE = (
    "Mesotherapy injections reduced localized fat deposits in most patients "
    "<img src=x onerror=alert(2)> <script>alert(3)</script> [x](javascript:alert(4))."
)
RAW = re.compile(r"(?<!\\)<(script|img)\b|(?<!\\)\]\(javascript:")


def test_annotate_notes_escape_reference_text() -> None:
    """A reference's HTML and links are quoted in the footnote as text, never as markup."""
    reference = Reference(key="doe2020", type="article-journal", title="Fat", abstract=HOSTILE)
    text = "Mesotherapy injections reduce localized fat deposits in most patients [@doe2020].\n"
    report = check_claims(text, [reference], encoder=False)
    annotated = report.annotate()
    notes = annotated.split("\n\n", 1)[1]
    assert "onerror" in notes  # the evidence is quoted ...
    assert not RAW.search(notes)  # ... as text
    assert not RAW.search(report.to_markdown())
    assert notes.count("\n") == 1  # one footnote, on one line
