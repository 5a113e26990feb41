"""Cell values as schools and agencies write them: codes, dates, scores, school years, classes.

Every parser raises ``ValueProblem`` with a Vietnamese reason; the importers turn it into a rejected
row with file, row and field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from ..text import fold, nfc


class ValueProblem(ValueError):
    """A cell that cannot be used; ``str(exc)`` is the Vietnamese reason."""


_SPACES = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_CODE = re.compile(r"^[0-9A-Z][0-9A-Z._/-]{0,39}$")


_ODD_SPACE = re.compile(r"[\t\n\r\x0b\x0c\u00a0\u200b\ufeff]|  |^ | $")


def text(value: object) -> str:
    """A cell as NFC text with single spaces; numbers without a spurious ".0"; dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):  # the common case, kept fast: importers call this for every cell
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return _SPACES.sub(" ", value).strip() if _ODD_SPACE.search(value) else value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _SPACES.sub(" ", nfc(str(value))).strip()


def learner_code(value: object) -> str:
    """A learner code in the one form stored: no spaces, upper case, no Excel quote. Codes are
    compared by ``code_key`` (without leading zeros, which Excel drops from number cells; see
    docs/tep-cua-truong.md)."""
    code = text(value).lstrip("'").replace(" ", "").upper()
    if not code:
        raise ValueProblem("thiếu mã người học")
    if not _CODE.match(code):
        raise ValueProblem(f'mã người học "{text(value)}" không hợp lệ (chỉ gồm chữ, số và . _ / -, tối đa 40 ký tự)')
    return code


_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?$")
_DATE_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")


def parse_date(value: object) -> date:
    """A date as Vietnamese files write it: 15/11/2025, 15-11-2025, 2025-11-15, an Excel date cell.

    Day comes before month (Vietnamese order), never the American month/day.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _parse_date_text(text(value))


@lru_cache(maxsize=4096)  # a file has few distinct dates
def _parse_date_text(raw: str) -> date:
    if not raw:
        raise ValueProblem("thiếu ngày")
    for pattern, order in ((_DATE_DMY, (3, 2, 1)), (_DATE_ISO, (1, 2, 3)), (_DATE_WORDS, (3, 2, 1))):
        match = pattern.match(fold(raw) if pattern is _DATE_WORDS else raw)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueProblem(f'ngày "{raw}" không tồn tại') from None
    raise ValueProblem(f'"{raw}" không phải ngày (ghi theo dạng ngày/tháng/năm, ví dụ 15/11/2025)')


_NUMBER = re.compile(r"^[+]?(\d+(?:[.,]\d+)?)\s*(%?)$")


def parse_number(value: object) -> tuple[float, bool]:
    """A score cell: 8,5 or 8.5 or 85% → (value, is_percent)."""
    if isinstance(value, bool):
        raise ValueProblem("điểm phải là số")
    if isinstance(value, (int, float)):
        return float(value), False
    raw = text(value)
    match = _NUMBER.match(raw)
    if not match:
        raise ValueProblem(f'điểm "{raw}" không phải số (ví dụ 8,5 hoặc 85%)')
    return float(match.group(1).replace(",", ".")), bool(match.group(2))


def score_basis_points(value: object, scale: object, default_scale: float, percent_header: bool) -> int:
    """The score as hundredths of a percent: 8,5 on a 10-point scale → 8500; 85% → 8500."""
    number, is_percent = parse_number(value)
    if is_percent or percent_header:
        maximum = 100.0
    elif text(scale):
        maximum, scale_percent = parse_number(scale)
        if scale_percent or maximum <= 0:
            raise ValueProblem(f'thang điểm "{text(scale)}" không hợp lệ')
    else:
        maximum = default_scale
    if number > maximum:
        raise ValueProblem(f"điểm {text(value)} lớn hơn điểm tối đa {maximum:g}")
    return round(number / maximum * 10000)


_SCHOOL_YEAR = re.compile(r"(\d{4})\s*[-/\u2010-\u2015]\s*(\d{2}|\d{4})\b")


@lru_cache(maxsize=256)
def parse_school_year(value: object) -> str:
    """A school year as "2025-2026" (also from "2025 - 2026", "2025/2026", "2025-26")."""
    raw = text(value)
    match = _SCHOOL_YEAR.search(raw)
    if not match:
        raise ValueProblem(f'năm học "{raw}" không hợp lệ (ví dụ 2025-2026)')
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    if end_year != start + 1 or not 2000 <= start <= 2100:
        raise ValueProblem(f'năm học "{raw}" phải gồm hai năm liền nhau (ví dụ 2025-2026)')
    return f"{start}-{start + 1}"


def parse_year(value: object) -> str:
    raw = text(value)
    if not re.fullmatch(r"20\d\d", raw):
        raise ValueProblem(f'năm "{raw}" không hợp lệ (ví dụ 2025)')
    return raw


_TITLE_SCHOOL_YEAR = re.compile(r"nam hoc\s*:?\s*(\d{4}\s*[-/\u2010-\u2015]\s*\d{2,4})")
_TITLE_YEAR = re.compile(r"\bnam\s*:?\s*(20\d\d)\b(?!\s*[-/\u2010-\u2015]\s*\d)")


def period_from_title(title: str, students: bool) -> str | None:
    """The school year ("NĂM HỌC 2025-2026") or year ("NĂM 2025") written in a file's title block."""
    folded = fold(title)
    if students:
        match = _TITLE_SCHOOL_YEAR.search(folded)
        if match:
            try:
                return parse_school_year(match.group(1))
            except ValueProblem:
                return None
        return None
    match = _TITLE_YEAR.search(folded)
    return match.group(1) if match else None


