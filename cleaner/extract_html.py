"""HTML page -> article body and metadata, via trafilatura with pinned options.

One parse and one trafilatura call per page: the HTML is parsed once, metadata is read
from that tree (see `_metadata` for why not with trafilatura's `with_metadata`), and the
tree, without the elements no extractor reads (`_drop_unread`), is handed to
`trafilatura.bare_extraction` for the body. Only the rare pages where that finds nothing
are parsed again, whole, for the fallbacks. The body comes back as
trafilatura's XML tree (`<p>`, `<head>`, `<list>`/`<item>`, `<table>`/`<row>`/`<cell>`,
...) and is serialised here, so the line structure is ours and does not change with
trafilatura's txt/markdown renderer:

- one paragraph per line,
- list items as lines starting with `- `,
- table rows as lines, cells separated by ` | `.

Two generic clean-ups follow, both because trafilatura keeps what surrounds the article
when it shares the article's container: the headline when the body repeats it near the
top (`_drop_title`), and runs of link-only lines at the ends ("Related", "Tags";
`_trim_link_blocks`). Everything finer (share widgets, promos, captions) is the rule
layer's job, where each drop is recorded.

Bad input never raises for its *content*: an empty, text-less, binary or absurdly nested
page gives an `HtmlExtract` with empty `text` and `method="none"` (libxml2 stops at
256 levels of nesting, so text deeper than that is lost, not crashed on), so one broken page
cannot stop a batch and the caller can still report it (the pipeline turns it into a
warning). Only a non-`str` argument is an error (`TypeError`): that is a caller bug.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import regex
import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlElementClassLookup,
    HtmlEntity,
    HtmlProcessingInstruction,
)
from lxml.html import fromstring as html_fromstring
from trafilatura.baseline import baseline
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import examine_meta, extract_sitename, extract_title, extract_url
from trafilatura.settings import set_date_params
from trafilatura.utils import HTML_PARSER, is_dubious_html, load_html, repair_faulty_html

__all__ = ["TRAFILATURA_OPTIONS", "HtmlExtract", "Method", "extract_html", "render_body"]

# The one place where trafilatura's behaviour is chosen. Measured on the scrapinghub dev
# pages (scripts/eval_html.py): favor_precision beats defaults and favor_recall on
# precision at equal recall; comments are not article body; tables are (data tables in
# news pages carry the numbers the text talks about). deduplicate must stay False: its
# cache is process-wide, so output would depend on which pages came before.
# fast=False keeps trafilatura's readability/jusText comparison, which rescues pages the
# main heuristics cut short; it costs time but the fast mode loses 4 points of recall.
TRAFILATURA_OPTIONS: Final[Mapping[str, Any]] = MappingProxyType(
    {
        "fast": False,
        "favor_precision": True,
        "favor_recall": False,
        "include_comments": False,
        "include_tables": True,
        "include_images": False,
        "include_formatting": False,
        # Links are kept in the tree only to measure link density (see _trim_link_blocks);
        # the text never shows their targets.
        "include_links": True,
        "deduplicate": False,
        "with_metadata": False,  # metadata is read below from the same parsed tree
        # "xml" returns the body tree without rendering it to text (we render it).
        "output_format": "xml",
    }
)

# Retry when the precise pass finds nothing: recall mode keeps more borderline blocks.
_RECALL_OPTIONS: Final[Mapping[str, Any]] = MappingProxyType(
    {**TRAFILATURA_OPTIONS, "favor_precision": False, "favor_recall": True}
)

# trafilatura logs every discarded page at WARNING/ERROR; for us an empty result is a
# normal outcome reported through `method`, not log noise on stderr.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# Elements of trafilatura's output tree that end a line.
_BLOCK_TAGS: Final = frozenset(
    {
        "p",
        "head",
        "quote",
        "code",
        "item",
        "list",
        "row",
        "table",
        "div",
        "lb",
        "article",
        "body",
        "doc",
        "main",
        "blockquote",
        "section",
    }
)
_SPACE = regex.compile(r"\s+")
_WORD = regex.compile(r"\w+")
# Elements that carry bylines, and their class markers (document order: a byline near
# the top wins over one in a teaser further down).
_BYLINE_TAGS: Final = ("a", "address", "div", "p", "span", "strong", "em", "h3", "h4", "li")
_BYLINE_CLASS: Final = re.compile(r"^author$|author-?name|authorName|author__name|byline")
_NOT_BYLINE: Final = re.compile(r"comment|sidebar|related|quote|review|footer", re.IGNORECASE)
# BCP 47 primary language subtag (`en` of `en-GB`, `pt` of `pt_BR`).
_LANG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


Method = Literal["trafilatura", "trafilatura-fallback", "baseline", "none"]


@dataclass(frozen=True)
class HtmlExtract:
    """What one HTML page yields.

    `text` is the body without the title: one paragraph per line, list items as lines
    starting `- `, table rows as lines. `method` names the extractor that produced the
    text: `trafilatura` (pinned options), `trafilatura-fallback` (recall mode, after the
    precise pass found nothing), `baseline` (trafilatura's baseline, after both found
    nothing) or `none` (no text anywhere: empty, binary or unparsable input).
    """

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601, `YYYY-MM-DD`
    url: str | None = None
    site: str | None = None
    language: str | None = None  # ISO 639 primary subtag as declared by the page
    method: Method = "none"


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Extract the article body and metadata of one HTML page.

    `url`, when given, wins over the page's canonical/og:url. Never raises on bad page
    content (see the module docstring); raises `TypeError` if `html` is not a `str`.
    """
    if not isinstance(html, str):
        raise TypeError(f"extract_html expects str, got {type(html).__name__}")
    tree = _parse(html)
    if tree is None:
        return HtmlExtract(text="", url=url, site=_host(url), method="none")
    meta = _metadata(tree, url)
    headlines = [meta["title"], *_h1_texts(tree)]
    lines, method = _body(tree, html)
    lines = _drop_title(_trim_link_blocks(lines), [h for h in headlines if h])
    text = "\n".join(line.text for line in lines)
    return HtmlExtract(text=text, method=method if text else "none", **meta)


