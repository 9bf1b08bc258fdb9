"""BibTeX field values: LaTeX to Unicode and back, on top of pylatexenc.

Reading (:func:`latex_to_unicode`)
    Accents, special letters, ligatures (``--``, ``---``, ````` `` `````, ``''``,
    ``~``) and text symbols become Unicode; formatting such as ``\\emph`` keeps
    its text.  Grouping braces go.  Math (``$...$``, ``$$...$$``, ``\\(...\\)``,
    ``\\[...\\]``) and environments are kept byte for byte.  A macro we do not
    know is kept as written, with the brace groups right after it
    (``\\foo{bar}``), and so are ``\\cite``-like macros whose text would be a
    placeholder, so nothing is lost.  Runs of ASCII whitespace become one space
    (BibTeX does the same) and the ends are trimmed; the no-break space from
    ``~`` is kept.  An unescaped ``%`` is a percent sign, not a comment: in a
    .bib file it nearly always means ``50%`` or is part of a URL.  A control word
    eats the spaces after it, as in TeX (``Stra\\ss e`` reads ``Straße``).

Writing (:func:`unicode_to_latex`)
    One canonical form.  ``& % # _`` get a backslash and a lone ``$`` becomes
    ``\\$``; ``{ } ~ ^ \\`` become ``{\\textbraceleft}``, ``{\\textbraceright}``,
    ``{\\textasciitilde}``, ``{\\textasciicircum}``, ``{\\textbackslash}``.  En
    and em dashes and the no-break space become ``--``, ``---`` and ``~``.
    Character pairs LaTeX would read as a ligature (``--``, ``''``, ...) are
    split with ``{}``.  Math and environments with balanced braces pass through,
    and so does a command exactly where the reader would have kept it as
    written (``\\foo{bar}``); any other backslash is text.  With ``ascii_only``
    (the default) the text is NFC-normalised and each other non-ASCII character
    becomes a braced macro: ``{\\'e}``, ``{\\"a}``, ``{\\'\\i}`` (an accent over
    i always sits on the dotless ``\\i``), ``{\\ss}``, ``{\\o}``, ``{\\aa}``,
    ``{\\ae}``, ``{\\l}``, ``{\\c{c}}``, ``{\\v{s}}``, ``{\\=a}``, ``{\\ldots}``;
    curly double quotes become ````` `` ````` and ``''``.  A character with no
    macro that reads back to itself stays as it is.  The braces of the output
    always balance, as BibTeX requires.

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
