"""Hostile or broken rules: a rule that backtracks forever is stopped by the regex timeout
and named; a broken rule file is refused before anything runs (exit 2, OUT not created);
a rule that would blank a document is skipped for it (`--max-share`)."""

from __future__ import annotations

import dataclasses
import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cleaner.document import Document, Paragraph
from cleaner.rules import load_rules

from .conftest import run_cli
from .test_bad_inputs import PROSE, clean_checked, make_raw, repo_raw_untouched  # noqa: F401

EVIL = "a" * 5000 + "b"  # `(a|aa)+$` against this backtracks for ever with `regex`


def write_rules(tmp_path: Path, files: dict[str, str]) -> Path:
    rules = tmp_path / "myrules"
    for name, text in files.items():
        (rules / name).parent.mkdir(parents=True, exist_ok=True)
        (rules / name).write_text(text, "utf-8")
    return rules


def article(*extra: str) -> bytes:
    paragraphs = [PROSE, *extra, "The mayor said the plan would be voted on next month.",
                  PROSE.replace("council", "committee")]
    return "\n\n".join(paragraphs).encode()


# --- catastrophic backtracking ----------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        pytest.param('kind = "drop"\nmatch = \'(a|aa)+$\'', 2, id="drop"),
        pytest.param('kind = "replace"\nmatch = \'(a|aa)+$\'\nreplacement = ""', 2,
                     id="replace"),
        pytest.param('kind = "block"\nstart = \'(a|aa)+$\'\nend = "End"', 2, id="block"),
    ],
)
def test_catastrophic_backtracking_is_stopped_named_and_the_run_finishes(
        tmp_path: Path, rule: str, line: int):
    rules = write_rules(tmp_path, {"evil.toml": f'# a hostile rule\n[[rule]]\nid = "evil"\n'
                                                f"{rule}\n"})
    raw = make_raw(tmp_path, {"victim.txt": article(EVIL), "other.txt": article()})
    started = time.monotonic()
    run = clean_checked(raw, tmp_path / "out", "--rules", rules, "--format", "json")
    assert time.monotonic() - started < 60
    assert run.code == 0, run.err
    where = f"{rules}/evil.toml:{line}"
    assert (f"{raw / 'victim.txt'}: warning: rule evil ({where}): regex timed out"
            in run.err), run.err
    assert "other.txt: warning: rule evil" not in run.err
    victim = json.loads((tmp_path / "out" / "victim.json").read_text("utf-8"))
    assert any("rule evil" in w and where in w and "timed out" in w
               for w in victim["warnings"])
    assert "The council met" in victim["text"] and EVIL in victim["text"]
    assert (tmp_path / "out" / "good.json").is_file()


def _apply_evil_rule(tmp_path: Path, timeout: float = 0.2) -> Document:
    rules = write_rules(tmp_path, {"evil.toml": '[[rule]]\nid = "evil"\nkind = "drop"\n'
                                                "match = '(a|aa)+$'\n\n"
                                                '[[rule]]\nid = "menu"\nkind = "drop"\n'
                                                "match = 'Menu'\n"})
    ruleset = dataclasses.replace(load_rules([rules], shipped=False), timeout=timeout)
    doc = Document("victim.txt", [Paragraph(t) for t in ("Menu", EVIL, PROSE)])
    ruleset.apply(doc)
    return doc


def _stopped_and_the_next_rule_ran(doc: Document) -> bool:
    return (any("rule evil" in w and "timed out after 0.2 s" in w for w in doc.warnings)
            and [p.text for p in doc.kept()] == [EVIL, PROSE])


# The limit is kept by a CPU timer (SIGPROF) in the main thread, by each regex call's own
# timeout elsewhere: a worker thread, or a process where someone else has SIGPROF.
def test_a_rule_is_stopped_by_the_cpu_timer_in_the_main_thread(tmp_path: Path) -> None:
    assert _stopped_and_the_next_rule_ran(_apply_evil_rule(tmp_path))
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)  # disarmed after the document


def test_a_rule_is_stopped_by_the_call_timeout_in_another_thread(tmp_path: Path) -> None:
    with ThreadPoolExecutor(1) as pool:
        doc = pool.submit(_apply_evil_rule, tmp_path).result()
    assert _stopped_and_the_next_rule_ran(doc)


def test_someone_elses_sigprof_handler_is_left_alone(tmp_path: Path) -> None:
    def theirs(signum: int, frame: object) -> None:
        pass

    before = signal.signal(signal.SIGPROF, theirs)
    try:
        assert _stopped_and_the_next_rule_ran(_apply_evil_rule(tmp_path))
        assert signal.getsignal(signal.SIGPROF) is theirs
    finally:
        signal.signal(signal.SIGPROF, before)


def test_catastrophic_site_recognize_regex_is_stopped_and_named(tmp_path: Path):
    rules = write_rules(tmp_path, {"sites/evil.test.toml": (
        '[site]\ndomains = ["evil.test"]\nrecognize = [\'(?m)^(a|aa)+$\']\n\n'
        '[[rule]]\nid = "evil-promo"\nkind = "drop"\nmatch = "Evil promo"\n')})
    raw = make_raw(tmp_path, {"victim.txt": article(EVIL, "Evil promo")})
    run = clean_checked(raw, tmp_path / "out", "--rules", rules)
    assert run.code == 0, run.err
    assert "site evil.test" in run.err and f"{rules}/sites/evil.test.toml:1" in run.err
    assert "timed out" in run.err
    # The site could not be recognized, so its rule did not apply; the article survives.
    assert "The council met" in (tmp_path / "out" / "victim.txt").read_text("utf-8")


# --- broken rule files: refused before anything runs ------------------------------------


