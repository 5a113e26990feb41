"""--db values (issue 27, points 5 and 10): a mistyped PostgreSQL address is refused, never used as an SQLite
file name; a password is never shown; libpq parameters other than the documented ones are refused; and the
server's refusals (statement timeout, read-only database) are Vietnamese messages, not tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.coverage.pg import PostgresServer
from tests.hostile2.limits import assert_user_error, coursegen

ROSTER = Path(__file__).resolve().parent.parent / "hostile" / "data" / "ds-goc.csv"
ONE_HOST = "phải có đúng một máy chủ (tên hoặc địa chỉ IP); không dùng socket Unix hay nhiều máy chủ"
REFUSED = {
    "postgresql:/coverage": '--db: "postgresql:/coverage" thiếu // sau postgresql:',
    "Postgres:coverage": '--db: "postgres:coverage" thiếu // sau postgres:',
    "host=127.0.0.1 dbname=coverage": "--db: chuỗi tham số kiểu libpq (host=… dbname=…) không được hỗ trợ",
    "dbname=coverage": "--db: chuỗi tham số kiểu libpq (host=… dbname=…) không được hỗ trợ",
    "mysql://root@127.0.0.1/coverage": "--db: kiểu địa chỉ mysql: không được hỗ trợ",
    "sqlite:///tmp/x.sqlite3": "--db: kiểu địa chỉ sqlite: không được hỗ trợ",
    "postgresql:///coverage?host=/tmp": ONE_HOST,
    "postgresql://%2Ftmp/coverage": ONE_HOST,
    "postgresql://a,b/coverage": ONE_HOST,
    "postgresql://u@127.0.0.1/coverage?options=-c%20default_transaction_read_only%3Don":
        "--db: tham số options không được dùng trong địa chỉ cơ sở dữ liệu",
    "postgresql://u@127.0.0.1/coverage?passfile=/etc/shadow&service=x":
        "--db: tham số passfile, service không được dùng",
    "postgresql://u@127.0.0.1:cổng/coverage":
        "không kết nối được cơ sở dữ liệu PostgreSQL postgresql://u@127.0.0.1:cổng/coverage: địa chỉ không hợp lệ",
}




@pytest.mark.parametrize("target", sorted(REFUSED))
def test_a_mistyped_address_is_refused_and_no_file_is_made(target, project, tmp_path):
    result = coursegen(project, "coverage", "import-roster", "--db", target, str(ROSTER), cwd=project)
    assert_user_error(result, REFUSED[target], seconds=20)
    made = {p.name for p in project.iterdir()} - {p.name for p in MINI.iterdir()} - {".coursegen-cache"}
    assert made == set(), made  # no file named like the address


@pytest.mark.parametrize("target, shown", [
    ("postgresql://coursegen:Mat-Khau-Bi-Mat@127.0.0.1:1/coverage", "postgresql://coursegen:***@127.0.0.1:1/coverage"),
    ("POSTGRESQL://coursegen:Mat%40Khau-Bi-Mat@127.0.0.1:1/coverage",
     "postgresql://coursegen:***@127.0.0.1:1/coverage"),
    ("postgresql://coursegen@127.0.0.1:1/coverage?password=Mat-Khau-Bi-Mat&sslmode=disable",
     "postgresql://coursegen@127.0.0.1:1/coverage?password=***&sslmode=disable"),
])
def test_a_password_is_never_shown(target, shown, project):
    result = coursegen(project, "coverage", "import-roster", "--db", target, str(ROSTER))
    assert_user_error(result, f"không kết nối được cơ sở dữ liệu PostgreSQL {shown}:", seconds=30)
    assert "Mat-Khau" not in result.stdout + result.stderr and "Khau-Bi" not in result.stderr, result.report()




def _admin(server: PostgresServer, sql: str) -> None:
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(sql)


def test_a_read_only_database_is_a_user_error(pg_server, project):
    server = pg_server
    url = server.create_database("chi_doc")
    assert coursegen(project, "coverage", "import-roster", "--db", url, str(ROSTER)).returncode == 0
    _admin(server, "ALTER DATABASE chi_doc SET default_transaction_read_only = on")
    result = coursegen(project, "coverage", "import-roster", "--db", url, str(ROSTER))
    assert_user_error(result, "Lỗi: cơ sở dữ liệu PostgreSQL từ chối (25006): cơ sở dữ liệu đang ở chế độ chỉ đọc",
                      seconds=30)
    assert "dữ liệu cũ được giữ nguyên" in result.stderr


def test_a_statement_timeout_is_a_user_error(pg_server, project):
    """Another writer holds the write lock; the server's statement_timeout cancels the wait."""
    server = pg_server
    import psycopg

    url = server.create_database("qua_gio")
    assert coursegen(project, "coverage", "import-roster", "--db", url, str(ROSTER)).returncode == 0
    _admin(server, "ALTER DATABASE qua_gio SET statement_timeout = '700ms'")
    from generator.coverage.storage import WRITE_LOCK

    with psycopg.connect(url) as holder:
        holder.execute("SET statement_timeout = 0")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        result = coursegen(project, "coverage", "import-roster", "--db", url, str(ROSTER))
    assert_user_error(result, "Lỗi: cơ sở dữ liệu PostgreSQL từ chối (57014): câu lệnh bị máy chủ dừng vì quá thời gian",
                      seconds=30)
