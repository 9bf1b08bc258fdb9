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
   a probe article, :data:`TITLE_PROBE`) the title is cased as citeproc-js cases it
   (:mod:`mesorefs.render.titlecase`) and kept from pandoc's own title case; only
   English titles, and those of no stated language, are title-cased.  Elsewhere the
   short words citeproc-js keeps in lower case ("after", "through", "et", ...) are
   marked ``nocase`` in case the style title-cases a field the probe does not show.
5. Numeric ranges in volume and issue take the style's page-range delimiter (an
   en dash unless the style says otherwise, as AMA does), as in citeproc-js;
   page fields that are not a plain range ("306.1-306", "no-no") stay as written,
   except ranges of roman numerals ("iii-iv"), which citeproc-js reads as ranges,
   and a hyphen between the last two numbers of a comma-separated part
   ("49-5655-49-5655" gives "49-5655-49–5655", "512-507,1233" gives "512–507,1233");
   such a field is still several pages when a hyphen follows a whole page number
   ("pp. 390-395.e1", but "p. 306.1-306").  A range from a page with a two-letter
   prefix to itself stays in full ("CO2–CO2"; pandoc writes "CO2–2").  An issue
   that is not a number or a range ("Suppl 2") is one issue: "no."; a leading zero
   stays ("no. 02").
6. A ``<names>`` with a ``<label>`` but no ``<name>`` gets an explicit
   ``<name/>`` first, so the label follows the names as CSL says (pandoc put
   it in front: "In, ed.World Health Organization").
7. In styles whose names are initialised without periods (``initialize-with=""``,
   as in AMA and Vancouver) citeproc-js writes a suffix without its period:
   ``Gates HL Jr``.
8. Styles with ``initialize-with-hyphen="false"`` (AMA, Vancouver): pandoc keeps
   the hyphen (``Han M-O``) and drops a lower-case part (``Min-jun`` gives ``M``);
   citeproc-js writes ``Han MO`` and ``Lee M jun``.  Hyphens in given names
   become spaces, which pandoc then reads as citeproc-js does.
9. Before an institution that ends a name list citeproc-js writes the comma with
   "and" only from three names on, whatever ``delimiter-precedes-last`` says
   (``Okonkwo, C. & WHO``, ``Lee, M., Smith, J., & WHO``); rendered entries and
   citations are adjusted for the institutions their items end with.
10. In styles that print every full name with ``initialize="false"`` and a
    period in ``initialize-with`` (Chicago, MLA) citeproc-js writes hyphenated
    initials apart in the bibliography (``Han, M. O.``); pandoc keeps ``M.-O.``.
    A given name added to a citation to tell two authors apart stays as written.
11. In styles with ``demote-non-dropping-particle="never"`` (APA, MLA) pandoc adds
    initials to tell "M. J. de la Cruz" from "M. Cruz"; citeproc-js does not, as the
    particle belongs to the family name.  When a family name comes with and without
    a particle, the particle goes to the engine inside the family name.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from mesorefs.render import titlecase
from mesorefs.render.batch import NAME_VARIABLES
from mesorefs.render.styles import CSL_NS, Style
from mesorefs.render.writers import Output

__all__ = ["finish", "prepare_items", "prepare_style"]

_NS = f"{{{CSL_NS}}}"
_CITATION, _BIBLIOGRAPHY = f"{_NS}citation", f"{_NS}bibliography"
_TITLE_FIELDS = ("title", "container-title", "collection-title", "event-title", "title-short")

# Stand-ins that pass through the engine untouched.
_END_MARKS = {".": "\ue000", "?": "\ue001", "!": "\ue002", ":": "\ue003"}
_BACK = {v: k for k, v in _END_MARKS.items()}
_OPEN_SINGLE, _CLOSE_SINGLE = "\ue010", "\ue011"

