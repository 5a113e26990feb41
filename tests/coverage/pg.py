"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster on loopback.

The server runs as an unprivileged system user (PostgreSQL refuses to run as root), listens on
127.0.0.1 at a free port and on a Unix socket in its own temporary directory, trusts local
connections (the data is synthetic) and is stopped when the test session ends. Each test gets its
own database, so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_USER = "coursegen-pg"


def pg_bindir() -> Path:
    """The newest Debian PostgreSQL ``bin`` directory (``/usr/lib/postgresql/<major>/bin``)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run scripts/setup.sh test (Debian package postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> dict[str, int]:
    """``subprocess`` arguments that run a server binary as a non-root user (created if missing)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "-r", "-M", "-s", "/usr/sbin/nologin", PG_USER], check=True)
        entry = pwd.getpwnam(PG_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class PostgresServer:
    """initdb + postgres in a temporary directory; ``url(dbname)`` for clients."""

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable  # the server's default fsync and full-page writes, as in production
        self.bindir = pg_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="coursegen-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        self.as_user = _server_user()
        if self.as_user:
            os.chown(self.root, self.as_user["user"], self.as_user["group"])
        self.root.chmod(0o700)

    def start(self) -> PostgresServer:
        subprocess.run(
            [str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, cwd=self.root, **self.as_user,
        )
        log = (self.root / "server.log").open("w")
        self.process = subprocess.Popen(
            [str(self.bindir / "postgres"), "-D", str(self.data), "-k", str(self.root),
             "-h", "127.0.0.1", "-p", str(self.port), "-c", "max_connections=60", *self.speed_settings()],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.root, **self.as_user,
        )
        deadline = time.monotonic() + 30
        while True:
            ready = subprocess.run([str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                   capture_output=True)
            if ready.returncode == 0:
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("PostgreSQL did not start:\n" + (self.root / "server.log").read_text())
            time.sleep(0.1)

    def speed_settings(self) -> list[str]:
        """Tests trade durability for speed (their databases are thrown away); a benchmark does not."""
        if self.durable:
            return []
        return ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: ends client sessions, then stops
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
