"""When does a text need ftfy? A cheap gate in front of ftfy's expensive repair.

`ftfy.fix_text` costs ~1 MB/s even on clean text, mostly in `ftfy.badness.is_bad`
(one big regex tried at every position). Under our pinned config (see `FTFY_CONFIG`)
ftfy can only change a text that has one of:

- an HTML entity (`&amp;`, `&#x2019;`);
- a control character it removes or converts: C0 except `\\t \\n \\f`, DEL, C1,
  U+206A-206F, U+FEFF, U+FFF9-FFFC, a lone surrogate, a line separator it rewrites;
- a Latin ligature it splits (`ﬁ`);
- a sequence that is not in NFC;
- mojibake as `is_bad` sees it (ftfy never attempts a repair otherwise).

`needs_ftfy` checks exactly these, so skipping ftfy when it says False never changes
the output (a hypothesis test holds it to that). Its `is_bad` equivalent only runs the
badness regex where a match can start, which depends on the exact alternatives of
ftfy 6.3.1's pattern: re-check `looks_like_mojibake` when upgrading ftfy.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from ftfy.chardata import HTML_ENTITY_RE, LIGATURES

from cleaner.chars import Specials, special_chars

# Curly quotes and « » are text, not damage; CJK full-width punctuation is written on
# purpose. Line breaks are ftfy's job only on lines it repairs anyway (a repaired
# `â€¨` becomes U+2028, which must not survive); elsewhere `newlines` does it.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=True,  # input is extracted text, never markup: `&amp;` is damage
    uncurl_quotes=False,
    fix_character_width=False,
    explain=False,
)

# Characters that start (or sit at most two characters into) every alternative of
# BADNESS_RE, beside another non-ASCII character. Besides the categories: `Ù` (its Arabic
# sequence), and the second character of its Windows-1251/1253 sequences (`вЂ`, `ГўВЂВ`,
# `[ВГРС]°[ВГРС]`, `[ΒΓΞΟ]°[ΒΓΞΟ]`), which are rare in text, instead of their first
# letters, which are among the commonest Cyrillic and Greek letters: with those, every
# word of a Russian text was a closer look (a 10x slower check).
_TRIGGER_CATEGORIES = (
    "c1",
    "bad",
    "lower_accented",
    "upper_accented",
    "box",
    "start_punctuation",
    "end_punctuation",
    "currency",
    "numeric",
    "law",
)
_TRIGGERS = re.compile(
    "[" + "".join(MOJIBAKE_CATEGORIES[c] for c in _TRIGGER_CATEGORIES) + "ÙЂў°]"
)
# Every alternative of BADNESS_RE but three holds two adjacent non-ASCII characters, one
# of them a trigger, at most two characters into the match; clean text has few triggers
# beside another non-ASCII character (`«\xa0`, `ção`), so only they are worth a closer
# look.
# The exceptions: `[Œœ][^A-Za-z]`, `[a-z]\s?[ÃÂ][ ]` and `[a-z.,?!…]Â[ …]` (a trigger
# next to ASCII), which start at most two characters before `_ODD_PAIR`, and a lone
# C1 control.
_ODD_PAIR = re.compile(r"[Œœ][^A-Za-z]|[ÃÂ] |[\x80-\x9f]")
_ODD_PAIR_CHARS = "ŒœÃÂ"
_C1 = re.compile("[\x80-\x9f]")
_ODD_PAIR_OR_C1 = re.compile("[" + _ODD_PAIR_CHARS + "\x80-\x9f]")
_SHORT = 2000  # characters: a paragraph (`needs_ftfy` scans it directly), not a page
_ASCII_CONTROLS = "\x00-\x08\x0b\x0d-\x1f\x7f"  # all but `\t \n \f`
_ASCII_CONTROL_CHARS = re.compile(f"[{_ASCII_CONTROLS}]")
_CONTROL_CHARS = re.compile(
    f"[{_ASCII_CONTROLS}\x80-\x9f\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc"
    "\ud800-\udfff" + "".join(chr(c) for c in LIGATURES) + "]"
)
# Characters that cannot make a text leave NFC (quick check Yes, combining class 0): a text
# holding no other is normalized, which `unicodedata.is_normalized` would read the whole
# text to say (~25 instructions a character beyond Latin-1, as much as all the other
# tests of `needs_ftfy`). The common blocks of the scripts we see, less their combining
# marks and the few characters NFC replaces (U+2000, U+2126 Ω...); a test checks each.
NFC_STABLE = (
    "\x00-\u02ff"  # Latin
    "\u0388-\u0482\u048a-\u052f"  # Greek, Cyrillic
    "\u2002-\u206f\u20a0-\u20cf"  # punctuation, spaces, currency
    "\u2100-\u2125\u2127-\u2129\u212c-\u214f"  # letterlike (™)
    "\u2190-\u2328\u232b-\u2adb\u2add-\u2bff"  # arrows, math, boxes, shapes, dingbats
    "\u3000-\u3029\u3030-\u3098\u309b-\u30ff"  # CJK punctuation, kana
    "\u4e00-\u9fff\uac00-\ud7a3\ufe00-\ufe0f\uff00-\uffef"  # Han, Hangul, widths
    "\U0001f000-\U0001faff"  # emoji
)
_MAYBE_NOT_NFC = re.compile(f"[^{NFC_STABLE}]")
# BADNESS_RE anchors one alternative with `^`; ftfy checks each line separately, so
# for a whole document that anchor means "at a line start".
_BAD_LINE_START = re.compile(r"^[ÃÂ] ", re.MULTILINE)


def _badness_from(text: str, starts: range) -> bool:
    return any(BADNESS_RE.match(text, start) for start in starts)


def looks_like_mojibake(text: str, chars: str | None = None) -> bool:
    """`ftfy.badness.is_bad` for every line of `text`, 5-20x faster on clean text.

    The badness regex is tried only where a match can start, instead of everywhere.
    `chars`, the text's `special_chars` when known, spare reading it for the characters
    the rarer alternatives start with.

    >>> looks_like_mojibake("users\u00e2\u20ac\u2122 data"), looks_like_mojibake("Élysée")
    (True, False)
    """
    # One scan for the triggers (few in most texts), then Python only where one has a
    # non-ASCII neighbour: looking at each non-ASCII run instead costs a Python step per
    # word in Cyrillic, Korean or Japanese text.
    tried = -1
    last = len(text) - 1
    for trigger in _TRIGGERS.finditer(text):
        at = trigger.start()
        if (at < last and text[at + 1] > "\x7f") or (at and text[at - 1] > "\x7f"):
            if _badness_from(text, range(max(at - 2, tried + 1), at + 1)):
                return True
            tried = at
    if _may_hold_odd_pair(text, chars):
        for pair in _ODD_PAIR.finditer(text):
            at = pair.start()
            if _badness_from(text, range(max(at - 2, 0), at + 1)):
                return True
        return _BAD_LINE_START.search(text) is not None
    return False


def _may_hold_odd_pair(text: str, chars: str | None) -> bool:
    if chars is not None or len(text) < _SHORT:
        return _ODD_PAIR_OR_C1.search(text if chars is None else chars) is not None
    # On a page, `in` tests run at memory speed, the class scan at 45 MB/s; on a line
    # (`_repair` asks line by line) the one scan costs less than five calls.
    return _C1.search(text) is not None or any(c in text for c in _ODD_PAIR_CHARS)


# A word that is only `Â` or `Ã`, one space after it (`Â is a letter in Romanian.`).
# ftfy reads `Â ` as a no-break space whose UTF-8 was read as Windows-1252 (the NBSP then
# turned into a space) and `Ã ` as `à`, so it drops or changes the letter. In a text with
# no other sign of mojibake such a word is far likelier meant than damage: the repair
# of a whole text always leaves more traces (`Ã©`, `â€™`, `Â»`). Two spaces after it are
# damage, not a word: `à la une` read that way is `Ã` + NBSP-turned-space + space.
# (The letter comes first, and the look back after it: a pattern that starts with a look
# back is tried at every position, one that starts with a class only at its characters.)
_LONE_SUSPECT = re.compile(r"([ÂÃ])(?<!\S[ÂÃ])(?= (?! ))")


def split_lone_suspects(text: str) -> list[str] | None:
    """`text` cut around its lone `Â`/`Ã` words (odd indexes are the words), when it has
    some and no other sign of mojibake: ftfy may then repair the pieces between them,
    never the words. None otherwise: ftfy may repair the whole text.

    >>> split_lone_suspects("Â is a letter in Romanian.")
    ['', 'Â', ' is a letter in Romanian.']
    >>> split_lone_suspects("Ã A donnÃ©") is None, split_lone_suspects("Ã  la une") is None
    (True, True)
    """
    if _LONE_SUSPECT.search(text) is None:
        return None
    if _has_mojibake(_LONE_SUSPECT.sub("A", text)):
        return None
    return _LONE_SUSPECT.split(text)


def _has_mojibake(text: str) -> bool:
    """Some line of `text` is mojibake that ftfy can decode, not just text its badness
    check dislikes (`džŘ` is; nothing decodes it better): deciding on the badness check
    alone, a text whose pieces ftfy had just repaired could turn "damaged" and lose its
    lone words on the next round."""
    return looks_like_mojibake(text) and any(
        ftfy.fix_encoding(line, FTFY_CONFIG) != line
        for line in text.split("\n") if looks_like_mojibake(line))


def _may_look_like_mojibake(found: Specials) -> bool:
    """False when `looks_like_mojibake` is sure to be: no trigger beside another non-ASCII
    character, and none of the characters its exceptions start with."""
    return bool(found.paired and _TRIGGERS.search(found.chars)) or bool(
        _ODD_PAIR_OR_C1.search(found.chars)
    )


def has_html_entity(text: str) -> bool:
    """`&amp;`, `&#x2019;`...: what ftfy unescapes (the `in` test spares the regex most
    texts)."""
    return "&" in text and HTML_ENTITY_RE.search(text) is not None


def ascii_lines_may_need_ftfy(text: str) -> bool:
    """False when no ASCII line of `text` needs ftfy: only an HTML entity or a control
    character could make one need it."""
    return has_html_entity(text) or _ASCII_CONTROL_CHARS.search(text) is not None


def has_ftfy_controls(text: str) -> bool:
    """`text` holds a character ftfy removes or converts: a control character, a BOM, a
    line separator, a lone surrogate, a Latin ligature."""
    return _CONTROL_CHARS.search(text) is not None


def needs_ftfy(text: str, *, mojibake: bool = True) -> bool:
    """True when `ftfy.fix_text(text, FTFY_CONFIG)` might change `text` (`mojibake=False`:
    when the caller knows `looks_like_mojibake(text)` is False, only for another reason).

    Every test but the last runs on the few distinct characters `special_chars` finds,
    not on the text. True for a line means true for any text holding that line, which
    `mojibake` (repairing line by line) relies on.

    >>> needs_ftfy("plain ASCII"), needs_ftfy("AT&amp;T"), needs_ftfy("caf\u00c3\u00a9")
    (False, True, True)
    """
    if text.isascii():
        # Most lines of a damaged page are plain ASCII: no need to collect their characters.
        return ascii_lines_may_need_ftfy(text)
    if has_html_entity(text):
        return True
    if len(text) < _SHORT:
        # A line (`mojibake` asks line by line on a damaged page): scanning it costs less
        # than collecting its characters first.
        return (has_ftfy_controls(text)
                or not unicodedata.is_normalized("NFC", text)
                or (mojibake and looks_like_mojibake(text)))
    found = special_chars(text)
    if _CONTROL_CHARS.search(found.chars):
        return True
    if _MAYBE_NOT_NFC.search(found.chars) and not unicodedata.is_normalized("NFC", text):
        return True
    return mojibake and _may_look_like_mojibake(found) and looks_like_mojibake(text, found.chars)
