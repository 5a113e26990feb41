"""Fixtures of the second round of hostile inputs (issue 27): a copy of the mini project per module, and
the real PostgreSQL server of the coverage tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.coverage.conftest import pg_server  # noqa: F401 — the PostgreSQL server of the coverage tests


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of tests/data/mini that the module's commands run in (none of them changes it)."""
    target = tmp_path_factory.mktemp("hostile2") / "project"
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns(".coursegen-cache"))
    return target
