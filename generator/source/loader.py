"""Load and validate a coursegen project into one ``Corpus``.

Every problem is collected (never stop at the first) so that ``coursegen check`` reports them all
at once; the build calls ``load_corpus`` which raises ``SourceError`` when anything is wrong. One
source kind per part: the settings and the course folders (``course.yml``, lessons, media) with the
cross-checks are read here; the question banks (``quizzes/*.yml``) in ``questions.py``, which
``ProjectLoader`` mixes in.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, SourceError
from ..model import (
    Audience,
    CompletionRule,
    Corpus,
    Course,
    CoverageTargets,
    Issuer,
    LargePrintContent,
    LeafletContent,
    Lesson,
    Objective,
    ReportSettings,
    Settings,
    SourceRef,
)
from .drafts import _CourseDraft, resolved
from .fields import RESERVED_NAMES, FieldReader, id_problem
from .imagecheck import image_problem
from .lessonbody import generated_section_clashes, prose_lines, scan_body, split_target
from .lessonsafety import RenderCache, attribute_list_problems, limit_problems
from .lessonsources import read_curriculum, read_sources
from .questions import QuestionReader
from .readiness import check_readiness
from .yamlsource import LocatedList, YamlSourceError, parse_yaml, read_source_text, split_front_matter

SETTINGS_FILE = "coursegen.yml"
LESSON_FILE = re.compile(r"^(\d{2,3})-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.md$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_LOGO_BYTES = 512 * 1024
HOTLINE = re.compile(r"^[0-9+(). \-]+$")

COURSE_KEYS = {
    "id", "title", "audience", "level", "summary", "objectives", "duration_minutes", "version",
    "release_date", "language", "license", "authors", "completion", "leaflet", "large_print",
}
LESSON_KEYS = {"id", "title", "objectives", "duration_minutes", "key_points", "sources", "curriculum"}


REPORT_KEYS = {"issuer_parent", "issuer", "issuer_short", "number", "place", "basis", "signer_authority",
               "signer_title", "signer_name", "recipients"}
REPORT_TEXT_MAX = 200
ISSUER_SHORT = re.compile(r"[A-ZĐ0-9][A-ZĐ0-9.&-]*")


class ProjectLoader(QuestionReader):
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.diags = Diagnostics()
        self.lines: dict[tuple[str, int, str], int] = {}  # (path, declaration line, field) -> line
        self.media_referenced: set[str] = set()  # images checked where a lesson or question uses them
        self.render_cache = RenderCache(self.root)
        self.today = date.today()  # sources cannot be issued after the day of the check

    def remember(self, where: SourceRef, key: str, line: int) -> None:
        """Keep the line of one field of a lesson or question, for reference errors found later."""
        self.lines[(where.path, where.line, key)] = line

    def line_for(self, where: SourceRef, key: str) -> int:
        return self.lines.get((where.path, where.line, key), where.line)

    # -- helpers -----------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        """Project-relative name of ``path``; a symlink is named where it is, not where it points."""
        parent = resolved(path.parent)
        for candidate in (parent / path.name if parent else None, resolved(path)):
            if candidate is None:
                continue
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def read_yaml(self, path: Path, within: Path | None = None) -> object | None:
        """The parsed file, or None after reporting why (an empty file is an error, not a pass).

        A file that is a symlink leading out of ``within`` (default: the project) is not read.
        """
        target = resolved(path)
        if target is None or not target.is_relative_to((within or self.root).resolve()):
            self.diags.error(self.rel(path), 1, "(tệp)", "tệp là liên kết trỏ ra ngoài thư mục của nó; không đọc")
            return None
        try:
            data = parse_yaml(read_source_text(path))
        except YamlSourceError as exc:
            self.diags.error(self.rel(path), exc.line, "(tệp)", exc.message)
            return None
        if data is None:
            self.diags.error(self.rel(path), 1, "(tệp)", "tệp trống, chưa có nội dung")
        return data

    def inside(self, base: Path, relative: str, relative_to: Path) -> tuple[Path | None, str | None]:
        """Resolve ``relative`` from ``relative_to``; refuse anything that ends up outside ``base``."""
        if not relative or "\x00" in relative:
            return None, "đường dẫn rỗng hoặc không hợp lệ"
        if PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).drive or relative.startswith("\\"):
            return None, f'đường dẫn tuyệt đối "{relative}" không được phép; hãy dùng đường dẫn tương đối'
        if any(part.split(".")[0].strip().lower() in RESERVED_NAMES for part in PurePosixPath(relative).parts):
            return None, f'đường dẫn "{relative}" dùng tên thiết bị dành riêng'
        target = resolved(relative_to / relative)
        if target is None:
            return None, f'đường dẫn "{relative}" là liên kết vòng (trỏ về chính nó)'
        if not target.is_relative_to(base.resolve()):
            return None, f'đường dẫn "{relative}" đi ra ngoài thư mục khóa học'
        return target, None

    # -- settings ----------------------------------------------------------------------------
    def load_settings(self) -> Settings | None:
        path = self.root / SETTINGS_FILE
        rel = SETTINGS_FILE
        if not path.is_file():
            self.diags.error(rel, 1, "(tệp)", "không tìm thấy tệp cấu hình dự án coursegen.yml")
            return None
        data = self.read_yaml(path)
        if data is None:
            return None
        r = FieldReader(data, rel, self.diags)
        r.check_keys({"site_name", "site_url", "province", "publisher", "contact", "issuer", "coverage", "report"})
        site_name = r.text("site_name", max_len=120)
        site_url = r.text("site_url")
        if site_url is not None:
            parts = urlsplit(site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                r.error("site_url", f'"{site_url}" không phải địa chỉ web http(s) đầy đủ')
                site_url = None
            elif not site_url.endswith("/"):
                site_url += "/"
        targets = CoverageTargets()
        if r.has("coverage"):
            c = FieldReader(r.data["coverage"], rel, self.diags, "coverage")
            c.check_keys({"students_2025", "students_2030", "staff_yearly", "community_team_yearly", "suppress_below"})
            values = {}
            for key in ("students_2025", "students_2030", "staff_yearly", "community_team_yearly"):
                percent = c.integer(key, minimum=1, maximum=100, required=False)
                if percent is not None:
                    values[key] = percent / 100
            suppress = c.integer("suppress_below", minimum=0, maximum=1000, required=False)
            if suppress is not None:
                values["suppress_below"] = suppress
            targets = CoverageTargets(**values)
        report = self._report_settings(r)
        issuer, lines = self._issuer(r)
        if site_name is None or site_url is None or issuer is None:
            return None
        lines += [(key, r.line_of(key)) for key in ("site_name", "site_url", "province", "publisher", "contact")]
        return Settings(
            site_name=site_name,
            site_url=site_url,
            province=r.text("province", required=False) or "",
            publisher=r.text("publisher", required=False) or "",
            contact=r.text("contact", required=False, max_len=200) or "",
            coverage=targets,
            source=SourceRef(rel, 1),
            report=report,
            issuer=issuer,
            lines=tuple(lines),
        )

    def _report_settings(self, r: FieldReader) -> ReportSettings:
        """The ``report:`` block (heading and signature of the official coverage report); all optional."""
        if not r.has("report"):
            return ReportSettings(issuer_line=r.line_of("publisher"), signer_line=r.line_of("publisher"))
        c = FieldReader(r.data["report"], r.path, self.diags, "report")
        c.check_keys(REPORT_KEYS)
        values: dict = {}
        for key in ("issuer_parent", "issuer", "number", "place", "basis", "signer_authority", "signer_title",
                    "signer_name"):
            values[key] = c.text(key, required=False, max_len=REPORT_TEXT_MAX) or ""
        short = c.text("issuer_short", required=False, max_len=20) or ""
        if short and not ISSUER_SHORT.fullmatch(short):
            c.error("issuer_short", f'"{short}" phải là chữ viết tắt in hoa, ví dụ SGDĐT hoặc UBND (không dấu cách)')
            short = ""
        values["issuer_short"] = short
        if values["number"] and not values["number"].isdigit():
            c.error("number", f'"{values["number"]}" phải là số, ví dụ 125 (hoặc để trống để văn thư ghi)')
            values["number"] = ""
        values["recipients"] = c.text_list("recipients", required=False, max_items=30, max_len=REPORT_TEXT_MAX) or ()
        issuer_line = c.line_of("issuer") if c.has("issuer") else c.line
        return ReportSettings(**values, issuer_line=issuer_line,
                              signer_line=c.line_of("signer_name") if c.has("signer_name") else c.line)

    def _issuer(self, r: FieldReader) -> tuple[Issuer | None, list[tuple[str, int]]]:
        """The optional ``issuer:`` block: who issues the print products, their emblem and contact lines."""
        if not r.has("issuer") or r.data["issuer"] is None:
            return Issuer(), []
        i = FieldReader(r.data["issuer"], r.path, self.diags, "issuer", r.line_of("issuer"))
        if not i.ok_mapping:
            return None, []
        start = len(self.diags.errors)
        i.check_keys({"name", "logo", "address", "hotline"})
        name = i.text("name", required=False, max_len=150) or ""
        address = i.text("address", required=False, max_len=100) or ""
        hotline = i.text("hotline", required=False, max_len=40) or ""
        if hotline and (not HOTLINE.match(hotline) or sum(ch.isdigit() for ch in hotline) < 3):
            i.error("hotline", f'"{hotline}" không phải số điện thoại: chỉ dùng chữ số, dấu cách, dấu chấm,'
                               " dấu gạch ngang, dấu ngoặc và dấu +, ít nhất 3 chữ số")
        logo = None
        relative = i.text("logo", required=False) or ""
        if relative:
            logo = self._logo(i, relative)
        lines = [(f"issuer.{key}", i.line_of(key)) for key in ("name", "logo", "address", "hotline")]
        if len(self.diags.errors) > start:
            return None, lines
        return Issuer(name=name, logo=logo, address=address, hotline=hotline), lines

    def _logo(self, i: FieldReader, relative: str) -> Path | None:
        """A vector SVG inside the project, safe (no script, no outside references) and drawable for print."""
        target, problem = self.inside(self.root, relative, self.root)
        if problem is None and target is not None:
            if target.suffix.lower() != ".svg":
                problem = "biểu trưng phải là tệp vector SVG (.svg); hãy xuất lại biểu trưng dạng SVG"
            elif not target.is_file():
                problem = f'không tìm thấy tệp "{relative}"'
            elif target.stat().st_size > MAX_LOGO_BYTES:
                problem = f"tệp biểu trưng lớn quá {MAX_LOGO_BYTES // 1024} KB"
            else:
                from ..builders.leaflets.logo import logo_problem

                problem = image_problem(target) or logo_problem(target)
        if problem is not None:
            i.error("logo", problem)
            return None
        return target

    # -- course.yml --------------------------------------------------------------------------
    def load_course(self, folder: Path) -> _CourseDraft | None:
        path = folder / "course.yml"
        rel = self.rel(path)
        if not path.is_file():
            self.diags.error(rel, 1, "(tệp)", "thư mục khóa học thiếu tệp course.yml")
            return None
        data = self.read_yaml(path, within=folder)
        if data is None:
            return None
        r = FieldReader(data, rel, self.diags)
        r.check_keys(COURSE_KEYS)
        start = len(self.diags.errors)
        f: dict = {"source": SourceRef(rel, 1), "root": folder.resolve()}
        f["id"] = r.identifier("id")
        if f["id"] is not None and f["id"] != folder.name:
            r.error("id", f'mã khóa học "{f["id"]}" phải trùng tên thư mục "{folder.name}"')
        f["title"] = r.text("title", max_len=150)
        f["audience"] = r.choice("audience", Audience)
        f["level"] = r.text("level", max_len=80)
        f["summary"] = r.text("summary", max_len=1500)
        f["duration_minutes"] = r.integer("duration_minutes", minimum=1, maximum=100_000)
        f["version"] = r.text("version", max_len=30)
        f["release_date"] = r.a_date("release_date")
        f["language"] = r.text("language", max_len=10)
        f["license"] = r.text("license", max_len=120)
        f["authors"] = r.text_list("authors", min_items=1, max_len=200)
        f["objectives"] = self._objectives(r)
        f["completion"] = self._completion(r)
        f["leaflet"] = self._leaflet(r)
        f["large_print"] = self._large_print(r)
        return _CourseDraft(f, ok=len(self.diags.errors) == start)

    def _objectives(self, r: FieldReader) -> tuple[Objective, ...] | None:
        items = r.raw_list("objectives")
        if items is None:
            return None
        if not items:
            r.error("objectives", "cần ít nhất 1 mục tiêu học tập")
        result = []
        for index, item in enumerate(items):
            o = FieldReader(item, r.path, self.diags, f"objectives[{index + 1}]", r.item_line("objectives", index))
            o.check_keys({"id", "text"})
            oid, text = o.identifier("id"), o.text("text", max_len=500)
            if oid and text:
                result.append(Objective(oid, text, SourceRef(r.path, o.line_of("id"))))
        # With an unreadable item, references to it would be reported as missing objectives: None skips them.
        return tuple(result) if len(result) == len(items) else None

    def _completion(self, r: FieldReader) -> dict | None:
        if not r.has("completion"):
            r.text("completion")  # reports the missing field
            return None
        c = FieldReader(r.data["completion"], r.path, self.diags, "completion", r.line_of("completion"))
        c.check_keys({"required_lessons", "pass_mark"})
        pass_mark = c.integer("pass_mark", minimum=0, maximum=100)
        value = c.data.get("required_lessons", "all")
        if value == "all":
            required: tuple[str, ...] | None = ("all",)
        else:
            required = c.text_list("required_lessons", ids=True)
        return {"required": required, "pass_mark": pass_mark, "line": c.line_of("required_lessons"), "path": r.path}

    def _leaflet(self, r: FieldReader) -> LeafletContent | None:
        if not r.has("leaflet"):
            r.text("leaflet")
            return None
        lf = FieldReader(r.data["leaflet"], r.path, self.diags, "leaflet", r.line_of("leaflet"))
        lf.check_keys({"headline", "intro", "steps", "help", "qr_page"})
        headline = lf.text("headline", max_len=80)
        intro = lf.text("intro", required=False, max_len=300)
        steps = lf.text_list("steps", min_items=2, max_items=6, max_len=120)
        help_lines = lf.text_list("help", min_items=1, max_items=4, max_len=100)
        qr_page = lf.text("qr_page", required=False) or ""
        if qr_page and (qr_page.startswith(("/", "\\")) or ".." in qr_page or "://" in qr_page):
            lf.error("qr_page", "phải là đường dẫn tương đối bên trong trang khóa học")
            qr_page = ""
        if headline is None or steps is None or help_lines is None:
            return None
        return LeafletContent(headline, intro or "", steps, help_lines, qr_page)

    def _large_print(self, r: FieldReader) -> LargePrintContent | None:
        """The citizen's sheet: short on purpose, so that it fits A4 at 18 pt and one phone screen."""
        if not r.has("large_print"):
            return None
        lp = FieldReader(r.data["large_print"], r.path, self.diags, "large_print", r.line_of("large_print"))
        if not lp.ok_mapping:
            return None
        lp.check_keys({"headline", "steps", "help"})
        headline = lp.text("headline", max_len=60)
        steps = lp.text_list("steps", min_items=3, max_items=4, max_len=70)
        help_lines = lp.text_list("help", min_items=1, max_items=3, max_len=50)
        if headline is None or steps is None or help_lines is None:
            return None
        return LargePrintContent(headline, steps, help_lines)

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
        sources = read_sources(r, self.diags, self.today)
        curriculum = read_curriculum(r, self.diags)
        if not doc.body.strip():
            self.diags.error(rel, doc.body_line, "(nội dung)", "bài học chưa có nội dung")
        if len(self.diags.errors) > start or None in (lid, title, objectives, duration, key_points):
            return None
        source = SourceRef(rel, r.line_of("id"))
        for index, oid in enumerate(objectives):
            self.remember(source, f"objectives:{oid}", r.item_line("objectives", index))
        self.remember(source, "sources", r.line_of("sources"))
        self.remember(source, "curriculum", r.line_of("curriculum"))
        return Lesson(
            id=lid, course_id=course_id, number=number, slug=path.stem, title=title, objectives=objectives,
            duration_minutes=duration, key_points=key_points, body=doc.body, body_line=doc.body_line,
            path=path.resolve(), source=source, sources=sources or (), curriculum=curriculum,
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
            for number, title in generated_section_clashes(lesson.body):
                self.diags.warning(rel, lesson.body_line + number, "(nội dung)",
                                   f'tiêu đề "{title}" trùng mục coursegen tự thêm vào cuối bài; liên kết tới mục đó '
                                   'sẽ trỏ nhầm. Hãy đổi tên, ví dụ "Câu hỏi suy ngẫm"')
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

    # -- whole project -----------------------------------------------------------------------
    def load(self) -> Corpus | None:
        settings = self.load_settings()
        courses_dir = self.root / "courses"
        drafts: dict[str, _CourseDraft] = {}
        if not courses_dir.is_dir():
            self.diags.error("courses", 1, "(thư mục)", "không tìm thấy thư mục courses/")
        else:
            for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
                if problem := id_problem(folder.name):
                    self.diags.error(self.rel(folder), 1, "(thư mục)", f"tên thư mục khóa học: {problem}")
                    continue
                if folder.resolve().parent != courses_dir.resolve():
                    # Nothing behind a link out of courses/ is read, not even to look for lessons.
                    self.diags.error(self.rel(folder), 1, "(thư mục)", "thư mục khóa học là liên kết ra ngoài courses/")
                    continue
                draft = self.load_course(folder)
                if draft is None:
                    drafts[folder.name] = _CourseDraft({"id": folder.name, "root": folder.resolve()}, ok=False)
                    self.load_lessons(drafts[folder.name], folder)
                    continue
                drafts[folder.name] = draft
                self.load_lessons(draft, folder)
                self.check_lesson_bodies(draft, folder)
        quizzes_dir = self.root / "quizzes"
        if quizzes_dir.is_dir():
            for path in sorted(quizzes_dir.glob("*.yml")):
                self.load_bank(path, drafts)
        for draft in drafts.values():
            self.check_media_folder(draft.fields["root"])
        self.cross_check(drafts)
        if not self.diags.errors:
            # Readiness (sources, curriculum, final pool, answer cues) is judged once the sources read cleanly:
            # until then the shares would count a bank with questions missing.
            check_readiness(drafts.values(), self.diags, self.line_for)
        self.render_cache.save()
        if self.diags.errors or settings is None:
            return None
        courses = tuple(self.assemble(d) for _, d in sorted(drafts.items()))
        return Corpus(root=self.root, settings=settings, courses=courses)

    def cross_check(self, drafts: dict[str, _CourseDraft]) -> None:
        """Ids unique across the corpus, references resolve, coverage warnings."""
        seen: dict[str, dict[str, SourceRef]] = defaultdict(dict)

        def unique(kind: str, label: str, ident: str, where: SourceRef, field_name: str) -> None:
            if ident in seen[kind]:
                self.diags.error(where.path, where.line, field_name, f'{label} "{ident}" bị trùng (đã khai báo tại {seen[kind][ident]})')
            else:
                seen[kind][ident] = where

        for folder_name, draft in sorted(drafts.items()):
            f = draft.fields
            if f.get("id"):
                course_file = f.get("source") or SourceRef(f"courses/{folder_name}/course.yml", 1)
                unique("course", "mã khóa học", f["id"], course_file, "id")
            declared = f.get("objectives")  # None: course.yml's objectives could not be read
            objectives = declared or ()
            for objective in objectives:
                unique("objective", "mã mục tiêu", objective.id, objective.source, "objectives.id")
            for lesson in draft.lessons:
                unique("lesson", "mã bài học", lesson.id, lesson.source, "id")
            for question in draft.questions:
                where = SourceRef(question.source.path, self.line_for(question.source, "id"))
                unique("question", "mã câu hỏi", question.id, where, f"questions[{question.id}].id")
            if "title" not in f:
                continue  # course.yml itself failed; its own errors say why
            objective_ids = {o.id for o in objectives}
            lesson_ids = {lesson.id for lesson in draft.lessons}
            lessons_known = bool(draft.lessons) and not draft.broken_lessons
            served: set[str] = set()
            for lesson in draft.lessons:
                for oid in lesson.objectives:
                    served.add(oid)
                    if declared is not None and oid not in objective_ids:
                        self.diags.error(lesson.source.path, self.line_for(lesson.source, f"objectives:{oid}"),
                                         "objectives", f'mục tiêu "{oid}" không có trong course.yml của khóa học')
            checked_objectives: set[str] = set()
            checked_lessons: set[str] = set()
            for question in draft.questions:
                where, name = question.source, f"questions[{question.id}]"
                if lessons_known and question.lesson_id not in lesson_ids:
                    self.diags.error(where.path, self.line_for(where, "lesson"), f"{name}.lesson",
                                     f'bài học "{question.lesson_id}" không có trong khóa học {folder_name}')
                checked_lessons.add(question.lesson_id)
                for oid in question.objectives:
                    checked_objectives.add(oid)
                    if declared is not None and oid not in objective_ids:
                        self.diags.error(where.path, self.line_for(where, f"objectives:{oid}"), f"{name}.objectives",
                                         f'mục tiêu "{oid}" không có trong course.yml của khóa học')
            completion = f.get("completion")
            if lessons_known and completion and completion["required"] and completion["required"] != ("all",):
                for lid in completion["required"]:
                    if lid not in lesson_ids:
                        self.diags.error(completion["path"], completion["line"], "completion.required_lessons",
                                         f'bài học "{lid}" không có trong khóa học')
            if draft.partial:
                continue  # coverage cannot be judged while a lesson, a question or the bank is unreadable
            source = f["source"]
            if not draft.quiz_source:
                self.diags.warning(source.path, 1, "(ngân hàng câu hỏi)", f"chưa có tệp quizzes/{folder_name}.yml")
            for objective in objectives or ():
                if objective.id not in checked_objectives:
                    self.diags.warning(objective.source.path, objective.source.line, "objectives",
                                       f'mục tiêu "{objective.id}" chưa có câu hỏi nào kiểm tra')
                if objective.id not in served:
                    self.diags.warning(objective.source.path, objective.source.line, "objectives",
                                       f'mục tiêu "{objective.id}" chưa có bài học nào phục vụ')
            for lesson in draft.lessons:
                if lesson.id not in checked_lessons:
                    self.diags.warning(lesson.source.path, lesson.source.line, "id",
                                       f'bài học "{lesson.id}" chưa có câu hỏi nào')

    def assemble(self, draft: _CourseDraft) -> Course:
        f = draft.fields
        completion = f["completion"]
        required = completion["required"]
        if required == ("all",):
            required = tuple(lesson.id for lesson in draft.lessons)
        order = {lesson.id: lesson.number for lesson in draft.lessons}
        questions = sorted(draft.questions, key=lambda q: (order.get(q.lesson_id, 0), q.source.line))
        return Course(
            id=f["id"], title=f["title"], audience=f["audience"], level=f["level"], summary=f["summary"],
            objectives=f["objectives"], duration_minutes=f["duration_minutes"], version=f["version"],
            release_date=f["release_date"], language=f["language"], license=f["license"], authors=f["authors"],
            completion=CompletionRule(tuple(required), completion["pass_mark"]), leaflet=f["leaflet"],
            large_print=f.get("large_print"),
            lessons=tuple(draft.lessons), questions=tuple(questions), root=f["root"], source=f["source"],
            quiz_source=draft.quiz_source,
        )


def check_project(root: Path) -> tuple[Corpus | None, Diagnostics]:
    """Load ``root`` and return the corpus (None when there are errors) with every diagnostic."""
    loader = ProjectLoader(root)
    corpus = loader.load()
    return corpus, loader.diags


def load_corpus(root: Path, strict: bool = False) -> Corpus:
    """Load a valid corpus for the builders, or raise ``SourceError`` listing every problem."""
    corpus, diags = check_project(root)
    if corpus is None or diags.failed(strict):
        raise SourceError([d for d in diags.sorted() if strict or d.severity == "error"])
    return corpus


__all__ = ["check_project", "load_corpus", "ProjectLoader", "LocatedList", "date"]
