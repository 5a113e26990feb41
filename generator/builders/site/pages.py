"""Markdown for every generated page, from the course model only.

URL layout (stable, used by QR codes and links):
``index.md`` home · ``khoa-hoc/index.md`` catalogue · ``khoa-hoc/<course>/index.md`` course ·
``khoa-hoc/<course>/bai-hoc/NN-slug.md`` lessons · ``khoa-hoc/<course>/kiem-tra-cuoi-khoa.md`` final check ·
``khoa-hoc/<course>/media/*`` images.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import escape

from ...model import CITIZEN_SAFETY, Audience, Corpus, Course, CurriculumPlace, Lesson, LessonSource
from ...text import date_vn
from ..contract import Download
from .downloadlist import downloads_markdown
from .mdtext import esc, front, html_title
from .quizhtml import quiz_html

QUIZ_SLOT = '<div class="cg-quiz-slot" data-slot="{slot}"></div>'
_QUIZ_SLOT_FOUND = re.compile(r'<div class="cg-quiz-slot" data-slot="([^"]+)"></div>')

CATALOGUE = "khoa-hoc/index.md"
OFFLINE_ZIP = "downloads/trang-hoc-ngoai-tuyen.zip"


def course_dir(course: Course) -> str:
    return f"khoa-hoc/{course.id}"


def course_page(course: Course) -> str:
    return f"{course_dir(course)}/index.md"


def lesson_page(course: Course, lesson: Lesson) -> str:
    return f"{course_dir(course)}/bai-hoc/{lesson.slug}.md"


def final_page(course: Course) -> str:
    return f"{course_dir(course)}/kiem-tra-cuoi-khoa.md"


def citizen_page(course: Course) -> str:
    """The one-screen "làm thế nào" page the large-print sheet's QR code opens (``Settings.citizen_url``)."""
    return f"{course_dir(course)}/lam-the-nao/index.md"


def media_uri(course: Course, name: str) -> str:
    return f"{course_dir(course)}/media/{name}"


