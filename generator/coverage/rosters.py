"""Import learner rosters (students, staff, community-team members) from school and agency exports.

Each learner gets a code, an audience, a unit (school, agency or team), a commune and a province;
students also a grade, a class and a school year. A learner is keyed by (audience, code); a roster
row is an enrolment of that learner for one period: the school year for students, the calendar year
for staff and team members. Importing a newer roster for the same period updates the enrolment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience
from ..yamlsource import control_problem
from .geography import RESOLUTION, GeographyError, resolve_commune, resolve_province
from .importing import RAW_SEPARATOR, ImportSummary, Rejection, WarningCollector, log_files, split_raw
from .storage import Database, pause_for_tests
from .tables import FieldSpec, Table, read_tables
from .values import (
    ValueProblem,
    learner_code,
    parse_grade,
    parse_school_year,
    parse_year,
    period_from_title,
    text,
    unit_key,
)

CODE_HEADERS = (
    "ma hoc sinh", "ma hs", "ma dinh danh", "ma dinh danh hoc sinh", "ma so hoc sinh", "ma nguoi hoc",
    "ma hoc vien", "ma can bo", "ma cb", "ma so can bo", "ma cong chuc", "ma vien chuc", "ma nhan vien",
    "ma thanh vien", "ma so", "ma", "so cccd", "so dinh danh ca nhan", "so dinh danh",
)

ROSTER_FIELDS = FieldSpec(
    aliases={
        "code": CODE_HEADERS,
        "full_name": (
            "ho va ten", "ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "ho va ten can bo", "ho ten can bo",
            "ho va ten thanh vien", "ho ten thanh vien", "ho va ten nguoi hoc",
        ),
        "family_name": ("ho", "ho dem", "ho va ten dem", "ho va dem", "ho va chu dem"),
        "given_name": ("ten",),
        "class_name": ("lop", "ten lop", "lop hoc"),
        "grade": ("khoi", "khoi lop"),
        "unit": (
            "truong", "ten truong", "truong thpt", "don vi", "ten don vi", "co quan", "co quan don vi",
            "co quan don vi cong tac", "don vi cong tac", "noi cong tac", "to", "ten to", "to cong nghe so cong dong",
            "to cnscd", "to cong nghe so",
        ),
        "commune": (
            "xa phuong", "xa", "phuong", "phuong xa", "xa phuong dac khu", "xa phuong thi tran", "ten xa phuong",
            "dia chi xa phuong", "xa phuong noi o", "cap xa",
        ),
        "province": ("tinh thanh pho", "tinh", "tinh tp", "tinh thanh", "ten tinh", "tinh thanh pho truc thuoc tw"),
        "school_year": ("nam hoc",),
        "year": ("nam",),
    },
    key_field="code",
    key_label="Mã học sinh",
    minimum=3,
)

FIELD_LABELS = {
    "code": "Mã", "full_name": "Họ và tên", "class_name": "Lớp", "grade": "Khối", "unit": "Đơn vị",
    "commune": "Xã/Phường", "province": "Tỉnh/Thành phố", "school_year": "Năm học", "year": "Năm",
}

_PLAIN_CODE = re.compile(r"[0-9A-Z][0-9A-Z._/-]{0,39}\Z")  # what learner_code() would return unchanged

STAGE_COLUMNS = (
    "seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, line INTEGER NOT NULL, audience TEXT NOT NULL,"
    " code TEXT NOT NULL, full_name TEXT NOT NULL, unit_key TEXT NOT NULL, unit_name TEXT NOT NULL,"
    " province_code INTEGER NOT NULL, commune_code INTEGER NOT NULL, grade INTEGER, class_name TEXT NOT NULL,"
    " period TEXT NOT NULL, raw TEXT NOT NULL"
)


@dataclass(frozen=True)
class RosterOptions:
    audience: Audience | None = None  # None: students when the file has a class column
    school_year: str | None = None  # for student rows without their own; else from the title
    year: str | None = None  # for staff and team rows without their own; else from the title
    province: str = ""  # default province for files without a province column (settings.province)
    unit: str = ""  # default unit for a school's own export, which has no "Trường" column
    encoding: str | None = None
    sheet: str | None = None


def _audience_of(table: Table, options: RosterOptions) -> Audience:
    if options.audience is not None:
        return options.audience
    if table.has("class_name") or table.has("school_year") or table.has("grade"):
        return Audience.STUDENTS
    raise CoursegenError(
        f"{table.location}: không rõ đây là danh sách học sinh, cán bộ hay thành viên tổ công nghệ số;"
        " hãy ghi rõ --audience students, staff hoặc community-team"
    )


def _period_of(table: Table, audience: Audience, options: RosterOptions) -> str | None:
    """The period for rows without their own: the option, else the title ("NĂM HỌC 2025-2026")."""
    students = audience is Audience.STUDENTS
    column = "school_year" if students else "year"
    given, wrong = (options.school_year, options.year) if students else (options.year, options.school_year)
    if wrong and not given:
        raise CoursegenError(
            f"{table.location}: đây là danh sách {audience.label.lower()}; hãy dùng"
            f" {'--school-year (năm học, ví dụ 2025-2026)' if students else '--year (năm, ví dụ 2025)'}"
        )
    if given:
        try:
            return parse_school_year(given) if students else parse_year(given)
        except ValueProblem as exc:
            raise CoursegenError(f"tùy chọn {'--school-year' if students else '--year'}: {exc}") from None
    found = period_from_title(table.title, students)
    if found or table.has(column):
        return found
    what = "năm học" if students else "năm"
    option = "--school-year 2025-2026" if students else "--year 2025"
    raise CoursegenError(
        f"{table.location}: không xác định được {what} của danh sách; hãy thêm cột"
        f" {'Năm học' if students else 'Năm'}, ghi {what} ở dòng tiêu đề hoặc dùng {option}"
    )


class _RowReader:
    """Validates the rows of one table into staging tuples; collects rejections and warnings."""

    def __init__(self, table: Table, index: int, audience: Audience, period: str | None,
                 options: RosterOptions, summary: ImportSummary, warnings: WarningCollector, seq: list[int]):
        self.table, self.index, self.audience, self.period = table, index, audience, period
        self.options, self.summary, self.warnings, self.seq = options, summary, warnings, seq
        self._shared: dict[tuple, tuple[tuple, list[str], str]] = {}

    def stage_rows(self) -> Iterator[tuple]:
        for row in self.table.rows():
            self.summary.rows_read += 1
            problems: list[str] = []
            staged = self._validate(row.values, row.line, problems)
            if problems:
                self.summary.reject(Rejection(self.table.location, row.line, "; ".join(problems), row.raw, self.index))
                continue
            self.seq[0] += 1
            yield (self.seq[0], self.index, row.line, *staged, RAW_SEPARATOR.join(row.raw))

    def _validate(self, values: dict[str, object], line: int, problems: list[str]) -> tuple:
        code = values.get("code")
        if not (type(code) is str and _PLAIN_CODE.match(code)):  # else already in the stored form
            try:
                code = learner_code(code)
            except ValueProblem as exc:
                code = None
                problems.append(f"{FIELD_LABELS['code']}: {exc}")
        name = text(values.get("full_name")) or " ".join(
            part for part in (text(values.get("family_name")), text(values.get("given_name"))) if part
        )
        if (problem := control_problem(name)) is not None:
            problems.append(f"{FIELD_LABELS['full_name']}: {problem}")
        students = self.audience is Audience.STUDENTS
        # Unit, place, class and period repeat on thousands of rows: each distinct combination is
        # checked once (the fast path for national rosters), with the same messages as before.
        key = (values.get("unit"), values.get("province"), values.get("commune"),
               values.get("class_name") if students else None, values.get("grade") if students else None,
               values.get("school_year" if students else "year"))
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = self._validate_shared(values)
        staged, shared_problems, warning = shared
        if warning:
            self.warnings.add(self.table.location, warning, line)
        if shared_problems:
            problems.extend(shared_problems)
        if problems:
            return ()
        assert code is not None
        return (self.audience.value, code, name, *staged)

    def _validate_shared(self, values: dict[str, object]) -> tuple[tuple, list[str], str]:
        """Everything but code and name: (staged values, problems, old-province warning)."""
        problems: list[str] = []

        def check(field: str, parse, *args):
            try:
                return parse(*args)
            except (ValueProblem, GeographyError) as exc:
                problems.append(f"{FIELD_LABELS.get(field, field)}: {exc}")
                return None

        unit = text(values.get("unit")) or self.options.unit
        if not unit:
            problems.append(f"{FIELD_LABELS['unit']}: thiếu tên trường, cơ quan hoặc tổ")
        elif (problem := control_problem(unit)) is not None:
            # reports show unit names in terminals and spreadsheets, which cannot take control characters
            problems.append(f"{FIELD_LABELS['unit']}: {problem}")
        province_text = text(values.get("province")) or self.options.province
        province = check("province", resolve_province, province_text)
        warning = ""
        if province is not None and province.old_name:
            warning = f'tỉnh cũ "{province.old_name}" đã được chuyển thành "{province.name}" theo {RESOLUTION}'
        commune = None
        if province is not None:
            commune = check("commune", resolve_commune, text(values.get("commune")), province.code)
        grade, class_name = None, ""
        students = self.audience is Audience.STUDENTS
        if students:
            class_name = text(values.get("class_name"))
            if not class_name:
                problems.append(f"{FIELD_LABELS['class_name']}: thiếu lớp")
            elif (problem := control_problem(class_name)) is not None:
                problems.append(f"{FIELD_LABELS['class_name']}: {problem}")
            else:
                grade = check("grade", parse_grade, values.get("grade"), class_name)
        own_period = text(values.get("school_year" if students else "year"))
        if own_period:
            period = check("school_year" if students else "year",
                           parse_school_year if students else parse_year, own_period)
        elif self.period:
            period = self.period
        else:
            period = None
            problems.append(f"{FIELD_LABELS['school_year' if students else 'year']}: trống")
        if problems:
            return (), problems, warning
        assert province is not None and commune is not None and period is not None
        return (unit_key(unit), unit, province.code, commune.code, grade, class_name, period), [], warning


def import_rosters(db: Database, paths: list[Path], options: RosterOptions, *, dry_run: bool = False) -> ImportSummary:
    """Import roster files in one transaction (always rolled back when ``dry_run``)."""
    summary = ImportSummary(kind="roster", dry_run=dry_run)
    warnings = WarningCollector()
    with db.transaction(rollback=dry_run):
        db.temp_table("stage_roster", STAGE_COLUMNS)
        seq = [0]
        for path in paths:
            summary.files.append(path.name)
            for table in read_tables(path, ROSTER_FIELDS, encoding=options.encoding, sheet=options.sheet,
                                     on_skip=summary.warnings.append):
                audience = _audience_of(table, options)
                period = _period_of(table, audience, options)
                table.description = audience.label.lower() + (f", {period}" if period else ", kỳ ghi ở từng dòng")
                summary.tables.append(table)
                reader = _RowReader(table, len(summary.tables) - 1, audience, period, options, summary, warnings, seq)
                db.copy_rows(
                    "stage_roster",
                    ("seq", "tbl", "line", "audience", "code", "full_name", "unit_key", "unit_name", "province_code",
                     "commune_code", "grade", "class_name", "period", "raw"),
                    reader.stage_rows(),
                )
        db.execute("CREATE INDEX stage_roster_key ON stage_roster (audience, code, period)")
        db.analyze("stage_roster", "units", "learners", "enrollments")
        pause_for_tests("staged")
        _reject_duplicates(db, summary)
        _merge(db, summary)
        db.analyze("units", "learners", "enrollments")
        log_files(db, "roster", paths, summary)
        summary.rows_imported = int(db.scalar("SELECT COUNT(*) FROM stage_roster"))
        db.drop_temp_table("stage_roster")
        pause_for_tests("merged")
    summary.warnings[:0] = warnings.messages()
    return summary


def _reject_duplicates(db: Database, summary: ImportSummary) -> None:
    """A code may appear once per period in one import: later rows are rejected, naming the first."""
    duplicates = db.query(
        """
        SELECT s.seq, s.tbl, s.line, s.raw, f.tbl, f.line
        FROM stage_roster s
        JOIN (SELECT audience, code, period, MIN(seq) AS first_seq FROM stage_roster
              GROUP BY audience, code, period HAVING COUNT(*) > 1) d
          ON d.audience = s.audience AND d.code = s.code AND d.period = s.period AND s.seq > d.first_seq
        JOIN stage_roster f ON f.seq = d.first_seq
        ORDER BY s.seq
        """
    )
    for _, table, line, raw, first_table, first_line in duplicates:
        where = "" if first_table == table else f" của {summary.tables[first_table].location}"
        summary.reject(Rejection(
            summary.tables[table].location, line,
            f"Mã: trùng mã người học với dòng {first_line}{where}; chỉ dòng đầu tiên được nhập",
            split_raw(raw), table,
        ))
    if duplicates:
        db.execute(
            "DELETE FROM stage_roster WHERE seq IN (SELECT s.seq FROM stage_roster s JOIN stage_roster f"
            " ON f.audience = s.audience AND f.code = s.code AND f.period = s.period AND f.seq < s.seq)"
        )


def _merge(db: Database, summary: ImportSummary) -> None:
    """Set-based merge of the staged rows: units, learners, enrolments; counts what changes."""
    new_units = db.scalar(
        """SELECT COUNT(*) FROM (SELECT DISTINCT audience, province_code, unit_key FROM stage_roster) s
           WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.audience = s.audience
                             AND u.province_code = s.province_code AND u.name_key = s.unit_key)"""
    )
    db.execute(
        """INSERT INTO units (audience, province_code, name_key, name)
           SELECT audience, province_code, unit_key, MIN(unit_name) FROM stage_roster
           GROUP BY audience, province_code, unit_key
           ON CONFLICT (audience, province_code, name_key) DO NOTHING"""
    )
    new_learners, renamed = db.query(
        """SELECT COALESCE(SUM(CASE WHEN l.id IS NULL THEN 1 ELSE 0 END), 0),
                  COALESCE(SUM(CASE WHEN l.id IS NOT NULL AND s.full_name <> '' AND l.full_name <> s.full_name
                               THEN 1 ELSE 0 END), 0)
           FROM (SELECT audience, code, MAX(full_name) AS full_name FROM stage_roster GROUP BY audience, code) s
           LEFT JOIN learners l ON l.audience = s.audience AND l.code = s.code"""
    )[0]
    db.execute(
        """INSERT INTO learners (audience, code, full_name)
           SELECT audience, code, MAX(full_name) FROM stage_roster GROUP BY audience, code
           ON CONFLICT (audience, code) DO UPDATE SET full_name = excluded.full_name
           WHERE excluded.full_name <> '' AND learners.full_name <> excluded.full_name"""
    )
    staged_enrolment = """
        SELECT l.id AS learner_id, s.period, u.id AS unit_id, s.province_code, s.commune_code, s.grade, s.class_name
        FROM stage_roster s
        JOIN learners l ON l.audience = s.audience AND l.code = s.code
        JOIN units u ON u.audience = s.audience AND u.province_code = s.province_code AND u.name_key = s.unit_key
    """
    new_enrolments, moved, same = db.query(
        f"""SELECT COALESCE(SUM(CASE WHEN e.learner_id IS NULL THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN e.learner_id IS NOT NULL AND (e.unit_id <> n.unit_id
                        OR e.commune_code <> n.commune_code OR e.province_code <> n.province_code
                        OR COALESCE(e.grade, 0) <> COALESCE(n.grade, 0) OR e.class_name <> n.class_name)
                        THEN 1 ELSE 0 END), 0),
                   COUNT(e.learner_id)
            FROM ({staged_enrolment}) n
            LEFT JOIN enrollments e ON e.learner_id = n.learner_id AND e.period = n.period"""
    )[0]
    db.execute(
        f"""INSERT INTO enrollments (learner_id, period, unit_id, province_code, commune_code, grade, class_name)
            SELECT learner_id, period, unit_id, province_code, commune_code, grade, class_name
            FROM ({staged_enrolment}) n WHERE true
            ON CONFLICT (learner_id, period) DO UPDATE SET
              unit_id = excluded.unit_id, province_code = excluded.province_code,
              commune_code = excluded.commune_code, grade = excluded.grade, class_name = excluded.class_name
            WHERE enrollments.unit_id <> excluded.unit_id OR enrollments.commune_code <> excluded.commune_code
               OR enrollments.province_code <> excluded.province_code
               OR COALESCE(enrollments.grade, 0) <> COALESCE(excluded.grade, 0)
               OR enrollments.class_name <> excluded.class_name"""
    )
    summary.changes = {
        "đơn vị mới (trường, cơ quan, tổ)": int(new_units),
        "người học mới": int(new_learners),
        "người học đổi họ tên": int(renamed),
        "lượt ghi danh mới": int(new_enrolments),
        "lượt ghi danh thay đổi (lớp, đơn vị, xã)": int(moved),
    }
    summary.unchanged = {"lượt ghi danh giữ nguyên": int(same) - int(moved)}
