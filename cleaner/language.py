"""Document language (ISO 639-1) and stopword lists, both from jusText's stoplists.

jusText ships ~100 stoplists (the most frequent words of each language's Wikipedia) and
is already installed as trafilatura's dependency, so language detection needs no new
package: a text is in the language whose stopwords make up the largest share of its
words. Scripts written without spaces (Chinese, Japanese, Korean) have no words to count
and are told apart by script instead.

Scoring reads one table built from the stoplists, stored as package data
(`data/stopwords_*.txt`, see `cleaner.stopword_table`) because building it costs ~0.2 s a
process; a test holds it equal to what the installed jusText gives. Table and stoplists
are loaded lazily, once per process: a pure cache of package data, it never changes a
result, so output still depends only on the document.
"""

from __future__ import annotations

import functools
import importlib.util
import struct
from pathlib import Path

import regex

from cleaner import stopword_table
from cleaner.chars import special_chars

# jusText stoplist name -> ISO 639-1 code. Order matters only to break exact ties in
# scoring: widely used languages come first, so "Subscribe to our newsletter", whose
# only stopword "to" is in forty lists, reads as English.
# Left out on purpose:
#  - lists without an ISO 639-1 code (Aromanian, Asturian, Bishnupriya_Manipuri,
#    Cebuano, Lombard, Low_Saxon, Neapolitan, Newar, Piedmontese, Samogitian, Sicilian,
#    Waray_Waray): we could never return them;
#  - variants of a listed language (Simple_English, Belarusian_Taraskievica,
#    Serbo_Croatian): they would only compete with it.
JUSTEXT_TO_ISO: dict[str, str] = {
    "English": "en",
    "French": "fr",
    "German": "de",
    "Spanish": "es",
    "Italian": "it",
    "Portuguese": "pt",
    "Dutch": "nl",
    "Russian": "ru",
    "Polish": "pl",
    "Swedish": "sv",
    "Danish": "da",
    "Norwegian_Bokmal": "nb",
    "Norwegian_Nynorsk": "nn",
    "Finnish": "fi",
    "Czech": "cs",
    "Slovak": "sk",
    "Hungarian": "hu",
    "Romanian": "ro",
    "Turkish": "tr",
    "Greek": "el",
    "Ukrainian": "uk",
    "Bulgarian": "bg",
    "Serbian": "sr",
    "Croatian": "hr",
    "Bosnian": "bs",
    "Slovenian": "sl",
    "Macedonian": "mk",
    "Belarusian": "be",
    "Arabic": "ar",
    "Persian": "fa",
    "Hebrew": "he",
    "Urdu": "ur",
    "Hindi": "hi",
    "Bengali": "bn",
    "Indonesian": "id",
    "Malay": "ms",
    "Vietnamese": "vi",
    "Catalan": "ca",
    "Galician": "gl",
    "Basque": "eu",
    "Estonian": "et",
    "Latvian": "lv",
    "Lithuanian": "lt",
    "Icelandic": "is",
    "Irish": "ga",
    "Welsh": "cy",
    "Breton": "br",
    "Occitan": "oc",
    "Luxembourgish": "lb",
    "West_Frisian": "fy",
    "Afrikaans": "af",
    "Albanian": "sq",
    "Maltese": "mt",
    "Armenian": "hy",
    "Georgian": "ka",
    "Azerbaijani": "az",
    "Kazakh": "kk",
    "Kyrgyz": "ky",
    "Uzbek": "uz",
    "Turkmen": "tk",
    "Chuvash": "cv",
    "Kurdish": "ku",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Marathi": "mr",
    "Gujarati": "gu",
    "Nepali": "ne",
    "Western_Panjabi": "pa",
    "Swahili": "sw",
    "Yoruba": "yo",
    "Igbo": "ig",
    "Tagalog": "tl",
    "Javanese": "jv",
    "Sundanese": "su",
    "Quechua": "qu",
    "Haitian": "ht",
    "Latin": "la",
    "Esperanto": "eo",
    "Ido": "io",
    "Volapuk": "vo",
    "Walloon": "wa",
    "Aragonese": "an",
    "Korean": "ko",
}
ISO_TO_JUSTEXT: dict[str, str] = {code: name for name, code in JUSTEXT_TO_ISO.items()}

# Languages decided by script, never by stopwords: Korean has a jusText list, but its
# 13,000 entries include many Latin-script words and would win on English text.
SCRIPT_LANGUAGES: frozenset[str] = frozenset({"ko", "ja", "zh"})

