"""references.bib is reproducible: article -> reference section -> parse -> resolve -> tidy.

The seed article's reference section is parsed, resolved against local Crossref and
PubMed stand-ins that hold the seed papers' verified records (``tests/resolve/data``),
and written as tidy BibTeX; the result must equal the committed ``references.bib`` in
every entry and field except the ``annote`` notes, which only people write.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string

from mesorefs import Library, tidy_bibtex
from mesorefs.parsing import find_reference_section, parse_references
from mesorefs.resolve import Resolver, ResolveResult
from resolve.conftest import FakeClock
from resolve.fakes import LocalServer, local_http_server
from resolve.seed_services import serve_seed

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "references.bib"
ARTICLE = "examples/mesotherapy/article.txt"
IGNORED = frozenset({"annote"})

Entries = dict[str, tuple[str, dict[str, str]]]


def seed_article() -> str:
    """The bundled seed article; a missing one is a broken package, not a reason to skip."""
    source = resources.files("mesorefs").joinpath(ARTICLE)
    if not source.is_file():
        pytest.fail(f"the seed article is missing from the package: mesorefs/{ARTICLE}")
    return source.read_text(encoding="utf-8")


def entries(text: str) -> Entries:
    """Entry type and raw field values (as written, braces included) by key, in file order."""
    library = parse_string(text, parse_stack=[])
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    out: Entries = {}
    for entry in library.entries:
        assert entry.key not in out, f"duplicate key {entry.key}"
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        out[entry.key] = (entry.entry_type.lower(), fields)
    return out


def differences(produced: Entries, committed: Entries, ignored: frozenset[str]) -> list[str]:
    """Every way ``produced`` differs from ``committed`` (fields in ``ignored`` aside)."""
    lines: list[str] = []
    if list(produced) != list(committed):
        lines.append(f"keys: pipeline {list(produced)} != committed {list(committed)}")
    for key in committed:
        if key not in produced:
            lines.append(f"{key}: missing from the pipeline's output")
            continue
        (ptype, pfields), (ctype, cfields) = produced[key], committed[key]
        if ptype != ctype:
            lines.append(f"{key}: entry type @{ptype} != committed @{ctype}")
        for name in sorted((set(pfields) | set(cfields)) - ignored):
            ours, theirs = pfields.get(name), cfields.get(name)
            if name == "doi" and ours and theirs:
                # DOIs ignore case: the services' records write it in lower case, the
                # verified facts as the publisher prints it
                ours, theirs = ours.lower(), theirs.lower()
            if ours != theirs:
                lines.append(f"{key}.{name}: pipeline {ours!r} != committed {theirs!r}")
    lines.extend(f"{key}: not in the committed file" for key in produced if key not in committed)
    return lines


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_http_server() as local:
        yield local


@pytest.fixture(scope="module")
def results(server: LocalServer) -> list[ResolveResult]:
    """The seed article's references, parsed and resolved against the local stand-ins."""
    section = find_reference_section(seed_article())
    if section is None:
        pytest.fail("no reference section found in the seed article")
    parsed = parse_references(section)
    with Resolver(serve_seed(server), clock=FakeClock()) as resolver:
        return resolver.resolve_many(parsed)


@pytest.fixture(scope="module")
def produced(results: list[ResolveResult]) -> str:
    """The pipeline's tidy BibTeX."""
    return Library([r.reference for r in results]).with_keys().to_bibtex()


def test_every_seed_reference_is_matched(results: list[ResolveResult]) -> None:
    """All seven references are matched, without a conflict left to settle."""
    summary = [(r.reference.title, r.status, r.reason, r.conflicts) for r in results]
    assert len(results) == 7, summary
    assert all(r.status == "matched" and not r.conflicts for r in results), summary


def test_pipeline_reproduces_references_bib(produced: str) -> None:
    """The pipeline's BibTeX equals the committed references.bib in every field but annote."""
    if not COMMITTED.is_file():
        pytest.fail(f"the committed file is missing: {COMMITTED}")
    committed = entries(COMMITTED.read_text(encoding="utf-8"))
    found = differences(entries(produced), committed, IGNORED)
    assert not found, "pipeline output differs from references.bib:\n" + "\n".join(found)


def test_pipeline_output_is_already_tidy(produced: str) -> None:
    """Tidying the pipeline's output again changes nothing."""
    assert tidy_bibtex(produced) == produced


def test_comparison_reports_every_kind_of_difference() -> None:
    """The comparison catches a changed, a missing and an extra field, a type and a key."""
    committed: Entries = {
        "a2000x": ("article", {"title": "{T}", "month": "apr", "annote": "{n}"}),
        "b2001y": ("book", {"title": "{U}"}),
    }
    produced: Entries = {
        "a2000x": ("misc", {"title": "{t}", "pages": "{1}", "annote": "{other}"}),
        "c2002z": ("book", {"title": "{U}"}),
    }
    assert differences(produced, committed, IGNORED) == [
        "keys: pipeline ['a2000x', 'c2002z'] != committed ['a2000x', 'b2001y']",
        "a2000x: entry type @misc != committed @article",
        "a2000x.month: pipeline None != committed 'apr'",
        "a2000x.pages: pipeline '{1}' != committed None",
        "a2000x.title: pipeline '{t}' != committed '{T}'",
        "b2001y: missing from the pipeline's output",
        "c2002z: not in the committed file",
    ]
    assert differences(committed, committed, IGNORED) == []
