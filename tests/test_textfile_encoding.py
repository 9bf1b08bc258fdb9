"""Hints for files that are not UTF-8: right, or none (issue 28)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesorefs.errors import InputError
from mesorefs.library import Library
from mesorefs.textfile import decode_text, encoding_hint


def test_latin1_hint_shows_the_word_in_each_reading(tmp_path: Path) -> None:
    """A Latin-1 file is not taken for cp1250 alone: the hint shows how its first
    non-ASCII word reads each way, and following the Latin-1 hint reads it right."""
    path = tmp_path / "refs.bib"
    path.write_bytes("@article{k, title = {A naïve café}}\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        Library.read(path)
    message = str(caught.value)
    assert "'naïve' in latin-1" in message
    assert "'naďve' in cp1250" in message
    assert Library.read(path, encoding="latin-1").references[0].title == "A naïve café"


def test_stray_bytes_in_utf8_get_no_encoding_hint() -> None:
    """A UTF-8 file with a stray Latin-1 byte is not sent to --encoding utf-8 again."""
    data = "@article{k, title = {Müller}}\n".encode() + b"% caf\xe9\n"
    with pytest.raises(InputError) as caught:
        decode_text(data, "refs.bib")
    message = str(caught.value)
    assert "mostly UTF-8 with 1 byte(s)" in message
    assert "use --encoding" not in message
    assert "refs.bib:2:" in message


def test_a_declared_encoding_is_named() -> None:
    """An encoding the file declares wins over any reading of its bytes."""
    data = "% -*- coding: latin-1 -*-\nM\u00fcller".encode("latin-1")
    assert "--encoding iso8859-1" in encoding_hint(data)


def test_bytes_no_single_byte_reading_takes_get_no_hint() -> None:
    """Where none of the readings is clean, no guess is offered."""
    assert encoding_hint(b"abc \x81\x8d\x8f\x90\x9d") == ""
