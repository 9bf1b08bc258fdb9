"""Online checks through a fake resolver: they run only when a resolver is given."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from mesorefs.errors import OfflineMiss
from mesorefs.library import Library
from mesorefs.lint import apply_fixes, lint
from mesorefs.models import Person, Reference, Update
from mesorefs.resolve import ResolveResult
from mesorefs.resolve.resolver import Status


class FakeResolver:
    """Answers from a table by key; records what it was asked."""

    def __init__(
        self,
        answers: dict[str, tuple[Status, Reference | None, str]],
        found: Iterable[Reference] = (),
        fail: bool = False,
    ) -> None:
        self.answers = answers
        self.found = list(found)
        self.fail = fail
        self.batches: list[list[str | None]] = []
        self.searches: list[str] = []

    def resolve_many(self, refs: Iterable[Reference]) -> list[ResolveResult]:
        items = list(refs)
        self.batches.append([r.key for r in items])
        if self.fail:
            raise OfflineMiss("offline and not cached", "crossref")
        out = []
        for ref in items:
            status, record, reason = self.answers.get(ref.key or "", ("abstained", None, ""))
            out.append(ResolveResult(record or ref, status, 0.97, reason=reason, source="crossref"))
        return out

    def search(self, text: str, rows: int = 5) -> list[Reference]:
        self.searches.append(text)
        return self.found[:rows]


def _ref(key: str, **fields: object) -> Reference:
    data: dict[str, object] = {
        "key": key,
        "title": "Mesotherapy for body contouring",
        "authors": [Person(family="Matarasso", given="A.")],
        "container_title": "Plastic and Reconstructive Surgery",
    }
    data.update(fields)
    return Reference.model_validate(data)


def _findings(check: str, ref: Reference, resolver: FakeResolver | None) -> list[str]:
    return [f.check for f in lint(Library([ref]), select=[check], resolver=resolver)]


CASES = [
    # check, entry, positive answer, negative answer
    (
        "MR204",
        _ref("k", doi="10.1000/wrong"),
        ("mismatch", None, "doi:10.1000/wrong belongs to another work: titles differ"),
        ("matched", None, ""),
    ),
    (
        "MR205",
        _ref("k", doi="10.1000/missing"),
        ("not_found", None, "crossref: no record"),
        ("matched", None, ""),
    ),
    (
        "MR206",
        _ref("k"),
        ("matched", _ref("k", doi="10.1097/01.prs.0000155960.91520.d5"), ""),
        ("abstained", None, "no candidate above the threshold"),
    ),
    (
        "MR207",
        _ref("k"),
        ("error", None, "offline mode: not in the cache"),
        ("matched", None, ""),
    ),
    (
        "MR401",
        _ref("k", doi="10.1000/x"),
        ("matched", _ref("k", updates=[Update(kind="retraction", doi="10.1000/r")]), ""),
        ("matched", _ref("k"), ""),
    ),
]


@pytest.mark.parametrize(("check", "ref", "positive", "negative"), CASES, ids=[c[0] for c in CASES])
def test_online_positive(
    check: str,
    ref: Reference,
    positive: tuple[Status, Reference | None, str],
    negative: tuple[Status, Reference | None, str],
) -> None:
    """The resolver's answer turns into the check's finding."""
    assert _findings(check, ref, FakeResolver({"k": positive})) == [check]


@pytest.mark.parametrize(("check", "ref", "positive", "negative"), CASES, ids=[c[0] for c in CASES])
def test_online_negative(
    check: str,
    ref: Reference,
    positive: tuple[Status, Reference | None, str],
    negative: tuple[Status, Reference | None, str],
) -> None:
    """A benign answer gives no finding, and without a resolver nothing runs online."""
    assert _findings(check, ref, FakeResolver({"k": negative})) == []
    if check != "MR401":
        assert _findings(check, ref, None) == []


def test_one_batch_serves_every_online_check() -> None:
    """All entries are resolved once, in one batch, however many online checks run."""
    resolver = FakeResolver({})
    library = Library([_ref("a"), _ref("b", title="Other")])
    lint(library, resolver=resolver)
    assert resolver.batches == [["a", "b"]]


def test_missing_doi_fix_adds_the_doi() -> None:
    """The confident match's DOI is added by the fix, and the fix is idempotent."""
    doi = "10.1097/01.prs.0000155960.91520.d5"
    resolver = FakeResolver({"k": ("matched", _ref("k", doi=doi), "")})
    library = Library([_ref("k")])
    fixed, changes = apply_fixes(library, lint(library, select=["MR206"], resolver=resolver))
    assert [(c.field, c.new) for c in changes] == [("doi", doi)]
    assert fixed.references[0].doi == doi
    assert fixed.references[0].provenance["doi"].source == "lint"
    again, more = apply_fixes(fixed, lint(fixed, select=["MR206"], resolver=resolver))
    assert more == [] and again.references == fixed.references


def test_locked_doi_is_not_suggested() -> None:
    """A user who locked the DOI field is not told to fill it."""
    resolver = FakeResolver({"k": ("matched", _ref("k", doi="10.1000/x"), "")})
    assert _findings("MR206", _ref("k", locked=frozenset({"doi"})), resolver) == []


def test_resolver_that_raises_is_reported_once() -> None:
    """A resolver failing as a whole gives one info finding and one unchecked error (the
    online checks did not run), never an exception."""
    library = Library([_ref("a"), _ref("b", title="Other")])
    found = lint(library, resolver=FakeResolver({}, fail=True), ignore=["MR203", "MR302"])
    assert [(f.check, f.severity) for f in found] == [("MR207", "info"), ("MR208", "error")]


def test_preprint_published_online() -> None:
    """A preprint whose title and first author match a journal record is reported."""
    preprint = _ref("pre", container_title=None, arxiv="2101.00001", type="article")
    published = _ref("pub", doi="10.1000/pub", issued={"year": 2021})
    resolver = FakeResolver({}, found=[published])
    (finding,) = lint(Library([preprint]), select=["MR403"], resolver=resolver)
    assert (
        "Plastic and Reconstructive Surgery" in finding.message and "10.1000/pub" in finding.message
    )


def test_preprint_not_published_online() -> None:
    """Search results that are other works, or preprints themselves, are not a publication."""
    preprint = _ref("pre", container_title=None, arxiv="2101.00001", type="article")
    other = _ref("x", title="Something else", doi="10.1000/x")
    itself = _ref("y", container_title=None, type="article")
    resolver = FakeResolver({}, found=[other, itself])
    assert lint(Library([preprint]), select=["MR403"], resolver=resolver) == []
    assert resolver.searches == ["Matarasso Mesotherapy for body contouring"]
