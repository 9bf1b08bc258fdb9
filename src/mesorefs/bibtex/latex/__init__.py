"""BibTeX field values: LaTeX to Unicode and back, on top of pylatexenc.

Reading (:func:`latex_to_unicode`, :mod:`~mesorefs.bibtex.latex.read`): accents,
special letters, ligatures and text symbols become Unicode; math, environments and
macros we do not know are kept as written, so nothing is lost.

Writing (:func:`unicode_to_latex`, :mod:`~mesorefs.bibtex.latex.write`): one canonical,
BibTeX-safe form whose braces always balance; math, environments and commands the reader
keeps pass through.

What both share (value parts, math spans, brace matching) is in
:mod:`~mesorefs.bibtex.latex.scan`.

``latex_to_unicode(unicode_to_latex(s)) == s`` for any ``s`` of single-spaced
words, and writing is idempotent through a read.

Speed: text without LaTeX never reaches pylatexenc.  Otherwise a small scanner
handles plain text, braces, ligatures and math itself and hands pylatexenc only
each macro with its arguments, caching the result: the same ``{\\"u}`` turns up
in thousands of entries.
"""

from __future__ import annotations

from mesorefs.bibtex.latex.read import latex_to_unicode, read_recurring
from mesorefs.bibtex.latex.write import (
    mask_plain,
    plain_to_latex,
    unicode_to_latex,
    unmask_plain,
    write_recurring,
)

__all__ = [
    "latex_to_unicode",
    "mask_plain",
    "plain_to_latex",
    "read_recurring",
    "unicode_to_latex",
    "unmask_plain",
    "write_recurring",
]
