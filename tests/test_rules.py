"""cleaner.rules: loading, validation messages, each kind, sites, safety (max_share,
regex timeouts), and the seed samples end to end.

Most cases are data: tests/cases/rules/apply.toml and errors.toml (fields: README.md there).
"""

from __future__ import annotations

import dataclasses
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from cleaner.document import Document, Paragraph
from cleaner.rules import Rule, RuleError, RuleSet, load_rules, shipped_rules_dir

CASES = Path(__file__).parent / "cases" / "rules"
REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"


def _table(name: str) -> list[dict[str, Any]]:
    return tomllib.loads((CASES / name).read_text(encoding="utf-8"))["case"]


def _params(name: str) -> list[Any]:
    return [pytest.param(case, id=case["id"],
                         marks=[pytest.mark.xfail(reason=case["xfail"], strict=True)]
                         if "xfail" in case else [])
            for case in _table(name)]


def _paragraph(text: str) -> Paragraph:
    return Paragraph(text[2:], "li") if text.startswith("- ") else Paragraph(text)


def _render(paragraph: Paragraph) -> str:
    return ("- " if paragraph.kind == "li" else "") + paragraph.text


def _rules_from(tmp_path: Path, text: str, name: str = "case.toml") -> RuleSet:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir(exist_ok=True)
    (rules_dir / name).write_text(text, encoding="utf-8")
    return load_rules([rules_dir], shipped=False)


# --- apply cases ------------------------------------------------------------------------

@pytest.mark.parametrize("prefilter_after", [0, 8], ids=["prefilter", "first-documents"])
@pytest.mark.parametrize("case", _params("apply.toml"))
def test_apply_case(case: dict[str, Any], prefilter_after: int, tmp_path: Path) -> None:
    # Both ways a document meets the rules: through the scan (`candidates.py`), and tried
    # on every paragraph (the first documents of a run, before the scan is built).
    rules = dataclasses.replace(_rules_from(tmp_path, case["rules"]),
                                prefilter_after=prefilter_after)
    doc = Document(case.get("source", "page.txt"), [_paragraph(t) for t in case["paragraphs"]],
                   url=case.get("url"), language=case.get("language"))
    for key, value in case.get("before", {}).items():
        setattr(doc, key, value)
    rules.apply(doc, max_share=case.get("max_share", 0.5))
    assert [_render(p) for p in doc.kept()] == case["kept"]
    assert doc.author == case.get("author")
    assert doc.date == case.get("date")
    assert doc.extra.get("date_updated") == case.get("date_updated")
    assert doc.site == case.get("site")
    expected_warnings = case.get("warnings", [])
    for expected in expected_warnings:
        expected = expected.replace("{file}", str(tmp_path / "rules" / "case.toml"))
        assert any(expected in warning for warning in doc.warnings), doc.warnings
    if not expected_warnings:
        assert doc.warnings == []
    # Never deleted: every paragraph is still there, and each drop has its Removal.
    assert len(doc.paragraphs) == len(case["paragraphs"])
    for paragraph in doc.paragraphs:
        if paragraph.dropped is not None:
            assert paragraph.dropped in doc.removed
            assert paragraph.dropped.where.startswith(str(tmp_path / "rules" / "case.toml:"))


# --- error messages ---------------------------------------------------------------------

@pytest.mark.parametrize("case", _params("errors.toml"))
def test_error_message(case: dict[str, Any], tmp_path: Path) -> None:
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / case.get("name", "a.toml")).write_text(case["file"].lstrip("\n"),
                                                        encoding="utf-8")
    if "other" in case:
        (directory / "b.toml").write_text(case["other"].lstrip("\n"), encoding="utf-8")
    with pytest.raises(RuleError) as raised:
        load_rules([directory], shipped=False)
    assert str(raised.value) == case["error"].replace("{dir}", str(directory))


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_bytes(b'[[rule]]\nid = "caf\xe9"\n')
    with pytest.raises(RuleError) as raised:
        load_rules([tmp_path], shipped=False)
    assert str(raised.value) == (f"{tmp_path}/a.toml:2: not UTF-8 text (byte 18); "
                                 "rule files are UTF-8 TOML")


def test_duplicate_of_a_shipped_rule_names_both_places(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('[[rule]]\nid = "menu-line"\nkind = "drop"\n'
                                        "match = 'Menu'\n", encoding="utf-8")
    shipped = next(r for r in load_rules().rules if r.id == "menu-line")
    with pytest.raises(RuleError) as raised:
        load_rules([tmp_path])
    assert str(raised.value) == (f"{tmp_path}/mine.toml:1: duplicate rule id 'menu-line' "
                                 f"(first defined at {shipped.where})")


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"nope: no such rules directory$"):
        load_rules([tmp_path / "nope"], shipped=False)


