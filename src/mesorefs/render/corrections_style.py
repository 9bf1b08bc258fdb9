"""The corrections that act first on the style the engine reads.

Part of the ordered stack in :mod:`mesorefs.render.corrections`, which says how to add one.
"""

from __future__ import annotations

from mesorefs.render.correction import Correction
from mesorefs.render.fixes import (
    finish,
    in_notes,
    prepare_style,
)
from mesorefs.render.locale_file import with_locale_file
from mesorefs.render.style_gaps import finish as finish_gaps
from mesorefs.render.style_gaps import prepare_items as prepare_gap_items
from mesorefs.render.style_gaps import prepare_style as prepare_gap_style
from mesorefs.render.undated import prepare_style as prepare_undated_style
from mesorefs.render.undated import probe_style as undated_probe_style

__all__ = ["STYLE"]

STYLE: tuple[Correction, ...] = (
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
)
