"""BibTeX/BibLaTeX fields (LaTeX strings) <-> ``Reference`` (Unicode). Pure.

Reading accepts both dialects; writing gives classic BibTeX that BibLaTeX
also reads.  Fields we do not model are kept verbatim in ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mesorefs.bibtex.csl_fields import csl_from_fields, fields_from_csl, iso_date
from mesorefs.bibtex.fields import TEXT_FIELDS as _TEXT_FIELDS
from mesorefs.bibtex.latex import (
    latex_to_unicode,
    mask_plain,
    read_recurring,
    unicode_to_latex,
    unmask_plain,
    write_recurring,
)
from mesorefs.bibtex.lossless import written_fields
from mesorefs.bibtex.names import format_names, parse_names
from mesorefs.bibtex.refusals import PROBLEM_FIELDS, entry_problem
from mesorefs.bibtex.titles import format_title, protected_phrases
from mesorefs.models import BIBLIOGRAPHIC_FIELDS, PartialDate, Person, Reference
from mesorefs.months import ABBREVIATIONS, MONTH_NUMBERS

__all__ = [
    "MONTH_MACROS",
    "PROBLEM_FIELDS",
    "entry_problem",
    "entry_to_reference",
    "reference_to_fields",
]

MONTH_MACROS = ABBREVIATIONS
_MONTH_NAMES = MONTH_NUMBERS

# BibTeX entry type -> CSL type.
_TYPE_TO_CSL = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "booklet": "pamphlet",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "misc": "document",
}
# CSL type -> the BibTeX entry type we write.
_CSL_TO_TYPE = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    "webpage": "online",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
}

_VERBATIM_FIELDS = {"doi", "url", "pmid", "pmcid", "isbn", "issn", "eprint"}
_TRUNCATED_FIELD = "mesorefs-truncated"
_LOCKED_FIELD = "mesorefs-locked"
_HANDLED = (
    set(_TEXT_FIELDS)
    | _VERBATIM_FIELDS
    | {"author", "editor", "title", "booktitle", "year", "month", "date", "number", "type"}
    | {"school", "institution", "organization", "archiveprefix", "eprinttype", "primaryclass"}
    | {_TRUNCATED_FIELD, _LOCKED_FIELD}
)
# (?!(?<=\s)\s): a match starts only at the first blank of a run (the same matches; tried
# from every blank of a long run, the search took time quadratic in its length)
_ELLIPSIS = re.compile(r"(?!(?<=\s)\s)\s*(?:…|\.\.\.|\\ldots(?:\{\})?|\\dots(?:\{\})?)\s*$")


def _month_number(value: str) -> int | None:
    text = latex_to_unicode(value).strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTH_NAMES.get(text) or _MONTH_NAMES.get(text[:3])


def _issued(fields: Mapping[str, str]) -> tuple[PartialDate | None, dict[str, str]]:
    """The date from ``date`` or ``year``/``month``; what cannot be read stays in extra."""
    leftovers: dict[str, str] = {}
    date = fields.get("date", "").strip()
    if date:
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:/.*)?", date)
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            assert year is not None
            try:
                return PartialDate(year=year, month=month, day=day), leftovers
            except ValueError:
                pass
        leftovers["date"] = date
    year_text = fields.get("year", "").strip()
    month_text = fields.get("month", "").strip()
    match = re.fullmatch(r"\{?(-?\d{1,4})\}?", year_text)
    if not match:
        if year_text:
            leftovers["year"] = year_text
        if month_text:
            leftovers["month"] = month_text
        return None, leftovers
    month = _month_number(month_text) if month_text else None
    if month_text and month is None:
        leftovers["month"] = month_text
    return PartialDate(year=int(match.group(1)), month=month), leftovers


def _strip_ellipsis(value: str) -> str:
    return _ELLIPSIS.sub("", value)


def _field_list(value: str) -> frozenset[str]:
    names = {n.strip() for n in value.split(",") if n.strip()}
    return frozenset(n for n in names if n in BIBLIOGRAPHIC_FIELDS)


def entry_to_reference(entry_type: str, key: str, fields: Mapping[str, str]) -> Reference:
    """One entry's raw field values (LaTeX, enclosing removed) -> Reference."""
    entry_type = entry_type.lower()
    fields = {k.lower(): v for k, v in fields.items()}
    csl_type = _TYPE_TO_CSL.get(entry_type, "document")
    data: dict[str, object] = {"key": key or None, "type": csl_type}
    if _CSL_TO_TYPE.get(csl_type, "misc") != entry_type:
        data["bibtex_type"] = entry_type
    truncated = _field_list(fields.get(_TRUNCATED_FIELD, ""))
    if truncated:
        data["truncated"] = truncated
    locked = _field_list(fields.get(_LOCKED_FIELD, ""))
    if locked:
        data["locked"] = locked

    for bib_name, ours in _TEXT_FIELDS.items():
        if bib_name in fields and ours not in data:
            value = fields[bib_name]
            data[ours] = read_recurring(value) if len(value) < 200 else latex_to_unicode(value)
    if "title" in fields:
        data["title"] = read_recurring(fields["title"])  # the writer reads it again
        protected = protected_phrases(fields["title"])
        if protected:
            data["protected"] = protected
    howpublished = fields.get("howpublished", "")
    if entry_type == "misc" and howpublished and "\\url" not in howpublished:
        data.setdefault("container_title", latex_to_unicode(howpublished))
        fields = {k: v for k, v in fields.items() if k != "howpublished"}
    if "booktitle" in fields:
        target = "container_title" if "container_title" not in data else "collection_title"
        data[target] = latex_to_unicode(fields["booktitle"])
    for name in ("author", "editor"):
        if name in fields:
            people = parse_names(fields[name])
            if people and people[-1].family == "others" and not people[-1].given:
                # BibTeX's "and others" says the list goes on: a truncated list.
                people = people[:-1]
                truncated = truncated | {name + "s"}
                data["truncated"] = truncated
            data[name + "s"] = people
    if "number" in fields:
        number = latex_to_unicode(fields["number"])
        data["issue" if csl_type in ("article-journal",) and "issue" not in data else "number"] = (
            number
        )
    issuer = fields.get("school") or fields.get("institution") or fields.get("organization")
    if issuer and "publisher" not in data:
        data["publisher"] = latex_to_unicode(issuer)
    if "type" in fields:
        data["genre"] = latex_to_unicode(fields["type"])

    for name in ("doi", "url", "pmid", "pmcid", "isbn", "issn"):
        if name in fields:
            data[name] = fields[name].strip()
    if "eprint" in fields:
        prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
        if prefix in ("arxiv", ""):
            data["arxiv"] = fields["eprint"].strip()

    issued, date_leftovers = _issued(fields)
    if issued:
        data["issued"] = issued
    for name in truncated:
        cut = data.get(name)
        if isinstance(cut, str):
            data[name] = _strip_ellipsis(cut)
    extra = {k: v for k, v in fields.items() if k not in _HANDLED}
    for name in ("school", "institution", "organization", "archiveprefix", "eprinttype"):
        # Keep what we read but did not use, so nothing is lost.
        if name in fields and not (
            (name in ("school", "institution", "organization") and fields[name] == issuer)
            or (name in ("archiveprefix", "eprinttype") and "arxiv" in data)
        ):
            extra[name] = fields[name]
    if "primaryclass" in fields:
        extra["primaryclass"] = fields["primaryclass"]
    if "eprint" in fields and "arxiv" not in data:
        extra["eprint"] = fields["eprint"]
    extra.update(date_leftovers)
    if extra:
        data["extra"] = extra
    csl = csl_from_fields(fields)  # translator, urldate, ...: for the styles (csl_fields.py)
    if csl:
        data["csl"] = csl
    return Reference.model_validate(data)


