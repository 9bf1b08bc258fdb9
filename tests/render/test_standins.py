"""The stand-in characters: no two of them share a character (render/standins.py)."""

from __future__ import annotations

import re

from mesorefs.render import standins


def _private_use(value: object) -> set[str]:
    if isinstance(value, re.Pattern):
        value = value.pattern
    if isinstance(value, dict):
        return set().union(*(_private_use(v) for v in value.values()))
    if isinstance(value, str):
        return {c for c in value if "\ue000" <= c <= "\uf8ff"}
    return set()


def test_no_two_stand_ins_share_a_character() -> None:
    owners: dict[str, list[str]] = {}
    for name, value in vars(standins).items():
        if name.isupper() and name != "PLURAL_SEEN":  # PLURAL_SEEN reads PLURAL back
            for char in _private_use(value):
                owners.setdefault(char, []).append(name)
    shared = {f"U+{ord(c):04X}": names for c, names in owners.items() if len(names) > 1}
    assert shared == {}
