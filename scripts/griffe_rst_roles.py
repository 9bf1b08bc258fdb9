"""A griffe extension for the documentation site: the docstrings' reStructuredText as Markdown.

The docstrings name other objects the Sphinx way (``:func:`~mesorefs.library.tidy_bibtex```),
which Markdown would print as is.  Each role becomes the object's name in code, linked to its
entry when the site documents it (an optional autorefs reference: a name the site does not
document stays plain code, without a warning).  ``~`` shows only the last part, as in Sphinx.
A literal block's ``::`` marker is dropped (a lone ``::``) or becomes ``:``; the indented
block after it is code in Markdown too.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

# a literal block's marker: a line of its own, or the end of a paragraph's last line
_LONE_MARKER = re.compile(r"^[ \t]*::[ \t]*\n", re.M)
_END_MARKER = re.compile(r"(?<=\S)::[ \t]*$", re.M)
# :role:`name`, :role:`~dotted.name` or :role:`shown text <dotted.name>`
_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(~?)([\w.]+|[^`<]+<([\w.]+)>)`")


def _link(match: re.Match[str], module: str) -> str:
    short, written, explicit = match.group(1), match.group(2), match.group(3)
    if explicit:
        target, shown = explicit, written[: written.index("<")].strip()
    else:
        target = written
        shown = target.rsplit(".", 1)[-1] if short else target
    identifier = target if target.startswith("mesorefs") else f"{module}.{target}"
    return (
        f'<autoref identifier="{html.escape(identifier)}" optional>'
        f"<code>{html.escape(shown)}</code></autoref>"
    )


def rewrite(text: str, module: str) -> str:
    """``text``, a docstring of ``module``, with its roles and literal-block markers as Markdown."""
    text = _ROLE.sub(lambda m: _link(m, module), text)
    return _END_MARKER.sub(":", _LONE_MARKER.sub("", text))


class RstRoles(griffe.Extension):
    """Rewrite the Sphinx roles in every docstring the site renders."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        obj.docstring.value = rewrite(obj.docstring.value, obj.module.path)
