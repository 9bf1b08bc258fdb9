"""Where pandoc's citeproc differs from citeproc-js, and what we do about it.

Each fix is measured by ``benchmarks/csl_bench.py``.  Fixes change the
engine's input (the CSL-JSON items, the style) or tidy its output; none
changes what the data says.

1. Punctuation after a title that ends in ``.``, ``?``, ``!`` or ``:``: pandoc drops
   the comma that follows (``“Why?” Journal``), citeproc-js keeps it and moves
   it inside the quotes (``“Why?,” Journal``).  The final mark travels through
   the engine as a private-use character and is put back afterwards; a period
   right after it is dropped, as citeproc-js does; so is one after a title that is a
   quotation ending in such a mark (``‘Is there any space?’ Journal``).
2. A comma or period after a nested closing quote goes inside it too
   (``‘Type I,’”``), in locales that put punctuation inside quotes (US English);
   a comma after a quotation in the middle of a title stays outside it
   (``product “035”, a preparation``), which pandoc would move in.
3. Single quotes at the top level of a title stay single (pandoc makes them
   double).
4. Title case: in the fields a style title-cases (read from the engine's rendering of
   a probe work of each type the items have, :func:`title_probe`, since a style may
   title-case a journal article's container and not a report's (suite fixture
   bugreports_MatchedAuthorAndDate), and from its citation of one without names,
   :data:`NAMELESS_PROBE`: APA title-cases only the title standing in for names) the
   title is cased as citeproc-js cases it (:mod:`mesorefs.render.titlecase`) and kept
   from pandoc's own title case; only English titles, and those of no stated
   language, are title-cased.  Elsewhere the
   short words citeproc-js keeps in lower case ("after", "through", "et", ...) are
   marked ``nocase`` in case the style title-cases a field the probe does not show.
5. Numeric ranges in volume and issue take the style's page-range delimiter (an
   en dash unless the style says otherwise, as AMA does), as in citeproc-js.
   In a page field a dash joins a range only between page numbers with the same
   prefix, or none ("N110–N115", "8n11564–68"); between numbers with different
   prefixes it is a hyphen as written, and spaces around a dash go ("N110 - 5" gives
   "N110-5", "123N110 - N5" gives "123N110-N5"; suite fixtures page_Expand,
   page_ExpandWeirdComposite, page_Minimal, page_ChicagoWeird).  An escaped hyphen
   is a hyphen in one page ("3\\-B" gives "page 3-B";
   number_PlainHyphenOrEnDashAlwaysPlural).  Page fields that are not a plain range
   ("306.1-306", "no-no") stay as written, except ranges of roman numerals
   ("iii-iv"), which citeproc-js reads as ranges, and a dash between the last two
   page numbers of a comma-separated part ("49-5655-49-5655" gives
   "49-5655-49–5655", "512-507,1233" gives "512–507,1233", "N1-N2-N3" gives
   "N1-N2–N3"); such a field is still several pages when a hyphen follows a whole
   page number ("pp. 390-395.e1", but "p. 306.1-306").  A range from a page with a
   two-letter prefix to itself stays in full ("CO2–CO2"; pandoc writes "CO2–2").
   An issue that is not a number or a range ("Suppl 2") is one issue: "no."; a
   leading zero stays ("no. 02").
6. A ``<names>`` with a ``<label>`` but no ``<name>`` gets an explicit
   ``<name/>`` first, so the label follows the names as CSL says (pandoc put
   it in front: "In, ed.World Health Organization").
7. A note style's citation goes to the engine inside its footnote
   (:func:`in_notes`): making the footnote itself, pandoc capitalizes its first letter
   ("De Simone", "Pages 1–2", "See Doe" for the prefix "see"), where citeproc-js
   writes it as the style gives it (suite fixtures nameorder_Short,
   magic_CapitalizeFirstOccurringNameParticle, label_PluralNumberOfVolumes and more),
   except that a citation that starts with a term ("ibid.") is capitalized: each
   ``<text term>`` of a note style prints :data:`TERM_START` first, and
   :func:`finish` capitalizes the letter after one that starts a citation
   (magic_CapitalizeFirstOccurringTerm, position_FirstTrueOnlyOnce).
8. With ``second-field-align`` pandoc ends the left margin with a space of its own
   ("[1] "); citeproc-js writes the first field with its affixes alone ("[1]", but
   "1. " for the suffix ". "), :func:`margin_space` (suite fixtures
   magic_SecondFieldAlign, bugreports_IeeePunctuation and more).
9. citeproc-js reads a locator of numbers joined by "&" or "and" (", and") as
   several ("pages 213 & 235"); pandoc ends the locator there and calls it one page.
   Such a locator goes to the engine as one word (its spaces, commas and ampersands as
   stand-ins) that counts as several (:func:`prepare_locator`; suite fixtures
   label_PluralWithAmpersand, label_PluralWithAnd, label_PluralWithCommaAnd; the
   locale's "and", read from the engine's rendering of :data:`AND_PROBE`:
   label_PluralWithLocalizedAnd, label_PluralWithCommaLocalizedAnd); a range
   written with spaces ("100 - 103") loses them, so the engine reads a range too
   (locator_SimpleLocators); an escaped hyphen makes one page ("327\\-30" gives
   "page 327-30"; label_CollapsedPageNumberPluralDetection); the ampersand prints as
   the style's symbol "and", where it has one that is not its text "and"
   (label_PluralWithLocalizedAmpersand).
10. A locator that starts with an abbreviation citeproc-js reads as a label
   ("vol. 1, fol. 186") takes that label in place of the one given
   (:func:`locator_label`; locator_TrickyEntryForPlurals); pandoc would print both
   ("p. vol. 1").
11. Markup in a number variable (volume, issue, number, page, ...) whose value starts
   with a digit is printed as written, as citeproc-js prints it ("1<sup>er</sup>";
   suite fixture flipflop_NumericField); pandoc read it as markup ("1er" from
   ``<number>``).  Its "<" goes to the engine as a stand-in.
12. In locales that put punctuation inside quotes, a comma or period after a quotation
    that ends an italic (or other decorated) run goes inside the quotes, as pandoc does
    for a bare quotation (:func:`punctuation_into_quotes`; suite fixture
    magic_PunctuationInQuoteNested).
13. Outside English, a locator goes to the engine after the locale's own word for its
    label ("Seite 100"): pandoc recognizes a label only in the citation's locale, and
    would print "p. 100" in a German citation (:func:`label_terms_probe_style`; suite
    fixture bugreports_MissingItemInJoin).
14. A term that follows a cite's prefix ending a sentence is capitalized, as at the
    start of a note (:func:`mark_sentence_end`; suite fixture
    position_IbidWithPrefixFullStop: "He said “Please work.” Ibid.").
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

import mesorefs.render.names as names
import mesorefs.render.titlecase as titlecase
from mesorefs.render.standins import (
    AMPERSAND,
    CLOSE_SINGLE,
    COMMA,
    EN_DASH,
    END_MARKS,
    HYPHEN,
    LESS_THAN,
    OPEN_SINGLE,
    PERIOD,
    PLURAL,
    PLURAL_SEEN,
    SENTENCE_END,
    SPACE,
    TERM_START,
    ZERO,
)
from mesorefs.render.styles import CSL_NS, Style
from mesorefs.render.tree import Node
from mesorefs.render.writers import Output

__all__ = [
    "and_probe_style",
    "and_term",
    "finish",
    "in_notes",
    "joins_with_a_word",
    "label_terms",
    "label_terms_probe_style",
    "locator_label",
    "margin_space",
    "mark_sentence_end",
    "prepare_items",
    "prepare_locator",
    "prepare_style",
]

_NS = f"{{{CSL_NS}}}"
_TITLE_FIELDS = ("title", "container-title", "collection-title", "event-title", "title-short")

_BACK = {v: k for k, v in END_MARKS.items()}

_WORD = re.compile(r"(?<=\s)([a-z]+)(?=\s)")
# Curly single quotes the title was written with.  ASCII ones are quote markup to
# citeproc-js and pandoc alike (outer or inner quotes by nesting: suite fixtures
# sort_Quotes, bugreports_FrenchApostrophe), so they go to the engine as they are.
_SINGLE_QUOTED = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[]))\u2018"
    r"([^'\u2019\s][^'\u2019]*?[^'\u2019\s]|[^'\u2019\s])\u2019(?=$|[\s.,;:!?)\]])"
)
_RANGE = re.compile(r"^(\d+)\s*[-‐‑–]\s*(\d+)$")
_SIMPLE_PAGES = re.compile(
    r"^\d*[A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-‐‑–]+\s*\d*[A-Za-z]{0,3}\d+[A-Za-z]?)?$"
)
# a page number as citeproc-js reads one: digits, perhaps after a prefix of letters or
# of digits and letters ("N110", "8n11564"), perhaps with lower-case letters after
_PAGE = r"(?:\d*[A-Za-z]+0*)?\d+[a-z]*"
_PAGE_NUMBER = re.compile(r"(\d*[A-Za-z]+0*)?(\d+)[a-z]*")
# two page numbers joined by one dash, not within a chain ("1-2-3") or after a decimal
_PAGE_PAIR = re.compile(rf"(?<![\w.\-‐‑–{HYPHEN}])({_PAGE})[-‐‑–]({_PAGE})(?![\w.\-‐‑–])")
_SPACED_DASH = re.compile(r"(?<![-‐‑–\s])\s*([-‐‑–])\s*(?![-‐‑–\s])")
_ESCAPED_HYPHEN = "\\-"
_RANGE_DELIMITER = re.compile(r'<term name="page-range-delimiter">([^<]*)</term>')
_ROMAN_RANGE = re.compile(r"^\s*([ivxlcdm]+)\s*[-‐‑–]+\s*([ivxlcdm]+)\s*$", re.IGNORECASE)
_COMMA_AFTER_QUOTE = re.compile('([\u201d"]),(?=\\s)')
_MARK_IN_QUOTES = re.compile("(?<!\\.)([.?!])([\ue011\u2019\u201d\"']+)$")
# Stand-ins for range dashes the engine must not read as a range.
_DASHES = {"-": HYPHEN, "–": EN_DASH}
_SAME_PAGE_TWICE = re.compile(r"^\s*([A-Za-z]{2,}\d+)\s*[-‐‑–]+\s*([A-Za-z]{2,}\d+)\s*$")
# citeproc-js counts a page field as several pages when a hyphen follows a whole page
# number ("390-395.e1", "S1-S5"); not after a decimal part ("306.1-306") or a word
# ("no-no"), and a comma alone does not count ("1,2")
_SEVERAL_PAGES = re.compile(
    r"(?:^|[\s,\-‐‑–])(?:\d*[a-z]*\d+[a-z]*|[ivxlcdm]+)\s*[-‐‑–]+\s*\w", re.IGNORECASE
)
_LEADING_ZERO = re.compile(r"^0(?=\d+$)")
_NUMBER_FIELDS = (
    "chapter-number", "collection-number", "edition", "issue", "number",
    "number-of-pages", "number-of-volumes", "page", "volume",
)  # fmt: skip
_STARTS_WITH_DIGIT = re.compile(r"\s*\d")
_PLAIN_NUMBER = re.compile(r"^\d+$")


def _protect_stop_words(text: str) -> str:
    """Mark lower-case function words (not the first word, not after a colon) as nocase."""
    if "<" in text or "\n" in text:
        return text

    def mark(match: re.Match[str]) -> str:
        word = match.group(1)
        before = text[: match.start()].rstrip()
        if not titlecase.is_function_word(word) or not before or before[-1] in ":?!.—–":
            return word
        return f'<span class="nocase">{word}</span>'

    return _WORD.sub(mark, text)


def _nocase(text: str) -> str:
    return f'<span class="nocase">{text}</span>'


def _prepare_title(text: str, title_case: bool = False, protect: bool = True) -> str:
    if title_case:
        text = titlecase.title_case(text)
    text = _SINGLE_QUOTED.sub(lambda m: f"{OPEN_SINGLE}{m.group(1)}{CLOSE_SINGLE}", text)
    # a comma after a quotation inside the title stays outside it, as citeproc-js leaves it
    text = _COMMA_AFTER_QUOTE.sub(lambda m: m.group(1) + COMMA, text)
    if protect and not title_case and "<" not in text:
        text = _protect_stop_words(text)
    if text and text[-1] in END_MARKS and not text.endswith(".."):
        text = text[:-1] + END_MARKS[text[-1]]
    elif match := _MARK_IN_QUOTES.search(text):
        # a title that is one quotation ending in a mark: "‘Is there any space?’"
        text = text[: match.start(1)] + END_MARKS[match.group(1)] + match.group(2)
    # cased as citeproc-js cases it, the title is kept from the engine's own title case
    return _nocase(text) if title_case else text


@lru_cache(maxsize=32)
def _range_traits(xml: str) -> tuple[str, bool]:
    """The style's page-range delimiter, and whether it formats page ranges."""
    delimiter = _RANGE_DELIMITER.search(xml)
    return (delimiter.group(1) if delimiter else "–"), "page-range-format=" in xml


