"""Sources ("Căn cứ"), the curriculum place and the final pool on the built site, as files and in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import MINI, run_coursegen
from tests.site.conftest import RecordingPage, file_url

LESSON_1 = "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html"
LESSON_2 = "khoa-hoc/mini-dvc/bai-hoc/02-dang-nhap.html"
FINAL = "khoa-hoc/mini-dvc/kiem-tra-cuoi-khoa.html"
COURSE = "khoa-hoc/mini-dvc/index.html"

# A second source whose every field carries markup that must stay text where it lands.
SOURCES = """\
sources:
  - title: "Quyết định của Thủ tướng Chính phủ về phổ cập kỹ năng sử dụng dịch vụ công trực tuyến"
    number: "1588/QĐ-TTg"
    date: 2024-12-17
    article: "Mục II, *khoản 1*"
  - title: "Hướng dẫn <b>đăng nhập</b> [thử](javascript:alert(1)) _nghiêng_"
    publisher: "Văn phòng Chính phủ & {: onclick=x}"
    url: "https://dichvucong.gov.vn/p/home/dvc-huong-dan.html?a=1&b=\\"2\\""
"""

FINAL_QUESTIONS = """\
  - id: mini-c101
    lesson: mini-b01
    objectives: [mini-mt01]
    type: true_false
    difficulty: medium
    pool: final
    prompt: "Câu cuối khóa một: hồ sơ trực tuyến được theo dõi qua mã hồ sơ."
    answer: true
    explanation: "Đúng. Mã hồ sơ dùng để tra cứu tình trạng giải quyết hồ sơ."
  - id: mini-c102
    lesson: mini-b02
    objectives: [mini-mt02]
    type: single
    difficulty: medium
    pool: final
    prompt: "Câu cuối khóa hai: đăng nhập Cổng bằng tài khoản nào?"
    options:
      - "Tài khoản định danh điện tử"
      - "Tài khoản mạng xã hội bất kỳ"
    answer: "Tài khoản định danh điện tử"
    explanation: "Cổng Dịch vụ công quốc gia dùng tài khoản định danh điện tử để đăng nhập."
"""


@pytest.fixture(scope="module")
def pooled_site(tmp_path_factory) -> Path:
    """The mini project with two final-pool questions and a second, hostile source, built by the command line."""
    project = tmp_path_factory.mktemp("pooled") / "mini"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    lesson = project / "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md"
    text = lesson.read_text(encoding="utf-8")
    text = re.sub(r"^sources: .*\n", SOURCES, text, count=1, flags=re.MULTILINE)
    lesson.write_text(text, encoding="utf-8")
    bank = project / "quizzes/mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8") + FINAL_QUESTIONS, encoding="utf-8")
    result = run_coursegen("-C", str(project), "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


def section(html: str, heading_id: str) -> str:
    """The HTML from a heading with ``heading_id`` to the next h2."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start:end if end != -1 else len(html)]


def test_lesson_page_lists_its_sources_escaped(pooled_site: Path) -> None:
    html = read(pooled_site, LESSON_1)
    heading = html.index('<h2 id="can-cu">Căn cứ')
    items = re.findall(r"<li>(.*?)</li>", html[heading:html.index("</ul>", heading)])
    assert items == [
        "<em>Quyết định của Thủ tướng Chính phủ về phổ cập kỹ năng sử dụng dịch vụ công trực tuyến</em>,"
        " số 1588/QĐ-TTg, ngày 17/12/2024, Mục II, &#42;khoản 1&#42;",
        # markup in every field stays text: no <b>, no link to javascript:, no emphasis, no attribute list
        "<em>Hướng dẫn &lt;b&gt;đăng nhập&lt;/b&gt; &#91;thử&#93;(javascript:alert(1)) &#95;nghiêng&#95;</em>;"
        " Văn phòng Chính phủ &amp; &#123;: onclick=x&#125;;"
        ' <a href="https://dichvucong.gov.vn/p/home/dvc-huong-dan.html?a=1&amp;b=&quot;2&quot;">'
        'https://dichvucong.gov.vn/p/home/dvc-huong-dan.html?a=1&amp;b="2"</a>',
    ]
    assert html.index('<h2 id="ghi-nho"') < heading < html.index('<h2 id="tu-kiem-tra"')


def test_curriculum_place_on_lesson_and_course_pages(pooled_site: Path) -> None:
    lesson = read(pooled_site, LESSON_2)
    assert "Vị trí trong chương trình Tin học 2018:</strong> lớp 10, chủ đề Đạo đức, pháp luật và văn hoá trong môi" \
           " trường số, 1 tiết" in lesson
    course = read(pooled_site, COURSE)
    assert course.count("· lớp 10, 1 tiết") == 2


def test_final_pool_is_only_on_the_final_page(pooled_site: Path) -> None:
    lesson_1, lesson_2, final = (read(pooled_site, uri) for uri in (LESSON_1, LESSON_2, FINAL))
    for qid in ("mini-c101", "mini-c102"):
        assert f'data-qid="{qid}"' not in lesson_1 + lesson_2
        assert f'data-qid="{qid}"' in final
    assert lesson_1.count('class="cg-question"') == 3 and lesson_2.count('class="cg-question"') == 3
    assert final.count('class="cg-question"') == 2  # the pool only, not the practice questions again
    assert "gồm 2 câu hỏi dành riêng cho kiểm tra cuối khóa" in final
    # the course page's lesson progress counts the questions a lesson shows
    course = read(pooled_site, COURSE)
    assert 'data-questions="mini-c001 mini-c002 mini-c003"' in course


def test_without_a_pool_the_final_page_draws_every_question(mini_site: Path) -> None:
    final = read(mini_site, FINAL)
    assert final.count('class="cg-question"') == 6
    assert "gồm 6 câu hỏi của toàn khóa học" in final


def test_sources_and_pools_in_chromium(pooled_site: Path, recording_page: RecordingPage) -> None:
    page = recording_page.page
    page.goto(file_url(pooled_site / LESSON_1))
    heading = page.get_by_role("heading", name="Căn cứ")
    expect(heading).to_be_visible()
    items = page.locator("#can-cu + ul > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("số 1588/QĐ-TTg, ngày 17/12/2024")
    expect(items.nth(1)).to_contain_text("Hướng dẫn <b>đăng nhập</b> [thử](javascript:alert(1)) _nghiêng_")
    expect(items.nth(1).locator("a")).to_have_attribute(
        "href", 'https://dichvucong.gov.vn/p/home/dvc-huong-dan.html?a=1&b="2"')
    expect(page.locator('fieldset[data-qid="mini-c101"]')).to_have_count(0)
    expect(page.locator('fieldset[data-qid="mini-c001"]')).to_be_visible()
    page.goto(file_url(pooled_site / FINAL))
    expect(page.locator("fieldset.cg-question")).to_have_count(2)
    expect(page.locator('fieldset[data-qid="mini-c102"]')).to_be_visible()
    assert recording_page.external_requests() == []