# Words citeproc-js leaves in lower case in title case (English function words).
_STOP_WORDS = frozenset(
    """a about above across after against along among an and around as at before behind
    below beneath beside between beyond but by de down during et except for from in inside
    into like near nor of off on onto or out outside over per since than the through
    throughout till to toward towards under underneath until unto up upon versus via vs
    with within without yet so""".split()
)
_WORD = re.compile(r"(?<=\s)([a-z]+)(?=\s)")
_SINGLE_QUOTED = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[]))['\u2018]"
    r"([^'\u2019\s][^'\u2019]*?[^'\u2019\s]|[^'\u2019\s])['\u2019](?=$|[\s.,;:!?)\]])"
)
_RANGE = re.compile(r"^(\d+)\s*[-‐‑–]\s*(\d+)$")
_SIMPLE_PAGES = re.compile(
    r"^[A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-‐‑–]+\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?$"
)
_RANGE_DELIMITER = re.compile(r'<term name="page-range-delimiter">([^<]*)</term>')
_ROMAN_RANGE = re.compile(r"^\s*([ivxlcdm]+)\s*[-‐‑–]+\s*([ivxlcdm]+)\s*$", re.IGNORECASE)
_COMMA_AFTER_QUOTE = re.compile('([\u201d"]),(?=\\s)')
_MARK_IN_QUOTES = re.compile("(?<!\\.)([.?!])([\ue011\u2019\u201d\"']+)$")
_HYPHEN, _COMMA, _SPACE, _ZERO = "\ue020", "\ue021", "\ue022", "\ue023"
# A hyphen between two stand-ins: the engine sees more than one page ("pp."), the
# reader never sees it (see finish).
_PLURAL = "\ue024-\ue024"
_PLURAL_SEEN = re.compile("\ue024[^\ue024]*\ue024")
# Stand-ins for range dashes the engine must not read as a range.
_DASHES = {"-": _HYPHEN, "–": "\ue025"}
_SAME_PAGE_TWICE = re.compile(r"^\s*([A-Za-z]{2,}\d+)\s*[-‐‑–]+\s*([A-Za-z]{2,}\d+)\s*$")
# citeproc-js counts a page field as several pages when a hyphen follows a whole page
# number ("390-395.e1", "S1-S5"); not after a decimal part ("306.1-306") or a word
# ("no-no"), and a comma alone does not count ("1,2")
_SEVERAL_PAGES = re.compile(
    r"(?:^|[\s,\-‐‑–])(?:[a-z]*\d+[a-z]*|[ivxlcdm]+)\s*[-‐‑–]+\s*\w", re.IGNORECASE
)
_LEADING_ZERO = re.compile(r"^0(?=\d+$)")
_PLAIN_NUMBER = re.compile(r"^\d+$")


def _protect_stop_words(text: str) -> str:
    """Mark lower-case function words (not the first word, not after a colon) as nocase."""
    if "<" in text or "\n" in text:
        return text

    def mark(match: re.Match[str]) -> str:
        word = match.group(1)
        before = text[: match.start()].rstrip()
        if word not in _STOP_WORDS or not before or before[-1] in ":?!.—–":
            return word
        return f'<span class="nocase">{word}</span>'

    return _WORD.sub(mark, text)


def _nocase(text: str) -> str:
    return f'<span class="nocase">{text}</span>'


def _prepare_title(text: str, title_case: bool = False) -> str:
    if title_case:
        text = titlecase.title_case(text)
    text = _SINGLE_QUOTED.sub(lambda m: f"{_OPEN_SINGLE}{m.group(1)}{_CLOSE_SINGLE}", text)
    # a comma after a quotation inside the title stays outside it, as citeproc-js leaves it
    text = _COMMA_AFTER_QUOTE.sub(lambda m: m.group(1) + _COMMA, text)
    if not title_case and "<" not in text:
        text = _protect_stop_words(text)
    if text and text[-1] in _END_MARKS and not text.endswith(".."):
        text = text[:-1] + _END_MARKS[text[-1]]
    elif match := _MARK_IN_QUOTES.search(text):
        # a title that is one quotation ending in a mark: "‘Is there any space?’"
        text = text[: match.start(1)] + _END_MARKS[match.group(1)] + match.group(2)
    # cased as citeproc-js cases it, the title is kept from the engine's own title case
    return _nocase(text) if title_case else text


_INITIALIZE_WITH = re.compile(r'\sinitialize-with="([^"]*)"')
_NO_INITIAL_HYPHEN = re.compile(r'\sinitialize-with-hyphen="false"')
_GIVEN_HYPHEN = re.compile(r"(?<=[\w.])-(?=\w)")


