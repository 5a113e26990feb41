"""Fixtures for the hostile-input tests (the browser fixtures come from tests/browser.py): the site built from the mini project with every injection payload of the corpus in place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, run_coursegen
from tests.hostile.corpus import all_cases, inject


@pytest.fixture(scope="session")
def injected_site(tmp_path_factory) -> Path:
    """``site/`` of the mini project with every ``inject`` case's payload in its field (built once)."""
    project = tmp_path_factory.mktemp("inject") / "project"
    shutil.copytree(MINI, project)
    for case in all_cases("inject"):
        inject(project, case)
    check = run_coursegen("-C", str(project), "check")
    assert check.returncode == 0, check.stdout + check.stderr
    result = run_coursegen("-C", str(project), "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return project / "site"
