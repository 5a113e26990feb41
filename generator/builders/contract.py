"""The builder contract: all a builder knows of the build that runs it.

A builder is a class with a ``name``, a Vietnamese ``label`` and ``run(ctx)``; it reads only the course
model (``ctx.corpus``) and writes only below ``ctx.out_dir``. A builder that also has ``inputs``,
``downloads`` and ``run_course`` is built course by course (``CourseBuilder``): each course's part is
rebuilt only when the sources it declares changed. Notes for the user go through ``ctx.note``; files
for the course pages are registered with ``ctx.add_download``. Builders are listed in
``generator/builders/__init__.py``; the machine that runs them (``generator/build/``) is never imported
from here or from a builder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import Corpus, Course

MANIFEST = "manifest.json"  # written by the build at the root of the output; no builder writes it


class ProgressDisplay(Protocol):
    """The build's progress display as a builder sees it (``generator.build.progress.Progress``)."""

    def elapsed(self) -> float: ...

    def line(self, text: str) -> None: ...

    def step(self, index: int, total: int, label: str) -> None: ...

    def note(self, message: str) -> None: ...

    def start(self, label: str, total: int) -> None: ...

    def advance(self, label: str, current: str = "") -> None: ...


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
    progress: ProgressDisplay
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


@dataclass
class Manifest:
    """The parsed ``manifest.json`` of a previous build (see docs/xay-dung.md for every field)."""

    data: dict

    @property
    def fingerprint(self) -> str:
        return self.data.get("fingerprint", "")

    @property
    def outputs(self) -> dict[str, dict]:
        return self.data.get("outputs", {})

    @property
    def units(self) -> dict[str, dict]:
        return self.data.get("units", {})

    @property
    def site(self) -> dict:
        return self.data.get("site", {})

    def complete_in(self, folder: Path) -> bool:
        """Every recorded output is present with its recorded size (a cheap check, for the no-op path)."""
        for path, record in self.outputs.items():
            try:
                if os.stat(folder / path).st_size != record.get("size"):
                    return False
            except OSError:
                return False
        return True
