"""Lessons: reading ``courses/<id>/lessons/NN-slug.md`` and checking their bodies and media.

Part of ``ProjectLoader`` (``loader.py``), which mixes this in: the methods use its helpers
(``rel``, ``inside``, ``remember``, ``diags``, ``render_cache``, ``media_referenced``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..model import (
    Lesson,
    SourceRef,
)
from .drafts import _CourseDraft, resolved
from .fields import FieldReader
from .imagecheck import image_problem
from .lessonbody import prose_lines, scan_body, split_target
from .lessonsafety import attribute_list_problems, limit_problems
from .yamlsource import YamlSourceError, read_source_text, split_front_matter

LESSON_FILE = re.compile(r"^(\d{2,3})-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.md$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
LESSON_KEYS = {"id", "title", "objectives", "duration_minutes", "key_points"}


class LessonReader:
    # -- lessons -----------------------------------------------------------------------------
    def load_lessons(self, draft: _CourseDraft, folder: Path) -> None:
        lessons_dir = folder / "lessons"
        course_id = draft.fields.get("id") or folder.name
        if not lessons_dir.is_dir():
            self.diags.error(self.rel(folder), 1, "lessons", "khóa học thiếu thư mục lessons/")
            draft.ok = False
            return
        numbers: dict[int, str] = {}
        for path in sorted(lessons_dir.iterdir()):
            rel = self.rel(path)
            if path.name.startswith(".") or path.suffix.lower() != ".md":
                continue
            match = LESSON_FILE.match(path.name)
            if not match:
                self.diags.error(rel, 1, "(tên tệp)", "tên tệp bài học phải có dạng NN-ten-bai.md (chữ thường không dấu)")
                draft.ok, draft.partial = False, True
                draft.broken_lessons.add(path.name)
                continue
            if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
                self.diags.error(rel, 1, "(tệp)", "bài học là liên kết ra ngoài thư mục khóa học")
                draft.ok, draft.partial = False, True
                draft.broken_lessons.add(path.name)
                continue
            number = int(match.group(1))
            if number in numbers:
                self.diags.error(rel, 1, "(tên tệp)", f"số thứ tự {match.group(1)} trùng với bài {numbers[number]}")
                draft.ok = False
            numbers[number] = path.name
            lesson = self._lesson(path, rel, number, course_id, folder)
            if lesson is None:
                draft.ok, draft.partial = False, True
                draft.broken_lessons.add(path.name)
            else:
                draft.lessons.append(lesson)
        if not draft.lessons and draft.ok:
            self.diags.error(self.rel(lessons_dir), 1, "lessons", "khóa học chưa có bài học nào")
            draft.ok = False
        draft.lessons.sort(key=lambda lesson: lesson.number)

    def _lesson(self, path: Path, rel: str, number: int, course_id: str, folder: Path) -> Lesson | None:
        try:
            doc = split_front_matter(read_source_text(path))
        except YamlSourceError as exc:
            self.diags.error(rel, exc.line, "(phần đầu)", exc.message)
            return None
        start = len(self.diags.errors)
        r = FieldReader(doc.meta, rel, self.diags, line=2)
        r.check_keys(LESSON_KEYS)
        lid = r.identifier("id")
        title = r.text("title", max_len=150)
        objectives = r.text_list("objectives", min_items=1, ids=True)
        duration = r.integer("duration_minutes", minimum=1, maximum=10_000)
        key_points = r.text_list("key_points", min_items=1, max_len=400)
        if not doc.body.strip():
            self.diags.error(rel, doc.body_line, "(nội dung)", "bài học chưa có nội dung")
        if len(self.diags.errors) > start or None in (lid, title, objectives, duration, key_points):
            return None
        source = SourceRef(rel, r.line_of("id"))
        for index, oid in enumerate(objectives):
            self.remember(source, f"objectives:{oid}", r.item_line("objectives", index))
        return Lesson(
            id=lid, course_id=course_id, number=number, slug=path.stem, title=title, objectives=objectives,
            duration_minutes=duration, key_points=key_points, body=doc.body, body_line=doc.body_line,
            path=path.resolve(), source=source,
        )

    def check_lesson_bodies(self, draft: _CourseDraft, folder: Path) -> None:
        by_file = {lesson.path.name: lesson for lesson in draft.lessons}
        checked = []
        for lesson in draft.lessons:
            # Bounds first: beyond them even scanning (and certainly rendering) could take minutes.
            limits = limit_problems(lesson.body)
            for problem in limits:
                self.diags.error(lesson.source.path, lesson.body_line + problem.line, "(nội dung)", problem.message)
            if limits:
                draft.broken_lessons.add(lesson.path.name)
            else:
                checked.append(lesson)
        scans = {lesson.path: scan_body(lesson.body) for lesson in checked}  # ids may be duplicated
        for lesson in checked:
            scan = scans[lesson.path]
            rel = lesson.source.path
            errors_before = len(self.diags.errors)
            for problem in attribute_list_problems(prose_lines(lesson.body)):
                self.diags.error(rel, lesson.body_line + problem.line, "(nội dung)", problem.message)
            for h1 in scan.h1_lines:
                self.diags.warning(rel, lesson.body_line + h1, "(nội dung)",
                                   "không dùng tiêu đề cấp 1 (#) trong bài; tiêu đề bài lấy từ trường title")
            for html in scan.html:
                self.diags.error(rel, lesson.body_line + html.line, "(nội dung)",
                                 f'không cho phép HTML trong bài học ("{html.snippet}"); hãy dùng cú pháp Markdown')
            for link in scan.links:
                line = lesson.body_line + link.line
                scheme, target_path, fragment = split_target(link.target)
                if link.is_image:
                    field_name = "(hình ảnh)"
                    if not link.text:
                        self.diags.error(rel, line, field_name, f'hình "{link.target}" thiếu mô tả thay thế (alt)')
                    if scheme:
                        self.diags.error(rel, line, field_name,
                                         f'hình "{link.target}" phải là tệp trong thư mục media/ của khóa học, không phải địa chỉ web')
                        continue
                    self.check_media(folder, target_path, lesson.path.parent, rel, line, field_name)
                    continue
                field_name = "(liên kết)"
                if scheme in ("http", "https", "mailto"):
                    continue
                if scheme:
                    self.diags.error(rel, line, field_name, f'liên kết "{link.target}" dùng giao thức không được phép')
                    continue
                if not target_path:
                    if fragment and fragment not in scan.anchors:
                        self.diags.error(rel, line, field_name, f'liên kết "{link.target}": không có mục "#{fragment}" trong bài này')
                    continue
                target, problem = self.inside(folder, target_path, lesson.path.parent)
                if problem:
                    self.diags.error(rel, line, field_name, problem)
                    continue
                same_folder = target is not None and target.parent == lesson.path.parent
                if same_folder and target.name in draft.broken_lessons:
                    continue  # that lesson's own errors are reported; it cannot be checked further
                other = by_file.get(target.name) if same_folder else None
                if other is None:
                    if target is not None and target.is_file() and target.suffix.lower() != ".md":
                        continue
                    self.diags.error(rel, line, field_name, f'liên kết "{link.target}" không trỏ tới bài học nào của khóa học')
                    continue
                if fragment and fragment not in scans[other.path].anchors:
                    self.diags.error(rel, line, field_name, f'liên kết "{link.target}": bài "{other.slug}" không có mục "#{fragment}"')
            if len(self.diags.errors) == errors_before:
                # What the syntax scan missed, seen in the HTML the site would really get (a lesson with
                # errors already fails; its HTML is checked once those are fixed).
                for problem in self.render_cache.problems(lesson.body):
                    self.diags.error(rel, lesson.body_line + problem.line, "(nội dung)", problem.message)

    def check_media(self, folder: Path, relative: str, relative_to: Path, rel: str, line: int, field_name: str) -> Path | None:
        self.media_referenced.add(os.path.normpath(relative_to / relative))  # the folder scan skips it
        target, problem = self.inside(folder, relative, relative_to)
        if problem:
            self.diags.error(rel, line, field_name, problem)
            return None
        assert target is not None
        if not target.is_file():
            self.diags.error(rel, line, field_name, f'không tìm thấy tệp hình "{relative}"')
            return None
        if target.suffix.lower() not in IMAGE_SUFFIXES:
            self.diags.error(rel, line, field_name, f'"{relative}" không phải tệp hình được hỗ trợ (png, jpg, gif, svg, webp)')
            return None
        if target.stat().st_size > MAX_IMAGE_BYTES:
            self.diags.error(rel, line, field_name, f'tệp hình "{relative}" quá lớn (tối đa {MAX_IMAGE_BYTES // 1048576} MB)')
            return None
        if target.parent != (folder / "media").resolve():
            # The site publishes media/ only (flat), and decks and exports name images by file name.
            self.diags.error(rel, line, field_name, f'hình "{relative}" phải nằm ngay trong thư mục media/ của khóa học')
            return None
        if problem := image_problem(target):
            self.diags.error(rel, line, field_name, f'tệp hình "{relative}": {problem}')
            return None
        return target

    def check_media_folder(self, folder: Path) -> None:
        """Every file in media/ is published on the site, referenced or not: only sound images, nothing
        behind a link out of the course."""
        media = folder / "media"
        if not media.is_dir():
            return
        base = folder.resolve()
        for path in sorted(media.iterdir()):
            if path.name.startswith(".") or path.is_dir() or os.path.normpath(path) in self.media_referenced:
                continue
            rel = self.rel(path)
            target = resolved(path)
            if target is None or not target.is_relative_to(base):
                self.diags.error(rel, 1, "(tệp)", "tệp là liên kết trỏ ra ngoài thư mục khóa học; không được đăng")
            elif not path.is_file():
                self.diags.error(rel, 1, "(tệp)", "không phải tệp thường (liên kết hỏng hoặc thiết bị); hãy xóa")
            elif path.suffix.lower() not in IMAGE_SUFFIXES:
                self.diags.error(rel, 1, "(tệp)", "thư mục media/ chỉ chứa tệp hình (png, jpg, gif, svg, webp):"
                                                  " mọi tệp trong đó được đăng lên trang học")
            elif path.stat().st_size > MAX_IMAGE_BYTES:
                self.diags.error(rel, 1, "(tệp)", f"tệp hình quá lớn (tối đa {MAX_IMAGE_BYTES // 1048576} MB)")
            elif problem := image_problem(path):
                self.diags.error(rel, 1, "(tệp)", problem)
