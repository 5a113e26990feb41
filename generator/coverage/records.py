"""Import completion records: lesson attendance and quiz results, from paper checks or an LMS export.

One row is one record: a learner code, a course, a lesson (attendance) and/or a score (the final
check), and a date. Paper attendance sheets may carry a "Có mặt" column: rows marked absent are
skipped, not rejected. Scores are read on a 10-point scale unless the row or header says otherwise
("Điểm (%)", "85%", a "Điểm tối đa"/"Thang điểm" column, or ``--scale``).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience, Corpus, Course
from ..text import fold
from .facts import CourseRule, refresh_completions
from .importing import ImportSummary, LearnerIds, Rejection, log_files
from .parallel import read_in_workers, reader_count, split_by_size, worth_a_worker
from .rosters import CODE_HEADERS
from .storage import Database, RowWriter, pause_for_tests
from .tables import FieldSpec, Table, column_letter, header_key, read_tables
from .values import PRESENT, ValueProblem, attendance_mark, code_key, learner_code, parse_date, score_basis_points, text

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
    numbered=((re.compile(r"^(?:bai|bai hoc|buoi|buoi hoc|tiet)\s*(\d{1,3})\b"), "lesson"),),
)
# A column an attendance book would use that the import does not understand ("Tuần 1", "06/10"):
# refused by name rather than dropped.
# (An LMS export's "Câu 1", "Q. 2 /1.00" are not: they are ignored as before.)
_LOOKS_LIKE_ATTENDANCE = re.compile(r"^(?:tuan|lan|ngay|buoi thu|b|t)\s*\d|^\d{1,2}\s+\d{1,2}(?:\s+\d{2,4})?$")
_HEADER_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")

FIELD_LABELS = {
    "code": "Mã", "course": "Khóa học", "lesson": "Bài học", "present": "Có mặt", "score": "Điểm",
    "max_score": "Điểm tối đa", "date": "Ngày",
}

NOT_TAKEN = {"", "-", "--", "chua lam", "chua lam bai", "khong lam bai"}  # an LMS export's "not attempted"

SHARED_FIELDS = ("course", "lesson", "present", "score", "max_score", "date")  # all but the learner's code
MEMO_LIMIT = 200_000  # distinct combinations remembered per table (dates with times can make many)


@dataclass(frozen=True)
class RecordOptions:
    course: str | None = None  # course for files without a course column
    scale: float = 10.0  # maximum score when the file does not say
    encoding: str | None = None
    sheet: str | None = None
    include_hidden: bool = False  # read hidden rows and sheets too


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
                 summary: ImportSummary, counts: _Counts, lengths_of=lambda audience: set()):
        self.table, self.index, self.courses, self.options, self.as_of = table, index, courses, options, as_of
        self.summary, self.counts = summary, counts
        self.lengths_of = lengths_of  # audience → the lengths of the roster's digit codes
        self._lengths: dict[str, set[int]] = {}
        self.numeric_codes = 0
        score_column = next((i for i, f in table.columns.items() if f == "score"), None)
        self.percent_header = score_column is not None and "%" in header_key(table.header[score_column])
        present = next((i for i, f in table.columns.items() if f == "present"), None)
        self.marked = present is not None
        self.mark_index = present
        self.mark_column = column_letter(present) if present is not None else ""
        # An attendance book: a column per lesson ("Bài 1" … "Bài 9"), each cell a mark.
        self.book = sorted((int(f.split(":")[1]), i) for i, f in table.columns.items() if f.startswith("lesson:"))
        if self.book and (table.has("lesson") or self.marked):
            names = ", ".join(f'"{table.header[i]}"' for _, i in self.book)
            raise CoursegenError(f"{table.location}: có cả cột Bài học/Có mặt và các cột từng bài ({names});"
                                 " hãy dùng một trong hai cách ghi")
        unknown = [f'"{h}" ({column_letter(i)})' for i, h in enumerate(table.header)
                   if i not in table.columns and h and _LOOKS_LIKE_ATTENDANCE.match(header_key(h))]
        if unknown:
            raise CoursegenError(
                f"{table.location}: không hiểu các cột {', '.join(unknown)}; cột điểm danh từng bài phải có tên"
                ' "Bài 1", "Bài 2"… (hoặc "Buổi 1"), cột điểm tên "Điểm", cột ngày tên "Ngày"; sửa tên cột rồi nhập lại'
                " (không cột nào bị bỏ qua lặng lẽ)"
            )

    def import_rows(self, learners: LearnerIds, attendance: RowWriter, results: RowWriter,
                    touched: dict[str, bytearray]) -> None:
        """Write the good rows: the hot loop of a national import. Everything but the learner code
        (course, lesson, score, date, presence) repeats across thousands of rows, so each distinct
        combination is checked once and remembered, with the same messages as row by row."""
        memo: dict[tuple, tuple] = {}
        table, location, index, summary, counts = self.table, self.table.location, self.index, self.summary, self.counts
        if self.book:
            return self._import_book(learners, attendance, results, touched)
        pick = table.picker([f for f in SHARED_FIELDS if table.has(f)])
        add_attendance, add_result = attendance.add, results.add
        read = imported = 0
        marks: dict[object, int] = {}
        mark_index = self.mark_index
        for line, cells, code in table.scan():
            read += 1
            if mark_index is not None:
                mark = cells[mark_index]
                marks[mark] = marks.get(mark, 0) + 1
            if not read & 0xFFF:
                attendance.flush_if_full()
                results.flush_if_full()
            key = pick(cells)
            outcome = memo.get(key)
            if outcome is None:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                outcome = memo[key] = self._outcome(table.values_of(cells), learners, touched)
            kind = outcome[0]
            if kind == "absent":
                counts.absent += 1
                continue
            if kind == "not-taken":
                counts.not_taken += 1
                continue
            if code is None:  # not in the stored form yet
                try:
                    raw_code = table.values_of(cells)["code"]
                    if isinstance(raw_code, (int, float)):
                        self.numeric_codes += 1
                    code = learner_code(raw_code)
                except ValueProblem as exc:
                    problems = [f"{FIELD_LABELS['code']}: {exc}", *(outcome[1] if kind == "bad" else ())]
                    summary.reject(Rejection(location, line, "; ".join(problems), table.raw_of(cells), index))
                    continue
            if kind == "bad":
                summary.reject(Rejection(location, line, "; ".join(outcome[1]), table.raw_of(cells), index))
                continue
            _, codes, learners_touched, course_id, lesson_id, score, day, audience = outcome
            learner_id = codes.get(code if code[0] != "0" else code_key(code))
            if learner_id is None:
                summary.reject(self._not_on_roster(line, cells, code, audience))
                continue
            imported += 1
            learners_touched[learner_id] = 1
            if lesson_id is not None:
                add_attendance((learner_id, course_id, lesson_id, day))
            if score is not None:
                add_result((learner_id, course_id, day, score))
        summary.rows_read += read
        counts.imported += imported
        for mark, count in marks.items():
            self._count_mark(mark, count)

    def _count_mark(self, mark: object, count: int) -> None:
        try:
            meaning = attendance_mark(mark)
        except ValueProblem:
            meaning = "không rõ nghĩa (dòng bị từ chối)"
        written = text(mark) or "(ô trống)"
        key = (written, meaning)
        self.summary.marks[key] = self.summary.marks.get(key, 0) + count

    def _not_on_roster(self, line: int, cells: tuple, code: str, audience: str) -> Rejection:
        """"Not on the roster", showing the code and hinting at a lost leading zero when the code is
        a number shorter than the roster's codes."""
        hint = ""
        if code.isdigit():
            lengths = self.roster_lengths(audience)
            if lengths and len(code) < max(lengths):
                hint = (f"; mã ngắn hơn các mã trong danh sách ({max(lengths)} chữ số), có lẽ ô Mã đã mất số 0 ở đầu,"
                        " nhưng thêm số 0 vào cũng không có mã này: hãy kiểm tra lại mã")
        return Rejection(
            self.table.location, line,
            f'Mã: mã "{code}" không có trong danh sách {Audience(audience).label.lower()}; hãy nhập danh sách người'
            f" học trước{hint}", self.table.raw_of(cells), self.index,
        )

    def roster_lengths(self, audience: str) -> set[int]:
        found = self._lengths.get(audience)
        if found is None:
            found = self._lengths[audience] = self.lengths_of(audience)
        return found

    def _import_book(self, learners: LearnerIds, attendance: RowWriter, results: RowWriter,
                     touched: dict[str, bytearray]) -> None:
        """An attendance book: one row per learner, a mark per lesson column, maybe a score and a date.
        Each mark becomes an attendance record (present) or is counted (absent); an unknown mark
        rejects the row, naming its column."""
        table, summary, counts = self.table, self.summary, self.counts
        header_days = {}
        for number, index in self.book:
            found = _HEADER_DATE.search(table.header[index])
            if found:
                header_days[number] = f"{found.group(1)}/{found.group(2)}/{found.group(3)}"
        read = imported = 0
        for line, cells, code in table.scan():
            read += 1
            values = table.values_of(cells)
            problems: list[str] = []
            if code is None:
                try:
                    code = learner_code(values["code"])
                except ValueProblem as exc:
                    problems.append(f"{FIELD_LABELS['code']}: {exc}")
            staged: list[tuple] = []
            for number, index in self.book:
                cell = cells[index] if index < len(cells) else None
                self._count_mark(cell, 1)
                column = f'cột {column_letter(index)[4:]} "{table.header[index]}"'
                try:
                    meaning = attendance_mark(cell)
                except ValueProblem as exc:
                    problems.append(f"{FIELD_LABELS['present']} ({column}): {exc}")
                    continue
                if meaning != PRESENT:
                    counts.absent_cells += 1
                    continue
                lesson_values = {**values, "score": None, "lesson": str(number), "present": None}
                if number in header_days:
                    lesson_values["date"] = header_days[number]
                kind, payload = self._checked(lesson_values)
                if kind == "bad":
                    problems.extend(f"{p} ({column})" for p in payload)
                elif kind == "ok":
                    staged.append(payload)
            if not _not_taken(values.get("score")):
                kind, payload = self._checked({**values, "lesson": None, "present": None})
                if kind == "bad":
                    problems.extend(payload)
                elif kind == "ok":
                    staged.append(payload)
            if problems:
                summary.reject(Rejection(table.location, line, "; ".join(dict.fromkeys(problems)),
                                         table.raw_of(cells), self.index))
                continue
            if not staged:
                continue
            audience = staged[0][0]
            codes = learners.of(audience)
            learner_id = codes.get(code_key(code))
            if learner_id is None:
                summary.reject(self._not_on_roster(line, cells, code, audience))
                continue
            imported += 1
            for _, course_id, lesson_id, score, day in staged:
                touched[course_id][learner_id] = 1
                if lesson_id is not None:
                    attendance.add((learner_id, course_id, lesson_id, day))
                if score is not None:
                    results.add((learner_id, course_id, day, score))
            attendance.flush_if_full()
            results.flush_if_full()
        summary.rows_read += read
        counts.imported += imported

    def _checked(self, values: dict[str, object]) -> tuple[str, object]:
        problems: list[str] = []
        staged = self._validate(values, problems)
        return ("bad", tuple(problems)) if problems else ("ok", staged)

    def _outcome(self, values: dict[str, object], learners: LearnerIds, touched: dict[str, bytearray]) -> tuple:
        """What the loop needs for rows with these values: ("absent",), ("not-taken",), ("bad", problems)
        or ("ok", the audience's learner ids, the course's touched learners, course, lesson, score, date, audience)."""
        kind, payload = self._classify(values)
        if kind != "ok":
            return kind, payload
        audience, course_id, lesson_id, score, day = payload
        return kind, learners.of(audience), touched[course_id], course_id, lesson_id, score, day, audience

    def _classify(self, values: dict[str, object]) -> tuple[str, object]:
        """("absent" | "not-taken", None), ("bad", problems) or ("ok", staged values but the code)."""
        no_score = _not_taken(values.get("score"))
        if self.marked:
            try:
                meaning = attendance_mark(values.get("present"))
            except ValueProblem as exc:
                return "bad", (f"{FIELD_LABELS['present']} ({self.mark_column}): {exc}",)
            if meaning != PRESENT:
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


