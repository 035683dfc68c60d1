"""Bytes -> text: every encoding a scraper produces, and refusals that name what the file is.

Add a case: one line in a table below (input bytes -> expected text, or -> error message).
"""

from __future__ import annotations

import codecs
import gzip

import pytest

from cleaner.read import UnreadableInput, read_text, sniff_format

TEXT = "Café « déjà » — naïve ’quotes’ €5"

DECODES = [
    ("utf-8", TEXT.encode("utf-8"), TEXT),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    ("utf-16-le with BOM", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), TEXT),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT),
    ("utf-16-le without BOM", "Plain ASCII words in UTF-16".encode("utf-16-le"),
     "Plain ASCII words in UTF-16"),
    ("utf-16-be without BOM", "Plain ASCII words in UTF-16".encode("utf-16-be"),
     "Plain ASCII words in UTF-16"),
    ("cp1252", "Les données “privées” coûtent 5 €.".encode("cp1252"),
     "Les données “privées” coûtent 5 €."),
    ("latin-1", "Ça a été très déroutant pour les élèves.".encode("latin-1"),
     "Ça a été très déroutant pour les élèves."),
    ("utf-8 with a stray cp1252 byte", "Déjà vu, ".encode() + "café’s".encode("cp1252"),
     "Déjà vu, café’s"),
    ("NUL bytes inside text", b"Hello\x00 world", "Hello world"),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in DECODES],
                         ids=[c[0] for c in DECODES])
def test_decodes(data: bytes, expected: str) -> None:
    text, _warnings = read_text(data)
    assert text == expected


REFUSALS = [
    ("empty", b"", "empty file"),
    ("whitespace only", b"  \n\t\r\n ", "only whitespace"),
    ("PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    ("gzip without .gz", gzip.compress(b"some text " * 50), "gzip data"),
    ("random binary", bytes(range(0, 32)) * 20, "binary data"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in REFUSALS],
                         ids=[c[0] for c in REFUSALS])
def test_refuses_non_text(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableInput, match=message):
        read_text(data)


FORMATS = [
    ("page.html", "anything", "html"),
    ("page.HTM", "anything", "html"),
    ("page.txt", "<!DOCTYPE html><html><body>x</body></html>", "html"),
    ("page", "  <html lang='en'><head></head><body></body></html>", "html"),
    ("page.txt", "Plain text that mentions <b>tags</b> in passing.", "text"),
    ("page.txt", "Menu\nArticle text.", "text"),
]


@pytest.mark.parametrize(("name", "text", "expected"), FORMATS)
def test_sniff_format(name: str, text: str, expected: str) -> None:
    assert sniff_format(name, text) == expected
