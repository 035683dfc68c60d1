"""The CLI contract other issues and users rely on: paths, formats, exit codes, --golden,
--explain, --list-rules, --rules. Each test calls `main([...])` in-process like a user."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GOLDEN, RAW, run_cli, tree_digest

SAMPLE_004 = RAW / "004_78e1a5b385e1e75c.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def test_clean_writes_one_output_per_input_and_never_touches_raw(raw_copy: Path, tmp_path: Path):
    before = tree_digest(raw_copy)
    run = run_cli(raw_copy, tmp_path / "out")
    assert run.code == 0, run.err
    assert tree_digest(raw_copy) == before
    outputs = sorted(p.relative_to(tmp_path / "out").as_posix()
                     for p in (tmp_path / "out").rglob("*")
                     if p.is_file() and not p.name.startswith(".cleaner."))
    assert outputs == sorted(p.relative_to(raw_copy).as_posix()
                             for p in raw_copy.rglob("*") if p.is_file())


def test_nested_directories_keep_their_relative_paths(tmp_path: Path):
    (tmp_path / "raw" / "a" / "b").mkdir(parents=True)
    shutil.copy(SAMPLE_004, tmp_path / "raw" / "a" / "b" / "page.txt")
    (tmp_path / "raw" / "a" / "c.html").write_text(
        "<html><head><title>T</title></head><body><article><h1>Headline here</h1>"
        + "<p>A sentence of article text that is long enough to be kept by extraction.</p>" * 5
        + "</article></body></html>", encoding="utf-8")
    run = run_cli(tmp_path / "raw", tmp_path / "out")
    assert run.code == 0, run.err
    assert (tmp_path / "out" / "a" / "b" / "page.txt").is_file()
    assert (tmp_path / "out" / "a" / "c.txt").is_file()


def test_txt_format_is_title_blank_line_body_with_list_items(tmp_path: Path):
    run = run_cli(SAMPLE_004, tmp_path / "out")
    assert run.code == 0, run.err
    text = (tmp_path / "out" / SAMPLE_004.name).read_text(encoding="utf-8")
    title, blank, *_ = text.split("\n")
    assert title.endswith("Messenger?") and blank == ""
    assert "\n- A secret agreement was reached" in text
    assert "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")


def test_json_format_has_metadata_and_what_was_removed(tmp_path: Path):
    run = run_cli(SAMPLE_004, tmp_path / "out", "--format", "json")
    assert run.code == 0, run.err
    record = json.loads((tmp_path / "out" / "004_78e1a5b385e1e75c.json").read_text("utf-8"))
    for key in ("source", "url", "site", "title", "date", "author", "language", "text",
                "removed"):
        assert key in record
    assert record["source"] == SAMPLE_004.name
    assert record["language"] == "en"
    assert record["author"] == "Teilor Stone"
    assert not record["text"].startswith(record["title"])
    removed = {r["text"]: r for r in record["removed"]}
    assert "Spread the love" in removed
    assert removed["Spread the love"]["where"].startswith("rules/common.toml:")


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda t: [t / "missing", t / "out"], "no such file"),
        (lambda t: [t / "raw", t / "raw"], "inside the input"),
        (lambda t: [t / "raw", t / "raw" / "out"], "inside the input"),
        (lambda t: [t / "raw" / SAMPLE_004.name, t / "raw"], "input's own directory"),
        (lambda t: [t / "raw", t / "out", "--update-golden"], "needs --golden"),
        (lambda t: [t / "raw", t / "out", "--rules", t / "badrules"], "badrules"),
        (lambda t: [t / "raw", t / "out", "--rules", t / "nodir"], "not a directory"),
        (lambda t: [t / "raw"], "required"),
    ],
    ids=["missing-raw", "out-equals-raw", "out-inside-raw", "file-into-its-own-dir",
         "update-golden-alone", "bad-rule-file", "rules-not-a-dir", "no-out"],
)
def test_usage_errors_exit_2_before_writing_anything(tmp_path: Path, make_args, message: str):
    (tmp_path / "raw").mkdir()
    shutil.copy(SAMPLE_004, tmp_path / "raw")
    (tmp_path / "badrules").mkdir()
    (tmp_path / "badrules" / "broken.toml").write_text("[[rule]]\nid = 'x'\nkind = \n")
    before = tree_digest(tmp_path)
    run = run_cli(*make_args(tmp_path))
    assert run.code == 2
    assert message in run.err
    assert tree_digest(tmp_path) == before


def test_bad_rule_file_error_names_file_and_line(tmp_path: Path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_text(
        '[[rule]]\nid = "x"\nkind = "drop"\nmatch = "(unclosed"\n', encoding="utf-8")
    run = run_cli(SAMPLE_004, tmp_path / "out", "--rules", tmp_path / "rules")
    assert run.code == 2
    assert "mine.toml:4" in run.err
    assert not (tmp_path / "out").exists()


def test_a_failed_file_is_reported_and_the_rest_still_written(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_004, raw / "good.txt")
    (raw / "image.txt").write_bytes(PNG)
    (raw / "empty.txt").write_bytes(b"")
    run = run_cli(raw, tmp_path / "out")
    assert run.code == 1
    assert f"{raw / 'image.txt'}: not a text file (PNG image)" in run.err
    assert f"{raw / 'empty.txt'}: empty file" in run.err
    assert (tmp_path / "out" / "good.txt").read_text("utf-8").strip()
    assert not (tmp_path / "out" / "image.txt").exists()


def test_golden_match_exits_0_and_prints_no_diff(tmp_path: Path):
    run = run_cli(RAW, tmp_path / "out", "--golden", GOLDEN)
    assert run.code == 0, run.out + run.err
    assert run.out == ""


def test_golden_difference_prints_unified_diff_and_exits_1(tmp_path: Path):
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    target = golden / SAMPLE_004.name
    target.write_text(target.read_text("utf-8").replace("Later, in", "Later on, in"), "utf-8")
    (golden / "orphan.txt").write_text("no input for this one\n", encoding="utf-8")
    run = run_cli(RAW, tmp_path / "out", "--golden", golden)
    assert run.code == 1
    assert f"--- {target}" in run.out
    assert "-Later on, in" in run.out and "+Later, in" in run.out
    assert f"--- {golden / 'orphan.txt'}\n+++ /dev/null" in run.out
    assert "-no input for this one" in run.out


def test_update_golden_rewrites_goldens_to_match(tmp_path: Path):
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    (golden / SAMPLE_004.name).write_text("stale\n", encoding="utf-8")
    (golden / "orphan.txt").write_text("stale\n", encoding="utf-8")
    run = run_cli(RAW, tmp_path / "out", "--golden", golden, "--update-golden")
    assert run.code == 0, run.err
    assert f"updated {golden / SAMPLE_004.name}" in run.out
    assert not (golden / "orphan.txt").exists()
    assert run_cli(RAW, tmp_path / "out2", "--golden", golden).code == 0


def test_explain_names_the_rule_that_dropped_spread_the_love(tmp_path: Path):
    run = run_cli("--explain", SAMPLE_004)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    index = next(i for i, line in enumerate(lines) if line.endswith("| Spread the love"))
    status = lines[index - 1]
    assert "DROPPED by rule" in status and "rules/common.toml:" in status
    assert any("kept" in line for line in lines)
    assert any("TITLE" in line for line in lines)


def test_explain_gives_the_classifier_score_and_the_page_bar(tmp_path: Path):
    """Each page gets its own bar, so a dropped paragraph's score is shown next to it."""
    dump = Path(__file__).parent / "data" / "dumps" / "article_en.txt"
    run = run_cli("--explain", dump)
    assert run.code == 0, run.err
    dropped = [line for line in run.out.splitlines() if "DROPPED by step classifier" in line]
    assert dropped, run.out
    for line in dropped:
        score, bar = (float(v) for v in
                      re.search(r"score (\d\.\d\d), page bar (\d\.\d\d)", line).groups())
        assert 0.0 <= score <= 1.0 and 0.0 < bar < 1.0


