"""``coursegen build``: incremental, parallel, all-or-nothing builds into ``site/``.

Builders are listed in ``BUILDERS`` in the order their outputs appear (the site comes last: it links
to and packs the downloads). A builder is a class with a ``name``, a Vietnamese ``label`` and
``run(ctx)``; it reads only the course model (``ctx.corpus``) and writes only below ``ctx.out_dir``.

A builder that also has ``inputs(corpus, course)``, ``downloads(corpus, course)`` and
``run_course(ctx, course)`` is built per course: each (builder, course) *unit* is rebuilt only when
the hashes of the sources it reads (or of coursegen's code) changed, otherwise its previous outputs
are copied from the current ``site/`` after checking their recorded hashes. Units that must run run
in parallel worker processes while the site is built in this process. Whatever happens, the new
output is staged next to ``site/`` and swapped in only when every builder succeeded, with a
``manifest.json`` (see ``incremental.py``). When nothing changed, nothing is loaded or written.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from .. import __version__
from ..diagnostics import CoursegenError, Diagnostic, SourceError
from ..model import Corpus, Course
from ..source.loader import load_corpus
from .incremental import (
    FORMAT,
    MANIFEST,
    Manifest,
    code_digest,
    copy_verified,
    digest_file,
    digest_json,
    dump_manifest,
    read_manifest,
    resolve_inputs,
    source_files,
    unit_digest,
)
from .publish import staged_directory

BUILDERS: list[str] = [
    "generator.builders.decks:DeckBuilder",
    "generator.builders.exports:ExportBuilder",
    "generator.builders.leaflets:LeafletBuilder",
    "generator.builders.site.builder:SiteBuilder",
]


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


@dataclass(frozen=True)
class Download:
    """One downloadable file a builder wrote, listed in the course page's downloads block."""

    course_id: str
    kind: str  # "leaflet", "deck", "export", ...
    label: str  # Vietnamese label shown to teachers
    path: str  # POSIX path relative to the output directory, e.g. "downloads/anki/x.apkg"


@dataclass
class BuildContext:
    corpus: Corpus
    out_dir: Path  # the staged site/ directory
    progress: Progress
    notes: list[str] = field(default_factory=list)  # things a builder could not express, shown at the end
    downloads_made: list[Download] = field(default_factory=list)
    # Incremental state (empty for a builder run on its own).
    previous: Manifest | None = None  # the manifest of the build being replaced
    previous_dir: Path | None = None  # the directory holding that build (site/), read only
    sources: dict[str, str] = field(default_factory=dict)  # project-relative path → SHA-256
    code: str = ""  # hash of coursegen's code and libraries
    records: dict[str, dict] = field(default_factory=dict)  # output path → manifest fields (builder, course, …)
    known: dict[str, str] = field(default_factory=dict)  # output path → SHA-256 already checked
    site_state: dict = field(default_factory=dict)  # what the site builder records for the next build
    unchanged: bool = False  # nothing had to be built (the previous output was kept as it is)
    rebuilt: int = 0  # units and pages built this time
    reused: int = 0  # units and pages copied from the previous build
    copied: set[str] = field(default_factory=set)  # outputs copied unchanged from the previous build
    units_rebuilt: list[str] = field(default_factory=list)  # "builder/course" keys built this time
    pages_rebuilt: list[str] = field(default_factory=list)  # site pages (Markdown paths) built this time

    def add_download(self, course_id: str, kind: str, label: str, path: Path) -> None:
        relative = path.relative_to(self.out_dir).as_posix()
        self.downloads_made.append(Download(course_id, kind, label, relative))

    def downloads_for(self, course_id: str) -> list[Download]:
        return [d for d in self.downloads_made if d.course_id == course_id]

    @property
    def downloads(self) -> Path:
        return self.out_dir / "downloads"

    def note(self, message: str) -> None:
        self.notes.append(message)
        self.progress.note(message)


class Builder(Protocol):
    name: str
    label: str

    def run(self, ctx: BuildContext) -> None: ...


class CourseBuilder(Builder, Protocol):
    """A builder whose outputs are made course by course, so each course's part can be reused."""

    def inputs(self, corpus: Corpus, course: Course) -> list[str]:
        """Project-relative sources the course's outputs are made from (see ``resolve_inputs``)."""

    def downloads(self, corpus: Corpus, course: Course) -> list[tuple[str, str, str]]:
        """(kind, label, path below the output directory) of what ``run_course`` will register."""

    def run_course(self, ctx: BuildContext, course: Course) -> None: ...


def is_course_builder(builder: object) -> bool:
    return all(callable(getattr(builder, name, None)) for name in ("inputs", "downloads", "run_course"))


def load_builders(names: list[str] | None = None) -> list[Builder]:
    builders = []
    for spec in BUILDERS:
        builder = _instantiate(spec)
        if names is None or builder.name in names:
            builders.append(builder)
    return builders