_SIMPLE_RANGE = re.compile(r"[A-Za-z]?\d+[A-Za-z]?-[A-Za-z]?\d+[A-Za-z]?")


def _range_with_en_dash(pages: str) -> str:
    """``1420-1424`` -> ``1420–1424``, which LaTeX-encodes as ``1420--1424``."""
    return pages.replace("-", "–") if _SIMPLE_RANGE.fullmatch(pages) else pages


def _range_start(date: dict[str, object]) -> PartialDate | None:
    try:
        return PartialDate.from_csl(date)
    except ValueError:  # a season (month 21) or another part the model cannot hold
        return None


def _publisher_field(ref: Reference, entry_type: str) -> str:
    if entry_type in ("phdthesis", "mastersthesis", "thesis"):
        return "school"
    if entry_type in ("techreport", "report"):
        return "institution"
    return "publisher"


def reference_to_fields(
    ref: Reference, ascii_only: bool = True
) -> tuple[str, list[tuple[str, str, bool]]]:
    """The entry type and ``(field, LaTeX value, braced)`` triples.

    A reference read from a .bib is written from the entry as written (see
    ``bibtex/lossless.py``); any other in a fixed order from its data.
    """
    if ref._written is not None:
        return written_fields(ref, ref._written, lambda: _model_fields(ref, ascii_only), ascii_only)
    return _model_fields(ref, ascii_only)


def _masked_person(person: Person) -> Person:
    parts = ("family", "given", "particle", "suffix", "literal")
    return person.model_copy(
        update={p: mask_plain(v) for p in parts if isinstance(v := getattr(person, p), str)}
    )