def _parse(html: str) -> HtmlElement | None:
    # NUL bytes make lxml reject the whole string; they are never text.
    html = html.replace("\x00", "")
    if not html.strip():
        return None
    try:
        return _load_html(html)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes, chosen in C.

    lxml.html picks each element's class in a Python method, called every time Python
    touches an element it has not touched yet: ~240,000 calls for the 92 bench pages
    inside trafilatura alone, a twentieth of the extraction time. A namespace lookup
    (form tags) over a default lookup (all other tags) gives the same classes without
    calling Python. HTML tags have no namespace and libxml2 lowercases them, which is
    all lxml.html's method does before its dict lookup (`_default_element_classes`, read
    from lxml.html itself so a new lxml class cannot be missed here).
    """
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    lookup.get_namespace(None).update(HtmlElementClassLookup._default_element_classes)
    return lookup


# trafilatura's parser settings (explicit UTF-8, comments and PIs dropped), our lookup.
# Trees keep their parser through copies, so trafilatura's working copies use it too.
_HTML_PARSER: Final = HTML_PARSER.copy()
_HTML_PARSER.set_element_class_lookup(_element_classes())
# Leading whitespace lxml.html's bytes sniffing (is it a whole document?) also skips.
_ASCII_SPACE: Final = " \t\n\r\f\v"


def _load_html(html: str) -> HtmlElement | None:
    """trafilatura's `load_html` for a str, the same tree, parsed from UTF-8 bytes.

    libxml2 reads UTF-8 bytes declared as such faster than a Python str, which lxml
    hands over as Latin-1/UCS-2/UCS-4 to be converted (0.26 s -> 0.16 s for the 92 bench
    pages, the encoding included). Two inputs keep trafilatura's str path, where bytes
    would not give the same tree: lone surrogates (not encodable) and non-ASCII
    whitespace before `<html` (lxml.html's bytes sniffing would take the page for a
    fragment).
    """
    beginning = html[:50].lower()
    repaired = repair_faulty_html(html, beginning)
    if repaired.lstrip(_ASCII_SPACE)[:1].isspace():
        return load_html(html)
    try:
        data = repaired.encode("utf-8")
    except UnicodeEncodeError:
        return load_html(html)
    tree = html_fromstring(data, parser=_HTML_PARSER)
    # load_html's rejection test: no "html" near the start and under two top elements.
    if is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


# Elements that the precise pass never reads once the metadata is taken. trafilatura's
# cleaning deletes all of them before its main extractor and jusText see the page, but
# its whole-tree passes before that cleaning walk them all: the raw-tree XPath prunes
# (regex tests in Python), the tree copies, readability on the raw page, and
# favor_precision's OVERALL_DISCARD prune of that raw page (a quarter of the extraction
# time by itself). They are half the elements of the 92 bench pages (navigation,
# footers, asides, scripts, styles, inline SVG, <meta>, <link>); dropping them first
# cuts the extraction by 28% of its instructions (callgrind, 31 pages) with the same
# body on every bench page. JSON-LD scripts stay: the baseline reads article bodies
# from them and trafilatura tells forum threads by them.
_UNREAD_TAGS: Final = ("script", "style", "link", "meta", "svg", "nav", "aside", "footer")
_JSON_LD: Final = "application/ld+json"


def _drop_unread(tree: HtmlElement) -> None:
    """Delete the `_UNREAD_TAGS` elements (but JSON-LD), keeping the text that follows them."""
    unread = [
        el for el in tree.iter(_UNREAD_TAGS) if el.tag != "script" or el.get("type") != _JSON_LD
    ]
    for el in unread:
        el.drop_tree()


def _body(tree: HtmlElement, html: str) -> tuple[list[_Line], Method]:
    """The body lines and the name of the extractor that produced them.

    The precise pass reads the page without its `_UNREAD_TAGS` (`tree` is trimmed in
    place); the fallbacks, for pages where it finds nothing, read the whole page again:
    recall mode undoes trafilatura's cleaning when that leaves no paragraph, and the
    baseline takes any text, so text inside an <aside> or a <footer> is theirs to find.
    No `url` for trafilatura: it only uses it to resolve link targets, which we never
    output, and resolving every link of the page costs 5% of the extraction time.
    """
    _drop_unread(tree)
    lines = _extracted_lines(tree, TRAFILATURA_OPTIONS)
    if lines:
        return lines, "trafilatura"
    whole = _parse(html)
    if whole is None:  # not after a first parse that succeeded, but the type says it can
        whole = tree
    # After an overflow, recall mode would overflow the same way.
    if lines is not None and (recalled := _extracted_lines(whole, _RECALL_OPTIONS)):
        return recalled, "trafilatura-fallback"
    return _baseline_lines(whole)


def _extracted_lines(tree: HtmlElement, options: Mapping[str, Any]) -> list[_Line] | None:
    """The lines trafilatura extracts with these options; None when the page is so deep
    that its recursive cleaning overflows."""
    try:
        return _doc_lines(trafilatura.bare_extraction(tree, **options))
    except RecursionError:
        return None


def _doc_lines(doc: Any) -> list[_Line]:
    """The lines of a `bare_extraction` result; none when it found nothing."""
    if doc is None or doc.body is None:
        return []
    return _render_lines(doc.body)


def _baseline_lines(tree: HtmlElement) -> tuple[list[_Line], Method]:
    """trafilatura's baseline (JSON-LD article bodies, then any paragraph text)."""
    try:
        body, _, _ = baseline(tree)
    except RecursionError:
        return [], "none"
    return _render_lines(body), "baseline"


