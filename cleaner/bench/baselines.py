"""The systems `python -m cleaner.bench quality` runs beside ours, on the same pages.

Each baseline is a plain `bytes -> str` function over one raw file, so the harness times and
scores every system the same way. The set matches the baseline table of
shared/bench/README.md, so a figure here can be checked against the one published there.

- HTML pages: trafilatura alone (defaults, and `favor_precision=True`), and the whole page's
  visible text (lxml, see `whole_page_text`) as the recall ceiling / precision floor.
- Plain-text dumps: the whole text unchanged (the floor), jusText's paragraph classifier on
  the text's lines, and trafilatura on the text wrapped in `<p>` tags.

`deduplicate=False` is passed explicitly: trafilatura's deduplication keeps a process-wide
cache, so a page's output would depend on the pages scored before it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Literal

import regex

InputKind = Literal["html", "text"]

_WORD = regex.compile(r"\w+")


def _decode(data: bytes) -> str:
    # The bench files are UTF-8 (README); a stray bad byte must not crash a baseline run.
    return data.decode("utf-8", errors="replace")


def trafilatura_default(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, deduplicate=False) or ""


def trafilatura_precision(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, favor_precision=True, deduplicate=False) or ""


# The recipe of shared/bench/scrapinghub-text-dev (its README): what a naive scraper keeps.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
_BLOCKS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
    "footer", "nav", "aside", "ul", "ol", "table", "blockquote", "pre", "figure", "figcaption",
    "form", "br",
})  # fmt: skip
_SPACES = regex.compile(r"[^\S\n]+")


def whole_page_text(data: bytes) -> str:
    """All visible text of the page, one block element per line (precision floor).

    lxml, not `trafilatura.html2txt`: this is the exact recipe of the text-dump bench, so
    this row equals "whole text unchanged" there and the README's floor (0.699);
    html2txt prunes more (0.761 on scrapinghub-dev) and would overstate the floor.
    """
    import lxml.html

    try:
        # The bench pages are UTF-8; without the parser told, lxml reads meta-less bytes as
        # Latin-1 and every “ becomes mojibake.
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return ""
    # Comments too: iterwalk skips them, and with them the text that follows (`<!-- -->©
    # 2019`); drop_tree keeps that tail. A list first: drop_tree unlinks during iteration.
    invisible = root.iter(*_INVISIBLE, lxml.etree.Comment, lxml.etree.ProcessingInstruction)
    for element in list(invisible):
        element.drop_tree()
    pieces: list[str] = []
    # iterwalk, not recursion: real pages nest deeper than Python's recursion limit.
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        block = element.tag in _BLOCKS
        if event == "start":
            if block:
                pieces.append("\n")
            if element.text:
                pieces.append(element.text)
        else:
            if block:
                pieces.append("\n")
            if element.tail and element is not root:
                pieces.append(element.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n\n".join(line for line in lines if line)


def whole_text(data: bytes) -> str:
    return _decode(data)


def _lines_as_html(text: str) -> str:
    paragraphs = (line.strip() for line in text.splitlines())
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs if p)
    return f"<html><body>{body}</body></html>"


_STOPLISTS: dict[str, frozenset[str]] | None = None


def _stoplists() -> dict[str, frozenset[str]]:
    global _STOPLISTS
    if _STOPLISTS is None:
        import justext

        _STOPLISTS = {
            name: frozenset(justext.get_stoplist(name)) for name in justext.get_stoplists()
        }
    return _STOPLISTS


def best_stoplist(text: str) -> str:
    """The jusText stoplist covering most of the text's words: jusText needs the language
    and the dumps are in several (English, Russian, ...); this is jusText's own recipe for
    unknown languages, and keeps the baseline independent of our language detector."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "English"
    lists = _stoplists()
    return max(sorted(lists), key=lambda name: sum(1 for w in words if w in lists[name]))


def justext_text(data: bytes, language: str | None = None) -> str:
    """jusText's paragraph classifier, one paragraph per non-blank line of the dump, with
    `language`'s stoplist or (None) the stoplist covering most of the text."""
    import justext

    text = _decode(data)
    stoplist = _stoplists()[language or best_stoplist(text)]
    paragraphs = justext.justext(_lines_as_html(text).encode("utf-8"), stoplist,
                                 encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_on_text(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(_lines_as_html(_decode(data)), deduplicate=False) or ""


@dataclass(frozen=True)
class Baseline:
    name: str  # as it appears in the table's `system` column
    run: Callable[[bytes], str]


# Versions read from the installed packages: a table row must name what actually ran.
_TRAF, _JUSTEXT = f"trafilatura {version('trafilatura')}", f"jusText {version('jusText')}"

BASELINES: dict[InputKind, tuple[Baseline, ...]] = {
    "html": (
        Baseline(f"{_TRAF}, defaults", trafilatura_default),
        Baseline(f"{_TRAF}, favor_precision=True", trafilatura_precision),
        Baseline("whole-page visible text (lxml)", whole_page_text),
    ),
    "text": (
        Baseline("whole text unchanged", whole_text),
        Baseline(f"{_JUSTEXT} on the lines (best-covering stoplist)", justext_text),
        # English only: the README's 0.799 row; it empties the Russian and Korean pages.
        Baseline(f"{_JUSTEXT} on the lines (English stoplist)",
                 lambda data: justext_text(data, "English")),
        Baseline(f"{_TRAF} on the text wrapped in <p>", trafilatura_on_text),
    ),
}
