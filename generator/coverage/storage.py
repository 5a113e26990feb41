"""A small storage layer over a DB-API connection: one SQL dialect for SQLite now, PostgreSQL later.

SQL in this package is written once with ``?`` placeholders and portable constructs (CTEs,
``INSERT … ON CONFLICT``, ``GROUP BY``); ``Database`` rewrites the placeholders for drivers that use
``%s``. Dates are stored as ISO text (``YYYY-MM-DD``), which sorts and compares the same everywhere.
The schema is created and upgraded by the numbered migrations in ``migrations.py``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import CoursegenError

DEFAULT_DB_NAME = "coverage.sqlite3"
BATCH_ROWS = 1000  # rows per executemany call


class Database:
    """A connection plus the dialect name; every write happens inside ``transaction()``."""

    def __init__(self, connection: Any, dialect: str, location: str):
        self.connection = connection
        self.dialect = dialect
        self.location = location
        self._in_transaction = False

    # -- SQL ---------------------------------------------------------------------------------
    def sql(self, text: str) -> str:
        """Adapt portable SQL to the driver: ``?`` placeholders become ``%s`` on PostgreSQL."""
        if self.dialect == "postgresql":
            return text.replace("%", "%%").replace("?", "%s")
        return text

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(self.sql(text), tuple(params))
        return cursor

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` in batches of ``BATCH_ROWS``; returns the number of rows sent."""
        statement = self.sql(text)
        cursor = self.connection.cursor()
        sent = 0
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(tuple(row))
            if len(batch) >= BATCH_ROWS:
                cursor.executemany(statement, batch)
                sent += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(statement, batch)
            sent += len(batch)
        return sent

    def query(self, text: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(text, params).fetchall())

    def scalar(self, text: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(text, params).fetchone()
        return row[0] if row else None

    def table_exists(self, name: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"
        return bool(self.scalar(sql, (name,)))

    def temp_table(self, name: str, columns: str) -> None:
        """A scratch table private to this connection, emptied and dropped with the transaction."""
        if self.dialect == "sqlite":
            self.execute(f"DROP TABLE IF EXISTS temp.{name}")
            self.execute(f"CREATE TEMP TABLE {name} ({columns})")
        else:
            self.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")

    def drop_temp_table(self, name: str) -> None:
        if self.dialect == "sqlite":
            self.execute(f"DROP TABLE IF EXISTS temp.{name}")

    # -- transactions ------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, *, rollback: bool = False) -> Iterator[Database]:
        """One all-or-nothing unit of work; ``rollback=True`` (dry run) always undoes it."""
        if self._in_transaction:
            raise RuntimeError("nested transaction")
        self._in_transaction = True
        try:
            if self.dialect == "sqlite":
                self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.connection.rollback()
                raise
            if rollback:
                self.connection.rollback()
            else:
                self.connection.commit()
        finally:
            self._in_transaction = False

    def close(self) -> None:
        self.connection.close()


def _open_sqlite(path: Path) -> Database:
    path = path.absolute()
    if path.is_dir():
        raise CoursegenError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise CoursegenError(f"{path} không phải tệp cơ sở dữ liệu SQLite của coursegen ({exc})") from exc
    return Database(connection, "sqlite", str(path))


def open_database(target: str | Path, *, create: bool = True) -> Database:
    """Open (and create or upgrade) the coverage database at a path or ``postgresql://`` URL."""
    from .migrations import migrate

    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        raise CoursegenError("cơ sở dữ liệu PostgreSQL chưa được hỗ trợ trong phiên bản này; hãy dùng tệp SQLite")
    path = Path(text)
    if not create and not path.exists():
        raise CoursegenError(f"chưa có cơ sở dữ liệu {path}; hãy nhập danh sách người học trước")
    db = _open_sqlite(path)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def default_location(project: Path) -> Path:
    return project / DEFAULT_DB_NAME


def pause_for_tests(stage: str) -> None:
    """Test hook: stop at ``stage`` while a transaction is open, so a test can kill the process.

    Active only when ``COURSEGEN_COVERAGE_TEST_PAUSE`` names the stage; used by the kill-safety tests.
    """
    if os.environ.get("COURSEGEN_COVERAGE_TEST_PAUSE") == stage:
        print(f"COURSEGEN-PAUSED {stage}", file=sys.stderr, flush=True)
        time.sleep(120)


def placeholders(count: int) -> str:
    return ", ".join("?" * count)
