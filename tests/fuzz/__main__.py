"""A long fuzz run by hand: ``python -m tests.fuzz --minutes 30`` (from the repository root).

Runs every target of ``tests/fuzz/targets.py`` in turn, in rounds of random examples, until
the time is up; prints the examples run per target and stops at the first failure with
the input that caused it.  Memory is capped (``--memory-mb``) so a blow-up fails loudly
instead of swapping, and each example must finish within ``--example-seconds``.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import targets
from mesorefs.errors import MesorefsError
from resolve.fakes import local_http_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--round", type=int, default=200, help="examples per target per round")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--example-seconds", type=float, default=10.0)
    args = parser.parse_args()
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    counts: Counter[str] = Counter()
    ends = time.monotonic() + args.minutes * 60

    def checked(name: str, target: Any, *values: Any) -> None:
        counts[name] += 1
        started = time.monotonic()
        try:
            target(*values)
        except MesorefsError as error:
            assert "\n" not in str(error), f"{name}: a multi-line error: {error!r}"
        took = time.monotonic() - started
        assert took < args.example_seconds, f"{name}: one example took {took:.1f} s"

    with local_http_server() as server:
        plans: list[tuple[str, Any, tuple[Any, ...]]] = [
            ("bibtex", targets.bibtex, (targets.BIBTEX,)),
            ("csl-json", targets.csl_json, (targets.CSL_JSON,)),
            ("csl-item", targets.csl_item, (targets.JSON_VALUE,)),
            ("ris", targets.ris, (targets.RIS,)),
            ("reference-string", targets.reference_string, (targets.REFERENCE,)),
            ("reference-block", targets.reference_block, (targets.REFERENCE,)),
            ("document", targets.document, (targets.DOCUMENT,)),
            ("bytes", targets.text_bytes, (targets.RAW_BYTES,)),
            ("settings", targets.settings, (targets.SETTINGS_ENV, targets.TOML)),
            ("snapshot-source", targets.snapshot_source, (targets.SNAPSHOT_SOURCE,)),
            ("manifest", targets.manifest, (targets.MANIFEST,)),
            ("csl-style", targets.csl_style, (targets.STYLE,)),
            ("verifier-answer", targets.verifier_answer, (targets.ANSWER,)),
            (
                "server-payload",
                lambda body: targets.server_payload(server, body),
                (targets.SERVER_BODY,),
            ),
        ]
        rounds = 0
        while time.monotonic() < ends:
            rounds += 1
            for name, target, strategies in plans:
                if time.monotonic() >= ends:
                    break
                slow = name in ("server-payload", "csl-style")  # a server, pandoc
                examples = args.round // 10 if slow else args.round

                @settings(
                    max_examples=examples,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                @given(st.tuples(*strategies))
                def run(values: tuple[Any, ...]) -> None:
                    checked(name, target, *values)  # noqa: B023 - run() is called at once

                run()
            done = sum(counts.values())
            print(f"round {rounds}: {done:,} cases so far", flush=True)
    print(f"{sum(counts.values()):,} cases in {args.minutes:g} minutes, no failure:")
    for name, count in sorted(counts.items()):
        print(f"  {name:18s} {count:,}")


if __name__ == "__main__":
    main()
