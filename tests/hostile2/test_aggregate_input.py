"""Aggregate files are input from outside (issue 27, points 1 and 5): every crafted file below is refused
by ``coverage merge`` and by ``build`` (through ``do-phu/``) with the exact Vietnamese message naming the
file and the field, quickly, within 1.5 GB, without a traceback — although each carries a valid id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile2 import aggregates
from tests.hostile2.limits import assert_user_error, coursegen


def _series_month(value):
    return lambda d: d["series"][0]["months"][0].__setitem__(0, value)


def _fact(column: int, value):
    return lambda d: d["facts"][0].__setitem__(column, value)


CASES = {
    "month-script": (_series_month("<script>alert(1)</script>"),
                     "trường series[0].months[0]: tháng '<script>alert(1)</script>' không dạng NNNN-TT"),
    "month-img-onerror": (_series_month("2025-1<img src=x onerror=alert(1)>"),
                          "trường series[0].months[0]: tháng '2025-1<img src=x onerror=alert(1)>' không dạng NNNN-TT"),
    "month-after-as-of": (_series_month("2031-01"), "trường series[0].months[0]: tháng 2031-01 nằm ngoài khoảng"),
    "months-decreasing": (lambda d: d["series"][0]["months"].reverse(),
                          "trường series[0].months[1]: các tháng phải tăng dần"),
    "unit-escape": (_fact(4, "Trường \x1b[2J\x1b]0;pwned\x07"),
                    "trường facts[0].unit: chứa ký tự điều khiển không in được (U+001B)"),
    "unit-rlo": (_fact(4, "Trường \u202eexe.fdp"), "trường facts[0].unit: chứa ký tự điều khiển không in được (U+202E)"),
    "unit-lone-surrogate": (_fact(4, "Trường \ud800"), "trường facts[0].unit: chứa ký tự điều khiển không in được (U+D800)"),
    "unit-too-long": (_fact(4, "Trường " + "A" * 400), "trường facts[0].unit: dài 407 ký tự (tối đa 300)"),
    "unit-not-text": (_fact(4, ["<b>x</b>"]), "trường facts[0].unit: phải là chuỗi không rỗng"),
    "count-negative": (_fact(5, -5), "trường facts[0].enrolled: phải là số nguyên từ 0 đến 200000000, không phải -5"),
    "count-huge": (_fact(5, 10**11), "trường facts[0].enrolled: phải là số nguyên từ 0 đến 200000000"),
    "count-float": (_fact(5, 40.5), "trường facts[0].enrolled: phải là số nguyên từ 0 đến 200000000, không phải 40.5"),
    "count-bool": (_fact(6, True), "trường facts[0].covered: phải là số nguyên"),
    "period-markup": (_fact(1, "<b>2025</b>"), "trường facts[0].period: kỳ '<b>2025</b>' không phải kỳ của ngày 30/11/2025"),
    "commune-elsewhere": (_fact(3, 70), "trường facts[0]: xã mã 70 không thuộc tỉnh mã 33"),
    "duplicate-unit": (lambda d: d["facts"].append(list(d["facts"][0])), "trường facts[2]: đơn vị này có hai dòng"),
    "trend-days-overflow": (lambda d: d.__setitem__("trend_days", 10**12 - 1),
                            "trường trend_days: phải là số nguyên từ 1 đến 3660"),
    "as-of-year-one": (lambda d: d.__setitem__("as_of", "0001-01-01"), "trường as_of: ngày 0001-01-01 nằm ngoài khoảng"),
    "as-of-year-9999": (lambda d: d.__setitem__("as_of", "9999-12-31"), "trường as_of: ngày 9999-12-31 nằm ngoài khoảng"),
    "course-id-markup": (lambda d: d["courses"][0].__setitem__("id", "<svg/onload=alert(1)>"),
                         "trường courses[0].id: mã khóa học '<svg/onload=alert(1)>' không hợp lệ"),
    "publisher-control": (lambda d: d.__setitem__("publisher", "Sở\x00"),
                          "trường publisher: chứa ký tự điều khiển không in được (U+0000)"),
    "source-not-an-id": (lambda d: d.__setitem__("sources", ["<script>"]), "trường sources[0]: phải là mã 64 chữ số"),
    "unknown-field": (lambda d: d.__setitem__("html", "<script>"), "trường 'html': không có trong định dạng"),
}




@pytest.mark.parametrize("name", sorted(CASES))
def test_crafted_aggregate_is_refused_by_merge(name, project, tmp_path):
    change, message = CASES[name]
    path = aggregates.write(tmp_path / f"{name}.json", change)
    result = coursegen(project, "coverage", "merge", str(path))
    assert_user_error(result, f"{name}.json: {message}", seconds=20)


def _raw(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_integer_of_five_thousand_digits_is_refused(project, tmp_path):
    text = aggregates.signed(aggregates.body()).replace('"trend_days": 90', '"trend_days": ' + "9" * 5000)
    result = coursegen(project, "coverage", "merge", str(_raw(tmp_path, "so-dai.json", text)))
    assert_user_error(result, "so-dai.json: không phải tệp JSON hợp lệ (số có 5000 chữ số (tối đa 12))", seconds=20)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_two_hundred_thousand_levels_of_nesting_are_refused(opening, project, tmp_path):
    closing = "]" if opening == "[" else "}"
    deep = opening * 200_000 + "1" + closing * 200_000
    text = aggregates.signed(aggregates.body()).replace('"trend_days": 90', '"trend_days": ' + deep)
    result = coursegen(project, "coverage", "merge", str(_raw(tmp_path, "long-nhau.json", text)))
    assert_user_error(result, "long-nhau.json: không phải tệp JSON hợp lệ (lồng nhau quá sâu)", seconds=20)


def test_nan_is_refused(project, tmp_path):
    text = aggregates.signed(aggregates.body()).replace('"trend_days": 90', '"trend_days": NaN')
    result = coursegen(project, "coverage", "merge", str(_raw(tmp_path, "nan.json", text)))
    assert_user_error(result, "nan.json: không phải tệp JSON hợp lệ (giá trị NaN không phải JSON chuẩn)", seconds=20)


def test_a_file_over_the_size_limit_is_refused_unread(project, tmp_path):
    path = tmp_path / "qua-lon.json"
    with path.open("wb") as handle:  # sparse: no disk used
        handle.truncate(129 * 1024 * 1024)
    result = coursegen(project, "coverage", "merge", str(path))
    assert_user_error(result, "qua-lon.json: tệp lớn hơn 128 MB, không phải tệp số liệu tổng hợp", seconds=20)


@pytest.mark.parametrize("name", ["month-script", "trend-days-overflow", "unit-escape"])
def test_build_stops_on_a_crafted_file_in_do_phu_and_keeps_the_old_site(name, project, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    change, message = CASES[name]
    aggregates.write(copy / "do-phu" / "tinh.json", change)
    result = coursegen(copy, "build", timeout=300)
    assert_user_error(result, f"trang độ phủ, thư mục do-phu/: tinh.json: {message}", seconds=120)
    assert not (copy / "site").exists()


@pytest.mark.parametrize("args, message", [
    (["--trend-days", "99999999999999"], '"99999999999999" ngày: tối đa 3660 (mười năm)'),
    (["--as-of", "0001-01-01"], 'ngày "0001-01-01" nằm ngoài khoảng 01/01/2000–31/12/2100'),
    (["--as-of", "9999-12-31"], 'ngày "9999-12-31" nằm ngoài khoảng'),
])
@pytest.mark.parametrize("command", ["report", "export"])
def test_dates_out_of_range_on_the_command_line_are_user_errors(command, args, message, project, tmp_path):
    extra = ["--trend-days", "90"] if "--as-of" in args else ["--as-of", "2025-11-30"]
    result = coursegen(project, "coverage", command, "--db", str(tmp_path / "d.sqlite3"), *args, *extra)
    assert_user_error(result, message, seconds=20)


def test_a_pace_too_slow_to_project_gives_no_date_rather_than_an_overflow(project, tmp_path):
    """A huge gap covered at one learner per ten years: the projection is past year 9999, so none is shown."""
    units = [("Trường THPT Phố Hiến", 199_000_000, 2), ("Trường THPT Hưng Yên", 20, 12)]

    def slow(data: dict) -> None:
        data["trend_days"] = 3660
        data["series"][0]["months"] = [["2025-11", 14]]

    path = aggregates.write(tmp_path / "cham.json", slow, units=units)
    result = coursegen(project, "coverage", "merge", str(path))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.report()
    assert "199.000.000" in result.stdout


FORMULAS = [" =cmd|' /C calc'!A0", "   +SUM(1;2)", "\u3000-2+3", "\u00a0@SUM(A1)", "\uff1dHYPERLINK(\"x\")",
            "=HYPERLINK(\"https://x.example\")"]


def test_merge_csv_keeps_formula_like_unit_names_as_text(project, tmp_path):
    """Unit names are text in the aggregate; the CSV report must not let a spreadsheet run them, leading
    spaces or full-width signs notwithstanding."""
    import csv

    units = [(name, 20 + n, 10) for n, name in enumerate(FORMULAS)]
    path = aggregates.write(tmp_path / "cong-thuc.json", units=units)
    out = tmp_path / "toan-quoc.csv"
    result = coursegen(project, "coverage", "merge", str(path), "--out", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.report()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        names = [row[8] for row in list(csv.reader(handle))[1:] if row[8]]
    assert sorted(names) == sorted("'" + name for name in FORMULAS), names