_CLASS_GRADE = re.compile(r"^(?:lop\s*)?(\d{1,2})")

THPT_GRADES = (10, 11, 12)


@lru_cache(maxsize=4096)
def parse_grade(grade: object, class_name: str) -> int:
    """The grade from its own column, or from the class name ("10A1" → 10); THPT means 10 to 12."""
    raw = text(grade)
    source = raw or class_name
    match = _CLASS_GRADE.match(fold(source).replace("khoi", "").strip())
    if not match:
        if raw:
            raise ValueProblem(f'khối "{raw}" không hợp lệ')
        raise ValueProblem(f'không xác định được khối từ lớp "{class_name}"; hãy thêm cột Khối')
    value = int(match.group(1))
    if value not in THPT_GRADES:
        raise ValueProblem(f"khối {value} không thuộc trung học phổ thông (khối 10, 11, 12)")
    return value


def school_year_of(day: date) -> str:
    """The Vietnamese school year a date falls in: September starts a new one ("2025-2026")."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


_UNIT_PREFIX = re.compile(r"^(?:truong\s+)?(?:thpt\s+|trung hoc pho thong\s+)?")


@lru_cache(maxsize=65536)
def unit_key(name: str) -> str:
    """Key under which two spellings of a school, agency or team name are the same unit: folded,
    single-spaced, without the usual "Trường", "THPT", "Trường THPT" in front ("Trường THPT Tiên Lữ",
    "THPT Tiên Lữ" and "Tiên Lữ" are one school)."""
    key = " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())
    return _UNIT_PREFIX.sub("", key) or key


# -- attendance marks --------------------------------------------------------------------------------------
PRESENT = "có mặt"
ABSENT_PERMITTED = "vắng có phép"
ABSENT_UNPERMITTED = "vắng không phép"
ABSENT_SICK = "nghỉ ốm"
ABSENT = "vắng"  # absent, the sheet does not say why
MARK_MEANINGS = (PRESENT, ABSENT_PERMITTED, ABSENT_UNPERMITTED, ABSENT_SICK, ABSENT)

# How schools write attendance marks (docs/tep-cua-truong.md lists them). Compared after folding
# (no diacritics, lower case) and dropping spaces, brackets and punctuation: "Vắng (P)" → "vangp".
_MARKS_WRITTEN = {
    PRESENT: ("x", "có", "có mặt", "c", "cm", "1", "+", "✓", "✔", "☑", "đ", "đi", "đi học", "đủ", "hiện diện",
              "tham dự", "dự", "yes", "true", "đã học", "học", "có học"),
    ABSENT_PERMITTED: ("p", "cp", "có phép", "vắng có phép", "nghỉ có phép", "vắng (p)", "v(p)", "vp", "np",
                       "nghỉ (p)", "n(p)", "vcp", "ncp", "vắng cp", "nghỉ cp", "v/p", "phép"),
    ABSENT_UNPERMITTED: ("kp", "k", "không phép", "vắng không phép", "nghỉ không phép", "vắng (kp)", "v(kp)", "vkp",
                         "nkp", "nghỉ (kp)", "n(kp)", "k/p", "vắng kp", "nghỉ kp", "không có phép"),
    ABSENT_SICK: ("ốm", "nghỉ ốm", "vắng ốm", "vắng (ốm)", "nghỉ (ốm)", "bệnh", "nghỉ bệnh", "vắng bệnh", "ô"),
    ABSENT: ("", "v", "vắng", "vắng mặt", "nghỉ", "nghỉ học", "vắng học", "không", "không có mặt", "0", "-", "--",
             "_", "no", "false", "không học", "không dự", "chưa học", "n"),
}
_MARK_NOISE = re.compile(r"[\s()\[\].,:;/\\'\"]+")


def mark_key(written: str) -> str:
    """The form marks are compared in: "Vắng (P)" → "vangp", " KP " → "kp"."""
    folded = fold(written)
    key = _MARK_NOISE.sub("", folded)
    return key if key or not folded else folded


MARKS: dict[str, str] = {mark_key(w): meaning for meaning, spellings in _MARKS_WRITTEN.items() for w in spellings}


def attendance_mark(value: object) -> str:
    """What an attendance cell means (one of ``MARK_MEANINGS``); a mark not in the vocabulary is a
    ``ValueProblem``: counting an unknown mark as present would inflate coverage."""
    if value is None:
        return ABSENT
    if value is True:
        return PRESENT
    if value is False:
        return ABSENT
    meaning = MARKS.get(mark_key(text(value)))
    if meaning is None:
        raise ValueProblem(f'ký hiệu điểm danh "{text(value)}" không rõ nghĩa (các ký hiệu được nhận: x, có mặt;'
                           ' P, CP, có phép; KP, không phép; ốm, nghỉ ốm; vắng, nghỉ, "-" …; xem docs/tep-cua-truong.md)')
    return meaning


def code_key(code: str) -> str:
    """The form learner codes are matched in: without leading zeros, so "033209000104" and the
    "33209000104" a spreadsheet made of it when it stored the code as a number are one learner."""
    return (code.lstrip("0") or code) if code[:1] == "0" else code
