"""Citation keys: deterministic, readable ``familyYEARword`` in ASCII.

A clash takes the next significant title word, then a letter suffix.  A
key the user already has is never renamed; only references without a key
get one, and those whose key is not a safe BibTeX key (:func:`is_safe_key`):
a CSL-JSON ``id`` or RIS ``ID`` holding ``}`` and a line break would otherwise
end the entry and start another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mesorefs.lazy_re import lazy

if TYPE_CHECKING:  # keys are made from References; is_safe_key needs no model
    from mesorefs.models import Reference


__all__ = ["assign_keys", "base_key", "fold_ascii", "is_safe_key", "safe_key"]

# What would end the key or the entry, or start a comment, when written: a key read
# from a .bib never holds these (it would not have parsed), so a user's key is never
# renamed; keys from CSL-JSON and RIS ids may ('O'Brien2001' and 'knuth:ct:c' are fine).
_UNSAFE_KEY_CHAR = lazy(r"""[\s{}(),="#%\\]|[\x00-\x1f\x7f-\x9f]""")
# A key that is being rewritten anyway loses every character some tool reads specially
# (biber refuses ' ~ @ in keys), so what was a block opener ("@preamble") is not left in it.
_REWRITTEN_KEY_CHAR = lazy(r"""[\s{}(),="#%'\\~@]|[\x00-\x1f\x7f-\x9f]""")

_STOPWORDS = frozenset(
    """a an the and or but nor of in on at to for from by with without into onto over under about
    after before between through during per via vs versus as is are was were be been its it
    this that these those what which who whom whose how why when where does do did not no yes
    can could may might will would shall should than then there their our your his her we you
    they i le la les des du de der die das und el los las
    """.split()
)
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "å": "a",
        "Å": "A",
    }
)


def fold_ascii(text: str) -> str:
    """``Müller-Łukasz`` -> ``MullerLukasz``: letters and digits only, accents dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def _significant_words(title: str | None) -> list[str]:
    if not title:
        return []
    title = re.sub(r"\$[^$]*\$", " ", title)
    words = [fold_ascii(w).lower() for w in re.split(r"[\s\-–—/:;,.!?()\[\]\"'“”‘’]+", title)]
    return [w for w in words if w and w not in _STOPWORDS and not w.isdigit()]


def _family_part(reference: Reference) -> str:
    people = reference.authors or reference.editors
    if not people:
        return "anon"
    first = people[0]
    if first.literal:
        words = _significant_words(first.literal)
        return words[0] if words else "anon"
    return fold_ascii(first.family or "").lower() or "anon"


def base_key(reference: Reference, title_words: int = 1) -> str:
    """The key from the first author, the year and the first ``title_words`` title words."""
    year = str(reference.year) if reference.year is not None else "nd"
    words = _significant_words(reference.title)[:title_words]
    return _family_part(reference) + year + "".join(words)


def is_safe_key(key: str) -> bool:
    """True when ``key`` can be written as a citation key as it is."""
    return bool(key) and _UNSAFE_KEY_CHAR.search(key) is None and key.isprintable()


def safe_key(key: str) -> str:
    """``key`` with each run of unsafe characters replaced by ``_``; the writer's last guard."""
    cleaned = _REWRITTEN_KEY_CHAR.sub("_", "".join(c if c.isprintable() else "_" for c in key))
    return re.sub(r"_+", "_", cleaned).strip("_") or "key"


def _suffixes() -> Iterable[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second


def assign_keys(
    references: list[Reference], taken_elsewhere: Iterable[str] = ()
) -> list[Reference]:
    """References with keys; a safe key is kept, the others get a unique new one (unique
    also among ``taken_elsewhere``, the safe keys of entries kept out of the list)."""
    taken = {r.key.lower() for r in references if r.key and is_safe_key(r.key)}
    taken.update(key.lower() for key in taken_elsewhere)
    out = []
    for reference in references:
        if reference.key and is_safe_key(reference.key):
            out.append(reference)
            continue
        available_words = len(_significant_words(reference.title))
        candidate = base_key(reference)
        if candidate.lower() in taken and available_words > 1:
            candidate = base_key(reference, 2)
        if candidate.lower() in taken:
            stem = candidate
            for suffix in _suffixes():
                candidate = stem + suffix
                if candidate.lower() not in taken:
                    break
        taken.add(candidate.lower())
        out.append(reference.model_copy(update={"key": candidate}))
    return out
