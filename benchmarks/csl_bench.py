"""Agreement of mesorefs' CSL rendering with citeproc-js, beside citeproc-py, and speed.

Builds a corpus of journal articles (from the Crossref-derived gold in
``shared/data/refparse/derived``) plus generated books, chapters, theses,
preprints, data sets, reports, conference papers and web pages whose names
stress the engines (particles, suffixes, organisations, long author lists,
non-ASCII).  Each style renders the corpus with mesorefs and with citeproc-js
(the engine behind Zotero, run with node from ``benchmarks/csl``), and the
script prints, per style, the share of bibliography entries that agree exactly
after whitespace normalisation *and* stand at the same place in the sorted
bibliography ("in place", the figure the 99 % target is about), the share that
agree wherever they stand ("anywhere"), and the share of in-text citations that
agree.  citeproc-py (``pip install -e '.[bench]'``) renders the same items as a
second peer and is scored against citeproc-js the same way.

Speed: ``--entries`` entries in apa and ieee, bibliography only, by the three
engines, interleaved (mesorefs, citeproc-py, citeproc-js, ...) for ``--rounds``
rounds; CPU time of this process and its children (pandoc, node), median, load.
Cold: each engine's one run in a fresh interpreter, median of ``--cold-rounds``.
citeproc-js's figure includes starting node and parsing the style (as mesorefs'
includes starting pandoc).

    (cd benchmarks/csl && npm install)
    python benchmarks/csl_bench.py                  # all styles, 500 articles
    python benchmarks/csl_bench.py --styles apa --show 5 --no-speed

Figures, dates and load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from _citeproc_js import citeproc_js
from _data import DERIVED
from _timing import cold_cpu, cpu, interleaved, load
from mesorefs.models import PartialDate, Person, Reference

HERE = Path(__file__).resolve().parent
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

# -- corpus --------------------------------------------------------------------------------


def _person(family: str, given: str | None = None) -> Person:
    return Person(family=family, given=given)


def journal_articles(n: int, path: Path = DERIVED, seed: int = 7) -> list[Reference]:
    """``n`` journal articles from the derived Crossref gold, chosen with a fixed seed."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records = [r for r in records if r.get("title") and r.get("container")]
    chosen = random.Random(seed).sample(records, n)
    refs = []
    for rec in chosen:
        authors = [
            Person(family=a["family"], given=a.get("given") or None)
            for a in rec.get("authors") or []
            if a.get("family")
        ]
        year = rec.get("year")
        refs.append(
            Reference(
                key=f"a{rec['idx']}",
                type="article-journal",
                title=rec["title"],
                authors=authors,
                container_title=rec["container"],
                issued=PartialDate(year=int(year)) if year and str(year).isdigit() else None,
                volume=rec.get("volume"),
                issue=rec.get("issue"),
                pages=rec.get("pages"),
                doi=rec.get("doi"),
            )
        )
    return refs