TITLE_PROBE: dict[str, Any] = {
    "id": "probe",
    "type": "article-journal",
    "title": "alpha beta gamma",
    "container-title": "delta epsilon zeta",
    "author": [{"family": "Probe", "given": "Pat"}],
    "issued": {"date-parts": [[2000]]},
}
"""An article whose rendering shows which of its title fields the style title-cases."""


def title_probe(item_type: str) -> dict[str, Any]:
    """:data:`TITLE_PROBE` as a work of ``item_type`` ("" for an item without a type): a
    style may title-case a journal's name and leave a report's series as written."""
    probe = {**TITLE_PROBE, "id": f"probe-{item_type or 'untyped'}", "type": item_type}
    if not item_type:
        del probe["type"]
    return probe


NAMELESS_PROBE: dict[str, Any] = {
    "id": "nameless-probe",
    "type": "article-journal",
    "title": "eta theta iota",
    "container-title": "kappa lambda mu",
    "issued": {"date-parts": [[2000]]},
}
"""An article without names, cited: its citation shows whether the style title-cases
the (short) title that stands in for the names."""


def title_cased_fields(rendered_probe: str, cited_nameless: str = "") -> frozenset[str]:
    """The title fields the style title-cases: those of :data:`TITLE_PROBE` that came
    out title-cased in ``rendered_probe``, and ``title-short`` when the citation of
    :data:`NAMELESS_PROBE` title-cases its title."""
    fields = {f for f in ("title", "container-title") if TITLE_PROBE[f].title() in rendered_probe}
    if NAMELESS_PROBE["title"].title() in cited_nameless:
        fields.add("title-short")
    return frozenset(fields)


