"""The text fixes, one small function each. A fix's name is its label in `fixes`.

Every fix is `str -> str` (the ones that depend on the language also take a keyword
`language`), works on the whole document, and returns its input unchanged when it has
nothing to do. The order they run in is `cleaner.normalize.FIXES`.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
import regex
from ftfy import chardata

from cleaner.chars import same_special_chars, special_chars
from cleaner.normalize.damage import (
    FTFY_CONFIG,
    ascii_lines_may_need_ftfy,
    has_ftfy_controls,
    has_html_entity,
    looks_like_mojibake,
    needs_ftfy,
    split_lone_suspects,
)

# --- newlines -----------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_C1_OTHER_THAN_NEL = re.compile("[\x80-\x84\x86-\x9f]")


def newlines(text: str) -> str:
    r"""Every line break becomes `\n`: `\r\n`, `\r`, U+2028, U+2029 and NEL (U+0085).

    Everything after this works on `\n`-separated lines. NEL is left alone when the text
    holds other C1 characters: then it is Windows-1252 read as Latin-1, where 0x85 is
    `…`, and `mojibake` restores it.

    >>> newlines("one\r\ntwo\rthree\u2028four\x85five")
    'one\ntwo\nthree\nfour\nfive'
    >>> newlines("Wait\x85 it\x92s here")
    'Wait\x85 it\x92s here'
    """
    # `in` tests run at memory speed; the regex only where there is something to replace.
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _LINE_BREAKS.sub("\n", text)
    if "\x85" in text and not _C1_OTHER_THAN_NEL.search(text):
        text = text.replace("\x85", "\n")
    return text


# --- mojibake -----------------------------------------------------------------------


def mojibake(text: str) -> str:
    """ftfy's repairs: mojibake, HTML entities, control characters, ligatures, NFC.

    Scrapes mix encodings: a page read as Windows-1252 shows `usersâ€™` for `users’`.
    ftfy is slow, so it runs only on the lines `needs_ftfy` flags; on every other line
    it would change nothing. Curly quotes and full-width CJK punctuation are kept (see
    `FTFY_CONFIG`).

    >>> mojibake("Meta refutes sharing usersâ€™ data")
    'Meta refutes sharing users’ data'
    >>> mojibake("AT&amp;T &laquo;Inbox API&raquo;")
    'AT&T «Inbox API»'
    """
    if not needs_ftfy(text):
        return text
    # A word that is only `Â` or `Ã` in a text with no other mojibake is a word, which
    # ftfy would take for damage: it is kept, the rest repaired (`split_lone_suspects`).
    pieces = split_lone_suspects(text)
    if pieces is not None:
        return "".join(piece if i % 2 else _repair(piece) for i, piece in enumerate(pieces))
    return _repair(text)


def _repair(text: str) -> str:
    # ftfy fixes each line on its own, so fixing only the flagged lines gives the same
    # result as fixing the whole text.
    if not needs_ftfy(text):
        return text
    lines = text.split("\n")
    if ascii_lines_may_need_ftfy(text):
        return "\n".join(map(_repair_line, lines))
    # Most lines of a mojibaked page are ASCII, and most such pages hold nothing else
    # ftfy would change on them.
    return "\n".join([line if line.isascii() else _repair_line(line) for line in lines])


def _repair_line(line: str) -> str:
    """`ftfy.fix_text(line, FTFY_CONFIG)`, at about half the cost on a mojibaked line.

    `needs_ftfy`'s tests, in an order that asks `looks_like_mojibake` once: a damaged line
    of a mojibaked page is the common case here.

    fix_text runs all its fixes in rounds until nothing changes, so a repaired line pays
    for a second round, whose badness check reads the whole (now clean) line at ~1 MB/s.
    On a line without an HTML entity, fix_text's first step is `fix_encoding`, and what
    follows is fix_text of its result (which holds no entity either: decoding turns
    non-ASCII characters into non-ASCII ones). fix_text has something left to do there
    when the decoding left mojibake (which the loop has just checked), or `needs_ftfy`
    finds some other damage.
    """
    if has_html_entity(line):
        return ftfy.fix_text(line, FTFY_CONFIG)
    if line.isascii() or not looks_like_mojibake(line):
        if not needs_ftfy(line, mojibake=False):
            return line
        if not has_ftfy_controls(line):
            # Only not in NFC (an ASCII line needs ftfy only for a control character):
            # fix_text's first round composes it and changes nothing else,
            # and the rest is fix_text of the composed line, often nothing. (Its badness
            # check costs ~1 ms on a 1,200-character line.)
            line = unicodedata.normalize("NFC", line)
            return ftfy.fix_text(line, FTFY_CONFIG) if needs_ftfy(line) else line
        return ftfy.fix_text(line, FTFY_CONFIG)
    decoded, still_bad = _decoded(line)
    if still_bad or needs_ftfy(decoded, mojibake=False):
        return ftfy.fix_text(decoded, FTFY_CONFIG)
    return decoded


# What fix_text gives `fix_encoding` (it passes no config of its own).
_ENCODING_CONFIG = ftfy.TextFixerConfig(explain=False)


def _decoded(line: str) -> tuple[str, bool]:
    """`ftfy.fix_encoding(line)` for a line that looks like mojibake: the same loop of
    one-step repairs (ftfy is pinned), but asking our `looks_like_mojibake` whether anything
    is left, which for one line is ftfy's `is_bad` at a tenth of the cost on the clean text
    a repair leaves; and whether the result still looks like mojibake (nothing decodes it
    further)."""
    while True:
        repaired = _one_step(line)
        if repaired == line:
            return line, True
        line = repaired
        if not looks_like_mojibake(line):
            return line, False


def _one_step(line: str) -> str:
    """`ftfy._fix_encoding_one_step_and_explain(line).text` for a line that looks like
    mojibake, at a third of the cost.

    ftfy's step first asks `is_bad`, then, for the first encoding the line can be encoded
    in, looks for bytes altered (`ALTERED_UTF8_RE`) or lost (`LOSSY_UTF8_RE`) with two
    slow regexes before decoding the bytes as UTF-8. What those find is invalid UTF-8,
    except a lone `\x1a` (a U+FFFD the sloppy codecs encoded): so when that byte is absent
    and the bytes decode, they found nothing, and the decoded line is the step's result.
    Anything else is left to ftfy's step, which then does all of it.
    """
    for encoding in chardata.CHARMAP_ENCODINGS:
        if chardata.possible_encoding(line, encoding):
            encoded = line.encode(encoding)
            if b"\x1a" not in encoded:
                variants = 0xED in encoded or 0xC0 in encoded
                try:
                    return encoded.decode("utf-8-variants" if variants else "utf-8")
                except UnicodeDecodeError:
                    pass
            break
    return ftfy._fix_encoding_one_step_and_explain(line, _ENCODING_CONFIG).text


# --- spaces and invisible characters ------------------------------------------------

# NBSP and friends are layout, not meaning, once the text is out of its page; a tab
# in a scraped article is indentation residue.
# (A regex, not str.translate: translate with a dict runs at ~10 MB/s on non-ASCII text.)
_ODD_SPACES = re.compile("[\t\f\u00a0\u2000-\u200a\u202f\u205f]")
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3001-\u303f\uff00-\uffef"
_LATIN_IDEOGRAPHIC_SPACE = regex.compile(rf"(?<![{_CJK}])\u3000(?![{_CJK}])")


def odd_spaces(text: str) -> str:
    """NBSP, tabs and the other typographic spaces become a plain space.

    An ideographic space (U+3000) is kept next to a CJK character, where it is how
    the text is written (`中文\u3000文章`), and replaced elsewhere, where it is a
    copy-paste accident in Latin text.

    >>> odd_spaces("loopholes.\u00a0 Privacy\tPolicy")
    'loopholes.  Privacy Policy'
    >>> odd_spaces("中文\u3000文章"), odd_spaces("Latin\u3000text")
    ('中文\u3000文章', 'Latin text')
    """
    found = special_chars(text).chars
    if not _ODD_SPACES.search(found) and "\u3000" not in found:
        return text
    text = _ODD_SPACES.sub(" ", text)
    if "\u3000" in text:
        text = _LATIN_IDEOGRAPHIC_SPACE.sub(" ", text)
    return text


_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_INVISIBLE_OR_JOINER = re.compile("[\u200b\u2060\ufeff\u00ad\u200c\u200d]")
# Letters, marks (an Indic virama), emoji and their modifiers: ZWJ/ZWNJ between two of
# these shapes the text (Persian `می‌خواهم`, Devanagari half forms, `👩‍💻`).
_JOINABLE = r"\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f"
_STRAY_JOINER = regex.compile(rf"(?<![{_JOINABLE}])[\u200c\u200d]|[\u200c\u200d](?![{_JOINABLE}])")


def invisible_chars(text: str) -> str:
    """Zero-width spaces, word joiners, BOMs and soft hyphens are removed.

    They split words for search and matching (`infor\u00admation` is not
    `information`) while showing nothing. ZWJ/ZWNJ are kept between two letters or
    emoji, where they are spelling; elsewhere they are removed.

    >>> invisible_chars("infor\u00admation\u200b here")
    'information here'
    >>> invisible_chars("\u200dmi\u200cha")
    'mi\u200cha'
    """
    if not _INVISIBLE_OR_JOINER.search(special_chars(text).chars):
        return text
    text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINER.sub("", text)
    return text


_SPACE_RUN = re.compile(r"  +")
# `\n\n\n+` rather than `\n{3,}`: a literal prefix lets the engine skip ahead (20x).
_BLANK_RUN = re.compile(r"\n\n\n+")
_LINE_EDGE_SPACES = " \u3000"


def extra_whitespace(text: str) -> str:
    r"""Runs of spaces collapse, lines are stripped, at most one blank line in a row,
    none at the start or end.

    Scrapes indent with spaces, pad line ends with NBSP and stack empty lines where
    widgets were; none of it is content.

    >>> extra_whitespace("\n  Title  \n\n\n\nBody  text \n\n")
    'Title\n\nBody text'
    """
    before = text
    # `in` tests run at memory speed; the regexes stop at every space or newline.
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\u3000" in text:
        # str.strip per line beats any regex here (`[ ]+$` with MULTILINE: 16 MB/s).
        return _without_blank_runs(
            "\n".join(line.strip(_LINE_EDGE_SPACES) for line in text.split("\n")))
    # Spaces come one at a time now, so the line edges hold at most one each.
    text = _without_blank_runs(text.replace(" \n", "\n").replace("\n ", "\n").strip(" "))
    # Only spaces and newlines went, never all of those between two other characters: the
    # next fixes' gates need not read the text again.
    same_special_chars(before, text)
    return text


def _without_blank_runs(text: str) -> str:
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


# --- lines that are not text --------------------------------------------------------

_HAS_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")

# Characters that are letters or digits for sure (the common blocks of the scripts we
# see; a test checks each against `\p{L}\p{N}`). A line without any of them may be a
# stray symbol line; a line with one never is. The standard library's engine finds the
# lines without one ~10x faster than `regex` finds the lines without `[\p{L}\p{N}]`.
SURE_WORD_CHARS = (
    "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin
    "\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c9"  # Greek
    "\u0400-\u0481\u048a-\u04ff"  # Cyrillic
    "\u05d0-\u05ea\u0621-\u063a\u0641-\u064a"  # Hebrew, Arabic
    "\u0905-\u0939\u0e01-\u0e30"  # Devanagari, Thai
    "\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3"  # kana, Han, Hangul
)
# Anchored on a literal `\n` (the text gets one at each end), which the engine skips to.
_LINE_WITHOUT_SURE_WORD_CHAR = re.compile(rf"\n([^\n{SURE_WORD_CHARS}]+)(?=\n)")


def is_stray_symbol_line(line: str) -> bool:
    """A non-blank line without a single letter or digit: `|`, `»`, `***`, `—`, `-`."""
    return bool(line) and not line.isspace() and _HAS_WORD_CHAR.search(line) is None


def stray_symbol_lines(text: str) -> list[str]:
    """The lines of `text` that `stray_symbol_line` removes, in order."""
    # Only the lines without a sure word character can be one: the rest are never asked.
    candidates = _LINE_WITHOUT_SURE_WORD_CHAR.finditer(f"\n{text}\n")
    return [match[1] for match in candidates if is_stray_symbol_line(match[1])]


def stray_symbol_line(text: str) -> str:
    r"""Lines made only of symbols are removed (and recorded in `removed`).

    They are separators, orphaned bullets and icon fonts of the page layout, never
    a paragraph of the article.

    >>> stray_symbol_line("First\n\n***\n\nSecond\n|\n»")
    'First\n\nSecond'
    """
    strays = frozenset(stray_symbol_lines(text))
    if not strays:
        return text
    kept = [line for line in text.split("\n") if line not in strays]
    return _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip("\n")


# The bullets of `bullets`, also allowed in front of a stray pictograph.
BULLETS = "•●▪◦‣–*"
# Extended_Pictographic holds ©, ® and ™, but they are text: `© Meta` is an image
# credit that a rule must still see. ▪ is one too, and a bullet.
_PICTOGRAPH = (
    r"(?:(?![©®™" + BULLETS + r"])\p{Extended_Pictographic}"
    r"|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\ufe0e\ufe0f\u200d\u20e3])"
)
# Anchored on a literal `\n` (the text gets one prepended) instead of `^`, which the
# engine would try at every position.
_LEADING_PICTOGRAPHS = regex.compile(
    rf"(\n(?:- |[{regex.escape(BULLETS)}] )?)(?:{_PICTOGRAPH}+ ?)+"
)


_ANY_PICTOGRAPH = regex.compile(_PICTOGRAPH)


def stray_pictograph(text: str) -> str:
    r"""Emoji at the start of a line are removed: `📍 To not miss…` -> `To not miss…`.

    Sites prefix calls to action and section heads with icons; as text they are noise
    that also hides the line from rules anchored at its start. ©, ® and ™ stay.

    >>> stray_pictograph("📍 To not miss any news\n© Meta\n- 👉 item")
    'To not miss any news\n© Meta\n- item'
    """
    if _ANY_PICTOGRAPH.search(special_chars(text).chars) is None:
        return text
    return _LEADING_PICTOGRAPHS.sub(r"\1", "\n" + text)[1:]


# Anchored on a literal `\n` (the text gets one prepended) instead of `^`, which the
# engine would try at every position.
_BULLET = re.compile(r"\n *(?:[•●▪◦‣–]|\*(?!\*)) +")


def bullets(text: str) -> str:
    r"""List bullets at a line start become `- `, the one list marker downstream knows.

    `*` counts only alone (`**bold**` is not a bullet), and any bullet only when a
    space follows it.

    >>> bullets("  • A court document\n* item\n**bold** text\n–dash")
    '- A court document\n- item\n**bold** text\n–dash'
    """
    if not any(bullet in text for bullet in "•●▪◦‣–*"):  # nothing `_BULLET` could match
        return text
    return _BULLET.sub("\n- ", "\n" + text)[1:]


# --- joins and spacing inside lines -------------------------------------------------

_HYPHEN_BREAK = regex.compile(r"(\p{L}+)-\n(\p{Ll}\p{L}*)")
_HYPHENATED_WORD = regex.compile(r"\p{L}+-\p{L}+")


def broken_hyphenation(text: str) -> str:
    r"""A word hyphenated across a line break is joined: `infor-\nmation` -> `information`.

    Only when the next line starts with a lowercase letter (a capital or a digit means
    a new sentence or a real compound). When the document spells the same compound
    with its hyphen elsewhere (`well-known`), the hyphen stays.

    >>> broken_hyphenation("the infor-\nmation is well-\nknown, as well-known is")
    'the information is well-known, as well-known is'
    >>> broken_hyphenation("Jean-\nPierre and 2023-\n2024")
    'Jean-\nPierre and 2023-\n2024'
    """
    if "-\n" not in text:
        return text
    compounds = {w.lower() for w in _HYPHENATED_WORD.findall(text)}

    def join(match: regex.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if f"{head}-{tail}".lower() in compounds:
            return f"{head}-{tail}"
        return head + tail

    return _HYPHEN_BREAK.sub(join, text)


# Languages whose typography puts a (narrow no-break) space before `; : ! ?` and inside
# « ». French is what we see; the others write it as English does.
SPACED_PUNCTUATION_LANGUAGES = frozenset({"fr"})

_SPACES_BEFORE_MARK = re.compile(
    # `  *`, not ` +`: a literal first character lets the engine skip to the spaces
    r"  *"
    # one mark (or `?!`-style run), not an ellipsis, not an emoticon `:)`
    r"(?=(?!\.\.)(?![:;][()])[,.;:!?][!?]*"
    # ... that ends there: `.NET`, ` .5`, `10 :30` and `http ://x` are left alone
    r"(?:[\s\"'”’»)\]}]|$))",
    re.MULTILINE,
)
# One scan where six `in` tests (two characters each) took ~1.5x as long.
_SPACE_THEN_MARK = re.compile(" [,.;:!?]")
# After a word or a closing quote/bracket: `- .` or `« ,` are not typos to tighten.
_WORD_END = regex.compile(r"[\p{L}\p{M}\p{N}\"'”’»)\]]")


def space_before_punctuation(text: str, *, language: str | None = None) -> str:
    """The space before `, . ; : ! ?` is removed, except in French.

    Machine translation and careless typing leave `Later , in` and `Messenger ?`;
    French writes `Twitter (X) :` on purpose, so French text is left alone. An
    unknown language is treated as not French.

    >>> space_before_punctuation("Later , in Messenger ? See .NET and ...more")
    'Later, in Messenger? See .NET and ...more'
    >>> space_before_punctuation("publié sur Twitter (X) :", language="fr")
    'publié sur Twitter (X) :'
    """
    if language in SPACED_PUNCTUATION_LANGUAGES:
        return text
    if _SPACE_THEN_MARK.search(text) is None:  # no space before a mark at all
        return text

    def tighten(match: re.Match[str]) -> str:
        # Checked here, not in a lookbehind: a pattern that starts with a Unicode
        # class lookbehind runs at 25 MB/s, one that starts with a space at 300.
        before = text[match.start() - 1] if match.start() else ""
        return "" if before and _WORD_END.match(before) else match.group()

    return _SPACES_BEFORE_MARK.sub(tighten, text)
