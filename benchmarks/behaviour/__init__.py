"""Behavioural tests of the claim checker, in the manner of CheckList (Ribeiro et al. 2020).

Test items are made, with a fixed seed, from real sentences of the shared corpora
(``corpora``): a sentence against the reference it comes from (minimum functionality),
its negation and a changed number (directional), a citation marker, a lead-in and a
reordering (invariance), and an unrelated reference (minimum functionality).  The
generators (``negate``, ``numbers``, ``perturb``) are pure functions over one sentence
and skip what they cannot change safely; ``suite`` builds the cases and ``harness``
runs them through :func:`mesorefs.claims.check_claims` for any verifier backend.
``benchmarks/behaviour_bench.py`` prints the figures; docs/behaviour.md says what each
test means.
"""
