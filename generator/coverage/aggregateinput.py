"""Reading an aggregate file as input from outside: every value is checked before anything uses it.

An aggregate file comes from another province (by e-mail, USB stick, a shared folder), and its content
id is a plain SHA-256 anyone can recompute, so it proves nothing about who wrote it. What it holds ends
up on the published dashboard and in national reports, so this reader accepts only what
``export_aggregate`` itself can write: a bounded JSON file (size, digits of a number; nesting stops at the parser's limit), codes from
the 2025 catalogue, periods and months of the file's own date, counts as bounded non-negative integers
that add up, and unit names as plain text (no control or bidi characters, bounded length). Anything else
is a ``CoursegenError`` naming the file and the field, never a traceback and never a half-read file.
The limits are documented in docs/an-toan-dau-vao.md ("Tệp số liệu tổng hợp").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience
from ..source.fields import ID_PATTERN
from .facts import CoverageFact, window_for

MAX_BYTES = 128 * 1024 * 1024  # a national file with a million facts is ~110 MB
MAX_DIGITS = 12  # no count, code or day number needs more
MAX_COUNT = 200_000_000  # more learners than Viet Nam has people is not a count
MAX_FACTS = 2_000_000
MAX_COURSES = 500
MAX_SERIES_MONTHS = 1_200  # a hundred years, month by month
MAX_SOURCES = 100_000
MAX_NAME = 300  # characters of a unit name ("Trường Trung học phổ thông chuyên …" is under 100)
MAX_PUBLISHER = 300
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_TREND_DAYS = 3_660  # ten years

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CONTENT_ID = re.compile(r"^[0-9a-f]{64}$")
# Characters no name needs and that change what a terminal, a spreadsheet or a reader shows: controls
# (ESC, BEL, NUL…), lone surrogates, non-characters, and the bidi overrides/isolates (RLO turns
# "exe.fdp" into "pdf.exe") and line/paragraph separators.
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class SeriesPoint:
    month: str  # "2025-10"
    covered: int  # covered by the end of that month (cumulative)



class _Refused(Exception):
    """Raised inside the JSON hooks; turned into the user error by ``load_json``."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"số có {len(text.lstrip('-'))} chữ số (tối đa {MAX_DIGITS})")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 40:
        raise _Refused(f"số thực dài {len(text)} ký tự")
    return float(text)


def _parse_constant(text: str) -> float:
    raise _Refused(f"giá trị {text} không phải JSON chuẩn")


