"""Typed, CSL-compatible models of cited works.

``Reference`` holds the bibliographic fields in Unicode (never LaTeX) with
CSL variable names in snake case.  Beside the data it carries what a careful
tool needs to respect the user: where each field came from
(``provenance``), which fields the user locked against online updates
(``locked``), which fields are known to be cut off (``truncated``), hints
that are not data (``hints``), and notices such as retractions
(``updates``).  Everything round-trips through CSL-JSON; the bookkeeping
travels in CSL's ``custom`` object.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from mesorefs.csl import first_problem, item_shape
from mesorefs.errors import InputError
from mesorefs.name_parts import NameParts, tidy_name_part
from mesorefs.normal_forms import clean_text as _clean_text
from mesorefs.normal_forms import normal_form, normalize_pages
from mesorefs.provenance import Provenance, Update
from mesorefs.vocabulary import (
    BIBLIOGRAPHIC_FIELDS,
    CSL_TYPES,
    FIELD_OF_VARIABLE,
    IDENTIFIER_FIELDS,
    LATEX_SOURCES,
    MODELLED_ORIGINALS,
    MODELLED_VARIABLES,
    STRING_FIELDS,
)

__all__ = [
    "BIBLIOGRAPHIC_FIELDS",
    "CSL_TYPES",
    "IDENTIFIER_FIELDS",
    "LATEX_SOURCES",
    "PartialDate",
    "Person",
    "Provenance",
    "Reference",
    "Update",
    "normal_form",
    "normalize_pages",
]


class Person(BaseModel):
    """An author or editor: a family name with given names, or a literal (organisation)."""

    # defer_build (every model here and in provenance.py): pydantic builds a model's
    # validator on its first use, not at import, so a command that never validates a
    # Reference (tidy of entries that keep their keys) does not pay for building it.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    family: str | None = None
    given: str | None = None
    particle: str | None = None
    """Non-dropping particle written before the family name: "van", "de la"."""
    suffix: str | None = None
    literal: str | None = None
    """Organisations and group authors, written as one unit."""
    orcid: str | None = None

    @field_validator("family", "given", "particle", "suffix", "literal")
    @classmethod
    def _tidy_spaces(cls, value: str | None) -> str | None:
        """Name parts without stray spaces (" C" from a feed is "C"); blank is absent."""
        return tidy_name_part(value)

    @model_validator(mode="after")
    def _has_a_name(self) -> Person:
        if not (self.family or self.literal):
            raise ValueError("a person needs a family name or a literal name")
        return self

    @field_validator("orcid")
    @classmethod
    def _normalize_orcid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from mesorefs import identifiers  # loaded when an identifier is first read

        return identifiers.normalize_orcid(value)

    @property
    def is_organisation(self) -> bool:
        return self.literal is not None

    @property
    def sort_name(self) -> str:
        """The name as it is sorted and keyed on: family (with particle) or literal."""
        if self.literal:
            return self.literal
        return " ".join(part for part in (self.particle, self.family) if part)

    def display(self) -> str:
        """``Given Family`` for humans."""
        if self.literal:
            return self.literal
        name = " ".join(p for p in (self.given, self.particle, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    @classmethod
    def from_parts(cls, parts: NameParts) -> Person:
        """The person of parts the BibTeX name reader split (:mod:`mesorefs.name_parts`)."""
        return cls(
            family=parts.family,
            given=parts.given,
            particle=parts.particle,
            suffix=parts.suffix,
            literal=parts.literal,
        )

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> Person:
        if "literal" in data and not data.get("family"):
            return cls(literal=str(data["literal"]))
        particle = " ".join(
            str(data[k]) for k in ("dropping-particle", "non-dropping-particle") if data.get(k)
        )
        orcid = data.get("ORCID") or data.get("orcid")
        return cls(
            family=data.get("family"),
            given=data.get("given") or None,
            particle=particle or None,
            suffix=data.get("suffix") or None,
            orcid=str(orcid) if orcid else None,
        )

    def to_csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        out: dict[str, str] = {}
        for key, value in (
            ("family", self.family),
            ("given", self.given),
            ("non-dropping-particle", self.particle),
            ("suffix", self.suffix),
            ("ORCID", self.orcid),
        ):
            if value:
                out[key] = value
        return out


class PartialDate(BaseModel):
    """A date that may stop at the year or the month."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    year: int = Field(ge=-9999, le=9999)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _day_needs_month(self) -> PartialDate:
        if self.day is not None and self.month is None:
            raise ValueError("a date with a day needs a month")
        return self

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> PartialDate | None:
        parts = data.get("date-parts")
        if parts and parts[0] and parts[0][0] not in (None, ""):
            first = [int(p) for p in parts[0][:3]]
            return cls(
                year=first[0],
                month=first[1] if len(first) > 1 else None,
                day=first[2] if len(first) > 2 else None,
            )
        raw = data.get("raw") or data.get("literal")
        if raw:
            match = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(raw))
            if match:
                y, m, d = (int(g) if g else None for g in match.groups())
                assert y is not None
                return cls(year=y, month=m, day=d if m else None)
        return None

    def to_csl(self) -> dict[str, list[list[int]]]:
        parts = [p for p in (self.year, self.month, self.day) if p is not None]
        return {"date-parts": [parts]}

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text


