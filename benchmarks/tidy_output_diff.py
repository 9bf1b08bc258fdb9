"""Is tidy's output byte for byte what another version of mesorefs writes?

Tidies every .bib of the shared corpus and of the wider corpus (issue 28) with two
source trees of mesorefs, each in its own process (``PYTHONPATH=<tree>``), and prints
how many files' outputs differ (the output, the output tidied again, or the error).

    python benchmarks/tidy_output_diff.py BEFORE_SRC AFTER_SRC

e.g. ``git archive main src | tar -x -C /tmp/before`` and then
``python benchmarks/tidy_output_diff.py /tmp/before/src src``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from _data import BIB_CORPUS, CORPUS_EXTRA_FETCHED, CORPUS_EXTRA_SHARED

_DIGESTS = """
import hashlib, json, sys
from pathlib import Path
from mesorefs.errors import MesorefsError
from mesorefs.library import tidy_bibtex
from mesorefs.textfile import decode_bibliography
out = {}
for name in sys.argv[1:]:
    data = Path(name).read_bytes()
    try:
        text = decode_bibliography(data)
    except MesorefsError:
        text = data.decode("latin-1")
    try:
        once = tidy_bibtex(text)
        result = once + "\\n--- tidied again ---\\n" + tidy_bibtex(once)
    except MesorefsError as error:
        result = "error: " + str(error)
    out[name] = hashlib.sha256(result.encode("utf-8", "surrogatepass")).hexdigest()
print(json.dumps(out))
"""


def digests(src: Path, files: list[Path]) -> dict[str, str]:
    """sha256 of each file's tidy output (and of that output tidied again) with ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    done = subprocess.run(
        [sys.executable, "-c", _DIGESTS, *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    found: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path, help="a mesorefs source tree (holding mesorefs/)")
    parser.add_argument("after", type=Path, help="another one")
    args = parser.parse_args()
    roots = [BIB_CORPUS]
    roots += [r for r in (CORPUS_EXTRA_SHARED, CORPUS_EXTRA_FETCHED) if r.exists()][:1]
    files = [path for root in roots for path in sorted(root.rglob("*.bib"))]
    before, after = digests(args.before, files), digests(args.after, files)
    differ = [name for name in before if before[name] != after.get(name)]
    print(f"corpora: {', '.join(str(r) for r in roots)}")
    print(f"files: {len(files)}, tidy output differs in {len(differ)}")
    for name in differ:
        print(f"  {name}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
