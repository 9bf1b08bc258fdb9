"""Bounds (issue 27): hostile styles, long bibliographies and long documents cost time and
memory in proportion to their size, and what cannot be read is one line naming it.

Growth cases time the same command on n and 2n (CPU seconds of this process and its
children, so that the shared machine's load does not count) and hold when the ratio is
at most 2.5.  Each command runs in-process through click's CliRunner after a warm-up, so
the import cost is paid before the clock starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.safety._bounds_data import write_bib, write_csl_json, write_ris
from benchmarks.safety.case import Case, Result
from click.testing import CliRunner

GROWTH_LIMIT = 2.5


def _cli(*args: str, timeout: float = 170) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from mesorefs.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _in_process(*args: str) -> tuple[float, int, str]:
    """CPU seconds, exit code and output of one command run in this process."""
    from mesorefs.cli import main

    started = _cpu()
    result = CliRunner().invoke(main, list(args))
    return _cpu() - started, result.exit_code, result.output


def _apa(tmp: Path) -> str:
    from mesorefs.render.styles import find_style

    return find_style("apa").xml


def _one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> Result:
    lines = proc.stderr.strip().splitlines()
    ok = (
        proc.returncode == 2
        and len(lines) == 1
        and "Traceback" not in proc.stderr
        and all(n in lines[0] for n in needles)
    )
    return Result(ok, f"exit {proc.returncode}: {lines[-1][:100] if lines else 'no message'}")


def _bib(tmp: Path) -> Path:
    path = tmp / "refs.bib"
    path.write_text(
        "@article{a, author={Doe, Jane}, title={Mesotherapy reduces local fat},"
        " journal={J Fat}, year={2020}}\n",
        encoding="utf-8",
    )
    return path


# -- styles -----------------------------------------------------------------------------


def style_30mb_comment(tmp: Path) -> Result:
    style = tmp / "comment.csl"
    style.write_text(_apa(tmp).replace("<info>", "<!--" + "x" * 30_000_000 + "--><info>", 1))
    return _one_line_error(_cli("format", "--style", str(style), str(_bib(tmp))), "comment.csl")


def style_deep_nesting(tmp: Path) -> Result:
    style = tmp / "deep.csl"
    depth = 200_000
    style.write_text(_apa(tmp).replace("<info>", "<info>" + "<x>" * depth + "</x>" * depth, 1))
    return _one_line_error(_cli("format", "--style", str(style), str(_bib(tmp))), "deep.csl")


def style_latin1_declared(tmp: Path) -> Result:
    text = _apa(tmp).replace('encoding="utf-8"', 'encoding="ISO-8859-1"', 1)
    style = tmp / "latin.csl"
    style.write_bytes(text.encode("latin-1"))
    bib = tmp / "refs.bib"
    bib.write_text("@book{k, author={Müller, Jürgen}, title={Über Fett}, year={2020}}\n")
    proc = _cli("format", "--style", str(style), str(bib))
    ok = proc.returncode == 0 and "Müller, J. (2020). Über Fett" in proc.stdout
    return Result(ok, f"exit {proc.returncode}: {(proc.stdout or proc.stderr).strip()[:100]}")


# -- long bibliographies --------------------------------------------------------------


def _timed_cli(*args: str, timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = _cpu()
    proc = _cli(*args, timeout=timeout)
    return _cpu() - started, proc


def _scale(command: str, writer: Callable[[Path, int], Path], count: int, limit: float,
           *extra: str) -> Callable[[Path], Result]:  # fmt: skip
    def run(tmp: Path) -> Result:
        source = writer(tmp, count)
        seconds, proc = _timed_cli(command, *extra, str(source), timeout=limit)
        ok = proc.returncode in (0, 1) and "Traceback" not in proc.stderr
        return Result(ok, f"{count:,} in {seconds:.0f} CPU s, exit {proc.returncode}")

    return run


# -- long documents ---------------------------------------------------------------------


def check_10k_headings(tmp: Path) -> Result:
    doc = tmp / "headings.md"
    section = "## Heading {0}\n\nMesotherapy dose {0} reduces fat [@a].\n\n"
    doc.write_text("# Title\n\n" + "".join(section.format(i) for i in range(10_000)))
    seconds, proc = _timed_cli("check", "-b", str(_bib(tmp)), "--json", str(doc), timeout=170)
    ok = proc.returncode in (0, 1) and '"claims"' in proc.stdout
    return Result(ok, f"{seconds:.0f} CPU s, exit {proc.returncode}")


def check_1m_lines(tmp: Path) -> Result:
    doc = tmp / "lines.txt"
    with doc.open("w") as out:
        for i in range(1_000_000):
            out.write(f"Mesotherapy line {i} reduces local fat\n")
    seconds, proc = _timed_cli("check", "-b", str(_bib(tmp)), "--json", str(doc), timeout=170)
    ok = proc.returncode in (0, 1) and '"claims"' in proc.stdout
    return Result(ok, f"{seconds:.0f} CPU s, exit {proc.returncode}")


def _growth(make: Callable[[Path, int], list[str]], n: int) -> Callable[[Path], Result]:
    """Time the command ``make(tmp, size)`` builds at n and 2n, in-process."""

    def run(tmp: Path) -> Result:
        _in_process(*make(tmp, max(1, n // 50)))  # warm up: imports, models, styles
        small, code_small, _ = _in_process(*make(tmp, n))
        large, code_large, _ = _in_process(*make(tmp, 2 * n))
        ratio = large / max(small, 0.01)
        ok = ratio <= GROWTH_LIMIT and code_small in (0, 1) and code_large in (0, 1)
        return Result(ok, f"{n:,}: {small:.1f} s, {2 * n:,}: {large:.1f} s, x{ratio:.2f}")

    return run


def _cite_doc(tmp: Path, n: int) -> Path:
    doc = tmp / f"cites-{n}.md"
    doc.write_text("# Title\n\nSome text " + "Text [@a]. [@" * n + " @a: " * n + "\n")
    return doc


def _lint_doc(tmp: Path, n: int) -> list[str]:
    return ["lint", "--doc", str(_cite_doc(tmp, n)), str(_bib(tmp))]


def _check_doc(tmp: Path, n: int) -> list[str]:
    return ["check", "-b", str(_bib(tmp)), "--json", str(_cite_doc(tmp, n))]


def _format_doc(tmp: Path, n: int) -> list[str]:
    return ["format", "--doc", str(_cite_doc(tmp, n)), str(_bib(tmp))]


def _same_family(tmp: Path, n: int) -> list[str]:
    return ["format", str(write_bib(tmp, n, family="Smith"))]


def _mla_same_author(tmp: Path, n: int) -> list[str]:
    bib = tmp / f"mla-{n}.bib"
    bib.write_text(
        "".join(
            f"@article{{k{i}, author={{Doe, Jane}}, title={{Fat study {i}}},"
            f" journal={{J Fat}}, year={{{1950 + i % 70}}}}}\n"
            for i in range(n)
        )
    )
    return ["format", "--style", "mla", str(bib)]


# format of 100,000 entries keeps its bound (170 s), which it does not meet: pandoc is the
# engine.  Measured 12-07 (load 9-16, CPU s, APA, generated BibTeX): 2,000 entries 3.9 ours
# + 6.1 pandoc, 4,000 8.7 + 14.0, 8,000 17.2 + 30.4.  Ours is linear (about 2.2 ms an
# entry); pandoc's is 4.4 ms an item in runs with disambiguation (150 items), 1.5 ms in
# runs without (1,000 items), 0.6 ms a sort-key copy (two per entry).  Items that share
# a family name need the disambiguation runs: 36 % of 8,000, 99.8 % of 100,000, so at
# 100,000 about 780 CPU s, 390 s on two free cores.  A bound for the integrator to
# propose: "ours at most 3 ms CPU an entry, pandoc's per entry stated".
F = "bounds"
CASES = [
    Case("style-30mb-comment", f"{F}: a 30 MB comment in a style", style_30mb_comment, 120, 500),
    Case("style-deep-nesting", f"{F}: a style nested 200,000 deep", style_deep_nesting, 60, 500),
    Case("style-latin1-declared", f"{F}: a style in declared ISO-8859-1", style_latin1_declared),
    Case("check-10k-headings", f"{F}: check a document of 10,000 headings", check_10k_headings,
         180, 1500),
    Case("check-1m-lines", f"{F}: check a document of 1 M lines", check_1m_lines, 180, 1500),
    Case("lint-doc-cite-runs", f"{F}: lint --doc on runs of [@ and @key:",
         _growth(_lint_doc, 16_000), 180, 1000),
    Case("check-cite-runs", f"{F}: check on runs of [@ and @key:",
         _growth(_check_doc, 16_000), 180, 1500),
    Case("format-doc-cite-runs", f"{F}: format --doc on runs of [@ and @key:",
         _growth(_format_doc, 8_000), 180, 1000),
    Case("format-same-family", f"{F}: format entries sharing a family name",
         _growth(_same_family, 500), 180, 1000),
    Case("mla-same-author", f"{F}: MLA entries by one author", _growth(_mla_same_author, 1000),
         180, 1000),
    Case("lint-100k-csl-json", f"{F}: lint 100,000 CSL-JSON items",
         _scale("lint", write_csl_json, 100_000, 170), 180, 2000),
    Case("lint-100k-ris", f"{F}: lint 100,000 RIS records",
         _scale("lint", write_ris, 100_000, 170), 180, 2000),
    Case("resolve-100k-csl-json", f"{F}: resolve --offline 100,000 CSL-JSON items",
         _scale("resolve", write_csl_json, 100_000, 170, "--offline", "--json"), 180, 2000),
    Case("resolve-100k-ris", f"{F}: resolve --offline 100,000 RIS records",
         _scale("resolve", write_ris, 100_000, 170, "--offline", "--json"), 180, 2000),
    Case("format-100k-csl-json", f"{F}: format 100,000 CSL-JSON items",
         _scale("format", write_csl_json, 100_000, 170), 180, 2000),
    Case("format-100k-ris", f"{F}: format 100,000 RIS records",
         _scale("format", write_ris, 100_000, 170), 180, 2000),
    Case("format-100k", f"{F}: format 100,000 BibTeX entries",
         _scale("format", write_bib, 100_000, 170), 180, 2000),
]  # fmt: skip
