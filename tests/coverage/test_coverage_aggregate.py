"""Province exports carry counts only; merging them equals one database; nothing is counted twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.make_roster import ROSTERS, national_plan, write_province
from generator.coverage.aggregate import read_aggregate
from tests.coverage.conftest import coverage, make_project, new_pg_database
from tests.coverage.test_coverage_backends import AS_OF, import_province, report_csv

AS_OF_ARG = ("--as-of", AS_OF.isoformat())


@pytest.fixture(scope="module")
def provinces(tmp_path_factory, pg_server) -> tuple[Path, list[Path], list[Path], dict[str, str]]:
    """Three generated provinces: each exported from its own database (the first on PostgreSQL), and
    all three imported into one database of each back end."""
    base = tmp_path_factory.mktemp("aggregate")
    project = make_project(base / "project")
    for plan in national_plan(0.01, 3):
        write_province(plan, base / "data")
    folders = sorted((base / "data").iterdir())
    exports = []
    for index, folder in enumerate(folders):
        db = new_pg_database(pg_server) if index == 0 else base / f"{folder.name}.sqlite3"
        import_province(project, db, folder)
        out = base / f"tinh-{folder.name}.json"
        result = coverage(project, db, "export", *AS_OF_ARG, "--out", str(out))
        assert result.returncode == 0, result.stderr
        exports.append(out)
    combined = {"sqlite": base / "all.sqlite3", "postgresql": new_pg_database(pg_server)}
    for db in combined.values():
        for folder in folders:
            import_province(project, db, folder)
    return project, folders, exports, combined


def merged_csv(project: Path, exports: list[Path], out: Path, *extra: str) -> str:
    result = _merge(project, *map(str, exports), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8-sig")


def _merge(project: Path, *args: str):
    from tests.conftest import run_coursegen

    return run_coursegen("-C", str(project), "coverage", "merge", *args)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_merge_of_three_provinces_equals_the_report_from_one_database(provinces, tmp_path, backend):
    project, _, exports, combined = provinces
    internal = merged_csv(project, exports, tmp_path / "toan-quoc.csv")
    public = merged_csv(project, exports, tmp_path / "cong-bo.csv", "--public")
    assert report_csv(project, combined[backend]).replace("\r\n", "\n") == internal.replace("\r\n", "\n")
    assert report_csv(project, combined[backend], public=True).replace("\r\n", "\n") == public.replace("\r\n", "\n")
    assert internal.count(",Tỉnh/Thành phố,") == 1 + 3 * 3  # the header; three provinces, three courses


def test_a_merged_file_merges_again_and_equals_the_direct_merge(provinces, tmp_path):
    project, _, exports, _ = provinces
    partial = tmp_path / "mien-bac.json"
    assert _merge(project, *map(str, exports[:2]), "--out", str(partial)).returncode == 0
    direct = merged_csv(project, exports, tmp_path / "a.csv")
    assert merged_csv(project, [partial, exports[2]], tmp_path / "b.csv") == direct


def test_the_same_data_twice_is_refused_not_double_counted(provinces, tmp_path):
    project, _, exports, _ = provinces
    copy = tmp_path / "ban-sao-doi-ten.json"
    shutil.copy(exports[1], copy)
    twice = _merge(project, str(exports[0]), str(exports[1]), str(copy), "--out", str(tmp_path / "x.csv"))
    assert twice.returncode == 1
    assert f"{copy.name}: số liệu này đã có trong {exports[1].name}" in twice.stderr
    assert not (tmp_path / "x.csv").exists()
    partial = tmp_path / "mien-bac.json"
    assert _merge(project, *map(str, exports[:2]), "--out", str(partial)).returncode == 0
    again = _merge(project, str(partial), str(exports[0]))
    assert again.returncode == 1 and "không gộp một tệp hai lần" in again.stderr


def test_a_second_export_of_the_same_province_is_refused(provinces, tmp_path):
    project, folders, exports, _ = provinces
    db = tmp_path / "lai.sqlite3"
    for name, audience in ROSTERS[:1]:
        assert coverage(project, db, "import-roster", "--audience", audience, str(folders[1] / name)).returncode == 0
    other = tmp_path / "xuat-lai.json"
    assert coverage(project, db, "export", *AS_OF_ARG, "--out", str(other)).returncode == 0
    result = _merge(project, str(exports[1]), str(other))
    assert result.returncode == 1 and "mỗi tỉnh chỉ được gộp một lần" in result.stderr


def test_exports_hold_no_names_or_codes(provinces):
    _, folders, exports, _ = provinces
    text = exports[0].read_text(encoding="utf-8")
    roster = (folders[0] / "hoc-sinh.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(roster) > 100
    for line in roster[:200]:
        code, name = line.split(",")[:2]
        assert code not in text and name not in text
    data = json.loads(text)
    assert set(data) == {"format", "version", "id", "as_of", "trend_days", "publisher", "courses", "columns", "facts",
                         "series", "sources"}
    aggregate = read_aggregate(exports[0])
    for (course, period, province), points in aggregate.series.items():
        covered = sum(f.covered for f in aggregate.facts
                      if (f.course_id, f.period, f.province_code) == (course, period, province))
        assert points[-1].covered == covered  # the monthly progress ends at today's count
        assert [p.covered for p in points] == sorted(p.covered for p in points)


def test_a_damaged_or_foreign_file_is_refused_naming_file_and_field(provinces, tmp_path):
    project, _, exports, _ = provinces
    data = json.loads(exports[0].read_text(encoding="utf-8"))
    data["facts"][0][5] += 1  # someone "corrected" a count by hand
    edited = tmp_path / "sua-tay.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _merge(project, str(edited))
    assert result.returncode == 1 and "sua-tay.json: trường id: không khớp với nội dung" in result.stderr
    foreign = tmp_path / "khac.json"
    foreign.write_text('{"a": 1}', encoding="utf-8")
    result = _merge(project, str(foreign))
    assert result.returncode == 1 and "khac.json: không phải tệp số liệu tổng hợp độ phủ" in result.stderr
