"""Reference-string parsing benchmark, following shared/data/refparse/PROTOCOL.md.

Suites: P1 (AnyStyle gold minus core), P2a/P2b (GROBID evaluation files), P3
(Crossref artificial set, 2,000 held-out DOIs x 8 renderings, per style), P4
(real Crossref deposits, 5 fields) and P5 (synthetic Google Scholar lines
built from the P3 test records).  None of them is used in training.

Per field: precision, recall, F1 (a wrong value counts as FP and FN); micro-F1
over the fields with a bootstrap 95% CI (1,000 resamples, seed 0); exact-record
accuracy.

Speed, on the P1 strings, in CPU time: cold is one pass in a fresh interpreter (the
model loaded by one unrelated parse first, every feature cache empty), median of
``--cold-rounds``; warm is the median of ``--rounds`` interleaved rounds in one process.

The peer is refextract (``pip install -e '.[bench]'``; it runs offline), given the same
strings one at a time: F1 on the first ``--peer-limit`` cases of each suite, with
mesorefs' F1 on those same cases beside it, and references per CPU second, cold and
warm, interleaved with mesorefs' rounds.  refextract reports no article title and no
issue, so those fields count against it as misses (its per-field F1 shows the rest).

    python benchmarks/parse_bench.py [--suites P1,P3] [--limit N] [--fields] [--no-peer]

Figures, dates and load: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import statistics
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from training import refdata  # noqa: E402

from _metrics import prf as f1  # noqa: E402
from _timing import cold_cpu, cpu, interleaved, load  # noqa: E402
from mesorefs.models import Reference  # noqa: E402
from mesorefs.parsing import label_reference, parse_reference  # noqa: E402
from mesorefs.parsing.fields import split_volume_issue  # noqa: E402
from mesorefs.parsing.scholar import looks_like_scholar  # noqa: E402

FIELDS = ("author", "title", "container", "year", "volume", "issue", "pages", "doi")
P3_FIELDS = {
    "apa": ("author", "title", "container", "year", "volume", "issue", "pages"),
    "chicago-author-date": ("author", "title", "container", "year", "volume", "issue", "pages"),
    "modern-language-association": (
        "author",
        "title",
        "container",
        "year",
        "volume",
        "issue",
        "pages",
    ),
    "american-chemical-society": ("author", "container", "year", "volume", "pages"),
    "american-institute-of-physics": ("author", "container", "year", "volume", "pages"),
    "elsevier-without-titles": ("author", "container", "year", "volume", "pages"),
    "apa-noise": ("author", "title", "container", "year", "volume", "issue", "pages"),
    "american-institute-of-physics-noise": ("author", "container", "year", "volume", "pages"),
}
P4_FIELDS = ("author", "container", "year", "volume", "pages")
P5_FIELDS = ("author", "title", "container", "year")
_STOP = {"and", "et", "al"}


# -- normalisers (applied to gold and prediction alike) -------------------------------


def norm_text(value: str | None, container: bool = False) -> str:
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).lower()
    value = re.sub(r"<[^>]+>", " ", value)
    value = " ".join(re.sub(r"\W+", " ", value).split())
    if container:
        value = re.sub(r"^in\s+", "", value)
    return value


def norm_year(value: str | None) -> str:
    m = re.search(r"1[5-9]\d\d|20\d\d", value or "")
    return m.group() if m else ""


def norm_volume(value: str | None) -> str:
    value = re.sub(r"(?i)^\s*vol(?:ume)?\.?\s*", "", value or "")
    m = re.search(r"[A-Za-z]?-?\d+[A-Za-z]?|\b[IVXLCDMivxlcdm]+\b|[A-Za-z]+\d*", value)
    return m.group().lower() if m else ""


def norm_issue(value: str | None) -> str:
    m = re.search(r"[A-Za-z]?\d+[A-Za-z]?|[A-Za-z]+", value or "")
    return m.group().lower() if m else ""


def norm_first_page(value: str | None) -> str:
    value = re.sub(r"(?i)^\s*(?:pp?|pages?)\.?\s*", "", value or "")
    m = re.search(r"[A-Za-z]{0,2}\d+[A-Za-z]?", value)
    return m.group().lower() if m else ""


def norm_doi(value: str | None) -> str:
    m = re.search(r"10\.\d{4,9}/\S+", value or "")
    return m.group().lower().rstrip(".,;)") if m else ""


def author_tokens(value: str | None) -> frozenset[str]:
    return frozenset(t for t in norm_text(value).split() if t not in _STOP)


# -- records ----------------------------------------------------------------------


@dataclass
class Case:
    text: str
    gold: dict[str, object]
    fields: tuple[str, ...] = FIELDS
    author_mode: str = "span"  # span | people | first
    style: str = ""


def _gold_from_spans(ex: refdata.Example) -> dict[str, object]:
    by: dict[str, list[str]] = {}
    for label, start, end in ex.spans:
        by.setdefault(label, []).append(ex.text[start:end])
    first = {k: v[0] for k, v in by.items()}
    volume, issue = split_volume_issue(first.get("volume"), first.get("issue"))
    return {
        "author": author_tokens(" ".join(by.get("author", []))) or None,
        "title": norm_text(first.get("title")) or None,
        "container": norm_text(first.get("container"), container=True) or None,
        "year": norm_year(first.get("date")) or None,
        "volume": norm_volume(volume) or None,
        "issue": norm_issue(issue) or None,
        "pages": norm_first_page(first.get("pages")) or None,
        "doi": norm_doi(first.get("doi")) or None,
    }


def load_p1() -> list[Case]:
    core = {refdata.norm_text(e.text) for e in refdata.load_anystyle("core")}
    seen: set[str] = set()
    out = []
    for ex in refdata.load_anystyle("gold"):
        key = refdata.norm_text(ex.text)
        if key in core or key in seen:
            continue
        seen.add(key)
        out.append(Case(ex.text, _gold_from_spans(ex)))
    return out


def load_p2(suite: str) -> list[Case]:
    return [
        Case(ex.text, _gold_from_spans(ex))
        for ex in refdata.load_tei(refdata.GROBID_EVAL[suite], suite)
    ]


def _present(value: str, text: str, numeric: bool) -> bool:
    if not value:
        return False
    if numeric:
        return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None
    return norm_text(value) in norm_text(text)


def _p3_gold(
    rec: dict[str, object], text: str, fields: tuple[str, ...]
) -> tuple[dict[str, object], tuple[str, ...]]:
    authors = rec.get("authors") or []
    assert isinstance(authors, list)
    pages = str(rec.get("pages") or "")
    raw = {
        "title": str(rec.get("title") or ""),
        "container": str(rec.get("container") or ""),
        "year": str(rec.get("year") or ""),
        "volume": str(rec.get("volume") or ""),
        "issue": str(rec.get("issue") or ""),
        "pages": re.split(r"[-–]", pages)[0] if pages else "",
    }
    gold: dict[str, object] = {}
    scorable = []
    for name in fields:
        if name == "author":
            if authors:
                gold["author"] = authors
                scorable.append(name)
            continue
        value = raw[name]
        if _present(value, text, numeric=name in ("year", "volume", "issue", "pages")):
            scorable.append(name)
            gold[name] = {
                "title": norm_text,
                "container": lambda v: norm_text(v, container=True),
                "year": norm_year,
                "volume": norm_volume,
                "issue": norm_issue,
                "pages": norm_first_page,
            }[name](value) or None
    return gold, tuple(scorable)


def load_p3(records: list[dict[str, object]] | None = None) -> list[Case]:
    test = refdata.p3_split()[1] if records is None else records
    out = []
    for style in P3_FIELDS:
        for rec in test:
            strings = rec["strings"]
            assert isinstance(strings, dict)
            text = " ".join(str(strings.get(style) or "").split())
            if not text:
                continue
            gold, fields = _p3_gold(rec, text, P3_FIELDS[style])
            out.append(Case(text, gold, fields, "people", style))
    return out


def load_p4() -> list[Case]:
    out = []
    for text, g in refdata.load_p4():
        gold: dict[str, object] = {
            "author": g["author"] or None,
            "container": norm_text(g["container"], container=True) or None,
            "year": norm_year(g["year"]) or None,
            "volume": norm_volume(g["volume"]) or None,
            "pages": norm_first_page(g["pages"]) or None,
        }
        out.append(Case(text, gold, P4_FIELDS, "first"))
    return out


_HOSTS = (
    "journals.lww.com",
    "Wiley Online Library",
    "ncbi.nlm.nih.gov",
    "Springer",
    "Elsevier",
    "academic.oup.com",
    "pubs.acs.org",
    "ieeexplore.ieee.org",
    "Taylor & Francis",
    "cambridge.org",
    "nature.com",
    "mdpi.com",
    "journals.sagepub.com",
    "jstor.org",
)


def scholar_line(rec: dict[str, object], rng: random.Random) -> tuple[str, dict[str, object]]:
    """A synthetic Scholar line for a P3 record, with the gold a parser can see in it."""
    authors = [a for a in rec.get("authors") or [] if isinstance(a, dict) and a.get("family")]
    shown = authors[:3]
    names = []
    for a in shown:
        initials = "".join(p[0] for p in re.split(r"[\s.\-]+", str(a.get("given") or "")) if p)
        names.append(f"{initials.upper()} {a['family']}".strip())
    author_text = ", ".join(names) + ("…" if len(authors) > 3 else "")
    container = str(rec.get("container") or "")
    cut = False
    if len(container) > 20:
        space = container.rfind(" ", 0, 21)
        container = container[: space if space > 0 else 20].rstrip(" ,:;&")
        cut = True
    venue = f"{container} …, " if cut else (f"{container}, " if container else "")
    text = f"{rec['title']} by {author_text} – {venue}{rec['year']} – {rng.choice(_HOSTS)}"
    gold: dict[str, object] = {
        "author": shown,
        "title": norm_text(str(rec["title"])),
        "container": norm_text(container, container=True) or None,
        "year": norm_year(str(rec["year"])),
        "authors_cut": len(authors) > 3,
        "container_cut": cut,
    }
    return text, gold


def load_p5(records: list[dict[str, object]] | None = None) -> list[Case]:
    test = refdata.p3_split()[1] if records is None else records
    rng = random.Random(0)
    out = []
    for rec in test:
        if not rec.get("authors") or not rec.get("title") or not rec.get("year"):
            continue
        if "<" in str(rec["title"]) or " by " in f" {rec['title']} ":
            continue
        text, gold = scholar_line(rec, rng)
        out.append(Case(text, gold, P5_FIELDS, "people", "scholar"))
    return out


# -- validation split (carved from the training pools; for model selection) ---------


def load_validation() -> dict[str, list[Case]]:
    """The held-out part of core, GROBID corpus and P3-train (``refdata.split_*``)."""
    banned = {refdata.norm_text(t) for _, t in refdata.iter_test_strings()}
    core = [e for e in refdata.load_anystyle("core") if refdata.norm_text(e.text) not in banned]
    grobid = [e for e in refdata.load_grobid_corpus() if refdata.norm_text(e.text) not in banned]
    records = refdata.split_p3_train(refdata.p3_split()[0])[1]
    return {
        "V-core": [Case(e.text, _gold_from_spans(e)) for e in refdata.split_core(core)[1]],
        "V-grobid": [Case(e.text, _gold_from_spans(e)) for e in refdata.split_grobid(grobid)[1]],
        "V-p3": load_p3(records),
        "V-p5": load_p5(records),
    }


def use_model(model: Path, lexicon: Path | None, groups: str | None) -> None:
    """Score a candidate model (and its lexicon and feature groups) instead of the shipped one."""
    import pycrfsuite

    from mesorefs.parsing import crf, features

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    crf._tagger = tagger
    lex = lexicon or model.parent / features.LEXICON_NAME
    features.set_lexicon(features.load_lexicon(lex) if lex.exists() else {})
    if groups is not None:
        features.set_feature_groups(frozenset(g for g in groups.split(",") if g))


# -- prediction and scoring -------------------------------------------------------


@dataclass
class Prediction:
    """What a parser found in one string, normalised like the gold."""

    values: dict[str, object]
    author_text: str  # the text of the author span(s)
    first_author: set[str]  # tokens of the first author's names


def mesorefs_prediction(ref: Reference, author_text: str) -> Prediction:
    first: set[str] = set()
    if ref.authors:
        first = set(norm_text(ref.authors[0].sort_name).split())
        first |= set(norm_text(ref.authors[0].given).split())
    return Prediction(pred_values(ref, author_text), author_text, first)


def refextract_prediction(text: str) -> Prediction:
    """refextract's fields for one string (it may split one string into several parts)."""
    from refextract import extract_references_from_string

    found: dict[str, str] = {}
    for part in extract_references_from_string(text, is_only_references=True):
        for name, values in part.items():
            if values and name not in found:
                found[name] = str(values[0])
    author_text = found.get("author", "")
    first_chunk = re.split(r"\s+and\s+|;|&", author_text)[0]
    return Prediction(
        {
            "author": author_tokens(author_text) or None,
            "title": norm_text(found.get("title")) or None,
            "container": norm_text(found.get("journal_title"), container=True) or None,
            "year": norm_year(found.get("journal_year") or found.get("year")) or None,
            "volume": norm_volume(found.get("journal_volume")) or None,
            "issue": None,
            "pages": norm_first_page(found.get("journal_page")) or None,
            "doi": norm_doi(found.get("doi")) or None,
        },
        author_text,
        set(norm_text(first_chunk).split()),
    )


