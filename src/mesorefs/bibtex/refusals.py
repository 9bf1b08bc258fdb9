"""Which entries reading refuses, found without building a ``Reference``.

``tidy`` writes an entry whose key it keeps from its fields alone, with no model built
(``codec.read_bibtex_fields``), but it must keep as written the same entries that
reading into a Reference keeps as written (``convert.entry_to_reference``).
"""

from __future__ import annotations

from collections.abc import Mapping

from mesorefs.bibtex.names import model_error, parts_of_names
from mesorefs.name_parts import InvalidName

__all__ = ["PROBLEM_FIELDS", "entry_problem"]

PROBLEM_FIELDS = ("author", "editor")
"""The only fields whose reading can refuse an entry (see :func:`entry_problem`)."""


def entry_problem(fields: Mapping[str, str]) -> ValueError | None:
    """The error :func:`~mesorefs.bibtex.convert.entry_to_reference` raises for these
    fields, found without building the Reference: a name list that holds a name no
    ``Person`` can be made of.

    Every other step of the reading keeps what it cannot read (in ``extra``, or as
    text), so a reader that only needs the fields (``tidy``) refuses the same entries.
    Keep the two in step: a reading step that may refuse an entry belongs here too.
    """
    lowered = {k.lower(): v for k, v in fields.items()}
    for name in PROBLEM_FIELDS:
        if name in lowered:
            try:
                parts_of_names(lowered[name])
            except InvalidName as error:  # the message the model gives, as reading does
                return model_error(error)
            except ValueError as error:
                return error
    return None