def _page_number(page: str) -> tuple[str, int] | None:
    """A page number's prefix and number ("N110" -> ("N", 110)), or None."""
    match = _PAGE_NUMBER.fullmatch(page.strip())
    return (match.group(1) or "", int(match.group(2))) if match else None


def _same_prefix(low: str, high: str) -> bool:
    """Whether two page numbers carry the same prefix ("N110", "N115"; "110", "115")."""
    first, second = _page_number(low), _page_number(high)
    return bool(first and second and first[0] == second[0])


def _pair(match: re.Match[str]) -> str:
    """Two page numbers with different prefixes ("N110-5") joined by a hyphen as written."""
    low, high = match.groups()
    return match[0] if _same_prefix(low, high) else low + HYPHEN + high


def _last_range(part: str, dash: str, formatted: bool) -> str:
    """``49-5655-49-5655`` -> ``49-5655-49–5655`` (hyphens protected); else as written.

    A style with a ``page-range-format`` cannot format a range that runs backwards
    (``512-507``), so citeproc-js leaves that one as written too."""
    head, hyphen, high = part.rpartition("-")
    low = _page_number(re.split(f"[-{HYPHEN}]", head)[-1])
    end = _page_number(high)
    if hyphen and low and end and low[0] == end[0] and not (formatted and end[1] < low[1]):
        return head.replace("-", HYPHEN) + (HYPHEN if dash == "-" else dash) + high
    return part.replace("-", HYPHEN)