def predict(text: str) -> tuple[Reference, str]:
    """The parsed reference and the text of its author span(s)."""
    ref = parse_reference(text)
    if looks_like_scholar(text):
        author_text = ", ".join(p.display() for p in ref.authors)
    else:
        # The first author span: the one the reference's authors come from.
        labelled = label_reference(text)
        author_text = next(
            (labelled.text[s.start : s.end] for s in labelled.spans if s.label == "author"), ""
        )
    return ref, author_text


def _people_ok(gold: list[dict[str, str]], pred_text: str, text: str) -> bool:
    pred = author_tokens(pred_text)
    if not pred:
        return False
    visible = [norm_text(a.get("family")) for a in gold]
    visible = [f for f in visible if f and f in norm_text(text)]
    if not visible:
        return False
    for fam in visible:
        if not set(fam.split()) <= pred:
            return False
    allowed = set()
    for a in gold:
        allowed |= set(norm_text(a.get("family")).split()) | set(norm_text(a.get("given")).split())
    return all(t in allowed or len(t) == 1 for t in pred)


def _first_ok(gold: str, pred: set[str]) -> bool:
    if not pred:
        return False
    wanted = [t for t in norm_text(gold).split() if len(t) > 2] or norm_text(gold).split()
    return bool(wanted) and any(t in pred for t in wanted)


