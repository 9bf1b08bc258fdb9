"""The last gaps corpus_bench found on the wider bib corpus (issue 28): one test per cause
where tidy changed what a field means; tidy now keeps such a value as it was written."""

from __future__ import annotations

import pytest

from mesorefs.bibtex.meaning import same_meaning
from mesorefs.library import tidy_bibtex


def _tidy_value(name: str, value: str) -> str:
    """The value tidy writes for one field of a one-entry file (braces kept)."""
    out = tidy_bibtex(f"@misc{{k, {name} = {{{value}}}, year = 2000}}\n")
    assert tidy_bibtex(out) == out
    start = out.index(f"  {name} = ") + len(f"  {name} = ")
    return out[start : out.index(",\n  year") if name < "year" else out.rindex("\n}")]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("school", "Computer Science Division (EECS), %\n\t\t\t\tUniversity of California"),
        ("abstract", "a plateau of 1% for Cu20 cells. The results \nare also compatible"),
        ("abstract", "below ~0.1%cation, except for Ag+.\nAn analysis is presented."),
    ],
    ids=["comment-joins-lines", "comment-hides-half-a-line", "comment-before-a-sentence"],
)
def test_an_unescaped_percent_keeps_its_line_breaks(name: str, value: str) -> None:
    """An unescaped ``%`` comments out the rest of its line in TeX (pandoc's reader too):
    joining the lines would hide the next line's text, so the value stays as written."""
    assert _tidy_value(name, value) == "{" + value + "}"


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("A, %\n\tB", "A, % B", False),
        ("1% x\ny", "1% x y", False),
        ("a %\n  b", "a %\n b", True),
        ("50\\% of\n cases", "50\\% of cases", True),
    ],
    ids=["joined", "moved-behind", "next-line-blanks", "escaped"],
)
def test_the_guard_reads_a_percent_as_a_comment(before: str, after: str, same: bool) -> None:
    """The meaning guard reads ``%`` as TeX does: what it hides, up to the line's end,
    must stay hidden; blanks opening the next line are skipped; ``\\%`` is a letter."""
    assert same_meaning("note", before, after) is same


@pytest.mark.parametrize(
    ("name", "value", "written"),
    [
        ("note", "(N\u202f=\u202f683)\nwhen compared", "(N\u202f=\u202f683) when compared"),
        ("abstract", "5.5\u2009kg  of\nall", "5.5\u2009kg of all"),
        ("author", "Jean\u202fPaul Sartre", "Jean\u202fPaul Sartre"),
    ],
    ids=["narrow-no-break-space", "thin-space", "in-a-name"],
)
def test_a_unicode_space_is_a_character_not_a_blank(name: str, value: str, written: str) -> None:
    """TeX's blanks are ASCII: tidy collapses runs of them but keeps a narrow no-break or
    thin space (U+202F, U+2009) as the character it is, in text and in names."""
    assert _tidy_value(name, value) == "{" + written + "}"


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("N\u202f=\u202f683", "N = 683", False),
        ("a\u00a0b", "a~b", True),
        ("a \n b", "a b", True),
    ],
    ids=["narrow-space-to-blank", "no-break-space-as-tie", "blanks"],
)
def test_the_guard_reads_only_ascii_blanks_as_spaces(before: str, after: str, same: bool) -> None:
    """The meaning guard reads U+202F as a letter (not a space) and U+00A0 as a tie."""
    assert same_meaning("note", before, after) is same


def test_the_guard_splits_names_at_ascii_blanks_only() -> None:
    """BibTeX splits a name at blanks and ties, never at U+202F: ``Jean\u202fPaul`` is one
    word, so writing it as two is a change."""
    assert not same_meaning("author", "Jean\u202fPaul Sartre", "Sartre, Jean Paul")
    assert same_meaning("author", "Jean Paul  Sartre", "Sartre, Jean Paul")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("title", "Paired Twins and \\{112\\} Morphology in {{GaP}} Nanowires"),
        ("title", "Microscopic Structure of the {{SiO}}\\_\\{2\\}/{{Si}} Interface"),
        ("title", "Facets \\{Ab\\} and {{HAADF}}-{{STEM}} of {{GaN}}"),
        ("abstract", "Researchers in this \\{AI\\} field have developed many planners"),
        ("author", "Rehnstedt, Carl and M\\textbackslash{}aa\\{\\}rtensson, Thomas"),
    ],
    ids=["miller-index", "subscript", "letters-inside", "abstract", "name"],
)
def test_escaped_braces_are_kept_as_written(name: str, value: str) -> None:
    """``\\{112\\}`` prints braces in LaTeX but is a brace group to BibTeX (it keeps the
    case of the letters inside), which ``{\\textbraceleft}`` is not: tidy keeps the value."""
    assert _tidy_value(name, value) == "{" + value + "}"


@pytest.mark.parametrize(
    "title",
    [
        "Conductibilit\\'e \\'Electrique De {Cu$_2$O}. {I}. {\\'{E}}tat Actuel",
        "La \\'{E}cole Normale",
        'Le \\"Uber Alles',
        "Det \\AA{}bne Land",
        "La \\c{C}a Ira",
    ],
    ids=["bare-accent", "braced-letter", "umlaut", "letter-macro", "cedilla"],
)
def test_a_capital_spelt_as_a_command_outside_braces_is_kept(title: str) -> None:
    """BibTeX lowers ``\\'E`` and ``{\\'E}`` but keeps ``\\'{E}``; pybtex keeps ``{\\'E}``:
    a title's capital spelt as a command outside braces is never respelt."""
    assert _tidy_value("title", title) == "{" + title + "}"


def test_a_braced_accent_and_small_letters_are_still_normalized() -> None:
    """Only capitals outside braces are kept: ``{\\'E}`` stays and small accented letters
    are still written in tidy's one spelling."""
    assert _tidy_value("title", "{\\'E}tude d\\'ej\\`a") == "{{\\'E}tude d{\\'e}j{\\`a}}"


def test_a_no_break_space_in_a_title_is_kept() -> None:
    """After ": " pybtex's sentence case keeps a capital behind U+00A0 (a space to it) but
    not behind ``~``; BibTeX lowers both: a title's U+00A0 is kept, elsewhere it may be ``~``."""
    title = "Transnational Governmentality and Civil\u00a0Society:\u00a0Ambivalences of Power"
    assert _tidy_value("title", title) == "{" + title + "}"
    assert _tidy_value("note", "Civil\u00a0Society") == "{Civil~Society}"