@dataclass(frozen=True)
class _Line:
    text: str
    kind: str  # tag of the block that made the line: p, head, item, row, quote, ...
    link_share: float  # share of the line's characters inside links


def render_body(body: etree._Element) -> str:
    """Serialise trafilatura's XML body: one block per line, `- ` items, ` | ` cells."""
    return "\n".join(line.text for line in _render_lines(body))


def _render_lines(body: etree._Element) -> list[_Line]:
    """The lines of trafilatura's XML body, with the block kind and link share of each.

    Iterative (lxml's iterwalk), so a deeply nested tree cannot overflow the stack.
    """
    lines: list[_Line] = []
    buf: list[str] = []
    linked = 0  # characters of `buf` inside links (whitespace included, as in the total)
    blocks: list[str] = []  # open block elements, innermost last
    # One flag per open <item>: True until the item's first line has taken the marker.
    item_marker: list[bool] = []
    cell_depth = link_depth = 0

    def flush() -> None:
        nonlocal linked
        raw = "".join(buf)
        share = min(1.0, linked / len(raw)) if raw else 0.0
        buf.clear()
        linked = 0
        line = _SPACE.sub(" ", raw).strip()
        if not line or line == "|":
            return
        kind = blocks[-1] if blocks else "p"
        if item_marker and item_marker[-1]:
            item_marker[-1] = False
            line, kind = "- " + line, "item"
        lines.append(_Line(line, kind, share))

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == "cell":
                cell_depth += 1
                if el.getprevious() is not None:
                    buf.append(" | ")
            elif tag == "ref":
                link_depth += 1
            elif tag in _BLOCK_TAGS:
                # Inside a table cell, blocks are joined with spaces: a row stays one line.
                if cell_depth:
                    buf.append(" ")
                else:
                    flush()
                    blocks.append(tag)
                if tag == "item":
                    item_marker.append(True)
            text = el.text if isinstance(tag, str) else None  # not comments' text
        else:
            if tag == "cell":
                cell_depth -= 1
            elif tag == "ref":
                link_depth -= 1
            elif tag in _BLOCK_TAGS:
                if cell_depth:
                    buf.append(" ")
                else:
                    flush()
                    blocks.pop()
                if tag == "item":
                    item_marker.pop()
            elif tag == "graphic":
                buf.append(" ")
            text = el.tail
        if text:
            buf.append(text)
            if link_depth:
                linked += len(text)
    flush()
    return lines


