"""Fixtures for incremental builds: small projects of several courses made from tests/data/mini."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.contract import BuildContext
from tests.conftest import MINI

COURSES = ("mini-dvc", "m2-dvc", "m3-dvc")


def add_course_copy(project: Path, prefix: str) -> str:
    """Copy the mini course under new ids (``mini-`` → ``<prefix>-``); returns the new course id."""
    course_id = f"{prefix}-dvc"
    source = MINI / "courses" / "mini-dvc"
    target = project / "courses" / course_id
    shutil.copytree(source, target)
    for path in [target / "course.yml", *sorted((target / "lessons").glob("*.md"))]:
        path.write_text(path.read_text(encoding="utf-8").replace("mini-", f"{prefix}-"), encoding="utf-8")
    bank = (MINI / "quizzes" / "mini-dvc.yml").read_text(encoding="utf-8").replace("mini-", f"{prefix}-")
    (project / "quizzes" / f"{course_id}.yml").write_text(bank, encoding="utf-8")
    return course_id


@pytest.fixture(autouse=True)
def steady_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Others edit coursegen's code in this checkout while tests run: a changed code hash between two
    builds of one test would (rightly) rebuild everything. In-process builds see a fixed code hash;
    test_code_change_rebuilds_everything checks the real one."""
    monkeypatch.setattr("generator.build.orchestrate.code_digest", lambda: "code-under-test")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Three courses (mini-dvc, m2-dvc, m3-dvc): two lessons, six questions and one image each, with
    print-ready settings (so that leaflet names are the release names, without "-ban-nhap")."""
    from tests.leaflets.conftest import release_ready

    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    release_ready(target)
    for prefix in ("m2", "m3"):
        add_course_copy(target, prefix)
    return target


def build(project: Path, out: Path | None = None, **options) -> BuildContext:
    return build_project(project, out, progress=Progress(quiet=True), **options)


def contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def identities(site: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, modification time in ns, size) of every file and folder: unchanged only if nothing was written."""
    result = {}
    for path in [site, *sorted(site.rglob("*"))]:
        info = os.stat(path)
        result[path.relative_to(site).as_posix()] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return result


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
