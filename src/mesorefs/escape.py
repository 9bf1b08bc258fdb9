"""Untrusted text made safe for where it is written: a terminal, Markdown, a link.

Titles, names, notes, abstracts and reasons come from files and services anyone can
write.  Each output format makes them inert in one place:

- :func:`terminal_text`: control characters (ESC, CSI, OSC 8 hyperlinks, BEL, the
  other C0 and C1 controls, bidirectional overrides) are shown as ``\\x1b``-style
  escapes; only line breaks and tabs pass.  ``rich`` markup is escaped by the CLI
  (``rich.markup.escape``) on top of this.
- :func:`markdown_text`: Markdown and inline HTML read as text (``<script>`` is
  ``\\<script\\>``), a line break cannot leave the list item or footnote, and
  ``@key`` cannot become a citation.
- :func:`link_target`: a URL becomes a link only with an allowed scheme (``http``,
  ``https``, ``mailto``, ``ftp``); ``javascript:`` and ``data:`` never do.

The HTML report escapes with ``html.escape`` where it writes (``claims/report.py``).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from mesorefs.lazy_re import lazy

__all__ = [
    "LINK_SCHEMES",
    "MARKDOWN_SPECIAL",
    "link_target",
    "markdown_text",
    "terminal_json",
    "terminal_text",
]

# C0 except tab and line feed, DEL, C1, and the Unicode format characters that reorder
# or hide text in a terminal (bidirectional embeddings, overrides and isolates).
_CONTROL = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MARKDOWN_SPECIAL = lazy(r"([\\`*_\[\]<>#|~^$@])")
"""What Markdown (and Pandoc's citations) would read as markup: written with a backslash."""
# (?!(?<=\s)\s): a match starts only at the first blank of a run (the same matches; tried
# from every blank of a long run, the pattern took time quadratic in its length)
_LINE_BREAK = lazy(r"(?!(?<=\s)\s)\s*[\r\n\u2028\u2029]+\s*")
_URL_UNSAFE = lazy(r"""[\s<>(){}"'`\\\x00-\x1f\x7f-\x9f]""")
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
"""The only schemes a written link may have."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every control character but line breaks and tabs shown, not obeyed."""
    return _CONTROL.sub(_visible, text)


def terminal_json(text: str) -> str:
    """JSON text with the control characters ``json.dumps`` leaves raw (C1, DEL,
    bidirectional overrides) written as ``\\u`` escapes: the same data, inert on a terminal."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_text(text: str) -> str:
    """``text`` as Markdown that reads as exactly this text, on one line."""
    text = _LINE_BREAK.sub(" ", _CONTROL.sub("", text))
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def link_target(url: str) -> str | None:
    """``url`` fit to be a link's target, or None when its scheme is not allowed.

    Spaces, brackets, quotes and controls are percent-encoded, so the target cannot
    end the Markdown link or HTML attribute it is written in.
    """
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in LINK_SCHEMES:
        return None
    return _URL_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)
