"""Extract stage: HTML pages go through trafilatura for main content and metadata;
plain text passes through unchanged (its boilerplate is the rules' and classifier's job)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cleaner.read import InputFormat


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None
    author: str | None = None
    language: str | None = None
    method: str = "passthrough"


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname
    return host.removeprefix("www.") if host else None


def extract(text: str, input_format: InputFormat, url: str | None = None) -> Extracted:
    if input_format == "text":
        return Extracted(text=text, url=url, site=host_of(url))
    # trafilatura costs ~0.3 s to import: only HTML inputs pay it.
    from cleaner.extract_html import extract_html

    page = extract_html(text, url=url)
    return Extracted(
        text=page.text,
        title=page.title,
        url=page.url or url,
        site=host_of(page.url or url) or page.site,
        date=page.date,
        author=page.author,
        language=page.language,
        method=page.method,
    )
