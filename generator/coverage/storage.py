"""A small storage layer over a DB-API connection: one SQL dialect for SQLite and PostgreSQL.

SQL in this package is written once with ``?`` placeholders and portable constructs (CTEs,
``INSERT … ON CONFLICT``, ``GROUP BY``); ``Database`` rewrites the placeholders for drivers that use
``%s``. Dates are stored as ISO text (``YYYY-MM-DD``), which sorts and compares the same everywhere.
The schema is created and upgraded by the numbered migrations in ``migrations.py``.

SQLite (one file, one writer at a time through ``BEGIN IMMEDIATE``) serves one department; PostgreSQL
(``postgresql://…``) serves many writers. Writes on PostgreSQL take one transaction-scoped advisory
lock, so two imports at once run one after the other, as on SQLite, and none loses rows. Bulk rows
go through ``RowWriter`` (``Database.writer``): batched ``executemany`` on SQLite, ``COPY`` into a
staging table and one ``INSERT … SELECT`` on PostgreSQL, both counting the rows that changed.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import CoursegenError

DEFAULT_DB_NAME = "coverage.sqlite3"
BATCH_ROWS = 5000  # rows per executemany call
WRITE_BATCH = 20_000  # rows per RowWriter batch on SQLite (an executemany), and per reader-process batch
COPY_BATCH = 100_000  # rows per COPY on PostgreSQL: fewer round trips and savepoints
DIRECT_TRIES = 3  # batches that may fail to go straight into a table before the rest goes to the stage
SQLITE_CACHE_KB = 256 * 1024  # page cache per connection, in KiB; COURSEGEN_SQLITE_CACHE_KB overrides it
WRITE_LOCK = 0x636F7665  # the advisory lock key ("cove") that serialises writers on PostgreSQL


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

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Bulk-load ``rows`` into ``table``: ``COPY … FROM STDIN`` on PostgreSQL, else ``executemany``."""
        if self.dialect != "postgresql":
            marks = placeholders(len(columns))
            return self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        sent = 0
        cursor = self.connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                sent += 1
        return sent

    def writer(self, table: str, columns: Sequence[str], conflict: str | None = "DO NOTHING") -> RowWriter:
        """A buffered writer of rows into ``table`` (see ``RowWriter``); ``conflict=None`` for rows
        that cannot conflict (a plain INSERT, the cheapest)."""
        return RowWriter(self, table, tuple(columns), conflict)

    def analyze(self, *tables: str) -> None:
        """Refresh the planner's statistics after a bulk load (PostgreSQL never analyzes temp tables
        itself, and plans made without statistics turn a set-based merge into nested loops)."""
        if self.dialect == "postgresql":
            for table in tables:
                self.execute(f"ANALYZE {table}")

    def query(self, text: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(text, params).fetchall())

    def scalar(self, text: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(text, params).fetchone()
        return row[0] if row else None

    def table_exists(self, name: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = ("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"
                   " AND table_schema = current_schema()")
        return bool(self.scalar(sql, (name,)))

    def temp_table(self, name: str, columns: str) -> None:
        """A scratch table private to this connection, emptied and dropped with the transaction."""
        if self.dialect == "sqlite":
            self.execute(f"DROP TABLE IF EXISTS temp.{name}")
            self.execute(f"CREATE TEMP TABLE {name} ({columns})")
        else:
            self.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
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
            else:
                self.connection.execute("BEGIN")
                self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            try:
                yield self
            except BaseException:
                self._end("ROLLBACK")
                raise
            try:
                self._end("ROLLBACK" if rollback else "COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):  # a failed COMMIT (disk full) must not stay open
                    self._end("ROLLBACK")
                raise
        finally:
            self._in_transaction = False

    def _end(self, verb: str) -> None:
        if self.dialect == "sqlite":
            (self.connection.rollback if verb == "ROLLBACK" else self.connection.commit)()
        elif not self.connection.closed:
            self.connection.execute(verb)

    def close(self) -> None:
        self.connection.close()


class RowWriter:
    """Writes many rows into one table with ``INSERT … ON CONFLICT <conflict>`` and counts the rows
    the statement inserted or changed (``rowcount``), which is how importers tell new rows from rows
    already stored without reading them back.

    SQLite runs the statement for each batch with ``executemany``. PostgreSQL writes with ``COPY``:

    - ``conflict=None``: straight into the table;
    - ``DO NOTHING``: each batch straight into the table too, at a savepoint. A batch that holds a row
      already stored (or a row twice) fails as a whole and goes to a temporary stage instead, merged at
      ``close()``; after a few such batches (a file imported again) every batch goes to the stage. So
      a first import costs one COPY per batch, done by the server while the importer reads on, and
      only the rows that may be repeats pay for a merge;
    - an ``UPDATE``: into the stage, merged at ``close()`` with one ``INSERT … SELECT … ON CONFLICT``;
      the rows of one writer must therefore not repeat a key that ``conflict`` updates.

    The merge of a ``DO NOTHING`` stage is a plain insert of the staged rows not yet stored (an
    anti-join): half the cost of ``ON CONFLICT``, whose speculative insertion writes every row twice
    to the WAL. Writers hold the write lock, so nothing else inserts meanwhile; should the staged rows
    repeat one another, the insert fails at a savepoint and ``ON CONFLICT`` does the merge instead.
    """

    _stages = 0  # numbers the PostgreSQL staging tables of the writers of one connection

    def __init__(self, db: Database, table: str, columns: tuple[str, ...], conflict: str | None):
        self.db, self.table, self.columns, self.conflict = db, table, columns, conflict
        self.changed = 0
        self.sent = 0
        self._batch: list[Sequence[Any]] = []
        # ``add(row)`` is the list's own append (importers call it for millions of rows); they call
        # ``flush_if_full()`` every few thousand rows to keep the buffer bounded.
        self.add = self._batch.append
        self.extend = self._batch.extend
        self._limit = WRITE_BATCH if db.dialect == "sqlite" else COPY_BATCH
        self._staged = 0  # rows copied into the stage (PostgreSQL)
        self._failed_batches = 0  # batches that could not go straight into the table
        names = ", ".join(columns)
        on_conflict = f" ON CONFLICT {conflict}" if conflict else ""
        self._stage = ""  # PostgreSQL: the temporary table of rows merged at close()
        self._statement = ""  # SQLite: the insert of each row; PostgreSQL: the merge of the stage
        if db.dialect == "sqlite":
            self._statement = f"INSERT INTO {table} ({names}) VALUES ({placeholders(len(columns))}){on_conflict}"
        elif conflict is not None:
            RowWriter._stages += 1
            self._stage = f"write_{table}_{RowWriter._stages}"
            db.execute(f"CREATE TEMP TABLE {self._stage} AS SELECT {names} FROM {table} WITH NO DATA")
            self._statement = f"INSERT INTO {table} ({names}) SELECT {names} FROM {self._stage}{on_conflict}"

    def flush_if_full(self) -> None:
        if len(self._batch) >= self._limit:
            self.flush()

    def write_batch(self, rows: list[Sequence[Any]]) -> None:
        self.extend(rows)
        self.flush_if_full()

    def flush(self) -> None:
        if not self._batch:
            return
        batch = self._batch.copy()
        self._batch.clear()
        self.sent += len(batch)
        if self.db.dialect == "sqlite":
            cursor = self.db.connection.cursor()
            cursor.executemany(self._statement, batch)
            self.changed += cursor.rowcount
        elif not self._stage:
            self._copy(self.table, batch)
            self.changed += len(batch)
        elif self._went_straight_in(batch):
            self.changed += len(batch)
        else:
            self._copy(self._stage, batch)
            self._staged += len(batch)

    def _went_straight_in(self, batch: list[Sequence[Any]]) -> bool:
        """``DO NOTHING`` on PostgreSQL: copy ``batch`` straight into the table if none of its rows
        is stored or repeated (all or nothing), until ``DIRECT_TRIES`` batches have failed to."""
        if self.conflict != "DO NOTHING" or self._failed_batches >= DIRECT_TRIES:
            return False
        if self._unless_repeated(lambda: self._copy(self.table, batch)) is None:
            self._failed_batches += 1
            return False
        return True

    def _copy(self, target: str, rows: list[Sequence[Any]]) -> int:
        with self.db.connection.cursor().copy(f"COPY {target} ({', '.join(self.columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return len(rows)

    def _unless_repeated(self, write: Callable[[], int]) -> int | None:
        """Run ``write`` (PostgreSQL) at a savepoint and return what it returns; if it meets a key
        already stored or written twice, undo it and return None, the transaction going on."""
        from psycopg.errors import UniqueViolation

        self.db.execute("SAVEPOINT coursegen_write")
        try:
            written = write()
        except UniqueViolation:
            self.db.execute("ROLLBACK TO SAVEPOINT coursegen_write")
            return None
        self.db.execute("RELEASE SAVEPOINT coursegen_write")
        return written

    def close(self) -> int:
        """Write what is buffered; returns the number of rows inserted or changed."""
        self.flush()
        if self._stage:
            if self._staged:
                self.changed += self._merge()
            self.db.execute(f"DROP TABLE {self._stage}")
            self._stage = ""
        return self.changed

    def _merge(self) -> int:
        """Move the staged rows into the table (PostgreSQL); returns how many were inserted or changed."""
        if self.conflict != "DO NOTHING":
            return self.db.execute(self._statement).rowcount
        self.db.analyze(self._stage)  # the planner picks the anti-join's method from the row counts
        names = ", ".join(self.columns)
        same = " AND ".join(f"t.{column} = s.{column}" for column in self.columns)
        insert_new = (f"INSERT INTO {self.table} ({names}) SELECT {names} FROM {self._stage} s"
                      f" WHERE NOT EXISTS (SELECT 1 FROM {self.table} t WHERE {same})")
        inserted = self._unless_repeated(lambda: self.db.execute(insert_new).rowcount)
        if inserted is None:  # the staged rows repeat a key: let ON CONFLICT sort them out
            inserted = self.db.execute(self._statement).rowcount
        return inserted


def _open_sqlite(path: Path) -> Database:
    path = path.absolute()
    if path.is_dir():
        raise CoursegenError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        # A larger page cache (the default is 2 MB) keeps a national import's indexes in memory. The
        # rollback journal and full syncs stay as they are: a killed import still leaves nothing.
        cache_kb = os.environ.get("COURSEGEN_SQLITE_CACHE_KB", "")
        connection.execute(f"PRAGMA cache_size = -{int(cache_kb) if cache_kb.isdigit() else SQLITE_CACHE_KB}")
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise CoursegenError(f"{path} không phải tệp cơ sở dữ liệu SQLite của coursegen ({exc})") from exc
    return Database(connection, "sqlite", str(path))


# -- where the database is ------------------------------------------------------------------------
# A --db value is a path to an SQLite file or a postgresql:// URL, nothing else: a mistyped URL must
# never become a file named like it. Of libpq's URL parameters only these are passed on; "options"
# (any server setting, e.g. "-c default_transaction_read_only=on"), Unix-socket or extra hosts, service
# files and password files are refused (docs/an-toan-dau-vao.md, "Địa chỉ cơ sở dữ liệu").
URL_PARAMETERS = {"user", "password", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "channel_binding", "gssencmode",
                  "connect_timeout", "application_name", "target_session_attrs"}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")  # two letters at least: "C:" is a Windows drive
_KEYWORDS = re.compile(r"^\s*[A-Za-z_]+\s*=")  # libpq's "host=… dbname=…" form


def is_postgresql(target: str | Path) -> bool:
    return str(target)[:13].lower().startswith(("postgresql://", "postgres://"))


def database_url(text: str) -> str | None:
    """The checked ``postgresql://`` URL for a --db value, None for an SQLite path; anything that looks
    like a database address but is not an accepted URL is refused (``CoursegenError``)."""
    from urllib.parse import parse_qsl, urlsplit

    scheme = _SCHEME.match(text)
    if _KEYWORDS.match(text) and scheme is None:
        raise CoursegenError("--db: chuỗi tham số kiểu libpq (host=… dbname=…) không được hỗ trợ; hãy viết dạng"
                             " postgresql://người-dùng@máy-chủ:5432/tên-cơ-sở-dữ-liệu")
    if scheme is None:
        if "://" in text:
            raise CoursegenError(f"--db: \"{public_location(text)}\" không phải đường dẫn tệp hay địa chỉ postgresql://")
        return None
    name = scheme.group(1).lower()
    if name not in ("postgresql", "postgres"):
        if "://" in text or name in ("sqlite", "mysql", "file", "http", "https"):
            raise CoursegenError(f"--db: kiểu địa chỉ {name}: không được hỗ trợ; hãy dùng đường dẫn tệp SQLite hoặc"
                                 " postgresql://…")
        return None  # a file name with a colon ("bao-cao:2025.sqlite3")
    if not text[len(name) + 1:].startswith("//"):
        raise CoursegenError(f"--db: \"{public_location(text)}\" thiếu // sau {name}:; hãy viết dạng"
                             " postgresql://người-dùng@máy-chủ:5432/tên-cơ-sở-dữ-liệu")
    url = "postgresql" + text[len(name):]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError as exc:
        raise CoursegenError(f"không kết nối được cơ sở dữ liệu PostgreSQL {public_location(url)}: địa chỉ không hợp lệ"
                             f" ({exc})") from None
    host = parts.hostname or ""
    if not host or host.startswith("/") or "%2f" in parts.netloc.lower() or "," in parts.netloc:
        raise CoursegenError(f"--db: địa chỉ {public_location(url)} phải có đúng một máy chủ (tên hoặc địa chỉ IP);"
                             " không dùng socket Unix hay nhiều máy chủ")
    refused = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)} - URL_PARAMETERS)
    if refused:
        raise CoursegenError(f"--db: tham số {', '.join(refused)} không được dùng trong địa chỉ cơ sở dữ liệu"
                             f" (được dùng: {', '.join(sorted(URL_PARAMETERS))})")
    return url


def public_location(url: str) -> str:
    """The URL as shown to users: without the password (in the address or as a parameter)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return _PASSWORD_IN_TEXT.sub(r"\1***", url)
    if password is not None:
        user = parts.username or ""
        host = parts.netloc.rsplit("@", 1)[-1]
        parts = parts._replace(netloc=f"{user}:***@{host}" if user else f":***@{host}")
    return _PASSWORD_PARAMETER.sub(r"\1***", urlunsplit(parts))


_PASSWORD_PARAMETER = re.compile(r"((?:^|[?&])password=)[^&#]*", re.IGNORECASE)
_PASSWORD_IN_TEXT = re.compile(r"(://[^:/@\s]*:)[^@\s]*(?=@)|((?:^|[?&\s])password\s*=\s*)\S+", re.IGNORECASE)


def _masked(message: str, url: str) -> str:
    """A driver's message with the URL's password taken out wherever it is repeated."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    secrets = set()
    try:
        parts = urlsplit(url)
        if parts.password:
            secrets |= {parts.password, unquote(parts.password)}
        secrets |= {value for key, value in parse_qsl(parts.query) if key.lower() == "password" and value}
    except ValueError:
        pass
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


# -- PostgreSQL's refusals, in words ------------------------------------------------------------------
PG_REASONS = {
    "57014": "câu lệnh bị máy chủ dừng vì quá thời gian cho phép (statement_timeout) hoặc bị hủy",
    "25006": "cơ sở dữ liệu đang ở chế độ chỉ đọc (máy chủ dự phòng hoặc default_transaction_read_only)",
    "53100": "máy chủ cơ sở dữ liệu đã hết chỗ trên đĩa",
    "53200": "máy chủ cơ sở dữ liệu hết bộ nhớ",
    "53300": "máy chủ cơ sở dữ liệu đã đủ số kết nối tối đa",
    "55P03": "bảng đang bị khóa bởi phiên làm việc khác quá lâu (lock_timeout)",
    "40P01": "hai lần ghi cùng lúc khóa lẫn nhau (deadlock)",
    "40001": "hai lần ghi cùng lúc xung đột (serialization failure)",
    "42501": "người dùng cơ sở dữ liệu không có quyền cần thiết",
    "57P01": "máy chủ cơ sở dữ liệu đang tắt",
    "57P03": "máy chủ cơ sở dữ liệu chưa sẵn sàng nhận kết nối",
    "08006": "mất kết nối tới máy chủ cơ sở dữ liệu",
    "08003": "mất kết nối tới máy chủ cơ sở dữ liệu",
}


def database_error_message(exc: BaseException) -> str | None:
    """The user's message for an error the PostgreSQL server or the connection raised, None for others."""
    if not type(exc).__module__.startswith("psycopg"):
        return None
    code = getattr(getattr(exc, "diag", None), "sqlstate", None) or getattr(exc, "sqlstate", None) or ""
    reason = PG_REASONS.get(code)
    if reason is None and (code.startswith("08") or (type(exc).__name__ == "OperationalError" and not code)):
        reason = PG_REASONS["08006"]
    if reason is None:
        return None
    return (f"cơ sở dữ liệu PostgreSQL từ chối ({code or type(exc).__name__}): {reason}. Thao tác đã được hủy,"
            " dữ liệu cũ được giữ nguyên; hãy nhờ người quản trị máy chủ kiểm tra rồi chạy lại")


def _open_postgresql(url: str) -> Database:
    """Connect with autocommit: ``Database.transaction`` opens and closes every unit of work itself."""
    try:
        import psycopg
    except ImportError:
        raise CoursegenError(
            "cần gói psycopg để dùng PostgreSQL; hãy cài: pip install 'coursegen[postgres]'"
        ) from None
    location = public_location(url)
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=20)
    except psycopg.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CoursegenError(f"không kết nối được cơ sở dữ liệu PostgreSQL {location}: {_masked(message, url)}") from None
    # Imports stage millions of rows in temporary tables and reports group them: the defaults (8 MB of
    # temporary buffers, 4 MB per sort or hash) would spill both to disk. Session settings only.
    connection.execute("SET temp_buffers = '256MB'")
    connection.execute("SET work_mem = '128MB'")
    return Database(connection, "postgresql", location)


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
