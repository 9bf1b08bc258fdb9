"""One positive and one negative case per offline check, plus where each finding points."""

from __future__ import annotations

import pytest

from mesorefs.library import Library
from mesorefs.lint import all_checks
from mesorefs.models import Person, Reference, Update

from .conftest import RunCheck


def entry(key: str = "smith2020", **fields: str) -> str:
    """A complete @article entry; ``fields`` override (an empty value drops the field)."""
    base = {
        "author": "Smith, Jane",
        "title": "A study of things",
        "journal": "Journal of Things",
        "year": "2020",
        "doi": "10.1000/xyz123",
    }
    base.update(fields)
    kind = base.pop("type", "article")
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in base.items() if value)
    return f"@{kind}{{{key},\n{body}}}\n"


GOOD = entry()

CASES = [
    # check, positive text, negative text
    ("MR101", GOOD + entry(title="Another study", doi="10.1000/other"), GOOD + entry("jones2021")),
    (
        "MR102",
        GOOD + entry("smith2020b", title="Other words"),
        GOOD + entry("smith2020b", title="Other words", doi="10.1000/other"),
    ),
    (
        "MR103",
        "@article{twice,\n  title = {One},\n  title = {Two},\n  year = {2020},\n}\n",
        GOOD,
    ),
    (
        "MR104",
        "@article{broken,\n  title = {Unbalanced {brace},\n  year = {2020},\n}\n" + GOOD,
        entry(title="The {RNA} world"),
    ),
    ("MR105", entry(title=r"A \unknowncmd{x} study"), entry(title=r"Caf\'e $x^2$ study")),
    ("MR106", entry("müller2020"), entry("muller2020")),
    ("MR201", entry(doi="10.12/abc"), GOOD),
    ("MR202", entry(pmid="abc"), entry(pmid="16681654")),
    ("MR203", entry(doi=""), entry(doi="", pmid="16681654")),
    ("MR301", entry(journal="Plastic and …"), entry(journal="Plastic and Reconstructive Surgery")),
    ("MR302", entry(journal=""), GOOD),
    ("MR303", entry(year="2999"), entry(year="2024")),
    (
        "MR304",
        GOOD
        + entry("a2", title="Two", doi="10.1000/2")
        + entry("a3", title="Three", doi="10.1000/3", journal="journal of things"),
        GOOD + entry("a2", title="Two", doi="10.1000/2"),
    ),
    (
        "MR403",
        entry("pre", type="misc", eprint="2101.00001", archiveprefix="arXiv", journal="", doi="")
        + GOOD,
        entry("pre", type="misc", eprint="2101.00001", archiveprefix="arXiv", journal="", doi=""),
    ),
]


@pytest.mark.parametrize(("check", "positive", "negative"), CASES, ids=[c[0] for c in CASES])
def test_positive_case_is_found(
    run_check: RunCheck, check: str, positive: str, negative: str
) -> None:
    """Each check reports its problem, at a line of the .bib, with its id and name."""
    findings = run_check(check, positive)
    assert findings, f"{check} found nothing"
    assert all(f.check == check and f.file == "refs.bib" for f in findings)
    assert all(f.line is not None and f.line >= 1 for f in findings)
    assert all(f.message and f.name for f in findings)


@pytest.mark.parametrize(("check", "positive", "negative"), CASES, ids=[c[0] for c in CASES])
def test_negative_case_is_quiet(
    run_check: RunCheck, check: str, positive: str, negative: str
) -> None:
    """Each check stays silent on a clean variant of its positive case."""
    assert run_check(check, negative) == []


def _with(**fields: object) -> Library:
    return Library([Reference(key="w", title="T", authors=[Person(family="A")], **fields)])


NOTICES = [
    ("MR401", Update(kind="retraction", doi="10.1000/retraction", date="2021-01-02")),
    ("MR401", Update(kind="withdrawal")),
    ("MR402", Update(kind="correction", doi="10.1000/erratum")),
    ("MR402", Update(kind="expression-of-concern")),
]


@pytest.mark.parametrize(("check", "update"), NOTICES, ids=[f"{c}-{u.kind}" for c, u in NOTICES])
def test_notices_are_reported(run_check: RunCheck, check: str, update: Update) -> None:
    """Retractions and withdrawals are errors, corrections and concerns warnings."""
    found = run_check(check, _with(updates=[update]))
    assert [f.check for f in found] == [check]
    assert found[0].severity == ("error" if check == "MR401" else "warning")
    other = "MR402" if check == "MR401" else "MR401"
    assert run_check(other, _with(updates=[update])) == []


@pytest.mark.parametrize("check", ["MR401", "MR402"], ids=["retracted", "corrected"])
def test_no_notice_no_finding(run_check: RunCheck, check: str) -> None:
    """An entry without notices is neither retracted nor corrected."""
    assert run_check(check, _with()) == []


def test_duplicate_key_points_at_second_entry(run_check: RunCheck) -> None:
    """The second use of a key is reported, at its own line, naming the first one's line."""
    text = GOOD + "\n" + entry(title="Another study", doi="10.1000/other")
    (finding,) = run_check("MR101", text)
    assert finding.line == 9 and finding.key == "smith2020"
    assert "line 1" in finding.message and finding.fix is None


