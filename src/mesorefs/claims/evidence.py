"""Evidence per reference: title, abstract, the user's notes and local full text, as passages.

A passage is a sentence (or, for a title, the whole title) with its position in
the field it came from, so a report can quote it and point back to it.  The
functions take anything shaped like :class:`mesorefs.models.Reference` (see
:class:`ReferenceLike`), so a library, a list or a generator of references all
work.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from mesorefs.claims.document import split_sentences

__all__ = [
    "EvidenceField",
    "Passage",
    "PersonLike",
    "ReferenceLike",
    "file_paths",
    "passages_for",
    "passages_for_all",
    "read_full_text",
    "reference_key",
]

EvidenceField = Literal["title", "abstract", "annote", "note", "fulltext"]
MAX_FULLTEXT_CHARS = 400_000
MAX_FULLTEXT_BYTES = 4 * MAX_FULLTEXT_CHARS
"""Bytes read of a text file: enough for MAX_FULLTEXT_CHARS in any UTF-8; never more."""
MAX_PDF_BYTES = 64 * 1024 * 1024
"""A larger PDF is not read (pypdf would hold all of it)."""
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})
FULLTEXT_SUFFIXES = TEXT_SUFFIXES | {".pdf"}
"""The only kinds of file a ``file`` field is read from."""


class PersonLike(Protocol):
    """What we read of an author: the name a citation uses."""

    @property
    def sort_name(self) -> str: ...


class ReferenceLike(Protocol):
    """The fields of a reference the claim checker reads."""

    @property
    def key(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def abstract(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def annote(self) -> str | None: ...
    @property
    def extra(self) -> Mapping[str, str]: ...
    @property
    def authors(self) -> Sequence[PersonLike]: ...
    @property
    def year(self) -> int | None: ...


@dataclass(frozen=True)
class Passage:
    """A piece of evidence: ``text == source_text[start:end]`` of ``field`` of reference ``key``."""

    key: str
    field: EvidenceField
    text: str
    start: int
    end: int
    index: int
    """Position among the passages of the same field (0-based)."""
    source: str | None = None
    """The file a full-text passage was read from."""


def reference_key(reference: ReferenceLike, position: int) -> str:
    """The reference's key, or ``ref<position+1>`` when it has none."""
    return reference.key or f"ref{position + 1}"


def file_paths(value: str) -> list[str]:
    """Paths in a BibTeX ``file`` field (plain, ``;``-separated, JabRef ``desc:path:type``)."""
    paths: list[str] = []
    for part in re.split(r"(?<!\\);", value):
        part = part.strip()
        if not part:
            continue
        fields = re.split(r"(?<!\\):", part)
        if len(fields) >= 3 and not re.match(r"^[A-Za-z]$", fields[0]):
            part = fields[1]
        elif len(fields) == 3 and re.match(r"^[A-Za-z]$", fields[0]):  # Windows drive
            part = ":".join(fields)
        paths.append(part.replace("\\:", ":").replace("\\;", ";"))
    return paths


def read_full_text(path: Path) -> str | None:
    """The text of a local ``.txt``/``.md``/``.html`` file, or of a PDF when pypdf is installed.

    Returns None when the file is missing, unreadable or of a type we cannot read
    (:data:`FULLTEXT_SUFFIXES`).  At most :data:`MAX_FULLTEXT_BYTES` of a text file are
    read, while reading: a 3 GiB file costs no more memory than a small one.
    """
    try:
        if not path.is_file():
            return None
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            return _read_pdf(path) if path.stat().st_size <= MAX_PDF_BYTES else None
        if suffix in TEXT_SUFFIXES:
            with path.open("rb") as handle:
                text = handle.read(MAX_FULLTEXT_BYTES).decode("utf-8", errors="replace")
            if suffix in (".html", ".htm"):
                from mesorefs.claims.document import parse_document

                doc = parse_document(text, "html")
                text = "\n\n".join(b.text for b in doc.blocks)
            return text[:MAX_FULLTEXT_CHARS]
    except OSError:
        return None
    return None


def _read_pdf(path: Path) -> str | None:
    try:
        pypdf: Any = importlib.import_module("pypdf")
    except ImportError:
        return None
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:  # pypdf raises many kinds of errors on broken files
        return None
    return "\n\n".join(pages)[:MAX_FULLTEXT_CHARS]


