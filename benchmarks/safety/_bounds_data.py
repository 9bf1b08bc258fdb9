"""Generated inputs for the bounds cases: many entries, many records, long documents.

Deterministic from their arguments alone; every writer takes the folder to write in.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

_FAMILIES = [
    "Smith", "Garcia", "Müller", "Rossi", "Nguyen", "Kowalski", "Okafor", "Tanaka",
    "Dubois", "Silva", "Jensen", "Novak", "Ivanova", "Cohen", "Singh", "Papadopoulos",
]  # fmt: skip
_GIVEN = [
    "Anna", "Bruno", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines",
    "Jonas", "Keiko", "Luca", "Maria", "Nils", "Olga", "Pedro", "Quinn", "Rosa",
]  # fmt: skip
_WORDS = (
    "mesotherapy injection skin fat local treatment trial outcome cellulite drug "
    "dose randomized study patients effect safety review lipolysis collagen"
).split()


def _given(number: int) -> str:
    """A distinct given name for every number (letters only, so no two share initials
    by construction of the suffix)."""
    first = _GIVEN[number % len(_GIVEN)]
    rest = number // len(_GIVEN)
    suffix = ""
    while rest:
        rest, digit = divmod(rest, 26)
        suffix += "abcdefghijklmnopqrstuvwxyz"[digit]
    return first + suffix


def csl_items(count: int, *, seed: int = 1, family: str | None = None) -> list[dict[str, object]]:
    """``count`` journal articles; with ``family``, every first author has that family
    name and a given name of their own."""
    rng = random.Random(seed)
    items: list[dict[str, object]] = []
    for number in range(count):
        authors = [
            {
                "family": family or rng.choice(_FAMILIES) + str(number % 997),
                "given": _given(number),
            }
        ]
        if family is None and rng.random() < 0.5:
            authors.append({"family": rng.choice(_FAMILIES), "given": rng.choice(_GIVEN)})
        title = " ".join(rng.choice(_WORDS) for _ in range(8)).capitalize()
        items.append(
            {
                "id": f"item{number}",
                "type": "article-journal",
                "title": f"{title} {number}",
                "author": authors,
                "container-title": "Journal of " + rng.choice(_WORDS).capitalize(),
                "issued": {"date-parts": [[1990 + number % 35]]},
                "volume": str(1 + number % 60),
                "page": f"{1 + number % 900}-{10 + number % 900}",
            }
        )
    return items


def write_csl_json(folder: Path, count: int, **kwargs: object) -> Path:
    path = folder / f"items-{count}.json"
    path.write_text(json.dumps(csl_items(count, **kwargs)), encoding="utf-8")  # type: ignore[arg-type]
    return path


def write_ris(folder: Path, count: int) -> Path:
    lines: list[str] = []
    for item in csl_items(count):
        lines.append("TY  - JOUR")
        for author in item["author"]:  # type: ignore[attr-defined]
            lines.append(f"AU  - {author['family']}, {author['given']}")
        lines.append(f"TI  - {item['title']}")
        lines.append(f"JO  - {item['container-title']}")
        lines.append(f"PY  - {item['issued']['date-parts'][0][0]}")  # type: ignore[index]
        lines.append(f"VL  - {item['volume']}")
        start, end = str(item["page"]).split("-")
        lines.append(f"SP  - {start}")
        lines.append(f"EP  - {end}")
        lines.append(f"ID  - {item['id']}")
        lines.append("ER  - ")
        lines.append("")
    path = folder / f"records-{count}.ris"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_bib(folder: Path, count: int, *, family: str | None = None) -> Path:
    chunks: list[str] = []
    for item in csl_items(count, family=family):
        names = " and ".join(
            f"{a['family']}, {a['given']}"
            for a in item["author"]  # type: ignore[attr-defined]
        )
        chunks.append(
            f"@article{{{item['id']},\n  author = {{{names}}},\n"
            f"  title = {{{item['title']}}},\n  journal = {{{item['container-title']}}},\n"
            f"  year = {{{item['issued']['date-parts'][0][0]}}},\n"  # type: ignore[index]
            f"  volume = {{{item['volume']}}},\n  pages = {{{item['page']}}}\n}}\n"
        )
    path = folder / f"entries-{count}{'-' + family if family else ''}.bib"
    path.write_text("\n".join(chunks), encoding="utf-8")
    return path
