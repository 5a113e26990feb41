"""Import learner rosters (students, staff, community-team members) from school and agency exports.

Each learner gets a code, an audience, a unit (school, agency or team), a commune and a province;
students also a grade, a class and a school year. A learner is keyed by (audience, code); a roster
row is an enrolment of that learner for one period: the school year for students, the calendar year
for staff and team members. Importing a newer roster for the same period updates the enrolment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience
from ..source.yamlsource import control_problem
from ..text import fold
from .geography import RESOLUTION, GeographyError, resolve_commune, resolve_province
from .importing import ImportSummary, LearnerIds, Rejection, WarningCollector, log_files
from .parallel import Sink, read_in_worker, worth_a_worker
from .storage import Database, pause_for_tests
from .tables import FieldSpec, Table, read_tables
from .values import (
    ValueProblem,
    code_key,
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


@dataclass(frozen=True)
class RosterOptions:
    audience: Audience | None = None  # None: students when the file has a class column
    school_year: str | None = None  # for student rows without their own; else from the title
    year: str | None = None  # for staff and team rows without their own; else from the title
    province: str = ""  # default province for files without a province column (settings.province)
    unit: str = ""  # default unit for a school's own export, which has no "Trường" column
    encoding: str | None = None
    sheet: str | None = None
    class_name: str = ""  # the class of a list without a class column; else from the title ("LỚP 10A2")
    include_hidden: bool = False  # read hidden rows and sheets too


_TITLE_CLASS = re.compile(r"\blop\s*:?\s*(1[0-2]\s*[a-z][a-z0-9.]{0,5})\b")
_SHEET_CLASS = re.compile(r"^\s*(?:lop\s*)?(1[0-2]\s*[a-z][a-z0-9.]{0,5})\s*$")
_TITLE_AUDIENCE = re.compile(r"doi tuong\s*:?\s*(.+)")


def class_of(table: Table, options: RosterOptions) -> tuple[str, str]:
    """The class for a list without a class column, and where it came from: ``--class``, the title
    ("DANH SÁCH HỌC SINH LỚP 10A2") or the sheet's name ("10A2")."""
    if table.has("class_name"):
        return "", ""
    if options.class_name:
        return options.class_name.strip(), "--class"
    found = _TITLE_CLASS.search(fold(table.title))
    if found:
        return found.group(1).replace(" ", "").upper(), "tiêu đề"
    found = _SHEET_CLASS.match(fold(table.sheet))
    if found:
        return found.group(1).replace(" ", "").upper(), "tên trang tính"
    return "", ""


def _audience_of(table: Table, options: RosterOptions) -> Audience:
    if options.audience is not None:
        return options.audience
    written = _TITLE_AUDIENCE.search(fold(table.title))
    if written:  # "Đối tượng: Cán bộ vận hành …", as the rejected-rows file writes it
        for audience in Audience:
            if fold(audience.label) in written.group(1) or audience.value in written.group(1):
                return audience
    if table.has("class_name") or table.has("school_year") or table.has("grade") or class_of(table, options)[0]:
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


ENROLMENT_COLUMNS = ("learner_id", "period", "unit_id", "province_code", "commune_code", "grade", "class_name")