# Below these amounts a guess is noise: "Menu Menu" or a byline is no evidence.
MIN_WORDS = 3
MIN_CJK_CHARS = 4
# At least this share of the words must be stopwords of the winner (real prose runs at
# 30-60 %); lower means a list of names, a table or an unknown language.
MIN_STOPWORD_SHARE = 0.15
# Languages whose jusText list is mostly in another script than Latin (checked on
# jusText 3.0: all others are >= 90 % Latin).
NON_LATIN: frozenset[str] = frozenset(
    {
        "ru",
        "uk",
        "be",
        "bg",
        "sr",
        "mk",
        "kk",
        "ky",
        "cv",
        "el",
        "hy",
        "ka",
        "he",
        "ar",
        "fa",
        "ur",
        "pa",
        "hi",
        "mr",
        "ne",
        "bn",
        "gu",
        "ta",
        "te",
        "kn",
        "ml",
    }
)
# A list holding more than this share of English's stopwords was contaminated by English
# text on its Wikipedia (genuine neighbours like Dutch or Swedish stay under 10 %).
ENGLISH_LEAK_SHARE = 0.15
# A document's language shows in its first pages; reading more only costs time.
MAX_CHARS = 20_000

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*")
_CJK = regex.compile(r"[\p{Hangul}\p{Hiragana}\p{Katakana}\p{Han}]")
_LETTER = regex.compile(r"\p{L}")
# Runs, for `_count`: a CJK text is one long run of them where it would be thousands of
# single characters.
_HANGUL_RUN = regex.compile(r"\p{Hangul}+")
_KANA_RUN = regex.compile(r"[\p{Hiragana}\p{Katakana}]+")
_HAN_RUN = regex.compile(r"\p{Han}+")
_LETTER_RUN = regex.compile(r"\p{L}+")
_LETTER_OR_MARK = regex.compile(r"[\p{L}\p{M}]")

# `_WORD` on text whose letters are all Latin-1 (most of ours: English with curly quotes
# and dashes, French, German): there it is "letters joined by single apostrophes", which
# `bytes.translate` and `bytes.split` find ~5x faster than a regex engine. The table
# lower-cases Latin-1 letters (as `\p{L}` sees them: A-Z, a-z, ª µ º, À-ÿ but × ÷) the
# way `str.lower` does, keeps `'`, and turns every other byte into a space.
_LATIN1_WORD_BYTES = bytes(
    ord(chr(b).lower()) if _LETTER.match(chr(b)) else b if b == ord("'") else ord(" ")
    for b in range(256)
)


@functools.cache
def _stoplists_dir() -> Path:
    """jusText's stoplists directory, found without importing jusText: its package imports
    lxml (~90 ms), which a plain-text run never needs."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jusText is not installed (its stoplists are needed)")
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


@functools.cache
def _stoplist(name: str) -> frozenset[str]:
    # What `justext.get_stoplist(name)` returns: the file's lines, lower-cased.
    try:
        data = (_stoplists_dir() / f"{name}.txt").read_bytes()
    except OSError as error:
        raise ValueError(f"Stoplist for language {name!r} is missing") from error
    return frozenset(w.decode("utf8").lower() for w in data.splitlines())


def _is_latin(word: str) -> bool:
    # Latin blocks end at U+024F; Latin Extended Additional holds Vietnamese letters.
    return word[:1] < "\u0250" or "\u1e00" <= word[:1] <= "\u1eff"


def _without_english(stoplist: frozenset[str], english: frozenset[str]) -> frozenset[str]:
    """The stoplist minus English's when it has borrowed a good part of English's list.

    The lists come from Wikipedia, where English titles and citations leak in:
    Sundanese, Uzbek and Finnish hold 20-35 % of English's stopwords ("about",
    "because", "however") and came second on English articles. Their own words rarely
    collide with English, so dropping the shared ones costs them little.
    """
    if len(stoplist & english) > ENGLISH_LEAK_SHARE * len(english):
        return stoplist - english
    return stoplist


@functools.cache
def _candidate_stoplists(latin: bool) -> tuple[tuple[str, frozenset[str]], ...]:
    """(ISO code, cleaned stoplist) for the languages written in Latin letters, or the others.

    Each list keeps only its words in that script: Marathi's list holds "the", "of",
    "and" ... and scored 0.42 against English's 0.43 on an English article.
    Splitting by script also halves the load for a document (the Indic and Cyrillic
    lists are the biggest): ~50 ms for the Latin lists.
    """
    lists: list[tuple[str, frozenset[str]]] = []
    english = frozenset(w for w in _stoplist("English") if _is_latin(w))
    for name, code in JUSTEXT_TO_ISO.items():
        if code in SCRIPT_LANGUAGES or (code not in NON_LATIN) != latin:
            continue
        stoplist = frozenset(w for w in _stoplist(name) if _is_latin(w) == latin)
        if latin and code != "en":
            stoplist = _without_english(stoplist, english)
        lists.append((code, stoplist))
    return tuple(lists)


def stoplist_name(language: str | None) -> str | None:
    """jusText's stoplist name for an ISO 639-1 code (`'fr'` -> `'French'`), or None."""
    if language is None:
        return None
    return ISO_TO_JUSTEXT.get(language.lower())