def _masked_csl(value: object) -> object:
    if isinstance(value, str):
        return mask_plain(value)
    if isinstance(value, list):
        return [_masked_csl(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked_csl(v) for k, v in value.items()}
    return value


def _plain_masked(ref: Reference) -> Reference:
    """``ref`` with the backslashes and dollars of its plain-text fields masked.

    Plain text (a service's record, CSL-JSON, RIS: ``Reference.plain_text_fields``) is
    written as text: ``_model_fields`` unmasks each value into ``{\\textbackslash}`` and
    ``\\$``, so no command in it is ever live LaTeX.  Identifiers are not text.
    """
    plain = ref.plain_text_fields()
    update: dict[str, object] = {}
    for name in plain:
        value = getattr(ref, name, None)
        if name in _VERBATIM_IDENTIFIERS:
            continue
        if isinstance(value, str):
            update[name] = mask_plain(value)
        elif isinstance(value, list) and value and isinstance(value[0], Person):
            update[name] = [_masked_person(p) for p in value]
    if ref._plain_text and ref.csl:
        update["csl"] = _masked_csl(ref.csl)
    if ref._plain_text and ref.extra:  # CSL-JSON ``custom`` values: text, not LaTeX
        update["extra"] = {name: mask_plain(value) for name, value in ref.extra.items()}
    return ref.model_copy(update=update) if update else ref


_VERBATIM_IDENTIFIERS = frozenset({"doi", "url", "pmid", "pmcid", "isbn", "issn", "arxiv"})


def _model_fields(ref: Reference, ascii_only: bool) -> tuple[str, list[tuple[str, str, bool]]]:
    masked = _plain_masked(ref)
    if masked is ref:
        return _model_fields_of(ref, ascii_only)
    entry_type, fields = _model_fields_of(masked, ascii_only)
    return entry_type, [(name, unmask_plain(value), braced) for name, value, braced in fields]


def _model_fields_of(ref: Reference, ascii_only: bool) -> tuple[str, list[tuple[str, str, bool]]]:
    entry_type = ref.bibtex_type or _CSL_TO_TYPE.get(ref.type, "misc")

    def text(value: str) -> str:
        if len(value) < 200:
            return write_recurring(value, ascii_only=ascii_only)
        return unicode_to_latex(value, ascii_only=ascii_only)

    def maybe_truncated(name: str, value: str) -> str:
        return value + r"\ldots{}" if name in ref.truncated else value

    out: list[tuple[str, str, bool]] = []

    def add(name: str, value: str | None, braced: bool = True) -> None:
        if value:
            out.append((name, value, braced))

    for field, people in (("author", ref.authors), ("editor", ref.editors)):
        if people:
            others = " and others" if field + "s" in ref.truncated else ""
            add(field, format_names(people, ascii_only) + others)
    if ref.title:
        add("title", maybe_truncated("title", format_title(ref.title, ref.protected, ascii_only)))
    container = ref.container_title
    if container:
        field = "journal" if entry_type == "article" else "booktitle"
        if entry_type == "misc":
            field = "howpublished"
        add(field, maybe_truncated("container_title", text(container)))
    if ref.container_title_short:
        add("shortjournal", text(ref.container_title_short))
    add("series", text(ref.collection_title) if ref.collection_title else None)
    if ref.issued:
        add("year", str(ref.issued.year))
        if ref.issued.month:
            add("month", MONTH_MACROS[ref.issued.month - 1], braced=False)
    add("volume", text(ref.volume) if ref.volume else None)
    if ref.type == "article-journal":
        add("number", text(ref.issue or ref.number or "") or None)
    else:
        add("number", text(ref.number) if ref.number else None)
        add("issue", text(ref.issue) if ref.issue else None)
    add("pages", text(_range_with_en_dash(ref.pages)) if ref.pages else None)
    add("edition", text(ref.edition) if ref.edition else None)
    add(_publisher_field(ref, entry_type), text(ref.publisher) if ref.publisher else None)
    add("address", text(ref.publisher_place) if ref.publisher_place else None)
    add("eventtitle", text(ref.event_title) if ref.event_title else None)
    add("type", text(ref.genre) if ref.genre else None)
    add("doi", ref.doi)
    add("pmid", ref.pmid)
    add("pmcid", ref.pmcid)
    if ref.arxiv:
        add("eprint", ref.arxiv)
        add("archiveprefix", "arXiv")
    add("isbn", ref.isbn)
    add("issn", ref.issn)
    add("url", ref.url)
    add("language", text(ref.language) if ref.language else None)
    add("abstract", text(ref.abstract) if ref.abstract else None)
    add("note", text(ref.note) if ref.note else None)
    add("annote", text(ref.annote) if ref.annote else None)
    issued = ref.csl.get("issued")
    range_parts = issued.get("date-parts") if isinstance(issued, dict) else None
    # a range the model holds the start of: BibLaTeX's date says it whole, while the
    # model's date is still its start
    if isinstance(issued, dict) and isinstance(range_parts, list) and len(range_parts) == 2:
        add("date", iso_date(issued) if _range_start(issued) == ref.issued else None)
    for name, value in fields_from_csl(ref.csl, text, ascii_only):
        if name not in ref.extra:  # read from a .bib: written from extra, verbatim
            add(name, value)
    written = {name for name, _, _ in out}
    for name, value in ref.extra.items():
        if name not in written:  # verbatim LaTeX from a .bib; text from CSL-JSON
            out.append((name, text(value) if ref._plain_text else value, True))
    # "and others" already says a name list is cut off; the marker covers the rest.
    marked = sorted(ref.truncated - {"authors", "editors"})
    if marked:
        out.append((_TRUNCATED_FIELD, ", ".join(marked), True))
    if ref.locked:
        out.append((_LOCKED_FIELD, ", ".join(sorted(ref.locked)), True))
    return entry_type, out