# Name pools for the generated items: what real bibliographies throw at an engine.
_PEOPLE: list[dict[str, str]] = [
    {"family": "Berg", "given": "Anna", "particle": "van den"},
    {"family": "Cruz", "given": "María José", "particle": "de la"},
    {"family": "Neumann", "given": "John", "particle": "von"},
    {"family": "Gaulle", "given": "Charles", "particle": "de"},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    {"family": "Gates", "given": "Henry Louis", "suffix": "Jr."},
    {"family": "Tolkien", "given": "J. R. R."},
    {"family": "Sartre", "given": "Jean-Paul"},
    {"family": "Müller", "given": "Jürgen"},
    {"family": "Ångström", "given": "Anders Jonas"},
    {"family": "Østergaard", "given": "Søren"},
    {"family": "Çelik", "given": "Ayşe"},
    {"family": "Nguyen", "given": "Thi Minh"},
    {"family": "O'Brien", "given": "Siobhán"},
    {"family": "Smith-Jones", "given": "Catherine"},
    {"family": "Okonkwo", "given": "Chinedu"},
    {"family": "Kowalczyk", "given": "Łukasz"},
    {"family": "Dvořák", "given": "Antonín"},
    {"family": "García Márquez", "given": "Gabriel"},
    {"family": "Smith", "given": "John"},
    {"family": "Smith", "given": "Jane"},
    {"family": "Lee", "given": "Min-jun"},
    {"family": "Rohrich", "given": "Rod J."},
    {"family": "Patel", "given": "R."},
]
_ORGS = [
    "World Health Organization",
    "Plastic Surgery Educational Foundation DATA Committee",
    "Cochrane Collaboration",
    "National Institute for Health and Care Excellence",
    "OECD",
    "R Core Team",
]
_TITLES = [
    "The structure of scientific revolutions",
    "On the electrodynamics of moving bodies",
    "A theory of justice",
    "Mesotherapy for body contouring: a systematic review",
    "Deep learning for reference parsing",
    "Language, truth and logic",
    "Climate change 2021: the physical science basis",
    "Why most published research findings are false",
    "Guidelines for the management of obesity in adults",
    "Phosphatidylcholine injections and lipolysis: evidence from a randomized trial",
    "Citation practices in the humanities",
    "Global patterns of species richness",
]
_PUBLISHERS = [
    ("Oxford University Press", "Oxford"),
    ("Springer", "Cham"),
    ("MIT Press", "Cambridge, MA"),
    ("Wiley-Blackwell", "Hoboken, NJ"),
    ("Éditions Gallimard", "Paris"),
    ("Routledge", None),
]
_DATASET_PUBLISHERS = ["Zenodo", "Dryad", "Figshare", "UK Data Service"]
_SITES = ["BBC News", "Wikipedia", "The Conversation", "GOV.UK"]


def _names(rng: random.Random) -> list[Person]:
    shape = rng.random()
    if shape < 0.12:
        return [Person(literal=rng.choice(_ORGS))]
    many = shape < 0.2
    count = rng.choice([8, 12, 21, 30] if many else [1, 1, 2, 2, 3, 4, 5, 6])
    people = rng.sample(_PEOPLE, min(count, len(_PEOPLE)))
    while len(people) < count:  # long lists repeat surnames with other initials
        base = rng.choice(_PEOPLE)
        people.append({"family": base["family"], "given": rng.choice("ABCDEFGHKLMNPRST") + "."})
    persons = [Person(**p) for p in people]
    if rng.random() < 0.1:
        persons.append(Person(literal=rng.choice(_ORGS)))
    return persons


def _date(rng: random.Random) -> PartialDate | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    year = rng.randint(1950, 2025)
    if roll < 0.6:
        return PartialDate(year=year)
    if roll < 0.8:
        return PartialDate(year=year, month=rng.randint(1, 12))
    return PartialDate(year=year, month=rng.randint(1, 12), day=rng.randint(1, 28))