def stopwords(language: str | None) -> frozenset[str]:
    """The stopwords of an ISO 639-1 language, English's when it has no list.

    Falls back to English because most of our unknown-language text is short boilerplate
    (menus, share buttons) that is English more often than not.
    """
    return _stoplist(stoplist_name(language) or "English")


def _count(runs: regex.Pattern[str], text: str) -> int:
    """How many characters of `text` the runs of a one-character class cover: what
    `len(findall)` of the class gives, without a string for each character."""
    return len(text) - len(runs.sub("", text))


def _count_beyond(runs: regex.Pattern[str], text: str, beyond: str) -> int:
    """`_count` for a class of characters past U+00FF: none when `beyond`, the distinct
    characters of `text` past U+00FF, holds none, without reading the text."""
    return 0 if runs.search(beyond) is None else _count(runs, text)


def _script_language(text: str, beyond: str) -> str | None:
    """'ko', 'ja' or 'zh' when CJK characters dominate the text, else None (`beyond`: the
    distinct characters of `text` past U+00FF).

    Korean is mostly hangul with some Han; Japanese always mixes kana into Han, while
    Chinese has none, so a little kana is enough to call it Japanese.
    """
    hangul = _count_beyond(_HANGUL_RUN, text, beyond)
    kana = _count_beyond(_KANA_RUN, text, beyond)
    han = _count_beyond(_HAN_RUN, text, beyond)
    cjk = hangul + kana + han
    if cjk < MIN_CJK_CHARS:
        return None
    # One CJK character carries about as much as a short Latin word, so CJK wins from
    # a third of the letters on (brand names in Latin letters don't flip it). Letters
    # are counted only when there can be that many: never more than the characters.
    if cjk * 3 < len(text) and cjk * 3 < _count(_LETTER_RUN, text):
        return None
    if hangul >= kana + han:
        return "ko"
    if kana * 10 >= kana + han:
        return "ja"
    return "zh"


def _beyond_latin1(text: str) -> str:
    """The distinct characters of `text` past U+00FF, in no particular order."""
    # `special_chars` is cached: normalize's gates have usually just read the same text.
    return "".join(c for c in special_chars(text).chars if c > "\xff")


# A text with up to this many apostrophes (a page of English holds ~11) has each looked at
# alone: a `memchr` to it, then its two neighbours. One with more (French: `l'`, `d'`) gets
# three scans of the whole text for the pairs that mark separators, 3 µs each on a page.
_FEW_APOSTROPHES = 24
_NOT_LETTER = frozenset(b" '")  # in `spaced`, every other byte is (part of) a letter


def _apostrophes_apart(spaced: bytes) -> bytes:
    """`spaced` (letters, `'` and spaces) with the apostrophes that join no two letters
    turned into spaces: `_WORD` joins `don't`, `rock'n'roll`, nothing else."""
    at = spaced.find(b"'")
    if at == -1:
        return spaced
    if spaced.count(b"'", at) > _FEW_APOSTROPHES:
        # Once pairs are gone, the separators are those next to a space or an edge.
        # (`find`, not `in`: `bytes in bytes` first tries, and fails, `int()`.)
        spaced = spaced.strip(b"'")
        for joined, apart in ((b"''", b"  "), (b" '", b"  "), (b"' ", b"  ")):
            if spaced.find(joined) != -1:
                spaced = spaced.replace(joined, apart)
        return spaced
    apart: bytearray | None = None
    last = len(spaced) - 1
    while at != -1:
        if (at == 0 or at == last or spaced[at - 1] in _NOT_LETTER
                or spaced[at + 1] in _NOT_LETTER):
            if apart is None:
                apart = bytearray(spaced)
            apart[at] = 32  # a space
        at = spaced.find(b"'", at + 1)
    return spaced if apart is None else bytes(apart)