def test_readme_next_to_rules_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# my rules\n", encoding="utf-8")
    (tmp_path / ".hidden.toml").write_text("not toml", encoding="utf-8")
    assert load_rules([tmp_path], shipped=False).rules == []


# --- API details ------------------------------------------------------------------------

def test_where_and_line_numbers(tmp_path: Path) -> None:
    rules = _rules_from(tmp_path, '# intro\n\n[[rule]]\nid = "a"\nkind = "drop"\nmatch = "x"\n'
                                  '\n[[rule]]\nid = "b"\nkind = "drop"\nmatch = """\ny"""\n'
                                  '\n[[rule]] # c\nid = "c"\nkind = "drop"\nmatch = "z"\n')
    assert [(r.id, r.where) for r in rules.rules] == [
        ("a", f"{tmp_path}/rules/case.toml:3"),
        ("b", f"{tmp_path}/rules/case.toml:8"),
        ("c", f"{tmp_path}/rules/case.toml:14"),
    ]


def test_shipped_rules_shown_relative_to_rules_root() -> None:
    rules = load_rules()
    assert shipped_rules_dir().is_dir()
    assert all(r.where.startswith("rules/") for r in rules.rules)
    assert any(r.where.startswith("rules/sites/") for r in rules.rules)
    assert all(isinstance(r, Rule) for r in rules.rules)


def test_fingerprint_follows_file_content(tmp_path: Path) -> None:
    first = _rules_from(tmp_path, '[[rule]]\nid = "a"\nkind = "drop"\nmatch = "x"\n')
    same = load_rules([tmp_path / "rules"], shipped=False)
    changed = _rules_from(tmp_path, '[[rule]]\nid = "a"\nkind = "drop"\nmatch = "y"\n')
    assert first.fingerprint == same.fingerprint != changed.fingerprint
    assert len(first.fingerprint) == 64
    assert load_rules().fingerprint != first.fingerprint


