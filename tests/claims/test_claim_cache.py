"""Claim results kept between runs (claims/claim_cache.py): the same report, less work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mesorefs.claims.check as check_module
from mesorefs.claims import check_claims
from mesorefs.claims.claim_cache import (
    ClaimCache,
    claim_key,
    result_from_data,
    result_to_data,
)
from mesorefs.claims.parts import Part
from mesorefs.claims.results import (
    VERDICTS,
    CitationCheck,
    Claim,
    ClaimResult,
    Evidence,
    Link,
    PartResult,
)
from mesorefs.claims.verify import BaselineVerifier, Judgement
from mesorefs.models import Reference

REFS = [
    Reference(key="a", title="Needles", abstract="Needle depth was 4 mm in all cases."),
    Reference(key="b", title="Rollers", abstract="Rollers made the skin red for a day."),
    Reference(key="c", title="Creams", abstract="Creams did not reduce wrinkles at 12 weeks."),
]
TEXT = (
    "Needle depth was 4 mm in every patient [@a]. Rollers redden the skin for a day [@b].\n\n"
    "Creams reduce wrinkles within twelve weeks [@c]. Creams are cheap.\n"
)


def _claims(folder: Path) -> list[Path]:
    return sorted((folder / "claims").glob("*.json"))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the claims link_claim judges from now on."""
    judged: list[str] = []
    real = check_module.link_claim

    def counted(claim: Claim, *args: Any, **kwargs: Any) -> ClaimResult:
        judged.append(claim.text)
        return real(claim, *args, **kwargs)

    monkeypatch.setattr(check_module, "link_claim", counted)
    return judged


@pytest.mark.parametrize("lexical", [True, False], ids=["lexical", "dense"])
def test_results_read_back_as_they_were_made(
    seed_text: str, seed_refs: list[Reference], lexical: bool, request: pytest.FixtureRequest
) -> None:
    """Every result of a real check, written as JSON and read back, equals the original."""
    encoder: Any = False if lexical else request.getfixturevalue("dense_encoder")
    report = check_claims(seed_text, seed_refs, encoder=encoder)
    for result in report.claims:
        if not result.claim.checkworthy:
            continue
        text = json.dumps(result_to_data(result))
        back = result_from_data(json.loads(text), result.claim, result.unresolved)
        assert back == result


_TEXT = st.text(max_size=20)
_FLOAT = st.floats(allow_nan=False, allow_infinity=False)
_LINK = st.builds(
    Link,
    key=_TEXT,
    stance=st.sampled_from(["supports", "contradicts", "neutral"]),
    score=_FLOAT,
    relevance=_FLOAT,
    rank=st.integers(),
    evidence=st.builds(
        Evidence,
        field=_TEXT,
        text=_TEXT,
        start=st.integers(),
        end=st.integers(),
        source=st.none() | _TEXT,
    ),
    cues=st.lists(_TEXT, max_size=3).map(tuple),
    cited=st.booleans(),
    related=st.booleans(),
    verifier=_TEXT,
)
_LINKS = st.lists(_LINK, max_size=3).map(tuple)
_CHECK = st.builds(
    CitationCheck,
    key=_TEXT,
    stance=_TEXT,
    supports=st.booleans(),
    better=st.none() | _TEXT,
    verdict=_TEXT,
    link=st.none() | _LINK,
    suggestions=st.lists(_TEXT, max_size=3).map(tuple),
)
_CLAIM = Claim("c1", "A is B.", "A is B.", "sentence", 10, 17, None, None, True, None)
_SPAN = Part("A is B.", "A is B.", 10, 17)


@given(
    verdict=st.sampled_from(VERDICTS),
    links=_LINKS,
    checks=st.lists(_CHECK, max_size=2).map(tuple),
    part=st.tuples(st.sampled_from(VERDICTS), _TEXT, _LINKS),
    explanation=_TEXT,
    needed=st.booleans(),
    could=st.lists(_TEXT, max_size=3).map(tuple),
)
def test_any_result_round_trips(
    verdict: Any,
    links: tuple[Link, ...],
    checks: tuple[CitationCheck, ...],
    part: tuple[Any, str, tuple[Link, ...]],
    explanation: str,
    needed: bool,
    could: tuple[str, ...],
) -> None:
    """Any result (any text, number, stance) written as JSON reads back equal."""
    result = ClaimResult(
        _CLAIM,
        verdict,
        links,
        checks,
        explanation=explanation,
        parts=(PartResult(_SPAN, *part),),
        unresolved=("Smith 2010",),
        citation_needed=needed,
        could_cite=could,
    )
    text = json.dumps(result_to_data(result))
    assert result_from_data(json.loads(text), _CLAIM, ("Smith 2010",)) == result


