"""Reading big imports in a second process, so that reading and writing use both cores.

A national records import spends about as long reading and checking rows in Python as SQLite spends
writing them, and the two cannot overlap in one process (the database driver holds the GIL between
rows). ``read_in_worker`` forks a reader process that runs the same reading code with ``Sink``s in
place of the database writers; the parent receives the batches and writes them inside its own
transaction while the reader goes on. Fork, not spawn: the reader
inherits what the parent has loaded (the course index, learner codes) without copying it.

The reader never touches the database connection; it ends with ``os._exit`` (multiprocessing's way),
so nothing the parent owns is closed by it.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Callable
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


def _receive(connection: Any, inbox: queue.Queue, stop: threading.Event, batch_names: frozenset[str]) -> None:
    """Move the reader's messages into ``inbox`` until its last one, the first that is not a batch
    (or until the pipe's end, or ``stop`` while the inbox is full)."""
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            message = ("eof", None)
        while True:
            try:
                inbox.put(message, timeout=0.1)
                break
            except queue.Full:
                if stop.is_set():
                    return
        if message[0] not in batch_names:
            return


def read_in_worker(read: Callable[..., Any], consumers: dict[str, Callable[[list], None]], *args: Any) -> Any:
    """Run ``read(sinks, *args)`` in a forked process, ``sinks`` being a ``Sink`` per name of
    ``consumers``; hand each batch it sends to the consumer of that name, here; return what ``read``
    returned (it must pickle). A ``CoursegenError`` in the reader is raised here with its message;
    the reader is stopped if the parent fails or is interrupted.

    A thread of this process receives the batches into a bounded inbox, so the reader does not wait
    while a consumer is busy (a PostgreSQL ``COPY`` waits for the server); the thread needs the
    interpreter only to unpickle."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_reader, args=(send, read, tuple(consumers), args), daemon=True)
    process.start()
    send.close()
    inbox: queue.Queue = queue.Queue(maxsize=INBOX_BATCHES)
    stop = threading.Event()
    receiver = threading.Thread(target=_receive, args=(receive, inbox, stop, frozenset(consumers)),
                                name="coursegen-receiver", daemon=True)
    receiver.start()
    try:
        while True:
            kind, payload = inbox.get()
            if kind == "done":
                return payload
            if kind == "error":
                raise CoursegenError(payload)
            if kind == "crash":
                raise RuntimeError(f"the reader process failed:\n{payload}")
            if kind == "eof":
                raise CoursegenError("tiến trình đọc tệp dừng bất thường; chưa nhập gì")
            consumers[kind](payload)
    finally:
        stop.set()
        if process.is_alive():
            process.kill()
        process.join()
        receiver.join()
        receive.close()
