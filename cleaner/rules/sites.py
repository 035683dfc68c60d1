"""Which site files apply to a document.

A site's rules apply when the document comes from one of its `domains` (or a subdomain):
- the host of `doc.url` (or `doc.site`, when extraction named the site by its domain);
- else a directory in `doc.source` named after the domain (`raw/techpoint.africa/x.txt`,
  the way people store scrapes);
- else, for a document with no URL at all, one of the site's `recognize` regexes found in
  the text. A URL is stronger evidence than the text: a page on another domain that quotes
  a site's footer is not that site.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import regex

from cleaner.document import Document
from cleaner.rules.model import Site


def _host(value: str | None) -> str | None:
    if not value:
        return None
    host = urlsplit(value if "//" in value else "//" + value).hostname
    return host.lower().removeprefix("www.") if host and "." in host else None


def _within(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _source_dirs(source: str) -> list[str]:
    # `shard.warc.gz#record-7`: the part before `#` is the path. Its parts as PurePosixPath
    # gives them, less the root (never a domain), at a tenth of the cost: every document asks.
    parts = [part for part in source.split("#", 1)[0].replace("\\", "/").split("/")
             if part not in ("", ".")]
    return [part.lower().removeprefix("www.") for part in parts[:-1]]


def site_matches(site: Site, doc: Document, text: Callable[[], str], timeout: float,
                 recognize: Sequence[regex.Pattern[str]] | None = None) -> bool:
    """`text`: gives the document's paragraphs joined by newlines, asked only when a
    `recognize` regex is run; `recognize`: those of the site's worth running (default:
    all). Raises TimeoutError from a recognize regex."""
    hosts = [h for h in (_host(doc.url), _host(doc.site)) if h]
    if hosts:
        return any(_within(host, site.domains) for host in hosts)
    if any(_within(part, site.domains) for part in _source_dirs(doc.source)):
        return True
    patterns = site.recognize if recognize is None else recognize
    if doc.url or not patterns:
        return False
    joined = text()
    return any(p.search(joined, timeout=timeout) for p in patterns)