# A line this much link text is navigation (related stories, tag lists, "more from"):
# article sentences carry links, but not as nearly all of their text.
_LINK_LINE_SHARE: Final = 0.8
# Short non-link lines allowed after a trailing link block ("copyright ...", "Tags").
_FOOTER_LINES: Final = 2
_FOOTER_MAX_WORDS: Final = 10


def _trim_link_blocks(lines: list[_Line]) -> list[_Line]:
    """Drop runs of link lines at the end (and start) of the body, with their heading.

    trafilatura often keeps a "Related" / "Tags" / "More stories" block that follows
    the article inside the same container. The block may be followed by a footer line
    or two ("copyright ..."): up to `_FOOTER_LINES` short lines after a run of at least
    two link lines go with it. A body that is links throughout (a link roundup) is left
    alone: there the links are the content.
    """
    end = len(lines)
    footer = 0
    while (
        footer < _FOOTER_LINES
        and footer < end
        and lines[end - 1 - footer].link_share < _LINK_LINE_SHARE
        and len(lines[end - 1 - footer].text.split()) <= _FOOTER_MAX_WORDS
    ):
        footer += 1
    run = end - footer
    while run > 0 and lines[run - 1].link_share >= _LINK_LINE_SHARE:
        run -= 1
    links = end - footer - run
    if links >= 2 or (links and not footer):
        end = run
        if end > 0 and lines[end - 1].kind == "head":
            end -= 1  # the block's heading: "Related articles", "Tags", ...
    start = 0
    while start < end and lines[start].link_share >= _LINK_LINE_SHARE:
        start += 1
    if start == end:
        return lines
    return lines[start:end]


# How far down the body a repeated headline is looked for, and how short (in words) the
# lines above it must be to go with it: kickers ("Review"), dates, reading times.
_TITLE_SEARCH_LINES: Final = 3
_KICKER_MAX_WORDS: Final = 8
# A line is the headline again when this share of its words and of the headline's words
# are shared: catches the h1 vs og:title variants ("HS Roundup: X" / "High School
# Roundup: X") without taking a lead sentence that merely mentions the same names.
_TITLE_OVERLAP: Final = 0.6


def _drop_title(lines: list[_Line], headlines: list[str]) -> list[_Line]:
    """Remove the headline when the extraction repeats it near the top, with the short
    lines above it.

    The title is a field of its own (and the benchmark truth has no headline); keeping
    it in `text` as well would print it twice. Words are compared case-folded, so
    punctuation and quote styles do not matter.
    """
    heads = [set(_words(h)) for h in headlines]
    for k, line in enumerate(lines[:_TITLE_SEARCH_LINES]):
        words = set(_words(line.text))
        if words and any(_same_headline(words, h) for h in heads if h):
            if all(len(_words(above.text)) <= _KICKER_MAX_WORDS for above in lines[:k]):
                return lines[k + 1 :]
            return lines[:k] + lines[k + 1 :]
    return lines


