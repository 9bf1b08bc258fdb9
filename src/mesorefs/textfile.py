"""Bytes of a bibliography file to text: UTF-8, UTF-16, or a clear error.

BibTeX files come in whatever encoding their editor used.  We read UTF-8 (with or
without a byte-order mark) and UTF-16 (with a mark, or recognised by its zero
bytes); anything else is refused with one line that names the file and, where
charset-normalizer can tell, the likely encoding, so the user can say
``--encoding latin-1`` instead of getting a silently garbled file.  Every input passes
here first (files and standard input alike): more than :data:`MAX_INPUT_BYTES` or a NUL
character (binary data, not text) is refused with the line it is on.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from mesorefs.errors import InputError

__all__ = [
    "MAX_INPUT_BYTES",
    "decode_bibliography",
    "decode_text",
    "guess_encoding",
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
        guess = guess_encoding(data)
        hint = f"; it looks like {guess} (use --encoding {guess})" if guess else ""
        raise InputError(f"not UTF-8 text (byte {error.start}){hint}", source) from None


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
_DECLARED = re.compile(rb"(?:coding[:=]|%\s*Encoding:)\s*([A-Za-z][\w.-]*)")


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


def guess_encoding(data: bytes) -> str | None:
    """The encoding the file declares, else charset-normalizer's best guess, or None."""
    declared = _declared_encoding(data)
    if declared:
        return declared
    from charset_normalizer import from_bytes  # requests' own dependency; only on failure

    best = from_bytes(data[:65536]).best()
    return None if best is None else str(best.encoding).replace("_", "-")
