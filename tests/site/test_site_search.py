"""Vietnamese search in the built bundled site, in real headless Chromium from file://.

Every result is checked against the built search index with a rule written here independently of the
worker: a syllable typed without diacritics matches a whole syllable with or without them (đ → d), one
typed with diacritics matches exactly; a result must hold every syllable; the whole phrase ranks first."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from generator.text import fold
from tests.site.conftest import RecordingPage, file_url

WORD = re.compile(r"[^\W_]+")
GAP = re.compile(r"[\s\-–]*")
QUERIES = ["lệ phí", "le phi", "đăng ký", "dang ky", "hồ sơ", "ho so", "tạm trú", "tam tru", "mã hồ sơ",
           "ma ho so", "chữ ký số", "chu ky so", "định danh điện tử", "dinh danh dien tu"]


def same(typed: str, word: str) -> bool:
    typed, word = typed.lower(), word.lower()
    return fold(word) == typed if fold(typed) == typed else word == typed


def holds_all(text: str, query: str) -> bool:
    words = WORD.findall(text)
    return all(any(same(q, w) for w in words) for q in query.split())


def holds_phrase(text: str, query: str) -> bool:
    syllables = query.split()
    found = list(WORD.finditer(text))
    for i in range(len(found) - len(syllables) + 1):
        window = found[i:i + len(syllables)]
        if all(same(q, m.group()) for q, m in zip(syllables, window, strict=True)) and all(
                GAP.fullmatch(text[a.end():b.start()]) for a, b in zip(window, window[1:], strict=False)):
            return True
    return False


@pytest.fixture(scope="module")
def index(bundled_site: Path) -> dict[str, str]:
    data = json.loads((bundled_site / "search/search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: f"{doc['title']} {doc['text']}" for doc in data["docs"]}


def run_search(page: Page, query: str) -> None:
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)  # Material listens to key events, as a user types
    box.press("End")  # an input method's last keystroke
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ trang phù hợp"), timeout=15000)
    page.wait_for_function("""q => { const a = document.querySelector('.md-search-result__link');
        return a && new URL(a.href).searchParams.get('h') === q; }""", arg=query, timeout=15000)


def results(page: Page, site: Path) -> list[dict]:
    """Every matched result in the list (the page headers Material adds without a match have score 0).

    ``shown``: the result shows its matched text; a page matched too but shown only as the header of a better
    section of the same page is context, not one of the ranked results."""
    rows = page.locator(".md-search-result__link").evaluate_all("""links => links.map(a => ({
        href: a.href, score: parseFloat(a.querySelector('article').dataset.mdScore),
        hidden: !!a.closest('details:not([open])'), shown: !!a.querySelector('article p, article mark'),
        marks: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)}))""")
    base = site.resolve().as_uri() + "/"
    for row in rows:
        parts = urlsplit(row["href"])
        row["h"] = parse_qs(parts.query)["h"][0]
        row["location"] = parts.path.removeprefix(urlsplit(base).path) + (f"#{parts.fragment}" if parts.fragment else "")
    return [r for r in rows if r["score"] > 0]


def test_every_result_holds_the_query_and_the_phrase_ranks_first(bundled_site: Path, index: dict[str, str],
                                                                  recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(bundled_site / "index.html"))
    for query in QUERIES:  # one page, as a learner trying several searches (and one index load)
        check_query(page, bundled_site, index, query)
    assert recording_page.external_requests() == []


def check_query(page: Page, bundled_site: Path, index: dict[str, str], query: str) -> None:
    run_search(page, query)
    found = results(page, bundled_site)
    assert len(found) >= 3, found
    for row in found:  # all of them, not only the first five: no section with some syllables only
        assert row["h"] == query
        assert holds_all(index[row["location"]], query), (query, row["location"])
    visible = [r for r in found if not r["hidden"] and r["shown"]][:5]
    phrase = [holds_phrase(index[r["location"]], query) for r in visible]
    assert phrase == sorted(phrase, reverse=True), (query, visible)  # no phrase result below one without
    with_phrase = sum(holds_phrase(text, query) for text in index.values())
    assert all(phrase[:min(5, with_phrase)]), (query, visible)
    for row in visible:
        assert row["marks"], row
        for mark in row["marks"]:  # the highlighted words are the typed ones, whole syllables
            for word in WORD.findall(mark):
                assert any(same(q, word) for q in query.split()), (query, mark)


def test_no_truncated_syllable_is_highlighted_in_the_page(bundled_site: Path, recording_page: RecordingPage) -> None:
    """The first result of "le phi" opened: the page marks "lệ phí" (and "phí"), never "ph" in "phía"."""
    page = recording_page.page
    page.goto(file_url(bundled_site / "index.html"))
    run_search(page, "le phi")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"[?&]h=le\+phi"))
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()
    marks = page.locator("article mark[data-md-highlight]").all_inner_texts()
    assert marks and {fold(m) for m in marks} <= {"le", "phi"}, marks
    assert "lệ" in {m.lower() for m in marks} and "phí" in {m.lower() for m in marks}


def test_index_is_plain_text_and_lunr_is_gone(bundled_site: Path, mini_site: Path) -> None:
    for site in (bundled_site, mini_site):
        data = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
        assert data["docs"] and all("folded" not in d for d in data["docs"])
        assert not [d["location"] for d in data["docs"] if re.search(r"</?(?:p|code|strong|a|li|table)\b", d["text"])]
        assert not (site / "assets/javascripts/lunr").exists()
        worker = next((site / "assets/javascripts/workers").glob("search.*.min.js")).read_text(encoding="utf-8")
        assert "coursegenSearch" in worker