def _latin1_words(text: str) -> bytes:
    """`_WORD.findall(_fold(text))`, Latin-1 encoded and separated by runs of spaces, for
    text without a letter or mark past U+00FF: characters past it are then separators
    (the `?` they are encoded as) that lower-case to separators, and Latin-1 letters
    lower-case to Latin-1 letters."""
    spaced = text.replace("’", "'").encode("latin-1", "replace").translate(_LATIN1_WORD_BYTES)
    return _apostrophes_apart(spaced)


# ASCII as in `_LATIN1_WORD_BYTES`; the bytes past it (in UTF-8, parts of non-ASCII
# characters) are kept.
_ASCII_WORD_BYTES = _LATIN1_WORD_BYTES[:128] + bytes(range(128, 256))
_SEPARATOR = regex.compile(r"[^\p{L}\p{M}]")
_MARK = regex.compile(r"\p{M}")


def _wide_words(text: str) -> bytes | None:
    """`_WORD.findall(_fold(text))` for any text, UTF-8 encoded and separated by runs of
    spaces, ~4x faster, or None in the rare case of a mark `_WORD` would not put in a word
    (after a space or an apostrophe).

    The few distinct non-ASCII characters that are neither letters nor marks
    (`special_chars`) become spaces, one `str.replace` each; the text is then letters,
    marks, apostrophes and ASCII, and `_latin1_words`' way works on its UTF-8. Lower-casing
    keeps letters letters or marks (`İ` -> `i̇`) and the others neither, so the characters
    to blank out of the folded text are among the lower-cased ones of the text.
    """
    specials = special_chars(text).chars.lower()
    folded = _fold(text)
    for char in set(_SEPARATOR.findall(specials)):
        if char > "\x7f" and char != "’":  # ASCII: the byte table's job; ’ is ' by now
            folded = folded.replace(char, " ")
    spaced = _apostrophes_apart(folded.encode("utf-8").translate(_ASCII_WORD_BYTES))
    # Every run of non-spaces is now a word if it starts with a letter and no apostrophe
    # in it is followed by a mark (`_WORD` wants a letter there).
    for mark in _MARK.findall(specials):
        encoded = mark.encode("utf-8")
        if (
            spaced.startswith(encoded)
            or spaced.find(b" " + encoded) != -1
            or spaced.find(b"'" + encoded) != -1
        ):
            return None
    return spaced


def _fold(text: str) -> str:
    """Lower case, and ’ as ': what the stoplists hold."""
    return text.lower().replace("’", "'")


def _words(text: str, beyond: str) -> tuple[bytes, str]:
    """The words of `text`, case-folded (`_fold`), as `_WORD` finds them, separated by runs
    of spaces, and their encoding: Latin-1 when no letter or mark is past U+00FF
    (`beyond`: the distinct characters past it), else UTF-8."""
    if _LETTER_OR_MARK.search(beyond):
        words = _wide_words(text)
        if words is None:
            words = " ".join(_WORD.findall(_fold(text))).encode("utf-8")
        return words, "utf-8"
    return _latin1_words(text), "latin-1"


# Scoring counts, for every candidate list at once, how many words it holds: each word
# maps to an int with a 1 in the 16-bit slot of every list holding it, so summing those
# ints over the words sums every list's count in its own slot. A slot never overflows:
# words are separated, so a sample of MAX_CHARS has at most MAX_CHARS // 2 + 1 of them.
_SLOT_BITS = 16  # `_score` reads the slots as 2-byte shorts
assert MAX_CHARS // 2 + 1 < 1 << _SLOT_BITS


def _slots_from_stoplists(latin: bool) -> dict[str, int]:
    """word -> its slot bits over `_candidate_stoplists(latin)`, built from jusText's files
    (~0.2 s: what `TABLES` stores). Words no token can equal (`"the,"`, `"(en"`, ~14 %)
    are left out: they would never score."""
    slots: dict[str, int] = {}
    for i, (_, stoplist) in enumerate(_candidate_stoplists(latin)):
        bit = 1 << (_SLOT_BITS * i)
        for word in stoplist:
            if _WORD.fullmatch(word):
                slots[word] = slots.get(word, 0) | bit
    return slots


# `_slots_from_stoplists` as package data, one file per script (a document needs one):
# a test checks they equal what the installed jusText gives; `write_tables` rewrites them.
TABLES: dict[bool, Path] = {
    latin: Path(__file__).parent / "data" / f"stopwords_{name}.txt"
    for latin, name in ((True, "latin"), (False, "other"))
}


