"""Write an entry read from BibTeX without changing what it means.

A ``Reference`` read from a .bib remembers the entry as written (``WrittenEntry``):
its type, each field's name and raw value, and the reference's data at that moment.
Writing it back starts from what was written, not from the model:

- a field whose data nobody changed since reading keeps its name and its place in
  the entry; its value is normalized (canonical LaTeX, ``Family, Given`` names,
  ``--`` ranges, month macros, acronym protection) only when ``same_meaning``
  proves the rewrite reads the same and rewriting it again changes nothing;
  otherwise it is written exactly as it was;
- macros and ``#`` concatenations (``jgr``, ``"10~" # jan``) are written as they were;
- fields whose data was changed (by ``resolve``, a merge, the library user) are
  written from the model, replacing only the fields that fed that data.

So twin fields (``number``/``issue``, ``address``/``location``, ``publisher`` and
``organization``), BibLaTeX dates with days and ranges, markup, unknown macros and
the user's braces all survive a ``tidy``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mesorefs.bibtex.fields import TEXT_FIELDS
from mesorefs.bibtex.latex import read_recurring, write_recurring
from mesorefs.bibtex.meaning import (
    NAME_FIELDS,
    plain_reading,
    refuses_every_rewrite,
    same_meaning,
)
from mesorefs.bibtex.names import format_names, parts_of_names
from mesorefs.bibtex.titles import format_title, protected_phrases, protected_spans
from mesorefs.lazy_re import lazy
from mesorefs.months import ABBREVIATIONS, ENGLISH
from mesorefs.normal_forms import normalize_pages
from mesorefs.vocabulary import BIBLIOGRAPHIC_FIELDS

if TYPE_CHECKING:  # tidy writes entries nobody changed without loading the models
    from mesorefs.models import Reference

__all__ = [
    "WrittenEntry",
    "changed_attributes",
    "is_well_formed_value",
    "remember_written",
    "tidy_fields",
    "written_fields",
]

# What a Reference holds that a field can feed; a change to any of them is a change.
TRACKED = (*BIBLIOGRAPHIC_FIELDS, "protected", "truncated", "locked", "bibtex_type")

# BibTeX field -> the Reference attributes it feeds (anything else lands in ``extra``).
_FEEDS: dict[str, frozenset[str]] = {
    **{name: frozenset({attr}) for name, attr in TEXT_FIELDS.items()},
    **{
        name: frozenset(attrs.split())
        for name, attrs in {
            "author": "authors",
            "editor": "editors",
            "title": "title protected",
            "booktitle": "container_title collection_title",
            "number": "issue number",
            "school": "publisher",
            "institution": "publisher",
            "organization": "publisher",
            "type": "genre",
            "year": "issued",
            "month": "issued",
            "date": "issued",
            "doi": "doi",
            "url": "url",
            "pmid": "pmid",
            "pmcid": "pmcid",
            "isbn": "isbn",
            "issn": "issn",
            "eprint": "arxiv",
            "archiveprefix": "arxiv",
            "eprinttype": "arxiv",
            "howpublished": "container_title",
            "mesorefs-truncated": "truncated",
            "mesorefs-locked": "locked",
        }.items()
    },
}
_MONTHS = ABBREVIATIONS
_BARE_NUMBER = lazy(r"-?\d+")


@dataclass(frozen=True)
class WrittenEntry:
    """An entry as the file wrote it, and the data the reader made of it."""

    entry_type: str
    fields: tuple[tuple[str, str], ...]
    """(lower-case name, raw value with its braces or quotes), in the file's order."""
    state: tuple[Any, ...]
    """The reference's ``TRACKED`` attributes right after reading."""
    extra: tuple[tuple[str, str], ...]


def _state(reference: Reference) -> tuple[Any, ...]:
    """The tracked values; lists are copied, since a caller may change them in place."""
    values = reference.__dict__  # the model's fields, without pydantic's attribute lookup
    return tuple(list(value) if type(value := values[name]) is list else value for name in TRACKED)


def remember_written(reference: Reference, entry_type: str, raw: list[tuple[str, str]]) -> None:
    """Attach the entry as written to the reference read from it."""
    reference._written = WrittenEntry(
        entry_type.lower(),
        tuple((name.lower(), value) for name, value in raw),
        _state(reference),
        tuple(reference.extra.items()),
    )


