"""Records as the snapshot keeps them: trimmed JSON that parses as the full item does."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesorefs.resolve import crossref, openalex
from mesorefs.snapshot.records import (
    canonical_choice,
    crossref_record,
    openalex_record,
    with_notices,
)

from .conftest import RESOLVE_DATA, load, notice_of, preprint_of, real_items


@pytest.mark.parametrize("item", real_items(), ids=lambda item: item["DOI"])
def test_trimmed_item_parses_as_the_full_one(item: dict) -> None:
    """Dropping what the parser does not read (reference lists, links) changes nothing."""
    record = crossref_record(item)
    assert crossref.parse_work(json.loads(record.raw)) == crossref.parse_work(item)
    assert "reference" not in json.loads(record.raw)


def test_search_text_holds_title_authors_container_numbers() -> None:
    """The words a search matches by are normalized like a query's."""
    item = load("crossref_work_10.1371_journal.pone.0033693.json", RESOLVE_DATA)["message"]
    record = crossref_record(item)
    assert record.key == "crossref:10.1371/journal.pone.0033693"
    assert "plos one" in record.text and "2012" in record.text
    assert record.text == record.text.lower()


def test_item_without_doi_is_refused() -> None:
    """A Crossref item needs a valid DOI to be a record."""
    with pytest.raises(ValueError, match="DOI"):
        crossref_record({"title": ["No DOI"]})


def test_notice_names_the_work_it_updates() -> None:
    """A retraction notice carries an updated-by entry for its target."""
    target = real_items()[0]
    record = crossref_record(notice_of(target, "10.1371/notice.1"))
    (doi, entry), *_ = record.notices
    assert doi == target["DOI"].lower()
    assert json.loads(entry)["DOI"] == "10.1371/notice.1"


def test_notices_join_as_the_api_joins_them() -> None:
    """The joined item parses with a retraction update, once however often it is joined,
    beside the updates the item had (the PLOS work has a correction)."""
    target = real_items()[0]
    _, entry = crossref_record(notice_of(target, "10.1371/notice.1")).notices[0]
    raw = crossref_record(target).raw
    before = [(u.kind, u.doi) for u in crossref.parse_work(json.loads(raw)).updates]
    joined = with_notices(with_notices(raw, [entry]), [entry])
    updates = [(u.kind, u.doi) for u in crossref.parse_work(json.loads(joined)).updates]
    assert updates == [*before, ("retraction", "10.1371/notice.1")]
    assert before  # the recorded correction is kept


def test_relations_keep_versions_only() -> None:
    """is-preprint-of links versions; other relations (reviews, data) do not."""
    target = real_items()[0]
    item = preprint_of(target, "10.1101/2011.0001")
    item["relation"]["has-review"] = [{"id-type": "doi", "id": "10.1101/review"}]
    assert crossref_record(item).relations == (("is-preprint-of", target["DOI"].lower()),)


def test_openalex_work_parses_as_the_full_one() -> None:
    """An OpenAlex work keeps what its parser reads, and its DOI as key."""
    work = load("openalex_work_peerj.json", RESOLVE_DATA)
    record = openalex_record(work)
    assert record.key == "openalex:10.7717/peerj.4375"
    assert openalex.parse_work(json.loads(record.raw)) == openalex.parse_work(work)


_member = st.tuples(
    st.from_regex(r"10\.1\d{3}/[a-z]{1,4}", fullmatch=True),
    st.sampled_from(["journal-article", "posted-content", "book-chapter"]),
    st.none() | st.integers(1990, 2030),
)


@given(st.lists(_member, min_size=1, max_size=6, unique_by=lambda m: m[0]), st.randoms())
def test_canonical_choice_ignores_order(members: list, rng: object) -> None:
    """The version of record is the same whatever order the versions were read in."""
    shuffled = list(members)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert canonical_choice(members) == canonical_choice(shuffled)


def test_canonical_choice_prefers_the_published_version() -> None:
    """A journal article stands for its earlier preprint."""
    assert (
        canonical_choice(
            [("10.1101/a", "posted-content", 2011), ("10.1/b", "journal-article", 2012)]
        )
        == "10.1/b"
    )
