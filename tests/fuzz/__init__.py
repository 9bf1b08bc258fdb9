"""Fuzzing of every input parser: only success or a MesorefsError may come out.

``tests/fuzz/test_fuzz.py`` runs a few examples of each target in CI; ``python -m tests.fuzz
--minutes N`` runs them for longer by hand (see the README).
"""
