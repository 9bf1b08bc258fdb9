"""Labelled token spans to :class:`~mesorefs.models.Reference` fields.

The labeller says which tokens are the title, the container, the volume...;
this module cuts the values out of the original text, strips the
punctuation styles wrap around them, splits volume and issue, reads years
and page ranges, turns author strings into people and guesses the CSL
type.  Identifiers never come from the labeller: they come from
:func:`mesorefs.identifiers.find_identifiers` on the whole string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mesorefs import identifiers
from mesorefs.models import PartialDate, Person, Provenance, Reference
from mesorefs.months import MONTH_NUMBERS
from mesorefs.parsing.authors import parse_names
from mesorefs.parsing.tokens import Token

__all__ = ["Span", "build_reference", "first_page", "group_spans", "split_volume_issue"]

_EDGE = " \t,;:.·/\\-–—‘’“”\"'«»„()[]{}<>"
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MONTHS = MONTH_NUMBERS
_VOLUME_WORD = re.compile(r"^\s*(?:vol(?:ume)?s?|bd|t|tome|band)\.?\s*", re.IGNORECASE)
_ISSUE_WORD = re.compile(r"\b(?:no|nr|issue|heft|num|n°|iss)\.?\s*", re.IGNORECASE)
# "S. 12" and "p 12" are page words; "S260" and "P001" are pages.
_PAGES_WORD = re.compile(r"^\s*(?:pp?|pages?|s|seiten|art)(?:\.\s*|\s+)", re.IGNORECASE)
_ALNUM = re.compile(r"[A-Za-z]?-?\d+[A-Za-z]?|\b[IVXLCDMivxlcdm]+\b|[A-Za-z]+\d*")
_PAGE_RANGE = re.compile(
    r"([A-Za-z]{0,2}\d+[A-Za-z]?)(?:\s*(?:-+|–|—|‐|‑|‒|to)\s*([A-Za-z]{0,2}\d+[A-Za-z]?))?"
)
_BRACKETED_YEAR = re.compile(r"^\s*\(\s*(?:1[5-9]\d\d|20\d\d)[a-z]?\s*\)[.,]?\s*$")
_IN_PREFIX = re.compile(r"^\s*(?:in|dans|en)\s*[:.]?\s+", re.IGNORECASE)
_THESIS = re.compile(r"thes[ie]s|dissertation|diss\.|phd|ph\.d|master", re.IGNORECASE)
_CONFERENCE = re.compile(
    r"proc\b|proceedings|conference|conf\b|symposium|workshop|congress|meeting", re.IGNORECASE
)
_REPORT = re.compile(r"\breport\b|technical|working paper|tech\. rep", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A run of tokens with one label: ``text[start:end]`` and a mean confidence."""

    label: str
    start: int
    end: int
    confidence: float


def group_spans(tokens: Sequence[Token], labelled: Sequence[tuple[str, float]]) -> list[Span]:
    """Merge neighbouring tokens with the same label into spans."""
    spans: list[Span] = []
    run: list[int] = []
    for i, (label, _) in enumerate(labelled):
        if run and labelled[run[0]][0] != label:
            spans.append(_span(tokens, labelled, run))
            run = []
        run.append(i)
    if run:
        spans.append(_span(tokens, labelled, run))
    return spans


def _span(tokens: Sequence[Token], labelled: Sequence[tuple[str, float]], run: list[int]) -> Span:
    conf = sum(labelled[i][1] for i in run) / len(run)
    return Span(labelled[run[0]][0], tokens[run[0]].start, tokens[run[-1]].end, conf)


def clean(value: str) -> str:
    """Drop the punctuation and quotes a style puts around a value."""
    value = " ".join(value.split())
    value = value.strip(_EDGE)
    # Keep a closing ? or ! and balanced parentheses inside the value.
    return value


_LINK = re.compile(r"(?:https?://|www\.|[\w.-]*doi\.org/)", re.IGNORECASE)
_LINK_BEFORE = re.compile(r"(?:https?://|www\.)\S*(?:\s?org/)?$", re.IGNORECASE)
_QUOTED_THEN_IN = re.compile(r"[,.]?[\"”’][,.]?\s+in:?$", re.IGNORECASE)


