"""Title case as citeproc-js writes it; every expected value was rendered by citeproc-js."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.render.titlecase import title_case


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("what the data are made of", "What the Data Are Made Of"),
        ("rock: a primer", "Rock: A Primer"),
        ("Enema down-regulates VIP", "Enema Down-Regulates VIP"),
        ("The consistent t-matrix method", "The Consistent T-Matrix Method"),
        ("A bursin-like peptide", "A Bursin-like Peptide"),
        ("State-of-the-art on-chip sensing", "State-of-the-Art on-Chip Sensing"),
        (
            "Synthesis via CuI/l-proline catalyzed arylation",
            "Synthesis via CuI/l-Proline Catalyzed Arylation",
        ),
        (
            "Ad #econdirectM (FTP file econdirectLMS.zip)",
            "Ad #econdirectM (FTP File econdirectLMS.Zip)",
        ),
        ("signals, systems &#x00026; computers", "Signals, Systems &#x00026; Computers"),
        ("Plasma factor-$beta; correlating", "Plasma Factor-$beta; Correlating"),
        ("Untersuchungen �ber den Zelltod. I", "Untersuchungen �ber Den Zelltod. I"),
        ("Zeitschrift f�r Zellforschung", "Zeitschrift F�r Zellforschung"),
        ("…no-place:", "…no-Place:"),
        ("à propos d’une série de 100 patients", "À Propos d’une Série de 100 Patients"),
        ("d’« histoire de la société »", "D’« histoire de La Société »"),
        ("a study of the β cell", "A Study of the β Cell"),
        ("the α and the ω", "The α and the ω"),
        ("“the first line” of the poem", "“The First Line” of the Poem"),
        ("‘dogs’ and cats", "‘Dogs’ and Cats"),
        ("mRNA levels in iPS cells", "mRNA Levels in iPS Cells"),
        (
            'cells <span class="nocase">in vivo</span> and out',
            'Cells <span class="nocase">in vivo</span> and Out',
        ),
        ("x<sub>max</sub> values", "X<sub>max</sub> Values"),
        ("the vo ratio", "The vo Ratio"),
        ("", ""),
    ],
    ids=[
        "function-words",
        "after-colon",
        "hyphen-after-first-run",
        "one-letter-before-hyphen",
        "function-word-after-hyphen",
        "function-word-before-hyphen-later",
        "after-slash",
        "after-period",
        "entity",
        "dollar",
        "replacement-character",
        "letter-before-replacement-character",
        "ellipsis",
        "lone-accented-letter",
        "guillemets",
        "greek-letter",
        "lone-greek-letters",
        "double-quotes",
        "single-quotes",
        "mixed-case-kept",
        "nocase",
        "subscript",
        "v-pattern",
        "empty",
    ],
)
def test_title_case(title: str, expected: str) -> None:
    assert title_case(title) == expected


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_only_the_case_of_ascii_text_changes(text: str) -> None:
    assert title_case(text).lower() == text.lower()


@given(st.text())
def test_any_text_is_cased_without_error(text: str) -> None:
    assert isinstance(title_case(text), str)