def test_a_rerun_judges_nothing_and_builds_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rerun over the same document and library gives the report a run without a cache
    gives, judging no claim and building no index."""
    plain = check_claims(TEXT, REFS, encoder=False).to_json()
    assert check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path).to_json() == plain
    judged = _counting(monkeypatch)

    def no_index(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an index was built")

    monkeypatch.setattr(check_module, "_index", no_index)
    assert check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path).to_json() == plain
    assert judged == []


def test_an_edit_judges_only_the_edited_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one sentence is edited (moving every claim after it), only that claim is
    judged again, and the report is the one a run without a cache gives."""
    check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path)
    edited = TEXT.replace("Needle depth was 4 mm", "In 2019, needle depth was 4 mm")
    plain = check_claims(edited, REFS, encoder=False).to_json()
    judged = _counting(monkeypatch)
    assert check_claims(edited, REFS, encoder=False, cache_dir=tmp_path).to_json() == plain
    assert judged == ["In 2019, needle depth was 4 mm in every patient [@a]."]


@pytest.mark.parametrize(
    "change",
    [
        lambda refs: [*refs[:2], refs[2].model_copy(update={"abstract": "Creams helped."})],
        lambda refs: refs[:2],
        lambda refs: list(reversed(refs)),
    ],
    ids=["abstract-edited", "reference-removed", "order-changed"],
)
def test_a_changed_library_judges_every_claim_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[list[Reference]], list[Reference]],
) -> None:
    """Results made against one library are never read for another."""
    check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path)
    other = change(REFS)
    plain = check_claims(TEXT, other, encoder=False).to_json()
    judged = _counting(monkeypatch)
    assert check_claims(TEXT, other, encoder=False, cache_dir=tmp_path).to_json() == plain
    assert len(judged) == sum(1 for c in json.loads(plain)["claims"] if c["checkworthy"])