def _instantiate(spec: str) -> Any:
    module_name, _, class_name = spec.partition(":")
    builder = getattr(importlib.import_module(module_name), class_name)()
    builder.spec = spec
    return builder


# -- units ------------------------------------------------------------------------------------


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


# -- the build --------------------------------------------------------------------------------


def fingerprint_of(code: str, sources: dict[str, str], only: list[str] | None, strict: bool) -> str:
    """Everything that decides a build's outputs, known before loading anything."""
    return digest_json({"format": FORMAT, "code": code, "sources": sources, "strict": strict,
                        "builders": BUILDERS, "only": sorted(only) if only is not None else None})


def build_project(root: Path, out_dir: Path | None = None, *, strict: bool = False,
                  progress: Progress | None = None, only: list[str] | None = None,
                  clean: bool = False) -> BuildContext:
    """Build every output of ``root`` into ``out_dir`` (default ``root/site``), all or nothing.

    Only what changed since the build in ``out_dir`` is rebuilt (``clean=True`` ignores that build).
    """
    progress = progress or Progress()
    root = root.resolve()
    target = (out_dir or root / "site").absolute()
    sources = source_files(root)
    code = code_digest()
    fingerprint = fingerprint_of(code, sources, only, strict)
    recorded = read_manifest(target / MANIFEST)
    previous = None if clean else recorded
    if previous is not None and previous.fingerprint == fingerprint and previous.complete_in(target):
        return _unchanged(previous, target, progress)

    builders = load_builders(only)
    corpus = load_corpus(root, strict=strict)
    lessons = sum(len(c.lessons) for c in corpus.courses)
    questions = sum(len(c.questions) for c in corpus.courses)
    progress.line(f"Đọc học liệu: {len(corpus.courses)} khóa học, {lessons} bài học, {questions} câu hỏi"
                  f" ({progress.elapsed():.1f} s)")
    with staged_directory(target, background_cleanup=_large(target, recorded)) as staged:
        ctx = BuildContext(corpus=corpus, out_dir=staged, progress=progress, previous=previous,
                           previous_dir=target if previous is not None else None, sources=sources, code=code)
        units = _run_builders(ctx, builders)
        if units is not None:
            (staged / MANIFEST).write_bytes(dump_manifest(_manifest(ctx, builders, units, fingerprint, strict)))
    ctx.out_dir = target
    ctx.previous_dir = None
    return ctx


def _large(target: Path, recorded: Manifest | None, limit: int = 1000) -> bool:
    """Whether the output being replaced has so many files that it is better deleted in the background."""
    if recorded is not None:
        return len(recorded.outputs) > limit
    count = 0
    for _, _, files in os.walk(target):
        count += len(files)
        if count > limit:
            return True
    return False


def _unchanged(previous: Manifest, target: Path, progress: Progress) -> BuildContext:
    """Nothing to do: report the previous build's downloads and notes, touch nothing."""
    data = previous.data
    ctx = BuildContext(corpus=None, out_dir=target, progress=progress, unchanged=True)  # type: ignore[arg-type]
    ctx.downloads_made = [Download(*d) for d in data.get("downloads", [])]
    ctx.notes = list(data.get("notes", []))
    progress.line(f"Không có gì thay đổi từ lần dựng trước: {len(previous.outputs)} tệp trong {target} được giữ"
                  f" nguyên ({progress.elapsed():.1f} s).")
    return ctx


