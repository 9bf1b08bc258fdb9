"""Build src/mesorefs/render/data/csl-locales.json.gz from the CSL locale files.

Usage: python scripts/build_csl_locales.py [LOCALES_DIR]

LOCALES_DIR holds the CSL locales repository's ``locales-*.xml`` files; by default the
copy the citeproc-py package installs (``pip install citeproc-py``, the ``bench``
extra).  Each file is kept whole (its ``<info>`` names the translators and the
CC BY-SA 3.0 licence), with only the whitespace between elements dropped; the result is
a JSON object from locale tag to the file's XML, compressed with gzip (mtime 0, so the
same files give the same bytes).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "mesorefs" / "render" / "data" / "csl-locales.json.gz"
CSL_NS = "http://purl.org/net/xbiblio/csl"


def default_dir() -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "locales"


def compact(path: Path) -> str:
    """The locale file's XML without the whitespace between its elements."""
    ElementTree.register_namespace("", CSL_NS)
    root = ElementTree.parse(path).getroot()
    for element in root.iter():
        element.tail = None
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
    return ElementTree.tostring(root, encoding="unicode")


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else default_dir()
    files = {
        p.stem.removeprefix("locales-"): compact(p) for p in sorted(source.glob("locales-*.xml"))
    }
    if not files:
        print(f"no locales-*.xml in {source}", file=sys.stderr)
        return 1
    text = json.dumps(files, ensure_ascii=False, sort_keys=True, indent=0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    size = OUT.stat().st_size
    print(f"{len(files)} locales from {source} -> {OUT.relative_to(ROOT)} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