BROKEN = [
    pytest.param({"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\nmatch = \'(unclosed\'\n'},
                 "r.toml:4:", "not a valid regex", id="invalid-regex"),
    pytest.param({"r.toml": '\n[[rule]]\nid = "x"\nkind = "dorp"\nmatch = "A"\n'},
                 "r.toml:4:", "unknown kind 'dorp'; did you mean 'drop'?", id="unknown-kind"),
    pytest.param({"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\nmach = "A"\n'},
                 "r.toml:4:", "unknown key 'mach'; did you mean 'match'?", id="unknown-key"),
    pytest.param({"a.toml": '[[rule]]\nid = "dup"\nkind = "drop"\nmatch = "A"\n',
                  "b.toml": '# second\n\n[[rule]]\nid = "dup"\nkind = "drop"\nmatch = "B"\n'},
                 "b.toml:3:", "duplicate rule id 'dup' (first defined at", id="duplicate-id"),
    pytest.param({"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\nmatch = "A"\n',
                  "dup.toml": '[[rule]]\nid = "share-widget"\nkind = "drop"\nmatch = "A"\n'},
                 "dup.toml:1:", "duplicate rule id 'share-widget'",
                 id="duplicate-of-a-shipped-id"),
    pytest.param({"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\nmatch = "A"\n\nthis is = not'},
                 "r.toml:6:", "invalid TOML", id="not-toml"),
    pytest.param({"r.toml": "\x89PNG\r\n\x1a\n\x00\x00"}, "r.toml:", "invalid TOML",
                 id="binary-toml"),
    pytest.param({"rules.json": '{"rule": []}'}, "rules.json:", "not a rule file",
                 id="non-toml-file"),
    pytest.param({"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\nmatch = "A"\nmax_share = 2\n'},
                 "r.toml:5:", "max_share", id="max-share-out-of-range"),
]


@pytest.mark.parametrize(("files", "where", "message"), BROKEN)
def test_broken_rule_file_is_refused_before_anything_runs(
        tmp_path: Path, files: dict[str, str], where: str, message: str):
    rules = write_rules(tmp_path, files)
    raw = make_raw(tmp_path, {})
    run = clean_checked(raw, tmp_path / "out", "--rules", rules)
    assert run.code == 2, run.err
    assert not (tmp_path / "out").exists()
    (line,) = [line for line in run.err.splitlines() if line.strip()]
    assert line.startswith(f"clean: bad rule file: {rules}/{where}"), line
    assert message in line


def test_broken_rule_file_is_refused_for_explain_and_list_rules_too(tmp_path: Path):
    rules = write_rules(tmp_path, {"r.toml": '[[rule]]\nid = "x"\nkind = "drop"\n'})
    raw = make_raw(tmp_path, {})
    for args in (["--list-rules"], ["--explain", raw / "good.txt"]):
        run = run_cli(*args, "--rules", rules)
        assert run.code == 2
        assert f"{rules}/r.toml:1: rule 'x': missing required key 'match'" in run.err
        assert run.out == ""


# --- max_share: a bad rule cannot blank a corpus ----------------------------------------


LAST_LINE_HEADER = ('[[rule]]\nid = "greedy-header"\nkind = "header"\n'
                    "match = 'Last line of the article\\.'\n{extra}")


def _greedy_corpus(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    rules = write_rules(tmp_path, {"greedy.toml": LAST_LINE_HEADER.format(extra=extra)})
    raw = make_raw(tmp_path, {
        f"doc{i}.txt": article() + b"\n\nLast line of the article.\n" for i in range(3)})
    return rules, raw


def test_rule_removing_more_than_max_share_is_skipped_with_a_warning(tmp_path: Path):
    rules, raw = _greedy_corpus(tmp_path)
    run = clean_checked(raw, tmp_path / "out", "--rules", rules, "--format", "json")
    assert run.code == 0, run.err
    for i in range(3):
        record = json.loads((tmp_path / "out" / f"doc{i}.json").read_text("utf-8"))
        assert "The council met" in record["text"]
        assert not any(r["rule"] == "greedy-header" for r in record["removed"])
        assert (f"{raw / f'doc{i}.txt'}: warning: rule greedy-header ({rules}/greedy.toml:1) "
                "skipped: it would remove") in run.err
        assert "(max_share 0.5)" in run.err


def test_max_share_option_lifts_the_limit(tmp_path: Path):
    rules, raw = _greedy_corpus(tmp_path)
    run = clean_checked(raw, tmp_path / "out", "--rules", rules, "--format", "json",
                        "--max-share", "1")
    assert run.code == 0, run.err
    assert "skipped: it would remove" not in run.err
    record = json.loads((tmp_path / "out" / "doc0.json").read_text("utf-8"))
    assert "The council met" not in record["text"]
    assert any(r["rule"] == "greedy-header" for r in record["removed"])


def test_rule_max_share_key_overrides_the_run_limit(tmp_path: Path):
    rules, raw = _greedy_corpus(tmp_path, extra="max_share = 1.0\n")
    run = clean_checked(raw, tmp_path / "out", "--rules", rules, "--format", "json")
    assert run.code == 0, run.err
    record = json.loads((tmp_path / "out" / "doc0.json").read_text("utf-8"))
    assert "The council met" not in record["text"]
    # And a stricter rule limit wins over a looser run limit.
    rules, raw = _greedy_corpus(tmp_path / "strict", extra="max_share = 0.1\n")
    run = clean_checked(raw, tmp_path / "strict" / "out", "--rules", rules, "--max-share", "1")
    assert "(max_share 0.1)" in run.err
    assert "The council met" in (tmp_path / "strict" / "out" / "doc0.txt").read_text("utf-8")