def test_a_single_rule_file_can_be_passed(tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text('[[rule]]\nid = "a"\nkind = "drop"\nmatch = "x"\n', encoding="utf-8")
    assert [r.where for r in load_rules([path], shipped=False).rules] == [f"{path}:1"]


# --- regex timeouts ---------------------------------------------------------------------

CATASTROPHIC = '''
[[rule]]
id = "menu"
kind = "drop"
match = 'Menu'

[[rule]]
id = "backtracker"
kind = "replace"
match = '(a|aa)+$'
replacement = ""

[[rule]]
id = "share"
kind = "drop"
match = 'Share'
'''


def test_catastrophic_backtracking_times_out_and_other_rules_still_apply(tmp_path: Path
                                                                         ) -> None:
    rules = _rules_from(tmp_path, CATASTROPHIC)
    rules.timeout = 0.2  # keep the test quick; the default is 1 s
    body = "a" * 60 + "!"
    doc = Document("page.txt", [Paragraph("Menu"), Paragraph(body), Paragraph("Share"),
                                Paragraph("The article text, long enough to keep the share "
                                          "of removed text small.")])
    started = time.monotonic()
    rules.apply(doc)
    assert time.monotonic() - started < 5
    assert [p.text for p in doc.kept()] == [body, doc.paragraphs[3].text]
    assert len(doc.warnings) == 1
    warning = doc.warnings[0]
    assert "backtracker" in warning and "case.toml:7" in warning and "timed out" in warning


def test_catastrophic_line_pattern_times_out_in_prefilter_too(tmp_path: Path) -> None:
    # As a whole-line pattern it ends in a class: with a literal end (`a`), the prefilter
    # would rule the line out before any regex ran.
    rules = dataclasses.replace(_rules_from(
        tmp_path, CATASTROPHIC.replace('kind = "replace"', 'kind = "drop"')
        .replace('replacement = ""\n', "").replace("(a|aa)+$", "(a|aa)+\\s")), prefilter_after=0)
    rules.timeout = 0.2
    doc = Document("page.txt", [Paragraph("Menu"), Paragraph("a" * 60 + "!"),
                                Paragraph("Share"), Paragraph("Body text " * 10)])
    rules.apply(doc)
    assert [p.dropped.rule for p in doc.paragraphs if p.dropped] == ["menu", "share"]
    assert len(doc.warnings) == 1 and "backtracker" in doc.warnings[0]


# --- shipped rules on the seed samples (normalized by hand, as the normalizer will) ------

def _sample(stem: str, language: str) -> Document:
    path = next(RAW.glob(stem + "_*.txt"))
    text = path.read_text(encoding="utf-8").replace("\u00a0", " ")
    paragraphs = []
    for line in text.split("\n"):
        line = line.strip().removeprefix("📍").strip()
        if line.startswith(("• ", "- ")):
            paragraphs.append(Paragraph(line[2:], "li"))
        elif line:
            paragraphs.append(Paragraph(line))
    return Document(path.name, paragraphs, language=language)


SHIPPED = dataclasses.replace(load_rules(), prefilter_after=0)  # prefilter on at once


def _applied(stem: str, language: str) -> Document:
    doc = _sample(stem, language)
    SHIPPED.apply(doc)
    assert doc.warnings == []
    return doc


def _dropped(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs if p.dropped is not None]


def test_sample_000_nothing_dropped() -> None:
    assert _dropped(_applied("000", "fr")) == []


def test_sample_001_menu_and_accessibility() -> None:
    assert _dropped(_applied("001", "fr")) == ["Menu Menu", "Accessibilité"]


def test_sample_002_date_reading_time_and_techpoint_trailer() -> None:
    doc = _applied("002", "en")
    dropped = _dropped(doc)
    assert dropped[:2] == ["April 3, 2024", "2 min read"]
    assert dropped[2] == "Subscribe To Techpoint Digest"
    assert dropped[-1] == "Techpremier Media Limited. All rights reserved"
    assert doc.kept()[-1].text.startswith("The report also revealed")
    assert doc.date == "2024-04-03"
    assert doc.site == "techpoint.africa"


def test_sample_003_datelines_and_correction_link() -> None:
    doc = _applied("003", "en")
    assert _dropped(doc) == ["2024-04-12 08:10:46", "Last updated: April 4, 2024 – 04:02",
                             "Suggest a correction", "2024-04-12 08:10:46"]
    assert doc.date == "2024-04-12T08:10:46"
    assert doc.extra["date_updated"] == "2024-04-04T04:02:00"


def test_sample_004_widgets_promo_byline_bio_and_translation_leftover() -> None:
    doc = _applied("004", "en")
    dropped = _dropped(doc)
    assert dropped[:3] == ["Spread the love", "© Meta", "To not miss any news from "
                           "Presse-citron, follow us on Google News and WhatsApp."]
    assert dropped[3:6] == ["14.5 M reviews", "Teilor Stone", "By Teilor Stone"]
    assert dropped[6].startswith("Teilor Stone has been a reporter")
    assert len(dropped) == 7
    assert doc.author == "Teilor Stone"
    body = doc.body_text()
    assert "- This one, completely confidential, is revealed" in body
    assert "Celui" not in body
    replaced = [r for r in doc.removed if r.kind == "replace"]
    assert [(r.rule, r.text, r.note) for r in replaced] == [
        ("mt-demonstrative-this-one", "Celui- this", "This one")]


def test_techpoint_rules_do_not_apply_to_another_page() -> None:
    doc = _sample("003", "en")
    doc.paragraphs.append(Paragraph("Other Stories"))
    SHIPPED.apply(doc)
    assert doc.site is None
    assert "Other Stories" in [p.text for p in doc.kept()]


def test_a_hundred_rules_each_fire_only_on_their_own_paragraph(tmp_path: Path) -> None:
    lines = []
    for n in range(100):
        lines += [f'[[rule]]\nid = "r{n}"\nkind = "drop"\n'
                  f"match = '(?i)(?:widget number {n}|button {n} here)'\n"]
    rules = dataclasses.replace(_rules_from(tmp_path, "\n".join(lines)), prefilter_after=0)
    prose = [f"An ordinary article sentence number {n} that no rule is about to match."
             for n in range(30)]
    for n in (0, 7, 70, 99):
        doc = Document("p.txt", [Paragraph(t) for t in [*prose, f"Widget Number {n}",
                                                         f"button {n} here", "widget number"]])
        rules.apply(doc)
        assert [(p.text, p.dropped.rule) for p in doc.paragraphs if p.dropped] == [
            (f"Widget Number {n}", f"r{n}"), (f"button {n} here", f"r{n}")]



@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_prefilter_changes_nothing_but_speed(stem: str) -> None:
    """The combined-regex shortcut must give exactly what rule-by-rule matching gives."""
    fast, slow = _sample(stem, "en"), _sample(stem, "en")
    SHIPPED.apply(fast)
    unfiltered = RuleSet(SHIPPED.rules, SHIPPED.fingerprint, prefilter=False)
    unfiltered.apply(slow)
    assert fast.removed == slow.removed
    assert [p.text for p in fast.paragraphs] == [p.text for p in slow.paragraphs]
