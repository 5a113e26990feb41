"""``coursegen build``: load the corpus once, run every builder into a staged ``site/``, then swap it in.

Builders are small classes with a ``name``, a Vietnamese ``label`` and ``run(ctx)``; they read only the
course model (``ctx.corpus``) and write only below ``ctx.out_dir``. They are listed in ``BUILDERS`` in
the order they must run: the site comes last because it links to and packs the downloads.
"""

from __future__ import annotations

import importlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from .loader import load_corpus
from .model import Corpus
from .publish import staged_directory

BUILDERS: list[str] = [
    "generator.decks:DeckBuilder",
    "generator.exports:ExportBuilder",
    "generator.leaflets:LeafletBuilder",
    "generator.site.builder:SiteBuilder",
]


class Progress:
    """One progress display for the whole build, on stderr."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.perf_counter()

    def step(self, index: int, total: int, label: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{index}/{total}] {label} ({elapsed:.1f} s)", file=self.stream, flush=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            print(f"      {message}", file=self.stream, flush=True)


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


def load_builders(names: list[str] | None = None) -> list[Builder]:
    builders = []
    for spec in BUILDERS:
        module_name, _, class_name = spec.partition(":")
        builder = getattr(importlib.import_module(module_name), class_name)()
        if names is None or builder.name in names:
            builders.append(builder)
    return builders


def build_project(root: Path, out_dir: Path | None = None, *, strict: bool = False,
                  progress: Progress | None = None, only: list[str] | None = None) -> BuildContext:
    """Build every output of ``root`` into ``out_dir`` (default ``root/site``), all or nothing."""
    progress = progress or Progress()
    corpus = load_corpus(root, strict=strict)
    target = out_dir or corpus.root / "site"
    builders = load_builders(only)
    with staged_directory(target) as staged:
        ctx = BuildContext(corpus=corpus, out_dir=staged, progress=progress)
        for index, builder in enumerate(builders, start=1):
            progress.step(index, len(builders), builder.label)
            builder.run(ctx)
    ctx.out_dir = target
    return ctx


def build_downloads(corpus: Corpus, out_dir: Path, progress: Progress | None = None) -> list[Download]:
    """Run every builder except the site into ``out_dir`` (used by plain ``mkdocs serve`` previews)."""
    builders = [b for b in load_builders() if b.name != "site"]
    with staged_directory(out_dir) as staged:
        ctx = BuildContext(corpus=corpus, out_dir=staged, progress=progress or Progress(quiet=True))
        for builder in builders:
            builder.run(ctx)
    return ctx.downloads_made