def _same_headline(line: set[str], headline: set[str]) -> bool:
    shared = len(line & headline)
    return shared >= _TITLE_OVERLAP * len(line) and shared >= _TITLE_OVERLAP * len(headline)


def _h1_texts(tree: HtmlElement) -> list[str]:
    """Texts of the page's first few `<h1>`: the headline as shown, which often differs
    from the `<title>`/og:title (site suffix, shortened for SEO)."""
    texts = []
    for h1 in tree.iterfind(".//h1"):
        if text := _SPACE.sub(" ", h1.text_content()).strip():
            texts.append(text)
        if len(texts) == 3:
            break
    return texts


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _metadata(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    """Title, author, date, url, site and language, read from the parsed tree.

    trafilatura's `with_metadata=True` costs half as much again as the extraction itself
    (mostly its regex XPaths for authors, categories, tags and licence), which would break
    our time budget. So: trafilatura's meta-tag reader, a JSON-LD reader of our own (news
    pages nearly always carry a NewsArticle block, the most reliable source for author
    and date), htmldate only when JSON-LD has no date, and one plain pass for a byline.
    """
    try:
        return _metadata_fields(tree, url)
    except RecursionError:
        return {
            "title": None,
            "author": None,
            "date": None,
            "url": url,
            "site": _host(url),
            "language": None,
        }


def _metadata_fields(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    meta = examine_meta(tree)  # <meta> tags and OpenGraph
    ld = _json_ld(tree)
    meta_author = meta.author
    if meta_author and " " not in meta_author.strip():
        # A single token in an author meta tag is usually a handle or the site's name.
        meta_author = None
    author = ld.get("author") or meta_author or _byline_author(tree)
    title = ld.get("headline") or meta.title or extract_title(tree)
    page_url = url or meta.url or extract_url(tree) or ld.get("url")
    meta_date, languages = _head_meta(tree)
    date = _iso_date(ld.get("datePublished")) or meta_date or _cheap_date(tree, page_url)
    if date is None:
        # Only pages without a JSON-LD or meta date get here, so htmldate's extensive
        # search (free-text dates) is affordable and finds a date where nothing else does.
        date_params = set_date_params(extensive=True)
        date_params["url"] = page_url
        date = find_date(tree, **date_params)
    site = next((s for s in (ld.get("publisher"), meta.sitename) if _is_site_name(s)), None)
    if site is None and _is_site_name(from_title := extract_sitename(tree)):
        site = from_title
    return {
        "title": _clean(title),
        "author": _clean(normalize_authors(None, author) if author else None),
        "date": date or None,
        "url": page_url or None,
        "site": _clean(site.lstrip("@")) if site else _host(page_url),
        "language": _language(tree, languages),
    }


_LD_ARTICLE = re.compile(r"(?:Article|Posting|Report)$")


def _json_ld(tree: HtmlElement) -> dict[str, str]:
    """headline, author, datePublished, url and publisher of the page's article JSON-LD.

    First article-typed object wins (`NewsArticle`, `BlogPosting`, `ReportageNewsArticle`
    ...); unparsable blocks are skipped: JSON-LD in the wild is often broken.
    """
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and _LD_ARTICLE.search(t) for t in types):
                return _ld_fields(item)
    return {}


def _ld_items(data: object) -> list[dict[str, Any]]:
    """Top-level objects of a JSON-LD block, looking inside lists and `@graph`."""
    items = data if isinstance(data, list) else [data]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph if isinstance(g, dict))
    return out


def _ld_fields(item: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in ("headline", "datePublished", "url"):
        if isinstance(value := item.get(key), str) and value.strip():
            fields[key] = value.strip()
    if names := _ld_names(item.get("author")):
        fields["author"] = "; ".join(names)
    if names := _ld_names(item.get("publisher")):
        fields["publisher"] = names[0]
    return fields


def _ld_names(value: object) -> list[str]:
    """Names of a JSON-LD Person/Organization value: a string, an object, or a list."""
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


# <meta> names that declare the page's language (http-equiv=, name= or property=).
_LANGUAGE_META: Final = frozenset({"content-language", "language", "og:locale", "dc.language"})
# <meta> names that carry the publication date (property=, name= or itemprop=).
_DATE_META: Final = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "datepublished",
        "publishdate",
        "pubdate",
        "date",
        "dc.date.issued",
        "dcterms.created",
        "parsely-pub-date",
        "sailthru.date",
    }
)