def generated_items(n: int, seed: int = 11) -> list[Reference]:
    """``n`` non-article items of varied types with hard names."""
    rng = random.Random(seed)
    kinds = [
        "book",
        "chapter",
        "thesis",
        "preprint",
        "dataset",
        "webpage",
        "report",
        "paper-conference",
        "edited-book",
    ]
    refs: list[Reference] = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        title = rng.choice(_TITLES)
        if rng.random() < 0.3:
            title = f"{title}: {rng.choice(_TITLES).lower()}"
        publisher, place = rng.choice(_PUBLISHERS)
        common: dict[str, Any] = {"key": f"g{i}", "title": title, "issued": _date(rng)}
        if kind == "book":
            ref = Reference(
                type="book",
                authors=_names(rng),
                publisher=publisher,
                publisher_place=place,
                edition=rng.choice([None, None, "2", "3"]),
                **common,
            )
        elif kind == "edited-book":
            ref = Reference(
                type="book",
                editors=_names(rng),
                publisher=publisher,
                publisher_place=place,
                **common,
            )
        elif kind == "chapter":
            ref = Reference(
                type="chapter",
                authors=_names(rng),
                editors=_names(rng)[:3],
                container_title=rng.choice(_TITLES).title(),
                publisher=publisher,
                publisher_place=place,
                pages=f"{(p := rng.randint(1, 300))}-{p + rng.randint(5, 40)}",
                **common,
            )
        elif kind == "thesis":
            ref = Reference(
                type="thesis",
                authors=_names(rng)[:1],
                genre=rng.choice(["PhD thesis", "Master's thesis", "Doctoral dissertation"]),
                publisher=rng.choice(
                    ["University of Oxford", "ETH Zürich", "Universidad de Buenos Aires"]
                ),
                **common,
            )
        elif kind == "preprint":
            ident = f"{rng.randint(1501, 2412)}.{rng.randint(10000, 99999)}"
            ref = Reference(
                type="article",
                authors=_names(rng),
                publisher="arXiv",
                number=f"arXiv:{ident}",
                doi=f"10.48550/arXiv.{ident}",
                **common,
            )
        elif kind == "dataset":
            ref = Reference(
                type="dataset",
                authors=_names(rng),
                publisher=rng.choice(_DATASET_PUBLISHERS),
                doi=f"10.5281/zenodo.{rng.randint(100000, 9999999)}",
                **common,
            )
        elif kind == "webpage":
            ref = Reference(
                type="webpage",
                authors=_names(rng) if rng.random() < 0.6 else [],
                container_title=rng.choice(_SITES),
                url=f"https://example.org/{i}/{title[:20].replace(' ', '-').lower()}",
                **common,
            )
        elif kind == "report":
            ref = Reference(
                type="report",
                authors=[Person(literal=rng.choice(_ORGS))],
                publisher=rng.choice(_ORGS),
                number=str(rng.randint(1, 99)),
                publisher_place=place,
                **common,
            )
        else:
            ref = Reference(
                type="paper-conference",
                authors=_names(rng),
                container_title=f"Proceedings of the {rng.randint(1, 40)}th "
                "International Conference on Learning",
                publisher=publisher,
                publisher_place=place,
                pages=f"{(p := rng.randint(1, 900))}-{p + rng.randint(3, 12)}",
                **common,
            )
        refs.append(ref)
    return refs


def corpus(n_articles: int = 500, n_generated: int = 180) -> list[Reference]:
    """The benchmark corpus: journal articles, then the generated items."""
    return journal_articles(n_articles) + generated_items(n_generated)


# -- the two engines ------------------------------------------------------------------------


def citeproc_py(
    items: list[dict[str, Any]], style: str, citations: bool = True
) -> dict[str, list[str]]:
    """Bibliography and one citation per item (in item order) from citeproc-py, plain text."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from mesorefs.render.styles import find_style

    csl = CitationStylesStyle(io.BytesIO(find_style(style).xml.encode("utf-8")), validate=False)
    bib = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.plain)
    cited = [Citation([CitationItem(str(item["id"]))]) for item in items]
    for citation in cited:
        bib.register(citation)
    cites = [str(bib.cite(c, lambda _: None)) for c in cited] if citations else []
    return {"bibliography": [str(e) for e in bib.bibliography()], "citations": cites}


def csl_items(refs: list[Reference]) -> list[dict[str, Any]]:
    items = []
    for ref in refs:
        item = ref.to_csl()
        item.pop("custom", None)
        items.append(item)
    return items


def normalise(text: str) -> str:
    """Whitespace collapsed, Unicode composed: the comparison the agreement rate uses."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def agreement(ours: Sequence[str], theirs: Sequence[str]) -> int:
    """How many of our entries citeproc-js also produced (as a multiset, order aside)."""
    pool: dict[str, int] = {}
    for entry in map(normalise, theirs):
        pool[entry] = pool.get(entry, 0) + 1
    hits = 0
    for entry in map(normalise, ours):
        if pool.get(entry):
            pool[entry] -= 1
            hits += 1
    return hits


def in_place(ours: Sequence[str], theirs: Sequence[str]) -> int:
    """How many of our entries equal citeproc-js's entry at the same place in the list."""
    return sum(normalise(a) == normalise(b) for a, b in zip(ours, theirs, strict=False))


def _cites(ours: Sequence[str], theirs: Sequence[str]) -> int:
    return sum(normalise(a) == normalise(b) for a, b in zip(ours, theirs, strict=False))


