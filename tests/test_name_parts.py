"""Name parts are checked as Person checks them, so tidy (parts) and reading (Person) agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mesorefs.bibtex.names import parse_names, parts_of_names
from mesorefs.models import Person
from mesorefs.name_parts import InvalidName, NameParts, name_parts

_PART = st.none() | st.text(alphabet=" \t\u00a0\u2009ab\ud800-", max_size=6)


@given(family=_PART, given_=_PART, particle=_PART, suffix=_PART, literal=_PART)
def test_parts_exist_exactly_when_the_person_does(
    family: str | None,
    given_: str | None,
    particle: str | None,
    suffix: str | None,
    literal: str | None,
) -> None:
    """name_parts refuses exactly the parts Person refuses, and tidies them the same way."""
    given = {"family": family, "given": given_, "particle": particle, "suffix": suffix}
    given["literal"] = literal
    try:
        person = Person(**given)
    except ValidationError:
        with pytest.raises(InvalidName):
            name_parts(**given)
        return
    parts = name_parts(**given)
    assert Person.from_parts(parts) == person
    assert parts == NameParts(
        person.family, person.given, person.particle, person.suffix, person.literal
    )


@pytest.mark.parametrize(
    "value",
    [
        "Doe, Jane and {World Health Organization}",
        "van der Berg, Jr, J. and family=Waal, given=Henri, prefix=van de",
        "M{\\\"u}ller, J{\\'e}r{\\^o}me and others",
    ],
    ids=["plain-and-literal", "particle-and-extended", "accents"],
)
def test_parse_names_is_the_people_of_the_parts(value: str) -> None:
    """parse_names gives the Person of each part parts_of_names reads, in order."""
    assert parse_names(value) == [Person.from_parts(p) for p in parts_of_names(value)]


def test_a_name_of_no_one_raises_the_models_error() -> None:
    """A name that makes no Person ("~", a no-break space) raises pydantic's error, as a
    Person built of it does, so an entry holding it is reported as before."""
    with pytest.raises(ValidationError, match="validation error for Person"):
        parse_names("Doe, Jane and ~, John")
    with pytest.raises(InvalidName):
        parts_of_names("Doe, Jane and ~, John")
