"""The fast paths of tidy (issue 32) give what the full readers give, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex import lossless, meaning, titles
from mesorefs.bibtex.names import parse_name
from mesorefs.models import Person

# Pieces that exercise every rule of the readers: braces, commands, accents, math,
# active characters, ligatures, spaces, paragraph breaks, ": ".
LATEX_PIECES = st.sampled_from(
    [
        "a", "B", "DNA", "iPhone", " ", "  ", "\n", "\n\n", ": ", ":", "{", "}", "\\emph",
        "\\'e", "{\\'e}", "\\ss", "\\TeX", "{\\bf ", "\\c c", "$x$", "$", "\\(", "\\)",
        "\\&", "&", "%", "--", "-", "'", "''", "``", "!`", "?", "~", "\\\\", "\\ ",
        "\u00a0", "\u00e9", "\ufdd0", "Foo:", "a: ", '{\\"U}ber', "\\:",
    ]
)  # fmt: skip
LATEX = st.lists(LATEX_PIECES, max_size=14).map("".join)


@given(LATEX, LATEX)
def test_title_guard_in_runs_agrees_with_letters(before: str, after: str) -> None:
    """Reading a title in runs decides as reading it letter by letter does."""
    assert meaning._title_same(before, after) == meaning._title_same_by_letter(before, after)


@given(LATEX)
def test_title_guard_in_runs_agrees_on_added_braces(value: str) -> None:
    """The same holds where the rewrite only adds or drops braces (the common case)."""
    bare = value.replace("{", "").replace("}", "")
    assert meaning._title_same(value, bare) == meaning._title_same_by_letter(value, bare)
    assert meaning._title_same(bare, value) == meaning._title_same_by_letter(bare, value)


@given(LATEX)
def test_text_in_runs_is_the_letters_joined(value: str) -> None:
    """A value's text, read in runs (or without the reader), is its letters joined."""
    assert meaning._text(value) == "".join(text for text, _ in meaning._units(value))


def _pieces_by_char(raw: str) -> list[str]:
    """The reference: one character at a time."""
    pieces, depth, quoted, start = [], 0, False, 0
    for k, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:k])
            start = k + 1
    pieces.append(raw[start:])
    return pieces


@given(st.text(alphabet='ab {}"#,', max_size=20))
def test_split_pieces_by_marks_agrees_with_each_character(raw: str) -> None:
    """Splitting at the marks only gives what reading each character gives."""
    assert lossless.split_pieces(raw) == _pieces_by_char(raw)


@given(st.text(alphabet='ab {}"', max_size=20))
def test_outside_braces_keeps_depth_zero_text(raw: str) -> None:
    """The text outside braces is each character read at depth zero, braces left out."""
    depth, kept = 0, []
    for char in raw:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    assert lossless._outside_braces(raw) == "".join(kept)


@given(st.text(alphabet="aZé1-'. ǅİ", min_size=1, max_size=12))
def test_word_without_later_capital_has_no_inner_capital(word: str) -> None:
    """A word whose letters after the first are small has no inner capital to protect."""
    if word[1:].islower():
        assert titles._inner_capital_spans(word) == []


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("{Swope}, William C.", Person(family="Swope", given="William C.")),
        ("{Cruz-Osorio}, Alejandro", Person(family="Cruz-Osorio", given="Alejandro")),
        ("{van Dyk}, J.", Person(family="van Dyk", given="J.")),
    ],
    ids=["braced-family", "braced-hyphenated", "braced-particle-goes-the-full-way"],
)
def test_braced_family_reads_as_bibtex_reads_it(name: str, person: Person) -> None:
    """A family name braced whole is one unit, read without its braces."""
    assert parse_name(name) == person
