"""The built site in a real headless Chromium, opened from file:// as a school with no network would."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.site.conftest import RecordingPage, file_url

LESSON_1 = "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html"
LESSON_2 = "khoa-hoc/mini-dvc/bai-hoc/02-dang-nhap.html"


@pytest.fixture
def site(mini_site: Path) -> Path:
    return mini_site


def question(page: Page, qid: str):
    return page.locator(f'fieldset[data-qid="{qid}"]')


def test_catalogue_course_lesson_navigation(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(site / "index.html"))
    page.locator("article").get_by_role("link", name="danh mục khóa học").click()
    expect(page.locator("h1")).to_contain_text("Danh mục khóa học")
    page.locator("article").get_by_role("link", name="Làm quen dịch vụ công trực tuyến").click()
    expect(page.locator("h1")).to_contain_text("Làm quen dịch vụ công trực tuyến")
    page.locator("article").get_by_role("link", name="Đăng nhập Cổng Dịch vụ công quốc gia").click()
    expect(page.locator("h1")).to_contain_text("Đăng nhập Cổng Dịch vụ công quốc gia")
    assert page.url.endswith(LESSON_2)
    assert recording_page.external_requests() == []


def test_wrong_then_right_answer_shows_feedback_and_explanation(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(site / LESSON_1))
    q = question(page, "mini-c001")
    feedback = q.locator(".cg-feedback")
    expect(feedback).to_have_attribute("aria-live", "polite")
    q.get_by_label("Dịch vụ bán hàng qua mạng").check()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(feedback).to_contain_text("Chưa đúng")
    expect(feedback).to_contain_text("thực hiện qua môi trường mạng")
    q.get_by_label("Dịch vụ hành chính công cung cấp qua môi trường mạng").check()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(feedback).to_contain_text("Chính xác!")
    expect(feedback).to_contain_text("Giải thích:")


def test_every_question_type_can_be_answered_by_keyboard(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(site / LESSON_1))
    # multiple choice with the keyboard: focus each correct checkbox and press space
    q = question(page, "mini-c002")
    for label in ("Không phải xếp hàng", "Nộp hồ sơ mọi lúc", "Theo dõi được tình trạng hồ sơ"):
        q.get_by_label(label).focus()
        page.keyboard.press("Space")
    q.get_by_role("button", name="Kiểm tra").focus()
    page.keyboard.press("Enter")
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")
    # true / false
    q = question(page, "mini-c003")
    q.get_by_label("Sai").check()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")

    page.goto(file_url(site / LESSON_2))
    # cloze: typed without diacritics is "nearly", then an accepted alternative is right
    q = question(page, "mini-c004")
    blank = q.get_by_label("Chỗ trống 1")
    blank.fill("dinh danh dien tu")
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-feedback")).to_contain_text("kiểm tra lại dấu")
    blank.fill("định danh điện tử")
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")
    # ordering with the ▲ buttons only, driven from the keyboard
    q = question(page, "mini-c005")
    correct = ["Mở trình duyệt và vào dichvucong.gov.vn", "Chọn Đăng nhập", "Chọn tài khoản định danh điện tử",
               "Xác nhận trên ứng dụng VNeID"]
    for target, text in enumerate(correct):
        while True:
            steps = q.locator(".cg-step-text").all_inner_texts()
            position = steps.index(text)
            if position == target:
                break
            q.get_by_role("button", name=f"Đưa bước “{text}” lên trên").focus()
            page.keyboard.press("Enter")
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")


def test_progress_survives_reload_and_moving_the_folder(site: Path, recording_page: RecordingPage, tmp_path: Path) -> None:
    page = recording_page.page
    page.goto(file_url(site / LESSON_2))
    q = question(page, "mini-c006")
    q.get_by_label("Không ai cả").check()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")
    page.reload()
    q = question(page, "mini-c006")
    expect(q.locator(".cg-feedback")).to_contain_text("Chính xác!")
    expect(q.get_by_label("Không ai cả")).to_be_checked()
    # the same course opened from another folder (a USB stick copy) shows the same progress
    moved = tmp_path / "usb" / "hoc"
    shutil.copytree(site, moved)
    page.goto(file_url(moved / LESSON_2))
    expect(question(page, "mini-c006").locator(".cg-feedback")).to_contain_text("Chính xác!")
    page.goto(file_url(moved / "khoa-hoc/mini-dvc/index.html"))
    expect(page.locator('.cg-lesson-progress[data-lesson="mini-b02"]')).to_have_text("(đã đúng 1/3 câu)")


def test_final_check_reports_score_against_pass_mark(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(site / "khoa-hoc/mini-dvc/kiem-tra-cuoi-khoa.html"))
    page.evaluate("localStorage.clear()")
    page.reload()
    q = question(page, "mini-c001")
    q.get_by_label("Dịch vụ hành chính công cung cấp qua môi trường mạng").check()
    q.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator(".cg-summary")).to_contain_text("Đã làm 1/6 câu, đúng 1 câu")


def search(page: Page, query: str) -> str:
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)  # Material listens to key events, as a user types
    results = page.locator(".md-search-result__list")
    expect(results.locator("li").first).to_be_visible(timeout=15000)
    return results.inner_text()


@pytest.mark.parametrize("query", ["đăng ký thủ tục", "dang ky thu tuc", "Đăng nhập", "dang nhap"])
def test_search_with_and_without_diacritics(site: Path, recording_page: RecordingPage, query: str) -> None:
    page = recording_page.page
    page.goto(file_url(site / "index.html"))
    text = search(page, query)
    expected = "Dịch vụ công trực tuyến là gì?" if "ky" in query or "ký" in query else "Đăng nhập Cổng Dịch vụ công quốc gia"
    assert expected in text
    assert recording_page.external_requests() == []


def test_unpacked_zip_works_offline_with_search(site: Path, recording_page: RecordingPage, tmp_path: Path) -> None:
    with zipfile.ZipFile(site / "downloads/trang-hoc-ngoai-tuyen.zip") as archive:
        archive.extractall(tmp_path)
    page = recording_page.page
    page.goto(file_url(tmp_path / "hoc-dvc" / "index.html"))
    assert "dịch vụ công trực tuyến" in page.locator("article").inner_text()
    # the copy does not offer itself (its link would be dead inside it); the published site does
    expect(page.locator("article")).to_contain_text("Bạn đang dùng bản ngoại tuyến")
    assert page.locator("a.cg-offline-zip").count() == 0
    for link in page.locator("article a[href]").evaluate_all("links => links.map(a => a.href)"):
        assert Path(link.split("#")[0].removeprefix("file://")).is_file(), link
    assert "Dịch vụ công trực tuyến là gì?" in search(page, "dich vu cong")
    page.goto(file_url(tmp_path / "hoc-dvc" / LESSON_1))
    expect(page.locator("img.cg-image").first).to_have_js_property("complete", True)
    assert page.locator("img.cg-image").first.evaluate("img => img.naturalWidth") == 1200
    assert recording_page.external_requests() == []


def test_no_request_leaves_the_file_system(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    for uri in ("index.html", "khoa-hoc/index.html", "khoa-hoc/mini-dvc/index.html", LESSON_1, LESSON_2,
                "khoa-hoc/mini-dvc/kiem-tra-cuoi-khoa.html"):
        page.goto(file_url(site / uri))
        page.wait_for_load_state("networkidle")
    assert len(recording_page.requests) > 20
    assert recording_page.external_requests() == []


def test_phone_width_and_print_layout(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(file_url(site / LESSON_2))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".cg-actions"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator("article h1").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_published_home_page_offers_the_offline_copy(site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(site / "index.html"))
    expect(page.locator("a.cg-offline-zip")).to_have_attribute("href", "downloads/trang-hoc-ngoai-tuyen.zip")