def pred_values(ref: Reference, author_text: str) -> dict[str, object]:
    return {
        "author": author_tokens(author_text) or None,
        "title": norm_text(ref.title) or None,
        "container": norm_text(ref.container_title, container=True) or None,
        "year": str(ref.year) if ref.year else None,
        "volume": norm_volume(ref.volume) or None,
        "issue": norm_issue(ref.issue) or None,
        "pages": norm_first_page(ref.pages) or None,
        # The protocol's gold labels a DOI inside a link (https://doi.org/10...) as `url`;
        # the reference keeps the DOI, but the scored `doi` field is a DOI written as one.
        "doi": None if _doi_as_url(ref) else norm_doi(ref.doi) or None,
    }


def _doi_as_url(ref: Reference) -> bool:
    prov = ref.provenance.get("doi")
    return prov is not None and "written as a URL" in (prov.detail or "")


def _soft(a: object, b: object) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return a == b
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.95


@dataclass
class Outcome:
    counts: dict[str, list[int]]  # field -> [tp, fp, fn]
    exact: bool


def score_case(case: Case, prediction: Prediction | None, soft: bool) -> Outcome:
    pred = prediction.values if prediction else {}
    author_text = prediction.author_text if prediction else ""
    counts: dict[str, list[int]] = {}
    exact = True
    for name in case.fields:
        g = case.gold.get(name)
        p = pred.get(name)
        if name == "author" and case.author_mode == "people":
            ok = bool(g) and prediction is not None and _people_ok(g, author_text, case.text)  # type: ignore[arg-type]
            good = ok
        elif name == "author" and case.author_mode == "first":
            good = bool(g) and prediction is not None and _first_ok(str(g), prediction.first_author)
        elif soft and name in ("title", "container"):
            good = g is not None and p is not None and _soft(g, p)
        else:
            good = g is not None and g == p
        tp = int(good)
        fp = int(p is not None and not good)
        fn = int(g is not None and not good)
        counts[name] = [tp, fp, fn]
        if not (good or (g is None and p is None)):
            exact = False
    return Outcome(counts, exact)