def _run_builders(ctx: BuildContext, builders: list[Any], parallel: bool = True) -> list[Unit] | None:
    """Run every builder into ``ctx.out_dir``; the units (None when no builder works per course)."""
    progress = ctx.progress
    course_builders = [b for b in builders if is_course_builder(b)]
    units = plan_units(ctx, course_builders)
    todo = [u for u in units if not u.reused]
    ctx.reused += len(units) - len(todo)
    ctx.rebuilt += len(todo)
    ctx.units_rebuilt = [u.key for u in todo]
    # The site lists every download: those of units being rebuilt are known from their plan.
    for unit in units:
        ctx.downloads_made.extend(unit.downloads if unit.reused else unit.planned)
    label = "Phần việc"
    progress.start(label, len(todo))
    pending = {b.name: sum(1 for u in todo if u.builder is b) for b in course_builders}
    reported: list[str] = []
    lock = threading.RLock()
    index = {b.name: i for i, b in enumerate(builders, start=1)}

    def summary(builder: Any) -> None:
        own = [u for u in units if u.builder is builder]
        made = sum(1 for u in own if not u.reused)
        failed = sum(1 for u in own if u.key in runner.results and not runner.results[u.key].ok)
        progress.line(f"[{index[builder.name]}/{len(builders)}] {builder.label}: {made} khóa học dựng lại,"
                      f" {len(own) - made} dùng lại{f', {failed} khóa học lỗi' if failed else ''}"
                      f" ({progress.elapsed():.1f} s)")
        for unit in own:
            if unit.reused:
                for message in unit.notes:
                    progress.note(message)
            elif unit.key in runner.results:
                for message in runner.results[unit.key].notes:
                    progress.note(message)

    def report_ready() -> None:
        """Print the summaries of finished builders, in build order."""
        with lock:
            for builder in course_builders:
                if builder.name in reported:
                    continue
                if pending[builder.name] > 0:
                    return
                reported.append(builder.name)
                summary(builder)

    def done(unit: Unit) -> None:
        """A unit finished (in a worker's callback thread or in this one)."""
        with lock:
            pending[unit.builder.name] -= 1
            progress.advance(label, f"{unit.builder.label.split(' (')[0]} {unit.course.id}")
            report_ready()

    runner = UnitRunner(ctx, units, done, parallel)
    if todo:
        how = f"{runner.workers} tiến trình song song" if runner.pool else "lần lượt trong tiến trình này"
        progress.line(f"Cần dựng {len(todo)}/{len(units)} phần việc theo khóa học ({how})")
    site = None
    try:
        runner.start()
        for builder in builders:
            if is_course_builder(builder):
                continue
            if hasattr(builder, "build_pages"):
                site = builder
                builder.build_pages(ctx)
            else:
                progress.step(index[builder.name], len(builders), builder.label)
                builder.run(ctx)
        results = runner.wait()
    finally:
        runner.close()
    report_ready()
    failure = unit_failure([results[u.key] for u in todo if u.key in results])
    if failure is not None:
        raise failure
    for unit in todo:
        result = results[unit.key]
        made = [Download(unit.course.id, *d) for d in result.downloads]
        if made != unit.planned:
            raise RuntimeError(f"{unit.key}: tệp tải về khác với dự kiến: {made} ≠ {unit.planned}")
        unit.downloads, unit.notes, unit.outputs = made, result.notes, result.outputs
    for unit in units:
        ctx.notes.extend(unit.notes)
        for path in unit.outputs:
            ctx.records[path] = {"builder": unit.builder.name, "course": unit.course.id, "sources": unit.sources}
    if site is not None:
        site.finish(ctx)
        progress.line(f"[{index[site.name]}/{len(builders)}] {site.label}: {ctx.site_state.get('summary', '')}"
                      f" ({progress.elapsed():.1f} s)")
    if not course_builders and site is None:
        return None
    return units


def _manifest(ctx: BuildContext, builders: list[Any], units: list[Unit], fingerprint: str, strict: bool) -> dict:
    outputs: dict[str, dict] = {}
    for path in sorted(p for p in ctx.out_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(ctx.out_dir).as_posix()
        if relative == MANIFEST:
            continue
        record = {"builder": None, "course": None, "sources": {}, **ctx.records.get(relative, {})}
        record["sha256"] = ctx.known.get(relative) or digest_file(path)
        record["size"] = path.stat().st_size
        outputs[relative] = record
    return {
        "format": FORMAT,
        "coursegen": __version__,
        "code": ctx.code,
        "fingerprint": fingerprint,
        "strict": strict,
        "builders": [b.name for b in builders],
        "sources": ctx.sources,
        "units": {u.key: {"builder": u.builder.name, "course": u.course.id, "digest": u.digest,
                          "outputs": u.outputs, "downloads": [[d.kind, d.label, d.path] for d in u.downloads],
                          "notes": u.notes} for u in units},
        "site": ctx.site_state.get("manifest", {}),
        "downloads": [[d.course_id, d.kind, d.label, d.path] for d in ctx.downloads_made],
        "notes": ctx.notes,
        "outputs": outputs,
    }


def build_downloads(corpus: Corpus, out_dir: Path, progress: Progress | None = None,
                    parallel: bool = False) -> list[Download]:
    """Run every builder except the site into ``out_dir`` (used by plain ``mkdocs serve`` previews).

    Incremental like ``build_project``: ``out_dir`` keeps its own manifest, so a preview after an edit
    rebuilds only the edited course's downloads. ``parallel=False`` runs the units in this process
    (``mkdocs serve`` has threads of its own, which do not mix well with forked workers).
    """
    builders = [b for b in load_builders() if b.name != "site"]
    sources = source_files(corpus.root)
    code = code_digest()
    target = out_dir.absolute()
    previous = read_manifest(target / MANIFEST)
    only = [b.name for b in builders]
    with staged_directory(target) as staged:
        ctx = BuildContext(corpus=corpus, out_dir=staged, progress=progress or Progress(quiet=True),
                           previous=previous, previous_dir=target if previous is not None else None,
                           sources=sources, code=code)
        units = _run_builders(ctx, builders, parallel=parallel)
        if units is not None:
            data = _manifest(ctx, builders, units, fingerprint_of(code, sources, only, False), False)
            (staged / MANIFEST).write_bytes(dump_manifest(data))
    return ctx.downloads_made
