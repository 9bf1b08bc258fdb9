"""How often "supported" and "contradicted" are right, end to end, on every claim set.

Every claim of each development split (a seeded sample of at most ``--limit``) is
checked the way a user's document is: ``mesorefs.check_claims`` with the claim as
the document and its reference list as the library (its own documents plus two
seeded distractors; ``training/claim_sets.py`` says how each set is read).  The
claim-level verdict is scored against the gold label:

- **supported**: precision (gold SUPPORT) and coverage (share of claims called so);
- **contradicted**: the same against gold REFUTE/CONTRADICT;
- beside the trivial baselines (calling every claim so: precision = the label's share);
- a reliability table: the claims each side was called on, by the confidence of the
  link that decided it, with how often the call was right.

Targets (issue 26): supported precision >= 0.85 and contradicted precision >= 0.70 on
every set where the default takes that side; supported coverage >= 20 % on SciFact dev
and Check-COVID dev.  SciFact and Check-COVID train were used to fit and choose the
defaults; no development split was.  CLIMATE-FEVER and COVID-Fact are held out whole.

    python benchmarks/verdict_bench.py [--limit 500] [--verifier SPEC] [--lexical]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import claim_sets  # noqa: E402

from mesorefs.claims.check import check_claims  # noqa: E402
from mesorefs.claims.encoder import load_default_encoder  # noqa: E402
from mesorefs.claims.results import shown as shown_links  # noqa: E402

TARGETS = {"supported": 0.85, "contradicted": 0.70}
COVERAGE_TARGET = {"scifact": 0.20, "check_covid": 0.20}
GOLD = {"supported": "S", "contradicted": "C"}


def run_set(
    name: str, limit: int, encoder: Any, verifier: str | None, distractors: int
) -> list[tuple[str, str, float, bool | None]]:
    """(gold label, verdict, deciding confidence, whether an evidence document is among the
    references shown; None for a claim without evidence) per claim of the set's dev split."""
    cs = claim_sets.load(name)
    items = claim_sets.sample(cs.split("dev"), limit)
    out: list[tuple[str, str, float, bool | None]] = []
    for item in items:
        refs = claim_sets.reference_list(item, cs.corpus, distractors)
        report = check_claims(item.claim, refs, verifier=verifier, encoder=encoder, format="text")
        checked = [c for c in report.claims if c.verdict != "not checked"]
        if not checked:
            out.append((item.label, "not checked", 0.0, False if item.evidence else None))
            continue
        # A claim that reads as several sentences takes the verdict of its first checked one.
        result = checked[0]
        stance = {"supported": "supports", "contradicted": "contradicts"}.get(result.verdict)
        confidence = max((lk.score for lk in result.links if lk.stance == stance), default=0.0)
        shown = {lk.key for lk in shown_links(result.links)}
        found = bool(shown & set(item.evidence)) if item.evidence else None
        out.append((item.label, result.verdict, confidence, found))
    return out


Row = tuple[str, str, float, bool | None]


def side(rows: list[Row], verdict: str) -> tuple[float, float, int]:
    called = [gold for gold, v, _, _ in rows if v == verdict]
    right = sum(1 for gold in called if gold == GOLD[verdict])
    precision = right / len(called) if called else float("nan")
    return precision, len(called) / len(rows), len(called)


def reliability(rows: list[Row], verdict: str) -> str:
    bins: dict[float, list[bool]] = {}
    for gold, v, confidence, _ in rows:
        if v == verdict:
            b = min(0.9, int(confidence * 10) / 10)
            bins.setdefault(b, []).append(gold == GOLD[verdict])
    cells = [
        f"{b:.1f}-{b + 0.1:.1f}: {sum(ok) / len(ok):.2f} of {len(ok)}"
        for b, ok in sorted(bins.items())
    ]
    return "; ".join(cells) or "no calls"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=500, help="claims per set (seeded sample)")
    parser.add_argument("--sets", nargs="*", default=list(claim_sets.SETS))
    parser.add_argument("--verifier", help="a verifier spec (baseline, nli:DIR, openai:...)")
    parser.add_argument("--lexical", action="store_true", help="lexical ranking only")
    parser.add_argument("--distractors", type=int, default=2)
    parser.add_argument(
        "--cache", type=Path, default=Path(os.environ.get("VERDICT_CACHE", "/tmp/verdicts"))
    )
    args = parser.parse_args()
    encoder: Any = False if args.lexical else load_default_encoder(args.cache / "encoder")
    print(
        f"verdict_bench: dev splits, at most {args.limit} claims a set (seed 0), own documents +"
        f" {args.distractors} distractors; verifier {args.verifier or 'default'};"
        f" ranking {'bm25' if args.lexical else 'bm25+MiniLM'}"
    )
    summary: list[str] = []
    for name in args.sets:
        started = time.process_time()
        rows = run_set(name, args.limit, encoder, args.verifier, args.distractors)
        cpu = time.process_time() - started
        labels = Counter(g for g, _, _, _ in rows)
        verdicts = Counter(v for _, v, _, _ in rows)
        print(f"\n{name}: {len(rows)} claims (gold {dict(labels)}), {cpu:.0f} CPU s")
        print(f"  verdicts: {dict(verdicts)}")
        for verdict in ("supported", "contradicted"):
            p, cov, n = side(rows, verdict)
            base = labels[GOLD[verdict]] / len(rows)
            target = TARGETS[verdict]
            held = "no calls" if n == 0 else ("holds" if p >= target else "MISSES")
            cov_target = COVERAGE_TARGET.get(name) if verdict == "supported" else None
            cov_note = ""
            if cov_target is not None:
                met = "holds" if cov >= cov_target else "MISSES"
                cov_note = f" (coverage target {cov_target:.2f}: {met})"
            print(
                f"  {verdict:12} precision {p:.3f} coverage {cov:.3f} ({n} calls); always-{verdict}"
                f" precision {base:.3f}; target P>={target:.2f}: {held}{cov_note}"
            )
            print(f"    reliability: {reliability(rows, verdict)}")
            summary.append(f"{name:14} {verdict:12} P {p:.3f} cov {cov:.3f} n {n:4}  {held}")
            if verdict == "contradicted":
                unsupported = [g for g, v, _, _ in rows if v == "unsupported"]
                right = sum(1 for g in unsupported if g == "N")
                share = right / len(unsupported) if unsupported else float("nan")
                not_supported = sum(1 for g in unsupported if g != "S")
                flag = not_supported / len(unsupported) if unsupported else float("nan")
                with_evidence = [f for _, _, _, f in rows if f is not None]
                shown = sum(1 for f in with_evidence if f) / len(with_evidence)
                print(
                    f"  unsupported  precision {share:.3f} (gold: no evidence; {flag:.3f} gold: not"
                    f" supported, always {1 - labels['S'] / len(rows):.3f}) coverage"
                    f" {len(unsupported) / len(rows):.3f}; an evidence document among the"
                    f" shown references: {shown:.3f} of {len(with_evidence)} claims with evidence"
                )
                summary.append(
                    f"{name:14} unsupported  P {share:.3f} cov {len(unsupported) / len(rows):.3f}"
                    f"  evidence shown {shown:.3f}"
                )
    print("\nsummary")
    for line in summary:
        print("  " + line)


if __name__ == "__main__":
    main()