def _head_meta(tree: HtmlElement) -> tuple[str | None, list[str]]:
    """Publication date and declared languages from the head's meta tags, in one pass.

    The date is what htmldate looks at first, read directly because htmldate's full
    search costs more than the rest of our metadata.
    """
    date: str | None = None
    languages: list[str] = []
    head = tree.find("head")
    for meta in head.iterfind("meta[@content]") if head is not None else ():
        key = (
            meta.get("property")
            or meta.get("name")
            or meta.get("itemprop")
            or meta.get("http-equiv")
            or ""
        ).lower()
        if key in _DATE_META:
            date = date or _iso_date(meta.get("content"))
        elif key in _LANGUAGE_META:
            languages.append(meta.get("content", ""))
    return date, languages


# A date in the URL path: /2019/11/18/ or /2019-11-18-.
_URL_DATE: Final = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)")
_TIME_DATETIME: Final = etree.XPath("(//time[@datetime])[1]/@datetime")


def _cheap_date(tree: HtmlElement, url: str | None) -> str | None:
    """A date from the URL path or the page's first `<time datetime>`: htmldate's
    commonest finds on pages without meta dates, at a fraction of its cost."""
    if url and (m := _URL_DATE.search(url)):
        return _iso_date(f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}")
    for value in _TIME_DATETIME(tree):
        return _iso_date(str(value))
    return None


def _iso_date(value: str | None) -> str | None:
    """`YYYY-MM-DD` of an ISO 8601 date or timestamp (JSON-LD, meta), if plausible.

    The date as the page writes it: a UTC timestamp just after midnight stays on its UTC
    day, while htmldate may prefer the local date in the URL.
    """
    if not value or not (m := _ISO_DATE.match(value)):
        return None
    year, month, day = (int(g) for g in m.groups())
    if year >= 1990 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# Where a byline's name ends and its dateline begins: "By Jane Doe Published 9:00 a.m.",
# "Jeff Foust Monday, November 18, 2019".
_BYLINE_END: Final = re.compile(
    r"\s(?:\||Published|Updated|Posted|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|\d).*",
    re.DOTALL,
)
_TEXT_OUTSIDE_TIME: Final = etree.XPath(".//text()[not(ancestor::time)]")
_NOT_SITE_NAME: Final = re.compile(r"^https?:|/|copyright|©", re.IGNORECASE)


def _is_site_name(value: str | None) -> bool:
    """A usable site name: not a URL (article:publisher often is) nor a copyright line."""
    return bool(value and value.strip("@ ") and not _NOT_SITE_NAME.search(value))


def _byline_author(tree: HtmlElement) -> str | None:
    """The author named in a byline element, when no metadata names one.

    trafilatura's `extract_author` does this with regex XPaths over a pruned deep copy of
    the page, which alone costs a sixth of the extraction time; one Python pass over the
    elements testing the usual byline markers costs a tenth of that. Hits inside
    comments, sidebars and quotes hold other people's names and are skipped.
    """
    for el in tree.iter(_BYLINE_TAGS):
        if not (
            el.get("rel") == "author"
            or el.get("itemprop") == "author"
            or _BYLINE_CLASS.search(el.get("class") or "")
            or el.get("id") == "author"
        ):
            continue
        if any(
            _NOT_BYLINE.search(f"{a.get('class', '')} {a.get('id', '')}")
            for a in el.iterancestors()
        ):
            continue
        # Joined with spaces: a byline's name and date are often adjacent elements, and
        # <time> is skipped because it is the date, never a name.
        text = _SPACE.sub(" ", " ".join(_TEXT_OUTSIDE_TIME(el)))
        text = _BYLINE_END.sub("", f" {text} ").strip()
        if 2 < len(text) < 120 and (author := normalize_authors(None, text)):
            return author
    return None


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return _SPACE.sub(" ", value).strip() or None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _language(tree: HtmlElement, declared: list[str]) -> str | None:
    """The language the page declares: `<html lang>`, then the meta tags' (`declared`:
    Content-Language, og:locale, ...)."""
    root = tree.getroottree().getroot()
    for value in (root.get("lang"), root.get("xml:lang"), *declared):
        if value and (m := _LANG.match(value.split(",")[0])):
            return m.group(1).lower()
    return None
