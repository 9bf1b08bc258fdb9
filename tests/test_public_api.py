"""The public names other tools rely on."""

from __future__ import annotations

import pytest

import mesorefs


@pytest.mark.parametrize("name", sorted(mesorefs.__all__))
def test_every_public_name_resolves(name: str) -> None:
    """Each name in ``__all__`` can be fetched from the package."""
    assert getattr(mesorefs, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    """A name that is not public raises AttributeError, as for any module."""
    with pytest.raises(AttributeError):
        mesorefs.no_such_name  # noqa: B018


def test_errors_form_one_tree() -> None:
    """Every mesorefs error derives from MesorefsError; InvalidIdentifier is a ValueError."""
    for name in (
        "InvalidIdentifier",
        "BibtexError",
        "ParseError",
        "ResolveError",
        "NotFound",
        "RateLimited",
        "ServiceError",
        "NetworkError",
        "OfflineMiss",
        "RenderError",
        "VerifierError",
    ):
        assert issubclass(getattr(mesorefs, name), mesorefs.MesorefsError)
    assert issubclass(mesorefs.InvalidIdentifier, ValueError)
    assert issubclass(mesorefs.OfflineMiss, mesorefs.ResolveError)
