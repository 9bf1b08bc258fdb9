"""The corrections that act first on each cite, the engine's tree or the written text.

Part of the ordered stack in :mod:`mesorefs.render.corrections`, which says how to add one.
"""

from __future__ import annotations

from mesorefs.render.affixes import spaced_suffix
from mesorefs.render.cite_order import by_keys, in_order
from mesorefs.render.cite_order import probe_style as order_probe_style
from mesorefs.render.correction import Correction
from mesorefs.render.etal import joined as etal_joined
from mesorefs.render.etal import probe_style as etal_probe_style
from mesorefs.render.etal import term_for as etal_term_for
from mesorefs.render.fixes import (
    blocks_punctuation_into_quotes,
    finish,
    margin_space,
    mark_sentence_end,
    no_printed_form,
    punctuation_into_quotes,
    puts_punctuation_in_quotes,
)
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
    normalize_initials,
)
from mesorefs.render.sortkeys import citation_sort_style, key_items

__all__ = ["OUTPUT"]

OUTPUT: tuple[Correction, ...] = (
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
    Correction(
        "no-printed-form-in-layout-affixes",
        (
            "A citation the style prints nothing for reads citeproc-js's error text inside the "
            "citation layout's prefix and suffix, \"([CSL STYLE ERROR: reference with no "
            'printed form.])", as citeproc-js writes it (suite fixture date_DateNoDateNoTest, '
            "whose layout has no affixes; wide bench, issue 28: springer-basic-author-date w006)."
        ),
        ("text",),
        (no_printed_form,),
        ("date_DateNoDateNoTest",),
    ),
)
