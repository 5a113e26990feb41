"""The multiple-choice card's shuffling, run in a real browser the way Anki's reviewer runs card HTML.

Anki's reviewer keeps one page and swaps the card HTML in, running its scripts; front and back are two such
swaps. The cards come from the built deck as rendered by the official Anki library.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from playwright.sync_api import Browser, Page

from tests.browser import REVIEWER, SHOW
from tests.decks.conftest import build_decks, import_package

STATE = """() => ({
  options: Array.from(document.querySelectorAll('.cg-options li')).map(li => [
    li.getAttribute('data-key'), li.querySelector('.cg-letter').textContent,
    li.querySelector('.cg-text').textContent, li.classList.contains('cg-correct')]),
  answers: Array.from(document.querySelectorAll('.cg-answers li')).map(li => [
    li.getAttribute('data-key'), li.querySelector('.cg-letter').textContent])
})"""


@pytest.fixture
def cards(mini_project: Path, tmp_path: Path, fresh_collection: Collection) -> dict[str, tuple[str, str]]:
    build_decks(mini_project, tmp_path / "site")
    import_package(fresh_collection, tmp_path / "site" / "downloads" / "anki" / "mini-dvc.apkg")
    result = {}
    for card_id in fresh_collection.find_cards(""):
        card = fresh_collection.get_card(card_id)
        result[card.note()["Mã câu hỏi"]] = (card.question(), card.answer())
    return result


def reviewer(browser: Browser, scripts: bool = True) -> Page:
    page = browser.new_context(java_script_enabled=scripts).new_page()
    page.set_content(REVIEWER)
    return page


def check_consistent(state: dict, correct_keys: set[str]) -> None:
    """Letters run A, B, C… down the list and the answer names the same letters as the list shows."""
    letters = [letter for _, letter, _, _ in state["options"]]
    assert letters == [f"{chr(65 + i)}." for i in range(len(letters))]
    shown = {key: letter for key, letter, _, _ in state["options"]}
    assert {key for key, _ in state["answers"]} == correct_keys
    assert all(shown[key] == letter for key, letter in state["answers"])


def test_front_shuffles_and_back_replays_the_same_order(browser: Browser, cards: dict):
    front, back = cards["mini-c002"]  # four options, three correct
    page = reviewer(browser)
    orders = set()
    for _ in range(12):
        page.evaluate(SHOW, front)
        on_front = page.evaluate(STATE)
        assert not any(correct for *_, correct in on_front["options"]), "the front must not reveal the answer"
        page.evaluate(SHOW, back)
        on_back = page.evaluate(STATE)
        assert [o[:3] for o in on_back["options"]] == [o[:3] for o in on_front["options"]]
        check_consistent(on_back, {"A", "B", "D"})
        assert {key for key, *_, correct in on_back["options"] if correct} == {"A", "B", "D"}
        orders.add(tuple(key for key, *_ in on_front["options"]))
    assert len(orders) > 1, "twelve fronts in the same order: the options are not shuffled"


def test_fixed_order_question_is_never_shuffled(browser: Browser, cards: dict):
    front, back = cards["mini-c006"]
    page = reviewer(browser)
    for _ in range(8):
        page.evaluate(SHOW, front)
        assert [key for key, *_ in page.evaluate(STATE)["options"]] == ["A", "B", "C"]
    page.evaluate(SHOW, back)
    check_consistent(page.evaluate(STATE), {"C"})


@pytest.mark.parametrize("scripts", [False, True], ids=["no-scripts", "order-lost"])
def test_back_without_scripts_or_saved_order_still_shows_the_right_answer(browser: Browser, cards: dict,
                                                                          scripts: bool):
    _, back = cards["mini-c002"]
    page = reviewer(browser, scripts=scripts)
    page.evaluate(SHOW, back) if scripts else page.set_content(REVIEWER.replace("<div id='qa'></div>", back))
    state = page.evaluate(STATE)
    assert [key for key, *_ in state["options"]] == ["A", "B", "C", "D"]
    check_consistent(state, {"A", "B", "D"})
    text = page.inner_text("body")
    assert "Đáp án" in text and "B. Nộp hồ sơ mọi lúc" in text and "Giải thích" in text
