"""The snapshot's search index (the only module that imports tantivy).

One index per source (``crossref``, ``openalex``), so a search of one source's records
needs no filter.  Each document: the record's key and DOI (exact terms), its search
text (BM25), and its trimmed JSON (stored, not indexed).

A bibliographic search keeps the query's words that pick out few records: words in
more than :data:`COMMON_SHARE` of the records (articles, "journal", a frequent year)
score almost nothing in BM25 and cost the most to scan, and words no record has cost a
lookup for nothing.  Of the rest the :data:`QUERY_WORDS` rarest are asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

from mesorefs.errors import InputError, OutputError
from mesorefs.resolve.similarity import normalize_text

__all__ = ["COMMON_SHARE", "QUERY_WORDS", "Hit", "IndexReader", "build_index", "query_words"]

COMMON_SHARE = 0.05
QUERY_WORDS = 12


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("doi", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=False, index_option="freq")
    builder.add_text_field("keys", stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("raw", stored=True, indexed=False)
    return builder.build()


@dataclass(frozen=True)
class IndexedRecord:
    key: str
    doi: str | None
    text: str
    raw: str
    keys: tuple[str, ...] = ()
    """Exact lookup keys (:mod:`mesorefs.snapshot.keys`)."""


def build_index(folder: Path, records: Iterable[IndexedRecord], *, threads: int = 2) -> int:
    """Write a new index of ``records`` into ``folder`` (new: empty, or holding only the
    marker :func:`~mesorefs.snapshot.layout.make_index_folder` wrote)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        index = tantivy.Index(_schema(), path=str(folder))
        writer = index.writer(heap_size=256_000_000, num_threads=max(1, threads))
    except ValueError as error:  # tantivy's I/O errors (a full disk, permission)
        raise _write_failed(folder, error) from None
    count = 0
    for record in records:
        document = tantivy.Document()
        document.add_text("key", record.key)
        if record.doi:
            document.add_text("doi", record.doi)
        document.add_text("text", record.text)
        for key in record.keys:
            document.add_text("keys", key)
        document.add_bytes("raw", record.raw.encode("utf-8"))
        try:
            writer.add_document(document)
        except ValueError as error:
            raise _write_failed(folder, error) from None
        count += 1
    try:
        writer.commit()
        writer.wait_merging_threads()
    except ValueError as error:
        raise _write_failed(folder, error) from None
    return count


def _write_failed(folder: Path, error: ValueError) -> OutputError:
    """tantivy's failure to write the index (it raises ValueError for an I/O error) as
    the one-line error every failed write is."""
    text = str(error).removeprefix("An IO error occurred: ").strip("'\"")
    return OutputError(f"cannot write the search index: {text}", str(folder))


@dataclass(frozen=True)
class Hit:
    key: str
    raw: str


def query_words(text: str) -> list[str]:
    """The words of a bibliographic query, normalized as the records' text is."""
    words = normalize_text(text).split()
    return [w for w in dict.fromkeys(words) if len(w) > 1 or w.isdigit()]


class IndexReader:
    """Lookups and searches in one source's index."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            self._index = tantivy.Index.open(str(folder))
            self._schema = self._index.schema
            self._searcher = self._index.searcher()
            self.size = self._searcher.num_docs
        except (OSError, ValueError) as exc:  # tantivy's errors (missing, cut, unreadable)
            raise _damaged(folder, exc) from None
        try:
            tantivy.Query.term_query(self._schema, "keys", "")
            self.has_keys = True
        except ValueError:  # an index built before keys were indexed: search only
            self.has_keys = False

    def _hit(self, address: tantivy.DocAddress) -> Hit:
        document = self._searcher.doc(address)
        raw: bytes = document.get_first("raw") or b""
        return Hit(
            str(document.get_first("key")),
            bytes(raw).decode("utf-8"),
        )

    def by_doi(self, doi: str) -> Hit | None:
        query = tantivy.Query.term_query(self._schema, "doi", doi.lower())
        try:
            hits = self._top(query, 1)
            return self._hit(hits[0][1]) if hits else None
        except (OSError, ValueError) as exc:
            raise _damaged(self.folder, exc) from None

    def lookup(self, keys: Sequence[str], rows: int) -> list[Hit]:
        """Up to ``rows`` records holding any of ``keys``, those holding more and rarer
        keys first; none when a key is held by more than ``rows`` records.

        Only the keys some record has are asked for: a string's keys are mostly runs of
        words that are no title, and a term the dictionary lacks costs one lookup (a term
        set query, by contrast, walks the dictionary, ten times the cost).
        """
        if not keys or not self.has_keys:
            return []
        try:
            counts = [(key, self._searcher.doc_freq("keys", key)) for key in keys]
            held = [key for key, count in counts if count]
            if not held or any(count > rows for _, count in counts):
                # A key more records hold than a lookup returns would leave some out, and
                # with them the rivals that make a match ambiguous: search instead.
                return []
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "keys", key))
                    for key in held
                ]
            )
            return [self._hit(address) for _, address in self._top(query, rows)]
        except (OSError, ValueError) as exc:
            raise _damaged(self.folder, exc) from None

    def search(self, text: str, rows: int) -> list[Hit]:
        """The ``rows`` records that best fit a bibliographic string, best first."""
        common = COMMON_SHARE * self.size
        counted = []
        for word in query_words(text):
            frequency = self._searcher.doc_freq("text", word)
            if frequency:
                counted.append((frequency, word))
        counted.sort()
        chosen = [w for f, w in counted if f <= common][:QUERY_WORDS] or [w for _, w in counted[:3]]
        if not chosen:
            return []
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "text", word))
                for word in chosen
            ]
        )
        try:
            return [self._hit(address) for _, address in self._top(query, rows)]
        except (OSError, ValueError) as exc:
            raise _damaged(self.folder, exc) from None

    def _top(self, query: tantivy.Query, rows: int) -> list[tuple[float, tantivy.DocAddress]]:
        """The ``rows`` best hits of ``query``.  Not counting every match (tantivy counts
        by default) lets the top-k collector skip the blocks that cannot enter the top
        (the same hits, a fifth less time on a million records)."""
        hits: list[tuple[float, tantivy.DocAddress]] = self._searcher.search(
            query, rows, count=False
        ).hits
        return hits


def _damaged(folder: Path, exc: Exception) -> InputError:
    """A one-line error for an index that cannot be read (tantivy's own message)."""
    reason = " ".join(str(exc).split())[:200] or type(exc).__name__
    return InputError(f"damaged or unreadable snapshot index ({reason})", str(folder))
