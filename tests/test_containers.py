"""Container inputs (JSONL, JSONL.gz, WARC, WARC.gz) and the shard writer.

WARC files are made with warcio's own writer, so the reader is tested against real WARCs.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path, PurePosixPath

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.containers import (
    Record,
    ShardWriter,
    container_kind,
    iter_records,
    record_json,
    shard_relpath,
)

from .conftest import run_cli

ARTICLE = ("<html><head><title>Page {n}</title></head><body><article><h1>Headline {n}</h1>"
           + "<p>Sentence {n} of an article that is long enough to be kept by extraction.</p>" * 4
           + "</article></body></html>")


def make_warc(path: Path, pages: list[tuple[str, str]], *, gzipped: bool | None = None,
              extras: bool = True) -> list[str]:
    """Write a WARC of HTML responses (url, html); returns their WARC-Record-IDs in order.

    With `extras`, also a warcinfo, a request, and a non-HTML response, which the reader
    must skip."""
    gz = path.name.endswith(".gz") if gzipped is None else gzipped
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    if extras:
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    ids = []
    for url, html in pages:
        if extras:
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", http_headers=headers,
                                           payload=io.BytesIO(html.encode("utf-8")))
        ids.append(record.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(record)
        if extras:
            png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                   protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url + ".png", "response", http_headers=png,
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n")))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return ids


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def jsonl_records(n: int, **extra: object) -> list[str]:
    return [json.dumps({"id": f"doc-{i}", "url": f"https://example.com/{i}",
                        "html": ARTICLE.format(n=i), **extra}) for i in range(n)]


def read_shard(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_container_kind_and_shard_names():
    assert container_kind("a.jsonl") == ("jsonl", False)
    assert container_kind("a.JSONL.GZ") == ("jsonl", True)
    assert container_kind("crawl.warc.gz") == ("warc", True)
    assert container_kind("crawl.warc") == ("warc", False)
    assert container_kind("page.html") is None
    assert container_kind("notes.gz") is None
    assert container_kind(".jsonl") is None
    assert shard_relpath(PurePosixPath("x/crawl.warc.gz")) == PurePosixPath("x/crawl.jsonl.gz")
    assert shard_relpath(PurePosixPath("x/crawl.warc")) == PurePosixPath("x/crawl.jsonl")
    assert shard_relpath(PurePosixPath("d.jsonl.gz")) == PurePosixPath("d.jsonl.gz")


@pytest.mark.parametrize("name", ["d.jsonl", "d.jsonl.gz"])
def test_jsonl_records_keep_ids_order_and_passthrough_fields(tmp_path: Path, name: str):
    lines = [
        json.dumps({"id": 7, "url": "https://a.example/1", "html": "<p>one</p>",
                    "lang": "de", "tags": ["x", {"y": 1}]}),
        "",  # blank lines are not records
        json.dumps({"url": "https://a.example/2", "text": "two\n\nparagraphs"}),
        json.dumps({"text": "three", "crawl": None}),
    ]
    write_jsonl(tmp_path / name, lines)
    records = list(iter_records(tmp_path / name))
    assert [r.index for r in records] == [0, 1, 2]
    assert [r.id for r in records] == [7, "https://a.example/2", 4]  # id, else url, else line
    assert [r.where for r in records] == [{"line": 1}, {"line": 3}, {"line": 4}]
    assert [r.input_format for r in records] == ["html", "text", "text"]
    assert records[0].data == b"<p>one</p>"
    assert records[0].fields == {"lang": "de", "tags": ["x", {"y": 1}]}
    assert records[2].fields == {"crawl": None}
    assert all(r.error is None for r in records)


def test_jsonl_bad_lines_become_errors_and_the_rest_is_read(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"id": "a", "text": "fine"}).encode(),
        b'{"id": "b", "text": ',  # cut off
        b"[1, 2]",
        json.dumps({"id": "c", "title": "no body"}).encode(),
        b'{"id": "d", "text": "caf\xe9"}',  # cp1252 byte in a JSON line
        json.dumps({"id": "e", "html": "<p>fine too</p>"}).encode(),
    ]) + b"\n")
    records = list(iter_records(path))
    assert [(r.where["line"], r.error is None) for r in records] == [
        (1, True), (2, False), (3, False), (4, False), (5, False), (6, True)]
    assert "bad JSON" in records[1].error
    assert "not a JSON object" in records[2].error
    assert records[3].error == "record has no html or text string field"
    assert records[3].id == "c"
    assert "UTF-8" in records[4].error


def test_truncated_jsonl_gz_keeps_what_came_before(tmp_path: Path):
    path = tmp_path / "d.jsonl.gz"
    write_jsonl(path, [json.dumps({"id": i, "text": "x" * 50}) for i in range(200)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    records = list(iter_records(path))
    assert records[-1].error and "gzip" in records[-1].error
    good = [r for r in records if r.error is None]
    assert [r.id for r in good] == list(range(len(good)))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_reads_html_responses_in_order(tmp_path: Path, name: str):
    pages = [(f"https://news.example/{i}", ARTICLE.format(n=i)) for i in range(3)]
    ids = make_warc(tmp_path / name, pages)
    records = list(iter_records(tmp_path / name))
    assert [r.id for r in records] == ids
    assert [r.url for r in records] == [url for url, _ in pages]
    assert [r.data.decode() for r in records] == [html for _, html in pages]
    assert all(r.input_format == "html" and r.error is None for r in records)
    offsets = [r.where["offset"] for r in records]
    assert offsets == sorted(offsets) and offsets[0] > 0  # after the warcinfo record


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_corrupt_warc_record_is_an_error_and_later_records_survive(tmp_path: Path, name: str):
    path = tmp_path / name
    pages = [(f"https://news.example/{i}", ARTICLE.format(n=i)) for i in range(4)]
    ids = make_warc(path, pages, extras=False)
    data = bytearray(path.read_bytes())
    marker = b"\x1f\x8b\x08" if name.endswith(".gz") else b"WARC/1."
    starts = [i for i in range(len(data)) if data.startswith(marker, i)]
    for i in range(starts[1] + 3, starts[1] + 40):  # garble the second record's header
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    records = list(iter_records(path))
    assert [r.error is None for r in records] == [True, False, True, True]
    assert records[1].where == {"offset": starts[1]}
    assert "corrupt WARC record" in records[1].error
    assert [r.id for r in records if r.error is None] == [ids[0], ids[2], ids[3]]


def test_whole_file_gzipped_warc_is_read_too(tmp_path: Path):
    plain = tmp_path / "plain.warc"
    ids = make_warc(plain, [(f"https://n.example/{i}", ARTICLE.format(n=i)) for i in range(3)])
    (tmp_path / "whole.warc.gz").write_bytes(gzip.compress(plain.read_bytes()))
    assert [r.id for r in iter_records(tmp_path / "whole.warc.gz")] == ids


@pytest.mark.parametrize("name", ["s.jsonl", "s.jsonl.gz"])
def test_shard_writer_is_atomic_and_deterministic(tmp_path: Path, name: str):
    outputs = []
    for run in ("a", "b"):
        target = tmp_path / run / name
        writer = ShardWriter(target)
        writer.write('{"id": 1}')
        assert not target.exists()  # only the temp file so far
        writer.write('{"id": 2}')
        writer.commit()
        assert [p.name for p in target.parent.iterdir()] == [name]
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]  # no timestamp in the gzip header
    assert read_shard(tmp_path / "a" / name) == [{"id": 1}, {"id": 2}]
    aborted = ShardWriter(tmp_path / "c" / name)
    aborted.write("{}")
    aborted.abort()
    assert list((tmp_path / "c").iterdir()) == []


def test_record_json_passes_fields_through_and_never_overwrites_them():
    record = Record(0, {"line": 1}, id="x", url="https://src.example/a",
                    fields={"lang": "en", "title": "from the crawler"})
    document = {"source": "d.jsonl#x", "url": "https://canonical.example/a", "title": "T",
                "text": "body"}
    obj = json.loads(record_json(record, document))
    assert list(obj)[:2] == ["id", "source"]
    assert obj["url"] == "https://src.example/a"  # where the page was fetched
    assert obj["title"] == "T" and obj["lang"] == "en"
    assert obj["input_fields"] == {"title": "from the crawler"}


def test_cli_cleans_containers_into_shards_with_an_error_file(tmp_path: Path):
    raw = tmp_path / "raw"
    lines = jsonl_records(3, lang="en")
    lines.insert(1, "{not json")
    lines.insert(3, json.dumps({"id": "empty", "lang": "en"}))
    write_jsonl(raw / "x" / "news.jsonl", lines)
    write_jsonl(raw / "x" / "news2.jsonl.gz", jsonl_records(2))
    ids = make_warc(raw / "x" / "crawl.warc.gz",
                    [(f"https://w.example/{i}", ARTICLE.format(n=i)) for i in range(2)])
    # Ids that look like paths are data, never file names.
    write_jsonl(raw / "evil.jsonl", [json.dumps({"id": "../../escape", "text": "hello there",
                                                 "url": "/etc/passwd"})])
    run = run_cli(raw, tmp_path / "out", "--jobs", "1", "--quiet")
    assert run.code == 1  # two records failed
    out = tmp_path / "out"
    news = read_shard(out / "x" / "news.jsonl")
    assert [r["id"] for r in news] == ["doc-0", "doc-1", "doc-2"]
    assert all(r["lang"] == "en" and r["url"].startswith("https://example.com/") for r in news)
    for key in ("source", "title", "text", "removed", "warnings", "language"):
        assert key in news[0]
    assert [r["id"] for r in read_shard(out / "x" / "news2.jsonl.gz")] == ["doc-0", "doc-1"]
    warc = read_shard(out / "x" / "crawl.jsonl.gz")
    assert [r["id"] for r in warc] == ids
    assert [r["url"] for r in warc] == ["https://w.example/0", "https://w.example/1"]
    assert read_shard(out / "evil.jsonl")[0]["id"] == "../../escape"
    assert not (tmp_path / "escape").exists()
    errors = [json.loads(line) for line in (out / "_errors.jsonl").read_text().splitlines()]
    assert [(e["shard"], e["line"]) for e in errors] == [("x/news.jsonl", 2),
                                                          ("x/news.jsonl", 4)]
    assert "bad JSON" in errors[0]["reason"]
    assert errors[1]["id"] == "empty" and "no html or text" in errors[1]["reason"]
    assert "news.jsonl: 2 record(s) failed" in run.err
