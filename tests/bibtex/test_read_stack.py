"""The read stack run in one walk reads what bibtexparser's pass-by-pass pipeline reads."""

from __future__ import annotations

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import ResolveStringReferencesMiddleware
from bibtexparser.model import Block, Entry, Field, ParsingFailedBlock, String

from mesorefs.bibtex.read_stack import (
    REFERENCE_KEY,
    MacroMiddleware,
    parse_in_one_walk,
    parse_stack,
)

TEXTS = {
    "plain": "@article{a,\n  author = {Doe, Jane and Roe, R.},\n  title = {On {DNA}},\n"
    "  year = 2001\n}\n",
    "macros": '@string{jgr = {J. Geophys. Res.}}\n@string{Doe = "Doe, Jane"}\n'
    "@article{b, author = doe, journal = jgr, month = jan, year = {1999}}\n",
    "concatenation": '@string{jgr = "J. Geophys. Res."}\n@string{jgrb = jgr # " B"}\n'
    '@article{c, journal = jgrb, note = "10~" # jan, title = {T}}\n',
    "macro of a macro": "@string{a = {Alpha}}\n@string{b = a}\n@misc{d, note = b}\n",
    "bad name": "@article{e, author = {Doe, Jane, Jr, X, Y}, title = {T}}\n",
    "unsafe key": "@article{f g, author = {Doe, J.}, title = {T}}\n",
    "no key": "@article{, author = {Doe, J.}, title = {T}}\n",
    "duplicate key": "@misc{h, title = {One}}\n@misc{h, title = {Two}}\n",
    "duplicate field": "@misc{i, title = {One}, title = {Two}}\n",
    "broken value": "@misc{j, title = {Open, year = 2000}\n@misc{k, title = {Fine}}\n",
    "comments and preamble": '% a comment\n@comment{x}\n@preamble{"\\newcommand"}\n'
    "@misc{l, editor = {Roe, R.}}\n",
}


def _reading(block: Block) -> tuple[object, ...]:
    """What the reader takes from a block: its type, key, what it read, its raw text."""
    if isinstance(block, Entry):
        return ("entry", block.key, repr(block.parser_metadata[REFERENCE_KEY]), block.raw)
    if isinstance(block, String):
        return ("string", block.key, block.value, block.raw)
    if isinstance(block, ParsingFailedBlock):
        return (type(block).__name__, str(block.error), block.raw, block.start_line)
    return (type(block).__name__, block.raw)


@pytest.mark.parametrize("build", [True, False], ids=["references", "fields-only"])
@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
def test_one_walk_reads_as_the_passes_do(text: str, build: bool) -> None:
    """Every block reads the same as through parse_string, pass by pass."""
    passes = parse_string(text, parse_stack=parse_stack(build=build))
    walk = parse_in_one_walk(text, parse_stack(build=build))
    assert [_reading(b) for b in walk.blocks] == [_reading(b) for b in passes.blocks]
    assert [s.value for s in walk.strings] == [s.value for s in passes.strings]


@pytest.mark.parametrize(
    "value",
    ["doe", "DOE", "{doe}", '"doe"', "jgr", "unknown", "1999", '"', "{", "", "jgr # doe"],
    ids=lambda v: repr(v),
)
def test_macro_middleware_resolves_as_bibtexparser(value: str) -> None:
    """A field's value after MacroMiddleware equals it after ResolveStringReferences."""
    strings = [String("doe", '"Doe, Jane"'), String("JGR", "{J. Geophys. Res.}")]

    def library() -> Library:
        entry = Entry("misc", "k", [Field("note", value)])
        return Library([*[String(s.key, s.value) for s in strings], entry])

    ours = library()
    MacroMiddleware().transform(ours)
    theirs = ResolveStringReferencesMiddleware(allow_inplace_modification=True).transform(library())
    assert ours.entries[0].fields[0].value == theirs.entries[0].fields[0].value
