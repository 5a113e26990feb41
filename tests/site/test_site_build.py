"""The site as files: generated pages, shared assets, readable anchors, strict failures, mkdocs itself."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO, run_coursegen


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


def test_every_page_is_generated_from_the_model(mini_site: Path) -> None:
    home = read(mini_site, "index.html")
    assert "Làm quen dịch vụ công trực tuyến" in home
    catalogue = read(mini_site, "khoa-hoc/index.html")
    assert "Học sinh trung học phổ thông" in catalogue  # grouped by audience
    course = read(mini_site, "khoa-hoc/mini-dvc/index.html")
    for text in ("Mục tiêu học tập", "Đăng nhập được Cổng Dịch vụ công quốc gia", "1 giờ 30 phút",
                 "Dịch vụ công trực tuyến là gì?", "Kiểm tra cuối khóa", "70%"):
        assert text in course, text
    lesson = read(mini_site, "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html")
    for text in ("Trình bày được dịch vụ công trực tuyến là gì.", "45 phút", "Ghi nhớ",
                 "Đăng ký thủ tục không cần đến trụ sở.", "Tự kiểm tra"):
        assert text in lesson, text
    assert lesson.count('class="cg-question"') == 3  # the lesson's own questions only
    final = read(mini_site, "khoa-hoc/mini-dvc/kiem-tra-cuoi-khoa.html")
    assert final.count('class="cg-question"') == 6
    assert 'data-kind="final"' in final


def test_one_shared_script_and_stylesheet(mini_site: Path) -> None:
    script = read(mini_site, "assets/coursegen/quiz.js")
    for page in mini_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html":
            continue
        assert html.count("coursegen/quiz.js") == 1, page
        assert html.count("coursegen/coursegen.css") == 1, page
        assert "coursegen:v1:" not in html and "function grade" not in html, f"quiz logic inlined in {page}"
    assert "coursegen:v1:" in script  # progress keyed by course and question id


def test_vietnamese_headings_keep_readable_anchors(mini_site: Path) -> None:
    lesson = read(mini_site, "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html")
    assert 'id="thu-dien-tu-va-tin-nhan"' in lesson
    assert 'href="02-dang-nhap.html#cac-buoc-dang-nhap"' in lesson
    assert 'id="cac-buoc-dang-nhap"' in read(mini_site, "khoa-hoc/mini-dvc/bai-hoc/02-dang-nhap.html")


def test_theme_language_and_no_external_assets(mini_site: Path) -> None:
    for page in mini_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="vi"' in html
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if "rel=\"canonical\"" in tag:
                continue
            assert not re.search(r"(?:src|href)=\"(?:https?:)?//", tag), f"{page}: {tag}"


def test_search_index_is_plain_text_for_the_vietnamese_worker(mini_site: Path) -> None:
    # The folded copy of the text is gone: the search worker folds at load time (half the download).
    index = read(mini_site, "search/search_index.json")
    assert "Đăng ký thủ tục không cần đến trụ sở." in index
    assert '"folded"' not in index
    assert (mini_site / "search/search_index.js").is_file()  # inlined for file://


def test_offline_zip_holds_the_whole_site(mini_site: Path) -> None:
    with zipfile.ZipFile(mini_site / "downloads/trang-hoc-ngoai-tuyen.zip") as archive:
        names = set(archive.namelist())
        assert "hoc-dvc/index.html" in names
        assert "hoc-dvc/search/search_index.js" in names
        assert "hoc-dvc/assets/vendor/iframe-worker/shim.js" in names
        assert "hoc-dvc/khoa-hoc/mini-dvc/media/so-do.png" in names
        assert "hoc-dvc/downloads/trang-hoc-ngoai-tuyen.zip" not in names  # never itself
        assert archive.testzip() is None


def snapshot(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_broken_lesson_link_fails_and_keeps_previous_site(mini_project: Path) -> None:
    assert run_coursegen("-C", str(mini_project), "build", cwd=mini_project).returncode == 0
    before = snapshot(mini_project / "site")
    lesson = mini_project / "courses/mini-dvc/lessons/02-dang-nhap.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("01-dich-vu-cong-la-gi.md#khai-niem",
                                                                 "01-dich-vu-cong-la-gi.md#khong-co"), encoding="utf-8")
    result = run_coursegen("-C", str(mini_project), "build", cwd=mini_project)
    assert result.returncode == 1
    assert "courses/mini-dvc/lessons/02-dang-nhap.md:" in result.stderr
    assert "#khong-co" in result.stderr
    assert snapshot(mini_project / "site") == before


def test_broken_link_in_a_guide_fails_the_strict_site_build(mini_project: Path) -> None:
    shutil.copy2(REPO / "mkdocs.yml", mini_project / "mkdocs.yml")
    docs = mini_project / "docs"
    docs.mkdir()
    (docs / "huong-dan.md").write_text("# Hướng dẫn\n\nXem [trang không có](khong-ton-tai.md).\n", encoding="utf-8")
    (docs / "huong-dan-2.md").write_text("# Hướng dẫn 2\n\nXem [mục](huong-dan.md#khong-co-muc).\n", encoding="utf-8")
    (mini_project / "site").mkdir()
    (mini_project / "site" / "cu.txt").write_text("bản cũ", encoding="utf-8")
    result = run_coursegen("-C", str(mini_project), "build", cwd=mini_project)
    assert result.returncode == 1
    assert "xây dựng trang học thất bại" in result.stderr
    assert "khong-ton-tai.md" in result.stderr
    assert "khong-co-muc" in result.stderr
    assert snapshot(mini_project / "site") == {"cu.txt": hashlib.sha256("bản cũ".encode()).hexdigest()}
    assert not list(mini_project.glob(".site.*"))  # no temporary left behind


def test_plain_mkdocs_build_works_with_the_project_config(bundled_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(out)],
                            cwd=bundled_project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (out / "khoa-hoc" / "thpt-dvctt" / "index.html").is_file()
    assert (out / "khoa-hoc" / "index.html").is_file()


def test_check_reports_a_heading_that_clashes_with_a_generated_section(mini_project: Path) -> None:
    lesson = mini_project / "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md"
    lines = lesson.read_text(encoding="utf-8").split("\n")
    lines.append("\n## Tự kiểm tra\n\nEm đã hiểu dịch vụ công trực tuyến là gì chưa?\n")
    lesson.write_text("\n".join(lines), encoding="utf-8")
    result = run_coursegen("-C", str(mini_project), "check", "--strict", cwd=mini_project)
    assert result.returncode == 1
    line = len(lines) + 1  # the appended heading is on the line after the old last one
    assert f'courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md:{line}: (nội dung): cảnh báo: tiêu đề "Tự kiểm tra" trùng mục' in result.stdout


def test_downloads_grouped_by_reader_and_lms_files_folded(mini_site: Path) -> None:
    course = read(mini_site, "khoa-hoc/mini-dvc/index.html")
    section = course[course.index('id="tai-lieu-tai-ve"'):]
    learners, teachers = section.index("Cho học sinh và người học"), section.index("Cho giáo viên: in tại trường")
    folded = section.index("<details")
    assert learners < teachers < folded
    # mini's settings are the scaffold's, so its leaflets are drafts ("-ban-nhap"): still grouped by reader
    assert ".apkg" in section[learners:teachers] and "-ban-xem-ban-nhap.pdf" in section[teachers:folded]
    visible = section[:folded]
    for hidden in ("-ban-in-ban-nhap.pdf", "-gift.txt", "-moodle.xml", "-qti12.zip"):
        assert hidden not in visible and hidden in section[folded:], hidden
    assert "dấu cắt" in section and "không in bản này trên máy in văn phòng" in section