_TRAILING_IN = re.compile(r"(?<=[.?!,])\s+(?:In|IN|in:|In:)$")
_TRAILING_LOCATOR = re.compile(
    r"(?:[,.]\s*|\s+)(?:(?:vol|vols|volume|no|nr|pp|pages|issue|bd|heft|url)\.?|p\.)$",
    re.IGNORECASE,
)


def _clean_title(raw: str) -> str:
    # IEEE: '"Title," in Proc. ...' -- the "in" opens the container.
    raw = _QUOTED_THEN_IN.sub("", " ".join(raw.split()))
    # "Title. In Proceedings ..." -- the "In" opens the container, not the title.
    raw = _TRAILING_IN.sub("", raw)
    raw = _TRAILING_LOCATOR.sub("", raw.rstrip(" :"))
    value = raw.strip(" ,;:/·“”\"'‘’«»„")
    if value.endswith(".") and not re.search(r"\b[A-Z]\.$|\bet al\.$", value):
        value = value[:-1]
    while value and value[-1] in ",;:":
        value = value[:-1]
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1]
    if value.count("(") < value.count(")") and value.endswith(")"):
        value = value[:-1]
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return value.strip(" “”\"'‘’«»„")


def _clean_container(raw: str) -> str:
    value = _IN_PREFIX.sub("", " ".join(raw.split()))
    # "J Endod, Vol." -- a volume, issue or page word opens the numbers that follow.
    value = _TRAILING_LOCATOR.sub("", value)
    value = value.strip(" ,;:/·“”\"'‘’«»„")
    if value.endswith("."):
        # "Phys. Rev." keeps its abbreviation dot; "Nature." loses the final one.
        last = value.rsplit(None, 1)[-1]
        if len(last) > 5 or (last.isupper() and len(last) > 2):
            value = value[:-1]
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1]
    if value.count("(") < value.count(")") and value.endswith(")"):
        value = value[:-1]
    return value.strip()


def split_volume_issue(volume: str | None, issue: str | None) -> tuple[str | None, str | None]:
    """Volume and issue values from whatever the spans held (``36(2)``, ``47.15``, ``no. 9``)."""
    vol_text = volume or ""
    iss_text = issue or ""
    found_issue: str | None = None
    m = re.search(r"\(([^)]*)\)", vol_text)
    if m:
        found_issue = m.group(1)
        vol_text = vol_text[: m.start()]
    else:
        m2 = _ISSUE_WORD.search(vol_text)
        if m2 and m2.start() > 0:
            found_issue = vol_text[m2.end() :]
            vol_text = vol_text[: m2.start()]
    vol_text = _VOLUME_WORD.sub("", vol_text.strip(" ,;:.([)]"))
    mla = re.match(r"^(\d+)\.(\d+)$", vol_text.strip(" .,;:"))
    if mla:
        vol_text, found_issue = mla.group(1), found_issue or mla.group(2)
    vm = _ALNUM.search(vol_text)
    vol_value = vm.group() if vm else None
    if iss_text:
        iss_text = _ISSUE_WORD.sub("", iss_text.strip(" ,;:.()[]"))
        im = re.search(r"[A-Za-z]?\d+(?:\s*[-–/]\s*\d+)?[A-Za-z]?|[A-Za-z]+", iss_text)
        iss_value = im.group() if im else None
    elif found_issue:
        im = re.search(
            r"[A-Za-z]?\d+(?:\s*[-–/]\s*\d+)?[A-Za-z]?|[A-Za-z]+", _ISSUE_WORD.sub("", found_issue)
        )
        iss_value = im.group() if im else None
    else:
        iss_value = None
    return vol_value, iss_value


def first_page(pages: str | None) -> str | None:
    """The first page of a page span: ``pp. 1374–80`` -> ``1374``."""
    if not pages:
        return None
    m = _PAGE_RANGE.search(_PAGES_WORD.sub("", pages))
    return m.group(1) if m else None


def normalize_page_range(raw: str) -> str | None:
    """``pp. 1374–80`` -> ``1374-1380``; ``e12`` -> ``e12``."""
    m = _PAGE_RANGE.search(_PAGES_WORD.sub("", raw))
    if not m:
        return None
    first, last = m.group(1), m.group(2)
    if not last:
        return first
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}"


def parse_date(raw: str) -> PartialDate | None:
    """Year, and month when one is named, from a date span."""
    m = _YEAR.search(raw)
    if not m:
        return None
    month = None
    for word in re.findall(r"[^\W\d_]+", raw.lower()):
        if word in _MONTHS:
            month = _MONTHS[word]
            break
    return PartialDate(year=int(m.group(1)), month=month)


