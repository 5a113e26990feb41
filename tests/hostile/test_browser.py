"""The site and the Anki cards built from injected sources, opened in a real headless Chromium: every page is
loaded, every quiz is answered and checked (which shows the explanations), the search lists the injected
titles; no injected script, event handler or script URL ever runs.

Each payload calls ``window.__pwned.push(<case name>)``; ``alert``, ``confirm`` and ``prompt`` are watched too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from playwright.sync_api import Browser, Page

from tests.browser import REVIEWER, SHOW
from tests.decks.conftest import import_package
from tests.site.conftest import RecordingPage, file_url

WATCH = """(() => {
  window.__pwned = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (...args) => { window.__pwned.push(name + ":" + args.join(",")); };
  }
})();"""
# Markup that would run: what the page has after every script of the site (and the quiz script) ran.
LIVE = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/\\s+/g, "").toLowerCase();
      if (attr.name.startsWith("on") || (["href", "src", "action", "formaction"].includes(attr.name)
          && (value.startsWith("javascript:") || value.startsWith("data:text/html")))) {
        found.push(el.tagName + " " + attr.name + "=" + attr.value);
      }
    }
    if (el.tagName === "SCRIPT" && el.textContent.includes("__pwned")
        && !["application/json"].includes((el.getAttribute("type") || "").toLowerCase())) {
      found.push("SCRIPT " + el.textContent.slice(0, 60));
    }
  }
  return found;
}"""
ANSWER_ALL = """() => {
  for (const q of document.querySelectorAll("fieldset.cg-question")) {
    const choice = q.querySelector("input[type=radio], input[type=checkbox]");
    if (choice) choice.click();
    for (const blank of q.querySelectorAll("input.cg-blank")) blank.value = "VNeID";
    const down = q.querySelector("button.cg-down");
    if (down) down.click();
    q.querySelector("button.cg-check").click();
  }
  return document.querySelectorAll(".cg-feedback:not(:empty)").length;
}"""


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def open_watched(recording_page: RecordingPage, url: str) -> Page:
    page = recording_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.context.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_load_state("load")
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return page


def assert_nothing_ran(page: Page, where: str) -> None:
    page.wait_for_timeout(50)  # let onerror of broken images and timers fire
    assert page.evaluate("window.__pwned") == [], f"{where}: injected code ran"
    assert page.dialogs == [], f"{where}: a dialog opened: {page.dialogs}"  # type: ignore[attr-defined]
    assert page.evaluate(LIVE) == [], f"{where}: live injected markup in the page"


def test_every_page_and_quiz_with_injected_content_runs_no_script(injected_site: Path,
                                                                   recording_page: RecordingPage):
    pages = pages_of(injected_site)
    assert len(pages) >= 6
    page = open_watched(recording_page, file_url(injected_site / "index.html"))
    # The injected text is really on the pages (as text), so the test looks where the payloads are.
    assert "i01-course-title" in page.content()
    answered = 0
    for rel in pages:
        page.goto(file_url(injected_site / rel))
        page.wait_for_load_state("load")
        if page.locator("fieldset.cg-question").count():
            answered += page.evaluate(ANSWER_ALL)
            page.wait_for_timeout(50)
            if page.locator('fieldset[data-qid="mini-c001"]').count():
                assert "i11-question-explanation" in page.locator("body").inner_text()  # the feedback shows it
        assert_nothing_ran(page, rel)
    assert answered >= 12  # every question of both lessons and of the final check got feedback
    assert recording_page.external_requests() == []


def test_search_results_for_injected_titles_run_no_script(injected_site: Path, recording_page: RecordingPage):
    page = open_watched(recording_page, file_url(injected_site / "khoa-hoc/index.html"))
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("khoa")  # the injected course title starts "Khóa <script>…"
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20_000)
    assert results.count() >= 3
    assert "i01-course-title" in page.locator(".md-search-result").inner_text()
    assert_nothing_ran(page, "search results")




@pytest.fixture
def injected_cards(injected_site: Path, tmp_path: Path) -> list[tuple[str, str, str]]:
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        log = import_package(col, injected_site / "downloads" / "anki" / "mini-dvc.apkg")
        assert len(log.new) == 6
        cards = []
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            cards.append((card.note()["Mã câu hỏi"], card.question(), card.answer()))
        return cards
    finally:
        col.close()


def test_anki_cards_with_injected_content_run_no_script(injected_cards, browser: Browser):
    """Each card's front and back as Anki's reviewer shows them: the card HTML swapped into one page and
    its scripts run (the multiple-choice shuffle), so an injected script in a field would run too."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    page.set_content(REVIEWER)
    page.evaluate(f"() => {{ {WATCH} }}")
    page.dialogs = dialogs  # type: ignore[attr-defined]
    shown = ""
    for qid, front, back in injected_cards:
        for side, html in (("front", front), ("back", back)):
            page.evaluate(SHOW, html)
            shown += page.locator("#qa").inner_text()
            assert_nothing_ran(page, f"Anki card {qid} ({side})")
    assert "i09-question-prompt" in shown and "i11-question-explanation" in shown
    context.close()