def _sentence_passages(
    key: str, field: EvidenceField, text: str, source: str | None = None
) -> list[Passage]:
    out: list[Passage] = []
    for start, end, sentence in split_sentences(text):
        # Very long "sentences" (tables, PDF debris) are cut into windows of about 60 words.
        if len(sentence) > 600:
            for m in re.finditer(r"(?:\S+\s+){1,60}\S*", sentence):
                chunk = m.group(0).strip()
                if chunk:
                    s = start + m.start()
                    out.append(Passage(key, field, chunk, s, s + len(chunk), len(out), source))
            continue
        out.append(Passage(key, field, sentence, start, end, len(out), source))
    return out


def _paragraph_sentences(key: str, text: str, source: str) -> list[Passage]:
    out: list[Passage] = []
    for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        para = m.group(0)
        if len(para.split()) < 4:
            continue
        flat = re.sub(r"\s+", " ", para)
        if len(flat) != len(para):
            # Keep offsets exact: split the paragraph with its original whitespace.
            flat = para.replace("\n", " ").replace("\r", " ").replace("\t", " ")
        for p in _sentence_passages(key, "fulltext", flat, source):
            out.append(
                Passage(
                    key,
                    "fulltext",
                    p.text,
                    p.start + m.start(),
                    p.end + m.start(),
                    len(out),
                    source,
                )
            )
    return out


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    """True when ``path``, symlinks followed, is a document inside one of ``folders``.

    Never a hidden file or a file in a hidden folder below the allowed folder
    (``.ssh/id_rsa``), and only a kind of document we read (:data:`FULLTEXT_SUFFIXES`).
    """
    resolved = path.resolve()
    if resolved.suffix.lower() not in FULLTEXT_SUFFIXES:
        return False
    for folder in folders:
        root = folder.resolve()
        if resolved.is_relative_to(root):
            parts = resolved.relative_to(root).parts
            return not any(part.startswith(".") for part in parts)
    return False


def passages_for(
    reference: ReferenceLike,
    position: int = 0,
    *,
    base_dir: Path | None = None,
    full_text: bool = True,
    full_text_dirs: Sequence[Path] | None = None,
    skipped: list[str] | None = None,
) -> list[Passage]:
    """All passages of one reference: title, abstract sentences, notes and full text.

    Full text is read only from files under ``full_text_dirs`` (default: ``base_dir``, or
    the working folder): a ``file`` field of someone else's .bib must not make a report
    quote ``~/.ssh`` or ``../secrets.txt``.  Files elsewhere are named in ``skipped``.
    """
    key = reference_key(reference, position)
    out: list[Passage] = []
    if reference.title:
        out.append(Passage(key, "title", reference.title, 0, len(reference.title), 0))
    field_name: EvidenceField
    for field_name in ("abstract", "annote", "note"):
        value: str | None = getattr(reference, field_name)
        if value:
            out.extend(_sentence_passages(key, field_name, value))
    file_value = reference.extra.get("file") if full_text else None
    if file_value:
        folders = list(full_text_dirs) if full_text_dirs is not None else [base_dir or Path.cwd()]
        for name in file_paths(file_value):
            path = Path(name).expanduser()
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            if not _inside(path, folders):
                if skipped is not None:
                    skipped.append(
                        f"{key}: {name} is outside the folders full text is read from"
                        " (or hidden, or not a .txt/.md/.html/.pdf document)"
                    )
                continue
            text = read_full_text(path)
            if text:
                out.extend(_paragraph_sentences(key, text, str(path)))
    return out


def passages_for_all(
    references: Iterable[ReferenceLike],
    *,
    base_dir: Path | None = None,
    full_text: bool = True,
    full_text_dirs: Sequence[Path] | None = None,
    skipped: list[str] | None = None,
) -> list[Passage]:
    """The passages of every reference, in library order (see :func:`passages_for`)."""
    out: list[Passage] = []
    for position, reference in enumerate(references):
        out.extend(
            passages_for(
                reference,
                position,
                base_dir=base_dir,
                full_text=full_text,
                full_text_dirs=full_text_dirs,
                skipped=skipped,
            )
        )
    return out