def changed_attributes(reference: Reference, written: WrittenEntry) -> set[str]:
    """What the reference holds differently from what was read (``extra:NAME`` for extras)."""
    values = reference.__dict__
    changed = {
        name for name, old in zip(TRACKED, written.state, strict=True) if values[name] != old
    }
    if tuple(reference.extra.items()) != written.extra:
        old_extra = dict(written.extra)
        for name in set(old_extra) | set(reference.extra):
            if old_extra.get(name) != reference.extra.get(name):
                changed.add("extra:" + name)
    return changed


def feeds(field: str) -> frozenset[str]:
    return _FEEDS.get(field, frozenset({"extra:" + field}))


Fields = tuple[str, list[tuple[str, str, bool]]]


def written_fields(
    reference: Reference,
    written: WrittenEntry,
    from_model: Callable[[], Fields],
    ascii_only: bool,
) -> Fields:
    """The entry type and ``(field, value, braced)`` triples for a reference read from a file.

    ``from_model`` gives the fields written from the data; it is called only when some
    data changed since reading.
    """
    changed = changed_attributes(reference, written)
    if not changed:
        return written.entry_type, tidy_fields(written.fields, written.entry_type, ascii_only)
    normalized = from_model() if changed else ("", [])
    entry_type = written.entry_type
    if changed & {"type", "bibtex_type"}:
        entry_type = normalized[0]
    out: list[tuple[str, str, bool]] = []
    for name, raw in written.fields:
        if changed and feeds(name) & changed:
            continue  # superseded by the changed data, written from the model below
        out.append(tidy_field(name, raw, entry_type, ascii_only))
    if changed:
        present = {name for name, _, _ in out}
        for name, value, braced in normalized[1]:
            if name not in present and feeds(name) & changed:
                out.append((name, value, braced))
    return entry_type, out


def tidy_fields(
    fields: Iterable[tuple[str, str]], entry_type: str, ascii_only: bool
) -> list[tuple[str, str, bool]]:
    """``(field, value, braced)`` for an entry whose data nobody changed since reading:
    each ``(lower-case name, raw value)`` as written, normalized where that provably
    keeps its meaning (:func:`tidy_field`)."""
    return [tidy_field(name, raw, entry_type, ascii_only) for name, raw in fields]


def is_well_formed_value(raw: str) -> bool:
    """``{...}``, ``"..."``, a number or a macro, or such pieces joined by ``#``.

    Braces must balance in each piece; anything else is how a splitter recovered from
    an error, and would not be read the same way twice.
    """
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}"):
        if _closes_at_end(raw):
            return True
    elif _SIMPLE_VALUE.fullmatch(raw):
        return True
    for piece in split_pieces(raw):
        piece = piece.strip()
        if not piece:
            return False
        if piece[0] == "{":
            if not (piece.endswith("}") and _closes_at_end(piece)):
                return False
        elif piece[0] == '"':
            if not (len(piece) >= 2 and piece.endswith('"') and _balanced(piece[1:-1])):
                return False
            if '"' in piece[1:-1] and '"' in _outside_braces(piece[1:-1]):
                return False
        elif not re.fullmatch(r"[^\s#\"{}(),=]+", piece):
            return False
    return True


# A number, a macro, or a quoted value without braces or concatenation.
_SIMPLE_VALUE = lazy(r'[^\s#"{}(),=]+|"[^"{}#]*"')


def split_pieces(raw: str) -> list[str]:
    """``a # {b} # "c"`` split at the ``#`` that stand outside braces and quotes."""
    if "#" not in raw:
        return [raw]
    pieces, depth, quoted, start = [], 0, False, 0
    for match in _PIECE_MARK.finditer(raw):  # only the characters that matter, not each one
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"':
            quoted = quoted != (depth == 0)
        elif depth == 0 and not quoted:
            k = match.start()
            pieces.append(raw[start:k])
            start = k + 1
    pieces.append(raw[start:])
    return pieces


_PIECE_MARK = lazy(r'[{}"#]')


