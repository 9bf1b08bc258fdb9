"""Google Scholar result lines: ``Title by Authors – Venue, Year – host``.

The format is regular enough for rules, which are exact where a statistical
model would only be close.  Scholar cuts long author lists, venues and titles
with "…": such fields are kept without the ellipsis and marked truncated, so
a resolver completes them and nothing cut off is ever written as if whole.
The host (``journals.lww.com``, ``Wiley Online Library``) is a hint, not the
publisher.
"""

from __future__ import annotations

import re

from mesorefs.models import PartialDate, Person, Provenance, Reference
from mesorefs.parsing.authors import format_initials

__all__ = ["looks_like_scholar", "parse_scholar"]

_SEP = re.compile(r"\s+[–—-]\s+|\s*\u00a0[–—-]\u00a0\s*")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
# One author of a Scholar line: "AM Rotunda", "M Vedamurthy", "A van der Berg".
_ONE_AUTHOR = re.compile(
    r"^[A-ZÀ-Þ]{1,4}\s+(?:[a-z]{1,4}\s+){0,3}[A-ZÀ-Þ][\w'’.\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*)?$"
)
_YEAR_TAIL = re.compile(r"(?:^|,\s*)((?:1[5-9]|20)\d\d)\s*$")
_HOST = re.compile(
    r"^(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$|library|springer|elsevier|wiley|taylor|sage|jstor|"
    r"oup|cambridge|nature|ieee|acm|pubs|books|google|researchgate|academia|repository|"
    r"archive|europepmc|ncbi|mdpi|frontiers|karger|thieme|degruyter|cell|bmj|scielo",
    re.IGNORECASE,
)


def _is_author_list(text: str) -> bool:
    """Initials-first names separated by commas, possibly cut with "…"."""
    pieces = [p.strip() for p in re.split(r",|…|\.\.\.", text)]
    names = [p for p in pieces if p]
    return bool(names) and len(names) <= 30 and all(_ONE_AUTHOR.match(p) for p in names)


def _split(text: str) -> tuple[str, str, list[str]] | None:
    """``(title, authors, rest)`` when ``text`` reads as a Scholar line, else ``None``."""
    parts = _SEP.split(text.strip())
    if len(parts) < 2:
        return None
    head = parts[0]
    # The rightmost " by " whose remainder reads as an initials-first author list.
    for m in reversed(list(re.finditer(r"\s+by\s+", head))):
        authors = head[m.end() :].strip()
        if _is_author_list(authors):
            return head[: m.start()].strip(), authors, parts[1:]
    return None


def looks_like_scholar(text: str) -> bool:
    """True when ``text`` has the ``Title by Authors – Venue, Year – host`` shape."""
    if len(text) > 2000 or "\n" in text.strip():
        return False
    split = _split(text)
    if split is None:
        return False
    _, _, rest = split
    return bool(_YEAR_TAIL.search(rest[0])) or (len(rest) >= 2 and bool(_HOST.search(rest[-1])))


def _cut(value: str) -> tuple[str, bool]:
    """The value without a leading or trailing ellipsis, and whether there was one."""
    stripped = value.strip()
    truncated = False
    while True:
        m = re.search(r"(?:…|\.\.\.)$", stripped)
        if m:
            stripped = stripped[: m.start()].rstrip(" ,;:&")
            truncated = True
            continue
        m = re.match(r"^(?:…|\.\.\.)", stripped)
        if m:
            stripped = stripped[m.end() :].lstrip(" ,;:")
            truncated = True
            continue
        break
    if "…" in stripped:
        truncated = True
        stripped = _ELLIPSIS.sub(" ", stripped).strip()
    return stripped, truncated


def _people(authors: str) -> list[Person]:
    people = []
    for piece in authors.split(","):
        words = piece.split()
        if not words:
            continue
        k = 0
        while k < len(words) - 1 and words[k].isupper() and len(words[k]) <= 4:
            k += 1
        given = format_initials(" ".join(words[:k])) if k else None
        family_words = words[k:]
        j = 0
        while j < len(family_words) - 1 and family_words[j].islower():
            j += 1
        particle = " ".join(family_words[:j]) or None
        family = " ".join(family_words[j:])
        if family:
            people.append(Person(family=family, given=given or None, particle=particle))
    return people


def parse_scholar(text: str) -> Reference | None:
    """The reference a Scholar line describes, or ``None`` when it is not one."""
    split = _split(" ".join(text.split()))
    if split is None:
        return None
    title_raw, authors_raw, rest = split
    truncated: set[str] = set()
    hints: dict[str, str] = {}
    values: dict[str, object] = {}

    title, cut = _cut(title_raw)
    if cut:
        truncated.add("title")
    if title:
        values["title"] = title
    authors, cut = _cut(authors_raw)
    if cut:
        truncated.add("authors")
    people = _people(authors)
    if people:
        values["authors"] = people

    venue_part = rest[0]
    host = rest[-1].strip() if len(rest) >= 2 else None
    if len(rest) > 2:
        # A venue that itself contained " - ": everything but the host.
        venue_part = " - ".join(rest[:-1])
    m = _YEAR_TAIL.search(venue_part)
    if m:
        values["issued"] = PartialDate(year=int(m.group(1)))
        venue_part = venue_part[: m.start()]
    venue, cut = _cut(venue_part.strip(" ,"))
    if venue:
        values["container_title"] = venue
        if cut:
            truncated.add("container_title")
    elif cut:
        truncated.add("container_title")
    if host:
        hints["host"] = host
    hints["format"] = "google-scholar"
    provenance = {
        name: Provenance(
            source="parser",
            confidence=0.95 if name not in truncated else 0.6,
            detail="google scholar line",
        )
        for name in values
    }
    return Reference(
        type="article-journal",
        **values,
        truncated=frozenset(truncated),
        hints=hints,
        provenance=provenance,
    )
