"""The speed benchmark's text corpus: real scraped text cut into article-sized documents,
10% of them mojibaked the way it happens in the wild.

Sources: the samples in the repository's raw/ and the plain-text dumps of the bench
(shared/bench/scrapinghub-text-dev/raw). Dumps are cut at line boundaries into pieces of
1.5-6 KB (a news article's size); when more documents are asked for than one pass yields,
the sources are cut again at other, seeded boundaries. Everything is drawn from one
`random.Random(seed)`, so the same arguments give the same bytes on any machine.

Mojibake is the real failure mode: UTF-8 bytes decoded as Windows-1252 (bytes it leaves
undefined become the Latin-1 code point, as browsers do) or as Latin-1, and the result saved
as UTF-8 again. Each mojibaked document keeps probes, words the repair must restore, so the
benchmark can check every one was repaired and not just that the pipeline was fast.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

MOJIBAKE_SHARE = 0.10
MIN_PIECE, MAX_PIECE = 1500, 6000  # characters

# cp1252 with its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) mapped as Latin-1, which is
# what browsers and most "ANSI" decoders do; Python's strict cp1252 would raise instead.
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)
_LATIN1_TO_CP1252 = str.maketrans({chr(b): _CP1252[b] for b in range(256) if chr(b) != _CP1252[b]})

# A probe is a word with a non-ASCII letter or a curly apostrophe inside ("café", "don’t",
# "новости"): mojibake visibly breaks it, and a repaired text must contain it again.
_PROBE = regex.compile(r"\w+(?:[’‘]\w+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def mojibake(text: str, codec: str) -> str:
    """`text` as it reads after its UTF-8 bytes were decoded with `codec`."""
    decoded = text.encode("utf-8").decode("latin-1")
    return decoded.translate(_LATIN1_TO_CP1252) if codec == "cp1252" else decoded


def fold(text: str) -> str:
    """Compatibility form for the repair check: normalizers may legitimately compose
    characters (NFKC) and straighten curly apostrophes; neither undoes a repair."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def probes(text: str, limit: int = 3) -> list[str]:
    """Up to `limit` distinct non-ASCII words, spread over the text (first, middle, last)."""
    found = list(dict.fromkeys(m for m in _PROBE.findall(text) if not m.isascii()))
    if len(found) <= limit:
        return found
    step = (len(found) - 1) / (limit - 1)
    return [found[round(k * step)] for k in range(limit)]


@dataclass(frozen=True)
class CorpusDoc:
    name: str  # file name, e.g. `doc_00042.txt`
    data: bytes  # what the scraper saved (UTF-8)
    source: str  # where the text was cut from, for tracing a failure back
    mojibake: str | None = None  # codec used to mojibake it, if any
    probes: tuple[str, ...] = ()  # the repaired words (mojibaked docs only)


@dataclass
class Corpus:
    docs: list[CorpusDoc] = field(default_factory=list)

    @property
    def mojibaked(self) -> list[CorpusDoc]:
        return [d for d in self.docs if d.mojibake]

    @property
    def size(self) -> int:
        return sum(len(d.data) for d in self.docs)

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for doc in self.docs:
            (directory / doc.name).write_bytes(doc.data)


def default_sources(repo: Path, shared: Path) -> list[Path]:
    sources = sorted((repo / "raw").glob("*.txt"))
    sources += sorted((shared / "bench" / "scrapinghub-text-dev" / "raw").glob("*.txt"))
    return sources


def _cut(text: str, rng: random.Random) -> list[str]:
    """Cut at line boundaries into pieces of MIN_PIECE..MAX_PIECE characters; a source that
    is article-sized already stays whole. The first cut point is random too, so a second
    pass over the same source yields different documents."""
    if len(text) <= MAX_PIECE:
        return [text]
    lines = text.splitlines(keepends=True)
    pieces: list[str] = []
    current: list[str] = []
    size, target = 0, rng.randint(MIN_PIECE // 2, MAX_PIECE)
    for line in lines:
        current.append(line)
        size += len(line)
        if size >= target:
            pieces.append("".join(current).strip("\n") + "\n")
            current, size, target = [], 0, rng.randint(MIN_PIECE, MAX_PIECE)
    if current and size >= MIN_PIECE // 2:
        pieces.append("".join(current).strip("\n") + "\n")
    return [p for p in pieces if p.strip()]


def _pieces(texts: Sequence[tuple[str, str]], rng: random.Random) -> Iterable[tuple[str, str]]:
    """An endless stream of (source name, piece): pass after pass over all sources."""
    passes = 0
    while True:
        for name, text in texts:
            for piece in _cut(text, rng):
                yield f"{name}#pass{passes}", piece
        passes += 1


def build_corpus(sources: Sequence[Path], docs: int, seed: int = 0,
                 mojibake_share: float = MOJIBAKE_SHARE) -> Corpus:
    if not sources:
        raise ValueError("no source text files for the corpus")
    rng = random.Random(seed)
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sources]
    stream = _pieces(texts, rng)
    cut = [next(stream) for _ in range(docs)]
    # Mojibake only pieces that have a probe: one with nothing non-ASCII would not change,
    # and one with only punctuation (“ ”) could not show whether it was repaired.
    eligible = [i for i, (_, piece) in enumerate(cut) if probes(piece)]
    wanted = round(docs * mojibake_share)
    if len(eligible) < wanted:
        raise ValueError(f"only {len(eligible)} of {docs} pieces have non-ASCII words; "
                         f"cannot mojibake {wanted}")
    chosen = set(rng.sample(eligible, wanted))
    corpus = Corpus()
    width = max(5, len(str(docs)))
    for index, (source, piece) in enumerate(cut):
        name = f"doc_{index:0{width}d}.txt"
        if index in chosen:
            codec = rng.choice(("cp1252", "latin-1"))
            corpus.docs.append(CorpusDoc(name, mojibake(piece, codec).encode("utf-8"), source,
                                         codec, tuple(probes(piece))))
        else:
            corpus.docs.append(CorpusDoc(name, piece.encode("utf-8"), source))
    return corpus


@dataclass(frozen=True)
class RepairProblem:
    doc: str
    probe: str
    problem: str  # "missing" (repaired word absent) or "mojibake left" (broken form present)


def check_repair(doc: CorpusDoc, output: str) -> list[RepairProblem]:
    """Every probe of a mojibaked doc must be in `output` (in `fold`ed form), and its
    mojibaked form must not be."""
    problems: list[RepairProblem] = []
    folded = fold(output)
    for probe in doc.probes:
        if fold(probe) not in folded:
            problems.append(RepairProblem(doc.name, probe, "missing"))
        if doc.mojibake and mojibake(probe, doc.mojibake) in output:
            problems.append(RepairProblem(doc.name, probe, "mojibake left"))
    return problems