def _prepare_pages(pages: str, dash: str, formatted: bool) -> str:
    # an escaped hyphen ("3\-B") is a hyphen as written, in one page; spaces around a
    # dash go, as citeproc-js drops them ("N110 - 5" gives "N110-5")
    pages = _SPACED_DASH.sub(r"\1", pages.replace(_ESCAPED_HYPHEN, HYPHEN))
    several = _SEVERAL_PAGES.search(pages)
    # a range only between page numbers of the same prefix: "N110-N115", not "110-N6"
    pages = _PAGE_PAIR.sub(_pair, pages)
    if match := _ROMAN_RANGE.match(pages):
        # citeproc-js reads front-matter ranges as ranges ("pp. iii–iv"); pandoc
        # does once the dash is an en dash
        return f"{match.group(1)}–{match.group(2)}"
    if (match := _SAME_PAGE_TWICE.match(pages)) and match.group(1) == match.group(2):
        # citeproc-js prints "CO2–CO2" in full; pandoc shortens it ("CO2–2")
        return match.group(1) + _DASHES.get(dash, dash) + match.group(2) + PLURAL
    if _SIMPLE_PAGES.match(pages.strip()):
        return pages
    # citeproc-js leaves what is not a plain range as written, except that in
    # each comma- or ampersand-separated part ("142-145 & 235") a dash between
    # the last two page numbers is a range
    prepared = COMMA.join(
        "&".join(_last_range(p, dash, formatted) for p in part.split("&"))
        for part in pages.split(",")
    )
    if several:
        # more than one page: "pp. 390-395.e1", as citeproc-js labels it
        prepared += PLURAL
    return prepared