def _balanced(text: str) -> bool:
    depth = 0
    for m in _BRACE.finditer(text):
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _content(raw: str) -> str | None:
    """The text inside one pair of braces or quotes; None for macros and concatenations."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}" and _closes_at_end(raw):
        return raw[1:-1]
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        inner = raw[1:-1]
        if '"' not in inner or '"' not in _outside_braces(inner):
            return inner
    if _BARE_NUMBER.fullmatch(raw):
        return raw
    return None


_BRACE = lazy(r"[{}]")


def _closes_at_end(raw: str) -> bool:
    """True when the brace opening ``raw`` is the one closing it."""
    if raw.count("{") == 1 and raw.count("}") == 1:  # most values: one pair, no group
        return raw[-1] in "{}"  # the later of the two braces ends the text
    depth = 0
    last = len(raw) - 1
    for m in _BRACE.finditer(raw):
        depth += 1 if m.group() == "{" else -1
        if depth == 0 and m.start() != last:
            return False
    return depth == 0


def _outside_braces(text: str) -> str:
    """The text at brace depth zero (or below: an unbalanced ``}`` counts down)."""
    if "{" not in text and "}" not in text:
        return text
    out, depth, start = [], 0, 0
    for match in _BRACE.finditer(text):
        if depth == 0:
            out.append(text[start : match.start()])
        depth += 1 if match.group() == "{" else -1
        start = match.end()
    if depth == 0:
        out.append(text[start:])
    return "".join(out)


def tidy_field(name: str, raw: str, entry_type: str, ascii_only: bool) -> tuple[str, str, bool]:
    """One field as written, normalized only where that provably keeps its meaning."""
    content = _content(raw)
    if content is None:
        bare = raw.strip()
        if name == "month" and bare.lower() in _MONTHS:
            return name, bare.lower(), False
        return name, bare, False  # a macro or a concatenation: as written
    normalize = _normalizer(name)
    if normalize is None:
        return name, content, True
    candidate = _checked(name, content, normalize, ascii_only)
    if name == "month" and candidate in _MONTHS:
        return name, candidate, False
    return name, candidate, True


@functools.lru_cache(maxsize=1 << 17)
def _checked(
    name: str, content: str, normalize: Callable[[str, bool], str], ascii_only: bool
) -> str:
    """The normalized value when it provably reads the same and is stable, else a safe one.

    When the full rewrite cannot be proved, the value with its spaces collapsed is
    tried, and failing that the value stays exactly as written.
    """
    candidate = _proved(name, content, normalize, ascii_only)
    if candidate is not None:
        return candidate
    spaced = _collapse_spaces(content)
    if spaced != content and same_meaning(name, content, spaced):
        return _checked(name, spaced, normalize, ascii_only)
    return content


def _proved(
    name: str, content: str, normalize: Callable[[str, bool], str], ascii_only: bool
) -> str | None:
    if _sure_refusal(name, content, normalize, ascii_only):
        return None  # the guard would refuse the rewrite: it is not built
    return _built_and_proved(name, content, normalize, ascii_only)


def _built_and_proved(
    name: str, content: str, normalize: Callable[[str, bool], str], ascii_only: bool
) -> str | None:
    """The rewrite, built and then proved; None when it cannot be."""
    try:
        candidate = normalize(content, ascii_only)
    except (ValueError, RecursionError):
        return None
    if candidate == content:
        return content
    if _spelling_unproved(name, content, candidate, ascii_only):
        return None
    if candidate.count("textbackslash") != content.count("textbackslash"):
        # A typed backslash and a command kept as written read the same (``\\verb``,
        # ``\\textbackslash{}aardh``): a rewrite that spells one as the other is unproved.
        return None
    if candidate.count("textbrace") != content.count("textbrace"):
        # ``\\{112\\}`` prints braces in LaTeX but is a brace group to BibTeX (it protects
        # case and counts in its lengths), which ``{\\textbraceleft}`` is not: unproved.
        return None
    if not (
        _only_spacing_or_protection(name, content, candidate)
        or same_meaning(name, content, candidate)
    ):
        return None
    try:
        again = normalize(candidate, ascii_only)
    except (ValueError, RecursionError):
        return None
    return candidate if again == candidate else None


def _spelling_unproved(name: str, content: str, candidate: str, ascii_only: bool) -> bool:
    """Rewrites whose spelling of a character may print differently, so tidy abstains:

    - ASCII output that still holds a character the original did not (``{\\ast}`` read
      as U+2217 has no text macro to be written back with);
    - a title's capital written as Unicode outside braces, spelt as a macro group
      (``\u00c5bne`` -> ``{\\AA}bne``): sentence case lower-cases the one in biber and
      pybtex, the other in BibTeX, so the user's spelling is kept;
    - a title's capital spelt as a command outside braces (``\\'Electrique``,
      ``\\'{E}cole``) and written any other way, for the same reason;
    - a title's no-break space (U+00A0) written as ``~``: after ": " pybtex's sentence
      case keeps the next capital after the one, not after the other.
    """
    if (
        ascii_only
        and not candidate.isascii()
        and any(not c.isascii() and c not in content for c in candidate)
    ):
        return True
    if name in _TITLE_LIKE and "\\" in content:
        bare = _bare_capital_spellings(content)
        if bare and bare != _bare_capital_spellings(candidate):
            return True
    if name in _TITLE_LIKE and not content.isascii():
        if candidate.count("\u00a0") != content.count("\u00a0"):
            return True  # pybtex reads it as a space (": \u00a0A" keeps its capital), not ~
        capitals = {c for c in _outside_braces(content) if c.isupper() and not c.isascii()}
        return any(c not in candidate for c in capitals)
    return False


# A capital spelt as a command: an accent on a capital (``\\'E``, ``\\'{E}``, ``\\c C``) or
# a capital letter macro (``\\AA``, ``\\O``).
_CAPITAL_SPELLING = lazy(
    r"\\(?:[`'^\"~=.][ \t]*\{?[ \t]*[A-Z]|[cvuHkrdbt](?:[ \t]*\{[ \t]*|[ \t]+)[A-Z]"
    r"|(?:AA|AE|OE|O|L|SS|NG|DH|TH|DJ)(?![A-Za-z]))"
)


def _bare_capital_spellings(text: str) -> list[str]:
    """The capitals spelt as commands outside braces (``\\'Electrique``, ``\\'{E}cole``).

    Engines disagree on what sentence case does to them and to their rewrites: BibTeX
    lowers ``\\'E`` and ``{\\'E}`` but keeps ``\\'{E}`` (a brace group), pybtex keeps
    ``{\\'E}``, and a Unicode ``\u00c9`` is lowered by pybtex and biber, not by BibTeX.
    """
    out: list[str] = []
    depth, last = 0, 0
    for match in _CAPITAL_SPELLING.finditer(text):
        between = text[last : match.start()]
        depth += between.count("{") - between.count("}")
        last = match.start()
        if depth <= 0:
            out.append(match.group())
    return out


_PARAGRAPH_BREAK = lazy(r"\n[ \t\r\f\v]*\n[ \t\n\r\f\v]*")
# TeX's blanks are ASCII: a no-break or narrow space (U+00A0, U+202F) is a character.
_BLANKS = " \t\n\r\f\v"
_BLANK_RUN = lazy(r"[ \t\n\r\f\v]+")


def _squeeze(text: str) -> str:
    """Runs of blanks as one space, none at the ends (``str.split`` where all is ASCII)."""
    if text.isascii():
        return " ".join(text.split())
    return _BLANK_RUN.sub(" ", text).strip(" ")


def _collapse_spaces(text: str) -> str:
    """Runs of spaces become one; a blank line (a paragraph break in TeX) stays one."""
    return "\n\n".join(_squeeze(part) for part in _PARAGRAPH_BREAK.split(text.strip(_BLANKS)))


_LATEX_SYNTAX = lazy(r"[\\{}$~&%#_^`'!?]|--")


def _only_spacing_or_protection(name: str, content: str, candidate: str) -> bool:
    """The cheap proof for plain text: the rewrite only trims spaces or adds braces.

    With no LaTeX in the original, braces around plain words can only add case
    protection (allowed), never make a command, an accent or math.
    """
    if _LATEX_SYNTAX.search(content) or name in NAME_FIELDS or name in ("month", "pages"):
        return False
    plain = _collapse_spaces(content)
    if "\n\n" in plain:
        return False  # paragraphs: let the full reader judge
    if candidate == plain:
        return True
    if name != "title" or "\\" in candidate:
        return False
    return _squeeze(candidate.replace("{", "").replace("}", "")) == plain


# Without one of these, or a brace, a value reads as its plain text (no markup, no
# protected letter): no precheck is worth its cost.
_MARKUP_SOURCE = lazy(r"[\\{$&%#_^]|\n[ \t\r\f\v]*\n")


def _sure_refusal(
    name: str, content: str, normalize: Callable[[str, bool], str], ascii_only: bool
) -> bool:
    """True when ``same_meaning`` is sure to refuse the rewrite ``_text`` or ``_title``
    would build (``meaning.refuses_every_rewrite``), so it need not be built.

    Both write the value's Unicode reading back with ``unicode_to_latex``, ``_title``
    bracing the spans ``titles.protected_spans`` gives.  When that reading is written
    back as itself (:func:`_written_back_as_read`), the rewrite reads as the reading,
    one unit per character, and protects no capital outside those spans, except a
    non-ASCII capital the writer may brace (``{\\'E}``).
    """
    if normalize is not _text and normalize is not _title:
        return False
    if _MARKUP_SOURCE.search(content) is None:
        return False
    try:
        text = read_recurring(content)
    except (ValueError, RecursionError):  # the normalizer raises too: refused
        return True
    if not _written_back_as_read(text, ascii_only):
        return False

    def spans() -> list[tuple[int, int]]:
        if normalize is _text:
            return _maybe_braced(text, [])
        braced = protected_spans(text, protected_phrases(content), proper_nouns=False)
        return _maybe_braced(text, braced)

    return refuses_every_rewrite(name, content, text, spans)


def _maybe_braced(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans``, and each capital the writer may spell as a braced macro (``{\\'E}``)."""
    if text.isascii():
        return spans
    return spans + [(k, k + 1) for k, c in enumerate(text) if not c.isascii() and c.lower() != c]


def _written_back_as_read(text: str, ascii_only: bool) -> bool:
    """True when ``unicode_to_latex`` writes ``text`` so that it reads back as ``text``, one
    unit per character, with no command, math, active character or paragraph break.

    So it is when the text has no backslash and no dollar (the writer would pass a
    command or math through), its blanks are single spaces, and each other character
    is written as something read back as that character alone: ``& % # _`` escaped,
    ``{ } ~ ^`` as text macros, ``{\\'e}``, ``--`` for an en dash (a character pair that
    would read as a ligature gets ``{}`` between).  The text is NFC, as the writer makes it.
    """
    if "\\" in text or "$" in text or _squeeze(text) != text:
        return False
    if text.isascii():
        return True
    return unicodedata.is_normalized("NFC", text) and all(
        _char_written_back(char, ascii_only) for char in set(text) if not char.isascii()
    )


@functools.lru_cache(maxsize=1024)
def _char_written_back(char: str, ascii_only: bool) -> bool:
    return plain_reading(write_recurring(char, ascii_only=ascii_only)) == char


def _text(content: str, ascii_only: bool) -> str:
    return write_recurring(read_recurring(content), ascii_only=ascii_only)


def _names(content: str, ascii_only: bool) -> str:
    return format_names(parts_of_names(content), ascii_only)


def _title(content: str, ascii_only: bool) -> str:
    return format_title(
        read_recurring(content), protected_phrases(content), ascii_only, proper_nouns=False
    )


def _pages(content: str, ascii_only: bool) -> str:
    pages = normalize_pages(read_recurring(content))
    if re.fullmatch(r"[A-Za-z]?\d+[A-Za-z]?-[A-Za-z]?\d+[A-Za-z]?", pages):
        pages = pages.replace("-", "\u2013")
    return write_recurring(pages, ascii_only=ascii_only)


def _month(content: str, ascii_only: bool) -> str:
    text = read_recurring(content).strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return _MONTHS[int(text) - 1]
    return text[:3] if text in _FULL_MONTHS or text in _MONTHS else content


_FULL_MONTHS = frozenset(ENGLISH)


def _stripped(content: str, ascii_only: bool) -> str:
    return content.strip()


_TITLE_LIKE = frozenset(
    "title subtitle titleaddon booktitle booksubtitle maintitle mainsubtitle eventtitle "
    "origtitle".split()
)
_TEXT_FIELDS = frozenset(
    "journal journaltitle series shortjournal journalabbrev volume edition "
    "publisher school institution organization address location howpublished "
    "type chapter note annote annotation abstract language langid".split()
)


def _normalizer(name: str) -> Callable[[str, bool], str] | None:
    if name in NAME_FIELDS:
        return _names
    if name in _TITLE_LIKE:
        return _title
    if name == "pages":
        return _pages
    if name == "month":
        return _month
    if name in ("year", "doi", "isbn", "issn", "pmid", "pmcid"):
        return _stripped
    if name in _TEXT_FIELDS:
        return _text
    return None