def rel(from_page: str, target: str) -> str:
    """Relative link from one page's source path to another file's path."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def minutes(total: int) -> str:
    hours, rest = divmod(total, 60)
    if hours and rest:
        return f"{hours} giờ {rest} phút"
    return f"{hours} giờ" if hours else f"{rest} phút"


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    markdown: str


def home(corpus: Corpus) -> GeneratedPage:
    s = corpus.settings
    lines = [front(s.site_name, "Học liệu số về dịch vụ công trực tuyến"), f"# {esc(s.site_name)}", ""]
    lines.append(
        "Trang học mở về **dịch vụ công trực tuyến** dành cho học sinh trung học phổ thông, cán bộ vận hành "
        "hệ thống dịch vụ công và thành viên Tổ công nghệ số cộng đồng."
    )
    lines.append("")
    for audience in Audience:
        courses = [c for c in corpus.courses if c.audience is audience]
        if not courses:
            continue
        lines.append(f"## {esc(audience.label)}")
        lines.append("")
        for c in courses:
            lines.append(f"- [{esc(c.title)}]({rel('index.md', course_page(c))}) — {len(c.lessons)} bài, {minutes(c.duration_minutes)}")
        lines.append("")
    lines.append("## Học không cần mạng")
    lines.append("")
    lines.append(
        f'Tải <a class="cg-offline-zip" href="{OFFLINE_ZIP}">bản ngoại tuyến của toàn bộ trang học</a> (tệp zip), giải nén vào máy tính '
        "hoặc chép vào USB rồi mở tệp `index.html`: mọi bài học, bài tự kiểm tra và chức năng tìm kiếm đều dùng được "
        "mà không cần kết nối Internet."
    )
    lines.append("")
    lines.append(f"Xem [danh mục khóa học]({rel('index.md', CATALOGUE)}).")
    return GeneratedPage("index.md", "\n".join(lines) + "\n")


def catalogue(corpus: Corpus) -> GeneratedPage:
    lines = [front("Danh mục khóa học"), "# Danh mục khóa học", ""]
    for audience in Audience:
        courses = [c for c in corpus.courses if c.audience is audience]
        if not courses:
            continue
        lines += [f"## {esc(audience.label)}", ""]
        for c in courses:
            lines.append(f"### [{esc(c.title)}]({rel(CATALOGUE, course_page(c))})")
            lines.append("")
            lines.append(f"*{esc(c.level)} · {len(c.lessons)} bài học · {minutes(c.duration_minutes)} · {len(c.questions)} câu hỏi*")
            lines.append("")
            lines.append(esc(c.summary))
            lines.append("")
    return GeneratedPage(CATALOGUE, "\n".join(lines) + "\n")


def course(c: Course, downloads: list[Download]) -> GeneratedPage:
    page = course_page(c)
    lines = [front(c.title, c.summary), f"# {esc(c.title)}", "", esc(c.summary), ""]
    facts = [
        ("Đối tượng", c.audience.label), ("Cấp độ", c.level), ("Thời lượng dự kiến", minutes(c.duration_minutes)),
        ("Phiên bản", f"{c.version}, phát hành ngày {c.release_date.strftime('%d/%m/%Y')}"),
        ("Tác giả", ", ".join(c.authors)), ("Giấy phép", c.license),
    ]
    lines += [f"- **{name}:** {esc(value)}" for name, value in facts]
    lines += [
        "",
        "## Mục tiêu học tập", "",
        "Học xong khóa học, người học có thể:", "",
    ]
    lines += [f"- {esc(o.text)}" for o in c.objectives]
    lines += ["", "## Các bài học", ""]
    for lesson in c.lessons:
        place = f" · lớp {lesson.curriculum.grade}, {lesson.curriculum.periods} tiết" if lesson.curriculum else ""
        lines.append(
            f"{lesson.number}. [{esc(lesson.title)}]({rel(page, lesson_page(c, lesson))}) — {minutes(lesson.duration_minutes)}"
            f"{place}"
            f' <span class="cg-lesson-progress" data-course="{escape(c.id)}" data-lesson="{escape(lesson.id)}"'
            f' data-questions="{" ".join(q.id for q in c.practice_for(lesson.id))}"></span>'
        )
    if len(c.completion.required_lessons) == len(c.lessons):
        required = f"đã học đủ {len(c.lessons)} bài"
    else:
        titles = "; ".join(esc(c.lesson(lid).title) for lid in c.completion.required_lessons)
        required = f"đã học các bài bắt buộc ({titles})"
    lines += [
        "", "## Hoàn thành khóa học", "",
        f"Người học hoàn thành khóa học khi {required} và đạt từ "
        f"**{c.completion.pass_mark}%** trở lên ở [bài kiểm tra cuối khóa]({rel(page, final_page(c))}).",
        "",
    ]
    if downloads:
        lines += ["## Tài liệu tải về", ""]
        lines += downloads_markdown(lambda path: rel(page, path), esc, downloads)
    return GeneratedPage(page, "\n".join(lines) + "\n")


def lesson_slot(lesson: Lesson) -> str:
    return f"lesson:{lesson.id}"


def final_slot(c: Course) -> str:
    return f"final:{c.id}"


def quiz_for_slot(corpus: Corpus, slot: str) -> str:
    """The quiz markup for a slot left in a page (inserted after Markdown, which it need not parse)."""
    kind, _, ident = slot.partition(":")
    for c in corpus.courses:
        if kind == "final" and c.id == ident:
            return quiz_html(c, list(c.final_questions), image_urls_for(c, final_page(c)), final=True)
        for item in c.lessons:
            if kind == "lesson" and item.id == ident:
                return quiz_html(c, list(c.practice_for(item.id)), image_urls_for(c, lesson_page(c, item)))
    raise KeyError(slot)


def fill_quiz_slots(corpus: Corpus, text: str) -> str:
    """Replace every quiz slot in ``text`` (page HTML or Markdown) by its quiz markup."""
    if 'class="cg-quiz-slot"' not in text:
        return text
    return _QUIZ_SLOT_FOUND.sub(lambda m: quiz_for_slot(corpus, m.group(1)), text)


def lesson(c: Course, lesson: Lesson) -> GeneratedPage:
    page = lesson_page(c, lesson)
    objectives = [c.objective(oid) for oid in lesson.objectives]
    lines = [front(lesson.title), f"# {esc(lesson.title)}", ""]
    lines += [
        '!!! abstract "Bài học này"',
        f"    **Khóa học:** [{esc(c.title)}]({rel(page, course_page(c))}) · **Thời lượng:** {minutes(lesson.duration_minutes)}",
        "",
        "    **Mục tiêu:**",
        "",
    ]
    lines += [f"    - {esc(o.text)}" for o in objectives]
    if lesson.curriculum is not None:
        lines += ["", f"    **Vị trí trong chương trình Tin học 2018:** {esc(curriculum_text(lesson.curriculum))}"]
    lines += ["", lesson.body.strip(), "", "## Ghi nhớ", ""]
    lines += [f"- {esc(p)}" for p in lesson.key_points]
    if lesson.sources:
        lines += ["", "## Căn cứ", ""]
        lines += [f"- {source_markdown(item)}" for item in lesson.sources]
    questions = list(c.practice_for(lesson.id))
    if questions:
        lines += ["", "## Tự kiểm tra", "", QUIZ_SLOT.format(slot=lesson_slot(lesson)), ""]
    position = c.lessons.index(lesson)
    nav = []
    if position > 0:
        nav.append(f"← [Bài trước]({rel(page, lesson_page(c, c.lessons[position - 1]))})")
    if position + 1 < len(c.lessons):
        nav.append(f"[Bài tiếp theo]({rel(page, lesson_page(c, c.lessons[position + 1]))}) →")
    else:
        nav.append(f"[Làm bài kiểm tra cuối khóa]({rel(page, final_page(c))}) →")
    lines += ["", " · ".join(nav), ""]
    return GeneratedPage(page, "\n".join(lines) + "\n")


def curriculum_text(place: CurriculumPlace) -> str:
    """"lớp 10, chủ đề …, 1 tiết": what a teacher needs to slot the lesson into the Tin học timetable."""
    return f"lớp {place.grade}, chủ đề {place.strand}, {place.periods} tiết"


def source_markdown(item: LessonSource) -> str:
    """One "Căn cứ" entry: title, number, date (dd/mm/yyyy), article; publisher; the address as a link.

    Every source text is escaped for Markdown; the address goes into an HTML link, escaped as an attribute.
    """
    parts = [f"*{esc(item.title)}*"]
    if item.number:
        parts.append(f"số {esc(item.number)}")
    if item.date is not None:
        parts.append(f"ngày {date_vn(item.date)}")
    if item.article:
        parts.append(esc(item.article))
    text = ", ".join(parts)
    if item.publisher:
        text += f"; {esc(item.publisher)}"
    if item.url:
        text += f'; <a href="{escape(item.url, quote=True)}">{esc(item.url)}</a>'
    return text


def final_check(c: Course) -> GeneratedPage:
    page = final_page(c)
    lines = [front(f"Kiểm tra cuối khóa: {c.title}", searchable=False), f"# Kiểm tra cuối khóa: {esc(c.title)}", ""]
    if c.final_pool:
        drawn = (f"Bài kiểm tra gồm {len(c.final_pool)} câu hỏi dành riêng cho kiểm tra cuối khóa, không trùng với"
                 " các câu tự kiểm tra trong bài học.")
    else:
        drawn = f"Bài kiểm tra gồm {len(c.questions)} câu hỏi của toàn khóa học."
    lines += [
        f"{drawn} Bạn cần trả lời đúng từ "
        f"**{c.completion.pass_mark}%** số câu trở lên. Kết quả được lưu trên trình duyệt của máy này; "
        "khi học ở lớp, hãy báo kết quả cho giáo viên hoặc người phụ trách.",
        "",
        QUIZ_SLOT.format(slot=final_slot(c)),
        "",
        f"[← Về trang khóa học]({rel(page, course_page(c))})",
        "",
    ]
    return GeneratedPage(page, "\n".join(lines) + "\n")


def citizen(c: Course) -> GeneratedPage:
    """The large-print sheet's words on one phone screen: headline, numbered steps, where to get help."""
    assert c.large_print is not None
    lp = c.large_print
    page = citizen_page(c)
    lines = [front(lp.headline, f"Các bước: {c.title}"), f"# {esc(lp.headline)}", ""]
    lines += [f"{i}. {esc(step)}" for i, step in enumerate(lp.steps, start=1)]
    # Plain headings and lists, not admonitions: the theme sets those in small type, too small for older eyes.
    lines += ["", "## Cần người giúp? Hãy đến:", ""]
    lines += [f"- {esc(item)}" for item in lp.help]
    lines += ["", f"**Giữ an toàn:** {esc(CITIZEN_SAFETY)}", "",
              f"[Khóa học đầy đủ: {esc(c.title)}]({rel(page, course_page(c))})", ""]
    return GeneratedPage(page, "\n".join(lines) + "\n")


