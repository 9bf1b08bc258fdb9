"""Which references a claim cites, and what they say of it.

Citation markers resolve to library keys (:func:`resolve_marker`); the cited references'
links come first (:func:`cited_first`), each with its own verdict and the references
that bear on the claim better (:func:`citation_check`); a claim citing nothing names
the references it could cite (:func:`could_cite`).  A report's notices say when the
document cites nothing or most references have only a title.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from mesorefs.claims.document import Block, Citation
from mesorefs.claims.evidence import Passage, ReferenceLike
from mesorefs.claims.results import CitationCheck, Link, Verdict
from mesorefs.claims.retrieve import content_tokens

__all__ = [
    "UNCITED_NOTICE",
    "citation_check",
    "cited_first",
    "could_cite",
    "resolve_citations",
    "resolve_marker",
    "title_only_notice",
]


def _title_match(entry: str, title: str) -> float:
    a, b = set(content_tokens(title)), set(content_tokens(entry))
    return len(a & b) / len(a) if a else 0.0


def _family(name: str) -> str:
    """A family name as citations and libraries both write it: the last word, without
    accents or case ("van der Berg", "Berg" and "BERG" are one name)."""
    words = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().split()
    return words[-1].casefold().strip(".,") if words else ""


def resolve_marker(
    citation: Citation,
    references: Sequence[ReferenceLike],
    keys: Sequence[str],
    bibliography: Sequence[Block] = (),
) -> tuple[list[str], list[str]]:
    """The keys a citation marker points to, and the works it names that match none.

    A key must be a key of the library; a number is the nth entry of the document's
    reference list (matched to the library by title), or of the library when the
    document has no list; an author and year are the first author's family name and the
    year, a letter after the year ("2011a") telling apart two works of one author and
    year in title order.  A work that matches none, or more than one, is left
    unresolved: named, never guessed.
    """
    found: list[str] = []
    unresolved: list[str] = []
    known = set(keys)
    if citation.style in ("pandoc", "latex"):
        for name in citation.keys:
            (found if name in known else unresolved).append(name if name in known else f"@{name}")
        return found, unresolved
    if citation.style == "numeric":
        for n in citation.numbers:
            key: str | None = None
            if bibliography and 1 <= n <= len(bibliography):
                entry = bibliography[n - 1].text
                scores = [_title_match(entry, r.title or "") for r in references]
                best = max(range(len(scores)), key=scores.__getitem__, default=-1)
                if best >= 0 and scores[best] >= 0.6:
                    key = keys[best]
            elif not bibliography and 1 <= n <= len(keys):
                key = keys[n - 1]
            (found if key else unresolved).append(key or f"[{n}]")
        return found, unresolved
    wanted = [_family(a) for a in citation.authors]
    year = citation.year or ""
    digits, letter = year[:4], year[4:5]
    matches = []
    for reference, key in zip(references, keys, strict=True):
        families = [_family(a.sort_name) for a in reference.authors]
        if not families or not wanted or families[0] != wanted[0]:
            continue
        if str(reference.year) != digits:
            continue
        if len(wanted) > 1 and (len(families) < 2 or families[1] != wanted[1]):
            continue
        matches.append((reference.title or "", key))
    matches.sort()
    if len(matches) == 1 and (not letter or letter == "a"):
        found.append(matches[0][1])
    elif letter and len(matches) > ord(letter) - ord("a") >= 0 and len(matches) > 1:
        found.append(matches[ord(letter) - ord("a")][1])
    else:
        unresolved.extend(citation.labels())
    return found, unresolved


def resolve_citations(
    citation: Citation,
    references: Sequence[ReferenceLike],
    keys: Sequence[str],
    bibliography: Sequence[Block] = (),
) -> list[str]:
    """The keys of the library references a citation marker points to (may be empty)."""
    return resolve_marker(citation, references, keys, bibliography)[0]


def cited_first(links: Sequence[Link], cited: Sequence[str]) -> tuple[Link, ...]:
    """``links`` with the cited references first, in the order the claim cites them."""
    order = {key: n for n, key in enumerate(cited)}
    first = sorted((lk for lk in links if lk.key in order), key=lambda lk: order[lk.key])
    return tuple(first + [lk for lk in links if lk.key not in order])


def _own_verdict(link: Link | None) -> Verdict:
    """What one reference alone says of a claim: its stance, else whether it bears on it."""
    if link is None:
        return "unsupported"
    if link.stance == "supports":
        return "supported"
    if link.stance == "contradicts":
        return "contradicted"
    return "needs review" if link.related else "unsupported"


def citation_check(key: str, links: Sequence[Link], cited: Sequence[str]) -> CitationCheck:
    """Whether the cited reference ``key`` supports the claim, with the references not
    cited that bear on it better: those that support it, then (when ``key`` does not)
    those that bear on its topic more closely."""
    link = next((lk for lk in links if lk.key == key), None)
    stance = link.stance if link else "neutral"
    others = [lk for lk in links if lk.key not in cited]
    better = [lk.key for lk in others if lk.stance == "supports"]
    if stance != "supports":
        floor = link.relevance if link is not None and link.related else -1.0
        better += [
            lk.key
            for lk in others
            if lk.stance == "neutral" and lk.related and lk.relevance > floor
        ]
    return CitationCheck(
        key=key,
        stance=stance,
        supports=stance == "supports",
        better=better[0] if better and stance != "supports" else None,
        verdict=_own_verdict(link),
        link=link,
        suggestions=tuple(dict.fromkeys(better)),
    )


def could_cite(links: Sequence[Link]) -> tuple[str, ...]:
    """The references an uncited claim could cite: those that support it, else those
    that bear on its topic without taking a side (never one that contradicts it)."""
    supporters = tuple(lk.key for lk in links if lk.stance == "supports")
    if supporters:
        return supporters
    return tuple(lk.key for lk in links if lk.stance == "neutral" and lk.related)


UNCITED_NOTICE = (
    "The document cites no reference in its text (no [@key], \\cite{key}, [1] or "
    "(Author Year) marker): every checked claim needs a citation; each names the "
    "references that could support it, if any."
)


def title_only_notice(keys: Sequence[str], passages: Sequence[Passage]) -> tuple[str, ...]:
    """A notice for the top of a report when most references have only a title to be
    checked against (no abstract, note or full text), saying how to give them text."""
    with_text = {p.key for p in passages if p.field != "title"}
    bare = [key for key in dict.fromkeys(keys) if key not in with_text]
    if not keys or len(bare) * 2 <= len(set(keys)):
        return ()
    return (
        f"{len(bare)} of {len(set(keys))} references have only a title (no abstract, note or "
        "full text): a title alone rarely supports or contradicts a claim, so most verdicts "
        "can only be 'needs review' or 'unsupported'. Give them text: `mesorefs resolve FILE "
        "-i` fills missing abstracts (Crossref, PubMed, OpenAlex); an `abstract`, `note` or "
        "`annote` field you write is read too; a `file` field names full text, read by "
        "`mesorefs check` from the .bib's folder and from each `--full-text-dir DIR`.",
    )
