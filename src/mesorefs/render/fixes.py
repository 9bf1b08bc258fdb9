"""Corrections to the style, the items and the rendered text where pandoc's citeproc
differs from citeproc-js: title punctuation, quotes and case, number ranges and markup,
note citations, the second-field-align margin, punctuation into quotes.

What each does, in which order, and the suite fixtures that justify it, is listed in
one place: :data:`mesorefs.render.corrections.CORRECTIONS`.  Locators are corrected in
:mod:`mesorefs.render.locator_fixes`, names in :mod:`mesorefs.render.name_fixes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

import mesorefs.render.labels as labels
import mesorefs.render.locale_file as locale_file
import mesorefs.render.name_fixes as names
import mesorefs.render.number_labels as number_labels
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
    TERM_AS_WRITTEN,
    TERM_START,
    ZERO,
)
from mesorefs.render.styles import CSL_NS, Style
from mesorefs.render.tree import Node
from mesorefs.render.writers import Output

__all__ = [
    "ESCAPED_HYPHEN",
    "finish",
    "in_notes",
    "margin_space",
    "mark_sentence_end",
    "prepare_items",
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
ESCAPED_HYPHEN = "\\-"
_ROMAN_RANGE = re.compile(r"^\s*([ivxlcdm]+)\s*[-‐‑–]+\s*([ivxlcdm]+)\s*$", re.IGNORECASE)
_COMMA_AFTER_QUOTE = re.compile('([\u201d"]),(?=\\s)')
_MARK_IN_QUOTES = re.compile("(?<!\\.)([.?!])([\ue011\u2019\u201d\"']+)$")
# Stand-ins for range dashes the engine must not read as a range.
_DASHES = {"-": HYPHEN, "–": EN_DASH}
# a range whose two ends are one page ("100-100", "xxx-xxx", "CO2-CO2")
_ONE_PAGE = rf"(?:{_PAGE}|[ivxlcdm]+|[IVXLCDM]+)"
_SAME_PAGE_TWICE = re.compile(rf"^\s*({_ONE_PAGE})\s*[-‐‑–]+\s*({_ONE_PAGE})\s*$")
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


def _prepare_title(
    text: str, title_case: bool = False, protect: bool = True, keep: bool = False
) -> str:
    """``keep``: a title the style title-cases in a language that is not English, kept
    as written (pandoc reads a language it cannot parse as English and title-cases it)."""
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
    return _nocase(text) if title_case or (keep and text) else text


def _range_traits(xml: str, locale: str | None) -> tuple[str, bool]:
    """The page-range delimiter for ``locale`` (the style's, else its locale file's), and
    whether the style formats page ranges."""
    return locale_file.range_delimiter(xml, locale), "page-range-format=" in xml


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
    pages = _SPACED_DASH.sub(r"\1", pages.replace(ESCAPED_HYPHEN, HYPHEN))
    several = _SEVERAL_PAGES.search(pages)
    # a range only between page numbers of the same prefix: "N110-N115", not "110-N6"
    pages = _PAGE_PAIR.sub(_pair, pages)
    if (match := _SAME_PAGE_TWICE.match(pages)) and match.group(1) == match.group(2):
        # citeproc-js prints a range with equal ends in full ("100–100", "CO2–CO2",
        # "xxx–xxx"); pandoc shortens it ("100–0", "CO2–2", "xxx–")
        return match.group(1) + _DASHES.get(dash, dash) + match.group(2) + PLURAL
    if match := _ROMAN_RANGE.match(pages):
        # citeproc-js reads front-matter ranges as ranges ("pp. iii–iv"); pandoc
        # does once the dash is an en dash
        return f"{match.group(1)}–{match.group(2)}"
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
    locale: str | None = None,
) -> list[dict[str, Any]]:
    """The items as the engine should see them (``title_cased``: by item id, the fields
    the style title-cases, see :func:`title_cased_fields` and title_probes.py;
    ``merge_particles=False``: names as written, for the sort keys, see
    :mod:`mesorefs.render.name_fixes`; ``locale``: the rendering's, the style's default
    when None)."""
    prepare_names = names.preparer(items, style, merge_particles=merge_particles)
    dash, formatted = _range_traits(style.xml, locale or style.default_locale)
    # function words are kept from title case only where the style title-cases: under
    # "uppercase" or "capitalize-all" citeproc-js changes them like any word
    title_cases_somewhere = 'text-case="title"' in style.xml
    prepared = []
    for item in items:
        item = number_labels.prepare_item(dict(item))
        cased = (title_cased or {}).get(str(item.get("id", "")), frozenset())
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
                    value,
                    english and field in cased,
                    protect=title_cases_somewhere,
                    keep=not english and field in cased,
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
                item[field] = _number_range(match.group(1), match.group(2), dash)
            elif isinstance(value, str) and _LEADING_ZERO.match(value):
                # citeproc-js prints "no. 02" as written; pandoc's <number> drops the zero
                item[field] = _LEADING_ZERO.sub(ZERO, value)
            elif field == "issue" and isinstance(value, str) and not _PLAIN_NUMBER.match(value):
                # citeproc-js calls "Suppl 2" or "Issue 3-4" one issue ("no."), pandoc several
                item[field] = value.replace("-", HYPHEN).replace(",", COMMA).replace(" ", SPACE)
        for field in _NUMBERS_WITH_HYPHENS:
            value = item.get(field)
            if isinstance(value, str) and "-" in value:
                item[field] = _number_with_hyphen(value, dash)
        prepared.append(prepare_names(item))
    return labels.prepare_items(prepared, style.xml)


# number variables whose hyphens citeproc-js reads as it reads them in volume and issue
_NUMBERS_WITH_HYPHENS = ("number", "collection-number", "edition")


def _number_range(low: str, high: str, dash: str) -> str:
    """A range of two numbers joined by ``dash``, still several numbers to the engine;
    a plain hyphen (es-ES's, tr-TR's term) as a stand-in, which the engine's
    ``cs:number`` would make an en dash."""
    if dash == "-":
        return f"{low}{HYPHEN}{high}{PLURAL}"
    return f"{low}{dash}{high}"


def _number_with_hyphen(value: str, dash: str) -> str:
    """A range of two numbers takes the style's range delimiter ("92-68" gives
    "92–68"); anything else with a hyphen ("CS-89-31", "TR 92-68") is one number,
    printed as written, as citeproc-js prints it ("no. CS-89-31"; pandoc wrote
    "nos. CS–89–31")."""
    if match := _RANGE.match(value.strip()):
        return _number_range(match.group(1), match.group(2), dash)
    return value.replace("-", HYPHEN).replace(",", COMMA).replace(" ", SPACE)


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
    for element in terms:  # note-citations-in-footnotes
        # citeproc-js applies a term's own text-case after capitalizing it: OSCOLA's
        # lower-case "ibid" stays so at the start of a note
        if element.get("term"):
            start = TERM_AS_WRITTEN if element.get("text-case") == "lowercase" else TERM_START
            element.set("prefix", start + element.get("prefix", ""))
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


NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
"""A citation the style prints nothing for, in citeproc-js's words (suite fixture
date_DateNoDateNoTest): a writer sees it rather than a silent gap in the text."""


@lru_cache(maxsize=32)
def no_printed_form(style_xml: str) -> str:
    """:data:`NO_PRINTED_FORM` inside the citation layout's prefix and suffix, as
    citeproc-js writes it ("([CSL STYLE ERROR: ...])"; wide bench, issue 28:
    springer-basic-author-date's citations of works without author, date or title)."""
    layout = ElementTree.fromstring(style_xml.encode("utf-8")).find(f"{_NS}citation/{_NS}layout")
    if layout is None:
        return NO_PRINTED_FORM
    return f"{layout.get('prefix', '')}{NO_PRINTED_FORM}{layout.get('suffix', '')}"


def in_notes(style_xml: str) -> bool:
    """Whether the engine should see each citation inside its footnote (correction
    note-citations-in-footnotes): in a note style."""
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
    """An HTML entry's left margin without the engine's space after it (correction
    second-field-align-margin)."""
    if output != "html" or "csl-left-margin" not in rendered or _margin_keeps_space(style_xml):
        return rendered
    return _MARGIN_END.sub(r"\1", rendered, count=1)


_AMPERSANDS = {"html": "&amp;", "latex": r"\&"}
_LESS_THANS = {"html": "&lt;", "markdown": "\\<"}
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
_TERM_AS_WRITTEN = re.compile(f"{TERM_AS_WRITTEN}((?:<[^>]+>|[^\\w<])*)(\\w?)")
_TERM_FIRST = re.compile(
    f"(^|{SENTENCE_END})((?:<[^>]+>|[^\\w<{TERM_START}])*){TERM_START}([^\\w{TERM_START}]*)(\\w)"
)
# more than one word: a lone "Cf." or "Nocapsafter." is taken for an abbreviation
# (bugreports_CapsAfterOneWordPrefix)
_ENDS_A_SENTENCE = re.compile("\\S\\s+\\S+[.!?][\u201d\u2019\"')\\]]*\\s*$")


def mark_sentence_end(prefix: str) -> str:
    """A cite's prefix, with :data:`SENTENCE_END` after it when it ends a sentence
    (term-after-sentence-prefix)."""
    return prefix + SENTENCE_END if _ENDS_A_SENTENCE.search(prefix) else prefix


def finish(
    rendered: str, output: Output, locale: str | None = None, *, citation: bool = False
) -> str:
    """Tidy one rendered citation (``citation``) or entry."""
    if citation:  # note-citations-in-footnotes
        rendered = _TERM_FIRST.sub(lambda m: "".join(m.groups()[1:3]) + m[4].upper(), rendered)
    rendered = rendered.replace(TERM_START, "").replace(SENTENCE_END, "")
    # a lower-case term that starts a note pandoc made keeps its case
    rendered = _TERM_AS_WRITTEN.sub(lambda m: m[1] + m[2].lower(), rendered)
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
