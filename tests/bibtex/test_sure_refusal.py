"""tidy skips building a rewrite the meaning guard is sure to refuse (issue 32).

``lossless._sure_refusal`` must only ever say "refused" where building the rewrite and
proving it (``lossless._built_and_proved``) gives None: then skipping it changes no output.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.bibtex import lossless, meaning
from mesorefs.bibtex.latex import unicode_to_latex
from mesorefs.bibtex.titles import format_title, protected_spans

# Pieces that exercise the readers' rules: braces, commands kept or read as letters,
# accents, math, active characters, ligatures, blanks, paragraph breaks, ": ".
PIECES = st.sampled_from(
    [
        "a", "B", "Moore", "DNA", "iPhone", "3D", " ", "  ", "\n", "\n\n", ": ", ":",
        "{", "}", "{M}", "{\\TeX}", "\\TeX", "\\emph", "\\MF", "{\\tt ", "\\'e", "{\\'E}",
        "\\ss", "$x$", "$", "\\&", "&", "%", "_", "^", "#", "--", "-", "'", "''", "``",
        "~", "\\\\", "\\ ", "\u00e9", "\u00c9", "Foo:", "A.", "(", "\u00c5ngstr\u00f6m",
        "\u2013", "\u2014", "\u201cq\u201d", "\u00df", "\u2026", "\u03b1", "\u2009", "\u00a0",
        "e\u0301", "\u01c5", "\\'{E}cole", "{\\\"U}ber",
    ]
)  # fmt: skip
VALUES = st.lists(PIECES, max_size=12).map("".join)
# Whole-title groups ({Message from the Chairman}) are the commonest refusal.
WHOLE = VALUES.map(lambda value: "{" + value + "}")
FIELDS = st.sampled_from(["title", "booktitle", "series", "journal", "note"])


def _normalizer(field: str) -> lossless.Callable[[str, bool], str]:
    normalize = lossless._normalizer(field)
    assert normalize is not None
    return normalize


@given(FIELDS, st.one_of(VALUES, WHOLE), st.booleans())
def test_sure_refusal_is_a_refusal(field: str, value: str, ascii_only: bool) -> None:
    """Where the precheck refuses, building the rewrite and proving it refuses too."""
    normalize = _normalizer(field)
    if lossless._sure_refusal(field, value, normalize, ascii_only):
        assert lossless._built_and_proved(field, value, normalize, ascii_only) is None


READINGS = st.text(
    alphabet="aBz Q:-'.&%#_{}~^!?`019\u00e9\u00c9\u00c5\u2013\u2014\u201c\u201d\u00df\u2026"
    "\u03b1\u2009\u00a0\u0301\u01c5\u00f8\u0141\t\n",
    max_size=30,
)


@given(READINGS, st.booleans())
def test_plain_reading_is_written_back_one_unit_a_character(text: str, ascii_only: bool) -> None:
    """The premise: a reading _written_back_as_read accepts is written as a title that reads
    back as itself, with no special unit, and protects no capital outside the braced spans
    (and the capitals the writer may brace); as a text field, it reads back as itself."""
    if not lossless._written_back_as_read(text, ascii_only):
        return
    spans = lossless._maybe_braced(text, protected_spans(text, frozenset(), proper_nouns=False))
    written = format_title(text, frozenset(), ascii_only, proper_nouns=False)
    read, specials, mask = meaning._read_title(written)
    assert (read, specials) == (text, ())
    covered = {k for start, end in spans for k in range(start, end)}
    assert all(
        mask[k] == "0" for k, char in enumerate(text) if char.lower() != char and k not in covered
    )
    assert meaning._text(unicode_to_latex(text, ascii_only)) == text  # as _text writes it


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "{Message from the Chairman}"),
        ("title", "The {M}oore bound for irregular graphs"),
        ("title", "{{\\TeX} support programs}"),
        ("title", "Brief notes on {\\tt SYSDEP}"),
        ("series", "{Lecture Notes}"),
        ("journal", "Notes on \\TeX"),
        ("title", "{\\\"Uber die Theorie der Zahlen}"),
        ("title", "The {M}oore bound -- a survey"),
    ],
    ids=["whole-title-group", "one-capital-group", "command-read-as-letters", "font-switch",
         "series-braced-whole", "journal-command", "accented-whole-group",
         "en-dash-in-reading"],
)  # fmt: skip
def test_refused_without_building(field: str, value: str) -> None:
    """These rewrites lose a protected capital or a command: refused before being built."""
    normalize = _normalizer(field)
    assert lossless._sure_refusal(field, value, normalize, True)
    assert lossless._built_and_proved(field, value, normalize, True) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "{DNA} sequencing in practice"),
        ("title", "{T}he first letter keeps its case"),
        ("title", "Sequels: {The} next letter after a colon"),
        ("title", "{message from the chairman}"),
        ("title", "Plain words only"),
        ("title", "Fish \\& chips"),
        ("journal", "{Journal of Things}"),
    ],
    ids=["acronym-group", "first-letter", "after-colon", "no-capital", "plain", "escaped",
         "journal-braced"],
)  # fmt: skip
def test_left_to_the_guard(field: str, value: str) -> None:
    """Rewrites the guard may accept are built and proved as before."""
    assert not lossless._sure_refusal(field, value, _normalizer(field), True)
