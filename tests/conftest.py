"""Shared fixtures: the repository, the small "mini" project and throw-away copies of projects."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser"]  # the one headless Chromium of the session

REPO = Path(__file__).resolve().parent.parent
# One line of `coursegen check` output: path:line: field: message
DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<field>\([^)]*\)|[^\s:]+): (?P<message>.+)$")
MINI = REPO / "tests" / "data" / "mini"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A writable copy of tests/data/mini: one course, two lessons, every question type, one image."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns(".coursegen-cache"))
    return target


@pytest.fixture
def bundled_project(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus (courses/, quizzes/, coursegen.yml, mkdocs.yml, docs/)."""
    target = tmp_path / "bundled"
    target.mkdir()
    for name in ("courses", "quizzes", "docs"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, target / name)
    for name in ("coursegen.yml", "mkdocs.yml"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    return target


def run_coursegen(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout,
    )