def prepare_items(
    items: list[dict[str, Any]],
    style: Style,
    title_cased: Mapping[str, frozenset[str]] | None = None,
    *,
    merge_particles: bool = True,
) -> list[dict[str, Any]]:
    """The items as the engine should see them (``title_cased``: by item type, "" for
    none, the fields the style title-cases, see :func:`title_cased_fields`;
    ``merge_particles=False``: names as written, for the sort keys, see
    :mod:`mesorefs.render.names`)."""
    prepare_names = names.preparer(items, style, merge_particles=merge_particles)
    dash, formatted = _range_traits(style.xml)
    # function words are kept from title case only where the style title-cases: under
    # "uppercase" or "capitalize-all" citeproc-js changes them like any word
    title_cases_somewhere = 'text-case="title"' in style.xml
    prepared = []
    for item in items:
        item = dict(item)
        cased = (title_cased or {}).get(str(item.get("type", "")), frozenset())
        if "title-short" in cased and isinstance(item.get("title"), str):
            # the citation's stand-in title, cased here as the full title is not
            item.setdefault("title-short", item["title"])
        language = item.get("language")
        # the engines title-case only English titles (and those of no stated language)
        english = not isinstance(language, str) or language.lower().startswith("en")
        for field in _TITLE_FIELDS:
            value = item.get(field)
            if isinstance(value, str):
                item[field] = _prepare_title(
                    value, english and field in cased, protect=title_cases_somewhere
                )
        for field in _NUMBER_FIELDS:
            value = item.get(field)
            if isinstance(value, str) and "<" in value and _STARTS_WITH_DIGIT.match(value):
                # citeproc-js prints markup in a number as written ("1<sup>er</sup>")
                item[field] = value.replace("<", LESS_THAN)
        pages = item.get("page")
        if isinstance(pages, str):
            item["page"] = _prepare_pages(pages, dash, formatted)
        for field in ("volume", "issue"):
            value = item.get(field)
            if isinstance(value, str) and (match := _RANGE.match(value)):
                item[field] = f"{match.group(1)}{dash}{match.group(2)}"
            elif isinstance(value, str) and _LEADING_ZERO.match(value):
                # citeproc-js prints "no. 02" as written; pandoc's <number> drops the zero
                item[field] = _LEADING_ZERO.sub(ZERO, value)
            elif field == "issue" and isinstance(value, str) and not _PLAIN_NUMBER.match(value):
                # citeproc-js calls "Suppl 2" or "Issue 3-4" one issue ("no."), pandoc several
                item[field] = value.replace("-", HYPHEN).replace(",", COMMA).replace(" ", SPACE)
        prepared.append(prepare_names(item))
    return prepared


@lru_cache(maxsize=32)
def _patched(xml: str) -> str:
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(xml.encode("utf-8"))
    changed = False
    for element in root.iter(f"{_NS}names"):
        children = list(element)
        labels = [i for i, c in enumerate(children) if c.tag == f"{_NS}label"]
        if labels and not any(c.tag == f"{_NS}name" for c in children):
            element.insert(labels[0], ElementTree.Element(f"{_NS}name"))
            changed = True
    terms = root.iter(f"{_NS}text") if root.get("class") == "note" else ()
    for element in terms:  # fix 7
        if element.get("term"):
            element.set("prefix", TERM_START + element.get("prefix", ""))
            changed = True
    if not changed:
        return xml
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


