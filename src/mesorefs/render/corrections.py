"""The corrections around the engine, in one ordered stack (as bibtexparser lists its middleware).

pandoc's citeproc writes some things differently from citeproc-js, the engine behind Zotero. Each
difference we correct is one :class:`Correction` below: its name, what it does, the pipeline stages
it acts at, the functions that do it (its hooks) and the CSL test-suite fixtures that justify it.
:data:`CORRECTIONS` lists them in the order they act: by stage, in :data:`STAGES` order (the style,
then the items, each cite, the engine's output, the written text), and within a stage in the order
the pipeline (:mod:`mesorefs.render.pipeline`) applies them. None changes what the data says; each
is measured by ``benchmarks/csl_bench.py`` and the suite by ``csl_suite_bench.py``.

Adding a correction: write its hooks in the module of its kind (:mod:`~mesorefs.render.fixes`
for styles, items and text, :mod:`~mesorefs.render.locator_fixes` for locators,
:mod:`~mesorefs.render.name_fixes` for names), call them from the pipeline at their
stage, and list it here; ``tests/render/test_corrections.py`` checks that every hook of
those modules is listed and every fixture named exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from mesorefs.render.affixes import spaced_suffix
from mesorefs.render.cite_order import by_keys, in_order
from mesorefs.render.cite_order import probe_style as order_probe_style
from mesorefs.render.etal import joined as etal_joined
from mesorefs.render.etal import probe_style as etal_probe_style
from mesorefs.render.etal import term_for as etal_term_for
from mesorefs.render.fixes import (
    blocks_punctuation_into_quotes,
    finish,
    in_notes,
    margin_space,
    mark_sentence_end,
    prepare_items,
    prepare_style,
    punctuation_into_quotes,
    puts_punctuation_in_quotes,
    title_cased_fields,
    title_probe,
)
from mesorefs.render.labels import prepare_items as prepare_label_items
from mesorefs.render.literal_quotes import finish as finish_quotes
from mesorefs.render.literal_quotes import prepare_items as prepare_quoted_items
from mesorefs.render.locale_file import with_locale_file
from mesorefs.render.locator_fixes import (
    and_probe_style,
    and_term,
    joins_with_a_word,
    locator_label,
    prepare_locator,
)
from mesorefs.render.locator_terms import label_words
from mesorefs.render.locator_terms import probe_style as label_probe_style
from mesorefs.render.name_fixes import (
    institution_tails,
    join_institutions,
    lengthened,
    lengthened_probe,
    normalize_initials,
    preparer,
    whole_given_names,
    whole_only,
    written_whole,
)
from mesorefs.render.sortkeys import citation_sort_style, key_items
from mesorefs.render.style_gaps import finish as finish_gaps
from mesorefs.render.style_gaps import prepare_items as prepare_gap_items
from mesorefs.render.style_gaps import prepare_style as prepare_gap_style
from mesorefs.render.undated import prepare_style as prepare_undated_style
from mesorefs.render.undated import probe_style as undated_probe_style

__all__ = ["CORRECTIONS", "STAGES", "Correction", "Stage", "by_name"]

Stage = Literal["style", "items", "cite", "engine", "text"]
STAGES: tuple[Stage, ...] = ("style", "items", "cite", "engine", "text")
"""Where a correction acts, in pipeline order: the style XML the engine reads, the CSL
items it reads, each cite of a citation, the engine's document tree (and the probe runs
that read the style's terms), the rendered text."""


@dataclass(frozen=True)
class Correction:
    """One difference between pandoc's citeproc and citeproc-js, and what we do about it."""

    name: str
    does: str
    stages: tuple[Stage, ...]
    hooks: tuple[Callable[..., Any], ...]
    """The functions that carry it out, in the order they act."""
    fixtures: tuple[str, ...] = ()
    """CSL test-suite fixtures (``shared/data/csl-suite``) that show the difference."""


CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        "label-after-names",
        (
            "A ``<names>`` with a ``<label>`` but no ``<name>`` gets an explicit ``<name/>`` "
            'first, so the label follows the names as CSL says (pandoc put it in front: "In, '
            'ed.World Health Organization").'
        ),
        ("style",),
        (prepare_style,),
    ),
    Correction(
        "note-citations-in-footnotes",
        (
            "A note style's citation goes to the engine inside its footnote (in_notes): making "
            'the footnote itself, pandoc capitalizes its first letter ("De Simone", "Pages '
            '1–2", "See Doe" for the prefix "see"), where citeproc-js writes it as the style '
            "gives it (suite fixtures nameorder_Short, "
            "magic_CapitalizeFirstOccurringNameParticle, label_PluralNumberOfVolumes and more), "
            'except that a citation that starts with a term ("ibid.") is capitalized: each '
            "``<text term>`` of a note style prints TERM_START first, and finish capitalizes "
            "the letter after one that starts a citation (magic_CapitalizeFirstOccurringTerm, "
            "position_FirstTrueOnlyOnce), unless the term's own text-case is lowercase, which "
            'citeproc-js applies after capitalizing (OSCOLA\'s "ibid", issue 28): such a term '
            "prints TERM_AS_WRITTEN first, and finish undoes the capital pandoc gives a note "
            "it makes itself (a citation with the author in the text)."
        ),
        ("style", "engine", "text"),
        (prepare_style, in_notes, finish),
        (
            "nameorder_Short",
            "magic_CapitalizeFirstOccurringNameParticle",
            "label_PluralNumberOfVolumes",
            "magic_CapitalizeFirstOccurringTerm",
            "position_FirstTrueOnlyOnce",
        ),
    ),
    Correction(
        "locale-file-terms",
        (
            "The terms and date formats of today's CSL locale file that the style's own "
            "locales leave out go to the engine in a ``<locale>`` of the style, which CSL reads "
            "before the locale file: pandoc's older copy lacks or differs (Czech "
            '"no-publisher" printed "No publisher" for "Neuvedeno", Japanese "p." and "vol." '
            'for "ページ" and "巻"); what the style defines still wins (locale_file.py; wide '
            "bench, issue 28: iso690-author-date-cs, sist02, chicago-author-date-de)."
        ),
        ("style",),
        (with_locale_file,),
    ),
    Correction(
        "strip-periods-on-titles",
        (
            "``strip-periods`` on a title field takes its last period too (``J Appl Phys``; "
            "pandoc kept it, as the title's final mark travels as a stand-in, see "
            "title-end-punctuation): the element's output goes to the engine between two "
            "stand-ins in its affixes, and the mark between them is dropped (style_gaps.py; "
            "wide bench, issue 28: vancouver, AMA, the-lancet, bmj, springer styles)."
        ),
        ("style", "text"),
        (prepare_gap_style, finish_gaps),
    ),
    Correction(
        "short-year",
        (
            'The short form of the year (``<date-part name="year" form="short"/>``) prints '
            "its last two digits (``8.12.24``); pandoc prints the whole year. The year goes to "
            "the engine between two stand-ins in the date part's affixes and is shortened "
            "afterwards (style_gaps.py; wide bench, issue 28: elsevier-harvard, "
            "norma-portuguesa-405)."
        ),
        ("style", "text"),
        (prepare_gap_style, finish_gaps),
    ),
    Correction(
        "initial-before-a-whole-name",
        (
            'With ``initialize="false"`` and an empty ``initialize-with`` (OSCOLA\'s notes) '
            'citeproc-js keeps the space between an initial and a whole given name ("S '
            'Doaitse Swierstra", "JR Smith"); pandoc ran them together ("SDoaitse"). Each '
            "initial goes to the engine followed by a stand-in (the name's initialize-with), "
            "a space before a whole name and nothing elsewhere (style_gaps.py; wide bench, "
            "issue 28: oscola)."
        ),
        ("style", "text"),
        (prepare_gap_style, finish_gaps),
    ),
    Correction(
        "no-text-case-on-macros",
        (
            "``text-case`` on a ``<text macro>`` is not applied, as citeproc-js does not apply "
            'it: the bibtex style\'s lower-cased author macro prints "Gabow_2000", where '
            'pandoc wrote "gabow_2000" (style_gaps.py; wide bench, issue 28: bibtex).'
        ),
        ("style",),
        (prepare_gap_style,),
    ),
    Correction(
        "term-only-group-is-content",
        (
            "A group that calls no variable but prints a term, inside a group whose variables "
            "are all empty, is content for citeproc-js, which prints the outer group (IEEE's "
            '"[Online]. Available: URL" for a work with a URL and no access date); pandoc '
            "counts only variables and dropped it. The term goes to the engine beside a "
            "variable every item gets with a stand-in for its value (style_gaps.py; wide "
            "bench, issue 28: ieee)."
        ),
        ("style", "items", "text"),
        (prepare_gap_style, prepare_gap_items, finish_gaps),
    ),
    Correction(
        "year-collapse-without-names",
        (
            'A citation that collapses by year (``collapse="year"``, ...) but prints no names '
            "(DIN 1505-2 alphanumeric's labels) joins all its cites with the "
            "``cite-group-delimiter`` (``[see Gabo00, Kost99]``), as citeproc-js finds every "
            "cite's names alike; pandoc used the layout's delimiter (style_gaps.py; wide bench, "
            "issue 28: din-1505-2-alphanumeric citations of two works; suite fixtures "
            "magic_CitationLabelInCitation, magic_ImplicitYearSuffixExplicitDelimiter hold)."
        ),
        ("style",),
        (prepare_gap_style,),
    ),
    Correction(
        "no-suffix-without-date",
        (
            "Where a style adds year-suffixes without rendering the year-suffix variable, "
            "CSL appends the suffix to the first year rendered through cs:date, so a cite "
            "that renders no date gets none, as citeproc-js writes it; pandoc appends it to "
            'the "no date" term ("[nedatováno a]"). The term goes to the engine as its '
            "text for the locale, read from a probe run (undated_probe_style), which pandoc "
            "appends nothing to (prepare_undated_style; wide bench iso690-author-date-cs, "
            "issue 28)."
        ),
        ("style",),
        (undated_probe_style, prepare_undated_style),
    ),
    Correction(
        "suffix-space-before-punctuation",
        (
            "A space that ends an element's suffix (or a fixed text) stays before a comma or a "
            "period that follows, as citeproc-js writes affixes as they are (ISO 690's "
            '"Computation . [s.l.]", ABNT\'s "Title. , 1990a"); pandoc dropped it. It goes to '
            "the engine as a stand-in; between a mark and a period the marks merge as the engine "
            'merges them (style_gaps.py; suite fixture bugreports_NoTitle\'s "(n.d.). ."; wide '
            "bench, issue 28: iso690-numeric-sk, associacao-brasileira-de-normas-tecnicas)."
        ),
        ("style", "text"),
        (prepare_gap_style, finish_gaps),
        ("bugreports_NoTitle",),
    ),
    Correction(
        "title-case-as-citeproc-js",
        (
            "Title case: in the fields a style title-cases (read from the engine's rendering of "
            "a probe work of each type the items have, title_probe, since a style may "
            "title-case a journal article's container and not a report's (suite fixture "
            "bugreports_MatchedAuthorAndDate), and from its citation of one without names, "
            "NAMELESS_PROBE: APA title-cases only the title standing in for names) the title is "
            "cased as citeproc-js cases it (mesorefs.render.titlecase) and kept from pandoc's "
            "own title case; only English titles, and those of no stated language, are "
            'title-cased. Elsewhere the short words citeproc-js keeps in lower case ("after", '
            '"through", "et", ...) are marked ``nocase`` in case the style title-cases a field '
            "the probe does not show."
        ),
        ("items",),
        (title_probe, title_cased_fields, prepare_items),
        ("bugreports_MatchedAuthorAndDate",),
    ),
    Correction(
        "data-quotes-as-written",
        (
            "Typographic double quotes written in a field (``“Curly”``) are quotation markup "
            "for citeproc-js only where they are the locale's own outer quotes "
            "(CURLY_DOUBLE_LOCALES: US English, Dutch, Brazilian Portuguese, ...); elsewhere "
            "they print as written, where pandoc printed the locale's quotes (``„Curly“``). "
            "There they go to the engine as stand-ins. An apostrophe in ``note``, which pandoc "
            "reads as plain text, is made typographic as citeproc-js makes it (``it’s``) "
            "(literal_quotes.py; wide bench, issue 28: German, French, Russian styles)."
        ),
        ("items", "text"),
        (prepare_quoted_items, finish_quotes),
    ),
    Correction(
        "title-end-punctuation",
        (
            "Punctuation after a title that ends in ``.``, ``?``, ``!`` or ``:``: pandoc drops "
            "the comma that follows (``“Why?” Journal``), citeproc-js keeps it and moves it "
            "inside the quotes (``“Why?,” Journal``). The final mark travels through the engine "
            "as a private-use character and is put back afterwards; a period right after it is "
            "dropped, as citeproc-js does; so is one after a title that is a quotation ending "
            "in such a mark (``‘Is there any space?’ Journal``)."
        ),
        ("items", "text"),
        (prepare_items, finish),
    ),
    Correction(
        "punctuation-into-nested-quotes",
        (
            "A comma or period after a nested closing quote goes inside it too (``‘Type "
            "I,’”``), in locales that put punctuation inside quotes (US English); a comma after "
            "a quotation in the middle of a title stays outside it (``product “035”, a "
            "preparation``), which pandoc would move in."
        ),
        ("items", "text"),
        (prepare_items, finish),
    ),
    Correction(
        "single-quotes-stay-single",
        ("Single quotes at the top level of a title stay single (pandoc makes them double)."),
        ("items", "text"),
        (prepare_items, finish),
    ),
    Correction(
        "markup-in-numbers",
        (
            "Markup in a number variable (volume, issue, number, page, ...) whose value starts "
            'with a digit is printed as written, as citeproc-js prints it ("1<sup>er</sup>"; '
            'suite fixture flipflop_NumericField); pandoc read it as markup ("1er" from '
            '``<number>``). Its "<" goes to the engine as a stand-in.'
        ),
        ("items", "text"),
        (prepare_items, finish),
        ("flipflop_NumericField",),
    ),
    Correction(
        "number-ranges",
        (
            "Numeric ranges in volume and issue take the style's page-range delimiter (an en "
            "dash unless the style says otherwise, as AMA does), as in citeproc-js; so do "
            'those in number, collection-number and edition ("Nos. 92–68"), where any other '
            'hyphen stays as written in one number ("no. CS-89-31"; wide bench, issue 28). '
            "In a page "
            "field a dash joins a range only between page numbers with the same prefix, or none "
            '("N110–N115", "8n11564–68"); between numbers with different prefixes it is a '
            'hyphen as written, and spaces around a dash go ("N110 - 5" gives "N110-5", '
            '"123N110 - N5" gives "123N110-N5"; suite fixtures page_Expand, '
            "page_ExpandWeirdComposite, page_Minimal, page_ChicagoWeird). An escaped hyphen is "
            'a hyphen in one page ("3\\-B" gives "page 3-B"; '
            "number_PlainHyphenOrEnDashAlwaysPlural). Page fields that are not a plain range "
            '("306.1-306", "no-no") stay as written, except ranges of roman numerals '
            '("iii-iv"), which citeproc-js reads as ranges, and a dash between the last two '
            'page numbers of a comma-separated part ("49-5655-49-5655" gives "49-5655-49–5655", '
            '"512-507,1233" gives "512–507,1233", "N1-N2-N3" gives "N1-N2–N3"); such a field is '
            'still several pages when a hyphen follows a whole page number ("pp. 390-395.e1", '
            'but "p. 306.1-306"). A range from a page to itself stays in full, whatever the '
            'style\'s page-range-format ("100–100", "xxx–xxx", "CO2–CO2"; pandoc writes '
            '"100–0", "xxx–", "CO2–2"; wide bench, issue 28). An issue that is not a number or a '
            'range ("Suppl 2") is one issue: "no."; a leading zero stays ("no. 02").'
        ),
        ("items", "text"),
        (prepare_items, finish),
        (
            "page_Expand",
            "page_ExpandWeirdComposite",
            "page_Minimal",
            "page_ChicagoWeird",
            "number_PlainHyphenOrEnDashAlwaysPlural",
        ),
    ),
    Correction(
        "initials-suffix-without-period",
        (
            'In styles whose names are initialised without periods (``initialize-with=""``, as '
            "in AMA and Vancouver) citeproc-js writes a suffix without its period: ``Gates HL "
            "Jr``."
        ),
        ("items",),
        (preparer,),
    ),
    Correction(
        "hyphenated-initials-apart",
        (
            'Styles with ``initialize-with-hyphen="false"`` (AMA, Vancouver): pandoc keeps the '
            "hyphen (``Han M-O``) and drops a lower-case part (``Min-jun`` gives ``M``); "
            "citeproc-js writes ``Han MO`` and ``Lee M jun``. Hyphens in given names become "
            "spaces, which pandoc then reads as citeproc-js does."
        ),
        ("items",),
        (preparer,),
    ),
    Correction(
        "particle-in-family-name",
        (
            'In styles with ``demote-non-dropping-particle="never"`` (APA, MLA) pandoc adds '
            'initials to tell "M. J. de la Cruz" from "M. Cruz"; citeproc-js does not, as the '
            "particle belongs to the family name. When a family name comes with and without a "
            "particle, the particle goes to the engine inside the family name (the bibliography "
            "is sorted from the names as written, see sorting.py)."
        ),
        ("items",),
        (preparer,),
    ),
    Correction(
        "apostrophe-particle-space",
        (
            "A particle that ends in an apostrophe keeps the space written after it (\"de' "
            'Frinkle"; pandoc writes "de’Frinkle"): suite fixture '
            "sort_LeadingApostropheOnNameParticle."
        ),
        ("items",),
        (preparer,),
        ("sort_LeadingApostropheOnNameParticle",),
    ),
    Correction(
        "whole-given-names",
        (
            'In styles that add given names "by cite" (``disambiguate-add-givenname`` with the '
            "default ``givenname-disambiguation-rule``), citeproc-js keeps a register of names "
            "per item and writes a name in full, not as initials, where the item has registered "
            'another name of the same family and initials ("Smith, Jane and Smith, John"), and '
            'so do its sort keys: the entry sorts after "Smith, J. and Wu, X.". A name list is '
            "registered whole when the citation prints it (taken to be the first of author, "
            "editor and translator the item has), another list name by name as it is written: "
            "its names see the cited list and their own list's earlier names (\"Smith, J. ... in "
            'Jane Smith (ed.)"). Such a given name goes to the engine as one word it cannot '
            "initialise (whole_given_names), and written_whole takes off the marks. In the sort "
            "keys (sortkeys.key_items) that is all. In the entries a name the citation's "
            'disambiguation lengthened keeps what it gave ("Kim, J. and Kim, Jin" for "J. Kim '
            'and Kim, 2000a"), read from a probe run (lengthened_probe); and as marked names '
            "are new names to the engine's disambiguation, the citations come from a run "
            "without marks, and so does an entry the marks change in more than those names "
            "(whole_only)."
        ),
        ("items", "engine", "text"),
        (whole_given_names, lengthened_probe, lengthened, whole_only, written_whole),
    ),
    Correction(
        "citation-labels-as-citeproc-js",
        (
            "In a style that uses ``citation-label``, an item without one gets the label "
            "citeproc-js makes (labels.py): two letters of the first name and one of each "
            "other of three names (``AgKR93``, pandoc wrote ``AgKlRa93``), the first four "
            "letters of the title, short words left out, for a work without names, and so the "
            "label order of the bibliography (wide bench, issue 28: din-1505-2-alphanumeric, "
            "american-mathematical-society-label; suite fixtures "
            "magic_CitationLabelInBibliography, disambiguate_CitationLabelDefault hold)."
        ),
        ("items",),
        (prepare_label_items,),
    ),
    Correction(
        "term-after-sentence-prefix",
        (
            "A term that follows a cite's prefix ending a sentence is capitalized, as at the "
            "start of a note (mark_sentence_end; suite fixture position_IbidWithPrefixFullStop: "
            '"He said “Please work.” Ibid.").'
        ),
        ("cite", "text"),
        (mark_sentence_end, finish),
        ("position_IbidWithPrefixFullStop",),
    ),
    Correction(
        "label-inside-locator",
        (
            'A locator that starts with an abbreviation citeproc-js reads as a label ("vol. 1, '
            'fol. 186") takes that label in place of the one given (locator_label; '
            'locator_TrickyEntryForPlurals); pandoc would print both ("p. vol. 1").'
        ),
        ("cite",),
        (locator_label,),
        ("locator_TrickyEntryForPlurals",),
    ),
    Correction(
        "several-pages-locator",
        (
            'citeproc-js reads a locator of numbers joined by "&" or "and" (", and") as several '
            '("pages 213 & 235"); pandoc ends the locator there and calls it one page. Such a '
            "locator goes to the engine as one word (its spaces, commas and ampersands as "
            "stand-ins) that counts as several (prepare_locator; suite fixtures "
            "label_PluralWithAmpersand, label_PluralWithAnd, label_PluralWithCommaAnd; the "
            "locale's \"and\", read from the engine's rendering of AND_PROBE: "
            "label_PluralWithLocalizedAnd, label_PluralWithCommaLocalizedAnd); a range written "
            'with spaces ("100 - 103") loses them, so the engine reads a range too '
            '(locator_SimpleLocators); an escaped hyphen makes one page ("327\\-30" gives "page '
            '327-30"; label_CollapsedPageNumberPluralDetection); the ampersand prints as the '
            'style\'s symbol "and", where it has one that is not its text "and" '
            "(label_PluralWithLocalizedAmpersand)."
        ),
        ("cite", "text"),
        (and_probe_style, and_term, joins_with_a_word, prepare_locator, finish),
        (
            "label_PluralWithAmpersand",
            "label_PluralWithAnd",
            "label_PluralWithCommaAnd",
            "label_PluralWithLocalizedAnd",
            "label_PluralWithCommaLocalizedAnd",
            "locator_SimpleLocators",
            "label_CollapsedPageNumberPluralDetection",
            "label_PluralWithLocalizedAmpersand",
        ),
    ),
    Correction(
        "locator-label-terms",
        (
            "A locator goes to the engine after a word of its label's term that pandoc reads "
            "as that label in the citation's locale as the style amends it (label_probe_style, "
            'label_words): the locale\'s own word outside English ("Seite 100"; suite fixture '
            "bugreports_MissingItemInJoin), the style's where it has one (OSCOLA's \"ch\", "
            '"s"), and a form no earlier label shares ("blm." for a Turkish section, whose '
            '"bölüm" is also chapter\'s). A word pandoc does not know leaves the locator as '
            'suffix text after the citation ("(n 1), chap. 3"; wide bench: about half the '
            "locator cites of the en-GB and tr-TR styles, issue 28)."
        ),
        ("cite",),
        (label_probe_style, label_words),
        ("bugreports_MissingItemInJoin",),
    ),
    Correction(
        "suffix-space",
        (
            'A cite\'s suffix that starts with a letter, "&", "[" or "(" gets the space '
            'citeproc-js puts before it (spaced_suffix): pandoc glued it to a locator ("4.2for '
            'a counter-example") and put a comma before it otherwise (wide bench pairs, issue 28).'
        ),
        ("cite",),
        (spaced_suffix,),
    ),
    Correction(
        "affixed-cites-sorted",
        (
            "The cites of a citation are sorted as the style says, each with its prefix and "
            "suffix, as citeproc-js sorts them: pandoc keeps a cite with an affix where it was "
            "written. Each cite's item gets the citation's sort keys as citeproc-js writes "
            "them, from the bibliography's key machinery run over the citation's sort "
            "(citation_sort_style), and the cites are compared as citeproc-js compares keys, "
            "an empty key last (by_keys; wide bench pairs, issue 28: an anonymous work after a "
            "named one; 'Mises von' among the M's where a key writes short names and the "
            "style demotes particles, key_items). Where the keys cannot be written so, a "
            "probe run of the citations without affixes, printing only each cite's id "
            "(order_probe_style), gives the order (in_order)."
        ),
        ("cite",),
        (citation_sort_style, key_items, by_keys, order_probe_style, in_order),
    ),
    Correction(
        "punctuation-into-decorated-quotes",
        (
            "In locales that put punctuation inside quotes, a comma or period after a quotation "
            "that ends an italic (or other decorated) run goes inside the quotes, as pandoc "
            "does for a bare quotation (punctuation_into_quotes; suite fixture "
            "magic_PunctuationInQuoteNested)."
        ),
        ("engine",),
        (puts_punctuation_in_quotes, punctuation_into_quotes, blocks_punctuation_into_quotes),
        ("magic_PunctuationInQuoteNested",),
    ),
    Correction(
        "et-al-without-space",
        (
            'An "et al." term that does not start with a Latin, Greek, Cyrillic, ... letter '
            '(zh-CN\'s "等") follows a name without a space, as citeproc-js writes it '
            '("Gibbons等"); a delimiter before it stays ("ROE B, 等"). A probe run gives the '
            "term (etal.probe_style, etal.term_for), joined takes out the space (wide bench, "
            "issue 28: chinese-gb7714-2005-author-date citations)."
        ),
        ("engine", "text"),
        (etal_probe_style, etal_term_for, etal_joined),
    ),
    Correction(
        "hyphenated-initials-in-entries",
        (
            'In styles that print every full name with ``initialize="false"`` and a period in '
            "``initialize-with`` (Chicago, MLA) citeproc-js writes hyphenated initials apart in "
            "the bibliography (``Han, M. O.``); pandoc keeps ``M.-O.``. A given name added to a "
            "citation to tell two authors apart stays as written."
        ),
        ("text",),
        (normalize_initials,),
    ),
    Correction(
        "second-field-align-margin",
        (
            "With ``second-field-align`` pandoc ends the left margin with a space of its own "
            '("[1] "); citeproc-js writes the first field with its affixes alone ("[1]", but '
            '"1. " for the suffix ". "), margin_space (suite fixtures magic_SecondFieldAlign, '
            "bugreports_IeeePunctuation and more)."
        ),
        ("text",),
        (margin_space,),
        (
            "magic_SecondFieldAlign",
            "bugreports_IeeePunctuation",
        ),
    ),
    Correction(
        "comma-before-institution",
        (
            "Before an institution that ends a name list citeproc-js writes the comma with "
            '"and" only from three names on, whatever ``delimiter-precedes-last`` says '
            "(``Okonkwo, C. & WHO``, ``Lee, M., Smith, J., & WHO``); rendered entries and "
            "citations are adjusted for the institutions their items end with."
        ),
        ("text",),
        (institution_tails, join_institutions),
    ),
)


def by_name(name: str) -> Correction:
    """The correction called ``name`` (KeyError when there is none)."""
    for correction in CORRECTIONS:
        if correction.name == name:
            return correction
    raise KeyError(name)
