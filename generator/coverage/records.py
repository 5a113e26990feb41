"""Import completion records: lesson attendance and quiz results, from paper checks or an LMS export.

One row is one record: a learner code, a course, a lesson (attendance) and/or a score (the final
check), and a date. Paper attendance sheets may carry a "Có mặt" column: rows marked absent are
skipped, not rejected. Scores are read on a 10-point scale unless the row or header says otherwise
("Điểm (%)", "85%", a "Điểm tối đa"/"Thang điểm" column, or ``--scale``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience, Corpus, Course
from ..text import fold
from .importing import RAW_SEPARATOR, ImportSummary, Rejection, log_files, split_raw
from .rosters import CODE_HEADERS
from .storage import Database, pause_for_tests
from .tables import FieldSpec, Table, header_key, read_tables
from .values import ValueProblem, learner_code, parse_date, score_basis_points, text

RECORD_FIELDS = FieldSpec(
    aliases={
        "code": (*CODE_HEADERS, "so id", "id number", "ma so sinh vien"),
        "full_name": ("ho va ten", "ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "ho va ten nguoi hoc"),
        "course": ("khoa hoc", "ma khoa hoc", "ten khoa hoc", "khoa"),
        "lesson": ("bai hoc", "bai", "ma bai hoc", "ten bai hoc", "buoi hoc", "bai hoc da hoc"),
        "present": ("co mat", "diem danh", "tham du", "co mat x"),
        "score": (
            "diem", "diem so", "diem kiem tra", "diem bai kiem tra", "diem kiem tra cuoi khoa", "diem cuoi khoa",
            "ket qua kiem tra", "diem %", "diem ti le %", "diem ty le %", "ti le dung %", "ty le dung %",
            "diem bai kiem tra cuoi khoa",
        ),
        "max_score": ("diem toi da", "thang diem"),
        "date": (
            "ngay", "ngay hoc", "ngay kiem tra", "ngay lam bai", "ngay hoan thanh", "ngay thang", "thoi gian",
            "ngay diem danh", "ngay thi", "ngay nop bai",
        ),
    },
    key_field="code",
    key_label="Mã học sinh",
    minimum=3,
)

FIELD_LABELS = {
    "code": "Mã", "course": "Khóa học", "lesson": "Bài học", "present": "Có mặt", "score": "Điểm",
    "max_score": "Điểm tối đa", "date": "Ngày",
}

NOT_TAKEN = {"", "-", "--", "chua lam", "chua lam bai", "khong lam bai"}  # an LMS export's "not attempted"
ABSENT = {"", "0", "v", "vang", "khong", "k", "no", "false", "vang co phep", "vang khong phep", "kp", "p"}

STAGE_COLUMNS = (
    "seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, line INTEGER NOT NULL, audience TEXT NOT NULL,"
    " code TEXT NOT NULL, course_id TEXT NOT NULL, lesson_id TEXT, score_bp INTEGER, on_date TEXT NOT NULL,"
    " raw TEXT NOT NULL"
)


SHARED_FIELDS = ("course", "lesson", "present", "score", "max_score", "date")  # all but the learner's code
MEMO_LIMIT = 200_000  # distinct combinations remembered per table (dates with times can make many)
_PLAIN_CODE = re.compile(r"[0-9A-Z][0-9A-Z._/-]{0,39}\Z")  # already in the stored form: no cleaning needed


@dataclass(frozen=True)
class RecordOptions:
    course: str | None = None  # course for files without a course column
    scale: float = 10.0  # maximum score when the file does not say
    encoding: str | None = None
    sheet: str | None = None


def _not_taken(score: object) -> bool:
    """An empty score cell, or an LMS's "-" for a quiz not attempted."""
    if isinstance(score, (int, float)):
        return False
    value = text(score)
    return not value or (not value[0].isdigit() and fold(value) in NOT_TAKEN)


