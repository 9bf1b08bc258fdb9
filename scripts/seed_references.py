"""Build references.bib from the verified seed facts.

Usage: python scripts/seed_references.py [FACTS_JSON] [OUT_BIB]

Only verified values are used: a null in the facts file stays absent.
Editorial remarks inside a value (a parenthesis that starts in lower case,
such as "(per Gale; ...)") are dropped; each paper's notes become its
``annote`` field.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from mesorefs import Library, PartialDate, Person, Reference

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS = ROOT.parent / "shared" / "seed" / "references-facts.json"
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def drop_remarks(value: str | None) -> str | None:
    """``Medknow ... Ltd. (journal published on behalf of IADVL)`` -> ``Medknow ... Ltd.``."""
    if value is None:
        return None
    return re.sub(r"\s*\((?=[a-z])[^()]*\)", "", value).strip() or None


def single_month(text: str | None) -> int | None:
    """The month when the text names exactly one ("April (15 April 2005 issue)"), else None."""
    if not text:
        return None
    head = text.split("(")[0].strip().lower()
    if "-" in head or "–" in head:
        return None  # a range such as January-February is not one month
    return MONTHS.index(head) + 1 if head in MONTHS else None


def person(data: dict[str, Any]) -> Person:
    if "group" in (data.get("note") or ""):
        return Person(literal=data["family"])
    return Person(family=data["family"], given=data.get("given"))


def reference(fact: dict[str, Any]) -> Reference:
    issued = None
    if fact.get("year"):
        issued = PartialDate(year=fact["year"], month=single_month(fact.get("month")))
    notes = " ".join(f["text"] for f in fact.get("findings", []))
    return Reference(
        key=fact["key_suggestion"],
        type="article-journal",
        title=fact["title"],
        authors=[person(a) for a in fact["authors"]],
        issued=issued,
        container_title=fact.get("journal"),
        container_title_short=fact.get("journal_abbrev"),
        volume=fact.get("volume"),
        issue=fact.get("issue"),
        pages=fact.get("pages"),
        publisher=drop_remarks(fact.get("publisher")),
        doi=fact.get("doi"),
        pmid=fact.get("pmid"),
        pmcid=fact.get("pmcid"),
        annote=notes or None,
    )


def build(facts_path: Path) -> Library:
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    return Library([reference(f) for f in facts]).with_keys()


def main(argv: list[str]) -> int:
    facts = Path(argv[1]) if len(argv) > 1 else DEFAULT_FACTS
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "references.bib"
    build(facts).write(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
