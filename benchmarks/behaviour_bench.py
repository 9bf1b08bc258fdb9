"""Behavioural tests of every verifier backend (issue 26), CheckList style, on real sentences.

Cases are made with a fixed seed from sentences of the shared corpora (SciFact corpus
abstracts, Check-COVID abstracts, HealthVer and COVID-Fact evidence, CLIMATE-FEVER's
Wikipedia sentences; see benchmarks/behaviour/) and checked with ``check_claims``
against a small reference list (the sentence's own source among four others):

- own (MFT): a sentence against its own source is never contradicted (ideally supported);
- negation, number (DIR): its negation, or the sentence with a number changed, is never
  supported;
- marker-pandoc / -numeric / -latex / -author-year, lead-in, reorder (INV): a citation
  marker, "Studies show that ..." or a reordering changes no verdict;
- unrelated (MFT): a list of passages sharing no word with the sentence takes no side.

For each backend it prints the pass rate of each test, the counts, CPU seconds, and a few
failing cases (escaped for the terminal).  The shipped default always runs; ``nli:`` runs
with ``--nli-model``; ``openai:`` with ``--openai`` or a configured ``openai:`` verifier;
``--backend sided`` runs the shipped stance model with both sides switched on (``--sided``,
0.5), since the default takes none.
Run by hand, never in CI::

    python benchmarks/behaviour_bench.py                       # 200 cases a test, seed 0
    python benchmarks/behaviour_bench.py --per-test 50 --tests own,negation
    python benchmarks/behaviour_bench.py --backend nli --nli-model /path/to/nli-model
    python benchmarks/behaviour_bench.py --backend baseline,sided --sided 0.5
    python benchmarks/behaviour_bench.py --write-verbs         # rebuild behaviour/verbs.txt

What each test means: docs/behaviour.md.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _data import DATA, REPO, require  # noqa: E402
from _timing import cpu_now, load  # noqa: E402
from behaviour.corpora import CORPORA, LICENCES, load_sources  # noqa: E402
from behaviour.harness import CONTRADICTING, SUPPORTING, Harness, Result  # noqa: E402
from behaviour.negate import VERBS_FILE, verb_lexicon  # noqa: E402
from behaviour.suite import DISTRACTORS, TESTS, build  # noqa: E402
from mesorefs.errors import MesorefsError  # noqa: E402
from mesorefs.escape import terminal_text  # noqa: E402

BACKENDS = ("baseline", "sided", "nli", "openai")
DEFAULT_BACKENDS = ("baseline", "nli", "openai")


def write_verbs() -> None:
    """Rebuild ``behaviour/verbs.txt`` from the SciFact and Check-COVID abstracts."""
    sources = load_sources(DATA, ("scifact", "check_covid"))
    verbs = verb_lexicon(s.text for group in sources.values() for s in group)
    head = (
        "# Base forms of verbs, derived by behaviour.negate.verb_lexicon from the SciFact corpus\n"
        "# and Check-COVID corpus abstracts (python benchmarks/behaviour_bench.py --write-verbs).\n"
    )
    VERBS_FILE.write_text(head + "\n".join(sorted(verbs)) + "\n", encoding="utf-8")
    print(f"{len(verbs)} verbs written to {VERBS_FILE}")


SAMPLE_CORPORA = ("scifact", "check_covid", "climate_fever")
"""The corpora whose licences let their text be copied into the test fixture."""


def write_sample(path: Path, seed: int, size: int = 40) -> None:
    """A fixed sample of real sentences for tests/claims/test_behaviour.py: sentences the
    negator, the number changer and the reorderer can use first, then any; one a source."""
    import json
    import random

    from behaviour.negate import negate
    from behaviour.numbers import change_number
    from behaviour.perturb import reorder
    from behaviour.suite import items

    sources = load_sources(DATA, SAMPLE_CORPORA)
    by_corpus = items({c: [s for s in g if len(s.sentences) <= 12] for c, g in sources.items()})
    quotas = {"negation": 16, "number": 12, "reorder": 8}
    able = {
        "negation": lambda s: negate(s).text is not None,
        "number": lambda s: change_number(s, seed) is not None,
        "reorder": lambda s: reorder(s) is not None,
    }
    chosen: list[Any] = []
    used: set[str] = set()
    for want in [*quotas, "any"]:
        quota = quotas.get(want, size - len(chosen))
        got = 0
        order = [i for group in by_corpus.values() for i in group]
        random.Random(f"{seed}:sample:{want}").shuffle(order)
        for item in order:
            if got >= quota or len(chosen) >= size:
                break
            key = f"{item.source.corpus}:{item.source.id}"
            if key in used or (want != "any" and not able[want](item.sentence)):
                continue
            if sum(1 for c in chosen if c.source.corpus == item.source.corpus) >= size // 3 + 1:
                continue
            chosen.append(item)
            used.add(key)
            got += 1
    with path.open("w", encoding="utf-8") as out:
        for item in sorted(chosen, key=lambda i: i.id):
            row = {
                "corpus": item.source.corpus,
                "id": item.source.id,
                "title": item.source.title,
                "index": item.index,
                "sentences": list(item.source.sentences),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} sentences written to {path}")


def _short(text: str, limit: int = 220) -> str:
    shown = terminal_text(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _verdicts(verdicts: tuple[str, ...]) -> str:
    return " + ".join(verdicts) if verdicts else "(no checkworthy claim)"


def report(name: str, results: Sequence[Result], seconds: dict[str, float], examples: int) -> None:
    """The pass rate of each test, counts, CPU time, and failing examples."""
    print(
        f"\n{'test':<20} {'kind':<4} {'cases':>5} {'checked':>7} {'passed':>6} {'rate':>7}"
        f" {'CPU s':>7}  what must hold"
    )
    for spec in TESTS.values():
        mine = [r for r in results if r.case.test == spec.name]
        if not mine:
            continue
        checked = [r for r in mine if r.passed is not None]
        passed = sum(1 for r in checked if r.passed)
        rate = f"{100 * passed / len(checked):.1f}%" if checked else "-"
        print(
            f"{spec.name:<20} {spec.kind:<4} {len(mine):>5} {len(checked):>7} {passed:>6}"
            f" {rate:>7} {seconds.get(spec.name, 0.0):>7.1f}  {spec.holds}"
        )
    print()
    for test in ("own", "negation", "number", "unrelated"):
        checked = [r for r in results if r.case.test == test and r.passed is not None]
        if checked:
            verdicts = Counter(v for r in checked for v in r.after)
            print(
                f"{test}: verdicts of the claims of {len(checked)} checked cases: "
                + ", ".join(f"{v} {n}" for v, n in verdicts.most_common())
            )
    sides = sum(1 for r in results for v in r.after if v in SUPPORTING or v in CONTRADICTING)
    if results and not sides:
        print(
            f"note: {name} took no side in any case (neither supported nor contradicted): its"
            " MFT and DIR passes say nothing of how it reads stance"
        )
    print(f"\nfailing examples ({name}, up to {examples} a test):")
    for test in TESTS:
        failed = [r for r in results if r.case.test == test and r.passed is False]
        for r in failed[:examples]:
            c = r.case
            print(f"- {c.id}  [{_short(c.note, 60)}]")
            if TESTS[test].kind == "INV":
                print(f"    original: {_short(c.original)}\n      -> {_verdicts(r.before)}")
                print(f"    changed:  {_short(c.variant)}\n      -> {_verdicts(r.after)}")
            else:
                print(f"    text: {_short(c.variant)}\n      -> {_verdicts(r.after)}")


def run_backend(name: str, verifier: Any, cases: Sequence[Any], examples: int) -> None:
    """Every case through one backend, timed per test."""
    harness = Harness(verifier)
    results: list[Result] = []
    seconds: dict[str, float] = {}
    began = cpu_now()
    for case in cases:
        start = cpu_now()
        results.append(harness.run(case))
        seconds[case.test] = seconds.get(case.test, 0.0) + cpu_now() - start
    total = cpu_now() - began
    print(f"\n=== backend {name}: {harness.engine}; ranking {harness.ranking}")
    report(name, results, seconds, examples)
    per = total / harness.checks if harness.checks else 0.0
    print(
        f"\n{name}: {total:.1f} CPU s for {harness.checks} checks ({per:.3f} s a check,"
        f" the shared encoder and model loads included), load {load():.2f}"
    )


def _openai_spec(given: str | None) -> tuple[str | None, str]:
    """The openai: spec to run, or None with why not."""
    if given:
        return (given if given.startswith("openai:") else f"openai:{given}"), ""
    from mesorefs.settings import Settings

    try:
        configured = Settings.load().verifier
    except MesorefsError as error:
        return None, f"settings could not be read ({error})"
    if configured.startswith("openai:"):
        return configured, ""
    return None, "no endpoint: pass --openai <base-url>#<model> or configure an openai: verifier"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-test", type=int, default=200, help="cases per test (200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tests", default=",".join(TESTS), help="comma-separated test names")
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument(
        "--backend",
        default=",".join(DEFAULT_BACKENDS),
        help="baseline,nli,openai (default), and sided: the shipped stance model with both"
        " sides switched on at --sided",
    )
    parser.add_argument(
        "--sided", type=float, default=0.5, help="the sided backend's thresholds (0.5)"
    )
    parser.add_argument("--nli-model", help="a model folder or id for the nli: backend")
    parser.add_argument("--openai", help="<base-url>#<model> of an OpenAI-compatible endpoint")
    parser.add_argument("--examples", type=int, default=3, help="failing cases shown a test")
    parser.add_argument("--write-verbs", action="store_true", help="rebuild behaviour/verbs.txt")
    parser.add_argument("--write-sample", type=Path, help="write the tests' sample of sentences")
    args = parser.parse_args(argv)
    require(DATA / "claims" / "scifact")
    if args.write_verbs:
        write_verbs()
        return
    if args.write_sample:
        write_sample(args.write_sample, args.seed)
        return
    tests = [t.strip() for t in args.tests.split(",") if t.strip()]
    corpora = tuple(c.strip() for c in args.corpora.split(",") if c.strip())
    backends = [b.strip() for b in args.backend.split(",") if b.strip()]
    for bad in [t for t in tests if t not in TESTS] + [c for c in corpora if c not in CORPORA]:
        raise SystemExit(
            f"unknown test or corpus {bad!r}: tests {', '.join(TESTS)}; "
            f"corpora {', '.join(CORPORA)}"
        )
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"behaviour_bench: {now}, commit {commit or '?'}, load {load():.2f}")
    print(
        f"settings: --per-test {args.per_test} --seed {args.seed} --tests {','.join(tests)}"
        f" --corpora {','.join(corpora)} --backend {','.join(backends)}; reference lists of"
        f" the source + {DISTRACTORS} passages of its corpus; data {DATA}"
    )
    for corpus in corpora:
        print(f"  {corpus}: {LICENCES[corpus]}")
    start = cpu_now()
    sources = load_sources(DATA, corpora)
    cases, builder = build(sources, tests, args.per_test, args.seed)
    print(
        f"generated {len(cases)} cases in {cpu_now() - start:.1f} CPU s; sentences each test"
        " could not use (and why):"
    )
    for test in tests:
        made = sum(1 for c in cases if c.test == test)
        skipped = builder.skipped.get(test, Counter())
        why = "; ".join(f"{n} {reason}" for reason, n in skipped.most_common())
        print(f"  {test}: {made} made, {sum(skipped.values())} skipped{': ' + why if why else ''}")
    for name in backends:
        if name == "baseline":
            run_backend("baseline (the shipped default)", None, cases, args.examples)
        elif name == "sided":
            import dataclasses

            from mesorefs.claims.stance import load_stance_model

            model = load_stance_model()
            if model is None:
                print("\n=== backend sided: not run: the shipped stance model did not load")
                continue
            sided = dataclasses.replace(model, support=args.sided, contradict=args.sided)
            run_backend(f"sided (the stance model at {args.sided:g})", sided, cases, args.examples)
        elif name == "nli":
            if not args.nli_model:
                print("\n=== backend nli: not run: no --nli-model DIR given")
                continue
            from mesorefs.claims.backends import load_verifier

            try:
                verifier = load_verifier(f"nli:{args.nli_model}")
            except MesorefsError as error:
                print(f"\n=== backend nli: not run: {terminal_text(str(error))}")
                continue
            run_backend(f"nli:{args.nli_model}", verifier, cases, args.examples)
        elif name == "openai":
            spec, why = _openai_spec(args.openai)
            if spec is None:
                print(f"\n=== backend openai: not run: {why}")
                continue
            from mesorefs.claims.backends import load_verifier

            try:
                verifier = load_verifier(spec)
            except MesorefsError as error:
                print(f"\n=== backend openai: not run: {terminal_text(str(error))}")
                continue
            try:
                run_backend(
                    str(getattr(verifier, "backend", "openai")), verifier, cases, args.examples
                )
            finally:
                close = getattr(verifier, "close", None)
                if close is not None:
                    close()
        else:
            print(
                f"\n=== backend {terminal_text(name)}: not run: unknown (use {', '.join(BACKENDS)})"
            )


if __name__ == "__main__":
    main()