def load_json(path: Path) -> object:
    """The parsed file, or a user error: too big, not UTF-8 JSON, numbers too long, nesting too deep."""
    location = path.name
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CoursegenError(f"{path}: không đọc được tệp ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise CoursegenError(f"{location}: tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB, không phải tệp số liệu tổng hợp")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CoursegenError(f"{location}: không phải tệp JSON hợp lệ (không phải UTF-8 ở byte {exc.start})") from None
    del raw
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except _Refused as exc:
        raise CoursegenError(f"{location}: không phải tệp JSON hợp lệ ({exc})") from None
    except json.JSONDecodeError as exc:
        raise CoursegenError(f"{location}: không phải tệp JSON hợp lệ ({exc})") from None
    except RecursionError:  # the parser recurses once per level and stops cleanly at Python's limit
        raise CoursegenError(f"{location}: không phải tệp JSON hợp lệ (lồng nhau quá sâu)") from None


# -- values -------------------------------------------------------------------------------------------
class Checker:
    """Typed reads of one file's values; every refusal names the file and the field."""

    def __init__(self, location: str):
        self.location = location

    def bad(self, field_name: str, problem: str) -> CoursegenError:
        return CoursegenError(f"{self.location}: trường {field_name}: {problem}")

    def count(self, field_name: str, value: object, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.bad(field_name, f"phải là số nguyên từ {minimum} đến {maximum}, không phải {_shown(value)}")
        return value

    def text(self, field_name: str, value: object, maximum: int = MAX_NAME) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.bad(field_name, f"phải là chuỗi không rỗng, không phải {_shown(value)}")
        if len(value) > maximum:
            raise self.bad(field_name, f"dài {len(value)} ký tự (tối đa {maximum})")
        if (match := _FORBIDDEN.search(value)) is not None:
            raise self.bad(field_name, f"chứa ký tự điều khiển không in được (U+{ord(match.group(0)):04X})")
        return unicodedata.normalize("NFC", value)

    def course_id(self, field_name: str, value: object) -> str:
        if not isinstance(value, str) or ID_PATTERN.match(value) is None:
            raise self.bad(field_name, f"mã khóa học {_shown(value)} không hợp lệ (chữ thường, số và -)")
        return value

    def day(self, field_name: str, value: object) -> date:
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            raise self.bad(field_name, f"ngày {_shown(value)} không dạng NNNN-TT-NN") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise self.bad(field_name, f"ngày {value} nằm ngoài khoảng {FIRST_DAY:%d/%m/%Y}–{LAST_DAY:%d/%m/%Y}")
        return day

    def month(self, field_name: str, value: object, last: date) -> str:
        match = MONTH.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.bad(field_name, f"tháng {_shown(value)} không dạng NNNN-TT")
        if not (FIRST_DAY.year, 1) <= (int(match.group(1)), int(match.group(2))) <= (last.year, last.month):
            raise self.bad(field_name, f"tháng {value} nằm ngoài khoảng {FIRST_DAY:%m/%Y}–{last:%m/%Y}")
        return value

    def items(self, field_name: str, value: object, maximum: int) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.bad(field_name, "phải là một danh sách")
        if len(value) > maximum:
            raise self.bad(field_name, f"có {len(value)} mục (tối đa {maximum})")
        return value


def _shown(value: object) -> str:
    """A value for a message: short, and with no character that could act on a terminal."""
    text = repr(value)
    return (text[:40] + "…") if len(text) > 40 else text


# -- the file -----------------------------------------------------------------------------------------
def parse_aggregate(data: object, location: str, *, format_name: str, version: int, columns: tuple[str, ...],
                    content_id) -> dict:
    """The checked content of a parsed aggregate file, as the fields of ``Aggregate``."""
    from .geography import commune_province, province_name

    check = Checker(location)
    if not isinstance(data, dict) or data.get("format") != format_name:
        raise CoursegenError(f"{location}: không phải tệp số liệu tổng hợp độ phủ của coursegen (thiếu format: {format_name})")
    if data.get("version") != version:
        raise check.bad("version", f"phiên bản {_shown(data.get('version'))} không được hỗ trợ"
                                   f" (coursegen này đọc phiên bản {version})")
    stated = data.get("id")
    try:
        matches = isinstance(stated, str) and stated == content_id(data)
    except RecursionError:
        raise CoursegenError(f"{location}: không phải tệp JSON hợp lệ (lồng nhau quá sâu)") from None
    if not matches:
        raise check.bad("id", "không khớp với nội dung: tệp đã bị sửa tay hoặc hỏng; hãy xuất lại")
    unknown = sorted(set(data) - {"format", "version", "as_of", "trend_days", "publisher", "courses", "columns",
                                  "facts", "series", "sources", "id"})
    if unknown:
        raise check.bad(_shown(unknown[0]), "không có trong định dạng tệp số liệu tổng hợp")
    as_of = check.day("as_of", data.get("as_of"))
    trend_days = check.count("trend_days", data.get("trend_days"), 1, MAX_TREND_DAYS)
    publisher = data.get("publisher") or ""
    publisher = check.text("publisher", publisher, MAX_PUBLISHER) if publisher else ""
    courses: dict[str, Audience] = {}
    periods: dict[str, str] = {}
    for index, item in enumerate(check.items("courses", data.get("courses"), MAX_COURSES)):
        where = f"courses[{index}]"
        if not isinstance(item, dict) or set(item) != {"id", "audience"}:
            raise check.bad(where, "phải là một đối tượng {id, audience}")
        course = check.course_id(f"{where}.id", item["id"])
        try:
            audience = Audience(item["audience"])
        except (ValueError, TypeError):
            raise check.bad(f"{where}.audience", f"đối tượng {_shown(item['audience'])} không hợp lệ") from None
        if course in courses:
            raise check.bad(f"{where}.id", f"khóa học {course} có hai lần")
        courses[course] = audience
        periods[course] = window_for(audience, as_of, trend_days).period
    if data.get("columns") != list(columns):
        raise check.bad("columns", f"phải là {list(columns)}")

    def course_and_period(where: str, course: object, period: object) -> tuple[str, str]:
        course = check.course_id(f"{where}.course", course)
        if course not in courses:
            raise check.bad(f"{where}.course", f"khóa học {course} không có trong danh sách courses")
        if period != periods[course]:
            raise check.bad(f"{where}.period", f"kỳ {_shown(period)} không phải kỳ của ngày {as_of:%d/%m/%Y}"
                                               f" ({periods[course]})")
        return course, periods[course]

    facts: list[CoverageFact] = []
    seen: set[tuple[str, int, str]] = set()
    for index, row in enumerate(check.items("facts", data.get("facts"), MAX_FACTS)):
        where = f"facts[{index}]"
        if not isinstance(row, list) or len(row) != len(columns):
            raise check.bad(where, f"phải có {len(columns)} giá trị ({', '.join(columns)})")
        course, period, province, commune, unit, enrolled, covered, recent = row
        course, period = course_and_period(where, course, period)
        province = check.count(f"{where}.province", province, 1, 99)
        commune = check.count(f"{where}.commune", commune, 1, 10**9)
        try:
            province_name(province)
            home = commune_province(commune)
        except (KeyError, ValueError):
            raise check.bad(where, f"mã tỉnh {province} hoặc mã xã {commune} không có trong danh mục 2025") from None
        if home != province:
            raise check.bad(where, f"xã mã {commune} không thuộc tỉnh mã {province}")
        unit = check.text(f"{where}.unit", unit)
        enrolled = check.count(f"{where}.enrolled", enrolled)
        covered = check.count(f"{where}.covered", covered)
        recent = check.count(f"{where}.recent", recent)
        if not recent <= covered <= enrolled:
            raise check.bad(where, f"phải có recent ≤ covered ≤ enrolled (đang là {recent}, {covered}, {enrolled})")
        if (course, commune, unit) in seen:
            raise check.bad(where, "đơn vị này có hai dòng cho cùng khóa học và xã/phường (sẽ bị đếm hai lần)")
        seen.add((course, commune, unit))
        facts.append(CoverageFact(course, courses[course], period, province, commune, index + 1, unit,
                                  enrolled, covered, recent))
    series: dict[tuple[str, str, int], list] = {}
    for index, item in enumerate(check.items("series", data.get("series"), MAX_COURSES * 100)):
        where = f"series[{index}]"
        if not isinstance(item, dict) or set(item) != {"course", "period", "province", "months"}:
            raise check.bad(where, "phải là một đối tượng {course, period, province, months}")
        course, period = course_and_period(where, item["course"], item["period"])
        province = check.count(f"{where}.province", item["province"], 1, 99)
        try:
            province_name(province)
        except KeyError:
            raise check.bad(f"{where}.province", f"mã tỉnh {province} không có trong danh mục 2025") from None
        points: list = []
        for m, point in enumerate(check.items(f"{where}.months", item["months"], MAX_SERIES_MONTHS)):
            at = f"{where}.months[{m}]"
            if not isinstance(point, list) or len(point) != 2:
                raise check.bad(at, 'phải là ["NNNN-TT", số]')
            month = check.month(at, point[0], as_of)
            covered = check.count(at, point[1])
            if points and (month <= points[-1].month or covered < points[-1].covered):
                raise check.bad(at, "các tháng phải tăng dần và số cộng dồn không được giảm")
            points.append(SeriesPoint(month, covered))
        key = (course, period, province)
        if key in series:
            raise check.bad(where, "có hai chuỗi cho cùng khóa học, kỳ và tỉnh")
        series[key] = points
    sources = []
    for index, source in enumerate(check.items("sources", data.get("sources"), MAX_SOURCES)):
        if not isinstance(source, str) or CONTENT_ID.match(source) is None:
            raise check.bad(f"sources[{index}]", "phải là mã 64 chữ số thập lục phân của một tệp đã gộp")
        sources.append(source)
    return {"as_of": as_of, "trend_days": trend_days, "publisher": publisher, "courses": courses, "facts": facts,
            "series": series, "sources": sources, "id": stated}
