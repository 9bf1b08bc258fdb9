"""Helpers shared by the service parsers (pure)."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from mesorefs.errors import InvalidIdentifier, ServiceError
from mesorefs.models import CSL_TYPES, PartialDate, Person
from mesorefs.resolve.http import HttpResponse

P = ParamSpec("P")
R = TypeVar("R")


def record_parser(service: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a parser of a service's answer: a record of a shape it does not expect (a list
    where a string belongs, an object where a list does) is a ServiceError naming the
    service, not a TypeError that stops the batch.  Answers come from outside: this is
    where their shape is checked."""

    def decorate(parse: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(parse)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return parse(*args, **kwargs)
            except (TypeError, AttributeError, KeyError, IndexError, ValueError) as error:
                detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
                raise ServiceError(f"unexpected record shape ({detail})", service) from error

        return checked

    return decorate


# Crossref / DataCite type ids -> CSL types.
_TYPE_MAP = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "posted-content": "article",
    "preprint": "article",
    "dissertation": "thesis",
    "report-component": "report",
    "reference-entry": "entry",
    "peer-review": "review",
    "component": "article",
    "database": "dataset",
    "other": "document",
    "journal-issue": "periodical",
    "journal": "periodical",
    "proceedings": "book",
    "standard": "standard",
    "review": "review",
    "article": "article-journal",
    "paratext": "document",
    "erratum": "article-journal",
    "letter": "article-journal",
    "editorial": "article-journal",
}

_TAG = re.compile(r"<[^>]+>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)])")


def csl_type(value: str | None, default: str = "article-journal") -> str:
    """A CSL type for a service's type id."""
    if not value:
        return default
    if value in CSL_TYPES:
        return value
    return _TYPE_MAP.get(value, default)


def strip_markup(value: str | None) -> str | None:
    """Plain text of JATS / HTML markup, whitespace collapsed."""
    if not value:
        return None
    text = _TAG.sub(" ", value) if "<" in value else value
    text = html.unescape(text)
    text = " ".join(text.split())
    # Remove the space the tag removal left before punctuation.
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return text or None


def first(value: Any) -> str | None:
    """The first string of a Crossref array (or the string itself)."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip():
                return item
        return None
    if isinstance(value, str) and value.strip():
        return value
    return None


def date_from_parts(value: Any) -> PartialDate | None:
    """A PartialDate from CSL / Crossref ``{"date-parts": [[y, m, d]]}``."""
    if not isinstance(value, Mapping):
        return None
    try:
        return PartialDate.from_csl(dict(value))
    except (ValueError, TypeError):
        return None


def person(data: Mapping[str, Any]) -> Person | None:
    """A Person from a Crossref / CSL name object; None when it has no name."""
    family = data.get("family")
    if not family and data.get("name"):
        return Person(literal=str(data["name"]))
    if not family and data.get("literal"):
        return Person(literal=str(data["literal"]))
    if not family:
        return None
    orcid = data.get("ORCID") or data.get("orcid")
    try:
        return Person(
            family=str(family),
            given=str(data["given"]) if data.get("given") else None,
            suffix=str(data["suffix"]) if data.get("suffix") else None,
            orcid=str(orcid) if orcid else None,
        )
    except ValueError:
        return Person(family=str(family), given=str(data["given"]) if data.get("given") else None)


MAX_PEOPLE = 1000
"""Names read from one record's list (authors, editors); a longer list is cut there and
the field marked truncated (written as ``and others``): 200,000 authors in one answer
must not cost gigabytes."""


def people(items: Any) -> list[Person]:
    """The first :data:`MAX_PEOPLE` names of a Crossref / CSL name list."""
    out: list[Person] = []
    if isinstance(items, Sequence) and not isinstance(items, str):
        for item in items:
            if len(out) >= MAX_PEOPLE:
                break
            if isinstance(item, Mapping):
                found = person(item)
                if found is not None:
                    out.append(found)
    return out


def add_people(fields: dict[str, Any], name: str, items: Any) -> None:
    """``fields[name]``: the names of ``items`` (when any), marked truncated when the
    list was longer than :data:`MAX_PEOPLE`."""
    found = people(items)
    if not found:
        return
    fields[name] = found
    if len(found) >= MAX_PEOPLE and isinstance(items, Sequence) and len(items) > len(found):
        fields["truncated"] = frozenset(fields.get("truncated", frozenset()) | {name})


def load_json(response: HttpResponse, service: str, identifier: str | None = None) -> Any:
    """The JSON body, or ServiceError when it is not JSON (or too deep, or holds numbers
    JSON does not allow: see :func:`mesorefs.inputs.load_json`)."""
    try:
        return response.json()
    except ValueError as exc:
        raise ServiceError(
            f"malformed response body ({exc})", service, identifier, response.status
        ) from exc


def safe_identifier(kind: str, value: Any) -> str | None:
    """A string identifier, or None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def doi_from_url(value: str | None) -> str | None:
    """``https://doi.org/10.1/x`` -> ``10.1/x``."""
    if not value:
        return None
    match = re.search(r"(10\.\d{4,9}/\S+)", value)
    return match.group(1) if match else None


def path_part(identifier: str, keep_slashes: bool = True) -> str:
    """``identifier`` as one part of a request path that cannot leave it.

    Percent-encoded (``?``, ``#``, ``%`` and spaces cannot start a query or a fragment);
    a DOI's own slashes are kept when ``keep_slashes``.  A ``.`` or ``..`` segment is
    refused (:class:`InvalidIdentifier`): HTTP clients decode ``%2E`` and fold ``/../``
    into the path, so no encoding keeps it under the service's route.
    """
    if keep_slashes and any(part in (".", "..") for part in identifier.split("/")):
        raise InvalidIdentifier("identifier", identifier, "a '.' or '..' path segment inside")
    return quote(identifier, safe="/" if keep_slashes else "")
