"""Precision, recall and F1 as every benchmark computes them (0 where nothing counts).

See benchmarks/README.md.  ``match_bench`` keeps its own convention (a matcher that
links nothing has precision 1) and says so where it computes it.
"""

from __future__ import annotations


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from true positives, false positives, false negatives."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def prf_counts(correct: float, predicted: float, gold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from the correct, predicted and gold counts."""
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
