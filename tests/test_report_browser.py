"""The review page in a real browser: headless Chromium driven by selenium + chromedriver.

Skipped when Chromium, chromedriver or selenium is missing (CI installs all three).
The corpus is the sample scrapes in raw/, cleaned with the shipped rules; the hostile
document is always added on top.
Screenshots and the report itself land in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from cleaner.document import Document
from cleaner.pipeline import clean_bytes
from cleaner.report import RuleInfo, write_report
from cleaner.report.demo import CLOSE_TEXT, IMG_TEXT, SCRIPT_TEXT, hostile_document
from cleaner.rules import load_rules

from .conftest import RAW

ARTIFACTS = Path(__file__).parent / "artifacts"
# The machine (and CI) has no network: everything that phones home must be off, or
# Chromium stalls on start-up.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)
# Rules the issue names; each must be listed and, on click, show the pieces it removed.
RULES_TO_CLICK = ("share-widget", "techpoint-digest-trailer")
WAIT = 10


def _which(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Document], Sequence[RuleInfo]]:
    """The sample corpus, cleaned as `clean raw/ OUT --report` cleans it."""
    rules = load_rules()
    docs = [clean_bytes(path.read_bytes(), path.name, rules) for path in sorted(RAW.iterdir())]
    removed_by = {r.text: r.rule for doc in docs for r in doc.removed}
    # The issue names these two removals; the rules that made them are the ones to click.
    assert removed_by["Spread the love"] == RULES_TO_CLICK[0]
    assert removed_by["Subscribe To Techpoint Digest"] == RULES_TO_CLICK[1]
    return docs, [RuleInfo(r.id, r.kind, r.where) for r in rules.rules]


@pytest.fixture(scope="module")
def report(corpus: tuple[list[Document], Sequence[RuleInfo]]) -> Path:
    docs, rules = corpus
    out = ARTIFACTS / "report"
    out.mkdir(parents=True, exist_ok=True)
    return write_report(out, [*docs, hostile_document()], rules)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = _which("CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _which("CHROMEDRIVER", "chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    # Both paths given explicitly so selenium never tries to download a driver.
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def _by() -> object:
    from selenium.webdriver.common.by import By

    return By


def wait_for(driver, css: str) -> list:
    from selenium.webdriver.support.ui import WebDriverWait

    by = _by()
    return WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(by.CSS_SELECTOR, css))


def open_page(driver, report: Path, fragment: str = "") -> None:
    driver.get(report.as_uri() + fragment)
    wait_for(driver, "main#app h1")


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"report-{name}.png"))


def severe_logs(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_overview_lists_every_rule(browser, report, corpus):
    docs, rules = corpus
    open_page(browser, report)
    rows = wait_for(browser, "tr.rule-row")
    listed = {row.get_attribute("data-rule"): row for row in rows}
    fired = {r.rule for doc in docs for r in doc.removed}
    assert {r.id for r in rules} <= set(listed)
    assert fired <= set(listed)
    for rule_id in RULES_TO_CLICK:
        assert "never" not in listed[rule_id].get_attribute("class")
    for info in rules:
        if info.id not in fired:  # never fired: still listed, greyed, with kind and where
            row = listed[info.id]
            assert "never" in row.get_attribute("class")
            assert "never fired" in row.text and info.where in row.text
    check_first = browser.find_element(_by().ID, "check-first").text
    for doc in docs:
        if not doc.kept():
            assert doc.source in check_first
    screenshot(browser, "overview")
    assert severe_logs(browser) == []


@pytest.mark.parametrize("rule_id", RULES_TO_CLICK)
def test_clicking_a_rule_lists_its_pieces(browser, report, corpus, rule_id):
    docs, _ = corpus
    open_page(browser, report)
    wait_for(browser, f'tr.rule-row[data-rule="{rule_id}"] a')[0].click()
    pieces = wait_for(browser, "li.piece del")
    shown = [p.text for p in pieces]
    expected = [r.text for doc in docs for r in doc.removed if r.rule == rule_id]
    for text in expected[:50]:  # the first chunk; texts are whole up to the preview size
        assert text.strip()[:200] in "\n".join(shown)
    sources = browser.find_element(_by().CSS_SELECTOR, "ol.pieces").text
    for doc in docs:
        if any(r.rule == rule_id for r in doc.removed):
            assert doc.source in sources
    screenshot(browser, f"rule-{rule_id}")
    assert severe_logs(browser) == []


def test_document_view_shows_removed_pieces_in_place(browser, report, corpus):
    docs, _ = corpus
    n, doc = next((i, d) for i, d in enumerate(docs) if d.removed and d.kept())
    open_page(browser, report, "#docs")
    wait_for(browser, f'tr.doc-row[data-doc="{n}"] a')[0].click()
    boxes = wait_for(browser, "article .removed-box")
    dropped = [p for p in doc.paragraphs if p.dropped is not None]
    assert len(boxes) == len(dropped)
    for box, para in zip(boxes, dropped, strict=True):
        assert box.find_element(_by().TAG_NAME, "del").text == para.text.strip()
        label = box.find_element(_by().CSS_SELECTOR, ".rm-label")
        assert para.dropped.rule in label.text and para.dropped.where in label.text
    meta = browser.find_element(_by().CSS_SELECTOR, "dl.meta").text
    for value in (doc.title, doc.date, doc.author, doc.language):
        assert (value or "not found") in meta
    screenshot(browser, "document")
    assert severe_logs(browser) == []


def test_hostile_document_shows_markup_as_text(browser, report):
    open_page(browser, report, "#docs")
    search = wait_for(browser, ".toolbar input")[0]
    search.send_keys("hostile")
    wait_for(browser, "tr.doc-row a")[0].click()
    article = wait_for(browser, "article.article")[0]
    text = article.text
    for needle in (SCRIPT_TEXT, IMG_TEXT, CLOSE_TEXT):
        assert needle in text
    assert "{{JS}}" in text
    meta = browser.find_element(_by().CSS_SELECTOR, "dl.meta").text
    assert SCRIPT_TEXT in meta and "<i>en</i>" in meta
    state = browser.execute_script(
        """return {
          pwned: typeof window.__pwned,
          imgs: document.querySelectorAll("img").length,
          injected: document.querySelectorAll("main b, main i, a[href^='javascript']").length,
          scripts: Array.from(document.scripts).filter(
            (s) => s.id !== "report-index" && s.textContent.includes("__pwned")).length,
        };"""
    )
    assert state == {"pwned": "undefined", "imgs": 0, "injected": 0, "scripts": 0}
    screenshot(browser, "hostile")
    # And in the rule view, where the same text is listed as a removed piece.
    open_page(browser, report, "#rule=share-widget")
    pieces = "\n".join(p.text for p in wait_for(browser, "li.piece del"))
    assert IMG_TEXT in pieces
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script('return document.querySelectorAll("img").length') == 0
    assert severe_logs(browser) == []