def report(name: str, outcomes: list[Outcome], show_fields: bool) -> str:
    fields = sorted({f for o in outcomes for f in o.counts}, key=FIELDS.index)
    arr = np.array(
        [[sum(o.counts.get(f, [0, 0, 0])[k] for f in fields) for k in range(3)] for o in outcomes]
    )
    tp, fp, fn = arr.sum(axis=0)
    micro = f1(int(tp), int(fp), int(fn))[2]
    rng = np.random.default_rng(0)
    boots = []
    for _ in range(1000):
        idx = rng.integers(0, len(outcomes), len(outcomes))
        s = arr[idx].sum(axis=0)
        boots.append(f1(int(s[0]), int(s[1]), int(s[2]))[2])
    lo, hi = np.percentile(boots, [2.5, 97.5])
    exact = 100 * sum(o.exact for o in outcomes) / len(outcomes)
    parts = []
    for f in fields:
        c = [sum(o.counts[f][k] for o in outcomes if f in o.counts) for k in range(3)]
        parts.append(f"{f} {100 * f1(*c)[2]:.1f}")
    line = (
        f"{name:<34} n={len(outcomes):<5} micro-F1 {100 * micro:5.1f} "
        f"[{100 * lo:.1f}-{100 * hi:.1f}]  exact {exact:5.1f}%"
    )
    if show_fields:
        line += "\n    " + "  ".join(parts)
        line += "\n    P/R: " + "  ".join(
            "{} {:.1f}/{:.1f}".format(
                f,
                *(
                    100 * x
                    for x in f1(
                        *[sum(o.counts[f][k] for o in outcomes if f in o.counts) for k in range(3)]
                    )[:2]
                ),
            )
            for f in fields
        )
    return line


