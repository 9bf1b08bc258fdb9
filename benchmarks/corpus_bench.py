"""Does `tidy` keep every entry and every field's meaning on real bibliographies?

Runs `mesorefs.tidy_bibtex` over every .bib in ``../shared/data/bib-corpus`` (biber,
JabRef, pybtex and bibtexparser test files) and checks the output with tools that are
not mesorefs' own code, so a bug in mesorefs' reader cannot hide itself:

- entries in and out, counted by bibtexparser (and pybtex where it reads the file);
- fields whose meaning changed: each field of each input entry is compared with the
  same field of the output entry after decoding LaTeX with pylatexenc (math kept
  verbatim, unparsed; only ASCII blanks are spaces), with the markup and unknown macros
  (``\\emph``, ``\\url``, ``\\MF``) counted on both sides, titles also through BibTeX's
  own sentence case (pybtex's ``change_case``), names through BibTeX's " and " (any
  case) and name splitting (pybtex's ``split_name_list`` and ``Person``), pages as
  printed with any run of dashes between them read as one;
  adding case protection is allowed only on acronyms and inner capitals (``{DNA}``,
  ``{iPhone}``, by a rule of the bench's own); adding it to any other word, or
  removing it, is a change;
- idempotence per file (tidy of the output equals the output);
- time against bibtexparser's parse+write of the same text, CPU time: cold (a fresh
  process), warm-new-data (mesorefs' memo tables emptied before each file: the
  headline) and warm-same-data (tables full from earlier rounds), per file interleaved
  over rounds, median; the worst per-file ratios and TUGboat's are printed.

    python benchmarks/corpus_bench.py [--set shared|extra|both] [--rounds 5] [--show 20]
                                      [--corpus DIR] [--no-speed] [--time-only]

``--set extra`` reads the wider corpus of issue 28 (31 files, 11 MB: ADS/astro exports
with journal macros, Zotero/Better BibTeX and Mendeley exports, JabRef files with
groups, MathSciNet, cryptobib's @strings, biblatex-apa's tests, German, French, Russian
and Czech files), fetched first by ``python benchmarks/fetch_corpus_extra.py``;
``--set both`` checks both corpora, each with its own figures.

Needs ``pip install -e '.[bench]'`` (pybtex).  Results: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import Entry
from pybtex.bibtex.utils import change_case, split_name_list
from pybtex.database import Person
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import unicode_to_latex as _ENCODE

from _data import BIB_CORPUS, CORPUS_EXTRA_FETCHED, CORPUS_EXTRA_SHARED, require
from mesorefs.errors import MesorefsError
from mesorefs.library import tidy_bibtex
from mesorefs.memo import clear_memo_tables
from mesorefs.textfile import decode_bibliography

ROOT = Path(__file__).resolve().parents[1]

# Twin names a tidy may write under one spelling (BibLaTeX aliases).
ALIASES = {
    "journaltitle": "journal",
    "location": "address",
    "annotation": "annote",
}
# BibTeX's and biblatex's name lists (biblatex's data model: afterword ... shorteditor).
NAME_FIELDS = set(
    "author editor translator bookauthor editora editorb editorc holder annotator "
    "commentator introduction foreword afterword shortauthor shorteditor".split()
)
TITLE_FIELDS = {"title", "booktitle", "subtitle", "maintitle", "titleaddon", "eventtitle"}
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_TO_TEXT = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
# Accents and letters that a tidy may spell as Unicode or as another macro.
_LETTER_MACROS = set(
    "c v u H k r d b t i j l L o O ss aa AA ae AE oe OE ldots dots textendash textemdash "
    "textquoteleft textquoteright textquotedblleft textquotedblright textbraceleft "
    "textbraceright textbackslash textasciitilde textasciicircum textunderscore "
    "textless textgreater textbar textdollar textperiodcentered S P copyright pounds "
    "relax protect".split()
)


# A run of dashes in decoded text, with the blanks and no-break spaces around it.
_DASHES = re.compile(r"[ \t\n\r\f\v\u00a0]*[-\u2013\u2014]+[ \t\n\r\f\v\u00a0]*")
# TeX's blanks are ASCII: a narrow or thin space (U+202F, U+2009) is a character.
_BLANKS = re.compile(r"[ \t\n\r\f\v]+")
# Math, whose inside pylatexenc must not parse: with a macro that wants an argument
# and has none (``$\not$``, ``$\overline$``) it reads past the closing ``$``.
_MATH_SPAN = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")


def squeeze(text: str) -> str:
    """Runs of TeX blanks as one space, none at the ends."""
    return _BLANKS.sub(" ", text).strip(" ")


def decode(value: str) -> str:
    spans = _MATH_SPAN.findall(value)
    if spans:  # each math span stands in as a private character, and comes back verbatim
        value = _MATH_SPAN.sub(lambda m: chr(0xF0000 + spans.index(m.group())), value)
    try:
        text = _TO_TEXT.latex_to_text(value)
    except Exception:  # pylatexenc's own limits: compare the raw text instead
        text = value
    for k, span in enumerate(spans):
        text = text.replace(chr(0xF0000 + k), span)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return squeeze(text)


@functools.cache
def spells_a_character(name: str) -> bool:
    """A text-mode macro for one character (``\\textsection``, ``\\guillemotleft``): pylatexenc
    reads ``{\\name}`` as one character and writes that character back as this macro, so a
    tidy may spell the character either way (``\\ast``, math only, is not one)."""
    try:
        text = _TO_TEXT.latex_to_text("{\\" + name + "}")
    except Exception:
        return False
    return len(text) == 1 and _ENCODE(text) in ("{\\" + name + "}", "\\" + name)


def markup(value: str) -> Counter[str]:
    """Macros that carry meaning beyond their letters (\\emph, \\url, \\MF, \\TeX)."""
    math_free = re.sub(r"\$[^$]*\$", "", value)
    return Counter(
        m
        for m in _CONTROL_WORD.findall(math_free)
        if m not in _LETTER_MACROS and not spells_a_character(m)
    )


def math(value: str) -> list[str]:
    return re.findall(r"\$[^$]*\$", value)


def text_meaning(value: str) -> tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]]:
    return decode(value), tuple(sorted(markup(value).items())), tuple(math(value))


def _sentence(value: str) -> str:
    # BibTeX reads a field's runs of white space as one space before any style sees it;
    # pybtex's change_case, given the raw run, lower-cases a word after ":" and two spaces.
    value = squeeze(value)
    try:
        return decode(change_case(value, "t"))
    except Exception:
        return decode(value)


_SEGMENT = re.compile(r"[^\W_](?:[\w.'’]*[^\W_])?")
# Capitals kept by protection that tidy added, per kind of word (see title_changed).
ADDED_PROTECTION: Counter[str] = Counter()


def acronym_like(segment: str) -> bool:
    """An acronym or a word with an inner capital, by a rule of this bench's own: two
    capitals or more (DNA, U.S.A, METAFONTbook), a capital after a small letter (iPhone),
    or a capital after a digit with no small letter after it (3D); not Object, 2Nd."""
    capitals = [i for i, c in enumerate(segment) if c.isupper()]
    if len(capitals) >= 2:
        return True
    return any(
        i > 0
        and (
            segment[i - 1].islower()
            or (segment[i - 1].isdigit() and not any(c.islower() for c in segment[i + 1 :]))
        )
        for i in capitals
    )


def _segment_at(text: str, position: int) -> str:
    for match in _SEGMENT.finditer(text):
        if match.start() <= position < match.end():
            return match.group()
    return ""


def title_changed(before: str, after: str) -> bool:
    """True when BibTeX's sentence case prints the title differently, except protection
    added to acronyms and inner capitals (tidy's documented rule); protection added to
    any other word is a change, as removing it is."""
    if text_meaning(before) != text_meaning(after):
        return True
    old, new = _sentence(before), _sentence(after)
    if old == new:
        return False
    if len(old) != len(new):
        return True
    changed = False
    for k, (o, n) in enumerate(zip(old, new, strict=True)):
        if o == n:
            continue
        if o == n.lower() and n != o and acronym_like(_segment_at(new, k)):
            ADDED_PROTECTION["acronym or inner capital"] += 1
            continue
        if o == n.lower() and n != o:
            ADDED_PROTECTION["other word (a change)"] += 1
        changed = True
    return changed


def people(value: str) -> list[tuple[str, ...]]:
    names = split_name_list(squeeze(value))  # BibTeX's own " and ", in any case
    out = []
    for name in names:
        try:
            person = Person(name)
        except Exception:
            out.append((decode(name),))
            continue
        parts = (
            person.first_names + person.middle_names,
            person.prelast_names,
            person.last_names,
            person.lineage_names,
        )
        out.append(tuple(decode(" ".join(p)) for p in parts))
    return out


def pages_meaning(value: str) -> tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]]:
    """The pages as printed, any run of dashes between them read as one: decoded first, so
    ``----`` (an em dash and a hyphen) and ``---{}-`` read alike, as TeX prints them."""
    text, macros, maths = text_meaning(value)
    return _DASHES.sub("-", text), macros, maths


def month_meaning(value: str) -> str:
    text = decode(value).strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return MONTHS[int(text) - 1]
    return text[:3] if text[:3] in MONTHS else text


def field_changed(name: str, before: str, after: str) -> bool:
    if name in NAME_FIELDS:
        return people(before) != people(after)
    if name in TITLE_FIELDS:
        return title_changed(before, after)
    if name == "month":
        return month_meaning(before) != month_meaning(after)
    if name == "pages":
        return pages_meaning(before) != pages_meaning(after)
    if name in ("doi", "url", "file", "eprint"):
        return before.strip().lower() != after.strip().lower()
    return text_meaning(before) != text_meaning(after)


def entries_of(text: str) -> tuple[list[Entry], int]:
    """Entries in the order they stand (duplicates too), and the unparseable ones."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    entries: list[Entry] = []
    failed = 0
    for block in library.blocks:
        entry = block if isinstance(block, Entry) else getattr(block, "ignore_error_block", None)
        if isinstance(entry, Entry):
            entries.append(entry)
        elif block in library.failed_blocks and re.match(r"\s*@\s*\w+\s*[{(]", block.raw or ""):
            failed += 1
    return entries, failed


def fields_of(entry: Entry) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in entry.fields:
        value = f.value if isinstance(f.value, str) else str(f.value)
        value = value.strip()
        if len(value) >= 2 and value[0] + value[-1] in ("{}", '""'):
            value = value[1:-1]
        name = ALIASES.get(f.key.lower(), f.key.lower())
        out[name] = value
    return out


@dataclass
class FileResult:
    name: str
    entries_in: int = 0
    entries_out: int = 0
    pybtex_in: int | None = None
    fields: int = 0
    rewritten: int = 0
    changed: list[str] = field(default_factory=list)
    idempotent: bool = True
    error: str | None = None


def pybtex_count(text: str) -> int | None:
    from pybtex.database import parse_string

    try:
        return len(parse_string(text, "bibtex").entries)
    except Exception:
        return None


def read_bib(path: Path) -> tuple[str, str | None]:
    """The file's text, and the error when mesorefs refused it with an encoding hint."""
    data = path.read_bytes()
    try:
        return decode_bibliography(data, str(path)), None
    except MesorefsError as error:
        # Refused with a hint; go on as a user would, with --encoding set to the hint.
        hinted = re.search(r"use --encoding ([\w.-]+)", str(error))
        return data.decode(hinted.group(1) if hinted else "latin-1", errors="replace"), str(error)


def check_file(path: Path, root: Path) -> tuple[FileResult, str]:
    result = FileResult(path.relative_to(root).as_posix())
    text, result.error = read_bib(path)
    out = tidy_bibtex(text, str(path))
    again = tidy_bibtex(out, str(path))
    result.idempotent = again == out
    before, failed_in = entries_of(text)
    after, failed_out = entries_of(out)
    result.entries_in = len(before) + failed_in
    result.entries_out = len(after) + failed_out
    result.pybtex_in = pybtex_count(text)
    # Entries keep their order and number: pair them by position, and check the keys
    # (never renamed; an empty key is the one thing tidy fills in).
    pairs = list(zip(before, after, strict=False))
    if len(before) != len(after):
        result.changed.append(f"{len(before)} entries in, {len(after)} out: paired by key")
        by_key = {e.key.lower(): e for e in after}
        pairs = [(e, by_key[e.key.lower()]) for e in before if e.key.lower() in by_key]
    for entry, twin in pairs:
        if entry.key.strip() and entry.key != twin.key:
            result.changed.append(f"{entry.key}: key changed to {twin.key}")
        new_fields = fields_of(twin)
        for name, value in fields_of(entry).items():
            result.fields += 1
            if name not in new_fields:
                result.changed.append(f"{entry.key}.{name}: dropped ({value[:60]!r})")
            elif new_fields[name] != value:
                result.rewritten += 1
            if name in new_fields and field_changed(name, value, new_fields[name]):
                result.changed.append(
                    f"{entry.key}.{name}: {value[:70]!r} -> {new_fields[name][:70]!r}"
                )
    return result, text


def cpu_time(func: Callable[[], object]) -> float:
    start = time.process_time()
    func()
    return time.process_time() - start


def bibtexparser_roundtrip(text: str) -> str:
    return str(bibtexparser.write_string(bibtexparser.parse_string(text)))


_COLD = """
import sys, time
from pathlib import Path
import bibtexparser
from mesorefs.library import tidy_bibtex
from mesorefs.textfile import decode_bibliography
texts = []
for name in sys.argv[2:]:
    try:
        texts.append(decode_bibliography(Path(name).read_bytes()))
    except Exception:
        pass
start = time.process_time()
for text in texts:
    eval(sys.argv[1])
print(time.process_time() - start)
"""


def cold_seconds(files: list[Path], call: str) -> float:
    """CPU time of one pass of ``call`` over the corpus in a new process: no warm caches."""
    done = subprocess.run(
        [sys.executable, "-c", _COLD, call, *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def timing(files: list[Path], texts: list[str], names: list[str], rounds: int) -> None:
    """Cold, warm-new-data (the headline) and warm-same-data, each beside bibtexparser.

    - cold: one pass over the corpus in a fresh process (imports excluded);
    - warm-new-data: every memo table of mesorefs emptied (``clear_memo_tables``) before
      each file, as a user's next, different file meets them; per file, interleaved
      with bibtexparser's parse+write of the same text, over ``rounds`` rounds;
    - warm-same-data: the same rounds with the tables kept full from earlier rounds.
    """
    cold = cold_seconds(files, "tidy_bibtex(text)")
    cold_peer = cold_seconds(files, "bibtexparser.write_string(bibtexparser.parse_string(text))")
    print(
        f"cold (a fresh process, CPU s, imports excluded): mesorefs tidy {cold:.2f}, "
        f"bibtexparser parse+write {cold_peer:.2f}, ratio {cold / cold_peer:.2f}x"
    )
    loads = [os.getloadavg()[0]]
    new_ours: list[list[float]] = [[] for _ in texts]
    same_ours: list[list[float]] = [[] for _ in texts]
    peer: list[list[float]] = [[] for _ in texts]
    for _ in range(rounds):
        for k, text in enumerate(texts):
            clear_memo_tables()
            new_ours[k].append(cpu_time(lambda: tidy_bibtex(text)))  # noqa: B023
            peer[k].append(cpu_time(lambda: bibtexparser_roundtrip(text)))  # noqa: B023
            same_ours[k].append(cpu_time(lambda: tidy_bibtex(text)))  # noqa: B023
        loads.append(os.getloadavg()[0])
    load = f"load {min(loads):.2f}-{max(loads):.2f}"
    medians = [statistics.median(t) for t in new_ours]
    peers = [statistics.median(t) for t in peer]
    same = [statistics.median(t) for t in same_ours]
    total_new, total_peer, total_same = sum(medians), sum(peers), sum(same)
    print(
        f"warm-new-data (memo tables emptied before each file; CPU s, per-file median of "
        f"{rounds} interleaved rounds, {load}): mesorefs tidy {total_new:.2f}, bibtexparser "
        f"parse+write {total_peer:.2f}, ratio {total_new / total_peer:.2f}x (target <= 1.5x)"
    )
    print(
        f"warm-same-data (the tables full from earlier rounds): mesorefs tidy "
        f"{total_same:.2f}, ratio {total_same / total_peer:.2f}x"
    )
    # Per file: the worst ratios among files bibtexparser takes at least 5 ms on (below
    # that, a file's figure is the timer's noise).
    ratios = sorted(
        (
            (m / p, name, m, p)
            for m, p, name in zip(medians, peers, names, strict=True)
            if p >= 0.005
        ),
        reverse=True,
    )
    print(f"per file, warm-new-data, worst ratios (of {len(ratios)} files >= 5 ms):")
    for ratio, name, m, p in ratios[:5]:
        print(f"  {ratio:5.2f}x  {name} ({m * 1000:.0f} ms against {p * 1000:.0f} ms)")
    for ratio, name, m, p in ratios:
        if "tugboat" in name:
            print(f"TUGboat ({name}): {ratio:.2f}x ({m * 1000:.0f} ms against {p * 1000:.0f} ms)")


def extra_corpus() -> Path:
    """Where the wider corpus is: shared/ when placed there, else where the fetcher puts it."""
    if CORPUS_EXTRA_SHARED.exists():
        return CORPUS_EXTRA_SHARED
    if not CORPUS_EXTRA_FETCHED.exists():
        raise SystemExit(
            f"no wider corpus at {CORPUS_EXTRA_FETCHED}: run benchmarks/fetch_corpus_extra.py"
        )
    return CORPUS_EXTRA_FETCHED


def check_corpus(root: Path, show: int) -> tuple[list[Path], list[str], list[str]]:
    """Check every .bib under ``root`` and print its figures; the files and their texts."""
    files = sorted(require(root).rglob("*.bib"))
    texts: list[str] = []
    results: list[FileResult] = []
    ADDED_PROTECTION.clear()
    for path in files:
        result, text = check_file(path, root)
        results.append(result)
        texts.append(text)
    entries_in = sum(r.entries_in for r in results)
    entries_out = sum(r.entries_out for r in results)
    lost = sum(max(0, r.entries_in - r.entries_out) for r in results)
    changed = [c for r in results for c in (f"{r.name}: {x}" for x in r.changed)]
    not_idempotent = [r.name for r in results if not r.idempotent]
    refused = [f"{r.name}: {r.error}" for r in results if r.error]
    print(f"corpus: {root}")
    print(
        f"files: {len(files)} read, {len(refused)} refused with an encoding hint "
        "(then checked with --encoding set to the hint)"
    )
    for line in refused:
        print(f"  refused {line}")
    print(f"entries: {entries_in} in (bibtexparser), {entries_out} out, {lost} lost")
    for r in results:
        if r.entries_out < r.entries_in:
            print(f"  lost {r.entries_in - r.entries_out} in {r.name}")
    print(
        f"pybtex reads {sum(r.pybtex_in or 0 for r in results)} entries "
        f"({sum(1 for r in results if r.pybtex_in is None)} files it refuses)"
    )
    print(
        f"fields checked: {sum(r.fields for r in results)}, "
        f"rewritten (normalized): {sum(r.rewritten for r in results)}, "
        f"changed in meaning: {len(changed)}"
    )
    for by_file in Counter(c.split(":")[0] for c in changed).most_common(10):
        print(f"  {by_file[1]:5d}  {by_file[0]}")
    for line in changed[:show]:
        print(f"  - {line}")
    print(
        "capitals kept by added protection: "
        + (", ".join(f"{n} on {kind}" for kind, n in ADDED_PROTECTION.items()) or "none")
    )
    print(f"files not idempotent: {len(not_idempotent)} {not_idempotent[:10]}")
    return files, texts, [f"{root.name}/{r.name}" for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        choices=("shared", "extra", "both"),
        default="shared",
        help="shared/data/bib-corpus, the wider corpus of fetch_corpus_extra.py, or both",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="any folder of .bib files")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--show", type=int, default=15, help="changed fields to list")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing")
    parser.add_argument("--time-only", action="store_true", help="skip the fidelity checks")
    args = parser.parse_args()
    if args.corpus is not None:
        roots = [args.corpus]
    else:
        roots = {
            "shared": [BIB_CORPUS],
            "extra": [extra_corpus()],
            "both": [BIB_CORPUS, extra_corpus()],
        }[args.set]
    files: list[Path] = []
    texts: list[str] = []
    names: list[str] = []
    for root in roots:
        if args.time_only:
            found = sorted(require(root).rglob("*.bib"))
            files += found
            texts += [read_bib(path)[0] for path in found]
            names += [f"{root.name}/{path.relative_to(root).as_posix()}" for path in found]
            continue
        more_files, more_texts, more_names = check_corpus(root, args.show)
        files += more_files
        texts += more_texts
        names += more_names
    if args.no_speed:
        return
    print()
    timing(files, texts, names, args.rounds)
    sys.exit(0)


if __name__ == "__main__":
    main()
