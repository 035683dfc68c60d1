"""Date text from a dateline -> ISO 8601, with python-dateutil (fuzzy) and month names in
the languages our shipped rules cover."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import regex
from dateutil import parser

# Languages where 03/04/2024 means the 3rd of April. Unknown language: month first, as in
# the US-style dumps that make up most English scrapes.
_DAY_FIRST = frozenset({"fr", "de", "es", "it", "pt", "nl"})


class _ParserInfo(parser.parserinfo):
    """dateutil knows English names only; datelines in French, German and Spanish pages
    (`Mis à jour le 3 avril 2024`) must parse too. Names are compared lowercased."""

    MONTHS = [  # noqa: RUF012 - the shape dateutil expects
        ("Jan", "January", "janvier", "janv", "Januar", "enero"),
        ("Feb", "February", "février", "fevrier", "févr", "fevr", "Februar", "febrero"),
        ("Mar", "March", "mars", "März", "Maerz", "marzo"),
        ("Apr", "April", "avril", "avr", "abril"),
        ("May", "mai", "mayo"),
        ("Jun", "June", "juin", "Juni", "junio"),
        ("Jul", "July", "juillet", "juil", "Juli", "julio"),
        ("Aug", "August", "août", "aout", "agosto"),
        ("Sep", "Sept", "September", "septembre", "septiembre", "setiembre"),
        ("Oct", "October", "octobre", "Oktober", "octubre"),
        ("Nov", "November", "novembre", "noviembre"),
        ("Dec", "December", "décembre", "decembre", "déc", "Dezember", "diciembre"),
    ]
    WEEKDAYS = [  # noqa: RUF012
        ("Mon", "Monday", "lundi", "Montag", "lunes"),
        ("Tue", "Tuesday", "mardi", "Dienstag", "martes"),
        ("Wed", "Wednesday", "mercredi", "Mittwoch", "miércoles"),
        ("Thu", "Thursday", "jeudi", "Donnerstag", "jueves"),
        ("Fri", "Friday", "vendredi", "Freitag", "viernes"),
        ("Sat", "Saturday", "samedi", "Samstag", "sábado"),
        ("Sun", "Sunday", "dimanche", "Sonntag", "domingo"),
    ]


_INFO = _ParserInfo()
_YEAR_FIRST = regex.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
# Two different defaults: a field that comes out different was not in the text.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)


def parse_date(text: str, language: str | None = None) -> str | None:
    """`April 3, 2024` -> `2024-04-03`; `2024-04-12 08:10:46` -> `2024-04-12T08:10:46`.

    None when the text lacks a year, month or day: a dateline we cannot date fully is not
    evidence enough to drop a paragraph, and a guessed year would be wrong metadata.
    """
    # A year first (ISO 8601, 2024-04-12) is always year-month-day, whatever the language.
    dayfirst = (language or "").split("-")[0].lower() in _DAY_FIRST and not _YEAR_FIRST.search(text)
    return _parse(text, dayfirst)


# Pages of one site repeat their datelines' format, often the date itself: parsing is
# pure, and dateutil's fuzzy parse, twice, costs ~0.1 ms a dateline (a dozen regex calls).
@lru_cache(maxsize=4096)
def _parse(text: str, dayfirst: bool) -> str | None:
    try:
        a = parser.parse(text, _INFO, default=_DEFAULT_A, fuzzy=True, ignoretz=True,
                         dayfirst=dayfirst)
        b = parser.parse(text, _INFO, default=_DEFAULT_B, fuzzy=True, ignoretz=True,
                         dayfirst=dayfirst)
    except (ValueError, OverflowError):  # ParserError is a ValueError
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    if a.hour != b.hour:  # no time of day in the text
        return a.date().isoformat()
    return a.isoformat()
