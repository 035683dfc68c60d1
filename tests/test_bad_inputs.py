"""Bad inputs: one bad file never costs the rest of the batch, never hangs, never touches RAW.

Every test puts one bad input next to a good article in a fresh RAW and runs the CLI as a
user would. The bad one gets a clear error or warning naming it; the good one is written;
the exit code follows the contract (0 all good, 1 some failed, 2 usage); no traceback
reaches the user; RAW is byte-identical afterwards (`clean_checked`), and so is the
repository's own `raw/` after every test (`repo_raw_untouched`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest

from cleaner.batch import discover

from .conftest import RAW, Run, run_cli, tree_digest

SAMPLE = RAW / "004_78e1a5b385e1e75c.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
PROSE = ("The council met on Tuesday to discuss the new budget for the city schools. "
         "Members agreed that more money should go to teachers and to repairs.")


@pytest.fixture(autouse=True)
def repo_raw_untouched() -> Iterator[None]:
    """The repository's sample corpus is byte-identical after every test."""
    before = tree_digest(RAW)
    yield
    assert tree_digest(RAW) == before, "a test run wrote under the repository's raw/"


def digest(path: Path) -> dict[str, str]:
    """Like tree_digest, but also for a single file, and symlinks recorded as their target."""
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    found = tree_digest(path)
    for link in path.rglob("*"):
        if link.is_symlink():
            found[link.relative_to(path).as_posix()] = "-> " + os.readlink(link)
    return found


def clean_checked(raw: Path, out: Path, *args: str | Path) -> Run:
    """Run the CLI; check that RAW is unchanged and that no traceback reached the user."""
    before = digest(raw)
    run = run_cli(raw, out, "--jobs", "1", *args)
    assert digest(raw) == before, "RAW was written"
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    return run


def make_raw(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A RAW holding the good sample article as `good.txt` plus `files`."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / "good.txt")
    for name, data in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    return raw


def assert_good_written(out: Path) -> None:
    text = (out / "good.txt").read_text("utf-8")
    assert "Messenger?" in text.split("\n", 1)[0], "the good file was not cleaned"


def error_lines(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if line.startswith("clean: error: ")]


# --- one bad file among good ones: a failure naming the file, exit 1 ---------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        pytest.param("empty.txt", b"", "empty file", id="empty"),
        pytest.param("blank.txt", b"  \n\t\r\n   \n", "only whitespace", id="whitespace-only"),
        pytest.param("image.txt", PNG + bytes(range(256)) * 4, "PNG image", id="png"),
        pytest.param("page.html", gzip.compress(PROSE.encode() * 20), "gzip data",
                     id="gzip-without-gz-suffix"),
        pytest.param("binary.dat", bytes(range(32)) * 100, "binary data", id="control-bytes"),
    ],
)
def test_unreadable_file_fails_alone_with_its_name_and_reason(
        tmp_path: Path, name: str, data: bytes, reason: str):
    raw = make_raw(tmp_path, {name: data})
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 1, run.err
    (line,) = error_lines(run)
    assert line.startswith(f"clean: error: {raw / name}: ") and reason in line
    assert_good_written(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()
                  if not p.name.startswith(".")) == ["_errors.jsonl", "good.txt"]


# --- damaged but readable text: cleaned, with a warning naming the file, exit 0 ---------


def test_nul_bytes_inside_text_are_removed_with_a_warning(tmp_path: Path):
    data = PROSE.replace("budget", "bud\x00get").encode() + b"\x00\n\n" + PROSE.encode()
    raw = make_raw(tmp_path, {"nul.txt": data})
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 0, run.err
    assert f"{raw / 'nul.txt'}: warning: removed 2 NUL characters" in run.err
    text = (tmp_path / "out" / "nul.txt").read_text("utf-8")
    assert "\x00" not in text and "budget" in text
    assert_good_written(tmp_path / "out")