def run(
    name: str,
    cases: Iterable[Case],
    show_fields: bool,
    soft: bool = False,
    extra: Callable[[list[tuple[Case, Reference | None]]], str] | None = None,
    peer_limit: int = 0,
) -> None:
    """Score mesorefs on ``cases``; with ``peer_limit``, refextract on the first ones too."""
    cases = list(cases)
    results: list[tuple[Case, Reference | None, Prediction | None]] = []
    for case in cases:
        try:
            ref, author_text = predict(case.text)
            prediction = mesorefs_prediction(ref, author_text)
        except Exception:  # the benchmark counts failures as empty predictions
            ref, prediction = None, None
        results.append((case, ref, prediction))
    outcomes = [score_case(c, p, soft) for c, _, p in results]
    label = name + (" (soft)" if soft else "")
    print(report(label, outcomes, show_fields), flush=True)
    if extra:
        print("    " + extra([(c, r) for c, r, _ in results]))
    if peer_limit:
        peer_cases = cases[:peer_limit]
        theirs = []
        for case in peer_cases:
            try:
                theirs.append(score_case(case, refextract_prediction(case.text), soft))
            except Exception:
                theirs.append(score_case(case, None, soft))
        ours_same = outcomes[: len(peer_cases)]
        f_ours, f_theirs = micro_f1(ours_same), micro_f1(theirs)
        print(report(f"  refextract, first {len(peer_cases)}", theirs, show_fields))
        print(
            f"    mesorefs on the same {len(peer_cases)}: micro-F1 {100 * f_ours:.1f}, "
            f"refextract {100 * f_theirs:.1f}, ratio "
            + (f"{f_ours / f_theirs:.2f}x" if f_theirs else "n/a (refextract 0)"),
            flush=True,
        )
        PEER_F1.append((label, len(peer_cases), f_ours, f_theirs))


