"""Bytes of a bibliography file to text: UTF-8, UTF-16, or a clear error.

BibTeX files come in whatever encoding their editor used.  We read UTF-8 (with or
without a byte-order mark) and UTF-16 (with a mark, or recognised by its zero
bytes); anything else is refused with one line that names the file and the line, and
a hint that cannot mislead (:func:`encoding_hint`): the encoding the file declares, or
its first non-ASCII word as Latin-1, cp1252 and cp1250 would read it, so the user can
say ``--encoding latin-1`` knowingly instead of getting a silently garbled file.  Every input passes
here first (files and standard input alike): more than :data:`MAX_INPUT_BYTES` or a NUL
character (binary data, not text) is refused with the line it is on.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from mesorefs.errors import InputError
from mesorefs.lazy_re import lazy

if TYPE_CHECKING:  # `tidy` never loads pathlib
    from pathlib import Path

__all__ = [
    "MAX_INPUT_BYTES",
    "decode_bibliography",
    "decode_text",
    "encoding_hint",
    "read_text_file",
]

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""The largest file or standard input read (256 MiB): far above any real bibliography."""

_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text_file(path: str | Path, encoding: str | None = None) -> str:
    """A file's text (see ``decode_bibliography``); every failure is one ``InputError``."""
    name = str(path)
    try:
        # Opened once and read to the limit: a FIFO can be read only once, /dev/zero never ends.
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", name) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot read", name) from None
    return decode_text(data, name, encoding)


def decode_text(data: bytes, source: str | None = None, encoding: str | None = None) -> str:
    """The text of ``data`` (see ``decode_bibliography``), refused when it is larger than
    :data:`MAX_INPUT_BYTES` or holds a NUL character."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB", source)
    text = decode_bibliography(data, source, encoding)
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError("a NUL character: this is binary data, not text", source, line=line)
    return text


def decode_bibliography(data: bytes, source: str | None = None, encoding: str | None = None) -> str:
    """The text of a file's bytes; ``encoding`` overrides detection."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source) from None
        except UnicodeDecodeError as error:
            raise InputError(
                f"not {encoding} text (byte {error.start}); try another --encoding", source
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", source)
    if data.startswith(_UTF16_MARKS):
        return _strict(data, "utf-16", source)
    utf16 = _utf16_without_mark(data)
    if utf16:
        return _strict(data, utf16, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"not UTF-8 text (byte {error.start}){encoding_hint(data)}", source, line=line
        ) from None


def _strict(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"not valid {encoding} text (byte {error.start})", source) from None


def _utf16_without_mark(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most odd/even bytes are zero, as in mostly-ASCII UTF-16."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.6 * half and even_zeros < 0.1 * half:
        return "utf-16-le"
    if even_zeros > 0.6 * half and odd_zeros < 0.1 * half:
        return "utf-16-be"
    return None


# What editors write at the top of a file: Emacs "-*- coding: latin-9 -*-", JabRef
# "% Encoding: ISO8859_1".
_DECLARED = lazy(rb"(?:coding[:=]|%\s*Encoding:)\s*([A-Za-z][\w.-]*)")


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED.search(data[:2048])
    if match is None:
        return None
    name = re.sub(r"-(?:unix|dos|mac)$", "", match.group(1).decode("ascii"))
    for candidate in (name, name.replace("-", ""), name.replace("_", "-")):
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return None


# A guess among encodings cannot be told right by the bytes alone ("na\xefve" is
# "naïve" in latin-1, "naďve" in cp1250), so the hint shows the word as each would
# read it and lets the user choose.
_SINGLE_BYTE = ("latin-1", "cp1252", "cp1250")
_NON_ASCII_WORD = lazy(rb"[A-Za-z]*[\x80-\xff]+[A-Za-z\x80-\xff]*")


def _candidates(data: bytes) -> tuple[str, ...]:
    """The encodings whose readings the hint shows: the East Asian ones when
    charset-normalizer takes the bytes for one of them (it cannot tell GBK from EUC-KR
    reliably, so all are shown), else the Western single-byte ones."""
    from charset_normalizer import from_bytes  # requests' own dependency; only on failure

    best = from_bytes(data[:65536]).best()
    if best is not None and codecs.lookup(str(best.encoding)).name in _MULTIBYTE:
        return ("gb18030", "big5", "shift_jis", "euc_kr")
    return _SINGLE_BYTE


_MULTIBYTE = frozenset(
    {"gbk", "gb2312", "gb18030", "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "euc_kr",
     "cp949", "iso2022_jp"}
)  # fmt: skip
# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_SEQUENCE = lazy(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def encoding_hint(data: bytes) -> str:
    """What to tell a user whose file is not UTF-8: the encoding the file declares, or
    how its first non-ASCII word reads in the likely encodings, or that it is UTF-8
    with a few stray bytes (where no ``--encoding`` would help); never a guess that
    would garble the text."""
    declared = _declared_encoding(data)
    if declared:
        return f"; the file says it is {declared} (use --encoding {declared})"
    invalid = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    well_formed = sum(len(m.group()) for m in _UTF8_SEQUENCE.finditer(data))
    if well_formed >= 2 * invalid:  # as many UTF-8 letters as stray bytes, or more
        return (
            f"; it is mostly UTF-8 with {invalid} byte(s) that are not: fix them in an"
            " editor, since no single --encoding reads both"
        )
    word = _NON_ASCII_WORD.search(data)
    if word is None:
        return ""
    readings: dict[str, str] = {}
    for name in _candidates(data):
        text = word.group().decode(name, errors="replace")
        clean = all(char.isprintable() for char in text)  # no U+FFFD, no C1 control
        if clean and "\ufffd" not in text and text not in readings.values():
            readings[name] = text
    if not readings:
        return ""
    shown = ", ".join(f"{text!r} in {name}" for name, text in readings.items())
    choice = "use --encoding " + " or ".join(readings)
    return f"; its first non-ASCII word reads {shown} ({choice})"