@dataclass(frozen=True)
class _NameTraits:
    bare_suffix: bool
    """Initials without periods (``initialize-with=""``): a suffix loses its period too."""
    unhyphenate: bool
    """``initialize-with-hyphen="false"``: hyphens in given names become spaces."""
    normalize_initials: bool
    """Every full name is printed with ``initialize="false"`` and an ``initialize-with``
    with a period: hyphenated initials are written as separate initials (see
    :func:`normalize_initials`)."""
    particle_in_family: bool
    """``demote-non-dropping-particle="never"``: "de la" belongs to "Cruz"."""

    @property
    def change_names(self) -> bool:
        return self.bare_suffix or self.unhyphenate or self.particle_in_family


def _only_normalized(root: ElementTree.Element) -> bool:
    """Is every full-form ``<name>`` of the style ``initialize="false"`` with initials
    that end in a period?"""
    contexts = [(part, part) for part in root if part.tag in (_CITATION, _BIBLIOGRAPHY)]
    contexts += [(macro, root) for macro in root.findall(f"{_NS}macro")]
    found = False
    for part, options in contexts:
        for name in part.iter(f"{_NS}name"):
            if name.get("form") == "short":
                continue
            initialize = _option("initialize", name, options, root)
            if initialize != "false" or "." not in (
                _option("initialize-with", name, options, root) or ""
            ):
                return False
            found = True
    return found


def _option(key: str, *sources: ElementTree.Element) -> str | None:
    """A name option from the first of ``sources`` (innermost first) that sets it."""
    for source in sources:
        if (value := source.get(key)) is not None:
            return value
    return None


@lru_cache(maxsize=32)
def _name_traits(xml: str) -> _NameTraits:
    initials = _INITIALIZE_WITH.findall(xml)
    bare = bool(initials) and not any("." in i for i in initials)
    root = ElementTree.fromstring(xml.encode("utf-8"))
    return _NameTraits(
        bare,
        bool(_NO_INITIAL_HYPHEN.search(xml)),
        _only_normalized(root),
        root.get("demote-non-dropping-particle") == "never",
    )


@lru_cache(maxsize=32)
def _range_traits(xml: str) -> tuple[str, bool]:
    """The style's page-range delimiter, and whether it formats page ranges."""
    delimiter = _RANGE_DELIMITER.search(xml)
    return (delimiter.group(1) if delimiter else "–"), "page-range-format=" in xml


_HYPHENATED_INITIALS = re.compile(r"[^\W\d_]\.?(?:\s*-\s*[^\W\d_]\.?)+")


def _prepare_name(name: Any, traits: _NameTraits, clashing: frozenset[str]) -> Any:
    if not isinstance(name, dict):
        return name
    name = dict(name)
    given = name.get("given")
    if traits.bare_suffix and isinstance(name.get("suffix"), str):
        name["suffix"] = name["suffix"].rstrip(".")
    if traits.unhyphenate and isinstance(given, str):
        name["given"] = _GIVEN_HYPHEN.sub(" ", given)
    particle, family = name.get("non-dropping-particle"), name.get("family")
    if (
        traits.particle_in_family
        and isinstance(particle, str)
        and isinstance(family, str)
        and family.casefold() in clashing
    ):
        # one word to the engine, which would otherwise tell "M. J. de la Cruz" from
        # "M. Cruz" by initials; only then, as the stand-in sorts after every letter
        name["family"] = f"{particle} {family}".replace(" ", _SPACE)
        del name["non-dropping-particle"]
    return name


def _clashing_families(items: list[dict[str, Any]]) -> frozenset[str]:
    """Family names the items spell with more than one non-dropping particle (or none)."""
    particles: dict[str, set[str]] = {}
    for item in items:
        for field in NAME_VARIABLES:
            for name in item.get(field) or []:
                if isinstance(name, dict) and isinstance(name.get("family"), str):
                    particle = name.get("non-dropping-particle")
                    spelled = particle.casefold() if isinstance(particle, str) else ""
                    particles.setdefault(name["family"].casefold(), set()).add(spelled)
    return frozenset(family for family, spelled in particles.items() if len(spelled) > 1)


def _initials_as_written(item: dict[str, Any]) -> dict[str, str]:
    """Hyphenated initials among the item's given names, each with its normalized form."""
    found = {}
    for field in NAME_VARIABLES:
        for name in item.get(field) or []:
            given = name.get("given") if isinstance(name, dict) else None
            if (
                isinstance(given, str)
                and given.isupper()
                and _HYPHENATED_INITIALS.fullmatch(given.strip())
            ):
                found[given.strip()] = " ".join(f"{c}." for c in given if c.isalpha())
    return found


