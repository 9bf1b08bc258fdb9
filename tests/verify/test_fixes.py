"""verify.fixes: the proposed corrections as a diff of the file as written."""

from __future__ import annotations

from mesorefs.library import Library
from mesorefs.models import PartialDate
from mesorefs.verify.compare import FieldDifference
from mesorefs.verify.fixes import fix_diff
from mesorefs.verify.model import EntryResult

TEXT = """@article{a,
  author = {Rotunda, Adam M.},
  title = {Mesotherapy},
  year = {2012},
  pages = {1--2}
}

@article{b,
  title = {Other},
  year = {2001}
}
"""


def _diff(text: str, *differences: FieldDifference) -> str:
    library = Library.loads(text, "bibtex", "refs.bib")
    result = EntryResult(library.references[0], "mismatch", differences=list(differences))
    return fix_diff("refs.bib", text, library, [result])


def _changed(diff: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]


def test_a_field_is_replaced_on_its_own_line() -> None:
    """A wrong year: one line out, one line in, the rest of the file as written."""
    year = FieldDifference("year", "2012", "2006", {"issued": PartialDate(year=2006)})
    assert _changed(_diff(TEXT, year)) == ["-  year = {2012},", "+  year = {2006},"]


def test_a_missing_field_is_added_before_the_closing_brace() -> None:
    """A fix of a field the entry lacks adds it as the entry's last field."""
    volume = FieldDifference("volume", "", "32", {"volume": "32"})
    assert _changed(_diff(TEXT, volume)) == [
        "-  pages = {1--2}",
        "+  pages = {1--2},",
        "+  volume = {32}",
    ]


def test_a_field_over_several_lines_falls_back_to_the_written_entry() -> None:
    """A title spread over two lines cannot be patched in place: the entry is rewritten."""
    text = TEXT.replace("{Mesotherapy}", "{Meso-\n    therapy}")
    title = FieldDifference("title", "Meso- therapy", "Mesotherapy", {"title": "Mesotherapy"})
    changed = _changed(_diff(text, title))
    assert "+  title = {Mesotherapy}" in changed
    assert changed[:2] == ["-  title = {Meso-", "-    therapy},"]
    assert not any("Other" in line for line in changed)


def test_nothing_to_fix_is_an_empty_diff() -> None:
    """A result without a fix gives no diff at all."""
    assert _diff(TEXT, FieldDifference("authors", "x", "y", None)) == ""