class CourseIndex:
    """Resolves what teachers write for a course (id or title) and a lesson (id, number, slug, title).

    Answers (and refusals) are remembered per distinct text: a file repeats the same few values.
    """

    def __init__(self, corpus: Corpus):
        self.courses = corpus.courses
        self._courses: dict[str, Course | ValueProblem] = {}
        self._lessons: dict[tuple[str, str], str | ValueProblem] = {}

    def course(self, value: str) -> Course:
        found = self._courses.get(value)
        if found is None:
            found = self._courses[value] = self._find_course(value)
        if isinstance(found, ValueProblem):
            raise found
        return found

    def lesson(self, course: Course, value: str) -> str:
        found = self._lessons.get((course.id, value))
        if found is None:
            found = self._lessons[(course.id, value)] = self._find_lesson(course, value)
        if isinstance(found, ValueProblem):
            raise found
        return found

    def _find_course(self, value: str) -> Course | ValueProblem:
        key = fold(value).strip()
        for course in self.courses:
            if key in (course.id, fold(course.title)):
                return course
        names = {course.id: course.id for course in self.courses} | {fold(c.title): c.id for c in self.courses}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        hint = f'; có phải "{names[close[0]]}"?' if close else ""
        known = ", ".join(c.id for c in self.courses)
        return ValueProblem(f'không có khóa học "{value}"{hint} (các khóa học: {known})')

    def _find_lesson(self, course: Course, value: str) -> str | ValueProblem:
        key = fold(value).strip()
        number = re.fullmatch(r"(?:bai|buoi|bai hoc)?\s*(\d{1,3})", key)
        for lesson in course.lessons:
            if key in (lesson.id, lesson.slug, fold(lesson.title)) or (number and int(number.group(1)) == lesson.number):
                return lesson.id
        listing = ", ".join(f"{lesson.number} ({lesson.id})" for lesson in course.lessons)
        return ValueProblem(f'khóa học "{course.id}" không có bài "{value}" (các bài: {listing})')