PEER_F1: list[tuple[str, int, float, float]] = []


def micro_f1(outcomes: list[Outcome]) -> float:
    tp = sum(o.counts[f][0] for o in outcomes for f in o.counts)
    fp = sum(o.counts[f][1] for o in outcomes for f in o.counts)
    fn = sum(o.counts[f][2] for o in outcomes for f in o.counts)
    return f1(tp, fp, fn)[2]


def _truncation(results: list[tuple[Case, Reference | None]]) -> str:
    ok_a = sum(1 for c, r in results if r and ("authors" in r.truncated) == c.gold["authors_cut"])
    ok_c = sum(
        1 for c, r in results if r and ("container_title" in r.truncated) == c.gold["container_cut"]
    )
    n = len(results)
    return (
        f"truncation flags correct: authors {100 * ok_a / n:.1f}%, container {100 * ok_c / n:.1f}%"
    )


def parse_all(texts: list[str]) -> None:
    for text in texts:
        try:
            parse_reference(text)
        except Exception:
            continue


def refextract_all(texts: list[str]) -> None:
    from refextract import extract_references_from_string

    for text in texts:
        try:
            extract_references_from_string(text, is_only_references=True)
        except Exception:
            continue


SPEED = {"mesorefs": parse_all, "refextract": refextract_all}


def speed_texts(n: int) -> list[str]:
    texts = [c.text for c in load_p1()]
    return texts[:n] if n else texts


def cold_pass(name: str, n: int) -> float:
    """CPU seconds of one pass over the P1 strings, in this (fresh) process."""
    texts = speed_texts(n)
    if name == "mesorefs":
        parse_reference("Warm-up, A. (2000). Loading the model. Journal, 1, 1-2.")
    else:  # refextract reads its knowledge bases on first use
        refextract_all(["Warm-up, A. (2000). Loading the model. Journal, 1, 1-2."])
    return cpu(lambda: SPEED[name](texts))


