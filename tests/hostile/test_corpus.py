"""Every case of the hostile corpus gives its expected error or its expected escaped output, and never a
traceback. See corpus.py for the case format."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DIAGNOSTIC, MINI, run_coursegen
from tests.hostile.corpus import CASES, all_cases, import_input, prepare_project
from tests.hostile.outputs import output_seen, squash

BASELINE = CASES.parent / "data" / "ds-goc.csv"  # two valid students: the state a failed import must keep


def test_corpus_has_at_least_forty_cases_of_every_kind():
    cases = all_cases()
    kinds = {kind: [c for c in cases if c.kind == kind] for kind in ("check", "build", "inject", "roster", "records")}
    assert len(cases) >= 40
    assert all(len(found) >= 3 for found in kinds.values()), {k: len(v) for k, v in kinds.items()}
    for case in cases:
        assert not any(p.is_symlink() for p in case.directory.rglob("*")), f"{case.name}: links are made by the test"


# -- sources ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", all_cases("check"), ids=lambda c: c.name)
def test_source_case(case, tmp_path: Path):
    project = prepare_project(case, tmp_path)
    result = run_coursegen("-C", str(project), "check", timeout=120)
    report = f"\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, report
    actual = []
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.match(line)
        assert match is not None, f"not a 'path:line: field: message' line: {line!r}{report}"
        actual.append(match)
    unmatched = list(actual)
    missing = []
    for wanted in case.spec["diagnostics"]:
        want = DIAGNOSTIC.match(wanted)
        assert want is not None, f"{case.name}: bad expected diagnostic {wanted!r}"
        hit = next((a for a in unmatched if (a["path"], a["line"], a["field"]) == (want["path"], want["line"], want["field"])
                    and want["message"] in a["message"]), None)
        if hit is None:
            missing.append(wanted)
        else:
            unmatched.remove(hit)
    assert not missing, "expected but not reported:\n" + "\n".join(missing) + report
    assert not unmatched, "reported but not expected:\n" + "\n".join(a.group(0) for a in unmatched) + report
    assert result.returncode == case.spec.get("exit", 1), report


# -- builds: refused without touching anything ---------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, except coursegen's own cache (a speed-up kept in .coursegen-cache/, not a source)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".coursegen-cache" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("case", all_cases("build"), ids=lambda c: c.name)
def test_build_case(case, tmp_path: Path):
    project = prepare_project(case, tmp_path)
    outside = tmp_path / "outside"
    before, before_outside = snapshot(project), snapshot(outside)
    args = [a.format(project=project, outside=outside) for a in case.spec.get("args", [])]
    result = run_coursegen("-C", str(project), "build", *args, timeout=300)
    report = f"\n--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, report
    assert result.returncode == case.spec["exit"], report
    for phrase in case.spec["stderr"]:
        assert phrase in result.stderr, f"{phrase!r} not in the output" + report
    assert snapshot(project) == before, "the build changed or deleted project files"
    assert snapshot(outside) == before_outside, "the build changed files outside the project"
    assert not (project / "site").exists()


# -- injection: one project with every payload, built once (conftest.injected_site) ---------------------
@pytest.mark.parametrize("case", all_cases("inject"), ids=lambda c: c.name)
def test_injected_payload_is_text_everywhere(case, injected_site: Path):
    payload = squash(case.spec["payload"])
    assert case.name in payload, f"{case.name}: the payload must carry the case name as its marker"
    shown = "".join(case.spec.get("shown", case.spec["payload"]).split())  # line breaks differ by output
    for target in case.spec["lands_in"]:
        seen = output_seen(injected_site, target)
        assert not seen.live, f"{target}: the payload became live markup: {seen.live}"
        assert shown in "".join(seen.text.split()), f"{target}: {case.spec.get('shown', payload)!r} is not shown as text"


# -- rosters and completion records ------------------------------------------------------------------
def database_dump(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def table_dump(db: Path, *tables: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return [row for table in tables for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1")]
    finally:
        connection.close()


@pytest.mark.parametrize("case", all_cases("roster") + all_cases("records"), ids=lambda c: c.name)
def test_import_case(case, tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    db = tmp_path / "coverage.sqlite3"
    baseline = run_coursegen("-C", str(project), "coverage", "import-roster", "--db", str(db), str(BASELINE))
    assert baseline.returncode == 0, baseline.stderr
    before = database_dump(db)
    records_before = table_dump(db, "attendance", "quiz_results")
    command = "import-roster" if case.kind == "roster" else "import-records"
    extra = ["--as-of", "2025-12-31"] if case.kind == "records" else []
    rejects = tmp_path / "tu-choi.csv"
    result = run_coursegen("-C", str(project), "coverage", command, "--db", str(db), "--rejects", str(rejects),
                           *extra, *case.spec.get("args", []), str(import_input(case, tmp_path)), timeout=120)
    report = f"\n--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, report
    assert result.returncode == case.spec["exit"], report
    for phrase in case.spec.get("stderr", []):
        assert phrase in result.stderr, f"{phrase!r} not in the output" + report
    if "rejected" in case.spec:
        assert f"Dòng bị từ chối ({case.spec['rejected']})" in result.stderr, report
        assert rejects.is_file()
    if case.spec.get("unchanged"):
        assert database_dump(db) == before, "a failed import changed the database"
    if case.spec.get("unchanged_records"):
        assert table_dump(db, "attendance", "quiz_results") == records_before
    if "learners" in case.spec:
        assert len(table_dump(db, "learners")) == case.spec["learners"]
        assert {"learners", "enrollments"} <= {r[0] for r in sqlite3.connect(db).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if case.spec.get("report"):
        check_reports_keep_text(project, db, rejects, tmp_path)


FORMULA_START = ("=", "+", "-", "@")


def check_reports_keep_text(project: Path, db: Path, rejects: Path, tmp_path: Path) -> None:
    """Every report form of the imported data, and the rejected-rows file, hold formula-like text as text."""
    from openpyxl import load_workbook

    common = ["-C", str(project), "coverage", "report", "--db", str(db), "--as-of", "2025-12-01"]
    table = run_coursegen(*common)
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    csv_path, xlsx_path = tmp_path / "bao-cao.csv", tmp_path / "bao-cao.xlsx"
    for out in (csv_path, xlsx_path):
        result = run_coursegen(*common, "--out", str(out))
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle, delimiter=";" if ";" in csv_path.read_text("utf-8-sig")[:500] else ",")
                 for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)], "a CSV report cell would run as a formula"
    workbook = load_workbook(xlsx_path)
    strings = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    strings.append(cell.value)
                    if cell.value.startswith(FORMULA_START):
                        assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate} may be read as a formula"
    assert any("cmd|" in s for s in strings) or not any("cmd|" in c for c in cells)
    if rejects.is_file():
        with rejects.open(encoding="utf-8-sig", newline="") as handle:
            raw = [cell for row in csv.reader(handle) for cell in row]
        assert not [c for c in raw if c.startswith(FORMULA_START)], "a rejected-rows cell would run as a formula"
