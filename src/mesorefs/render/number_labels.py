"""A label written in a number field ("no. 80") is read as citeproc-js reads it
(correction label-in-a-number of :mod:`mesorefs.render.corrections`).

citeproc-js takes a lower-case English label abbreviation that starts a number
variable as the number's label, not as its text, and prints the number alone where
the style prints the variable: ``number`` "no. 80" prints "80" (the label of a
section, chapter, page, figure, volume, ... alike), ``volume`` "vol. 3" prints "3" and
``issue`` "no. 5" prints "5".  A style that writes its own label then prints "No. 80"
where pandoc's citeproc printed "No. no. 80" (issue 28's wide bench: a report series
number "no. 80" from a BibTeX file, in most of the 63 styles).  CSL 1.0.2 says nothing of
labels inside a variable; the style's own label is what it asks for.

:func:`prepare_item` drops such a label where one number (digits, and a letter after
them) follows it, as citeproc-js does; anything else is left as written ("No. 80",
"nos. 4-5", "Nr. 80", "no. x").
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["prepare_item"]

# the labels citeproc-js reads at the start of each variable, as measured
_NUMBER_LABELS = ("no", "vol", "p", "pp", "ch", "art", "sec", "n", "fig")
_LABELED = {
    "number": re.compile(rf"(?:{'|'.join(_NUMBER_LABELS)})\. ?(\d+[A-Za-z]?)"),
    "volume": re.compile(r"vol\. (\d+[A-Za-z]?)"),
    "issue": re.compile(r"no\. (\d+[A-Za-z]?)"),
}


def prepare_item(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with the label citeproc-js reads at the start of a number variable taken
    out (the same item when there is none)."""
    changed: dict[str, str] = {}
    for variable, pattern in _LABELED.items():
        value = item.get(variable)
        if isinstance(value, str) and (match := pattern.fullmatch(value.strip())):
            changed[variable] = match[1]
    return {**item, **changed} if changed else item