def test_exact_duplicate_is_fixable(run_check: RunCheck) -> None:
    """An exact copy of an entry (same key, same fields) comes with a fix removing it."""
    (finding,) = run_check("MR101", GOOD + GOOD)
    assert finding.fix is not None and finding.fix.remove


def test_duplicate_key_ignores_case(run_check: RunCheck) -> None:
    """BibTeX keys compare without case, so Smith2020 and smith2020 collide."""
    assert run_check("MR101", GOOD + entry("Smith2020", doi="10.1000/other", title="B"))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "Other words"}, "DOI"),
        ({"doi": "", "pmid": "16681654"}, "PMID"),
        ({"doi": ""}, "title, year and first author"),
    ],
    ids=["doi", "pmid", "title-year-author"],
)
def test_duplicate_entry_names_the_reason(
    run_check: RunCheck, fields: dict[str, str], reason: str
) -> None:
    """The duplicate-entry finding says what the two records share."""
    first = entry("one", **fields)
    second = entry("two", **fields)
    (finding,) = run_check("MR102", first + second)
    assert finding.key == "two" and reason in finding.message


def test_field_line_is_reported(run_check: RunCheck) -> None:
    """A finding on a field points at the line where the field is written."""
    (finding,) = run_check("MR201", entry(doi="10.12/abc"))
    assert finding.field == "doi" and finding.line == 6


def test_unbalanced_brace_points_at_field(run_check: RunCheck) -> None:
    """An unbalanced brace is reported at the field that opens it, not as unparseable."""
    text = GOOD + "@article{broken,\n  title = {Unbalanced {brace},\n  year = {2020},\n}\n"
    (finding,) = run_check("MR104", text)
    assert finding.key == "broken" and finding.line == 9
    assert run_check("MR103", text) == []


@pytest.mark.parametrize(
    "year", ["1200", "2999", "199x"], ids=["before-print", "future", "not-a-year"]
)
def test_implausible_years(run_check: RunCheck, year: str) -> None:
    """Years before print, in the future, or not numbers are reported."""
    assert [f.check for f in run_check("MR303", entry(year=year))] == ["MR303"]


@pytest.mark.parametrize(
    ("key", "severity"),
    [("müller2020", "warning"), ("smith 2020", "error"), ("smith{2020", "error")],
    ids=["accent", "space", "brace"],
)
def test_unsafe_keys(run_check: RunCheck, key: str, severity: str) -> None:
    """Non-ASCII keys are warnings; characters that break BibTeX are errors."""
    library = Library([Reference(key=key, title="T")])
    (finding,) = run_check("MR106", library)
    assert finding.severity == severity


def test_unsafe_key_suggests_ascii(run_check: RunCheck) -> None:
    """The message proposes a folded ASCII key."""
    (finding,) = run_check("MR106", entry("müller2020"))
    assert "'muller2020'" in finding.message


def test_truncated_bookkeeping_is_reported(run_check: RunCheck) -> None:
    """Fields the model marks as truncated are reported, authors included."""
    ref = Reference(
        key="t",
        title="T",
        authors=[Person(family="Matarasso"), Person(family="Pfeifer")],
        container_title="Plastic and",
        truncated=frozenset({"container_title", "authors"}),
    )
    found = run_check("MR301", Library([ref]))
    assert sorted(f.field or "" for f in found) == ["authors", "container_title"]


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("book", {"journal": "", "publisher": "P"}),
        ("inproceedings", {"journal": "", "booktitle": "Proc. of Things"}),
        ("phdthesis", {"journal": "", "school": "Uni"}),
        ("online", {"journal": "", "url": "https://example.org"}),
    ],
    ids=["book", "inproceedings", "phdthesis", "online"],
)
def test_required_fields_by_type(run_check: RunCheck, kind: str, fields: dict[str, str]) -> None:
    """Complete entries of other types pass; dropping a required field is reported."""
    assert run_check("MR302", entry(type=kind, **fields)) == []
    assert run_check("MR302", entry(type=kind, **fields, title=""))


def test_journal_abbreviation_used_as_name(run_check: RunCheck) -> None:
    """An entry naming the journal by another entry's abbreviation gets the full name."""
    text = entry(shortjournal="J. Things") + entry(
        "b2", title="B", doi="10.1000/b", journal="J Things"
    )
    (finding,) = run_check("MR304", text)
    assert finding.key == "b2" and finding.fix is not None
    assert dict(finding.fix.set) == {
        "container_title": "Journal of Things",
        "container_title_short": "J. Things",
    }


def test_every_check_has_a_stable_id_and_name() -> None:
    """Ids are MR + three digits, names are kebab-case, both unique, summaries present."""
    checks = all_checks()
    assert len({c.id for c in checks}) == len({c.name for c in checks}) == len(checks)
    for check in checks:
        assert check.id.startswith("MR") and len(check.id) == 5 and check.id[2:].isdigit()
        assert check.name == check.name.lower() and " " not in check.name
        assert check.summary and check.severity in ("info", "warning", "error")
