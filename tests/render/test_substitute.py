"""The pure parts of subsequent-author substitution (the engine runs in test_api)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from mesorefs.models import Reference
from mesorefs.render import format_bibliography, substitute
from mesorefs.render.styles import CSL_NS, find_style
from mesorefs.render.writers import write_blocks


def test_marker_and_removal() -> None:
    xml = find_style("modern-language-association").xml
    assert substitute.marker(xml) == "———"
    assert substitute.marker(substitute.without_substitute(xml)) is None
    assert substitute.marker(find_style("apa").xml) is None


def test_emulated_only_under_the_complete_all_rule() -> None:
    assert substitute.emulated(find_style("modern-language-association").xml)
    assert not substitute.emulated(find_style("apa").xml)
    assert not substitute.emulated(find_style("mhra-author-date-no-url").xml)  # partial-first


def test_names_only_style_prints_the_leading_names_and_their_first_stand_in() -> None:
    xml = substitute.names_only_style(find_style("modern-language-association").xml)
    assert xml is not None
    root = ElementTree.fromstring(xml.encode("utf-8"))
    ns = {"csl": CSL_NS}
    (names,) = root.findall("csl:bibliography/csl:layout/*", ns)
    assert names.get("variable") == "composer"
    assert [n.get("variable") for n in names.findall("csl:substitute/*", ns)] == ["author"]
    assert names.find("csl:label", ns) is None
    assert names.find("csl:et-al", ns).get("vertical-align") == "sup"  # type: ignore[union-attr]
    assert substitute.marker(xml) is None


def _para(*words: str, et_al: bool = False) -> list[dict[str, Any]]:
    inlines: list[dict[str, Any]] = []
    for word in words:
        inlines += [{"t": "Str", "c": word}, {"t": "Space"}]
    if et_al:
        inlines.append({"t": "Superscript", "c": [{"t": "Str", "c": "et al."}]})
    else:
        inlines.pop()
    return [{"t": "Para", "c": inlines}]


_MLA = find_style("modern-language-association").xml


@pytest.mark.parametrize(
    ("entries", "names", "expected"),
    [
        (
            [("a", _para("Roe,", "Ann.", "A.")), ("b", _para("Roe,", "Ann.", "B."))],
            {"a": _para("Roe,", "Ann"), "b": _para("Roe,", "Ann")},
            ["Roe, Ann. A.", "———. B."],
        ),
        (
            [("a", _para("Roe,", "Ann.", "A.")), ("b", _para("Roe,", "Ann,", "et", "al.", "B."))],
            {"a": _para("Roe,", "Ann"), "b": _para("Roe,", "Ann,", et_al=True)},
            ["Roe, Ann. A.", "———. B."],
        ),
        (
            [("a", _para("Roe,", "Ann.", "A.")), ("b", _para("Roe,", "Bea.", "B."))],
            {"a": _para("Roe,", "Ann"), "b": _para("Roe,", "Bea")},
            ["Roe, Ann. A.", "Roe, Bea. B."],
        ),
        (
            [("a", _para("Roe,", "Ann.", "A.")), ("b", _para("Other", "text."))],
            {"a": _para("Roe,", "Ann"), "b": _para("Roe,", "Ann")},
            ["Roe, Ann. A.", "Other text."],
        ),
    ],
    ids=["repeated", "et-al-hidden", "different", "names-not-found"],
)
def test_apply(entries: list[substitute.Entry], names: dict[str, Any], expected: list[str]) -> None:
    items = [{"id": "a", "author": [{"family": "Roe"}]}, {"id": "b", "author": [{}]}]
    result = substitute.apply(entries, items, names, _MLA)
    assert [write_blocks(blocks, "text") for _, blocks in result] == expected


def test_apply_skips_entries_without_the_leading_names() -> None:
    entries: list[substitute.Entry] = [
        ("a", _para("Roe,", "Ann.", "A.")),
        ("b", _para("Roe,", "Ann,", "editor.", "B.")),
        ("c", _para("Roe,", "Ann.", "C.")),
    ]
    names = {k: _para("Roe,", "Ann") for k in "abc"}
    items = [
        {"id": "a", "author": [{"family": "Roe"}]},
        {"id": "b", "editor": [{"family": "Roe"}]},
        {"id": "c", "author": [{"family": "Roe"}]},
    ]
    result = substitute.apply(entries, items, names, _MLA)
    assert [write_blocks(b, "text") for _, b in result] == [
        "Roe, Ann. A.",
        "Roe, Ann, editor. B.",
        "———. C.",
    ]


def test_a_variable_standing_in_first_is_compared_and_replaced(tmp_path: Path) -> None:
    """As in the suite's name_SubsequentAuthorSubstituteSingleField: two nameless
    newspaper articles led by the same container title, the second gets the dashes."""
    style = f"""<style xmlns="{CSL_NS}" class="in-text" version="1.0">
  <info><id>x</id><title>x</title><updated>2020-01-01T00:00:00+00:00</updated></info>
  <macro name="contributors">
    <names variable="author"><name/>
      <substitute><text variable="container-title"/></substitute>
    </names>
  </macro>
  <citation><layout><text macro="contributors"/></layout></citation>
  <bibliography subsequent-author-substitute="———">
    <layout suffix="."><text macro="contributors"/></layout>
  </bibliography>
</style>"""
    refs = [
        Reference(key=k, type="article-newspaper", title=t, container_title="Yomiuri Shinbun")
        for k, t in (("a", "Ashita no tenki"), ("b", "Asatte no tenki"))
    ]
    path = tmp_path / "style.csl"
    path.write_text(style, encoding="utf-8")
    assert format_bibliography(refs, str(path)) == ["Yomiuri Shinbun.", "———."]
