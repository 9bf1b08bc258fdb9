"""Scores that sum word weights do not depend on the order a set or dict yields them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Weights whose float sum depends on the order of addition: (0.1 + 0.2) + 0.3 differs from
# 0.1 + (0.2 + 0.3) in the last bit; set order follows the string hash seed.
_PROGRAM = """
from mesorefs.claims.verify import coverage
idf = {w: v for w, v in zip("alpha beta gamma delta epsilon zeta".split(),
                            (0.1, 0.2, 0.3, 0.7, 1.1, 1.3))}
claim = "alpha beta gamma delta epsilon zeta"
print(repr(coverage(claim, "alpha gamma epsilon", idf)))
"""


@pytest.mark.parametrize("seeds", [("0", "1", "7", "123")], ids=["four-hash-seeds"])
def test_coverage_is_the_same_under_every_hash_seed(seeds: tuple[str, ...]) -> None:
    """The IDF-weighted coverage of a claim is bit-identical whatever the hash seed."""
    outputs = set()
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _PROGRAM], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(done.stdout.strip())
    assert len(outputs) == 1, outputs
