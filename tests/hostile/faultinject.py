"""Run the real ``coursegen`` command with a disk that refuses writes, as a full disk does.

    python -m tests.hostile.faultinject MARKER ALLOW ERRNO -- coursegen arguments…

Every file opened for writing whose path contains MARKER fails with OSError(ERRNO) once ALLOW such files
have been opened (0: the first write fails). Worker processes forked by the build inherit the fault.
``sqlite-full N -- …`` instead limits every SQLite database the command opens to its current size plus N
pages, so SQLite itself reports "database or disk is full".
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import sqlite3
import sys


def fail_writes(marker: str, allow: int, code: int) -> None:
    opened = [0]
    real_open, real_os_open = io.open, os.open

    def check(path: object, writing: bool) -> None:
        if writing and isinstance(path, (str, bytes, os.PathLike)) and marker in os.fsdecode(path):
            opened[0] += 1
            if opened[0] > allow:
                raise OSError(code, os.strerror(code), os.fsdecode(path))

    def fake_open(file, mode="r", *args, **kwargs):
        check(file, any(flag in mode for flag in "wax+"))
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        check(path, bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)))
        return real_os_open(path, flags, *args, **kwargs)

    builtins.open = io.open = fake_open
    os.open = fake_os_open


def sqlite_full(extra_pages: int) -> None:
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")
        return connection

    sqlite3.connect = connect


def main(argv: list[str]) -> int:
    split = argv.index("--")
    fault, command = argv[:split], argv[split + 1:]
    if fault[0] == "sqlite-full":
        sqlite_full(int(fault[1]))
    else:
        fail_writes(fault[0], int(fault[1]), getattr(errno, fault[2]))
    from generator.cli import main as coursegen

    return coursegen(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