def _first(value: Any) -> Any:
    """The value the model reads from a CSL variable: the first of a list (ISSN, ISBN)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _person_or_none(data: Any) -> Person | None:
    """A CSL name, or None for one our model cannot hold (only a given name); the item
    keeps the original in ``Reference.csl``."""
    if isinstance(data, dict) and not data.get("family") and not data.get("literal"):
        return None  # a name of given parts only ("Plato"): kept in its CSL form
    return Person.from_csl(data)


def _date_or_none(data: Any) -> PartialDate | None:
    """A CSL date, or None for one our model cannot hold (a season as month 21-24, empty
    parts); the item keeps the original in ``Reference.csl``."""
    parts = data.get("date-parts") if isinstance(data, dict) else None
    numbers = [p for row in parts or [] if isinstance(row, list) for p in row]
    if any(isinstance(p, (int, float)) and not -99999 <= p <= 99999 for p in numbers):
        raise ValueError("a date part is no year, month or day")
    try:
        return PartialDate.from_csl(data)
    except (ValueError, TypeError, IndexError):
        return None


def _unmodelled_csl(data: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The variables of a CSL item the model does not hold, or holds with less detail."""
    kept = {k: v for k, v in data.items() if k not in MODELLED_VARIABLES}
    for name, attr in (("author", "authors"), ("editor", "editors")):
        people = data.get(name)
        if people and [p.to_csl() for p in fields.get(attr, [])] != people:
            kept[name] = people
    issued = data.get("issued")
    if issued and (fields.get("issued") is None or fields["issued"].to_csl() != issued):
        kept["issued"] = issued
    if "type" not in data:
        kept["type"] = None  # written back without one while it stays "document"
    elif data["type"] not in CSL_TYPES:
        kept["type"] = data["type"]
    for ours, csl in STRING_FIELDS.items():
        original = data.get(csl)
        if ours not in fields or not isinstance(original, (str, int, float, list)):
            continue
        if _first(original) != original or normal_form(ours, original) != original:
            kept[csl] = original  # " 10.1/X " or a note's line breaks, as written
    return kept


def _still_current(reference: Reference, name: str, original: Any) -> bool:
    """True when the original name list or date reads as what the reference now holds."""
    if name == "issued":
        return _date_or_none(original) == reference.issued if isinstance(original, dict) else False
    if name == "type":
        return reference.type == "document"
    if name in FIELD_OF_VARIABLE:
        field = FIELD_OF_VARIABLE[name]
        return bool(normal_form(field, _first(original)) == getattr(reference, field))
    if not isinstance(original, list):
        return False
    attr = "authors" if name == "author" else "editors"
    current: list[Person] = getattr(reference, attr)
    return [p for p in map(_person_or_none, original) if p is not None] == current