def test_list_rules_shows_id_kind_and_file_line():
    run = run_cli("--list-rules")
    assert run.code == 0, run.err
    rows = [line.split() for line in run.out.splitlines()]
    assert len(rows) >= 10
    assert all(len(row) == 3 and ":" in row[2] for row in rows)
    assert any(row[2].startswith("rules/common.toml:") for row in rows)
    assert any(row[2].startswith("rules/sites/") for row in rows)


SITE_RULE = '''[site]
domains = ["example-news.test"]
recognize = ['(?m)^Example News Daily$']

[[rule]]
id = "example-news-promo"
kind = "drop"
match = 'Read Example News on your phone'
'''


def _run_with_site_rule(tmp_path: Path, site_file: str, rule: str, inputs: dict[str, str],
                        *options: str):
    """`clean raw out --rules extra` with one site file in extra/sites and these inputs."""
    (tmp_path / "extra" / "sites").mkdir(parents=True)
    (tmp_path / "extra" / "sites" / site_file).write_text(rule, "utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in inputs.items():
        (raw / name).write_text(text, "utf-8")
    return run_cli(raw, tmp_path / "out", "--rules", tmp_path / "extra", *options)


def test_site_rule_from_rules_dir_applies_to_its_site_only(tmp_path: Path):
    body = "\n".join(
        f"Paragraph {i} of the article says something long enough to be a sentence here."
        for i in range(6))
    run = _run_with_site_rule(tmp_path, "example-news.test.toml", SITE_RULE, {
        "ours.txt": f"Example News Daily\n{body}\nRead Example News on your phone\n",
        "other.txt": f"Another Paper\n{body}\nRead Example News on your phone\n",
    })
    assert run.code == 0, run.err
    assert "Read Example News" not in (tmp_path / "out" / "ours.txt").read_text("utf-8")
    assert "Read Example News" in (tmp_path / "out" / "other.txt").read_text("utf-8")
    listed = run_cli("--list-rules", "--rules", tmp_path / "extra").out
    assert "example-news-promo" in listed and "example-news.test.toml:5" in listed


HTML_PAGES = Path(__file__).parent / "data" / "html"
CYCLE_LANE_RULE = '''[site]
domains = ["news.example.com"]

[[rule]]
id = "example-cycle-lane"
kind = "drop"
match = 'a new cycle lane on the eastern side of the bridge'
'''


def test_site_rule_applies_to_html_pages_by_their_url_domain(tmp_path: Path):
    """The page's canonical URL names news.example.com: its site file applies there and
    not to a page of another domain carrying the same line."""
    page = (HTML_PAGES / "article_full.html").read_text("utf-8")
    run = _run_with_site_rule(tmp_path, "news.example.com.toml", CYCLE_LANE_RULE, {
        "ours.html": page,
        "other.html": page.replace("news.example.com", "news.example.org"),
    }, "--format", "json")
    assert run.code == 0, run.err
    ours = json.loads((tmp_path / "out" / "ours.json").read_text("utf-8"))
    other = json.loads((tmp_path / "out" / "other.json").read_text("utf-8"))
    assert ours["site"] == "news.example.com"
    assert "cycle lane" not in ours["text"] and "cycle lane" in other["text"]
    assert [r["rule"] for r in ours["removed"]] == ["example-cycle-lane"]
    assert ours["removed"][0]["where"].endswith("news.example.com.toml:4")  # its [[rule]] line


def test_python_dash_m_cleaner_works(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", str(SAMPLE_004), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / SAMPLE_004.name).is_file()


def test_clean_command_works_from_another_directory(tmp_path: Path):
    """The installed `clean` finds the shipped rules wherever it runs (CI installs the
    package with `pip install .`, so this runs the wheel's copy of rules/)."""
    # The venv's bin/ need not be on PATH (`.venv/bin/python -m pytest`): look beside python.
    beside = Path(sys.executable).parent / "clean"
    clean = str(beside) if beside.exists() else shutil.which("clean")
    assert clean, "the `clean` command is not installed (pip install .)"
    shutil.copy(SAMPLE_004, tmp_path / "page.txt")
    proc = subprocess.run([clean, "page.txt", "out"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "out" / "page.txt").read_text("utf-8")
    assert "Spread the love" not in text and "Teilor Stone" not in text
