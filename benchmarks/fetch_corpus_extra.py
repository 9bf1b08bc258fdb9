"""Fetch the wider bib corpus (issue 28) listed in ``benchmarks/corpus-extra/files.tsv``.

The files are real bibliographies from public repositories (see
``benchmarks/corpus-extra/PROVENANCE.md``). They are not kept in this repository: this
script downloads each one at its pinned commit, checks its size and SHA-256 against the
list, and writes it under ``benchmarks/out/corpus-extra/`` (ignored by git), where
``corpus_bench.py --set extra`` finds it.  A file already there with the right hash is
not fetched again; a file that fails its check is not written, and is named.

    python benchmarks/fetch_corpus_extra.py [--dest DIR] [--list]

Needs the network (the only benchmark that does); nothing else does.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from _data import BENCHMARKS, CORPUS_EXTRA_FETCHED

LIST = BENCHMARKS / "corpus-extra" / "files.tsv"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


@dataclass(frozen=True)
class Source:
    name: str
    repo: str
    commit: str
    path: str
    licence: str
    sha256: str
    size: int

    @property
    def url(self) -> str:
        return RAW.format(repo=self.repo, commit=self.commit, path=urllib.parse.quote(self.path))


def sources(listing: Path = LIST) -> list[Source]:
    out = []
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 7:
            raise SystemExit(f"{listing}:{number}: expected 7 tab-separated cells")
        name, repo, commit, path, licence, sha, size = cells
        out.append(Source(name, repo, commit, path, licence, sha, int(size)))
    return out


def fine(data: bytes, source: Source) -> bool:
    return len(data) == source.size and hashlib.sha256(data).hexdigest() == source.sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dest", type=Path, default=CORPUS_EXTRA_FETCHED)
    parser.add_argument("--list", action="store_true", help="print the sources and stop")
    args = parser.parse_args()
    listed = sources()
    if args.list:
        for source in listed:
            print(f"{source.name}\t{source.licence}\t{source.url}")
        return
    failed = []
    fetched = kept = 0
    for source in listed:
        target = args.dest / source.name
        if target.exists() and fine(target.read_bytes(), source):
            kept += 1
            continue
        try:
            with urllib.request.urlopen(source.url, timeout=60) as response:
                data = response.read()
        except OSError as error:
            failed.append(f"{source.name}: {error}")
            continue
        if not fine(data, source):
            failed.append(f"{source.name}: {len(data)} bytes, not the listed size and hash")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        fetched += 1
    print(f"{fetched} fetched, {kept} already there, {len(failed)} failed, in {args.dest}")
    for line in failed:
        print(f"  failed {line}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