def normalize_initials(rendered: str, item: dict[str, Any], style: Style) -> str:
    """A bibliography entry with hyphenated initials (``M.-O.``) written as citeproc-js
    writes them in styles that print every full name ``initialize="false"``: ``M. O.``.
    (Citations keep them: citeproc-js prints a given name added to tell authors apart as
    it is written.)"""
    if not _name_traits(style.xml).normalize_initials:
        return rendered
    for written, normalized in _initials_as_written(item).items():
        rendered = rendered.replace(written, normalized)
    return rendered


TITLE_PROBE: dict[str, Any] = {
    "id": "probe",
    "type": "article-journal",
    "title": "alpha beta gamma",
    "container-title": "delta epsilon zeta",
    "author": [{"family": "Probe", "given": "Pat"}],
    "issued": {"date-parts": [[2000]]},
}
"""An article whose rendering shows which of its title fields the style title-cases."""


def title_cased_fields(rendered_probe: str) -> frozenset[str]:
    """The fields of :data:`TITLE_PROBE` that came out title-cased in ``rendered_probe``."""
    return frozenset(
        f for f in ("title", "container-title") if TITLE_PROBE[f].title() in rendered_probe
    )


def _last_range(part: str, dash: str, formatted: bool) -> str:
    """``49-5655-49-5655`` -> ``49-5655-49–5655`` (hyphens protected); else as written.

    A style with a ``page-range-format`` cannot format a range that runs backwards
    (``512-507``), so citeproc-js leaves that one as written too."""
    pieces = part.split("-")
    low, high = (pieces[-2].strip(), pieces[-1].strip()) if len(pieces) >= 2 else ("", "")
    if low.isdigit() and high.isdigit() and not (formatted and int(high) < int(low)):
        return _HYPHEN.join(pieces[:-1]) + (_HYPHEN if dash == "-" else dash) + pieces[-1]
    return part.replace("-", _HYPHEN)


def _prepare_pages(pages: str, dash: str, formatted: bool) -> str:
    if match := _ROMAN_RANGE.match(pages):
        # citeproc-js reads front-matter ranges as ranges ("pp. iii–iv"); pandoc
        # does once the dash is an en dash
        return f"{match.group(1)}–{match.group(2)}"
    if (match := _SAME_PAGE_TWICE.match(pages)) and match.group(1) == match.group(2):
        # citeproc-js prints "CO2–CO2" in full; pandoc shortens it ("CO2–2")
        return match.group(1) + _DASHES.get(dash, dash) + match.group(2) + _PLURAL
    if _SIMPLE_PAGES.match(pages.strip()):
        return pages
    # citeproc-js leaves what is not a plain range as written, except that in
    # each comma-separated part a hyphen between two final numbers is a range
    prepared = _COMMA.join(_last_range(p, dash, formatted) for p in pages.split(","))
    if _SEVERAL_PAGES.search(pages):
        # more than one page: "pp. 390-395.e1", as citeproc-js labels it
        prepared += _PLURAL
    return prepared


def merges_particles(items: list[dict[str, Any]], style: Style) -> bool:
    """Does :func:`prepare_items` put some particle inside a family name?"""
    return _name_traits(style.xml).particle_in_family and bool(_clashing_families(items))