class _RowReader:
    def __init__(self, table: Table, index: int, courses: CourseIndex, options: RecordOptions, as_of: date,
                 summary: ImportSummary, seq: list[int], absent: list[int], not_taken: list[int]):
        self.table, self.index, self.courses, self.options, self.as_of = table, index, courses, options, as_of
        self.summary, self.seq, self.absent, self.not_taken = summary, seq, absent, not_taken
        score_column = next((i for i, f in table.columns.items() if f == "score"), None)
        self.percent_header = score_column is not None and "%" in header_key(table.header[score_column])

    def stage_rows(self) -> Iterator[tuple]:
        """Staging tuples for the good rows. Everything but the learner code (course, lesson, score,
        date, presence) repeats across thousands of rows, so each distinct combination is checked once
        and remembered: the fast path for national imports, with the same messages as row by row."""
        memo: dict[tuple, tuple[str, object]] = {}
        fields = [f for f in SHARED_FIELDS if self.table.has(f)]
        location, index, summary, seq = self.table.location, self.index, self.summary, self.seq
        for row in self.table.rows():
            summary.rows_read += 1
            values = row.values
            key = tuple(map(values.get, fields))
            outcome = memo.get(key)
            if outcome is None:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                outcome = memo[key] = self._classify(values)
            kind, payload = outcome
            if kind == "absent":
                self.absent[0] += 1
                continue
            if kind == "not-taken":
                self.not_taken[0] += 1
                continue
            code = values.get("code")
            if not (type(code) is str and _PLAIN_CODE.match(code)):
                try:
                    code = learner_code(code)
                except ValueProblem as exc:
                    problems = [f"{FIELD_LABELS['code']}: {exc}", *(payload if kind == "bad" else ())]
                    summary.reject(Rejection(location, row.line, "; ".join(problems), row.raw, index))
                    continue
            if kind == "bad":
                summary.reject(Rejection(location, row.line, "; ".join(payload), row.raw, index))
                continue
            seq[0] += 1
            audience, course_id, lesson_id, score, day = payload
            yield (seq[0], index, row.line, audience, code, course_id, lesson_id, score, day,
                   RAW_SEPARATOR.join(row.raw))

    def _classify(self, values: dict[str, object]) -> tuple[str, object]:
        """("absent" | "not-taken", None), ("bad", problems) or ("ok", staged values but the code)."""
        no_score = _not_taken(values.get("score"))
        if self.table.has("present") and fold(text(values.get("present"))) in ABSENT:
            if no_score:
                return "absent", None
            values = {**values, "lesson": None}  # absent from the lesson, but the score counts
        if no_score and not text(values.get("lesson")):
            return "not-taken", None
        problems: list[str] = []
        staged = self._validate(values, problems)
        return ("bad", tuple(problems)) if problems else ("ok", staged)

    def _validate(self, values: dict[str, object], problems: list[str]) -> tuple:
        def check(field: str, parse, *args):
            try:
                return parse(*args)
            except ValueProblem as exc:
                problems.append(f"{FIELD_LABELS[field]}: {exc}")
                return None

        course_text = text(values.get("course")) or (self.options.course or "")
        course = None
        if not course_text:
            problems.append(f"{FIELD_LABELS['course']}: thiếu khóa học (thêm cột Khóa học hoặc dùng --course)")
        else:
            course = check("course", self.courses.course, course_text)
        lesson_text = text(values.get("lesson"))
        score_text = "" if _not_taken(values.get("score")) else text(values.get("score"))
        lesson_id = score = None
        if course is not None and lesson_text:
            lesson_id = check("lesson", self.courses.lesson, course, lesson_text)
        if score_text:
            score = check("score", score_basis_points, values.get("score"), values.get("max_score"),
                          self.options.scale, self.percent_header)
        day = check("date", parse_date, values.get("date"))
        if day is not None and day > self.as_of:
            problems.append(f"{FIELD_LABELS['date']}: ngày {day:%d/%m/%Y} ở sau ngày hôm nay ({self.as_of:%d/%m/%Y})")
        elif day is not None and day.year < 2020:
            problems.append(f"{FIELD_LABELS['date']}: ngày {day:%d/%m/%Y} quá xa, có lẽ ghi nhầm")
        if problems:
            return ()
        assert course is not None and day is not None
        return (course.audience.value, course.id, lesson_id, score, day.isoformat())


def import_records(db: Database, corpus: Corpus, paths: list[Path], options: RecordOptions, *, as_of: date,
                   dry_run: bool = False) -> ImportSummary:
    """Import attendance and quiz results in one transaction; learners must be on a roster already."""
    summary = ImportSummary(kind="records", dry_run=dry_run)
    courses = CourseIndex(corpus)
    if options.course:
        try:
            courses.course(options.course)
        except ValueProblem as exc:
            raise CoursegenError(f"tùy chọn --course: {exc}") from None
    with db.transaction(rollback=dry_run):
        db.temp_table("stage_records", STAGE_COLUMNS)
        seq, absent, not_taken = [0], [0], [0]
        for path in paths:
            summary.files.append(path.name)
            for table in read_tables(path, RECORD_FIELDS, encoding=options.encoding, sheet=options.sheet,
                                     on_skip=summary.warnings.append):
                table.description = "điểm danh và kết quả kiểm tra" + (
                    f" của khóa học {options.course}" if options.course and not table.has("course") else "")
                summary.tables.append(table)
                reader = _RowReader(table, len(summary.tables) - 1, courses, options, as_of, summary, seq, absent,
                                    not_taken)
                db.copy_rows(
                    "stage_records",
                    ("seq", "tbl", "line", "audience", "code", "course_id", "lesson_id", "score_bp", "on_date", "raw"),
                    reader.stage_rows(),
                )
        db.execute("CREATE INDEX stage_records_code ON stage_records (audience, code)")
        db.analyze("stage_records", "learners", "attendance", "quiz_results")
        pause_for_tests("staged")
        _reject_unknown_learners(db, summary)
        _merge(db, summary)
        db.analyze("attendance", "quiz_results")
        log_files(db, "records", paths, summary)
        summary.rows_imported = int(db.scalar("SELECT COUNT(*) FROM stage_records"))
        db.drop_temp_table("stage_records")
        pause_for_tests("merged")
    if absent[0]:
        summary.unchanged["dòng vắng mặt (bỏ qua)"] = absent[0]
    if not_taken[0]:
        summary.unchanged["dòng không có bài học hay điểm, như chưa làm bài (bỏ qua)"] = not_taken[0]
    return summary