class _Roster:
    """What one roster import holds in memory: units by key, learners by code, who was enrolled in a
    period before. It writes the learners and enrolments of checked rows as they arrive and counts
    what changes; ids of new learners are given here, which is safe because imports run one at a
    time (the transaction's write lock)."""

    def __init__(self, db: Database):
        self.db = db
        self.units: dict[tuple, int] = {}
        self.unit_names: dict[int, str] = {}
        for unit_id, audience, province, key, name in db.query(
                "SELECT id, audience, province_code, name_key, name FROM units"):
            self.units[(audience, province, key)] = unit_id
            self.unit_names[unit_id] = name
        self.merged_names: dict[int, set[str]] = {}  # unit → other spellings met in this import
        self.learners = LearnerIds(db)
        self.first_new_id = self.next_id = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM learners")) + 1
        self._enrolled: dict[str, set[int]] = {}
        self._named: set[int] = set()  # learners stored before whose name this import has written
        self._unit_ids: dict[tuple, int] = {}  # checked unit/place/class/period → unit id
        self.new_learner_rows = db.writer("learners", ("id", "audience", "code", "full_name"), None)
        self.learner_rows = db.writer(  # learners stored before: a changed name replaces the old one
            "learners", ("id", "audience", "code", "full_name"),
            "(id) DO UPDATE SET full_name = excluded.full_name"
            " WHERE excluded.full_name <> '' AND learners.full_name <> excluded.full_name",
        )
        self.enrolment_rows = db.writer(
            "enrollments", ENROLMENT_COLUMNS,
            """(learner_id, period) DO UPDATE SET
              unit_id = excluded.unit_id, province_code = excluded.province_code,
              commune_code = excluded.commune_code, grade = excluded.grade, class_name = excluded.class_name
            WHERE enrollments.unit_id <> excluded.unit_id OR enrollments.commune_code <> excluded.commune_code
               OR enrollments.province_code <> excluded.province_code
               OR COALESCE(enrollments.grade, 0) <> COALESCE(excluded.grade, 0)
               OR enrollments.class_name <> excluded.class_name""",
        )
        # Enrolments of learners new in this import cannot conflict: a plain INSERT, the cheapest.
        self.new_enrolment_rows = db.writer("enrollments", ENROLMENT_COLUMNS, None)
        self.new_units = self.new_learners = self.new_enrolments = self.kept_enrolments = 0
        self._new_unit_names: dict[int, str] = {}

    def _enrolled_in(self, period: str) -> set[int]:
        found = self._enrolled.get(period)
        if found is None:
            cursor = self.db.execute("SELECT learner_id FROM enrollments WHERE period = ?", (period,))
            found = self._enrolled[period] = {learner_id for (learner_id,) in cursor}
        return found

    def unit(self, audience: str, province: int, key: str, name: str) -> int:
        """The unit's id, creating it on first use. A unit new in this import is named by the least of
        its spellings in the files, as a set-based merge would, whatever the order of the rows."""
        unit_id = self.units.get((audience, province, key))
        if unit_id is None:
            unit_id = self.units[(audience, province, key)] = int(self.db.scalar(
                "INSERT INTO units (audience, province_code, name_key, name) VALUES (?, ?, ?, ?) RETURNING id",
                (audience, province, key, name),
            ))
            self.new_units += 1
            self._new_unit_names[unit_id] = name
            self.unit_names[unit_id] = name
            return unit_id
        if name != self.unit_names[unit_id]:
            self.merged_names.setdefault(unit_id, set()).add(name)
        if unit_id in self._new_unit_names and name < self._new_unit_names[unit_id]:
            self._new_unit_names[unit_id] = name
            self.db.execute("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))
        return unit_id

    def apply(self, rows: list[tuple]) -> None:
        """Write the learners and enrolments of checked rows ``(audience, code, name, staged)``: the
        hot loop of a national import, kept to dictionary lookups and appends."""
        unit_ids, first_new, next_id = self._unit_ids, self.first_new_id, self.next_id
        add_learner, add_new_enrolment = self.new_learner_rows.add, self.new_enrolment_rows.add
        add_enrolment = self.enrolment_rows.add
        new_learners = new_enrolments = 0
        audience_of_codes, codes = None, {}
        for audience, code, name, staged in rows:
            unit_key, unit_name, province, commune, grade, class_name, period = staged
            unit_id = unit_ids.get(staged)
            if unit_id is None:
                unit_id = unit_ids[staged] = self.unit(audience, province, unit_key, unit_name)
            if audience != audience_of_codes:
                audience_of_codes, codes = audience, self.learners.of(audience)
            key = code if code[0] != "0" else code_key(code)
            learner_id = codes.get(key)
            if learner_id is None:
                learner_id = codes[key] = next_id
                next_id += 1
                new_learners += 1
                new_enrolments += 1
                add_learner((learner_id, audience, code, name))
                add_new_enrolment((learner_id, period, unit_id, province, commune, grade, class_name))
                continue
            if learner_id >= first_new:  # new in this import, now for another period
                new_enrolments += 1
            else:
                self._existing(audience, code, learner_id, name, period)
            add_enrolment((learner_id, period, unit_id, province, commune, grade, class_name))
        self.next_id = next_id
        self.new_learners += new_learners
        self.new_enrolments += new_enrolments
        for writer in (self.new_learner_rows, self.learner_rows, self.enrolment_rows, self.new_enrolment_rows):
            writer.flush_if_full()

    def _existing(self, audience: str, code: str, learner_id: int, name: str, period: str) -> None:
        """Count (and write the name of) a learner stored before this import, enrolled for ``period``."""
        if name and learner_id not in self._named:  # the first row of the import names the learner
            self._named.add(learner_id)
            self.learner_rows.add((learner_id, audience, code, name))  # renames if the name differs
        if learner_id in self._enrolled_in(period):
            self.kept_enrolments += 1
        else:
            self.new_enrolments += 1

    def close(self, summary: ImportSummary) -> None:
        self.new_learner_rows.close()
        renamed = self.learner_rows.close()
        self.new_enrolment_rows.close()
        moved = self.enrolment_rows.close() - (self.new_enrolments - self.new_enrolment_rows.sent)
        if self.db.dialect == "postgresql" and self.next_id > self.first_new_id:
            # ids were given here: move the identity sequence past them
            self.db.execute("SELECT setval(pg_get_serial_sequence('learners', 'id'), ?)", (self.next_id - 1,))
        summary.changes = {
            "đơn vị mới (trường, cơ quan, tổ)": self.new_units,
            "người học mới": self.new_learners,
            "người học đổi họ tên": renamed,
            "lượt ghi danh mới": self.new_enrolments,
            "lượt ghi danh thay đổi (lớp, đơn vị, xã)": moved,
        }
        summary.unchanged = {"lượt ghi danh giữ nguyên": self.kept_enrolments - moved}
        for unit_id, names in sorted(self.merged_names.items()):
            # every spelling, the stored (or least) one first: ``unit`` keeps the least for a new unit
            spellings = sorted({*names, self.unit_names[unit_id]} - {self._new_unit_names.get(unit_id, self.unit_names[unit_id])})
            kept = self._new_unit_names.get(unit_id, self.unit_names[unit_id])
            summary.notes.append(f'các tên {", ".join(f"“{n}”" for n in spellings)} được coi là cùng đơn vị “{kept}”'
                                 ' (so tên sau khi bỏ "Trường", "THPT", dấu và khoảng trắng thừa)')


NAME_FIELDS = ("full_name", "family_name", "given_name")
MEMO_LIMIT = 200_000  # distinct names or unit/place/class combinations remembered per table


class _RowReader:
    """Validates the rows of one table and hands the good ones to the ``_Roster``; collects
    rejections and warnings."""

    def __init__(self, table: Table, index: int, audience: Audience, period: str | None,
                 options: RosterOptions, summary: ImportSummary, warnings: WarningCollector):
        self.table, self.index, self.audience, self.period = table, index, audience, period
        self.options, self.summary, self.warnings = options, summary, warnings
        self._shared: dict[tuple, tuple[tuple, list[str], str]] = {}
        self.default_class, self.class_source = class_of(table, options) if audience is Audience.STUDENTS else ("", "")
        self.stored_zero_lengths: set[int] = set()
        self.restored: list[tuple[int, str, str]] = []
        self.numeric_kept = 0

    def check_rows(self, sink: Sink, firsts: dict[tuple[str, str], dict[str, int]]) -> None:
        """Check each row; hand the good ones to ``sink`` as ``(audience, code, name, staged)``. A code
        may appear once per period in one import: later rows are rejected, naming the first
        (``firsts``: code → ``table << 32 | line`` per audience and period)."""
        table, index, summary, location = self.table, self.index, self.summary, self.table.location
        students = self.audience is Audience.STUDENTS
        # Unit, place, class and period repeat on thousands of rows: each distinct combination is
        # checked once (the fast path for national rosters), with the same messages as row by row.
        shared_fields = ("unit", "province", "commune", "class_name", "grade", "school_year") if students else (
            "unit", "province", "commune", "year")
        pick_shared = table.picker([f for f in shared_fields if table.has(f)])
        name_fields = [f for f in NAME_FIELDS if table.has(f)]
        name_of = table.picker(name_fields) if name_fields else (lambda cells: None)
        if len(name_fields) == 1:
            name_fields = name_fields[0]  # the picker gives the cell itself
        names: dict[tuple, tuple[str, str | None]] = {}
        shared_memo = self._shared
        audience = self.audience.value
        add = sink.add
        read = accepted = 0
        zero_lengths = set(self.stored_zero_lengths)  # lengths of codes written with leading zeros
        period_of_firsts, seen = None, {}
        for line, cells, code in table.scan():
            read += 1
            if not read & 0xFFF:
                sink.flush_if_full()
            problems: list[str] = []
            if code is None:  # not in the stored form yet
                try:
                    raw_code = table.values_of(cells)["code"]
                    code = learner_code(raw_code)
                    if isinstance(raw_code, (int, float)) and code.isdigit():
                        code = self._restored(code, line, zero_lengths)
                except ValueProblem as exc:
                    problems.append(f"{FIELD_LABELS['code']}: {exc}")
            elif code[0] == "0":
                zero_lengths.add(len(code))
            name_cells = name_of(cells)
            named = names.get(name_cells)
            if named is None:
                if len(names) > MEMO_LIMIT:
                    names.clear()
                named = names[name_cells] = _name(
                    {name_fields: name_cells} if isinstance(name_fields, str)
                    else dict(zip(name_fields, name_cells or (), strict=False)))
            name, problem = named
            if problem is not None:
                problems.append(f"{FIELD_LABELS['full_name']}: {problem}")
            key = pick_shared(cells)
            shared = shared_memo.get(key)
            if shared is None:
                if len(shared_memo) > MEMO_LIMIT:
                    shared_memo.clear()
                shared = shared_memo[key] = self._validate_shared(table.values_of(cells))
            staged, shared_problems, warning = shared
            if warning:
                self.warnings.add(location, warning, line)
            if shared_problems:
                problems.extend(shared_problems)
            if problems:
                summary.reject(Rejection(location, line, "; ".join(problems), table.raw_of(cells), index))
                continue
            period = staged[-1]
            if period != period_of_firsts:
                period_of_firsts = period
                seen = firsts.setdefault((audience, period), {})
            key = code if code[0] != "0" else code_key(code)
            first = seen.get(key)
            if first is not None:
                first_table, first_line = divmod(first, 1 << 32)
                where = "" if first_table == index else f" của {summary.tables[first_table].location}"
                summary.reject(Rejection(
                    location, line, f"Mã: trùng mã người học với dòng {first_line}{where}; chỉ dòng đầu tiên được nhập",
                    table.raw_of(cells), index,
                ))
                continue
            seen[key] = index << 32 | line
            add((audience, code, name, staged))
            accepted += 1
        summary.rows_read += read
        summary.rows_imported += accepted
        location = table.location
        if self.restored:
            shown = ", ".join(f"dòng {line}: {old} → {new}" for line, old, new in self.restored[:5])
            summary.notes.append(f"{location}: {len(self.restored)} mã là ô số đã mất số 0 ở đầu, được khôi phục"
                                 f" theo độ dài các mã khác ({shown}{', …' if len(self.restored) > 5 else ''})")
        if self.numeric_kept:
            summary.notes.append(
                f"{location}: {self.numeric_kept} ô Mã được lưu dạng số; nếu mã thật có số 0 ở đầu, coursegen vẫn"
                " nhận ra cùng người học khi nhập tệp có số 0 (mã được so sau khi bỏ các số 0 đầu)")

    def _restored(self, code: str, line: int, zero_lengths: set[int]) -> str:
        """A code from a number cell: if codes written with leading zeros are longer by a unique
        amount, the zeros this one lost are put back; two possible lengths are a refusal."""
        longer = sorted(n for n in zero_lengths if n > len(code))
        if not longer:
            self.numeric_kept += 1
            return code
        if len(longer) > 1:
            raise ValueProblem(
                f'mã "{code}" là ô số, có thể đã mất số 0 ở đầu nhưng không rõ mất mấy số (các mã khác dài'
                f" {' hoặc '.join(map(str, longer))} chữ số); hãy định dạng cột Mã là Văn bản và gõ lại mã")
        restored = code.zfill(longer[0])
        self.restored.append((line, code, restored))
        return restored

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
            class_name = text(values.get("class_name")) or self.default_class
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


def _carry(table: Table, audience: Audience, period: str | None, default_class: str, options: RosterOptions) -> None:
    """What the rejected-rows file must hold so that it imports the same way without options."""
    students = audience is Audience.STUDENTS
    if period and not table.has("school_year" if students else "year"):
        table.carried["Năm học" if students else "Năm"] = period
    if default_class:
        table.carried["Lớp"] = default_class
    if options.unit and not table.has("unit"):
        table.carried["Trường" if students else "Đơn vị"] = options.unit
    if options.province and not table.has("province"):
        table.carried["Tỉnh/Thành phố"] = options.province
    told = table.has("class_name") or table.has("school_year") or table.has("grade") or bool(table.carried)
    if not (students and told):  # the columns would not say who these people are
        table.carried_title.append(f"Đối tượng: {audience.label}")


def _name(values: dict[str, object]) -> tuple[str, str | None]:
    """The learner's name from "Họ và tên" or "Họ" + "Tên", and what is wrong with it (or None)."""
    name = text(values.get("full_name")) or " ".join(
        part for part in (text(values.get("family_name")), text(values.get("given_name"))) if part
    )
    return name, control_problem(name)


def _check_files(sinks: dict[str, Sink], paths: list[Path], options: RosterOptions,
                 learners: LearnerIds) -> tuple[ImportSummary, list[str]]:
    """Read and check every row of ``paths``, handing the good ones to ``sinks["rows"]``: in the
    importing process, or in a reader process (``parallel.read_in_worker``). Returns what was read
    (files, tables, rejections, files' warnings) and the grouped row warnings."""
    summary = ImportSummary(kind="roster", dry_run=False)
    warnings = WarningCollector()
    firsts: dict[tuple[str, str], dict[str, int]] = {}
    for path in paths:
        summary.files.append(path.name)
        for table in read_tables(path, ROSTER_FIELDS, encoding=options.encoding, sheet=options.sheet,
                                 on_skip=summary.warnings.append, include_hidden=options.include_hidden):
            audience = _audience_of(table, options)
            period = _period_of(table, audience, options)
            table.description = audience.label.lower() + (f", {period}" if period else ", kỳ ghi ở từng dòng")
            summary.tables.append(table)
            reader = _RowReader(table, len(summary.tables) - 1, audience, period, options, summary, warnings)
            if reader.default_class:
                table.description += f", lớp {reader.default_class} (theo {reader.class_source})"
            reader.stored_zero_lengths = learners.zero_lengths(audience.value)
            _carry(table, audience, period, reader.default_class, options)
            reader.check_rows(sinks["rows"], firsts)
            summary.notes += table.layout.notes(table.location)
            table.close()
    sinks["rows"].flush()
    return summary, warnings.messages()


def import_rosters(db: Database, paths: list[Path], options: RosterOptions, *, dry_run: bool = False) -> ImportSummary:
    """Import roster files in one transaction (always rolled back when ``dry_run``). Big imports are
    read and checked in a second process while this one writes (``parallel``)."""
    summary = ImportSummary(kind="roster", dry_run=dry_run)
    with db.transaction(rollback=dry_run):
        roster = _Roster(db)
        if worth_a_worker(sum(path.stat().st_size for path in paths if path.is_file())):
            for audience in Audience:
                roster.learners.of(audience.value)  # loaded before the fork: the reader cannot use the database
            part, row_warnings = read_in_worker(_check_files, {"rows": roster.apply}, paths, options, roster.learners)
        else:
            part, row_warnings = _check_files({"rows": Sink(roster.apply)}, paths, options, roster.learners)
        summary.merge(part)
        pause_for_tests("staged")
        roster.close(summary)
        db.analyze("units", "learners", "enrollments")
        log_files(db, "roster", paths, summary)
        pause_for_tests("merged")
    summary.warnings[:0] = row_warnings
    return summary
