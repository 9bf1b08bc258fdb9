"""A built snapshot, opened for the resolver: records by DOI and bibliographic search.

Records come back parsed by the same parsers as the online services' answers
(:func:`mesorefs.resolve.crossref.parse_work`, :func:`mesorefs.resolve.openalex.parse_work`),
so the resolver scores, validates and abstains on them exactly as it does online.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import mesorefs.resolve.crossref as crossref
import mesorefs.resolve.openalex as openalex
from mesorefs.errors import InputError, NotFound
from mesorefs.identifiers import normalize_doi
from mesorefs.models import Reference
from mesorefs.resolve.record_view import RecordView
from mesorefs.snapshot.index import Hit, IndexReader
from mesorefs.snapshot.keys import string_keys
from mesorefs.snapshot.layout import MANIFEST, VERSIONS, parse_manifest
from mesorefs.snapshot.storage import local_copy, open_binary, read_text
from mesorefs.snapshot.store import read_rows

__all__ = ["Snapshot", "open_snapshot"]

KEY_ROWS = 8
"""Records a key lookup gives at most (a key names one work, rarely a few)."""
_PARSERS = {"crossref": crossref.parse_work, "openalex": openalex.parse_work}


class Snapshot:
    """The snapshot at ``location`` (a folder or an fsspec URL).

    A snapshot elsewhere than on a local disk has its indexes copied once into
    ``cache_dir``.
    """

    def __init__(self, location: str, cache_dir: Path) -> None:
        self.location = location
        manifest_path = f"{location.rstrip('/')}/{MANIFEST}"
        try:
            text = read_text(manifest_path)
        except FileNotFoundError:
            raise InputError("not a snapshot (no manifest.json)", location) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"unreadable snapshot manifest: {exc}", manifest_path) from None
        manifest = parse_manifest(text, manifest_path)
        indexes = manifest.indexes
        self.built = manifest.built
        self.records = manifest.records
        self._versions = _versions(f"{location.rstrip('/')}/{VERSIONS}")
        self._readers = {
            source: IndexReader(local_copy(location, folder, cache_dir))
            for source, folder in indexes.items()
        }

    @property
    def sources(self) -> list[str]:
        return sorted(self._readers)

    def work(self, doi: str) -> tuple[Reference, str]:
        """The record of ``doi`` and its source (Crossref's before OpenAlex's)."""
        wanted = normalize_doi(doi)
        for source in ("crossref", "openalex"):
            reader = self._readers.get(source)
            hit = reader.by_doi(wanted) if reader else None
            if hit is not None:
                return self.parse_hit(hit, source), source
        raise NotFound(f"not in the snapshot {self.location}", "snapshot", doi)

    def source_work(self, source: str, doi: str) -> Reference:
        """``source``'s record of ``doi``; NotFound when the snapshot has none."""
        reader = self._readers.get(source)
        hit = reader.by_doi(normalize_doi(doi)) if reader else None
        if hit is None:
            raise NotFound(f"no {source} record in the snapshot", "snapshot", doi)
        return self.parse_hit(hit, source)

    def canonical(self, doi: str) -> str | None:
        """The DOI standing for the work ``doi`` is a version of, when it is another."""
        canonical = self._versions.get(normalize_doi(doi))
        return canonical if canonical != normalize_doi(doi) else None

    def has(self, source: str) -> bool:
        return source in self._readers

    def lookup(self, text: str, rows: int = KEY_ROWS, source: str = "crossref") -> list[Reference]:
        """``source``'s records holding a key the string could match (:mod:`.keys`): none
        when the index has no keys."""
        return [self.parse_hit(hit, source) for hit in self.lookup_hits(text, rows, source)]

    def lookup_hits(self, text: str, rows: int = KEY_ROWS, source: str = "crossref") -> list[Hit]:
        """The index's records for the string's keys, unparsed (the lookup alone)."""
        reader = self._readers.get(source)
        if reader is None or not reader.has_keys:
            return []
        return reader.lookup(string_keys(text), rows)

    def search(self, text: str, rows: int = 5, source: str = "crossref") -> list[Reference]:
        """``source``'s records that best fit a bibliographic string, best first."""
        return [self.parse_hit(hit, source) for hit in self.search_hits(text, rows, source)]

    def search_hits(self, text: str, rows: int = 5, source: str = "crossref") -> list[Hit]:
        """The index's hits for a bibliographic string, unparsed (the search alone)."""
        reader = self._readers.get(source)
        return reader.search(text, rows) if reader is not None else []

    def parse_hit(self, hit: Hit, source: str = "crossref") -> Reference:
        """A hit's record parsed by its service's parser."""
        return _PARSERS[source](json.loads(hit.raw))

    def view_hit(self, hit: Hit) -> RecordView:
        """A Crossref hit's fields that matching reads (a Reference's values, unbuilt)."""
        return crossref.parse_view(json.loads(hit.raw))


def _versions(location: str) -> dict[str, str]:
    """DOI -> canonical DOI of every work the snapshot knows in several versions."""
    try:
        with open_binary(location) as handle:
            return {str(r["doi"]): str(r["canonical"]) for r in read_rows(handle)}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's errors are ValueErrors
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(f"damaged snapshot file ({reason})", location) from None


@lru_cache(maxsize=4)
def open_snapshot(location: str, cache_dir: Path) -> Snapshot:
    """The snapshot at ``location``, opened once per process (workers reuse it)."""
    return Snapshot(location, cache_dir)
