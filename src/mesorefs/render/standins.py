"""Private-use characters that pass through the engine untouched.

The fixes (fixes.py, names.py) put them into the engine's input where pandoc
would otherwise read or rewrite what citeproc-js leaves alone, and
:func:`mesorefs.render.fixes.finish` turns them back.  One table, so that no two
fixes pick the same character.
"""

from __future__ import annotations

import re

END_MARKS = {".": "\ue000", "?": "\ue001", "!": "\ue002", ":": "\ue003"}
"""A title's final mark, kept from the engine's punctuation rules."""
OPEN_SINGLE, CLOSE_SINGLE = "\ue010", "\ue011"
"""Single quotes at the top level of a title, which pandoc would make double."""
HYPHEN, COMMA, SPACE, ZERO = "\ue020", "\ue021", "\ue022", "\ue023"
"""Characters the engine would read as a range, a list, a word break or drop, or a
comma it would move inside a quotation."""
PERIOD = "\ue027"
"""A period the engine must not move inside a quotation (see :mod:`affixes`)."""
EN_DASH = "\ue025"
"""An en dash the engine must not read as a range."""
PLURAL = "\ue024-\ue024"
"""A hyphen between two stand-ins: the engine sees more than one page ("pp."), the
reader never sees it."""
PLURAL_SEEN = re.compile("\ue024[^\ue024]*\ue024")
""":data:`PLURAL` as the engine hands it back (its hyphen may have become a dash)."""
AMPERSAND = "\ue028"
"""An ampersand the engine would end a locator at."""
LESS_THAN = "\ue029"
"""A "<" the engine would read as the start of markup."""
SENTENCE_END = "\ue02a"
"""After a cite's prefix that ends a sentence: a term right after it is capitalized."""
TERM_START = "\ue026"
"""Before each term a note style prints: a citation that starts with one is capitalized."""
TERM_AS_WRITTEN = "\ue02b"
"""Before a term a note style writes in lower case: it stays so, even where pandoc would
capitalize the start of a note it makes."""
SORT_KEY = "\ue030"
"""Opens each sort key in the rendering of a style's sort keys (see sortkeys.py)."""
DATE_OPEN, DATE_CLOSE = "\ue031", "\ue032"
"""Around a date in a rendered sort key."""
DATE_PARTS = {"year": "\ue033", "month": "\ue034", "day": "\ue035"}
"""Before each part of a date in a rendered sort key."""
WHOLE_GIVEN_OPEN, WHOLE_GIVEN_CLOSE, FULL_STOP = "\ue040", "\ue041", "\ue042"
"""Around a given name the engine must write whole, not as initials, and a period in
it (see correction whole-given-names)."""
GIVEN_SHOWN, NAME_APART = "\ue043", "\ue044"
"""Before a given name the engine adds to a short name, and between the names, in the
probe of the names disambiguation lengthened (see correction whole-given-names)."""
STRIP_OPEN, STRIP_CLOSE = "\ue050", "\ue051"
"""Around the output of an element with ``strip-periods`` (see style_gaps.py)."""
YEAR_OPEN, YEAR_CLOSE = "\ue052", "\ue053"
"""Around a year the style prints in its short form (see style_gaps.py)."""
SHOWN = "\ue054"
"""The value of the variable beside a term whose group calls no variable (style_gaps.py)."""
LITERAL_OPEN, LITERAL_CLOSE = "\ue055", "\ue056"
"""Typographic double quotes written in the data, which are text in the locale (see
literal_quotes.py)."""
INITIAL_END = "\ue057"
"""After each initial of a name written with ``initialize="false"`` and an empty
``initialize-with`` (see style_gaps.py)."""
AFFIX_SPACE, MARK_SPACE = "\ue058", "\ue059"
"""The space that ends an element's suffix, after a word (or alone) and after a mark,
which the engine would drop before a period or a comma (see style_gaps.py)."""
CAPITALIZE = "\ue060"
"""Before the output of a variable a style writes with ``capitalize-first`` (see
capitalize_first.py)."""