def test_another_verifier_reads_no_result_of_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results of one engine's parameters are never read for another's."""
    check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path)
    eager = BaselineVerifier(relevance=0.1, support=0.2, dense_weight=0.0)
    plain = check_claims(TEXT, REFS, encoder=False, verifier=eager).to_json()
    judged = _counting(monkeypatch)
    again = check_claims(TEXT, REFS, encoder=False, verifier=eager, cache_dir=tmp_path)
    assert again.to_json() == plain
    assert judged


class _Remote:
    """A verifier mesorefs does not know (like a remote endpoint): says neutral."""

    name = "remote"
    backend = "openai:https://example.invalid/v1#m"

    def verify(self, claim: str, passages: Any, idf: Any) -> list[Judgement]:
        return [Judgement("neutral", 0.5, 0.5) for _ in passages]


def test_results_of_an_unknown_verifier_are_not_kept(tmp_path: Path) -> None:
    """A verifier whose answers may change (a remote one, a user's own) has none of its
    results kept."""
    check_claims(TEXT, REFS, encoder=False, verifier=_Remote(), cache_dir=tmp_path)  # type: ignore[arg-type]
    assert _claims(tmp_path) == []


def _garbage(path: Path, other: Path) -> None:
    path.write_bytes(b"\x00{not json")


def _foreign_format(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "format": "someone-else/1"}), encoding="utf-8")


def _copied(path: Path, other: Path) -> None:
    path.write_bytes(other.read_bytes())  # another claim's result under this name


def _wrong_types(path: Path, other: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data["value"], dict) and "links" in data["value"]:
        data["value"]["links"] = [{"key": 7}]
        data["value"]["verdict"] = "fine"
    else:
        data["value"] = {"ranking": 3}
    path.write_text(json.dumps(data), encoding="utf-8")


def _truncated(path: Path, other: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


@pytest.mark.parametrize(
    "damage",
    [_garbage, _foreign_format, _copied, _wrong_types, _truncated],
    ids=["garbage", "foreign-format", "copied", "wrong-types", "truncated"],
)
def test_a_damaged_or_foreign_file_is_ignored(
    tmp_path: Path, damage: Callable[[Path, Path], None]
) -> None:
    """Whatever a cache file holds, a rerun gives the report a run without a cache gives,
    and the next run has good files again."""
    plain = check_claims(TEXT, REFS, encoder=False).to_json()
    check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path)
    files = _claims(tmp_path)
    assert len(files) >= 3
    for path, other in zip(files, [*files[1:], files[0]], strict=True):
        damage(path, other)
    assert check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path).to_json() == plain
    assert check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path).to_json() == plain


def test_a_folder_that_cannot_be_written_is_named_once(tmp_path: Path) -> None:
    """A cache folder that cannot be made (a file holds its name) leaves the report as it
    is, with one warning naming the claim cache."""
    plain = check_claims(TEXT, REFS, encoder=False)
    (tmp_path / "claims").write_text("not a folder", encoding="utf-8")
    report = check_claims(TEXT, REFS, encoder=False, cache_dir=tmp_path)
    assert [w for w in report.warnings if w not in plain.warnings] == [
        w for w in report.warnings if "claim cache" in w
    ]
    assert sum("claim cache" in w for w in report.warnings) == 1
    assert report.claims == plain.claims


def test_a_result_key_follows_what_decides_it() -> None:
    """The key changes with the claim's words, its cited keys and the library; not with
    where the claim stands or its id."""
    moved = Claim("c9", "A is B.", "A is B.", "sentence", 90, 97, "S", "ctx", True, None)
    base = claim_key("L", _CLAIM, ["a"])
    assert claim_key("L", moved, ["a"]) == base
    assert claim_key("M", _CLAIM, ["a"]) != base
    assert claim_key("L", _CLAIM, ["b"]) != base
    assert claim_key("L", _CLAIM, []) != base
    words = Claim("c1", "A is C.", "A is C.", "sentence", 10, 17, None, None, True, None)
    assert claim_key("L", words, ["a"]) != base


def test_only_the_newest_files_are_kept(tmp_path: Path) -> None:
    """Beyond ``keep`` files, the least recently used are removed, and nothing of others."""
    cache = ClaimCache(tmp_path, keep=3)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    keys = [f"{i:064x}" for i in range(6)]
    for n, key in enumerate(keys):
        cache.keep_result(key, ClaimResult(_CLAIM, "unsupported", (), (), parts=()))
        os.utime(tmp_path / f"{key}.json", ns=(n * 10**9, n * 10**9))
    cache.prune()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(f"{k}.json" for k in keys[-3:]), "notes.txt"])


_RERUN = textwrap.dedent(
    """
    import sys
    from mesorefs.cli import main
    try:
        main(["check", *sys.argv[1:]])
    except SystemExit:
        pass
    print("numpy" in sys.modules, file=sys.stderr)
    """
)


def test_the_cli_rerun_prints_the_same_and_imports_no_numpy(tmp_path: Path) -> None:
    """`mesorefs check` run again over its cache prints what its first run printed (JSON,
    text, HTML and Markdown), and the rerun never imports numpy."""
    doc, bib = tmp_path / "doc.md", tmp_path / "refs.bib"
    doc.write_text(TEXT, encoding="utf-8")
    from mesorefs.library import Library

    bib.write_text(Library(REFS).to_bibtex(), encoding="utf-8")
    args = [str(doc), "--bib", str(bib)]

    def run(cache: str, *more: str) -> tuple[str, str]:
        env = {**os.environ, "MESOREFS_CACHE_DIR": str(tmp_path / cache)}
        done = subprocess.run(
            [sys.executable, "-c", _RERUN, *args, *more],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        return done.stdout, done.stderr.split()[-1]

    files: dict[int, list[bytes]] = {}
    for n in range(2):
        html, md = tmp_path / f"{n}.html", tmp_path / f"{n}.md"
        printed = run("json", "--json", f"--html={html}", f"--markdown={md}")
        assert printed[0].startswith("{")
        files[n] = [printed[0].encode(), html.read_bytes(), md.read_bytes(), printed[1].encode()]
    assert files[0][:3] == files[1][:3]
    assert files[1][3] == b"False"
    text = [run("text") for _ in range(2)]
    assert text[0][0] == text[1][0]
    assert text[1][1] == "False"
