"""Regenerate the golden files under tests/render/data (run by hand, then READ the diff).

    python tests/render/make_golden.py            # seed references -> data/seed-references.json
                                                  # + one golden file per style
    python tests/render/make_golden.py --check-js # also show where citeproc-js differs

The seed references are built from shared/seed/references-facts.json: only
verified values, nulls left out.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
from _data import SHARED  # noqa: E402  (where shared/ is, MESOREFS_SHARED honoured)

FACTS = SHARED / "seed" / "references-facts.json"
STYLES = (
    "apa",
    "american-medical-association",
    "vancouver",
    "chicago-author-date",
    "ieee",
    "nature",
    "harvard-cite-them-right",
    "modern-language-association",
)
# citeproc-js wraps each HTML entry in a division of its own
_CSL_ENTRY = re.compile(r'^<div class="csl-entry">|</div>$')
_MONTHS = "january february march april may june july august september october november december"


def _month(value: str | None) -> int | None:
    """A single month named at the start of the value ("April (15 April ...)"); ranges -> None."""
    if not value:
        return None
    match = re.match(r"^([A-Za-z]+)\b(?!\s*-)", value)
    if not match or match.group(1).lower() not in _MONTHS.split():
        return None
    return _MONTHS.split().index(match.group(1).lower()) + 1


def seed_items() -> list[dict[str, Any]]:
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    items = []
    for fact in facts:
        item: dict[str, Any] = {"id": fact["key_suggestion"], "type": "article-journal"}
        item["title"] = fact["title"]
        item["author"] = [
            {"family": a["family"], "given": a["given"]}
            if a.get("given")
            else {"literal": a["family"]}
            for a in fact["authors"]
        ]
        date = [fact["year"]]
        if (month := _month(fact.get("month"))) is not None:
            date.append(month)
        item["issued"] = {"date-parts": [date]}
        for ours, csl in (
            ("journal", "container-title"),
            ("journal_abbrev", "container-title-short"),
            ("volume", "volume"),
            ("issue", "issue"),
            ("pages", "page"),
            ("doi", "DOI"),
            ("pmid", "PMID"),
            ("pmcid", "PMCID"),
        ):
            if fact.get(ours) is not None:
                item[csl] = str(fact[ours])
        items.append(item)
    return items


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check-js", action="store_true")
    args = parser.parse_args()
    from mesorefs.models import Reference
    from mesorefs.render import format_document

    items = seed_items()
    (DATA / "seed-references.json").write_text(
        json.dumps(items, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    refs = [Reference.from_csl(item) for item in items]
    for style in STYLES:
        doc = format_document([[ref] for ref in refs], style=style)
        html_doc = format_document([[ref] for ref in refs], style=style, output="html")
        golden = {
            "style": style,
            "citations": dict(zip([r.key for r in refs], doc.citations, strict=True)),
            "bibliography": doc.bibliography,
            "bibliography_html": html_doc.bibliography,
        }
        if args.check_js:
            import csl_bench

            js = csl_bench.citeproc_js([r.to_csl() for r in refs], style)
            pairs = list(zip(doc.bibliography, js["bibliography"], strict=True))
            pairs += list(zip(doc.citations, js["citations"], strict=True))
            js_html = csl_bench.citeproc_js([r.to_csl() for r in refs], style, fmt="html")
            pairs += [
                (html.unescape(ours), html.unescape(_CSL_ENTRY.sub("", theirs)))
                for ours, theirs in zip(html_doc.bibliography, js_html["bibliography"], strict=True)
            ]
            golden["differs_from_citeproc_js"] = [
                {"ours": ours, "citeproc_js": theirs}
                for ours, theirs in pairs
                if csl_bench.normalise(ours) != csl_bench.normalise(theirs)
            ]
        path = DATA / f"golden-{style}.json"
        path.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