@dataclass
class _Counts:
    imported: int = 0
    absent: int = 0
    absent_cells: int = 0  # in attendance books
    not_taken: int = 0

    def merge(self, other: _Counts) -> None:
        self.imported += other.imported
        self.absent += other.absent
        self.absent_cells += other.absent_cells
        self.not_taken += other.not_taken


def _read_files(writers: dict, paths: list[Path], options: RecordOptions, courses: CourseIndex, as_of: date,
                learners: LearnerIds, size: int) -> tuple[ImportSummary, _Counts, dict[str, bytearray]]:
    """Read and check every row of ``paths``, handing the good ones to ``writers`` ("attendance",
    "results"): in the importing process, or in a reader process (``parallel.read_in_worker``).
    Returns what was read (files, tables, rejections), the counts, and the learners named per course."""
    summary = ImportSummary(kind="records", dry_run=False)
    counts = _Counts()
    touched: dict[str, bytearray] = defaultdict(lambda: bytearray(size))
    for path in paths:
        summary.files.append(path.name)
        for table in read_tables(path, RECORD_FIELDS, encoding=options.encoding, sheet=options.sheet,
                                 on_skip=summary.warnings.append, include_hidden=options.include_hidden):
            table.description = "điểm danh và kết quả kiểm tra" + (
                f" của khóa học {options.course}" if options.course and not table.has("course") else "")
            book = sorted(int(f.split(":")[1]) for f in table.columns.values() if f.startswith("lesson:"))
            if book:
                table.description += f"; sổ điểm danh theo bài (cột bài {', '.join(map(str, book))})"
            if options.course and not table.has("course"):
                table.carried["Khóa học"] = options.course
            if options.scale != 10.0 and not table.has("max_score"):
                table.carried["Điểm tối đa"] = f"{options.scale:g}"
            summary.tables.append(table)
            reader = _RowReader(table, len(summary.tables) - 1, courses, options, as_of, summary, counts,
                                lambda audience: {len(k) for k in learners.of(audience)} | learners.zero_lengths(audience))
            reader.import_rows(learners, writers["attendance"], writers["results"], touched)
            summary.notes += table.layout.notes(table.location)
            if reader.numeric_codes:
                summary.notes.append(
                    f"{table.location}: {reader.numeric_codes} ô Mã được lưu dạng số (có thể đã mất số 0 ở đầu);"
                    " chúng được khớp với danh sách theo mã bỏ các số 0 đầu")
            table.close()
    return summary, counts, dict(touched)


