"""Pandoc citations in a Markdown document, rendered in a CSL style.

``[see @smith2005, p. 23; -@roe2010]`` is one citation of two works: a prefix, a
locator with its label, a suffix, and ``-@`` for a work whose author the text
already names.  ``@smith2005`` alone in running text is a citation with the author
in the text ("Smith (2005)").  Every citation of the document goes to the engine as
one sequence, so note styles write "Ibid." and disambiguation spans the document.
The markers are replaced where they stand and the bibliography is appended under a
"References" heading.

In a note style each citation becomes an inline footnote, ``^[...]``, as pandoc makes
them: an ``@key`` in running text keeps the author's names in the text before the
note mark ("Also S. P. Amin et al.^[...] found nothing."), the space before a
bracketed citation goes, and the mark goes where the document's language puts it:
after the punctuation that follows the citation in English and most languages (what
pandoc does for every note style, ``notes-after-punctuation``), before it in French and
Spanish, whose typographic rules put the note call right after the word, before any
punctuation (:data:`MARK_BEFORE_PUNCTUATION`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mesorefs.render.pipeline import Citation, CiteItem, Library, format_citations
from mesorefs.render.styles import find_style

__all__ = [
    "MARK_BEFORE_PUNCTUATION",
    "CitationMarker",
    "find_markers",
    "parse_cites",
    "place_note",
    "render_markdown",
]

MARK_BEFORE_PUNCTUATION = frozenset({"fr", "es"})
"""Languages whose note calls stand before the punctuation that follows them."""
_FOLLOWING_PUNCTUATION = re.compile(r"[.,;:!?]+")

# a bracket without brackets inside, not a link, holding an @key: found in two steps, since
# one pattern backtracks from every @ of an unclosed bracket to its end (quadratic)
_BRACKETED = re.compile(r"\[([^\[\]]*)\](?!\()")
_CUE = re.compile(r"(?<![\w.])-?@\w")
_IN_TEXT = re.compile(r"(?<![\w.@\[-])@(\w(?:[\w:.#$%&+?<>~/-]*\w)?)(?:\s+\[([^\[\]@]*)\])?")
_NOTE_CLASS = re.compile(r"<style\b[^>]*\bclass=\"note\"")
_KEY = re.compile(r"(?<![\w.])(-?)@(\w(?:[\w:.#$%&+?<>~/-]*\w)?)")
# English locator terms (singular and plural, short and long) -> CSL labels.
_LABELS = {
    term: label
    for label, terms in {
        "page": "p. pp. page pages",
        "chapter": "chap. chaps. chapter chapters ch.",
        "section": "sec. secs. section sections § §§",
        "figure": "fig. figs. figure figures",
        "paragraph": "para. paras. paragraph paragraphs ¶ ¶¶",
        "volume": "vol. vols. volume volumes",
        "line": "l. ll. line lines",
        "note": "n. nn. note notes",
        "part": "pt. pts. part parts",
        "book": "bk. bks. book books",
        "column": "col. cols. column columns",
        "verse": "v. vv. verse verses",
        "issue": "no. nos. issue issues",
        "table": "tbl. tbls. table tables",
        "appendix": "app. apps. appendix appendices",
        "sub-verbo": "s.v. s.vv.",
    }.items()
    for term in terms.split()
}
_LOCATOR = re.compile(
    r"^\s*,?\s*(?P<term>[^\W\d][\w.]*\.?|§§?|¶¶?)?\s*"
    r"(?P<locator>[\dIVXLCDMivxlcdm]+[a-z]?(?:\s*[-–,]\s*[\dIVXLCDMivxlcdm]+[a-z]?)*)"
)


@dataclass(frozen=True)
class CitationMarker:
    """A citation as written in the document, where it stands, and what it cites."""

    start: int
    end: int
    cites: tuple[CiteItem, ...]


def parse_cites(inside: str, in_text: bool = False) -> tuple[CiteItem, ...]:
    """The cite items of one bracketed citation's text (``see @a, p. 2; -@b``)."""
    items = []
    for part in inside.split(";"):
        key = _KEY.search(part)
        if key is None:
            continue
        prefix = part[: key.start()].strip()
        locator, label, suffix = _split_locator(part[key.end() :])
        items.append(
            CiteItem(
                key.group(2),
                locator=locator,
                label=label,
                prefix=prefix,
                suffix=suffix,
                suppress_author=key.group(1) == "-",
                author_in_text=in_text,
            )
        )
    return tuple(items)