def throughput(names: list[str], n: int, rounds: int, cold_rounds: int) -> None:
    """Cold and warm references per CPU second on the P1 strings, interleaved."""
    texts = speed_texts(n)
    script = Path(__file__).resolve()
    cold: dict[str, list[float]] = {name: [] for name in names}
    loads = [load()]
    for _ in range(cold_rounds):
        for name in names:
            cold[name].append(cold_cpu(script, "--cold-pass", name, "--speed-n", str(n)))
    loads.append(load())
    for name in names:
        SPEED[name](texts[:50])  # the first warm round should not pay the model load
    warm = interleaved([(name, lambda f=SPEED[name]: f(texts)) for name in names], rounds)
    print(
        f"speed, P1 ({len(texts)} strings), references per CPU second: cold = one pass in a "
        f"fresh process, median of {cold_rounds} (load {min(loads):.2f}-{max(loads):.2f}); "
        f"warm = median of {rounds} interleaved rounds ({warm.load})"
    )
    for name in names:
        c, w = statistics.median(cold[name]), warm.median(name)
        print(f"  {name:11s} cold {len(texts) / c:7.0f}/s  warm {len(texts) / w:7.0f}/s")
    if len(names) > 1:
        c_ratio = statistics.median(cold["refextract"]) / statistics.median(cold["mesorefs"])
        print(
            f"  mesorefs / refextract speed: cold {c_ratio:.1f}x, "
            f"warm {warm.ratio('refextract', 'mesorefs'):.1f}x"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="reference parsing benchmark (PROTOCOL.md)")
    ap.add_argument("--suites", default="P1,P2a,P2b,P3,P4,P5")
    ap.add_argument("--limit", type=int, default=0, help="at most N cases per suite (smoke runs)")
    ap.add_argument("--fields", action="store_true", help="print per-field F1 and P/R")
    ap.add_argument("--model", type=Path, help="a candidate model instead of the shipped one")
    ap.add_argument("--lexicon", type=Path, help="its lexicon (default: next to --model)")
    ap.add_argument("--groups", help="its feature groups (default: the shipped set)")
    ap.add_argument("--no-peer", action="store_true", help="leave refextract out")
    ap.add_argument("--peer-limit", type=int, default=300, help="refextract's cases per suite")
    ap.add_argument("--rounds", type=int, default=5, help="warm interleaved speed rounds")
    ap.add_argument("--cold-rounds", type=int, default=3, help="fresh processes per parser")
    ap.add_argument("--speed-n", type=int, default=300, help="P1 strings per speed pass (0: all)")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--cold-pass", choices=list(SPEED), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cold_pass:  # run by throughput() in a fresh process; prints CPU seconds last
        print(cold_pass(args.cold_pass, args.speed_n))
        return 0
    suites = args.suites.split(",")
    peer = 0
    if not args.no_peer:
        try:
            import refextract  # noqa: F401

            peer = args.peer_limit
        except ImportError:
            print("refextract not installed (pip install -e '.[bench]'): no peer")
    if args.model:
        use_model(args.model, args.lexicon, args.groups)

    def lim(cases: list[Case]) -> list[Case]:
        return cases[: args.limit] if args.limit else cases

    parse_reference("Warm-up, A. (2000). Loading the model. Journal, 1, 1-2.")
    if "V" in suites:
        # Model selection runs on this split only; the test suites are scored once at the end.
        val = load_validation()
        run("V-core (15% of AnyStyle core)", val["V-core"], args.fields)
        run("V-grobid (10% of corpus files)", val["V-grobid"], args.fields)
        for style in P3_FIELDS:
            cases = [c for c in val["V-p3"] if c.style == style]
            run(f"V-p3 {style}", cases, args.fields, soft=style.endswith("noise"))
        run("V-p5 Scholar lines", val["V-p5"], args.fields)
    if "P1" in suites:
        p1 = lim(load_p1())
        run("P1 AnyStyle gold-minus-core", p1, args.fields, peer_limit=peer)
    for suite in ("P2a", "P2b"):
        if suite in suites:
            run(f"{suite} GROBID eval", lim(load_p2(suite)), args.fields, peer_limit=peer)
    if "P3" in suites:
        p3 = load_p3()
        for style in P3_FIELDS:
            cases = lim([c for c in p3 if c.style == style])
            noisy = style.endswith("noise")
            run(f"P3 {style}", cases, args.fields, peer_limit=peer)
            if noisy:
                run(f"P3 {style}", cases, args.fields, soft=True)
    if "P4" in suites:
        run("P4 Crossref real deposits", lim(load_p4()), args.fields, peer_limit=peer)
    if "P5" in suites:
        run(
            "P5 synthetic Scholar lines",
            lim(load_p5()),
            args.fields,
            extra=_truncation,
            peer_limit=peer,
        )
    if PEER_F1:
        n = sum(k for _, k, _, _ in PEER_F1)
        ours = sum(k * f for _, k, f, _ in PEER_F1) / n
        theirs = sum(k * f for _, k, _, f in PEER_F1) / n
        print(
            f"refextract peer, {n} cases over {len(PEER_F1)} suites (case-weighted mean of "
            f"micro-F1): mesorefs {100 * ours:.1f}, refextract {100 * theirs:.1f}"
        )
    if not args.no_speed:
        throughput(
            ["mesorefs", "refextract"] if peer else ["mesorefs"],
            args.speed_n,
            args.rounds,
            args.cold_rounds,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