def prepare_style(style: Style) -> str:
    """The style's XML as the engine should see it."""
    return _patched(style.xml)


_NOTE_CLASS = re.compile(r'<style\b[^>]*\sclass="note"')


def in_notes(style_xml: str) -> bool:
    """Whether the engine should see each citation inside its footnote (fix 7): in a
    note style."""
    return bool(_NOTE_CLASS.search(style_xml))


_MARGIN_END = re.compile(r'\s+(</div><div class="csl-right-inline">)')
_RENDERING = frozenset(f"{_NS}{t}" for t in ("text", "number", "names", "date", "label", "group"))


@lru_cache(maxsize=32)
def _margin_keeps_space(xml: str) -> bool:
    """Whether the first field of a bibliography entry ends with a space (its suffix)."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    layout = root.find(f"{_NS}bibliography/{_NS}layout")
    first = next((e for e in layout if e.tag in _RENDERING), None) if layout is not None else None
    return first is not None and first.get("suffix", "").endswith(" ")


def margin_space(rendered: str, output: Output, style_xml: str) -> str:
    """An HTML entry's left margin without the engine's space after it (fix 8)."""
    if output != "html" or "csl-left-margin" not in rendered or _margin_keeps_space(style_xml):
        return rendered
    return _MARGIN_END.sub(r"\1", rendered, count=1)


_AMPERSANDS = {"html": "&amp;", "latex": r"\&"}
_LESS_THANS = {"html": "&lt;", "markdown": "\\<"}
_AND_TERM = re.compile(r'<term name="and">([^<]+)</term>')
_AND_SYMBOL = re.compile(r'<term name="and" form="symbol">([^<]+)</term>')


@lru_cache(maxsize=32)
def _ampersand(style_xml: str, and_term: str) -> str:
    """What an ampersand between numbers prints as: the style's symbol "and", unless it
    is the text "and" too (citeproc-js then keeps "&")."""
    symbols = [html.unescape(s).strip() for s in _AND_SYMBOL.findall(style_xml)]
    words = {and_term, *(html.unescape(w).strip() for w in _AND_TERM.findall(style_xml))}
    if not symbols or symbols[-1] in words | {"&", ""}:
        return AMPERSAND
    return symbols[-1]


@lru_cache(maxsize=32)
def _several(style_xml: str, and_term: str) -> re.Pattern[str]:
    """Numbers joined as citeproc-js joins the parts of a number variable: "&", "and"
    (with or without a comma before it), the locale's "and" or the style's own."""
    words = {"and", and_term, *(w.strip() for w in _AND_TERM.findall(style_xml))} - {""}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\w\s*&\s*\w|\w,?\s+(?:{alternatives})\s+\w")


AND_PROBE: dict[str, Any] = {
    "id": "and-probe",
    "type": "book",
    "author": [{"family": "Alpha"}, {"family": "Omega"}],
}
"""An item whose names, joined with the locale's "and", show that term."""
_JOINED = re.compile(r"Alpha,?\s+(.+?)\s+Omega")