def _pairs(ours: Sequence[str], theirs: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Our entries citeproc-js did not produce, each with its closest citeproc-js entry."""
    import difflib

    theirs_n = [normalise(t) for t in theirs]
    known = set(theirs_n)
    for entry in map(normalise, ours):
        if entry not in known:
            close = difflib.get_close_matches(entry, theirs_n, n=1, cutoff=0.5)
            yield entry, close[0] if close else "(none)"


def compare(refs: list[Reference], styles: Sequence[str], show: int, peer: bool) -> bool:
    """Print the agreement per style; True when every style reaches 99 % in place."""
    from mesorefs.render import format_document

    items = csl_items(refs)
    ok = True
    n_cite = len(refs)
    # citations of three items each, given in reverse order: the style's sort decides
    # their order, and each item is cited alone first, so numbers follow the items' order
    clusters = [[i + 2, i + 1, i] for i in range(0, n_cite - 2, 3)]
    print(
        "agreement with citeproc-js: bibliography entries in place / anywhere, citations"
        ", citations of three works" + ("; citeproc-py the same way" if peer else "")
    )
    totals = {"ours": [0, 0, 0], "py": [0, 0, 0], "n": [0], "multi": [0]}
    for style in styles:
        js = citeproc_js(
            items, style, clusters=[[str(items[i]["id"]) for i in c] for c in clusters]
        )
        sequence = [[ref] for ref in refs] + [[refs[i] for i in c] for c in clusters]
        doc = format_document(sequence, style=style)
        n_bib = len(js["bibliography"])
        placed = in_place(doc.bibliography, js["bibliography"])
        anywhere = agreement(doc.bibliography, js["bibliography"])
        cites = _cites(doc.citations[:n_cite], js["citations"])
        multi = _cites(doc.citations[n_cite:], js["clusters"])
        totals["multi"][0] += multi
        ok = ok and placed / max(n_bib, 1) >= 0.99 and cites / n_cite >= 0.99
        ok = ok and len(doc.bibliography) == n_bib
        for k, v in enumerate((placed, anywhere, cites)):
            totals["ours"][k] += v
        totals["n"][0] += n_bib
        line = (
            f"  {style:30} mesorefs {placed / max(n_bib, 1):7.2%} {anywhere / max(n_bib, 1):7.2%}"
            f" {cites / n_cite:7.2%} {multi / max(len(clusters), 1):7.2%}"
        )
        if peer:
            try:
                py = citeproc_py(items, style)
                py_scores = (
                    in_place(py["bibliography"], js["bibliography"]),
                    agreement(py["bibliography"], js["bibliography"]),
                    _cites(py["citations"], js["citations"]),
                )
                line += (
                    f"   citeproc-py {py_scores[0] / max(n_bib, 1):7.2%}"
                    f" {py_scores[1] / max(n_bib, 1):7.2%} {py_scores[2] / n_cite:7.2%}"
                )
            except Exception as error:  # a peer's failure is a figure, not a crash
                py_scores = (0, 0, 0)
                line += f"   citeproc-py failed: {type(error).__name__}: {str(error)[:60]}"
            for k, v in enumerate(py_scores):
                totals["py"][k] += v
        print(line, flush=True)
        if show:
            for ours, theirs in list(_pairs(doc.bibliography, js["bibliography"]))[:show]:
                print(f"    ours: {ours}\n    js  : {theirs}")
            bad = [
                (a, b)
                for a, b in zip(doc.citations, js["citations"] + js["clusters"], strict=True)
                if normalise(a) != normalise(b)
            ]
            for ours, theirs in bad[:show]:
                print(f"    cite ours: {ours}\n    cite js  : {theirs}")
    n_all, c_all = totals["n"][0], n_cite * len(styles)
    o, y = totals["ours"], totals["py"]
    m_all = max(len(clusters) * len(styles), 1)
    print(
        f"  {'all styles':30} mesorefs {o[0] / n_all:7.2%} {o[1] / n_all:7.2%} {o[2] / c_all:7.2%}"
        f" {totals['multi'][0] / m_all:7.2%}"
        + (
            f"   citeproc-py {y[0] / n_all:7.2%} {y[1] / n_all:7.2%} {y[2] / c_all:7.2%}"
            if peer
            else ""
        )
    )
    if peer:
        ratios = [
            f"{a / b:.2f}x" if b else "n/a (citeproc-py 0)" for a, b in zip(o, y, strict=True)
        ]
        print(
            f"  mesorefs / citeproc-py agreement: in place {ratios[0]}, anywhere {ratios[1]}, "
            f"citations {ratios[2]}"
        )
    return ok


def batch(n: int, articles: int, generated: int) -> list[Reference]:
    """``n`` entries cycling through the corpus, each under its own key."""
    refs = corpus(articles, generated)
    chosen = (refs * (n // len(refs) + 1))[:n]
    return [ref.model_copy(update={"key": f"s{i}"}) for i, ref in enumerate(chosen)]


def engines(refs: list[Reference], style: str) -> dict[str, Any]:
    """One bibliography-only run of ``refs`` in ``style`` per engine (each checks its count)."""
    from mesorefs.render import format_bibliography

    items = csl_items(refs)

    def ours() -> None:
        assert len(format_bibliography(refs, style=style)) == len(refs)

    def py() -> None:
        citeproc_py(items, style, citations=False)

    def js() -> None:
        citeproc_js(items, style, citations=False)

    return {"mesorefs": ours, "citeproc-py": py, "citeproc-js": js}


def speed(args: argparse.Namespace, names: list[str]) -> None:
    """Entries per CPU second, cold and warm, each engine in turn."""
    refs = batch(args.entries, args.articles, args.generated)
    script = Path(__file__).resolve()
    for style in ("apa", "ieee"):
        cold: dict[str, list[float]] = {name: [] for name in names}
        loads = [load()]
        for _ in range(args.cold_rounds):
            for name in names:
                cold[name].append(
                    cold_cpu(
                        script,
                        "--cold-pass",
                        f"{name}:{style}",
                        "--entries",
                        str(args.entries),
                        "--articles",
                        str(args.articles),
                        "--generated",
                        str(args.generated),
                    )
                )
        loads.append(load())
        run = engines(refs, style)
        warm = interleaved([(name, run[name]) for name in names], args.rounds)
        print(
            f"speed, {args.entries} entries in {style}, entries per CPU second (children "
            f"included): cold median of {args.cold_rounds} fresh processes "
            f"(load {min(loads):.2f}-{max(loads):.2f}), warm median of {args.rounds} "
            f"interleaved rounds ({warm.load})"
        )
        for name in names:
            c, w = statistics.median(cold[name]), warm.median(name)
            wall = statistics.median(warm.wall[name])
            print(
                f"  {name:12s} cold {args.entries / c:7.0f}/s  warm {args.entries / w:7.0f}/s"
                f"  (warm: {w:.2f} CPU s, {wall:.2f} s wall)"
            )
        for peer in names[1:]:
            c_ratio = statistics.median(cold[peer]) / statistics.median(cold["mesorefs"])
            print(
                f"  mesorefs speed / {peer}: cold {c_ratio:.2f}x, "
                f"warm {warm.ratio(peer, 'mesorefs'):.2f}x"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--styles", default=",".join(STYLES), help="comma-separated style names")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--generated", type=int, default=180)
    parser.add_argument("--show", type=int, default=0, help="print N disagreements per style")
    parser.add_argument("--no-peer", action="store_true", help="leave citeproc-py out")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--entries", type=int, default=1000, help="entries per speed run")
    parser.add_argument("--rounds", type=int, default=5, help="warm interleaved rounds")
    parser.add_argument("--cold-rounds", type=int, default=3, help="fresh processes per engine")
    parser.add_argument("--cold-pass", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_pass:  # ENGINE:STYLE, once, in this fresh process; CPU seconds last
        name, _, style = args.cold_pass.partition(":")
        run = engines(batch(args.entries, args.articles, args.generated), style)[name]
        print(cpu(run))
        return 0
    peer = not args.no_peer
    if peer:
        try:
            import citeproc  # noqa: F401
        except ImportError:
            print("citeproc-py not installed (pip install -e '.[bench]'): no second peer")
            peer = False
    refs = corpus(args.articles, args.generated)
    print(f"corpus: {args.articles} journal articles + {args.generated} other items")
    ok = compare(refs, [s for s in args.styles.split(",") if s], args.show, peer)
    if not args.no_speed:
        speed(
            args,
            ["mesorefs", "citeproc-py", "citeproc-js"] if peer else ["mesorefs", "citeproc-js"],
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