def test_invalid_utf8_mixed_with_valid_keeps_every_character(tmp_path: Path):
    """Mostly UTF-8 with a cp1252 paragraph glued on (the case read.py promises to rescue):
    the UTF-8 stays UTF-8 and the stray bytes are read as cp1252, no U+FFFD."""
    data = ("Le café du coin, à côté de l'église, ferme ses portes avant Noël. " + PROSE
            ).encode("utf-8") + b"\n\n" + "Un autre café reste ouvert. ".encode("cp1252") + (
            PROSE.encode())
    raw = make_raw(tmp_path, {"mixed.txt": data})
    run = clean_checked(raw, tmp_path / "out", "--format", "json")
    assert run.code == 0, run.err
    assert f"{raw / 'mixed.txt'}: warning: decoded as utf-8+cp1252" in run.err
    record = json.loads((tmp_path / "out" / "mixed.json").read_text("utf-8"))
    assert "Le café du coin, à côté de l'église" in record["text"]
    assert "Un autre café reste ouvert" in record["text"]
    assert "\ufffd" not in record["text"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(tmp_path: Path, encoding: str):
    raw = make_raw(tmp_path, {"wide.txt": (PROSE + "\n\nÉté à Zürich. " + PROSE).encode(
        encoding)})
    run = clean_checked(raw, tmp_path / "out", "--format", "json")
    assert run.code == 0, run.err
    assert f"{raw / 'wide.txt'}: warning: decoded as {encoding}" in run.err
    record = json.loads((tmp_path / "out" / "wide.json").read_text("utf-8"))
    assert "The council met on Tuesday" in record["text"] and "Été à Zürich" in record["text"]


# --- size: refused before reading, bounded memory, and the limit can be raised ----------


_PEAK_RSS = textwrap.dedent("""
    import resource, subprocess, sys
    proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
    sys.stderr.write(proc.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(proc.returncode, peak_kib)
""")


def test_huge_file_is_refused_fast_without_reading_it_into_memory(tmp_path: Path):
    raw = make_raw(tmp_path, {})
    with open(raw / "huge.txt", "wb") as handle:  # 200 MiB, sparse: instant to make
        handle.seek(200 * 2**20 - 1)
        handle.write(b"\n")
    # A wrapper process whose only child is the run: RUSAGE_CHILDREN is then that run's peak.
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, sys.executable, "-m", "cleaner", str(raw),
         str(tmp_path / "out"), "--jobs", "1"],
        capture_output=True, text=True, timeout=180)
    elapsed = time.monotonic() - started
    code, peak_kib = map(int, proc.stdout.split())
    assert code == 1, proc.stderr
    assert f"clean: error: {raw / 'huge.txt'}: file too large (200 MiB > 64 MiB" in proc.stderr
    assert "--max-input-mb" in proc.stderr and "Traceback" not in proc.stderr
    assert peak_kib < 150 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB: the file was read"
    assert elapsed < 60
    assert_good_written(tmp_path / "out")


def test_max_input_mb_can_be_lowered_and_raised(tmp_path: Path):
    body = "\n\n".join([PROSE] * 60).encode()  # about 9 KiB
    raw = make_raw(tmp_path, {"long.txt": body})
    run = clean_checked(raw, tmp_path / "small", "--max-input-mb", "0.004")
    assert run.code == 1
    assert any(f"{raw / 'long.txt'}: file too large" in line for line in error_lines(run))
    assert not (tmp_path / "small" / "long.txt").exists()
    run = clean_checked(raw, tmp_path / "big", "--max-input-mb", "0.05")
    assert run.code == 0, run.err
    assert "The council met" in (tmp_path / "big" / "long.txt").read_text("utf-8")


# --- HTML that is hard to parse or holds nothing ----------------------------------------


def test_html_nested_ten_thousand_deep_finishes_with_a_warning_or_text(tmp_path: Path):
    depth = 10_000
    html = ("<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth
            + "</body></html>")
    raw = make_raw(tmp_path, {"deep.html": html.encode()})
    started = time.monotonic()
    run = clean_checked(raw, tmp_path / "out")
    assert time.monotonic() - started < 60
    assert run.code == 0, run.err
    text = (tmp_path / "out" / "deep.txt").read_text("utf-8")
    # Either the text survives, or the user is told that nothing did.
    assert "The council met" in text or (
        f"{raw / 'deep.html'}: warning: empty output" in run.err)
    assert_good_written(tmp_path / "out")


@pytest.mark.parametrize("html", [
    "<html><head><title></title></head><body><div><span></span></div></body></html>",
    "<!DOCTYPE html><html><body><script>var x = 1;</script><img src=a.png></body></html>",
])
def test_html_without_text_gives_an_empty_output_warning(tmp_path: Path, html: str):
    raw = make_raw(tmp_path, {"blank.html": html.encode()})
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 0, run.err
    assert f"{raw / 'blank.html'}: warning: empty output: no article text found" in run.err
    assert_good_written(tmp_path / "out")