def _probe_layout(style_xml: str) -> tuple[ElementTree.Element, ElementTree.Element]:
    """The style's root, its locale settings kept, with a new empty citation layout in
    place of its citation and bibliography: for a probe to fill."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(style_xml.encode("utf-8"))
    for part in root.findall(f"{_NS}citation") + root.findall(f"{_NS}bibliography"):
        root.remove(part)
    citation = ElementTree.SubElement(root, f"{_NS}citation")
    return root, ElementTree.SubElement(citation, f"{_NS}layout")


@lru_cache(maxsize=32)
def and_probe_style(style_xml: str) -> str:
    """The style (its locale settings) with a citation that prints :data:`AND_PROBE`'s
    names joined by the "and" term."""
    root, layout = _probe_layout(style_xml)
    names = ElementTree.SubElement(layout, f"{_NS}names", {"variable": "author"})
    ElementTree.SubElement(names, f"{_NS}name", {"and": "text"})
    return ElementTree.tostring(root, encoding="unicode")


def and_term(rendered_probe: str) -> str:
    """The "and" term, from the citation of :data:`AND_PROBE` in :func:`and_probe_style`."""
    match = _JOINED.search(rendered_probe)
    return match.group(1) if match else "and"


_LABEL_MARK = re.compile(r"\[([a-z-]+)=([^\]]+)\]")


@lru_cache(maxsize=32)
def label_terms_probe_style(style_xml: str, labels: tuple[str, ...]) -> str:
    """The style (its locale settings) with a citation that prints the long term of each
    locator label, each as ``[label=term]``."""
    root, layout = _probe_layout(style_xml)
    for label in labels:
        attributes = {"term": label, "form": "long", "prefix": f"[{label}=", "suffix": "]"}
        ElementTree.SubElement(layout, f"{_NS}text", attributes)
    return ElementTree.tostring(root, encoding="unicode")


def label_terms(rendered_probe: str) -> dict[str, str]:
    """Each locator label's term in the locale, from the citation of
    :func:`label_terms_probe_style` (a label the locale has no word for is left out)."""
    return {m.group(1): m.group(2) for m in _LABEL_MARK.finditer(rendered_probe)}


_WORD_BETWEEN_NUMBERS = re.compile(r"\d,?\s+\S+\s+\d")


def joins_with_a_word(locator: str) -> bool:
    """Whether a locator has a word between two numbers (which may be the locale's "and")."""
    return bool(_WORD_BETWEEN_NUMBERS.search(locator))


# The abbreviations citeproc-js reads as a label at the start of a locator, for the
# locator types CSL and pandoc know
_EMBEDDED_LABELS = {
    "bk": "book", "ch": "chapter", "col": "column", "fig": "figure", "fol": "folio",
    "l": "line", "n": "note", "no": "issue", "op": "opus", "p": "page", "pp": "page",
    "para": "paragraph", "pt": "part", "r": "rule", "sec": "section", "sv": "sub-verbo",
    "supp": "supplement", "tbl": "table", "vol": "volume", "vrs": "verse",
}  # fmt: skip
_LEADING_LABEL = re.compile(r"^\s*([a-z]+)\.\s+(?=\S)")


def locator_label(locator: str, label: str) -> tuple[str, str]:
    """The locator and its label, a label written at the start of the locator
    ("vol. 1, fol. 186") taking the place of the one given (fix 10)."""
    match = _LEADING_LABEL.match(locator)
    if match is None or match.group(1) not in _EMBEDDED_LABELS:
        return locator, label
    return locator[match.end() :], _EMBEDDED_LABELS[match.group(1)]


_SPACED_RANGE = re.compile(r"(?<=\d)\s+([-–])\s*(?=\d)|(?<=\d)\s*([-–])\s+(?=\d)")


def prepare_locator(locator: str, style_xml: str, and_term: str = "and") -> str:
    """A locator as the engine should see it (fix 9); ``and_term``: the locale's "and"
    (see :func:`and_term`)."""
    # "100 - 103" is a range to citeproc-js ("pp. 100–103"), to pandoc a word; "327\-30"
    # is one page, its hyphen as written
    locator = _SPACED_RANGE.sub(lambda m: m.group(1) or m.group(2), locator)
    locator = locator.replace(_ESCAPED_HYPHEN, HYPHEN)
    if not _several(style_xml, and_term).search(locator):
        return locator
    ampersand = _ampersand(style_xml, and_term)
    one_word = locator.replace(",", COMMA).replace("&", ampersand).replace(" ", SPACE)
    return one_word + PLURAL


_DECORATIONS = ("Emph", "Strong", "SmallCaps", "Underline", "Superscript", "Subscript")


def _move_in(node: Node, mark: str) -> bool:
    """Put ``mark`` inside the closing quote a decorated run ends with
    (``<i>“Book A”</i>``); False when it ends with none."""
    if node["t"] not in _DECORATIONS:
        return False
    while node["t"] in _DECORATIONS or node["t"] == "Span":
        inlines = node["c"] if node["t"] in _DECORATIONS else node["c"][1]
        if not inlines:
            return False
        last = inlines[-1]
        if last["t"] == "Quoted":
            last["c"][1] = [*last["c"][1], {"t": "Str", "c": mark}]
            return True
        if last["t"] == "Str" and last["c"].endswith("”"):
            inlines[-1] = {"t": "Str", "c": last["c"][:-1] + mark + "”"}
            return True
        node = last
    return False


def punctuation_into_quotes(inlines: list[Node]) -> list[Node]:
    """A comma or period after a decorated quotation moved inside it, as pandoc moves
    one after a bare quotation (suite fixture magic_PunctuationInQuoteNested:
    ``<i>“Book A.”</i>``); for locales that put punctuation inside quotes."""
    out: list[Node] = []
    for node in inlines:
        if node["t"] in _DECORATIONS:
            node = {"t": node["t"], "c": punctuation_into_quotes(node["c"])}
        elif node["t"] in ("Quoted", "Span", "Link"):
            parts = list(node["c"])
            parts[1] = punctuation_into_quotes(parts[1])
            node = {"t": node["t"], "c": parts}
        text = node.get("c") if node["t"] == "Str" else None
        if out and isinstance(text, str) and text[:1] in (",", ".") and _move_in(out[-1], text[0]):
            if len(text) == 1:
                continue
            node = {"t": "Str", "c": text[1:]}
        out.append(node)
    return out


def blocks_punctuation_into_quotes(blocks: list[Node]) -> list[Node]:
    """:func:`punctuation_into_quotes` in each paragraph of an entry's blocks."""
    out = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            block = {"t": block["t"], "c": punctuation_into_quotes(block["c"])}
        elif block["t"] == "Div":
            block = {
                "t": "Div",
                "c": [block["c"][0], blocks_punctuation_into_quotes(block["c"][1])],
            }
        out.append(block)
    return out


def puts_punctuation_in_quotes(locale: str | None) -> bool:
    """US English puts a comma or period inside closing quotes."""
    return locale is None or locale.startswith("en-US") or locale == "en"


_MARK_THEN_PERIOD = re.compile("([\ue000-\ue003])([\u2019\u201d\"'\ue011]*)\\.")
_NESTED_PUNCT = re.compile("([\u2019])([,.])([\u201d])")


# a term first in a citation, after markup and punctuation only ("(Ibid.)", "<i>Ibid."),
# or first after a prefix that ends a sentence ("He said “Please work.” Ibid.")
_TERM_FIRST = re.compile(
    f"(^|{SENTENCE_END})((?:<[^>]+>|[^\\w<{TERM_START}])*){TERM_START}([^\\w{TERM_START}]*)(\\w)"
)
# more than one word: a lone "Cf." or "Nocapsafter." is taken for an abbreviation
# (bugreports_CapsAfterOneWordPrefix)
_ENDS_A_SENTENCE = re.compile("\\S\\s+\\S+[.!?][\u201d\u2019\"')\\]]*\\s*$")


def mark_sentence_end(prefix: str) -> str:
    """A cite's prefix, with :data:`SENTENCE_END` after it when it ends a sentence
    (fix 14)."""
    return prefix + SENTENCE_END if _ENDS_A_SENTENCE.search(prefix) else prefix


def finish(
    rendered: str, output: Output, locale: str | None = None, *, citation: bool = False
) -> str:
    """Tidy one rendered citation (``citation``) or entry."""
    if citation:  # fix 7
        rendered = _TERM_FIRST.sub(lambda m: "".join(m.groups()[1:3]) + m[4].upper(), rendered)
    rendered = rendered.replace(TERM_START, "").replace(SENTENCE_END, "")
    rendered = _MARK_THEN_PERIOD.sub(r"\1\2", rendered)
    for mark, char in _BACK.items():
        rendered = rendered.replace(mark, char)
    rendered = rendered.replace(OPEN_SINGLE, "\u2018").replace(CLOSE_SINGLE, "\u2019")
    rendered = rendered.replace(HYPHEN, "-").replace(COMMA, ",").replace(SPACE, " ")
    rendered = rendered.replace(PERIOD, ".")
    rendered = rendered.replace(ZERO, "0").replace(EN_DASH, "–")
    rendered = rendered.replace(AMPERSAND, _AMPERSANDS.get(output, "&"))
    rendered = rendered.replace(LESS_THAN, _LESS_THANS.get(output, "<"))
    rendered = PLURAL_SEEN.sub("", rendered)
    if puts_punctuation_in_quotes(locale):
        rendered = _NESTED_PUNCT.sub(r"\2\1\3", rendered)
    return rendered
