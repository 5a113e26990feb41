"""``coursegen build``: incremental, parallel, all-or-nothing builds into ``site/``.

The builders come from the registry (``generator/builders/__init__.py``) and follow the contract in
``generator/builders/contract.py``; this module only runs them. A builder built per course is split
into (builder, course) *units* (``units.py``): each is rebuilt only when the hashes of the sources it
reads (or of coursegen's code) changed, otherwise its previous outputs are copied from the current
``site/`` after checking their recorded hashes. Units that must run run in parallel worker processes
while the site is built in this process. Whatever happens, the new output is staged next to ``site/``
and swapped in only when every builder succeeded (``publish.py``), with a ``manifest.json`` (see
``incremental.py``). When nothing changed, nothing is loaded or written.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from .. import __version__
from .. import builders as registry
from ..builders.contract import MANIFEST, BuildContext, Download, Manifest, is_course_builder
from ..diagnostics import SourceError
from ..digests import digest_file, digest_json
from ..model import Corpus
from ..source.loader import load_corpus
from .incremental import FORMAT, code_digest, dump_manifest, read_manifest, source_files
from .progress import Progress
from .publish import staged_directory
from .units import Unit, UnitRunner, load_builders, plan_units, unit_failure

# -- the build --------------------------------------------------------------------------------


def fingerprint_of(code: str, sources: dict[str, str], only: list[str] | None, strict: bool) -> str:
    """Everything that decides a build's outputs, known before loading anything."""
    return digest_json({"format": FORMAT, "code": code, "sources": sources, "strict": strict,
                        "builders": registry.BUILDERS, "only": sorted(only) if only is not None else None})


def build_project(root: Path, out_dir: Path | None = None, *, strict: bool = False,
                  progress: Progress | None = None, only: list[str] | None = None,
                  clean: bool = False, release: bool = False) -> BuildContext:
    """Build every output of ``root`` into ``out_dir`` (default ``root/site``), all or nothing.

    Only what changed since the build in ``out_dir`` is rebuilt (``clean=True`` ignores that build).
    ``release=True`` refuses placeholder print settings (``printready``) before anything is built.
    """
    progress = progress or Progress()
    root = root.resolve()
    check_print_settings(root, progress, release)
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


def check_print_settings(root: Path, progress: Progress, release: bool) -> None:
    """Warn about placeholder print settings (the leaflets are then drafts), or refuse them for a release.

    Runs before the "nothing changed" shortcut, so a repeated build warns again and a release build
    never passes a drafted site off as final. Invalid settings are left to ``load_corpus`` to report.
    """
    from ..render.printready import draft_diagnostics
    from ..source.loader import ProjectLoader

    settings = ProjectLoader(root).load_settings()
    if settings is None:
        return
    found = draft_diagnostics(settings, release=release)
    if release and found:
        raise SourceError(found)
    for diagnostic in found:
        progress.line(diagnostic.format())


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