def _union(one: bytearray, other: bytearray) -> bytearray:
    """The learners named in either of two readers' maps (one byte, 0 or 1, per learner id)."""
    both = int.from_bytes(one, "little") | int.from_bytes(other, "little")
    return bytearray(both.to_bytes(len(one), "little"))


def import_records(db: Database, corpus: Corpus, paths: list[Path], options: RecordOptions, *, as_of: date,
                   dry_run: bool = False) -> ImportSummary:
    """Import attendance and quiz results in one transaction; learners must be on a roster already.

    Codes are resolved to learners in memory (one dictionary per audience) and the records written
    straight into their tables; then the completions of the learners the import touched are
    recomputed (``facts.refresh_completions``), so reports need not read the records again."""
    summary = ImportSummary(kind="records", dry_run=dry_run)
    courses = CourseIndex(corpus)
    if options.course:
        try:
            courses.course(options.course)
        except ValueProblem as exc:
            raise CoursegenError(f"tùy chọn --course: {exc}") from None
    counts = _Counts()
    with db.transaction(rollback=dry_run):
        learners = LearnerIds(db)
        attendance = db.writer("attendance", ("learner_id", "course_id", "lesson_id", "attended_on"))
        results = db.writer("quiz_results", ("learner_id", "course_id", "taken_on", "score_bp"))
        # The learners each course's rows name, as one byte per learner id (3 MB for 3 million).
        size = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM learners")) + 1
        writers = {"attendance": attendance, "results": results}
        read = (paths, options, courses, as_of, learners, size)
        if worth_a_worker(sum(path.stat().st_size for path in paths if path.is_file())):
            for audience in sorted({course.audience.value for course in corpus.courses}):
                learners.of(audience)  # loaded before the fork: readers cannot use the database
            # Records files are independent of one another: runs of them are read by several
            # processes at once, and what they found is joined in file order.
            parts = read_in_workers(
                _read_files, {name: writer.write_batch for name, writer in writers.items()},
                [(run, *read[1:]) for run in split_by_size(paths, reader_count())])
        else:
            parts = [_read_files(writers, *read)]
        touched: dict[str, bytearray] = {}
        for part, part_counts, part_touched in parts:
            summary.merge(part)
            counts.merge(part_counts)
            for course_id, named in part_touched.items():
                touched[course_id] = _union(touched[course_id], named) if course_id in touched else named
        new_attendance, new_results = attendance.close(), results.close()
        pause_for_tests("staged")
        rules = {course.id: CourseRule.of(course) for course in corpus.courses}
        for course_id, named in sorted(touched.items()):
            rule = rules[course_id]
            # When the import names most of the course's learners (a national import), one pass over
            # the whole course costs less than looking up each named learner's records.
            most = 2 * named.count(1) >= len(learners.of(rule.audience.value))
            refresh_completions(db, rule, None if most else (i for i, flag in enumerate(named) if flag))
        log_files(db, "records", paths, summary)
        summary.rows_imported = counts.imported
        pause_for_tests("merged")
    summary.changes = {"lượt điểm danh mới": new_attendance, "kết quả kiểm tra mới": new_results}
    summary.unchanged = {
        "lượt điểm danh đã có": attendance.sent - new_attendance,
        "kết quả kiểm tra đã có": results.sent - new_results,
    }
    if counts.absent:
        summary.unchanged["dòng vắng mặt (bỏ qua)"] = counts.absent
    if counts.absent_cells:
        summary.unchanged["ô vắng mặt trong sổ điểm danh (không tính là đã học)"] = counts.absent_cells
    if counts.not_taken:
        summary.unchanged["dòng không có bài học hay điểm, như chưa làm bài (bỏ qua)"] = counts.not_taken
    return summary
