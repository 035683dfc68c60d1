"""Boilerplate classifier for plain-text dumps: which paragraphs of a page are article body.

A naive text dump of a news page is menus, teasers, the article, then footers, one
paragraph per line. Two steps decide what is body:

1. `classify` scores each paragraph with small gradient-boosted trees (weights in
   `data/classifier.json`, produced by `scripts/train_classifier.py` from the dev
   benchmark with document-level cross-validation). Its features are jusText's
   well-known signals (length, stopword density with the page language's stoplist,
   sentence punctuation), the same signals averaged over the neighbouring lines,
   because body text comes in runs and navigation comes in runs, and the dump's
   blank-line blocks (`blocks=`: a menu is one block of many short lines). Trees, not
   a linear model, because the signals interact (a short line is body inside prose and
   navigation inside a menu). A logistic regression then reads the trees' scores along
   the page (stacking); kept linear so its probabilities stay calibrated: the region
   search reads them as probabilities.
2. `select_body` keeps ONE contiguous region: the span maximising the sum of
   (score - threshold) weighted by paragraph length (a max-sum subarray), where the
   threshold is the page's own: half the best expected F1 a region of this page can
   have under the scores (`expected_f1_threshold`), so the region chosen is the one of
   best expected F1 rather than the one above a bar fitted to other pages. Judging each
   paragraph alone drops the short headings, list items and one-line quotes an article
   is made of; a single span keeps them because they sit between long body paragraphs.
   Inside the span, paragraphs repeated elsewhere on the page, captions/credits and an
   end marker ("Related stories", "Leave a reply") are still cut.

Pure Python plus numpy; no process-wide state except the read-only weights and stoplists,
and a cache of what each character is (`_CODE_BITS`: a pure function's values).
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import regex

from cleaner.chars import CharClasses, class_bits
from cleaner.rules.casefold import fold
from cleaner.rules.needs import needs

WEIGHTS_PATH = Path(__file__).parent / "data" / "classifier.json"

# Scripts written without spaces: one character is one "word" for length and density,
# since a 40-character Japanese sentence carries roughly what 25-40 English words do.
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}"
_WORD = regex.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_CJK_CHAR = regex.compile(rf"[{_CJK}]")
# jusText has no Chinese or Japanese stoplist; their most frequent function characters
# play the same role (text that is running prose is full of them, menus are not).
_CJK_STOPCHARS = frozenset(
    "のにはをたがでてとしもなかれさるいうこだす"  # Japanese particles and endings
    "的了是在和有我他这不也就人都一上们到说要会着个与为而之其"  # Chinese function words
)
# Sentence ends, allowing closing quotes/brackets after the mark (`_ends_sentence`).
_ENDS = tuple(".!?。！？…:;")
_CLOSERS = "\"'”’»)]」』）"
_MARKS = ".!?。！？"  # what a `_SENTENCE_MARK` match starts with
_SENTENCE_MARK = regex.compile(r"[.!?。！？](?:[\"'”’»)\]」』）]*)(?:\s|$)|[。！？]")
_NAV_SEPARATOR = regex.compile(r"\s[|»›/>·•]\s|^[|»›>·•]|[|»›>·•]$")
_LINKISH = regex.compile(r"https?://|www\.|\S@\S|©|\.(?:com|org|net)\b", regex.IGNORECASE)
# Captions and credits: the picture's description or owner, never article text.
# A line is a caption when `_CAPTION_START` matches it or `_CAPTION_ANYWHERE` finds
# something in it (two patterns, not one alternation: each has its own prefilter).
_CAPTION_START = regex.compile(
    r"(?:image|photo|picture|video|foto|bild|imagen|crédito|credit|source|fuente|quelle)"
    r"(?:\s+credits?)?\s*[:：]"
    r"|(?:above|below|pictured|top|left|right|file photo)\s*[:：]",
    regex.IGNORECASE,
)
_CAPTION_ANYWHERE = regex.compile(
    r"\b(?:getty images|shutterstock|ap photo|afp|reuters|epa|istock(?:photo)?|"
    r"associated press)\s*(?:/|$)"
    r"|\((?:photo|image|credit|foto)\b[^)]*\)$",
    regex.IGNORECASE,
)
# Lines that end an article when they follow it: the start of related links, comments,
# share widgets or the footer. Matched on the whole (short) line only.
_END_MARKER = regex.compile(
    r"^(?:related(?:\s+(?:stories|articles|posts|news|content|coverage|links|topics))?"
    r"|more\s+(?:stories|news|from|on|in|like this|to read)\b.*"
    r"|voc[êe] (?:também )?(?:pode|poderá) gostar.*|tamb[ée]n te puede(?:n)? (?:gustar|interesar).*"
    r"|vous aimerez (?:aussi|également).*|ti potrebbe(?:ro)? (?:interessare|piacere).*"
    r"|read\s+(?:more|next|also)\b.*|see also|you (?:may|might) also like.*"
    r"|recommended(?:\s+(?:for you|stories|articles))?|trending(?:\s+now)?"
    r"|(?:most\s+)?popular(?:\s+(?:stories|now|articles))?|latest(?:\s+(?:news|stories))?"
    r"|leave a (?:reply|comment)|post a comment|\d*\s*comments?|add a comment"
    r"|share (?:this|on)\b.*|tags?|topics|filed under|about the author"
    r"|sign up.*newsletter.*|subscribe.*|advertisement"
    r"|artículos relacionados|noticias relacionadas|lee también|te puede interesar"
    r"|articles? (?:liés|similaires)|à lire aussi|lire aussi|sur le même sujet"
    r"|ähnliche artikel|mehr zum thema|das könnte sie auch interessieren|weitere artikel"
    r"|leia também|veja também|notícias relacionadas|matérias relacionadas"
    r"|leggi anche|articoli correlati|potrebbe interessarti"
    r"|читайте также|похожие (?:статьи|новости)|关联文章|相关文章|相关新闻|関連記事"
    r"|관련\s*기사|인기\s*기사)[\s:：.!…]*$",
    regex.IGNORECASE,
)
_BYLINE = regex.compile(
    r"^(?:by|written by|posted by|von|par|por|di|door|av|af|автор)\b", regex.IGNORECASE
)
# A headline glued to its teaser ("...Troy SteakhouseA party of six left...", "Rise?Violence
# is"): scrapers join a teaser card's title and summary with no space, article prose has
# no such seams. Two lowercase letters before the capital spare "McDonald" and "iPhone".
# That is `\p{Ll}{2}\p{Lu}\p{Ll}|\p{Ll}[?!.]\p{Lu}\p{Ll}`, written to start at the capital:
# tried at the few capitals instead of at every lowercase letter, ~8x faster.
_GLUED = regex.compile(r"\p{Lu}(?<=\p{Ll}[\p{Ll}?!.]\p{Lu})\p{Ll}")
# "1) ...", "2. ...", "(3) ...": items of a list whose markers the dump kept as text.
_NUMBERED = regex.compile(r"^\(?\d{1,3}[.)](?:\s|$)|^\d{1,3}\s*[–—-]\s")
_NUMBERED_START = regex.compile(r"[\d(]")  # what a `_NUMBERED` match starts with
_URL_ONLY = regex.compile(r"^(?:https?://|www\.)\S+$", regex.IGNORECASE)
# Teaser cards repeat a headline that also stands alone elsewhere on the page (a "most
# read" list): a line that starts with another line of at least this many characters.
_PREFIX_CHARS = 24
_DATE_TIME = regex.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
# ISO 639-1 -> jusText stoplist name, used only until/unless cleaner.language is there.
_JUSTEXT_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "ms": "Malay", "nl": "Dutch", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip

# Feature order is the weights file's order; the training script checks it.
LOCAL_FEATURES = (
    "log_words",
    "log_chars",
    "stop_ratio",
    "log_stopwords",
    "punct_ratio",
    "ends_sentence",
    "log_sentences",
    "comma_per_word",
    "titlecase_ratio",
    "upper_ratio",
    "digit_ratio",
    "nav_separator",
    "linkish",
    "caption",
    "end_marker",
    "repeated",
    "short",
    "rel_words",
    "words_0_3",
    "words_4_8",
    "words_9_20",
    "words_21_40",
    "stop_x_words",
    "ends_x_words",
    "starts_lower",
    "byline",
    "date_or_time",
    "glued",
    "extends_other",
    "numbered",
    "url_only",
)
_CONTEXT_BASE = ("log_words", "stop_ratio", "ends_sentence", "titlecase_ratio", "numbered")
_WINDOWS = (1, 3, 8)
CONTEXT_FEATURES = tuple(f"{name}_w{w}" for w in _WINDOWS for name in _CONTEXT_BASE) + (
    "prev_log_words",
    "next_log_words",
    "prev_ends",
    "next_ends",
    "position",
)
# The dump's blank-line structure: a menu or a link list is one block of many short
# lines, article paragraphs are usually one line per block.
BLOCK_FEATURES = (
    "block_log_lines",
    "block_mean_log_words",
    "block_max_log_words",
    "block_ends_ratio",
    "block_position",
    "block_single",
    "page_single_ratio",
)
FEATURES = LOCAL_FEATURES + CONTEXT_FEATURES + BLOCK_FEATURES
_STACK_WINDOWS = (1, 2, 4, 8, 16)
_SIDE_WINDOWS = (3, 10)
# No first-stage score of the line itself: it is a linear function of FEATURES, which
# the second stage already sees (and would only make its weights unstable).
STACK_FEATURES = tuple(f"p_w{w}" for w in _STACK_WINDOWS) + tuple(
    f"p_{side}{w}" for w in _SIDE_WINDOWS for side in ("left", "right")
)
# A marker line costs the region as much as a non-body paragraph of this many words.
MARKER_WORDS = 20.0


@dataclass(frozen=True)
class Decision:
    """The verdict on one paragraph; `reason` is the short label `--explain` shows."""

    keep: bool
    score: float
    reason: str
    # The page's bar (`Model.threshold_for`): a paragraph's score means little without it,
    # since each page gets its own.
    bar: float | None = None


@dataclass(frozen=True)
class Stage:
    """One logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def from_json(cls, data: dict) -> Stage:
        return cls(
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            coef=np.asarray(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
        )

    def as_json(self) -> dict:
        return {
            "kind": "logistic",
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees on the log-odds, all of one fixed depth and
    stored as complete binary trees in heap order (node i has children 2i+1 and 2i+2),
    so all trees are evaluated at once with a few numpy gathers and no Python loop over
    trees. A node that was not worth splitting has threshold +inf (all rows go left)."""

    base: float
    feature: np.ndarray  # (trees, 2**depth - 1) feature index of each inner node
    threshold: np.ndarray  # (trees, 2**depth - 1) go right when x > threshold
    value: np.ndarray  # (trees, 2**depth) leaf values, learning rate included

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        return cls(
            base=float(data["base"]),
            feature=np.asarray(data["feature"], dtype=np.intp),
            threshold=np.asarray(
                [[math.inf if t is None else t for t in row] for row in data["threshold"]],
                dtype=float,
            ),
            value=np.asarray(data["value"], dtype=float),
        )

    def as_json(self) -> dict:
        return {
            "kind": "trees",
            "base": round(float(self.base), 6),
            "feature": self.feature.tolist(),
            # JSON has no infinity: an unsplit node is written as null.
            "threshold": [
                [None if math.isinf(t) else round(float(t), 6) for t in row]
                for row in self.threshold
            ],
            "value": [[round(float(v), 6) for v in row] for row in self.value],
        }

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        n_trees, n_inner = self.feature.shape
        if not n_trees:
            return np.full(len(x), self.base)
        # Gathers from the flattened arrays (`take`): what `x[rows, feature[tree, node]]`
        # reads, without two-dimensional fancy indexing, which costs several times more.
        n_rows, n_features = x.shape
        cells = np.ascontiguousarray(x).ravel()
        row_start = (np.arange(n_rows) * n_features)[None, :]
        tree_start = (np.arange(n_trees) * n_inner)[:, None]
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        node = np.zeros((n_trees, n_rows), dtype=np.intp)
        for _ in range(int(round(math.log2(n_inner + 1)))):
            at = tree_start + node
            right = cells.take(row_start + feature.take(at)) > threshold.take(at)
            node = 2 * node + 1 + right
        leaf = (np.arange(n_trees) * (n_inner + 1))[:, None] + node - n_inner
        return self.base + self.value.ravel().take(leaf).sum(axis=0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.log_odds(x), -30, 30)))


def stage_from_json(data: dict) -> Stage | Trees:
    return Trees.from_json(data) if data.get("kind") == "trees" else Stage.from_json(data)


@dataclass(frozen=True)
class Model:
    """Two stacked scorers: the second sees the first one's scores along the page,
    which is how "this line sits among body lines" is learnt rather than hand-tuned."""

    first: Stage | Trees
    second: Stage | Trees
    threshold: float  # region decoding: paragraphs scoring above it pull the span open
    length_power: float  # weight of a paragraph in the span = words ** length_power
    # "fixed": `threshold` is the bar on every page. "expected_f1": each page gets the bar
    # that maximises its expected F1 (`expected_f1_threshold`), times `threshold`.
    decoding: str = "fixed"

    def threshold_for(self, probs: np.ndarray, words: np.ndarray, x: np.ndarray) -> float:
        """The region search's bar on this page."""
        if self.decoding == "fixed":
            return self.threshold
        markers = x[:, FEATURES.index("end_marker")] > 0
        return self.threshold * expected_f1_threshold(probs, words, markers, self.length_power)

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if tuple(data["features"]) != FEATURES or tuple(data["stack_features"]) != (STACK_FEATURES):
            raise ValueError(f"{WEIGHTS_PATH}: feature list does not match cleaner.classify")
        return cls(
            first=stage_from_json(data["first"]),
            second=stage_from_json(data["second"]),
            threshold=float(data["threshold"]),
            length_power=float(data["length_power"]),
            decoding=data.get("decoding", "fixed"),
        )

    def as_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "stack_features": list(STACK_FEATURES),
            "first": self.first.as_json(),
            "second": self.second.as_json(),
            "threshold": self.threshold,
            "length_power": self.length_power,
            "decoding": self.decoding,
        }

    def predict(self, x: np.ndarray, words: np.ndarray) -> np.ndarray:
        p1 = self.first.predict(x)
        return self.second.predict(np.concatenate([x, stack_features(p1, words)], axis=1))


@lru_cache(maxsize=1)
def load_model(path: Path = WEIGHTS_PATH) -> Model:
    """The shipped weights (read-only constant data, so caching cannot leak between docs)."""
    return Model.from_json(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=64)
def _justext_stoplist(language: str) -> frozenset[str]:
    import justext

    name = _JUSTEXT_NAMES.get(language)
    if name is None:
        return frozenset()
    return frozenset(w.casefold() for w in justext.get_stoplist(name))


# Cached: case-folding a whole stoplist cost ~0.1 ms a document (read-only data, as above).
@lru_cache(maxsize=64)
def stopwords_for(language: str | None) -> frozenset[str]:
    """The language's stoplist (jusText's); empty when unknown."""
    if not language:
        return frozenset()
    try:
        from cleaner.language import stopwords
    except ImportError:  # the language module is optional for this stage
        return _justext_stoplist(language)
    return frozenset(w.casefold() for w in stopwords(language))


def _guess_language(texts: Sequence[str]) -> str | None:
    try:
        from cleaner.language import detect_language
    except ImportError:
        return None
    return detect_language("\n".join(texts))


@cache
def _needed(
    pattern: regex.Pattern[str],
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]:
    """What every match of `pattern` holds (see `cleaner.rules.needs`), as `fold`ed text
    decoded: the strings one of which starts it (None: unknown), and its factors (it holds
    one string of each). Nothing when a match needs a digit besides (not modelled here)."""
    found = needs(pattern)
    if found.digit:
        return None, ()
    prefixes = found.prefixes and tuple(prefix.decode() for prefix in found.prefixes)
    return prefixes, tuple(tuple(literal.decode() for literal in factor)
                           for factor in found.factors)


# Bits of `_char_bits` past the `CharClasses` ones (`class_bits`): how the patterns read
# a character (each found by the `regex` module itself, so they cannot disagree).
_CLASS_KINDS = 1 << len(CharClasses._fields)  # the class bits' combinations
_WORD_BIT = _CLASS_KINDS  # `_WORD`: part of a run of word characters
_CJK_BIT = _WORD_BIT << 1  # `_WORD`: a word by itself
_LOWER_BIT = _CJK_BIT << 1  # `\p{Ll}`
_UPPER_BIT = _LOWER_BIT << 1  # `\p{Lu}`
_DIGIT_BIT = _UPPER_BIT << 1  # `\d`
_SEAM_BIT = _DIGIT_BIT << 1  # `_GLUED`'s middle character
_SPACE_BIT = 1 << CharClasses._fields.index("space")  # `str.isspace`
_CHAR_TESTS = (
    (regex.compile(rf"[^\W{_CJK}]"), _WORD_BIT),
    (regex.compile(r"\p{Ll}"), _LOWER_BIT),
    (regex.compile(r"\p{Lu}"), _UPPER_BIT),
    (regex.compile(r"\d"), _DIGIT_BIT),
    (regex.compile(r"[\p{Ll}?!.]"), _SEAM_BIT),
)
# Each combination of class bits -> its fields, for `_Page.class_counts`.
_FIELDS_OF_KIND = (np.arange(_CLASS_KINDS)[:, None] >> np.arange(len(CharClasses._fields))) & 1


def _char_bits(code: int) -> int:
    """`class_bits` of the character, with the bits of the patterns it matches (a CJK
    character has `_CJK_BIT` and not `_WORD_BIT`)."""
    char = chr(code)
    bits = class_bits(char) | sum(bit for test, bit in _CHAR_TESTS if test.match(char))
    return bits | _CJK_BIT if _CJK_CHAR.match(char) else bits


# `_char_bits` of every code point (2.2 MB), filled in as the pages bring characters (a
# cache of a pure function: the values never depend on which page came first).
_NOT_YET = 0xFFFF
_CODE_BITS = np.full(sys.maxunicode + 1, _NOT_YET, dtype=np.uint16)
_CODE_BITS[:128] = [_char_bits(code) for code in range(128)]
# ASCII bytes as `_WORD` reads them: word bytes kept, the others a space (the bytes of
# other characters are kept: `_Page.folded_words` blanks out the non-word ones first).
_ASCII_WORD_BYTES = bytes(
    code if code > 127 or _CODE_BITS[code] & _WORD_BIT else ord(" ") for code in range(256)
)


def _bits(codes: np.ndarray) -> np.ndarray:
    """`_char_bits` of each code point; those not met before are worked out once each."""
    bits = _CODE_BITS.take(codes)
    new = np.flatnonzero(bits == _NOT_YET)
    if len(new):
        distinct, which = np.unique(codes.take(new), return_inverse=True)
        found = np.fromiter(map(_char_bits, distinct.tolist()), np.uint16, len(distinct))
        bits[new] = found.take(which)
        _CODE_BITS[distinct] = found
    return bits


@dataclass(frozen=True)
class _Page:
    """A page's paragraphs (stripped), read all at once: a page is ~60 short lines, and a
    regex or Python call per line costs more than the reading. Patterns run once over
    `joined`, each match going to the paragraph it starts in, and character classes are
    counted over the code points. `joined` separates paragraphs with "\\n", which is
    neither a word character nor a letter and is `\\s`: the patterns read this way stop at
    it as at the end of a lone paragraph (which may hold "\\n" itself: it is read alike)."""

    texts: list[str]
    joined: str
    lengths: np.ndarray  # of each paragraph
    starts: list[int]  # where each paragraph starts in `joined`
    codes: np.ndarray  # the code points of `joined`
    bits: np.ndarray  # `_char_bits` of each, 0 for the separators
    owners: np.ndarray  # the paragraph each is in (a separator: the one before it)

    @classmethod
    def of(cls, texts: list[str]) -> _Page:
        joined = "\n".join(texts)
        lengths = np.fromiter(map(len, texts), np.intp, len(texts))
        ends = np.cumsum(lengths + 1) - 1  # where each paragraph's separator is
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        bits = _bits(codes)
        bits[ends[:-1]] = 0
        owners = np.repeat(np.arange(len(texts)), lengths + 1)[: len(codes)]
        return cls(texts, joined, lengths, (ends - lengths).tolist(), codes, bits, owners)

    def count(self, positions: list[int] | np.ndarray) -> np.ndarray:
        """How many of `positions` (of `joined`) each paragraph holds."""
        where = np.asarray(positions, dtype=np.intp)
        return np.bincount(self.owners.take(where), minlength=len(self.texts)).astype(float)

    def holding(self, literals: Sequence[str], folded: str) -> set[int]:
        """The paragraphs whose `fold`ed text holds one of `literals` (none holds "\\n";
        `folded`: `joined`'s)."""
        where = np.asarray(_positions(folded, literals), dtype=np.intp)
        return set(self.owners.take(where).tolist())

    def sentences(self) -> np.ndarray:
        """How many times `_SENTENCE_MARK.findall` finds a sentence end in each paragraph.
        A match holds one mark, at its start: tried at each mark (`str.find` finds them),
        the regex gives what `findall` would."""
        at = _positions(self.joined, _MARKS)
        return self.count([i for i in at if _SENTENCE_MARK.match(self.joined, i)])

    def glued(self) -> np.ndarray:
        """Which paragraphs `_GLUED` finds a seam in: `\\p{Ll}`, `[\\p{Ll}?!.]`, `\\p{Lu}`,
        `\\p{Ll}` in a row (read off the bits instead of tried at every capital)."""
        if len(self.codes) < 4:
            return np.zeros(len(self.texts), dtype=bool)
        bits = self.bits
        lower = (bits & _LOWER_BIT) != 0
        at = np.flatnonzero(lower[:-3] & ((bits[1:-2] & _SEAM_BIT) != 0)
                            & ((bits[2:-1] & _UPPER_BIT) != 0) & lower[3:])
        return self.count(at + 2) > 0

    def with_digits(self) -> list[bool]:
        """Which paragraphs hold a `\\d`."""
        digits = np.bincount(self.owners, self.bits & _DIGIT_BIT, minlength=len(self.texts))
        return (digits > 0).tolist()

    def class_counts(self, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many characters of each paragraph are of each `CharClasses` field (a column
        each), and how many of those at `where`: one count over their bits."""
        n, kinds = len(self.texts), self.bits & (_CLASS_KINDS - 1)
        cells = np.concatenate([self.owners, self.owners.take(where) + n]) * _CLASS_KINDS
        counts = np.bincount(cells + np.concatenate([kinds, kinds.take(where)]),
                             minlength=2 * n * _CLASS_KINDS)
        fields = (counts.reshape(-1, _CLASS_KINDS) @ _FIELDS_OF_KIND).astype(float)
        return fields[:n], fields[n:]

    def word_starts(self) -> np.ndarray:
        """Where each word of `_WORD.findall(joined)` starts: at a CJK character, or at a
        word character not after one."""
        word = (self.bits & _WORD_BIT) != 0
        after_word = np.concatenate([[False], word[:-1]])
        return np.flatnonzero(((self.bits & _CJK_BIT) != 0) | (word & ~after_word))

    def folded_words(self, cjk: bool) -> list[str]:
        """`[w.casefold() for w in _WORD.findall(joined)]`, as `_WORD.findall` reads the
        case-folded text: case folding keeps a word character a word character and a CJK
        one itself (tests/test_classify.py checks every character). Without CJK characters
        (`cjk`; each is a word of its own) words are runs of word characters, which
        `bytes.translate` and `str.split` find ~5x faster once the few distinct non-ASCII
        characters that are not word characters are blanked out."""
        if cjk:
            return _WORD.findall(self.joined.casefold())
        others = (self.codes > 127) & ((self.bits & _WORD_BIT) == 0)
        spaced = self.joined
        for code in set(self.codes[others].tolist()):
            spaced = spaced.replace(chr(code), " ")
        encoded = spaced.casefold().encode("utf-8", "surrogatepass")
        # No word character is `str.isspace` (tests/test_classify.py checks them all).
        return encoded.translate(_ASCII_WORD_BYTES).decode("utf-8", "surrogatepass").split()

    def keys(self) -> list[str]:
        """`_key` of each paragraph (the same stripped or not), case-folded all at once.
        Case folding neither makes nor unmakes whitespace (tests/test_classify.py checks
        every character), so a paragraph whose only whitespace is single spaces is its
        key case-folded."""
        lines = self.joined.casefold().split("\n")
        if len(lines) != len(self.texts):  # a paragraph holds "\n"
            return [_key(text) for text in self.texts]
        space = np.flatnonzero(self.bits & _SPACE_BIT)
        odd = (self.codes.take(space) != ord(" ")) | np.append(np.diff(space) == 1, False)
        for i in set(self.owners.take(space[odd]).tolist()):
            lines[i] = " ".join(lines[i].split())
        return lines


def _positions(text: str, literals: Iterable[str]) -> list[int]:
    """Where each of `literals` is in `text`: `str.find` for each, where a regex
    alternation of literals would be tried at every character."""
    found: list[int] = []
    for literal in literals:
        at = text.find(literal)
        while at != -1:
            found.append(at)
            at = text.find(literal, at + 1)
    return found


def _stopwords(folded_words: list[str], stops: frozenset[str], cjk: bool) -> np.ndarray:
    """For each (case-folded) word: is it a stopword or a CJK function character (only
    on a page with CJK characters, `cjk`)?"""
    found = np.fromiter(map(stops.__contains__, folded_words), bool, len(folded_words))
    if cjk:
        found |= np.fromiter(map(_CJK_STOPCHARS.__contains__, folded_words), bool,
                             len(folded_words))
    return found


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _extends_other(keys: Sequence[str]) -> list[bool]:
    """For each line: does it start with another, shorter line of the page (of at least
    _PREFIX_CHARS characters)? Bucketed by the first characters, so linear in practice."""
    by_head: dict[str, set[str]] = {}
    for k in keys:
        if len(k) >= _PREFIX_CHARS:
            by_head.setdefault(k[:_PREFIX_CHARS], set()).add(k)
    if all(len(group) == 1 for group in by_head.values()):
        return [False] * len(keys)  # a line extends another only in a bucket of two
    out = []
    for k in keys:
        group = by_head.get(k[:_PREFIX_CHARS], ()) if len(k) > _PREFIX_CHARS else ()
        out.append(any(len(o) < len(k) and k.startswith(o) for o in group))
    return out


def _ends_sentence(text: str) -> bool:
    """A sentence mark, then only closing quotes or brackets: what
    `[.!?。！？…:;][closers]*$` finds in a stripped text (no final "\\n" for `$` to stand
    before), without a regex call."""
    return text.rstrip(_CLOSERS).endswith(_ENDS)


def _searched(pattern: regex.Pattern[str], page: _Page, folded: str, among: Iterable[int]
              ) -> list[float]:
    """1.0 for the paragraphs of `among` `pattern.search` finds something in (`folded`:
    `fold` of `page.joined`, decoded). The regex only runs on the paragraphs that hold a
    string of each factor every match holds (`_needed`): a link or a caption word is in a
    few paragraphs, and these patterns are slow to rule out (15 µs for a sentence)."""
    candidates = set(among)
    for factor in _needed(pattern)[1]:
        if not candidates:
            break
        candidates &= page.holding(factor, folded)
    return _where(pattern.search, page.texts, candidates)


def _matched(pattern: regex.Pattern[str], page: _Page, folded: str, folded_firsts: str,
             among: Iterable[int]) -> list[float]:
    """1.0 for the paragraphs of `among` `pattern.match` matches, tried on those that start
    with a string every match starts with (`_needed`; `folded_firsts`: the first character
    of each paragraph's `fold`ed text, "\\n" for an empty one)."""
    prefixes = _needed(pattern)[0]
    if prefixes is not None and all(prefixes):
        heads = {prefix[0] for prefix in prefixes}
        starts = page.starts
        among = [i for i in among
                 if folded_firsts[i] in heads and folded.startswith(prefixes, starts[i])]
    return _where(pattern.match, page.texts, among)


def _where(test: Callable[[str], object], texts: list[str], among: Iterable[int]
           ) -> list[float]:
    """1.0 for the texts of `among` that pass `test`, else 0.0."""
    out = [0.0] * len(texts)
    for i in among:
        if test(texts[i]):
            out[i] = 1.0
    return out


def _per_word(page: _Page, char: str, per_word: np.ndarray) -> np.ndarray:
    """How many times each paragraph holds `char`, divided by `per_word`."""
    if char not in page.joined:
        return np.zeros(len(page.texts))  # adds nothing, to the last bit
    return np.bincount(page.owners, page.codes == ord(char), len(page.texts)) / per_word


# `math.log1p`, not `np.log1p`: numpy's may use a vectorised log that differs from the C
# library's in the last bit on some CPUs, and the features must not. Looked up for the
# counts most paragraphs have.
_LOG1P = np.array([math.log1p(count) for count in range(1 << 12)])


def _log1p(counts: np.ndarray) -> np.ndarray:
    """`math.log1p` of each count (a whole number)."""
    if counts.max() < len(_LOG1P):
        return _LOG1P.take(counts.astype(np.intp))
    return np.fromiter(map(math.log1p, counts.tolist()), float, len(counts))


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, 0 where whole is 0."""
    return np.divide(part, whole, out=np.zeros(len(part)), where=whole > 0)


def local_features(texts: Sequence[str], stops: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per-paragraph features (LOCAL_FEATURES order) and each paragraph's word count."""
    if not texts:
        return np.zeros((0, len(LOCAL_FEATURES))), np.zeros(0)
    page = _Page.of([t.strip() for t in texts])
    n = len(page.texts)
    keys = page.keys()
    counts = Counter(keys)
    word_starts = page.word_starts()
    word_owners = page.owners.take(word_starts)
    n_words = np.bincount(word_owners, minlength=n).astype(float)
    n_stop = np.zeros(n)
    cjk = bool((page.bits & _CJK_BIT).any())
    if stops or cjk:  # CJK function characters need no stoplist
        stopwords = _stopwords(page.folded_words(cjk), stops, cjk)
        n_stop = np.bincount(word_owners, stopwords, minlength=n)
    classes, initials = page.class_counts(word_starts)
    alnum, space, cased, upper, digits = classes.T
    # Words that start with a cased letter, and how many of those with a capital.
    _, _, initials_cased, initials_upper, _ = initials.T
    n_chars = np.maximum(page.lengths, 1)
    per_word = np.maximum(n_words, 1.0)
    folded = fold(page.joined).decode("utf-8", "surrogatepass")
    firsts = "".join([text[:1] or "\n" for text in page.texts])
    folded_firsts = fold(firsts).decode("utf-8", "surrogatepass")
    log_words = _log1p(n_words)
    stop_ratio = _ratio(n_stop, n_words)
    ends = np.fromiter(map(_ends_sentence, page.texts), bool, n).astype(float)
    words = n_words.tolist()
    everywhere = range(n)
    up_to_40 = [i for i in everywhere if words[i] <= 40]
    digits_in = page.with_digits()
    columns = {
        "log_words": log_words,
        "log_chars": _log1p(page.lengths),
        "stop_ratio": stop_ratio,
        "log_stopwords": _log1p(n_stop),
        "punct_ratio": (n_chars - alnum - space) / n_chars,
        "ends_sentence": ends,
        "log_sentences": _log1p(page.sentences()),
        "comma_per_word": _per_word(page, ",", per_word) + _per_word(page, "、", per_word),
        "titlecase_ratio": _ratio(initials_upper, initials_cased),
        "upper_ratio": _ratio(upper, cased),
        "digit_ratio": digits / n_chars,
        "nav_separator": _searched(_NAV_SEPARATOR, page, folded, everywhere),
        "linkish": _searched(_LINKISH, page, folded, everywhere),
        "caption": np.maximum(_matched(_CAPTION_START, page, folded, folded_firsts, up_to_40),
                              _searched(_CAPTION_ANYWHERE, page, folded, up_to_40)),
        "end_marker": _where(_END_MARKER.match, page.texts,
                             [i for i in everywhere if words[i] <= 8]),
        "repeated": [counts[k] > 1 for k in keys],
        "short": n_words <= 3,
        "rel_words": n_words / max(n_words.max(), 1.0),
        # Length bands: body odds are not linear in log length (a 6-word line
        # is a heading or a teaser, a 30-word one almost always prose).
        "words_0_3": n_words <= 3,
        "words_4_8": (n_words >= 4) & (n_words <= 8),
        "words_9_20": (n_words >= 9) & (n_words <= 20),
        "words_21_40": (n_words >= 21) & (n_words <= 40),
        "stop_x_words": stop_ratio * log_words,
        "ends_x_words": ends * log_words,
        "starts_lower": [first.islower() for first in firsts],
        "byline": _matched(_BYLINE, page, folded, folded_firsts,
                           [i for i in everywhere if words[i] <= 12]),
        # Every `_DATE_TIME` match holds a digit.
        "date_or_time": _where(_DATE_TIME.search, page.texts,
                               [i for i in everywhere if words[i] <= 15 and digits_in[i]]),
        "glued": page.glued(),
        "extends_other": _extends_other(keys),
        "numbered": _where(_NUMBERED.match, page.texts,
                           [match.start() for match in _NUMBERED_START.finditer(firsts)]),
        "url_only": _matched(_URL_ONLY, page, folded, folded_firsts, everywhere),
    }
    # One array of the columns, turned: ~4x faster than stacking them side by side.
    x = np.array([columns[name] for name in LOCAL_FEATURES], dtype=float).T.copy()
    return x, n_words


def _running(v: np.ndarray) -> np.ndarray:
    """Running sums of `v` down its rows, after a row of zeros: what `_window_sum` reads.
    (Each column is summed in order, so its sums are those of the column alone.)"""
    return np.concatenate([np.zeros((1, *v.shape[1:])), np.cumsum(v, axis=0)])


def _window_sum(running: np.ndarray, w: int) -> np.ndarray:
    """Sum of v[i-w .. i+w] for each i, clipped at the page's ends (`running`: `_running(v)`)."""
    n = len(running) - 1
    idx = np.arange(n)
    return running[np.minimum(idx + w + 1, n)] - running[np.maximum(idx - w, 0)]


def context_features(local: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Neighbourhood averages of a few local features (self excluded, weighted by length
    so a run of one-word menu items does not outvote the paragraph next to it)."""
    n = len(local)
    cols: list[np.ndarray] = []
    weight = np.log1p(words) + 0.1
    # All base features at once, one column each (in `_CONTEXT_BASE` order).
    v = local[:, [LOCAL_FEATURES.index(name) for name in _CONTEXT_BASE]] * weight[:, None]
    running_v, running_weight = _running(v), _running(weight)
    for w in _WINDOWS:
        wsum = _window_sum(running_weight, w) - weight
        sums = (_window_sum(running_v, w) - v) / np.maximum(wsum, 1e-9)[:, None]
        cols.extend(sums.T)
    lw = local[:, LOCAL_FEATURES.index("log_words")] if n else np.zeros(0)
    ends = local[:, LOCAL_FEATURES.index("ends_sentence")] if n else np.zeros(0)
    cols.append(np.concatenate([[0.0], lw[:-1]]) if n else lw)
    cols.append(np.concatenate([lw[1:], [0.0]]) if n else lw)
    cols.append(np.concatenate([[0.0], ends[:-1]]) if n else ends)
    cols.append(np.concatenate([ends[1:], [0.0]]) if n else ends)
    cols.append(np.arange(n) / max(n - 1, 1))
    return np.stack(cols, axis=1) if n else np.zeros((0, len(CONTEXT_FEATURES)))


def stack_features(p1: np.ndarray, words: np.ndarray) -> np.ndarray:
    """First-stage scores around each paragraph (self excluded; left and right apart,
    since the edge of the body is where they differ)."""
    n = len(p1)
    if not n:
        return np.zeros((0, len(STACK_FEATURES)))
    weight = np.log1p(words) + 0.1
    cols: list[np.ndarray] = []
    running_weight, running_pw = _running(weight), _running(p1 * weight)
    for w in _STACK_WINDOWS:
        both = _window_sum(running_weight, w) - weight
        cols.append((_window_sum(running_pw, w) - p1 * weight) / np.maximum(both, 1e-9))
    idx = np.arange(n)
    for w in _SIDE_WINDOWS:
        lo = np.maximum(idx - w, 0)
        hi = np.minimum(idx + 1 + w, n)
        left_w = running_weight[idx] - running_weight[lo]
        right_w = running_weight[hi] - running_weight[idx + 1]
        left_pw = running_pw[idx] - running_pw[lo]
        right_pw = running_pw[hi] - running_pw[idx + 1]
        cols.append(np.where(left_w > 0, left_pw / np.maximum(left_w, 1e-9), 0))
        cols.append(np.where(right_w > 0, right_pw / np.maximum(right_w, 1e-9), 0))
    return np.stack(cols, axis=1)


# Blank lines carry structure only on a page that uses them between paragraphs. A dump
# written without them (one block for the whole page, like the samples in raw/) would
# otherwise look like one giant menu block; below this share of lines starting a new
# block, every line is taken as its own block, i.e. as if no structure were known.
MIN_BLOCK_SHARE = 0.5


def block_features(local: np.ndarray, blocks: Sequence[int] | None) -> np.ndarray:
    """Per-paragraph features of its blank-line block (BLOCK_FEATURES order).

    `blocks` holds each paragraph's block id (equal ids on consecutive paragraphs = one
    block; gaps left by paragraphs dropped earlier do not matter)."""
    n = len(local)
    if not n:
        return np.zeros((0, len(BLOCK_FEATURES)))
    ids = np.zeros(n, dtype=int)
    if blocks is not None:
        b = np.asarray(blocks)
        # Runs of equal ids, renumbered 0..k-1 in page order.
        ids = np.concatenate([[0], np.cumsum(b[1:] != b[:-1])])
    if blocks is None or (ids[-1] + 1) < MIN_BLOCK_SHARE * n:
        ids = np.arange(n)
    n_blocks = int(ids[-1]) + 1
    size = np.bincount(ids, minlength=n_blocks).astype(float)
    lw = local[:, LOCAL_FEATURES.index("log_words")]
    ends = local[:, LOCAL_FEATURES.index("ends_sentence")]
    mean_lw = np.bincount(ids, weights=lw, minlength=n_blocks) / size
    max_lw = np.full(n_blocks, -np.inf)
    np.maximum.at(max_lw, ids, lw)
    ends_ratio = np.bincount(ids, weights=ends, minlength=n_blocks) / size
    first = np.concatenate([[0], np.flatnonzero(ids[1:] != ids[:-1]) + 1])
    pos = (np.arange(n) - first[ids]) / np.maximum(size[ids] - 1, 1)
    single = (size[ids] == 1).astype(float)
    return np.stack(
        [
            np.log1p(size[ids]),
            mean_lw[ids],
            max_lw[ids],
            ends_ratio[ids],
            pos,
            single,
            np.full(n, single.mean()),
        ],
        axis=1,
    )


def features(
    texts: Sequence[str], language: str | None, blocks: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The model's input matrix (FEATURES order) and the word count of each paragraph."""
    if language is None:
        language = _guess_language(texts)
    local, words = local_features(texts, stopwords_for(language))
    return (
        np.concatenate(
            [local, context_features(local, words), block_features(local, blocks)], axis=1
        ),
        words,
    )


def classify(
    texts: Sequence[str],
    language: str | None,
    *,
    kinds: Sequence[str] | None = None,
    model: Model | None = None,
    blocks: Sequence[int] | None = None,
) -> list[float]:
    """Probability that each paragraph of one document (in page order) is article body.

    `kinds` ("p"/"li") is accepted for symmetry with `select_body`; list items are
    scored like any paragraph, their fate is settled by the region they sit in.
    """
    del kinds  # the dumps the model learnt from carry no list markers
    if not texts:
        return []
    model = model or load_model()
    x, words = features(texts, language, blocks)
    return [float(p) for p in model.predict(x, words)]


def best_span(gains: Sequence[float]) -> tuple[int, int] | None:
    """The [start, end) span of maximal positive sum (Kadane), or None if none is positive."""
    best, best_span_ = 0.0, None
    run, start = 0.0, 0
    for i, g in enumerate(gains):
        if run <= 0.0:
            run, start = 0.0, i
        run += g
        if run > best:
            best, best_span_ = run, (start, i + 1)
    return best_span_


def _span(
    probs: np.ndarray, words: np.ndarray, markers: np.ndarray, threshold: float, power: float
) -> tuple[int, int] | None:
    gains = (probs - threshold) * np.maximum(words, 1.0) ** power
    gains[words == 0] = 0.0  # an empty line neither opens nor closes the body
    # "Related stories", "Leave a reply", share widgets: the region may still cross one
    # (such boxes sit inside articles too), but only if real body lies beyond it.
    gains[markers] -= threshold * MARKER_WORDS**power
    return best_span(gains.tolist())


def expected_f1_threshold(
    probs: np.ndarray, words: np.ndarray, markers: np.ndarray, power: float
) -> float:
    """Half the best expected F1 of one region on this page, which is the bar that finds it.

    Reading the scores as probabilities, a span S has expected overlap tp(S) = sum of
    p * w over S and the truth expected size T = sum of p * w over the page (w = the
    paragraph's weight, ~ its shingles), so F1(S) ~ 2 tp(S) / (|S| + T). For a fixed F the
    span maximising 2 tp - F (|S| + T) is the max-sum span of gains (p - F/2) * w, so
    alternating the two (Dinkelbach's method for ratio objectives) climbs to the best F in
    a few passes. A fixed bar is right for one kind of page only: where the scores are
    confident the bar rises towards 0.5, on a page of lukewarm scores it drops, instead
    of keeping nothing or everything."""
    w = np.where(words > 0, np.maximum(words, 1.0) ** power, 0.0)
    pw = probs * w
    truth = float(pw.sum())
    if truth <= 0.0:
        return 0.5
    f = 2.0 * truth / (float(w.sum()) + truth)  # the whole page as the region
    for _ in range(20):
        span = _span(probs, words, markers, f / 2.0, power)
        if span is None:
            break
        start, end = span
        better = 2.0 * float(pw[start:end].sum()) / (float(w[start:end].sum()) + truth)
        if better <= f + 1e-9:
            break
        f = better
    return f / 2.0


def select_body(
    texts: Sequence[str],
    language: str | None,
    *,
    kinds: Sequence[str] | None = None,
    model: Model | None = None,
    blocks: Sequence[int] | None = None,
) -> list[Decision]:
    """Keep one contiguous body region of the page; say why each other paragraph goes.

    `blocks` is each paragraph's blank-line block in the source (`Paragraph.block`);
    without it every paragraph counts as its own block."""
    if not texts:
        return []
    model = model or load_model()
    if language is None:
        language = _guess_language(texts)
    x, words = features(texts, language, blocks)
    probs = model.predict(x, words)
    threshold = model.threshold_for(probs, words, x)
    return [Decision(decision.keep, decision.score, decision.reason, threshold) for decision in
            decode(texts, probs, words, x, threshold, model.length_power, kinds)]


# A list run touching the body joins it when its items average at least this many words:
# an article's key points or steps, not a one-word menu.
LIST_ITEM_WORDS = 5.0


def _lists_neutral(
    texts: Sequence[str],
    probs: np.ndarray,
    words: np.ndarray,
    threshold: float,
    kinds: Sequence[str] | None,
) -> np.ndarray:
    """Scores for the region search in which a list of real items (and the line
    introducing it with a colon) neither pulls the region open nor pushes it apart: line
    by line its items look like navigation, but a list between two body paragraphs is
    the article's own."""
    if kinds is None:
        return probs
    out = probs.copy()
    i, n = 0, len(kinds)
    while i < n:
        if kinds[i] != "li":
            i += 1
            continue
        j = i
        while j < n and kinds[j] == "li":
            j += 1
        if words[i:j].mean() >= LIST_ITEM_WORDS:
            out[i:j] = np.maximum(out[i:j], threshold)
            if i > 0 and texts[i - 1].rstrip().endswith((":", "：")):
                out[i - 1] = max(out[i - 1], threshold)
        i = j
    return out


def _extend_over_lists(
    span: tuple[int, int], words: np.ndarray, kinds: Sequence[str] | None
) -> tuple[int, int]:
    """Grow the body over list items ("li") adjacent to it: a summary list opening an
    article or a list of points closing it scores low line by line (short, no final
    full stop) yet the page marks it as one list with the article."""
    start, end = span
    if kinds is None:
        return start, end
    lo = start
    while lo > 0 and kinds[lo - 1] == "li":
        lo -= 1
    if lo < start and words[lo:start].mean() >= LIST_ITEM_WORDS:
        start = lo
    hi = end
    while hi < len(kinds) and kinds[hi] == "li":
        hi += 1
    if hi > end and words[end:hi].mean() >= LIST_ITEM_WORDS:
        end = hi
    return start, end


def decode(
    texts: Sequence[str],
    probs: np.ndarray,
    words: np.ndarray,
    x: np.ndarray,
    threshold: float,
    power: float,
    kinds: Sequence[str] | None = None,
) -> list[Decision]:
    """Region decoding given the scores (split from `select_body` so training can tune it)."""
    n = len(texts)
    markers = x[:, FEATURES.index("end_marker")] > 0
    probs_for_span = _lists_neutral(texts, probs, words, threshold, kinds)
    span = _span(probs_for_span, words, markers, threshold, power)
    if span is None and words.any():
        # Never return an empty body for a page with text: lower the bar to the page's
        # own best paragraph rather than trust an absolute threshold learnt elsewhere.
        span = _span(probs, words, markers, float(probs[words > 0].max()) * 0.9, power)
    if span is None:
        return [Decision(False, float(p), "no body found") for p in probs]
    start, end = _extend_over_lists(span, words, kinds)
    # A dateline or byline at the edge of the region is page metadata, never article text
    # (the region search takes it in when it sits right against the first paragraph).
    meta = (x[:, FEATURES.index("date_or_time")] > 0) | (x[:, FEATURES.index("byline")] > 0)
    while end - start > 1 and meta[start]:
        start += 1
    while end - start > 1 and meta[end - 1]:
        end -= 1

    # A paragraph repeated on the page is boilerplate when a copy lies outside the body
    # (teaser, menu, sidebar); copies all inside the body are article (an interview's
    # recurring question).
    keys = [_key(t) for t in texts]
    outside = Counter(k for i, k in enumerate(keys) if not start <= i < end)
    repeated = [outside[k] > 0 for k in keys]
    caption = x[:, FEATURES.index("caption")] > 0
    decisions: list[Decision] = []
    for i in range(n):
        p = float(probs[i])
        if i < start:
            decisions.append(Decision(False, p, "before body"))
        elif i >= end:
            reason = "after body"
            if i == end and markers[i]:
                reason = f"end marker {texts[i].strip()[:40]!r}"
            decisions.append(Decision(False, p, reason))
        elif repeated[i]:
            decisions.append(Decision(False, p, "repeated on page"))
        elif caption[i] and p < threshold:
            decisions.append(Decision(False, p, "caption"))
        elif markers[i] and p < threshold:
            decisions.append(Decision(False, p, f"marker {texts[i].strip()[:40]!r}"))
        else:
            decisions.append(Decision(True, p, "body region"))
    if not any(d.keep for d in decisions):
        best = int(np.argmax(probs * np.maximum(words, 1.0)))
        decisions[best] = Decision(True, float(probs[best]), "best paragraph")
    return decisions
