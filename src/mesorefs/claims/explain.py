"""A verdict's reason in words: who supports or contradicts a statement, and with what.

The reason names the reference and quotes its passage; an unsupported statement names
the words that set it apart and that no passage of the library holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mesorefs.claims.results import SHOWN_LINKS, Link, Verdict
from mesorefs.claims.retrieve import EvidenceIndex, content_tokens
from mesorefs.claims.verify import specific_tokens

__all__ = ["explain", "quote"]


# Words that say how much or how often, not what: naming them as missing helps nobody.
_VAGUE = frozenset(
    """several various different many much more most few some other others type types kind
    kinds number numbers way ways often always also well even main common time times part parts
    thing things due make made can may might lot lots whole two three one""".split()
)


def quote(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return (
        "\u201c"
        + (flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026")
        + "\u201d"
    )


def _missing_words(text: str, index: EvidenceIndex) -> list[str]:
    """The words of ``text`` that set it apart and that no passage of the library holds."""
    present = index.vocabulary
    specific = specific_tokens(text, index.idf)
    out: list[str] = []
    for word in re.findall(r"[A-Za-z][\w'-]*", text):
        tokens = content_tokens(word)
        lower = word.lower()
        absent = bool(tokens) and all(t not in present for t in tokens)
        if not absent or lower in out or lower in _VAGUE:
            continue
        if any(t in specific or t not in index.idf for t in tokens):
            out.append(lower)
    return out


def explain(verdict: Verdict, links: Sequence[Link], text: str, index: EvidenceIndex) -> str:
    """The reason for a statement's verdict, in words (``text``: the statement's own words)."""
    supporters = [lk for lk in links if lk.stance == "supports"]
    opponents = [lk for lk in links if lk.stance == "contradicts"]
    if verdict == "supported":
        lk = supporters[0]
        return f"{lk.key} supports it ({lk.evidence.field}: {quote(lk.evidence.text)})"
    if verdict == "contradicted":
        lk = opponents[0]
        cues = f"; {', '.join(lk.cues)}" if lk.cues else ""
        return f"{lk.key} contradicts it ({lk.evidence.field}: {quote(lk.evidence.text)}{cues})"
    if verdict == "needs review":
        if supporters and opponents:
            return (
                f"references disagree: {', '.join(lk.key for lk in supporters)} support it,"
                f" {', '.join(lk.key for lk in opponents)} contradict it"
            )
        related = [lk.key for lk in links if lk.related][:SHOWN_LINKS]
        who = ", ".join(related) if related else "a reference"
        verb = "bear on it but take" if len(related) > 1 else "bears on it but takes"
        return f"{who} {verb} no clear side: read the passages"
    closest = max(links, key=lambda lk: (lk.relevance, -lk.rank), default=None)
    missing = _missing_words(text, index)
    said = (
        f"no reference mentions {', '.join(missing[:4])}"
        if missing
        else ("no reference bears on it")
    )
    return said + (f"; closest: {closest.key}" if closest else "")
