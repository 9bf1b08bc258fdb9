"""Property tests: BibTeX round trips and tidy is idempotent, over generated references."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesorefs import Library, PartialDate, Person, Reference
from mesorefs.bibtex.codec import write_bibtex
from mesorefs.library import tidy_bibtex

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßøåçłñÉÖ"
word = st.text(alphabet=LETTERS, min_size=1, max_size=10)
acronym = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5)
title_word = st.one_of(word, word, word, acronym, st.just("$\\alpha$"), st.just("--"), st.just("&"))
title = (
    st.lists(title_word, min_size=1, max_size=12)
    .map(" ".join)
    .map(lambda t: " ".join(t.replace("--", "–").split()))
)
name = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÉÖ"),
    st.text(alphabet=LETTERS, max_size=9),
)
person = st.one_of(
    st.builds(Person, family=name, given=st.none() | name),
    st.builds(Person, family=name, given=name, particle=st.sampled_from(["van", "de la", "von"])),
    st.builds(lambda a, b: Person(literal=f"{a} {b} Committee"), name, name),
)
date = st.builds(PartialDate, year=st.integers(1800, 2030), month=st.none() | st.integers(1, 12))
digits = st.integers(1, 9999).map(str)
pages = st.one_of(digits, st.tuples(digits, digits).map(lambda p: f"{p[0]}-{p[1]}"))
text_value = st.lists(word, min_size=1, max_size=6).map(" ".join)

references = st.builds(
    Reference,
    key=st.none() | st.from_regex(r"[a-z]{1,8}[0-9]{0,4}", fullmatch=True),
    type=st.sampled_from(
        [
            "article-journal",
            "book",
            "chapter",
            "paper-conference",
            "thesis",
            "report",
            "webpage",
            "document",
        ]
    ),
    title=title,
    authors=st.lists(person, max_size=4),
    editors=st.lists(person, max_size=2),
    issued=st.none() | date,
    container_title=st.none() | text_value,
    volume=st.none() | digits,
    issue=st.none() | digits,
    pages=st.none() | pages,
    publisher=st.none() | text_value,
    doi=st.none() | st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.\-]{1,12}", fullmatch=True),
    note=st.none() | text_value,
)


@given(st.lists(references, min_size=1, max_size=5))
def test_tidy_is_idempotent(refs: list[Reference]) -> None:
    """tidy(tidy(x)) == tidy(x) for any generated library."""
    once = tidy_bibtex(write_bibtex(refs))
    assert tidy_bibtex(once) == once


@given(references)
def test_written_reference_reads_back_equal(ref: Reference) -> None:
    """Reading what was written gives the same data (protection bookkeeping aside)."""
    back = Library.from_bibtex(write_bibtex([ref])).references[0]
    assert back.model_copy(update={"protected": frozenset()}) == ref.model_copy(
        update={"protected": frozenset()}
    )