def _guess_type(values: dict[str, Any], spans: dict[str, str], text: str) -> str:
    genre = spans.get("genre", "") + " " + spans.get("note", "")
    container = str(values.get("container_title") or "")
    if _THESIS.search(genre):
        return "thesis"
    if values.get("arxiv") and not container:
        return "article"
    if container:
        if _CONFERENCE.search(container):
            return "paper-conference"
        if values.get("editors") or re.search(
            r"\bin[:\s]", spans.get("container", "")[:4], re.IGNORECASE
        ):
            return "chapter"
        if values.get("publisher") and not values.get("volume"):
            return "chapter"
        return "article-journal"
    if _REPORT.search(genre):
        return "report"
    if values.get("publisher") or values.get("isbn"):
        return "book"
    if values.get("url") and not values.get("volume"):
        return "webpage"
    return "article-journal"


def build_reference(text: str, spans: Sequence[Span]) -> tuple[Reference, dict[str, str]]:
    """The reference the spans describe, and the raw text of each first span by label."""
    raw: dict[str, str] = {}
    conf: dict[str, float] = {}
    for span in spans:
        if span.label not in raw:
            raw[span.label] = text[span.start : span.end]
            conf[span.label] = span.confidence
        elif span.label in ("author", "editor") and span.confidence > 0.5:
            # A second author run belongs to the same list only when it touches the first.
            pass
    # An author-date style's "(1982)." is the work's date, even after a date in the title.
    dates = [s for s in spans if s.label == "date"]
    bracketed = [s for s in dates if _BRACKETED_YEAR.match(text[s.start : s.end])]
    if bracketed and bracketed[0] is not dates[0]:
        raw["date"] = text[bracketed[0].start : bracketed[0].end]
        conf["date"] = bracketed[0].confidence
    values: dict[str, Any] = {}
    provenance: dict[str, Provenance] = {}

    def put(field: str, value: Any, label: str) -> None:
        if value in (None, "", []):
            return
        values[field] = value
        provenance[field] = Provenance(source="parser", confidence=round(conf[label], 3))

    if "title" in raw:
        put("title", _clean_title(raw["title"]) or None, "title")
    if "container" in raw:
        put("container_title", _clean_container(raw["container"]) or None, "container")
    if "collection" in raw:
        put("collection_title", _clean_container(raw["collection"]) or None, "collection")
    for label, field in (
        ("publisher", "publisher"),
        ("location", "publisher_place"),
        ("edition", "edition"),
        ("genre", "genre"),
        ("note", "note"),
    ):
        if label in raw:
            put(field, clean(raw[label]) or None, label)
    if "date" in raw:
        put("issued", parse_date(raw["date"]), "date")
    volume, issue = split_volume_issue(raw.get("volume"), raw.get("issue"))
    if volume:
        put("volume", volume, "volume")
    if issue:
        put("issue", issue, "issue" if "issue" in raw else "volume")
    if "pages" in raw:
        put("pages", normalize_page_range(raw["pages"]), "pages")
    hints: dict[str, str] = {}
    for label, field in (("author", "authors"), ("editor", "editors")):
        if label in raw:
            people: list[Person]
            people, et_al = parse_names(raw[label])
            put(field, people, label)
            if et_al:
                hints[f"{field}_et_al"] = "true"
    if "number" in raw:
        hints["citation_number"] = clean(raw["number"])
    for found in identifiers.find_identifiers(text):
        field = found.kind if found.kind != "url" else "url"
        known = ("doi", "pmid", "pmcid", "arxiv", "isbn", "issn", "url")
        if field in known and field not in values:
            written = text[found.start : found.end]
            values[field] = found.value if field != "url" else written
            # A DOI written as a link (https://doi.org/10...) is still the work's DOI, but
            # the string shows it as a URL; the detail keeps that apart.
            as_url = field == "doi" and (
                _LINK.match(written) is not None
                or _LINK_BEFORE.search(text[max(0, found.start - 40) : found.start]) is not None
            )
            provenance[field] = Provenance(
                source="parser",
                confidence=0.99,
                detail="identifier pattern, written as a URL" if as_url else "identifier pattern",
            )
    values["type"] = _guess_type(values, raw, text)
    reference = Reference(**values, provenance=provenance, hints=hints)
    return reference, raw
