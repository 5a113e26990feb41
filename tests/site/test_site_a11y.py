"""Accessibility and layout of every page template, in real headless Chromium from file://.

axe-core (npm, installed by ``scripts/setup.sh test`` into ``.tools/``) runs with the WCAG 2.0/2.1 A and
AA rules over: home, catalogue, course, a lesson with every question type answered (right and wrong),
the final check, a guide, the 404 page and the coverage dashboard. Each is also laid out at 360×740 and
1280×900 with no horizontal scrolling; the screenshots go to ``COURSEGEN_SHOTS`` when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import REPO
from tests.coverage.test_coverage_dashboard import built  # noqa: F401  (the dashboard site fixture)
from tests.site.conftest import RecordingPage, file_url

AXE = REPO / ".tools/node_modules/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BUNDLED = {
    "home": "index.html",
    "catalogue": "khoa-hoc/index.html",
    "course": "khoa-hoc/thpt-dvctt/index.html",
    "lesson": "khoa-hoc/thpt-dvctt/bai-hoc/05-thanh-toan-theo-doi-nhan-ket-qua.html",
    "final": "khoa-hoc/thpt-dvctt/kiem-tra-cuoi-khoa.html",
    "guide": "trang-hoc.html",
    "404": "404.html",
}
LESSON_1 = "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html"
LESSON_2 = "khoa-hoc/mini-dvc/bai-hoc/02-dang-nhap.html"


def question(page: Page, qid: str):
    return page.locator(f'fieldset[data-qid="{qid}"]')


def answer_lesson_1(page: Page) -> None:
    """single (wrong), multiple (right), true/false (wrong): every kind of mark shows."""
    q = question(page, "mini-c001")
    q.get_by_label("Dịch vụ bán hàng qua mạng").check()
    q.get_by_role("button", name="Kiểm tra").click()
    q = question(page, "mini-c002")
    for label in ("Không phải xếp hàng", "Nộp hồ sơ mọi lúc", "Theo dõi được tình trạng hồ sơ"):
        q.get_by_label(label).check()
    q.get_by_role("button", name="Kiểm tra").click()
    q = question(page, "mini-c003")
    q.get_by_label("Đúng", exact=True).check()
    q.get_by_role("button", name="Kiểm tra").click()


def answer_lesson_2(page: Page) -> None:
    """cloze (wrong), ordering (as shown, wrong), single (right)."""
    q = question(page, "mini-c004")
    q.get_by_label("Chỗ trống 1").fill("mật khẩu")
    q.get_by_role("button", name="Kiểm tra").click()
    question(page, "mini-c005").get_by_role("button", name="Kiểm tra").click()
    q = question(page, "mini-c006")
    q.get_by_label("Không ai cả").check()
    q.get_by_role("button", name="Kiểm tra").click()


def serious(page: Page) -> list[tuple[str, str, int]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
        .violations.map(v => [v.id, v.impact, v.nodes.length])""", TAGS)
    return [tuple(v) for v in found if v[1] in ("serious", "critical")]


def templates(bundled: Path, mini: Path, dashboard: Path) -> list[tuple[str, Path, object]]:
    rows: list[tuple[str, Path, object]] = [(name, bundled / uri, None) for name, uri in BUNDLED.items()]
    rows += [("lesson answered (single, multiple, true/false)", mini / LESSON_1, answer_lesson_1),
             ("lesson answered (cloze, ordering, single)", mini / LESSON_2, answer_lesson_2),
             ("dashboard", dashboard / "do-phu/index.html", None)]
    return rows


@pytest.fixture(scope="module")
def dashboard_site(built) -> Path:  # noqa: F811
    return built[1]


def test_axe_finds_nothing_serious_on_any_template(bundled_site: Path, mini_site: Path, dashboard_site: Path,
                                                   recording_page: RecordingPage) -> None:
    assert AXE.is_file(), "scripts/setup.sh test installs axe-core into .tools/"
    page = recording_page.page
    table = {}
    for name, path, act in templates(bundled_site, mini_site, dashboard_site):
        page.goto(file_url(path))
        page.evaluate("localStorage.clear()")
        if act is not None:
            act(page)
        table[name] = serious(page)
    print("\naxe-core (WCAG 2.1 A/AA), serious or critical violations per template:")
    for name, found in table.items():
        print(f"  {name:50} {found or 0}")
    assert {name: found for name, found in table.items() if found} == {}
    assert recording_page.external_requests() == []


@pytest.mark.parametrize("size", [(360, 740), (1280, 900)])
def test_no_template_scrolls_sideways(bundled_site: Path, mini_site: Path, dashboard_site: Path,
                                      recording_page: RecordingPage, size: tuple[int, int]) -> None:
    page = recording_page.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    shots = os.environ.get("COURSEGEN_SHOTS")
    wide = {}
    for name, path, act in templates(bundled_site, mini_site, dashboard_site):
        page.goto(file_url(path))
        if act is not None:
            act(page)
        width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide[name] = width
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name.split(' (')[0]}-{'-'.join(name.split(' (')[1:])[:20]}-{size[0]}.png"
                                 .replace(" ", "_").replace(",", "").replace("/", "")), full_page=True)
    assert wide == {}


def test_feedback_marks_chosen_and_right_options_in_words(mini_site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(mini_site / LESSON_1))
    answer_lesson_1(page)
    q = question(page, "mini-c001")
    chosen = q.locator("label.cg-chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Dịch vụ bán hàng qua mạng")
    expect(chosen.locator(".cg-mark")).to_have_text("✘ Bạn chọn: chưa đúng")
    right = q.locator("label.cg-is-right")
    expect(right).to_contain_text("Dịch vụ hành chính công cung cấp qua môi trường mạng")
    expect(right.locator(".cg-mark")).to_have_text("✔ Đáp án đúng")
    expect(q.locator(".cg-feedback")).to_contain_text("✘ Chưa đúng")
    expect(question(page, "mini-c002").locator(".cg-mark")).to_have_text(["✔ Bạn chọn: đúng"] * 3)
    q.get_by_role("button", name="Làm lại").click()
    expect(q.locator(".cg-mark")).to_have_count(0)


def test_ordering_buttons_disabled_at_the_ends_and_reset_restores(mini_site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(file_url(mini_site / LESSON_2))
    q = question(page, "mini-c005")
    shown = q.locator(".cg-step-text").all_inner_texts()
    expect(q.locator(".cg-step").first.locator(".cg-up")).to_be_disabled()
    expect(q.locator(".cg-step").last.locator(".cg-down")).to_be_disabled()
    expect(q.locator(".cg-step").first.locator(".cg-down")).to_be_enabled()
    q.locator(".cg-step").first.locator(".cg-down").click()
    assert q.locator(".cg-step-text").all_inner_texts() != shown
    expect(q.locator(".cg-step").first.locator(".cg-up")).to_be_disabled()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-step .cg-mark").first).to_contain_text("vị trí")
    q.get_by_role("button", name="Làm lại").click()
    assert q.locator(".cg-step-text").all_inner_texts() == shown
    tops = q.locator(".cg-step").evaluate_all(
        "steps => steps.map(li => Array.from(li.querySelectorAll('button')).map(b => b.getBoundingClientRect().top))")
    assert all(len(set(row)) == 1 for row in tops), tops  # ▲ and ▼ side by side, aligned
    text_width = q.locator(".cg-step-text").first.evaluate("e => e.getBoundingClientRect().width")
    assert text_width >= 190, text_width
