"""extract_html: body/title split, metadata, line structure, fallbacks, bad input.

The pages under tests/data/html/ are small hand-written articles (not benchmark pages).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

import cleaner.extract_html as ex
from cleaner.extract_html import TRAFILATURA_OPTIONS, HtmlExtract, extract_html, render_body

DATA = Path(__file__).parent / "data" / "html"

PARA = (
    "The city council voted on Wednesday to turn the disused rail yard into a public park, "
    "with playing fields, a pond and a community garden for the neighbourhood."
)
PARA2 = (
    "Construction is due to start next spring and to take about two years, according to "
    "the plans published with the agenda of the meeting."
)


def page(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def html_doc(body: str, head: str = "", lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


# --- title and body -------------------------------------------------------------------


def test_title_is_a_field_not_a_line_of_the_body() -> None:
    result = extract_html(page("article_full.html"))
    assert result.title == "Harbour bridge reopens after repairs"
    assert "Harbour bridge reopens" not in result.text
    assert result.text.startswith("The harbour bridge reopened to traffic")
    assert result.method == "trafilatura"


def test_one_paragraph_per_line_and_list_items_as_dash_lines() -> None:
    lines = extract_html(page("article_full.html")).text.splitlines()
    assert lines[2] == "The council listed the changes drivers will notice:"
    assert lines[3:6] == [
        "- a new cycle lane on the eastern side of the bridge",
        "- a lower speed limit of thirty miles per hour",
        "- longer opening hours for the pedestrian walkway",
    ]
    assert all(line.strip() == line and line for line in lines)
    # navigation and footer are not body
    assert not any(w in lines for w in ("Home", "News", "Sport"))
    assert not any("All rights reserved" in line for line in lines)


def test_table_rows_are_lines_with_cells_separated() -> None:
    lines = extract_html(page("article_jsonld.html")).text.splitlines()
    assert "Erdgeschoss | Kinder und Jugend" in lines
    assert "Erster Stock | Romane und Sachbücher" in lines


def test_headline_variant_is_dropped_with_the_kicker_above_it() -> None:
    # og:title and <h1> word the headline differently; the kicker line sits above it.
    head = '<meta property="og:title" content="HS Roundup: Viera beats Rockledge to stay unbeaten">'
    body = (
        "<article><p>Sports</p><h2>High School Roundup: Viera beats Rockledge to stay unbeaten</h2>"
        f"<p>{PARA}</p><p>{PARA2}</p></article>"
    )
    result = extract_html(html_doc(body, head))
    assert result.title == "HS Roundup: Viera beats Rockledge to stay unbeaten"
    assert result.text.splitlines() == [PARA, PARA2]


def test_a_lead_sentence_sharing_some_words_with_the_title_stays() -> None:
    head = "<title>Council approves new park</title>"
    lead = "The council approves budgets every spring, but a new park is a first for the city."
    result = extract_html(html_doc(f"<article><p>{lead}</p><p>{PARA}</p></article>", head))
    assert result.text.splitlines() == [lead, PARA]


def test_trailing_related_links_block_and_its_heading_are_dropped() -> None:
    text = extract_html(page("related_trailer.html")).text
    assert "Related stories" not in text
    assert "Rail yard sale agreed" not in text
    assert text.endswith("applauded when the result of the vote was announced.")


def _lines(spec: str) -> list[ex._Line]:
    """`P` long paragraph, `s` short line, `L` link line, `H` heading -> lines."""
    make = {
        "P": lambda n: ex._Line(f"{PARA} {n}", "p", 0.0),
        "s": lambda n: ex._Line(f"Short line {n}.", "p", 0.0),
        "L": lambda n: ex._Line(f"Other story number {n}", "p", 1.0),
        "H": lambda n: ex._Line(f"More stories {n}", "head", 0.0),
    }
    return [make[c](n) for n, c in enumerate(spec)]


@pytest.mark.parametrize(
    ("spec", "kept"),
    [
        ("PPLLL", "PP"),  # trailing related block
        ("PPHLLL", "PP"),  # ... with its heading
        ("PPsHLLs", "PPs"),  # footer line after the block; the short last sentence stays
        ("PPHLLss", "PP"),  # up to two footer lines
        ("PPLs", "PPLs"),  # one link line then a short line: not a block
        ("PPL", "PP"),  # a single link line at the very end
        ("LLPP", "PP"),  # leading link lines (breadcrumbs, tags)
        ("PLP", "PLP"),  # link lines inside the body stay
        ("LLLL", "LLLL"),  # all links: a link roundup, kept
        ("PPsss", "PPsss"),  # short lines without links are the rules' business
    ],
)
def test_trim_link_blocks(spec: str, kept: str) -> None:
    lines = _lines(spec)
    result = ex._trim_link_blocks(lines)
    assert "".join(spec[lines.index(line)] for line in result) == kept


def test_a_body_that_is_all_links_is_kept() -> None:
    items = "".join(
        f'<p><a href="/{i}">Roundup item number {i} about the regional election results</a></p>'
        for i in range(6)
    )
    text = extract_html(html_doc(f"<article><h1>Links of the week</h1>{items}</article>")).text
    assert "Roundup item number 0" in text
    assert "Roundup item number 5" in text


# --- metadata --------------------------------------------------------------------------


META_CASES = [
    # page, field, expected
    ("article_full.html", "author", "Jane Doe"),
    ("article_full.html", "date", "2024-03-05"),
    ("article_full.html", "url", "https://news.example.com/2024/03/05/harbour-bridge-reopens"),
    ("article_full.html", "site", "The Example Gazette"),
    ("article_full.html", "language", "en"),
    ("article_jsonld.html", "title", "Neue Bibliothek eröffnet"),
    ("article_jsonld.html", "author", "Max Mustermann; Erika Musterfrau"),
    ("article_jsonld.html", "date", "2023-11-20"),
    ("article_jsonld.html", "url", "https://www.zeitung.example.de/kultur/neue-bibliothek"),
    ("article_jsonld.html", "site", "Beispiel Zeitung"),
    ("article_jsonld.html", "language", "de"),
    ("related_trailer.html", "author", None),
    ("related_trailer.html", "date", None),
    ("related_trailer.html", "url", None),
]


@pytest.mark.parametrize(("name", "field", "expected"), META_CASES)
def test_metadata(name: str, field: str, expected: str | None) -> None:
    assert getattr(extract_html(page(name)), field) == expected


def test_given_url_wins_over_canonical_and_gives_the_site_when_page_names_none() -> None:
    head = '<link rel="canonical" href="https://other.example.org/x">'
    result = extract_html(
        html_doc(f"<article><p>{PARA}</p></article>", head), url="https://www.example.net/story/1"
    )
    assert result.url == "https://www.example.net/story/1"
    assert result.site == "example.net"


def test_byline_author_without_its_dateline() -> None:
    body = (
        '<article><h1>Park plans</h1><div class="byline">By John Smith'
        ' <time datetime="2024-01-02">January 2, 2024</time> Published 9:00 a.m.</div>'
        f"<p>{PARA}</p></article>"
    )
    assert extract_html(html_doc(body)).author == "John Smith"


@pytest.mark.parametrize(
    ("html_attrs", "meta", "expected"),
    [
        ('lang="pt-BR"', "", "pt"),
        ("", '<meta http-equiv="content-language" content="fr">', "fr"),
        ("", '<meta property="og:locale" content="es_ES">', "es"),
        ("", "", None),
        ('lang="not a language"', "", None),
    ],
)
def test_language_from_declarations(html_attrs: str, meta: str, expected: str | None) -> None:
    body = f"<body><article><p>{PARA}</p></article></body>"
    html = f"<html {html_attrs}><head>{meta}</head>{body}</html>"
    assert extract_html(html).language == expected


def test_site_name_that_is_a_url_is_not_used() -> None:
    head = '<meta property="article:publisher" content="https://www.facebook.com/Example">'
    result = extract_html(
        html_doc(f"<article><p>{PARA}</p></article>", head), url="https://news.example.com/a"
    )
    assert result.site == "news.example.com"


# --- fallbacks ----------------------------------------------------------------------


def test_recall_fallback_when_the_precise_pass_finds_nothing() -> None:
    # Text only in an <aside>: favor_precision discards it, recall mode keeps it.
    result = extract_html(html_doc(f"<aside><p>{PARA}</p></aside>"))
    assert result.method == "trafilatura-fallback"
    assert result.text == PARA


def test_baseline_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex.trafilatura, "bare_extraction", lambda *a, **k: None)
    result = extract_html(html_doc(f"<div><p>{PARA}</p></div>"))
    assert result.method == "baseline"
    assert PARA in result.text


# --- bad input: empty text and method "none", never an exception ------------------------

_rng = random.Random(7)
BAD_PAGES = {
    "empty": "",
    "whitespace": " \n\t ",
    "empty html": "<html></html>",
    "no text": "<html><body><div><img src='a.png'></div><script>var x = 1;</script></body></html>",
    "binary junk": bytes(_rng.randrange(256) for _ in range(4000)).decode("latin-1"),
    "nul bytes": "\x00\x00<html>\x00</html>",
    "nested 10000 deep": "<html><body>"
    + "<div>" * 10_000
    + "text"
    + "</div>" * 10_000
    + "</body></html>",
}


@pytest.mark.parametrize("html", BAD_PAGES.values(), ids=BAD_PAGES.keys())
def test_bad_html_gives_empty_extract(html: str) -> None:
    result = extract_html(html)
    assert result.text == ""
    assert result.method == "none"


def test_non_str_input_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="expects str"):
        extract_html(b"<html></html>")  # type: ignore[arg-type]


# --- parsing: trafilatura's tree, parsed faster -----------------------------------------

PARSE_CASES = {
    "page": page("article_full.html"),
    "legacy charset declared": page("article_full.html").replace(
        "<head>", '<head><meta charset="windows-1252">', 1
    ),
    "astral and latin-1 text": html_doc("<p>caf\u00e9 \U0001f600 na\u00efve</p>"),
    "xml declaration": '<?xml version="1.0" encoding="iso-8859-1"?>' + html_doc("<p>x</p>"),
    "self-closing doctype": "<!DOCTYPE html/>\n" + html_doc("<p>x</p>"),
    "non-ascii space first": "\u00a0\n" + html_doc("<p>x</p>"),
    "lone surrogate": html_doc("<p>x \ud800 y</p>"),
    "control characters": html_doc("<p>a\x01b\x0cc\ufffe</p>"),
    "fragment": "<div><p>one</p></div><div><p>two</p></div>",
    "text": "no markup at all",
    "form tags": html_doc("<form><input name=q><select><option>a</select><label>l</label></form>"),
}


@pytest.mark.parametrize("html", PARSE_CASES.values(), ids=PARSE_CASES.keys())
def test_parse_gives_trafilaturas_tree(html: str) -> None:
    # Same tree and same element classes as trafilatura's own loader: the extraction
    # and the goldens must not depend on how we parse.
    ours, theirs = ex._parse(html), load_html(html)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert etree.tostring(ours.getroottree()) == etree.tostring(theirs.getroottree())
    assert [type(el) for el in ours.iter()] == [type(el) for el in theirs.iter()]


# --- elements no extractor reads, dropped before trafilatura ---------------------------

LD = '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
UNREAD_CASES = {
    # body HTML -> what is left of the <body> (the tail text after a dropped element stays)
    "script and style": ("<p>a<script>x()</script>b</p><style>p{}</style>c", "<p>ab</p>c"),
    "json-ld script kept": (f"<p>a</p>{LD}", f"<p>a</p>{LD}"),
    "other typed script": ('<script type="text/template"><p>t</p></script><p>a</p>', "<p>a</p>"),
    "navigation": ("<nav><a href='/'>Home</a></nav><p>a</p>", "<p>a</p>"),
    "aside and footer": ("<aside>Most read</aside><p>a</p><footer>(c) 2019</footer>t", "<p>a</p>t"),
    "inline svg": ("<p><svg><title>icon</title><path/></svg>a</p>", "<p>a</p>"),
    "meta and link": ('<div><meta itemprop="x" content="y"><link href="/z">a</div>',
                      "<div>a</div>"),
    "article kept": ("<article><h1>T</h1><p>a</p></article>",
                     "<article><h1>T</h1><p>a</p></article>"),
}


@pytest.mark.parametrize(("body", "left"), UNREAD_CASES.values(), ids=UNREAD_CASES.keys())
def test_drop_unread(body: str, left: str) -> None:
    tree = ex._parse(html_doc(body))
    assert tree is not None
    ex._drop_unread(tree)
    kept = tree.find("body")
    assert kept is not None
    assert (kept.text or "") + "".join(etree.tostring(el, encoding=str) for el in kept) == left


PAGES = ["article_full.html", "article_jsonld.html", "related_trailer.html"]


@pytest.mark.parametrize("name", PAGES)
def test_dropping_unread_elements_leaves_trafilaturas_body_as_it_was(name: str) -> None:
    # trafilatura's own cleaning deletes these elements before its extractors read the
    # page: dropping them first must not change the body.
    tree = ex._parse(page(name))
    assert tree is not None
    before = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    ex._drop_unread(tree)
    after = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    assert before is not None and after is not None
    assert render_body(after.body) == render_body(before.body)


def test_metadata_is_read_before_the_scripts_go() -> None:
    # JSON-LD is kept, but the <meta> tags the metadata reads are dropped: extract_html
    # must read them first.
    head = '<meta property="article:published_time" content="2019-11-18T10:00:00Z">'
    result = extract_html(html_doc(f"<article><p>{PARA}</p><p>{PARA2}</p></article>", head))
    assert result.date == "2019-11-18"
    assert result.text.startswith("The city council")


# --- contracts ---------------------------------------------------------------------------


def test_options_pinned_and_dedup_off() -> None:
    assert TRAFILATURA_OPTIONS["deduplicate"] is False
    with pytest.raises(TypeError):
        TRAFILATURA_OPTIONS["deduplicate"] = True  # type: ignore[index]


def test_output_depends_only_on_the_document() -> None:
    first = extract_html(page("article_full.html"))
    for name in ("article_jsonld.html", "related_trailer.html", "article_full.html"):
        extract_html(page(name))
    assert extract_html(page("article_full.html")) == first


def test_result_is_frozen() -> None:
    result = extract_html(page("article_full.html"))
    assert isinstance(result, HtmlExtract)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<body><p>a <hi>b</hi> c</p><p>d</p></body>", "a b c\nd"),
        (
            "<body><list><item>one</item><item>two<list><item>sub</item></list></item></list></body>",
            "- one\n- two\n- sub",
        ),
        (
            "<body><table><row><cell><p>x</p><p>y</p></cell><cell>z</cell></row></table></body>",
            "x y | z",
        ),
        ("<body><p>line one<lb/>line two</p></body>", "line one\nline two"),
        ("<body><p>  </p><p>kept</p></body>", "kept"),
    ],
)
def test_render_body(xml: str, expected: str) -> None:
    assert render_body(etree.fromstring(xml)) == expected


def test_trafilatura_version_is_the_pinned_one() -> None:
    # Output (and goldens) change with trafilatura's version: upgrade deliberately.
    assert trafilatura.__version__ == "2.3.1"