def _split_locator(rest: str) -> tuple[str | None, str, str]:
    """``, p. 23, emphasis added`` -> ("23", "page", ", emphasis added")."""
    match = _LOCATOR.match(rest)
    if match is None or not rest.strip().startswith(","):
        return None, "page", rest.rstrip()
    term = match.group("term")
    if term is not None and term not in _LABELS and term.lower() not in _LABELS:
        return None, "page", rest.rstrip()  # a word, not a locator term: all suffix
    label = _LABELS.get(term or "p.", _LABELS.get((term or "").lower(), "page"))
    return match.group("locator"), label, rest[match.end() :].rstrip()


def find_markers(text: str) -> list[CitationMarker]:
    """Every Pandoc citation in ``text`` (bracketed, and ``@key`` in running text)."""
    markers = [
        CitationMarker(m.start(), m.end(), parse_cites(m.group(1)))
        for m in _BRACKETED.finditer(text)
        if _CUE.search(m.group(1))
    ]
    # the bracketed citations are sorted and disjoint: one look-up per @key in the text
    starts = [m.start for m in markers]
    for m in _IN_TEXT.finditer(text):
        at = bisect.bisect_right(starts, m.start()) - 1
        if at >= 0 and m.start() < markers[at].end:
            continue
        locator, label, suffix = (
            _split_locator(", " + m.group(2)) if m.group(2) else (None, "page", "")
        )
        cite = CiteItem(
            m.group(1), locator=locator, label=label, suffix=suffix, author_in_text=True
        )
        markers.append(CitationMarker(m.start(), m.end(), (cite,)))
    return sorted((m for m in markers if m.cites), key=lambda m: m.start)


def place_note(text: str, start: int, end: int, names: str, note: str, *, after: bool) -> str:
    """``text`` with the citation at ``start:end`` replaced by ``names`` (what stands in
    the running text, if anything) and the note mark ``^[note]``: the space before a
    citation without names goes, and the punctuation right after it goes before the
    mark when ``after`` (once: "al." is not followed by another ".")."""
    before, rest = text[:start], text[end:]
    if not names:
        before = before.rstrip(" \t")
    lead = before + names
    punctuation = _FOLLOWING_PUNCTUATION.match(rest)
    if not after or punctuation is None:
        return f"{lead}^[{note}]{rest}"
    marks = punctuation.group()
    moved = "" if lead.endswith(marks[0]) else marks
    return f"{lead}{moved}^[{note}]{rest[punctuation.end() :]}"


def render_markdown(
    text: str,
    library: Library,
    style: str = "apa",
    locale: str | None = None,
    heading: str = "References",
    *,
    links: bool = False,
) -> str:
    """``text`` with its citations written in ``style`` and the bibliography appended
    (``links``: URLs and DOIs as Markdown links)."""
    markers = find_markers(text)
    if not markers:
        return text
    document = format_citations(
        [Citation(m.cites) for m in markers], style, library, "markdown", locale, links=links
    )
    found = find_style(style)
    if _NOTE_CLASS.search(found.xml) is None:
        out, cursor = [], 0
        for marker, rendered in zip(markers, document.citations, strict=True):
            out.extend([text[cursor : marker.start], rendered])
            cursor = marker.end
        out.append(text[cursor:])
        body = "".join(out)
    else:
        language = (locale or found.default_locale or "en-US").split("-")[0].lower()
        after = language not in MARK_BEFORE_PUNCTUATION
        body = text
        in_text = document.in_text or [""] * len(markers)
        # from the last marker back, so that earlier offsets stay valid
        placed = list(zip(markers, document.citations, in_text, strict=True))
        for marker, note, names in reversed(placed):
            body = place_note(body, marker.start, marker.end, names, note, after=after)
    body = body.rstrip("\n")
    entries = "\n\n".join(document.bibliography)
    return f"{body}\n\n## {heading}\n\n{entries}\n"
