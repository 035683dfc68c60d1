"""Read stage: bytes of any encoding -> text, and whether the text is HTML.

Scraped files arrive as UTF-8 (with or without BOM), UTF-16 (with or without BOM), legacy
single-byte encodings, or a mix of UTF-8 and cp1252 glued together by a careless scraper.
Decoding never crashes on text; files that are not text at all (images, archives) are
refused with a reason naming what they look like.
"""

from __future__ import annotations

import codecs
from pathlib import PurePath
from typing import Literal

InputFormat = Literal["text", "html"]


class UnreadableInput(ValueError):
    """The bytes are not a text document (binary data, or empty)."""


# Magic numbers of binary formats scrapers commonly save by mistake.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF data (WebP/WAV/AVI)"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "zip archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\x7fELF", "executable"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as cp1252 (latin-1 for its five holes).

    A file that is mostly UTF-8 with a few cp1252 bytes (two sources concatenated) keeps
    every character instead of turning them into U+FFFD.
    """
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), error.end


codecs.register_error("cleaner-cp1252-fallback", _cp1252_fallback)


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-range text leaves a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or 0 not in sample:  # no NUL (a `memchr`): no share to count
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


# Every byte but the C0 controls other than tab, LF, FF and CR.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13)))


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    sample = data[:8192]
    # Deleting every other byte leaves the controls to count, at C speed.
    controls = len(sample.translate(None, _NOT_CONTROL))
    if sample and controls / len(sample) > 0.10:
        return "binary data"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises UnreadableInput for binary or empty input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding + "-bom"
    utf16 = _looks_like_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    kind = _binary_kind(data)
    if kind:
        raise UnreadableInput(f"not a text file ({kind})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with stray legacy bytes: keep the UTF-8 and rescue the rest.
    decoded = data.decode("utf-8", errors="replace")
    multibyte = sum(1 for ch in decoded if ord(ch) > 127 and ch != "\ufffd")
    if multibyte and multibyte >= decoded.count("\ufffd"):
        return data.decode("utf-8", errors="cleaner-cp1252-fallback"), "utf-8+cp1252"
    from charset_normalizer import from_bytes  # costs ~50 ms: only for non-UTF-8 files

    encoding = _guess_legacy_encoding(from_bytes(data[:65536]))
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="cleaner-cp1252-fallback"), "cp1252"


def _guess_legacy_encoding(matches) -> str:  # matches: charset_normalizer.CharsetMatches
    """charset-normalizer's best guess, but cp1252 when it is as good: on short text several
    code pages tie, and cp1252 is what the web means by "latin-1" (WHATWG)."""
    best = matches.best()
    if best is None:
        return "cp1252"
    for match in matches:
        if (match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01
                and match.coherence >= best.coherence - 0.05):
            return "cp1252"
    return best.encoding


def sniff_format(path: PurePath | str, text: str) -> InputFormat:
    """HTML by extension, else by content: plain-text dumps rarely start with a tag."""
    if PurePath(path).suffix.lower() in HTML_SUFFIXES:
        return "html"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head:
        return "html"
    if head.startswith("<") and ("<body" in text[:65536].lower() or "<head" in head):
        return "html"
    return "text"


def read_text(data: bytes) -> tuple[str, list[str]]:
    """Decode and clean up what makes text unusable downstream; returns (text, warnings)."""
    warnings: list[str] = []
    # `isspace` rather than `not strip()`: the same test, without copying the file.
    if not data or data.isspace():
        raise UnreadableInput("empty file" if not data else "file holds only whitespace")
    text, encoding = decode(data)
    if encoding not in ("utf-8", "utf-8-bom"):
        warnings.append(f"decoded as {encoding}")
    if "\x00" in text:
        warnings.append(f"removed {text.count(chr(0))} NUL characters")
        text = text.replace("\x00", "")
    if not text or text.isspace():
        raise UnreadableInput("file holds no text")
    return text, warnings
