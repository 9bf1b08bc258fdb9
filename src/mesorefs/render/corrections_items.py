"""The corrections that act first on the CSL items the engine reads.

Part of the ordered stack in :mod:`mesorefs.render.corrections`, which says how to add one.
"""

from __future__ import annotations

from mesorefs.render.correction import Correction
from mesorefs.render.fixes import (
    finish,
    prepare_items,
    title_cased_fields,
    title_probe,
)
from mesorefs.render.labels import prepare_items as prepare_label_items
from mesorefs.render.literal_quotes import finish as finish_quotes
from mesorefs.render.literal_quotes import prepare_items as prepare_quoted_items
from mesorefs.render.name_fixes import (
    lengthened,
    lengthened_probe,
    preparer,
    whole_given_names,
    whole_only,
    written_whole,
)
from mesorefs.render.number_labels import prepare_item as prepare_number_labels
from mesorefs.render.title_probes import probes

__all__ = ["ITEMS"]

ITEMS: tuple[Correction, ...] = (
    Correction(
        "title-case-as-citeproc-js",
        (
            "Title case: in the fields a style title-cases (read from the engine's rendering of "
            "a probe work of each type the items have, title_probe, since a style may "
            "title-case a journal article's container and not a report's (suite fixture "
            "bugreports_MatchedAuthorAndDate), with the variables the style's conditions test "
            "filled as each item fills them (title_probes.probes: APA title-cases a paper's "
            "proceedings title only when it has no editors; wide bench, issue 28), and from "
            "its citation of one without names, "
            "NAMELESS_PROBE: APA title-cases only the title standing in for names) the title is "
            "cased as citeproc-js cases it (mesorefs.render.titlecase) and kept from pandoc's "
            "own title case; only English titles, and those of no stated language, are "
            'title-cased. Elsewhere the short words citeproc-js keeps in lower case ("after", '
            '"through", "et", ...) are marked ``nocase`` in case the style title-cases a field '
            "the probe does not show."
        ),
        ("items",),
        (title_probe, probes, title_cased_fields, prepare_items),
        ("bugreports_MatchedAuthorAndDate",),
    ),
    Correction(
        "label-in-a-number",
        (
            'A lower-case label that starts a number variable ("no. 80" in number, "vol. 3" '
            'in volume, "no. 5" in issue) is the number\'s label, not its text, as citeproc-js '
            'reads it: the number prints alone ("No. 80" where pandoc wrote "No. no. 80"); '
            "anything but one number after the label is left as written (number_labels.py; "
            "wide bench, issue 28: a report's series number in most styles)."
        ),
        ("items",),
        (prepare_number_labels,),
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
            "Numeric ranges in volume and issue take the term page-range-delimiter of the "
            "rendering's locale (the style's own locale for the language, as AMA's hyphen, "
            "else the locale file's: fr-FR's non-breaking hyphen, es-ES's and tr-TR's "
            "hyphen; else an en dash), whether cs:text or cs:number prints them, as in "
            "citeproc-js (suite fixture locale_PageRangeDelimiterTermDefined; wide bench, "
            "issue 28); so do "
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
            "locale_PageRangeDelimiterTermDefined",
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
)
