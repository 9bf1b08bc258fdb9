"""A local copy of bibliographic metadata to resolve against, for whole archives.

``build_snapshot`` reads Crossref's public data file and OpenAlex's works snapshot into
partitioned Parquet (the records) and a tantivy index per source (DOI lookup and
bibliographic search); ``open_snapshot`` opens one for
:class:`~mesorefs.resolve.resolver.Resolver` (setting ``snapshot_dir``).  Needs the
``scale`` extra (pyarrow, tantivy, fsspec); nothing here is imported by ``mesorefs``
itself.
"""

from __future__ import annotations

from mesorefs.snapshot.build import BuildReport, build_snapshot
from mesorefs.snapshot.catalogue import Snapshot, open_snapshot

__all__ = ["BuildReport", "Snapshot", "build_snapshot", "open_snapshot"]
