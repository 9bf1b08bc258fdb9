"""The one redaction path: URLs fit to show, secrets replaced wherever they are."""

from __future__ import annotations

import pytest

from mesorefs.redaction import REDACTED, Redactor, redact_url, split_userinfo


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pa55word@mirror.example/api?x=1", f"https://{REDACTED}@mirror.example/api"),
        ("https://api.example/works?api_key=k3y-123456", "https://api.example/works"),
        ("http://[::1", f"http:{REDACTED}"),
        ("http://host:99999/", f"http:{REDACTED}"),
        ("https://plain.example/v1", "https://plain.example/v1"),
    ],
    ids=["userinfo", "query", "bad-ipv6", "bad-port", "plain"],
)
def test_redact_url(url: str, shown: str) -> None:
    """No user, password or query survives; an unparsable URL shows only its scheme."""
    assert redact_url(url) == shown


def test_split_userinfo_gives_the_pair_and_a_clean_url() -> None:
    """``user:password@`` comes out of the URL, percent-decoded."""
    url, auth = split_userinfo("https://me:p%40ss@mirror.example/x?q=1")
    assert (url, auth) == ("https://mirror.example/x?q=1", ("me", "p@ss"))
    assert split_userinfo("https://mirror.example/x") == ("https://mirror.example/x", None)


def test_redactor_replaces_plain_and_encoded_forms_everywhere() -> None:
    """A secret as given or URL-encoded is replaced in text, bytes and nested containers."""
    secret = "s3cret/key+value"
    redactor = Redactor([secret, "abc"])  # "abc" is too short to search for
    nested = {"url": "https://x/?k=s3cret%2Fkey%2Bvalue", "body": [b"..s3cret/key+value.."]}
    out = redactor.walk(nested)
    assert secret not in str(out) and "s3cret%2F" not in str(out)
    assert out["body"] == [f"..{REDACTED}..".encode()]
    assert redactor.text("abc") == "abc"
    assert not Redactor([]) and Redactor([]).walk(nested) is nested
