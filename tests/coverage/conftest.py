"""Fixtures for the coverage tracker: a project with one course per audience, a database, the CLI.

``db_path`` is parametrized over the back ends: every test that takes it runs once on an SQLite file
and once on a database of a real PostgreSQL server (``tests/coverage/pg.py``) started for the session.
Tests about the SQLite file itself take ``sqlite_db`` instead. ``connect`` and ``dump`` read either.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINI, run_coursegen
from tests.coverage.pg import PostgresServer

DATA = Path(__file__).resolve().parent / "data"
ROSTERS = DATA / "rosters"
RECORDS = DATA / "records"
WORKED = DATA / "worked"

# The mini course is for students; the clones make a staff course and a community-team course.
CLONES = {"minicb": "staff", "minitc": "community-team"}


def make_project(target: Path) -> Path:
    """Copy tests/data/mini and add a staff and a community-team copy of its course."""
    shutil.copytree(MINI, target)
    for prefix, audience in CLONES.items():
        course_dir = target / "courses" / f"{prefix}-dvc"
        shutil.copytree(target / "courses" / "mini-dvc", course_dir)
        for path in [course_dir / "course.yml", *(course_dir / "lessons").glob("*.md")]:
            text = path.read_text(encoding="utf-8").replace("mini-", f"{prefix}-")
            if path.name == "course.yml":
                text = text.replace("audience: students", f"audience: {audience}")
            path.write_text(text, encoding="utf-8")
        quiz = (target / "quizzes" / "mini-dvc.yml").read_text(encoding="utf-8").replace("mini-", f"{prefix}-")
        (target / "quizzes" / f"{prefix}-dvc.yml").write_text(quiz, encoding="utf-8")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


BACKENDS = ("sqlite", "postgresql")
_databases = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


def new_pg_database(server: PostgresServer) -> str:
    # The random part: test modules that import this conftest by name get a second copy of the
    # counter (pytest loads conftest.py as its own module), and two databases must never share a name.
    return server.create_database(f"coverage_{os.getpid()}_{next(_databases)}_{secrets.token_hex(4)}")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_path(request, backend: str, tmp_path: Path) -> Path | str:
    """An SQLite file path, or a ``postgresql://`` URL of a fresh, empty database."""
    if backend == "sqlite":
        return tmp_path / "coverage.sqlite3"
    return new_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    return tmp_path / "coverage.sqlite3"


def is_pg(db: Path | str) -> bool:
    return str(db).startswith("postgresql://")


class _PgConnection:
    """Just enough of sqlite3.Connection over psycopg for the tests: ``?`` placeholders, execute, commit."""

    def __init__(self, url: str):
        import psycopg

        self.connection = psycopg.connect(url)

    def execute(self, sql: str, params=()):
        return self.connection.execute(sql.replace("?", "%s"), tuple(params))

    def commit(self) -> None:
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()


def connect(db: Path | str):
    return _PgConnection(str(db)) if is_pg(db) else sqlite3.connect(db)


def rows(db: Path | str, sql: str) -> list[tuple]:
    """All rows of one query on either back end."""
    connection = connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def coverage(project: Path, db: Path | str, *args: str) -> subprocess.CompletedProcess:
    """Run ``coursegen -C project coverage <command> --db db …`` as a user would."""
    command, *rest = args
    return run_coursegen("-C", str(project), "coverage", command, "--db", str(db), *rest)


def dump(db: Path | str) -> list[str]:
    """The whole database as SQL statements (SQLite) or as sorted rows per table (PostgreSQL), to
    compare states exactly."""
    if is_pg(db):
        connection = _PgConnection(str(db))
        try:
            tables = [row[0] for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                " ORDER BY table_name")]
            out = []
            for table in tables:
                rows = connection.execute(f"SELECT * FROM {table}").fetchall()
                out += sorted(f"{table}: {row!r}" for row in rows)
            return out  # identity sequences are left out: PostgreSQL never rolls them back
        finally:
            connection.close()
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def rejected_lines(stderr: str) -> list[str]:
    """The "file, dòng N: reason" lines of an import's output."""
    return [line.strip() for line in stderr.splitlines() if ", dòng " in line and line.startswith("  ")]
