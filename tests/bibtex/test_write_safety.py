"""The BibTeX writer keeps untrusted text inside its key and field (issue 27)."""

from __future__ import annotations

import json

import pytest

from mesorefs.bibtex.codec import Verbatim, read_bibtex, write_bibtex
from mesorefs.bibtex.keys import assign_keys, is_safe_key, safe_key
from mesorefs.library import Library
from mesorefs.models import Provenance, Reference
from mesorefs.resolve.merge import merge

PAYLOAD = r"\immediate\write18{rm -rf /}\input{/etc/passwd}"
BREAKOUT_KEY = 'x}\n@preamble{"\\immediate\\write18{ls}"}\n@misc{y,'


def _entries(text: str) -> tuple[list[Reference], list[Verbatim]]:
    document = read_bibtex(text)
    assert not document.problems, document.problems
    refs = [i for i in document.items if isinstance(i, Reference)]
    return refs, [i for i in document.items if isinstance(i, Verbatim)]


@pytest.mark.parametrize(
    "key",
    [BREAKOUT_KEY, "a b", "a,title={x}", "a}b", 'q"uote', "per%cent", "back\\slash", "bel\x07l"],
    ids=["preamble", "space", "comma", "brace", "quote", "percent", "backslash", "control"],
)
def test_unsafe_key_is_never_written_raw(key: str) -> None:
    """A key BibTeX cannot hold is written as a safe one, and the file holds one entry."""
    assert not is_safe_key(key)
    text = write_bibtex([Reference(key=key, type="book", title="T")])
    refs, others = _entries(text)
    assert len(refs) == 1 and not others
    assert refs[0].key == safe_key(key) and is_safe_key(refs[0].key or "")


@pytest.mark.parametrize("key", ["smith2020", "Müller:2001a", "doi/10.1/x", "a-b_c.d+e"])
def test_safe_keys_are_kept(key: str) -> None:
    """Keys BibTeX and biber read are kept exactly, by the writer and by assign_keys."""
    reference = Reference(key=key, type="book", title="T")
    assert is_safe_key(key)
    assert assign_keys([reference])[0].key == key
    assert _entries(write_bibtex([reference]))[0][0].key == key


@pytest.mark.parametrize(
    "fmt, text",
    [
        ("csl-json", json.dumps([{"id": BREAKOUT_KEY, "type": "book", "title": "T"}])),
        ("ris", "TY  - BOOK\nID  - a},note={pwned\nTI  - T\nER  - \n"),
    ],
    ids=["csl-json-id", "ris-id"],
)
def test_with_keys_replaces_and_reports_an_unsafe_key(fmt: str, text: str) -> None:
    """with_keys gives an unsafe key a generated one and says so in problems."""
    library = Library.loads(text, fmt).with_keys()
    (reference,) = library.references
    assert reference.key == "anonndt"
    (problem,) = [p for p in library.problems if p.kind == "unsafe-key"]
    assert "not a safe BibTeX key" in str(problem) and "anonndt" in str(problem)
    refs, others = _entries(library.to_bibtex())
    assert [r.key for r in refs] == ["anonndt"] and not others
    assert refs[0].note is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "A } B"),
        ("title", "A { B"),
        ("note", "x}, note={pwned"),
        ("publisher", PAYLOAD),
        ("publisher", "costs $5 and $6"),
    ],
    ids=["close-brace", "open-brace", "field-breakout", "latex-commands", "dollars"],
)
def test_plain_text_from_csl_json_reads_back_as_itself(field: str, value: str) -> None:
    """CSL-JSON text is written as text: one entry, the same value read back, no live command."""
    item = {"id": "k", "type": "book", "title": "T", "note": "n", field: value}
    text = Library.from_csl_json(json.dumps([item])).to_bibtex()
    refs, others = _entries(text)
    assert len(refs) == 1 and not others
    assert getattr(refs[0], field) == value
    assert "\\immediate" not in text and "\\input" not in text


def test_unbalanced_extra_value_cannot_close_its_field() -> None:
    """An extra field with a stray brace is written balanced: it stays one field."""
    reference = Reference(key="k", type="book", title="T", extra={"keywords": "a}, note={b"})
    refs, others = _entries(write_bibtex([reference]))
    assert len(refs) == 1 and not others and refs[0].note is None
    assert refs[0].extra["keywords"].count("textbraceright") == 1


def test_service_value_merged_into_a_bib_entry_is_text() -> None:
    """A record's publisher (provenance crossref) merged into a .bib entry is written escaped."""
    entry = read_bibtex("@article{a,\n  title = {\\foo{Kept} as written},\n  doi = {10.1/x}\n}\n")
    (reference,) = [i for i in entry.items if isinstance(i, Reference)]
    record = Reference(type="article-journal", title="Kept as written", publisher=PAYLOAD)
    merged = merge(reference, record, "crossref").reference
    assert merged.provenance["publisher"] == Provenance(source="crossref")
    text = write_bibtex([merged])
    refs, _ = _entries(text)
    assert refs[0].publisher == PAYLOAD
    assert "\\immediate" not in text and "\\write18" not in text and "\\input" not in text
    assert "\\foo{Kept}" in text  # what the user wrote stays LaTeX


def test_user_latex_in_a_bib_is_kept_verbatim() -> None:
    """A .bib's own commands are not escaped: tidy keeps what the user wrote."""
    text = "@book{a,\n  title = {T},\n  publisher = {\\foo{Bar} Press},\n  year = {2000}\n}\n"
    assert "\\foo{Bar} Press" in Library.from_bibtex(text).with_keys().to_bibtex()


def test_service_extra_field_is_text() -> None:
    """A record's extra value (PubMed's mesh) merged into an entry is written as text."""
    entry = Reference(key="a", type="article-journal", title="T")
    record = Reference(type="article-journal", title="T", extra={"mesh": PAYLOAD + " & Fat"})
    merged = merge(entry, record, "pubmed").reference
    text = write_bibtex([merged])
    refs, others = _entries(text)
    assert len(refs) == 1 and not others
    assert "\\immediate" not in text and "\\input" not in text
    assert "textbackslash" in refs[0].extra["mesh"] and "\\&" in refs[0].extra["mesh"]


def test_csl_json_custom_field_is_text() -> None:
    """A CSL-JSON custom value becomes a BibTeX field holding it as text."""
    item = {"id": "k", "type": "book", "title": "T", "custom": {"keywords": PAYLOAD}}
    text = Library.from_csl_json(json.dumps([item])).to_bibtex()
    refs, others = _entries(text)
    assert len(refs) == 1 and not others
    assert "\\immediate" not in text and "\\input" not in text


@pytest.mark.parametrize(
    "key",
    ["O'Brien2001", "knuth:ct:c", "a~b@c", "doe/2001+x"],
    ids=["apostrophe", "colons", "tilde-at", "slash-plus"],
)
def test_a_users_key_is_never_renamed(key: str) -> None:
    """A key read from a .bib (it parsed as a key) is written back as the user wrote it."""
    text = f"@article{{{key}, title = {{T}}, year = 2001}}\n"
    library = Library.from_bibtex(text, "refs.bib").with_keys()
    assert library.references[0].key == key
    assert f"@article{{{key}," in library.to_bibtex()
    assert not [p for p in library.problems if p.kind == "unsafe-key"]
