"""Reading big imports in other processes, so that reading and writing use every core.

A national records import spends longer reading and checking rows in Python than the database spends
writing them, and the two cannot overlap in one process (the database driver holds the GIL between
rows). ``read_in_workers`` forks reader processes that run the same reading code with ``Sink``s in
place of the database writers; the parent receives the batches and writes them inside its own
transaction while the readers go on. Records files are independent, so runs of them are read by
one process per core (``split_by_size``); a roster is read by one process, since a learner code
seen in one file is a duplicate in the next. Fork, not spawn: a reader inherits what the parent
has loaded (the course index, learner codes) without copying it.

Readers never touch the database connection; they end with ``os._exit`` (multiprocessing's way),
so nothing the parent owns is closed by them.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diagnostics import CoursegenError
from .storage import WRITE_BATCH

PARALLEL_MIN_BYTES = 48 * 1024 * 1024  # smaller imports read in one process: a fork costs more than it saves
INBOX_BATCHES = 32  # batches received ahead of the writer (about 640,000 rows)


def worth_a_worker(total_bytes: int) -> bool:
    """Whether files of this total size are read in a second process (``COURSEGEN_READER_MIN_BYTES``
    overrides the threshold, for tests)."""
    override = os.environ.get("COURSEGEN_READER_MIN_BYTES", "")
    threshold = int(override) if override.isdigit() else PARALLEL_MIN_BYTES
    return (os.cpu_count() or 1) > 1 and total_bytes >= threshold


class Sink:
    """Collects rows with ``add`` (the list's own append) and hands them on in batches."""

    def __init__(self, deliver: Callable[[list], None]):
        self._deliver = deliver
        self._batch: list = []
        self.add = self._batch.append

    def flush_if_full(self) -> None:
        if len(self._batch) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self._deliver(self._batch.copy())
            self._batch.clear()


def _reader(connection: Any, read: Callable[..., Any], names: tuple[str, ...], args: tuple) -> None:
    senders = {name: Sink(lambda batch, name=name: connection.send((name, batch))) for name in names}
    try:
        result = read(senders, *args)
        for sender in senders.values():
            sender.flush()
        connection.send(("done", result))
    except CoursegenError as exc:
        connection.send(("error", str(exc)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        connection.send(("crash", traceback.format_exc()))
    finally:
        connection.close()


def _receive(job: int, connection: Any, inbox: queue.Queue, stop: threading.Event,
             batch_names: frozenset[str]) -> None:
    """Move reader ``job``'s messages into ``inbox`` until its last one, the first that is not a
    batch (or until the pipe's end, or ``stop`` while the inbox is full)."""
    while True:
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):
            kind, payload = "eof", None
        while True:
            try:
                inbox.put((job, kind, payload), timeout=0.1)
                break
            except queue.Full:
                if stop.is_set():
                    return
        if kind not in batch_names:
            return


def read_in_worker(read: Callable[..., Any], consumers: dict[str, Callable[[list], None]], *args: Any) -> Any:
    """Run ``read(sinks, *args)`` in a forked process, ``sinks`` being a ``Sink`` per name of
    ``consumers``; hand each batch it sends to the consumer of that name, here; return what ``read``
    returned (it must pickle). See ``read_in_workers``."""
    return read_in_workers(read, consumers, [args])[0]


def read_in_workers(read: Callable[..., Any], consumers: dict[str, Callable[[list], None]],
                    jobs: list[tuple]) -> list[Any]:
    """``read_in_worker`` with a reader process per job (``read``'s arguments after the sinks), all
    at once; returns their results in the order of ``jobs``. Batches reach the consumers in the
    order each reader sent them, interleaved between readers.

    A ``CoursegenError`` in a reader is raised here with its message; every reader is stopped if
    one fails or the parent does (an error in a consumer, Ctrl+C). A thread of this process per
    reader receives the batches into a bounded inbox, so readers do not wait while a consumer is
    busy (a PostgreSQL ``COPY`` waits for the server); the threads need the interpreter only to
    unpickle."""
    context = multiprocessing.get_context("fork")
    inbox: queue.Queue = queue.Queue(maxsize=INBOX_BATCHES)
    stop = threading.Event()
    names = frozenset(consumers)
    processes: list[Any] = []
    threads: list[threading.Thread] = []
    pipes: list[Any] = []
    results: dict[int, Any] = {}
    try:
        for job, args in enumerate(jobs):
            receive, send = context.Pipe(duplex=False)
            pipes.append(receive)
            process = context.Process(target=_reader, args=(send, read, tuple(consumers), args), daemon=True)
            process.start()
            processes.append(process)
            send.close()
            thread = threading.Thread(target=_receive, args=(job, receive, inbox, stop, names),
                                      name="coursegen-receiver", daemon=True)
            thread.start()
            threads.append(thread)
        while len(results) < len(jobs):
            job, kind, payload = inbox.get()
            if kind == "done":
                results[job] = payload
            elif kind == "error":
                raise CoursegenError(payload)
            elif kind == "crash":
                raise RuntimeError(f"the reader process failed:\n{payload}")
            elif kind == "eof":
                raise CoursegenError("tiến trình đọc tệp dừng bất thường; chưa nhập gì")
            else:
                consumers[kind](payload)
        return [results[job] for job in range(len(jobs))]
    finally:
        stop.set()
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()
        for thread in threads:
            thread.join()
        for receive in pipes:
            receive.close()


def split_by_size(paths: list[Path], parts: int) -> list[list[Path]]:
    """``paths`` in at most ``parts`` runs of consecutive files of about equal total size (a reader
    process each); the runs keep the files' order, so results joined in order are in file order."""
    sizes = [path.stat().st_size if path.is_file() else 0 for path in paths]
    total = sum(sizes) or 1
    runs: list[list[Path]] = [[]]
    done = 0
    for path, size in zip(paths, sizes, strict=True):
        if runs[-1] and len(runs) < parts and done + size / 2 > total * len(runs) / parts:  # its middle is past
            runs.append([])
        runs[-1].append(path)
        done += size
    return runs


def reader_count() -> int:
    """Reader processes for one import: one per core, the importing process sharing a core with one
    (reading in Python costs more than writing); ``COURSEGEN_READERS`` overrides it, for tests."""
    override = os.environ.get("COURSEGEN_READERS", "")
    return int(override) if override.isdigit() and int(override) > 0 else max(1, os.cpu_count() or 1)