def prepare_items(
    items: list[dict[str, Any]],
    style: Style,
    title_cased: frozenset[str] = frozenset(),
    *,
    merge_particles: bool = True,
) -> list[dict[str, Any]]:
    """The items as the engine should see them (``title_cased``: the fields the style
    title-cases, see :func:`title_cased_fields`; ``merge_particles=False``: for sorting,
    see :func:`merges_particles`)."""
    name_traits = _name_traits(style.xml)
    clashing: frozenset[str] = frozenset()
    if merge_particles and name_traits.particle_in_family:
        clashing = _clashing_families(items)
    dash, formatted = _range_traits(style.xml)
    prepared = []
    for item in items:
        item = dict(item)
        language = item.get("language")
        # the engines title-case only English titles (and those of no stated language)
        english = not isinstance(language, str) or language.lower().startswith("en")
        for field in _TITLE_FIELDS:
            value = item.get(field)
            if isinstance(value, str):
                item[field] = _prepare_title(value, english and field in title_cased)
        pages = item.get("page")
        if isinstance(pages, str):
            item["page"] = _prepare_pages(pages, dash, formatted)
        for field in ("volume", "issue"):
            value = item.get(field)
            if isinstance(value, str) and (match := _RANGE.match(value)):
                item[field] = f"{match.group(1)}{dash}{match.group(2)}"
            elif isinstance(value, str) and _LEADING_ZERO.match(value):
                # citeproc-js prints "no. 02" as written; pandoc's <number> drops the zero
                item[field] = _LEADING_ZERO.sub(_ZERO, value)
            elif field == "issue" and isinstance(value, str) and not _PLAIN_NUMBER.match(value):
                # citeproc-js calls "Suppl 2" or "Issue 3-4" one issue ("no."), pandoc several
                item[field] = value.replace("-", _HYPHEN).replace(",", _COMMA).replace(" ", _SPACE)
        if name_traits.change_names:
            for field in NAME_VARIABLES:
                names = item.get(field)
                if isinstance(names, list):
                    item[field] = [_prepare_name(n, name_traits, clashing) for n in names]
        prepared.append(item)
    return prepared


@lru_cache(maxsize=32)
def _patched(xml: str) -> str:
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.fromstring(xml.encode("utf-8"))
    changed = False
    for names in root.iter(f"{_NS}names"):
        children = list(names)
        labels = [i for i, c in enumerate(children) if c.tag == f"{_NS}label"]
        if labels and not any(c.tag == f"{_NS}name" for c in children):
            names.insert(labels[0], ElementTree.Element(f"{_NS}name"))
            changed = True
    if not changed:
        return xml
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode"
    )


def prepare_style(style: Style) -> str:
    """The style's XML as the engine should see it."""
    return _patched(style.xml)


def institution_tails(item: dict[str, Any]) -> list[tuple[str, int]]:
    """For each name list of ``item`` that ends with an institution (a literal name):
    that name and the length of the list."""
    tails = []
    for variable in NAME_VARIABLES:
        names = item.get(variable)
        if isinstance(names, list) and len(names) >= 2 and isinstance(names[-1], dict):
            literal = names[-1].get("literal")
            if isinstance(literal, str) and literal:
                tails.append((literal, len(names)))
    return tails


_AND = r"(&amp;|&|and)"


def join_institutions(rendered: str, tails: list[tuple[str, int]], output: Output) -> str:
    """Before an institution that ends a name list, citeproc-js puts a comma with the
    "and" only when the list has three names or more, whatever the style's
    ``delimiter-precedes-last`` says (``Okonkwo, C. & WHO``; ``Lee, M., Smith, J., & WHO``)."""
    for literal, count in tails:
        shown = html.escape(literal, quote=False) if output == "html" else literal
        name = re.escape(shown)
        if count == 2:
            rendered = re.sub(rf",\s{_AND}\s(?={name})", r" \1 ", rendered)
        else:
            rendered = re.sub(rf"(?<=[^,\s])\s{_AND}\s(?={name})", r", \1 ", rendered)
    return rendered


_MARK_THEN_PERIOD = re.compile("([\ue000-\ue003])([\u2019\u201d\"'\ue011]*)\\.")
_NESTED_PUNCT = re.compile("([\u2019])([,.])([\u201d])")


def finish(rendered: str, output: Output, locale: str | None = None) -> str:
    """Tidy one rendered citation or entry."""
    rendered = _MARK_THEN_PERIOD.sub(r"\1\2", rendered)
    for mark, char in _BACK.items():
        rendered = rendered.replace(mark, char)
    rendered = rendered.replace(_OPEN_SINGLE, "\u2018").replace(_CLOSE_SINGLE, "\u2019")
    rendered = rendered.replace(_HYPHEN, "-").replace(_COMMA, ",").replace(_SPACE, " ")
    rendered = rendered.replace(_ZERO, "0").replace(_DASHES["–"], "–")
    rendered = _PLURAL_SEEN.sub("", rendered)
    if locale is None or locale.startswith("en-US") or locale == "en":
        rendered = _NESTED_PUNCT.sub(r"\2\1\3", rendered)
    return rendered
