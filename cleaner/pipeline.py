"""The pipeline for one document: read -> extract -> normalize -> rules -> body -> title.

`clean_bytes` cleans one document (one file, a JSONL record, a WARC record); `clean_many`,
what every engine runs on a batch of them, gives each the same Document, stage by stage
over the batch. A document's output depends only on its bytes, its source name and the
rules, never on the documents cleaned before it or beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from cleaner.document import CLASSIFIER_STEP, Document, Removal
from cleaner.extract import Extracted, extract
from cleaner.normalize import Normalized, normalize, normalize_many
from cleaner.paragraphs import split_paragraphs
from cleaner.read import InputFormat, read_text, sniff_format
from cleaner.title import detect_title

if TYPE_CHECKING:
    from cleaner.classify import Decision
    from cleaner.rules import RuleSet

DEFAULT_MAX_SHARE = 0.5
T = TypeVar("T")


class Input(Protocol):
    """One document to clean, as `clean_many` takes it (`batch.Task` is one)."""

    @property
    def data(self) -> bytes: ...
    @property
    def source(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def input_format(self) -> InputFormat | None: ...


@dataclass(frozen=True)
class RawInput:
    """An `Input` of its own: bytes and what is known of them."""

    data: bytes
    source: str
    url: str | None = None
    input_format: InputFormat | None = None


def clean_bytes(
    data: bytes,
    source: str,
    rules: RuleSet,
    *,
    url: str | None = None,
    input_format: InputFormat | None = None,
    max_share: float = DEFAULT_MAX_SHARE,
) -> Document:
    """One document's `clean_many`: its Document, or the exception raised."""
    result = clean_many([RawInput(data, source, url, input_format)], rules,
                        max_share=max_share)[0]
    if isinstance(result, Exception):
        raise result
    return result


def clean_many(inputs: Sequence[Input], rules: RuleSet, *,
               max_share: float = DEFAULT_MAX_SHARE) -> list[Document | Exception]:
    """`clean_bytes` on each input: its Document, or the exception it raised (one bad
    document must not stop the others). Each document's result is the one of
    `clean_bytes`; the batch goes through normalization and the rules in lockstep, one
    fix and one rule at a time (see `normalize_many` and `RuleSet.apply_many`), so that
    each one's patterns and tables stay in the core's cache from one document to the next."""
    results: dict[int, Document | Exception] = {}
    pages: dict[int, _Page] = {}
    for i, item in enumerate(inputs):
        page = _or_error(_read_and_extract, item)
        if isinstance(page, Exception):
            results[i] = page
        else:
            pages[i] = page
    texts = [(page.extracted.text, page.extracted.language) for page in pages.values()]
    for (i, page), normalized in zip(pages.items(), normalize_many(texts), strict=True):
        results[i] = normalized if isinstance(normalized, Exception) else _or_error(
            _document, inputs[i].source, page.extracted, normalized, page.input_format,
            page.warnings)
    docs = {i: doc for i in range(len(inputs)) if isinstance(doc := results[i], Document)}
    errors = rules.apply_many(list(docs.values()), max_share=max_share)
    for (i, doc), error in zip(docs.items(), errors, strict=True):
        results[i] = error if error is not None else _or_error(_finish, doc)
    return [results[i] for i in range(len(inputs))]


class _Page(NamedTuple):
    """An input read and its main content extracted."""

    extracted: Extracted
    input_format: InputFormat
    warnings: list[str]


def _read_and_extract(item: Input) -> _Page:
    text, warnings = read_text(item.data)
    input_format = item.input_format or sniff_format(item.source, text)
    return _Page(extract(text, input_format, item.url), input_format, warnings)


def _or_error(step: Callable[..., T], *args: Any) -> T | Exception:
    """`step(*args)`, or the exception it raised: that document's result."""
    try:
        return step(*args)
    except Exception as error:  # noqa: BLE001 - one bad document must not stop the others
        return error


def _finish(doc: Document) -> Document:
    """What follows the rules: the body selection (plain text), the title, the warning
    for an empty result."""
    if doc.input_format == "text":
        select_body(doc)
    detect_title(doc)
    if not doc.has_body():
        doc.warnings.append("empty output: no article text found")
    return doc


def prepare(
    text: str,
    source: str,
    rules: RuleSet,
    *,
    url: str | None = None,
    input_format: InputFormat = "text",
    max_share: float = DEFAULT_MAX_SHARE,
    warnings: list[str] | None = None,
) -> Document:
    """Everything before the body selection: extract, normalize, split, rules. The
    classifier's training script starts from here too, so it learns from exactly the
    paragraphs the classifier is given."""
    extracted = extract(text, input_format, url)
    doc = _document(source, extracted, normalize(extracted.text, language=extracted.language),
                    input_format, warnings)
    rules.apply(doc, max_share=max_share)
    return doc


def _document(source: str, extracted: Extracted, normalized: Normalized,
              input_format: InputFormat, warnings: list[str] | None) -> Document:
    """The document before the rules: its normalized text in paragraphs."""
    doc = Document(
        source=source,
        paragraphs=split_paragraphs(normalized.text),
        url=extracted.url,
        site=extracted.site,
        title=normalize(extracted.title, normalized.language).text if extracted.title else None,
        date=extracted.date,
        author=extracted.author,
        language=normalized.language,
        input_format=input_format,
        warnings=list(warnings or []),
        fixes=list(normalized.fixes),
    )
    if input_format == "html":
        doc.extra["extractor"] = extracted.method
        if extracted.method == "none":
            doc.warnings.append("no main content found in the HTML")
    doc.removed.extend(Removal(step, step, line, "step") for step, line in normalized.removed)
    return doc


def select_body(doc: Document) -> None:
    """Drop what the boilerplate classifier finds outside the article (plain-text dumps only:
    for HTML, trafilatura already chose the main content). Explicit rules ran first."""
    from cleaner.classify import select_body as classify_body

    kept = doc.kept()
    if not kept:
        return
    decisions = classify_body(
        [p.text for p in kept],
        doc.language,
        kinds=[p.kind for p in kept],
        blocks=[p.block for p in kept],
    )
    for paragraph, decision in zip(kept, decisions, strict=True):
        paragraph.score = decision.score
        if not decision.keep:
            doc.drop(
                paragraph,
                Removal(CLASSIFIER_STEP, CLASSIFIER_STEP, paragraph.text, "classifier",
                        note=f"{decision.reason} ({_score_note(decision)})"),
            )


def _score_note(decision: Decision) -> str:
    if decision.bar is None:
        return f"score {decision.score:.2f}"
    return f"score {decision.score:.2f}, page bar {decision.bar:.2f}"
