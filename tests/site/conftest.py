"""Site test fixtures; the browser fixtures themselves live in tests/browser.py (one Chromium per process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_SCHEMES, RecordingPage, file_url
from tests.conftest import MINI, REPO, run_coursegen

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LOCAL_SCHEMES", "RecordingPage", "file_url"]


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """``site/`` built once from a copy of the mini project by the real command line; tests only read it."""
    project = tmp_path_factory.mktemp("site") / "mini"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    result = run_coursegen("-C", str(project), "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """``site/`` of the bundled corpus (courses, guides, dashboard) built once by the real command line.

    The search, accessibility and layout tests need real text and every page template; the mini project
    has neither "lệ phí" nor the guides."""
    project = tmp_path_factory.mktemp("bundled") / "project"
    project.mkdir()
    for name in ("courses", "quizzes", "docs", "do-phu"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, project / name)
    for name in ("coursegen.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, project / name)
    result = run_coursegen("-C", str(project), "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"