# --- containers -------------------------------------------------------------------------


def _records(n: int) -> list[bytes]:
    return [json.dumps({"id": f"r{i}", "text": f"Record {i}. {PROSE}"}).encode()
            for i in range(n)]


def _shard_ids(path: Path) -> list[str]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [json.loads(line)["id"] for line in data.decode("utf-8").splitlines()]


def _errors(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "_errors.jsonl").read_text("utf-8")
            .splitlines()]


def test_truncated_jsonl_gz_keeps_the_records_before_the_break(tmp_path: Path):
    whole = gzip.compress(b"\n".join(_records(200)) + b"\n", compresslevel=1)
    raw = make_raw(tmp_path, {"crawl.jsonl.gz": whole[: len(whole) * 2 // 3]})
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 1, run.err
    assert f"clean: error: {raw / 'crawl.jsonl.gz'}: 1 record(s) failed" in run.err
    ids = _shard_ids(tmp_path / "out" / "crawl.jsonl.gz")
    assert 0 < len(ids) < 200 and ids == [f"r{i}" for i in range(len(ids))]
    (error,) = _errors(tmp_path / "out")
    assert error["shard"] == "crawl.jsonl.gz" and "corrupt gzip stream" in error["reason"]
    assert_good_written(tmp_path / "out")


def test_bad_jsonl_lines_are_errors_with_line_numbers_and_the_rest_is_cleaned(tmp_path: Path):
    good = _records(3)
    lines = [good[0], b"{this is not json", good[1], json.dumps({"id": "bare", "url": "u"})
             .encode(), b"[1, 2]", json.dumps({"id": "num", "html": 42}).encode(), good[2]]
    raw = make_raw(tmp_path, {"feed.jsonl": b"\n".join(lines) + b"\n"})
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 1, run.err
    assert f"clean: error: {raw / 'feed.jsonl'}: 4 record(s) failed" in run.err
    assert _shard_ids(tmp_path / "out" / "feed.jsonl") == ["r0", "r1", "r2"]
    errors = _errors(tmp_path / "out")
    assert [(e["shard"], e["line"]) for e in errors] == [("feed.jsonl", n) for n in (2, 4, 5, 6)]
    assert "bad JSON" in errors[0]["reason"]
    assert errors[1]["id"] == "bare" and "no html or text" in errors[1]["reason"]
    assert "not a JSON object" in errors[2]["reason"]
    assert "no html or text" in errors[3]["reason"]
    assert_good_written(tmp_path / "out")


def test_warc_with_a_corrupt_record_keeps_the_others(tmp_path: Path):
    from .test_containers import ARTICLE, make_warc

    raw = make_raw(tmp_path, {})
    ids = make_warc(raw / "crawl.warc", [(f"https://w.example/{i}", ARTICLE.format(n=i))
                                         for i in range(3)], extras=False)
    data = (raw / "crawl.warc").read_bytes()
    # Break the second record's header: its Content-Length is no longer a number.
    second = data.index(b"WARC/1.", data.index(b"WARC/1.") + 1)
    length = data.index(b"Content-Length: ", second)
    data = data[:length] + b"Content-Length: zz" + data[length + len("Content-Length: 12"):]
    (raw / "crawl.warc").write_bytes(data)
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 1, run.err
    assert f"clean: error: {raw / 'crawl.warc'}: 1 record(s) failed" in run.err
    assert _shard_ids(tmp_path / "out" / "crawl.jsonl") == [ids[0], ids[2]]
    (error,) = _errors(tmp_path / "out")
    assert error["shard"] == "crawl.warc" and "corrupt WARC record" in error["reason"]
    assert second <= error["offset"] < data.index(b"WARC/1.", second + 1)
    assert_good_written(tmp_path / "out")


# --- names and links --------------------------------------------------------------------


NAMES = ["with space.txt", "it's \"quoted\".txt", "café ünïcödé 日本語.txt", "-dash.txt",
         "semi;colon $HOME `x`.txt", "new\nline.txt"]


def test_file_names_with_spaces_quotes_and_non_ascii_round_trip(tmp_path: Path):
    raw = make_raw(tmp_path, {name: PROSE.encode() for name in NAMES})
    bad = raw / "bad name 'é'.txt"
    bad.write_bytes(b"")
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 1
    assert error_lines(run) == [f"clean: error: {bad}: empty file"]
    for name in NAMES:
        assert "The council met" in (tmp_path / "out" / name).read_text("utf-8"), name
    assert_good_written(tmp_path / "out")


def test_symlink_outside_raw_is_not_followed_unless_asked(tmp_path: Path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "private.txt").write_text(PROSE, "utf-8")
    raw = make_raw(tmp_path, {})
    (raw / "link.txt").symlink_to(outside / "private.txt")
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 0, run.err
    assert f"{raw / 'link.txt'}: skipped: symbolic link not followed" in run.err
    assert not (tmp_path / "out" / "link.txt").exists()
    assert_good_written(tmp_path / "out")
    run = clean_checked(raw, tmp_path / "followed", "--follow-symlinks")
    assert run.code == 0, run.err
    assert "The council met" in (tmp_path / "followed" / "link.txt").read_text("utf-8")


def test_symlinked_directory_outside_raw_is_reported_not_silently_dropped(tmp_path: Path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "private.txt").write_text(PROSE, "utf-8")
    raw = make_raw(tmp_path, {})
    (raw / "linked").symlink_to(outside, target_is_directory=True)
    run = clean_checked(raw, tmp_path / "out")
    assert run.code == 0, run.err
    assert not (tmp_path / "out" / "linked").exists()
    assert f"{raw / 'linked'}: skipped: symbolic link not followed" in run.err
    run = clean_checked(raw, tmp_path / "followed", "--follow-symlinks")
    assert "The council met" in (tmp_path / "followed" / "linked" / "private.txt").read_text()


def test_symlink_loops_with_follow_symlinks_do_not_blow_up(tmp_path: Path):
    """Two links back to RAW would make os.walk(followlinks=True) visit 2**40 paths."""
    raw = make_raw(tmp_path, {})
    (raw / "loop1").symlink_to(raw, target_is_directory=True)
    (raw / "loop2").symlink_to(raw, target_is_directory=True)
    found = list(islice(discover(raw, follow_symlinks=True), 1000))
    inputs = [rel for _path, rel in found if not isinstance(rel, str)]
    assert len(found) < 10, f"{len(found)} entries, e.g. {inputs[-1]}"


def test_unreadable_file_fails_alone(tmp_path: Path):
    """Root reads anything, so as root the run is done as `nobody` (setpriv)."""
    if os.geteuid() != 0:
        raw = make_raw(tmp_path, {"locked.txt": PROSE.encode()})
        (raw / "locked.txt").chmod(0)
        try:
            run = clean_checked(raw, tmp_path / "out")
        finally:
            (raw / "locked.txt").chmod(0o644)
        assert run.code == 1
        assert error_lines(run) == [f"clean: error: {raw / 'locked.txt'}: permission denied"]
        assert_good_written(tmp_path / "out")
        return
    setpriv = shutil.which("setpriv") or pytest.skip("running as root and setpriv is missing")
    # pytest's tmp_path is private to root: use a directory `nobody` can reach.
    base = Path(tempfile.mkdtemp(prefix="cleaner-perm-"))
    try:
        base.chmod(0o755)
        raw = make_raw(base, {"locked.txt": PROSE.encode()})
        for path in [raw, *raw.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (raw / "locked.txt").chmod(0)
        out = base / "out"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        before = digest(raw)
        proc = subprocess.run(
            [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
             sys.executable, "-m", "cleaner", str(raw), str(out), "--jobs", "1"],
            capture_output=True, text=True, cwd=base, timeout=120,
            env={**os.environ, "HOME": str(base)})
        if "setpriv:" in proc.stderr:
            pytest.skip(f"cannot drop privileges here: {proc.stderr.strip()}")
        assert digest(raw) == before
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"clean: error: {raw / 'locked.txt'}: permission denied" in proc.stderr
        assert_good_written(out)
        assert not (out / "locked.txt").exists()
    finally:
        for path in base.rglob("*"):
            if not path.is_symlink():
                path.chmod(stat.S_IRWXU | (0o755 if path.is_dir() else 0o644))
        shutil.rmtree(base)
