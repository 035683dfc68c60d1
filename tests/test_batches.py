"""Documents cleaned in a batch (`pipeline.clean_many`, which `clean` runs on every batch
of files, fix by fix and rule by rule over the batch) against the same documents cleaned
one at a time (`clean_bytes`, a batch of one): the same Document, or the same error, for
each, whatever else is in the batch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.normalize import normalize, normalize_many
from cleaner.pipeline import RawInput, clean_bytes, clean_many
from cleaner.rules import KINDS, RuleSet, load_rules
from cleaner.rules.kinds import Context, Plan
from cleaner.rules.model import Rule

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO.parent / "shared" / "bench"
SHIPPED = dataclasses.replace(load_rules(), prefilter_after=0)


def _files(directory: Path, limit: int) -> list[RawInput]:
    paths = sorted(directory.glob("*"))[:limit] if directory.is_dir() else []
    return [RawInput(source=path.name, data=path.read_bytes()) for path in paths]


# Each kind of document and of failure: the samples (mojibake, bylines, a `replace` rule's
# edit, datelines), bench dumps and pages when the shared data is there, a URL naming a
# site, unreadable inputs between readable ones.
INPUTS = [
    *_files(REPO / "raw", 20),
    RawInput(source="empty.txt", data=b""),
    *_files(BENCH / "scrapinghub-text-dev" / "raw", 6),
    RawInput(source="blank.txt", data=b" \n\t\n"),
    *_files(BENCH / "scrapinghub-dev" / "raw", 3),
    RawInput(source="image.txt", data=b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    RawInput(source="page.html",
             data=b"<html><body><nav>Home | News</nav><article><p>"
             + b"The council met on Tuesday to discuss the new budget for schools. " * 8
             + b"</p></article></body></html>",
             url="https://techpoint.africa/2024/x"),
    RawInput(source="forced.txt",
             data=b"Menu\nShare on Facebook\n" + b"Plain text, forced. " * 20,
             input_format="text"),
]


def _outcome(result: Document | Exception) -> Document | tuple[type, str]:
    return (type(result), str(result)) if isinstance(result, Exception) else result


def _one_at_a_time(inputs: list[RawInput], rules: RuleSet) -> list[Document | tuple[type, str]]:
    outcomes: list[Document | tuple[type, str]] = []
    for item in inputs:
        try:
            outcomes.append(clean_bytes(item.data, item.source, rules, url=item.url,
                                        input_format=item.input_format))
        except Exception as error:  # noqa: BLE001 - compared with the batch's
            outcomes.append(_outcome(error))
    return outcomes


@pytest.mark.parametrize("size", [1, 3, len(INPUTS)])
def test_a_batch_cleans_each_document_as_alone(size: int) -> None:
    expected = _one_at_a_time(INPUTS, SHIPPED)
    got = []
    for start in range(0, len(INPUTS), size):
        got += [_outcome(r) for r in clean_many(INPUTS[start:start + size], SHIPPED)]
    assert len(got) == len(expected)
    for item, one, batched in zip(INPUTS, expected, got, strict=True):
        assert batched == one, item.source
    assert sum(isinstance(o, tuple) for o in got) == 3  # the three unreadable inputs


def test_one_documents_rule_error_stays_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that raises on one document (a bug, not a timeout): that document's result is
    the error; the others in its batch get every rule, the failing one included."""
    drop = KINDS["drop"]

    def exploding(rule: Rule, ctx: Context) -> Plan:
        if any("BOOM" in p.text for p in ctx.paragraphs):
            raise RuntimeError("kind failed")
        return drop.apply(rule, ctx)

    monkeypatch.setitem(KINDS, "drop", dataclasses.replace(drop, apply=exploding))
    body = b"The council met on Tuesday to discuss the new budget for the schools.\n"
    inputs = [RawInput(source="a.txt", data=b"Share on Facebook\n" + body * 3),
              RawInput(source="boom.txt", data=b"BOOM\nShare on Facebook\n" + body * 3),
              RawInput(source="c.txt", data=b"Menu\nShare on Facebook\n" + body * 3)]
    results = clean_many(inputs, SHIPPED)
    assert _outcome(results[1]) == (RuntimeError, "kind failed")
    for item, result in zip(inputs, results, strict=True):
        if item.source != "boom.txt":
            assert isinstance(result, Document)
            assert "Share on Facebook" not in result.body_text()
            assert result == clean_bytes(item.data, item.source, SHIPPED)


# Pieces that make fixes act and interact: mojibake, bullets, symbol lines, spaced
# punctuation (French or not), hyphenation, odd spaces, line breaks of every kind.
_PIECES = st.sampled_from([
    "Le chat est sur la table et il dort ", "The council met on Tuesday ", "caf\u00c3\u00a9 ",
    "users\u00e2\u20ac\u2122 data ", "\u2022 item", "|", "\n", "\n\n", "\r\n", "\u2028",
    " ,", " ?", "infor-\nmation", "\u00a0", "\u200b", "📍", "Â is a letter ", "- ", "***",
])
_TEXTS = st.lists(st.lists(_PIECES, max_size=30).map("".join), max_size=8)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.data())
def test_normalize_many_equals_normalize_on_each(texts: list[str], data: st.DataObject
                                                 ) -> None:
    """In lockstep, the texts share the fixes' caches (`chars.special_chars`): a text
    twice in a batch, or a language given to some, changes nothing."""
    texts = texts + texts[:2]
    languages = [data.draw(st.sampled_from([None, "fr", "en"])) for _ in texts]
    pairs = list(zip(texts, languages, strict=True))
    assert normalize_many(pairs) == [normalize(text, language) for text, language in pairs]