def image_urls_for(c: Course, page: str) -> dict[str, str]:
    """Question id → image URL relative to ``page``."""
    return {q.id: rel(page, media_uri(c, q.image.name)) for q in c.questions if q.image is not None}


def all_pages(corpus: Corpus, downloads: list[Download], *, directory_urls: bool = False) -> list[GeneratedPage]:
    pages = [home(corpus), catalogue(corpus)]
    for c in corpus.courses:
        pages.append(course(c, [d for d in downloads if d.course_id == c.id]))
        for item in c.lessons:
            pages.append(lesson(c, item))
        pages.append(final_check(c))
        if c.large_print is not None:
            pages.append(citizen(c))
    from .dashboard import pages as dashboard_pages  # coverage pages, from the project's do-phu/*.json

    pages += [GeneratedPage(uri, markdown) for uri, _, markdown in dashboard_pages(corpus, directory_urls)]
    return pages


def nav(corpus: Corpus, guides: list[tuple[str, str]]) -> list:
    """The site navigation: home, courses grouped by audience, then the user guides."""
    sections = []
    for audience in Audience:
        courses = [c for c in corpus.courses if c.audience is audience]
        if not courses:
            continue
        entries = []
        for c in courses:
            items: list = [course_page(c)]
            items += [{html_title(lesson.title): lesson_page(c, lesson)} for lesson in c.lessons]
            items.append({"Kiểm tra cuối khóa": final_page(c)})
            if c.large_print is not None:
                items.append({"Cho người dân: làm thế nào": citizen_page(c)})
            entries.append({html_title(c.title): items})
        sections.append({audience.label: entries})
    from .dashboard import nav_entries

    result: list = [{"Trang chủ": "index.md"}, {"Khóa học": [CATALOGUE, *sections]}, *nav_entries(corpus)]
    if guides:
        result.append({"Hướng dẫn": [{title: uri} for title, uri in guides]})
    return result
