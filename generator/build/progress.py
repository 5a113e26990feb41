"""The build's progress display on stderr: step summaries, builders' notes and, on a terminal, a live line."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """One progress display for the whole build, on stderr.

    On a terminal a single line is updated in place while work runs (units done, pages written);
    otherwise only the step summaries and the builders' notes are printed.
    """

    def __init__(self, stream: TextIO | None = None, quiet: bool = False, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and (_is_terminal(self.stream) if live is None else live)
        self.started = time.perf_counter()
        self.counters: dict[str, list[int]] = {}  # label → [done, total]
        self.current = ""
        self._lock = threading.RLock()
        self._shown = 0.0  # when the live line was last drawn
        self._drawn = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def line(self, text: str) -> None:
        """A permanent line (clears the live line first)."""
        if self.quiet:
            return
        with self._lock:
            self._clear()
            print(text, file=self.stream, flush=True)

    def step(self, index: int, total: int, label: str) -> None:
        self.line(f"[{index}/{total}] {label} ({self.elapsed():.1f} s)")

    def note(self, message: str) -> None:
        self.line(f"      {message}")

    def start(self, label: str, total: int) -> None:
        with self._lock:
            self.counters[label] = [0, total]

    def advance(self, label: str, current: str = "") -> None:
        """One more item of ``label`` is done; redraw the live line at most ten times a second."""
        with self._lock:
            if label in self.counters:
                self.counters[label][0] += 1
            self.current = current
            now = time.perf_counter()
            if self.live and now - self._shown > 0.1:
                self._shown = now
                parts = [f"{name} {done}/{total}" for name, (done, total) in self.counters.items() if total]
                text = " · ".join(parts) + (f" · {current}" if current else "") + f" · {self.elapsed():.0f} s"
                print("\r\x1b[K" + text[:160], end="", file=self.stream, flush=True)
                self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            print("\r\x1b[K", end="", file=self.stream, flush=True)
            self._drawn = False
