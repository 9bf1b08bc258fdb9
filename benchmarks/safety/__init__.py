"""Cases for ``benchmarks/safety_bench.py``: one module per area of issue 27.

Each module defines ``CASES``, a list of :class:`benchmarks.safety.case.Case`.  A case
reproduces one hostile input from the audit and says whether mesorefs held.
"""
