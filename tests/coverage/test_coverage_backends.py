"""SQLite and PostgreSQL give the same reports; concurrent imports into PostgreSQL lose nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bench.make_roster import RESULTS, ROSTERS, national_plan, write_province
from generator.coverage.cli import make_report
from generator.coverage.database import open_database
from generator.coverage.export import csv_text
from generator.source.loader import load_corpus
from tests.conftest import REPO
from tests.coverage.conftest import WORKED, connect, coverage, make_project, new_pg_database

AS_OF = date(2025, 11, 30)


def import_province(project: Path, db: Path | str, folder: Path) -> None:
    for name, audience in ROSTERS:
        result = coverage(project, db, "import-roster", "--audience", audience, str(folder / name))
        assert result.returncode == 0, result.stderr
    result = coverage(project, db, "import-records", "--as-of", AS_OF.isoformat(), *(str(folder / n) for n in RESULTS))
    assert result.returncode == 0, result.stderr


def report_csv(project: Path, db: Path | str, public: bool = False) -> str:
    database = open_database(db, create=False)
    try:
        return csv_text(make_report(database, load_corpus(project), AS_OF, public=public))
    finally:
        database.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """Two small generated provinces (Hà Nội and Cao Bằng at 1% of national size)."""
    base = tmp_path_factory.mktemp("generated")
    for plan in national_plan(0.01, 2):
        write_province(plan, base / "data")
    return make_project(base / "project"), base / "data"


def test_generated_province_gives_the_same_report_on_both_back_ends(generated, pg_server, tmp_path):
    project, data = generated
    folder = sorted(data.iterdir())[0]
    sqlite_db, pg_db = tmp_path / "coverage.sqlite3", new_pg_database(pg_server)
    for db in (sqlite_db, pg_db):
        import_province(project, db, folder)
    internal, public = report_csv(project, sqlite_db), report_csv(project, sqlite_db, public=True)
    assert internal.count("\n") > 100  # a province, dozens of communes and units, three courses
    assert "Không công bố" in public  # the generator makes some small units
    assert report_csv(project, pg_db) == internal
    assert report_csv(project, pg_db, public=True) == public


def test_worked_example_gives_the_same_report_on_both_back_ends(pg_server, tmp_path):
    from tests.coverage.test_coverage_worked import WORKED_STEPS

    project = make_project(tmp_path / "project")
    reports = []
    for db in (tmp_path / "coverage.sqlite3", new_pg_database(pg_server)):
        for step in WORKED_STEPS:
            assert coverage(project, db, *step).returncode == 0
        reports.append(report_csv(project, db))
    assert reports[0] == reports[1]
    assert "Lai Châu" in reports[0] and str(WORKED) not in reports[0]


def test_two_imports_at_once_into_postgresql_lose_nothing(generated, pg_server):
    """Two processes import two provinces' rosters and records at the same moment; every row lands."""
    project, data = generated
    url = new_pg_database(pg_server)
    open_database(url).close()  # the schema first, as `coursegen coverage status` would
    folders = sorted(data.iterdir())

    def start(folder: Path, name: str, *extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "-C", str(project), "coverage", *extra[:1], "--db", url,
             *extra[1:], str(folder / name)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    for name, audience in ROSTERS:
        processes = [start(f, name, "import-roster", "--audience", audience) for f in folders]
        for process in processes:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
    for name in RESULTS:
        processes = [start(f, name, "import-records", "--as-of", AS_OF.isoformat()) for f in folders]
        for process in processes:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err

    def rows(folder: Path, names) -> int:
        return sum(len((folder / n).read_text(encoding="utf-8").splitlines()) - 1 for n in names)

    connection = connect(url)
    try:
        learners = connection.execute("SELECT COUNT(*) FROM learners").fetchone()[0]
        enrolments = connection.execute("SELECT COUNT(*) FROM enrollments").fetchone()[0]
        records = connection.execute(
            "SELECT (SELECT COUNT(*) FROM attendance) + (SELECT COUNT(*) FROM quiz_results)").fetchone()[0]
        files = connection.execute("SELECT COUNT(*) FROM imports").fetchone()[0]
    finally:
        connection.close()
    expected_learners = sum(rows(f, [n for n, _ in ROSTERS]) for f in folders)
    assert learners == enrolments == expected_learners
    assert records == sum(rows(f, RESULTS) for f in folders)
    assert files == 2 * (len(ROSTERS) + len(RESULTS))


def test_completions_kept_by_imports_equal_a_full_recompute(generated, db_path, monkeypatch):
    """Each records import recomputes the completions of the learners it names: for a big province
    in one pass over the course, for a small one learner by learner. Either way the stored rows are
    those a recompute of everyone from the records gives."""
    from generator.coverage import records
    from generator.coverage.facts import CourseRule, refresh_completions
    from generator.coverage.records import RecordOptions, import_records

    project, data = generated
    corpus = load_corpus(project)
    everyone: list[bool] = []
    real_refresh = records.refresh_completions

    def spying_refresh(db, rule, learners=None):
        everyone.append(learners is None)
        return real_refresh(db, rule, learners)

    monkeypatch.setattr(records, "refresh_completions", spying_refresh)
    big, small = sorted(data.iterdir())  # Hà Nội, then Cao Bằng: under half its size
    for folder in (big, small):
        for name, audience in ROSTERS:
            assert coverage(project, db_path, "import-roster", "--audience", audience, str(folder / name)).returncode == 0
        db = open_database(db_path)
        try:
            summary = import_records(db, corpus, [folder / name for name in RESULTS], RecordOptions(), as_of=AS_OF)
            assert summary.rows_imported > 1000 and not summary.rejected_count
        finally:
            db.close()
    assert everyone == [True] * 3 + [False] * 3  # Hà Nội: one pass per course; Cao Bằng: its learners
    db = open_database(db_path)
    try:
        stored = sorted(db.query("SELECT course_id, learner_id, scope, completed_on FROM completions"))
        with db.transaction(rollback=True):
            db.execute("DELETE FROM completion_rules")  # every course's rows count as stale: all recomputed
            for course in corpus.courses:
                refresh_completions(db, CourseRule.of(course))
            recomputed = sorted(db.query("SELECT course_id, learner_id, scope, completed_on FROM completions"))
    finally:
        db.close()
    assert len(stored) > 1000
    assert [tuple(row) for row in stored] == [tuple(row) for row in recomputed]
