"""The reader process of big imports (``coverage.parallel``): batches arrive in order, and every way
the reader or the importer can fail ends with a clear error, the reader stopped and no thread left."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator.coverage import parallel
from generator.coverage.parallel import read_in_worker
from generator.diagnostics import CoursegenError


def _count(sinks, rows: int, pid_file: str) -> dict:
    with open(pid_file, "w") as handle:
        handle.write(str(os.getpid()))
    for number in range(rows):
        sinks["even" if number % 2 == 0 else "odd"].add(number)
        sinks["even"].flush_if_full()
        sinks["odd"].flush_if_full()
    return {"rows": rows, "pid": os.getpid()}


def _refuse(sinks, message: str) -> None:
    sinks["rows"].add(1)
    sinks["rows"].flush()
    raise CoursegenError(message)


def _die(sinks) -> None:
    sinks["rows"].add(1)
    sinks["rows"].flush()
    os._exit(3)


def _endless(sinks, pid_file: str) -> None:
    with open(pid_file, "w") as handle:
        handle.write(str(os.getpid()))
    while True:
        sinks["rows"].add(0)
        sinks["rows"].flush_if_full()


def _receivers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "coursegen-receiver"]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_batches_arrive_in_order_from_another_process(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "INBOX_BATCHES", 2)  # the reader runs ahead, but only so far
    received: dict[str, list[int]] = {"even": [], "odd": []}
    result = read_in_worker(_count, {name: received[name].extend for name in received}, 250_000,
                            str(tmp_path / "pid"))
    assert result["rows"] == 250_000 and result["pid"] != os.getpid()
    assert received["even"] == list(range(0, 250_000, 2)) and received["odd"] == list(range(1, 250_000, 2))
    assert not _receivers()


def test_a_user_error_in_the_reader_is_raised_here_with_its_message():
    batches: list[list] = []
    with pytest.raises(CoursegenError, match="tệp hỏng ở dòng 7"):
        read_in_worker(_refuse, {"rows": batches.append}, "tệp hỏng ở dòng 7")
    assert batches == [[1]]
    assert not _receivers()


def test_a_reader_that_dies_is_reported_and_nothing_waits_for_it():
    with pytest.raises(CoursegenError, match="dừng bất thường"):
        read_in_worker(_die, {"rows": lambda batch: None})
    assert not _receivers()


def test_a_failing_writer_stops_the_reader_and_its_receiving_thread(tmp_path):
    """The importer fails (a database error, Ctrl+C) while the reader still sends: the error comes
    through, the reader process is stopped and the receiving thread ends, though its inbox was full."""
    written: list[int] = []

    def write(batch: list) -> None:
        written.append(len(batch))
        if len(written) == 3:
            time.sleep(0.5)  # the reader fills the inbox meanwhile
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        read_in_worker(_endless, {"rows": write}, str(tmp_path / "pid"))
    assert _gone(int((tmp_path / "pid").read_text()))
    assert not _receivers()


def test_files_are_split_into_runs_of_about_equal_size_in_their_order(tmp_path):
    from generator.coverage.parallel import split_by_size

    paths = []
    for number, size in enumerate([50, 10, 10, 30, 40, 60, 10]):
        path = tmp_path / f"{number}.csv"
        path.write_bytes(b"x" * size)
        paths.append(path)
    assert split_by_size(paths, 1) == [paths]
    assert split_by_size(paths, 2) == [paths[:4], paths[4:]]  # 100 and 110 bytes
    assert split_by_size(paths, 3) == [paths[:3], paths[3:5], paths[5:]]
    assert split_by_size(paths[:1], 4) == [paths[:1]]  # never an empty run


def test_several_readers_give_their_results_in_job_order(tmp_path):
    from generator.coverage.parallel import read_in_workers

    received: dict[str, list[int]] = {"even": [], "odd": []}
    results = read_in_workers(_count, {name: received[name].extend for name in received},
                              [(100_000, str(tmp_path / "a")), (60_000, str(tmp_path / "b"))])
    assert [r["rows"] for r in results] == [100_000, 60_000]
    assert len({r["pid"] for r in results} | {os.getpid()}) == 3
    assert sorted(received["even"]) == sorted([*range(0, 100_000, 2), *range(0, 60_000, 2)])
    assert not _receivers()
