"""The (builder, course) units of a build: planning, reuse of unchanged ones, and running the others.

Units that must be rebuilt run in forked worker processes (when there is more than one core) while the
site is built in the main process; user errors come back as data so that all of them can be reported.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import builders as registry
from ..builders.contract import BuildContext, Builder, Download
from ..diagnostics import CoursegenError, Diagnostic, SourceError
from ..digests import copy_verified
from ..model import Corpus, Course
from .incremental import resolve_inputs, unit_digest
from .progress import Progress


def load_builders(names: list[str] | None = None) -> list[Builder]:
    builders = []
    for spec in registry.BUILDERS:
        builder = _instantiate(spec)
        if names is None or builder.name in names:
            builders.append(builder)
    return builders


def _instantiate(spec: str) -> Any:
    module_name, _, class_name = spec.partition(":")
    builder = getattr(importlib.import_module(module_name), class_name)()
    builder.spec = spec
    return builder


@dataclass
class Unit:
    """One (builder, course) part of the build."""

    builder: Any
    course: Course
    sources: dict[str, str]  # path → hash it is made from
    digest: str
    planned: list[Download]
    reused: bool = False
    outputs: list[str] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.builder.name}/{self.course.id}"


@dataclass
class UnitResult:
    downloads: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.diagnostics and not self.message


_WORKER: dict[str, Any] = {}


def _init_worker(corpus: Corpus, out_dir: Path) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C and stops the pool
    _WORKER.update(corpus=corpus, out_dir=out_dir, builders={})


def _worker_unit(spec: str, course_id: str) -> UnitResult:
    builders = _WORKER["builders"]
    if spec not in builders:
        builders[spec] = _instantiate(spec)
    corpus = _WORKER["corpus"]
    return run_unit(builders[spec], corpus, corpus.course(course_id), _WORKER["out_dir"])


def run_unit(builder: Any, corpus: Corpus, course: Course, out_dir: Path) -> UnitResult:
    """Run one unit into ``out_dir``; user errors come back as data so all of them can be reported."""
    ctx = BuildContext(corpus=corpus, out_dir=out_dir, progress=Progress(quiet=True))
    try:
        builder.run_course(ctx, course)
    except SourceError as exc:
        return UnitResult(diagnostics=list(exc.diagnostics))
    except CoursegenError as exc:
        return UnitResult(message=str(exc))
    return UnitResult(
        downloads=[(d.kind, d.label, d.path) for d in ctx.downloads_made],
        notes=list(ctx.notes),
        outputs=sorted({d.path for d in ctx.downloads_made}),
    )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def plan_units(ctx: BuildContext, builders: list[Any]) -> list[Unit]:
    """Every (builder, course) unit, reusing those whose inputs and previous outputs are unchanged."""
    units = []
    previous = ctx.previous
    for builder in builders:
        for course in ctx.corpus.courses:
            sources = resolve_inputs(ctx.sources, builder.inputs(ctx.corpus, course))
            digest = unit_digest(builder.name, ctx.code, sources)
            planned = [Download(course.id, kind, label, path) for kind, label, path in builder.downloads(ctx.corpus, course)]
            unit = Unit(builder, course, sources, digest, planned)
            record = previous.units.get(unit.key) if previous else None
            if record and record.get("digest") == digest and _reuse(ctx, record["outputs"]):
                unit.reused = True
                unit.outputs = list(record["outputs"])
                unit.downloads = [Download(course.id, *d) for d in record.get("downloads", [])]
                unit.notes = list(record.get("notes", []))
            units.append(unit)
    return units


def _reuse(ctx: BuildContext, outputs: list[str]) -> bool:
    """Copy a unit's previous outputs into the staged build, each checked against its recorded hash."""
    assert ctx.previous is not None and ctx.previous_dir is not None
    copied = []
    for path in outputs:
        sha = ctx.previous.outputs.get(path, {}).get("sha256")
        if not copy_verified(ctx.previous_dir / path, ctx.out_dir / path, sha):
            for done in copied:
                (ctx.out_dir / done).unlink(missing_ok=True)
            return False
        copied.append(path)
    for path in outputs:
        ctx.known[path] = ctx.previous.outputs[path]["sha256"]
        ctx.copied.add(path)
    return True


class UnitRunner:
    """Runs the units that must be rebuilt: in worker processes when there is more than one core."""

    def __init__(self, ctx: BuildContext, units: list[Unit], on_done: Callable[[Unit], None], parallel: bool = True):
        self.ctx = ctx
        self.todo = [u for u in units if not u.reused]
        self.on_done = on_done
        self.results: dict[str, UnitResult] = {}
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future] = []
        self.workers = min(len(self.todo), _cpu_count()) if parallel else 1
        if self.workers >= 2 and "fork" in multiprocessing.get_all_start_methods():
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_init_worker, initargs=(ctx.corpus, ctx.out_dir))

    def start(self) -> None:
        """Submit every unit to the pool (returns at once); without a pool, nothing happens until ``wait``."""
        if self.pool is None:
            return
        for unit in self.todo:
            future = self.pool.submit(_worker_unit, unit.builder.spec, unit.course.id)
            future.add_done_callback(lambda f, unit=unit: self._finished(unit, f))
            self.futures.append(future)

    def _finished(self, unit: Unit, future: Future) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        self.results[unit.key] = future.result()
        self.on_done(unit)

    def wait(self) -> dict[str, UnitResult]:
        if self.pool is None:
            for unit in self.todo:
                self.results[unit.key] = run_unit(unit.builder, self.ctx.corpus, unit.course, self.ctx.out_dir)
                self.on_done(unit)
            return self.results
        # This process is free now (the site is built): take the units no worker has started, last first.
        for unit, future in reversed(list(zip(self.todo, self.futures, strict=True))):
            if future.cancel():
                self.results[unit.key] = run_unit(unit.builder, self.ctx.corpus, unit.course, self.ctx.out_dir)
                self.on_done(unit)
        for future in self.futures:
            if not future.cancelled():
                future.result()  # re-raises a builder's unexpected exception (a bug) in this process
        return self.results

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def unit_failure(results: list[UnitResult]) -> CoursegenError | None:
    """One error listing what every failed unit reported (source problems first)."""
    diagnostics = [d for r in results for d in r.diagnostics]
    messages: list[str] = []
    for r in results:
        if not r.message:
            continue
        head, _, rest = r.message.partition("\n")
        if rest and messages and messages[0].startswith(head):
            messages.append(rest)  # the same kind of failure in another course: one heading
        else:
            messages.append(r.message)
    if not diagnostics and not messages:
        return None
    if not messages:
        return SourceError(sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.field, d.message)))
    parts = [d.format() for d in sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.field, d.message))]
    return CoursegenError("\n".join(parts + messages))