def _reject_unknown_learners(db: Database, summary: ImportSummary) -> None:
    unknown_where = (
        "NOT EXISTS (SELECT 1 FROM learners l WHERE l.audience = stage_records.audience AND l.code = stage_records.code)"
    )
    for table, line, raw, audience in db.query(
        f"SELECT tbl, line, raw, audience FROM stage_records WHERE {unknown_where} ORDER BY seq"
    ):
        label = Audience(audience).label.lower()
        summary.reject(Rejection(
            summary.tables[table].location, line,
            f"Mã: không có trong danh sách {label}; hãy nhập danh sách người học trước",
            split_raw(raw), table,
        ))
    db.execute(f"DELETE FROM stage_records WHERE {unknown_where}")


def _merge(db: Database, summary: ImportSummary) -> None:
    attendance = """SELECT DISTINCT l.id AS learner_id, s.course_id, s.lesson_id, s.on_date
                    FROM stage_records s JOIN learners l ON l.audience = s.audience AND l.code = s.code
                    WHERE s.lesson_id IS NOT NULL"""
    results = """SELECT DISTINCT l.id AS learner_id, s.course_id, s.on_date, s.score_bp
                 FROM stage_records s JOIN learners l ON l.audience = s.audience AND l.code = s.code
                 WHERE s.score_bp IS NOT NULL"""
    new_attendance, old_attendance = db.query(
        f"""SELECT COALESCE(SUM(CASE WHEN a.learner_id IS NULL THEN 1 ELSE 0 END), 0), COUNT(a.learner_id)
            FROM ({attendance}) n LEFT JOIN attendance a ON a.learner_id = n.learner_id
              AND a.course_id = n.course_id AND a.lesson_id = n.lesson_id AND a.attended_on = n.on_date"""
    )[0]
    new_results, old_results = db.query(
        f"""SELECT COALESCE(SUM(CASE WHEN q.learner_id IS NULL THEN 1 ELSE 0 END), 0), COUNT(q.learner_id)
            FROM ({results}) n LEFT JOIN quiz_results q ON q.learner_id = n.learner_id
              AND q.course_id = n.course_id AND q.taken_on = n.on_date AND q.score_bp = n.score_bp"""
    )[0]
    db.execute(
        f"""INSERT INTO attendance (learner_id, course_id, lesson_id, attended_on)
            SELECT learner_id, course_id, lesson_id, on_date FROM ({attendance}) n WHERE true
            ON CONFLICT (learner_id, course_id, lesson_id, attended_on) DO NOTHING"""
    )
    db.execute(
        f"""INSERT INTO quiz_results (learner_id, course_id, taken_on, score_bp)
            SELECT learner_id, course_id, on_date, score_bp FROM ({results}) n WHERE true
            ON CONFLICT (learner_id, course_id, taken_on, score_bp) DO NOTHING"""
    )
    summary.changes = {"lượt điểm danh mới": int(new_attendance), "kết quả kiểm tra mới": int(new_results)}
    summary.unchanged = {
        "lượt điểm danh đã có": int(old_attendance),
        "kết quả kiểm tra đã có": int(old_results),
    }