def write_tables() -> None:
    """Rebuild `TABLES` from jusText's stoplists (after a jusText upgrade)."""
    for latin, path in TABLES.items():
        codes = [code for code, _ in _candidate_stoplists(latin)]
        text = stopword_table.dumps(codes, _slots_from_stoplists(latin), _SLOT_BITS)
        path.write_text(text, encoding="utf-8")


@functools.cache
def _table(latin: bool) -> stopword_table.StoredTable:
    return stopword_table.read(TABLES[latin], _SLOT_BITS)


def _codes(latin: bool) -> tuple[str, ...]:
    """The ISO codes of `_candidate_stoplists(latin)`, in slot order."""
    return _table(latin).codes


@functools.cache
def _utf8_slots(latin: bool) -> dict[bytes, int]:
    """`_slots_from_stoplists(latin)` keyed by UTF-8 bytes, read from `TABLES`."""
    return _table(latin).utf8_slots()


@functools.cache
def _latin1_slots() -> dict[bytes, int]:
    """`_utf8_slots(True)` keyed by Latin-1 bytes, for `_latin1_words`' words; the other words
    could never be one of those."""
    return _table(True).latin1_slots()


# `_is_latin` on UTF-8 words, by their first bytes: a character below U+0240 starts with
# a byte below C9, and all from U+0280 on with a byte from CA on; the lead bytes C9
# (U+0240-U+027F, Latin up to U+024F: C9 80-8F) and E1 (U+1000-U+1FFF, Latin from U+1E00
# to U+1EFF: E1 B8-BB) need the byte after them. The table turns the lead bytes of
# non-Latin characters into `N`, keeps C9, E1 and the space, the others into `L`.
_LEAD_KINDS = bytes(
    b if b in (0x20, 0xC9, 0xE1) else ord("N") if b >= 0xCA else ord("L") for b in range(256)
)
# (lead byte, its Latin characters' first two bytes after a space, and any's)
_SHARED_LEADS: tuple[tuple[int, tuple[bytes, ...], bytes], ...] = tuple(
    (lead, tuple(b" " + bytes([lead, second]) for second in latin), b" " + bytes([lead]))
    for lead, latin in ((0xC9, range(0x80, 0x90)), (0xE1, range(0xB8, 0xBC)))
)


def _non_latin_count(words: bytes) -> int:
    """How many of the UTF-8 `words` (separated by runs of spaces) are not Latin
    (`_is_latin`): words hold no spaces, so each starts right after one in `spaced`."""
    spaced = b" " + words
    count = spaced.translate(_LEAD_KINDS).count(b" N")
    for lead, latin_starts, starts in _SHARED_LEADS:
        # `int in bytes` is a `memchr`, ~10x quicker than looking for the two bytes; the
        # lead is rare (IPA, Vietnamese, a few scripts of U+1xxx).
        if lead in spaced:
            count += spaced.count(starts) - sum(map(spaced.count, latin_starts))
    return count


def _score(words: list[bytes], spaced: bytes, encoding: str) -> tuple[str, float]:
    """The language whose stopwords are the largest share of `words` (in `encoding`; all of
    them in `spaced`, separated by spaces), and that share."""
    if encoding == "latin-1":  # Latin-1 letters only: all Latin
        latin, slots = True, _latin1_slots()
    else:
        latin = (len(words) - _non_latin_count(spaced)) * 2 > len(words)  # mostly Latin
        slots = _utf8_slots(latin)
    # Most words are in no list: filtering them out spares adding zeros to a big int.
    packed = sum(filter(None, map(slots.get, words)))
    codes = _codes(latin)
    # All slots at once: 16-bit slots are the little-endian shorts of `packed`'s bytes.
    hits = struct.unpack(f"<{len(codes)}H", packed.to_bytes(2 * len(codes), "little"))
    # index() finds the first of equals: ties go to the language listed first.
    best = hits.index(max(hits))
    return codes[best], hits[best] / len(words)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when there is too little text.

    >>> detect_language("Le chat est sur la table et il dort depuis une heure.")
    'fr'
    >>> detect_language("Menu") is None
    True
    """
    sample = text[:MAX_CHARS]
    beyond = _beyond_latin1(sample)
    if _CJK.search(beyond):
        by_script = _script_language(sample, beyond)
        if by_script is not None:
            return by_script
    spaced, encoding = _words(sample, beyond)
    words = spaced.split()
    if len(words) < MIN_WORDS:
        return None
    language, share = _score(words, spaced, encoding)
    return language if share >= MIN_STOPWORD_SHARE else None