class Reference(BaseModel):
    """One cited work, CSL-compatible, with per-field provenance and user locks."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    key: str | None = None
    """The citation key (CSL ``id``)."""
    type: str = "article-journal"
    title: str | None = None
    authors: list[Person] = Field(default_factory=list)
    editors: list[Person] = Field(default_factory=list)
    issued: PartialDate | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    collection_title: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    number: str | None = None
    edition: str | None = None
    genre: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    event_title: str | None = None
    language: str | None = None
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    isbn: str | None = None
    issn: str | None = None
    abstract: str | None = None
    note: str | None = None
    annote: str | None = None

    extra: dict[str, str] = Field(default_factory=dict)
    """Fields we do not model (``file``, ``keywords``, ...), kept verbatim."""
    bibtex_type: str | None = None
    """The BibTeX entry type when it says more than ``type`` does (``@misc`` vs ``@online``)."""
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    truncated: frozenset[str] = frozenset()
    """Fields known to be cut off ("Plastic and …"): never written as if whole."""
    protected: frozenset[str] = frozenset()
    """Title phrases whose capitals the user protected beyond what our rules protect."""
    hints: dict[str, str] = Field(default_factory=dict)
    """Clues that are not data, e.g. the host a Google Scholar line names."""
    updates: list[Update] = Field(default_factory=list)
    csl: dict[str, Any] = Field(default_factory=dict)
    """CSL-JSON variables we do not model (``translator``, ``accessed``, ``title-short``),
    kept as given; and a name list or date in its original form where our model keeps
    less of it (a season, a range, a particle rule), used while the data is unchanged."""
    _written: Any = PrivateAttr(default=None)
    """The entry as a file wrote it, for writers that keep what nobody changed."""
    _plain_text: bool = PrivateAttr(default=False)
    """Read from a plain-text format (CSL-JSON, RIS): a backslash in its text is a
    character, never LaTeX, wherever its fields are written (see ``plain_text_fields``)."""

    def plain_text_fields(self) -> frozenset[str]:
        """The fields whose text is plain text, not LaTeX a person wrote.

        A field holds LaTeX only when it came from a .bib or from a person: its
        provenance is absent (as read) or one of :data:`LATEX_SOURCES`.  A service's
        value, a parse of free text, and anything read from CSL-JSON or RIS is plain.
        """
        if self._plain_text:
            return frozenset(BIBLIOGRAPHIC_FIELDS)
        return frozenset(
            name
            for name, stamp in self.provenance.items()
            if stamp.source not in LATEX_SOURCES and not stamp.source.startswith("duplicate:")
        )

    @field_validator(
        "title",
        "container_title",
        "container_title_short",
        "collection_title",
        "volume",
        "issue",
        "number",
        "edition",
        "genre",
        "publisher",
        "publisher_place",
        "event_title",
        "language",
        "url",
        "abstract",
        "note",
        "annote",
        "key",
        mode="before",
    )
    @classmethod
    def _tidy_text(cls, value: Any) -> Any:
        return _clean_text(value)

    @field_validator("pages", "doi", "pmid", "pmcid", "arxiv", "isbn", "issn", mode="before")
    @classmethod
    def _tidy_normal_form(cls, value: Any, info: Any) -> Any:
        return normal_form(info.field_name, value)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in CSL_TYPES:
            raise ValueError(f"unknown CSL type {value!r}")
        return value

    @field_validator("locked", "truncated")
    @classmethod
    def _known_fields(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(set(value) - set(BIBLIOGRAPHIC_FIELDS))
        if unknown:
            raise ValueError(f"unknown field name(s): {', '.join(unknown)}")
        return value

    def __eq__(self, other: object) -> bool:
        """Equal data; how a file happened to write it (``_written``) does not count."""
        if not isinstance(other, Reference):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like every pydantic model

    # -- convenience ---------------------------------------------------------------

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None

    @property
    def first_author_family(self) -> str | None:
        people = self.authors or self.editors
        return people[0].sort_name if people else None

    def identifier_values(self) -> dict[str, str]:
        """The identifiers this reference has, by kind."""
        return {k: v for k in IDENTIFIER_FIELDS if (v := getattr(self, k))}

    def is_empty(self, field: str) -> bool:
        value = getattr(self, field)
        return value is None or value == [] or value == ""

    # -- CSL-JSON ------------------------------------------------------------------

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> Reference:
        """Read one CSL-JSON item; mesorefs' bookkeeping comes back from ``custom``.

        An item of the wrong shape raises InputError naming the variable that is wrong.
        """
        if not isinstance(data, dict):
            raise InputError("a CSL item must be a JSON object")
        try:
            item_shape().model_validate(data)
            return cls._from_csl_shaped(data)
        except ValidationError as error:
            raise InputError(first_problem(error, data)) from None
        except ValueError as error:  # a date part that is no number, an invalid ORCID
            raise InputError(str(error).splitlines()[0] if str(error) else "invalid") from None

    @classmethod
    def _from_csl_shaped(cls, data: dict[str, Any]) -> Reference:
        fields: dict[str, Any] = {}
        if "id" in data and data["id"] not in (None, ""):
            fields["key"] = str(data["id"])
        # a type CSL does not define ("", "thesis-chapter"), or none, reads as a generic
        # document; the item keeps its own word for it (or its lack) in ``csl``
        fields["type"] = data["type"] if data.get("type") in CSL_TYPES else "document"
        for ours, csl in STRING_FIELDS.items():
            value = data.get(csl)
            if value is None and csl.isupper():
                value = data.get(csl.lower())
            if isinstance(value, list):  # ISSN and ISBN may come as lists
                value = value[0] if value else None
            if value not in (None, ""):
                fields[ours] = str(value)
        for ours, csl in (("authors", "author"), ("editors", "editor")):
            if data.get(csl):
                fields[ours] = [p for p in map(_person_or_none, data[csl]) if p is not None]
        if isinstance(data.get("issued"), dict):
            fields["issued"] = _date_or_none(data["issued"])
        custom = dict(data.get("custom") or {})
        if custom.get("arxiv"):
            fields["arxiv"] = custom.pop("arxiv")
        bookkeeping = custom.pop("mesorefs", {}) or {}
        for name in (
            "provenance",
            "locked",
            "truncated",
            "protected",
            "hints",
            "updates",
            "bibtex_type",
        ):
            if name in bookkeeping:
                fields[name] = bookkeeping[name]
        fields["extra"] = {str(k): str(v) for k, v in custom.items()}
        fields["csl"] = _unmodelled_csl(data, fields)
        return cls.model_validate(fields)

    def _restore_csl(self, out: dict[str, Any]) -> None:
        """Put back what ``from_csl`` kept aside: unmodelled variables, and original names
        and dates where they still say what the model says."""
        for name, value in self.csl.items():
            if name in MODELLED_ORIGINALS:
                if _still_current(self, name, value):
                    out[name] = value
                if out.get(name, "") is None:  # a variable the item did not have
                    del out[name]
            elif name not in out:
                out[name] = value

    def to_csl(self) -> dict[str, Any]:
        """One CSL-JSON item; anything CSL has no variable for goes into ``custom``."""
        out: dict[str, Any] = {}
        if self.key:
            out["id"] = self.key
        out["type"] = self.type
        for ours, csl in STRING_FIELDS.items():
            value = getattr(self, ours)
            if value is not None:
                out[csl] = value
        if self.authors:
            out["author"] = [p.to_csl() for p in self.authors]
        if self.editors:
            out["editor"] = [p.to_csl() for p in self.editors]
        if self.issued:
            out["issued"] = self.issued.to_csl()
        self._restore_csl(out)
        custom: dict[str, Any] = dict(self.extra)
        if self.arxiv:
            custom["arxiv"] = self.arxiv
        bookkeeping: dict[str, Any] = {}
        if self.provenance:
            bookkeeping["provenance"] = {
                k: v.model_dump(mode="json", exclude_none=True) for k, v in self.provenance.items()
            }
        for name in ("locked", "truncated", "protected"):
            if getattr(self, name):
                bookkeeping[name] = sorted(getattr(self, name))
        if self.hints:
            bookkeeping["hints"] = dict(self.hints)
        if self.updates:
            bookkeeping["updates"] = [
                u.model_dump(mode="json", exclude_none=True) for u in self.updates
            ]
        if self.bibtex_type:
            bookkeeping["bibtex_type"] = self.bibtex_type
        if bookkeeping:
            custom["mesorefs"] = bookkeeping
        if custom:
            out["custom"] = custom
        return out
