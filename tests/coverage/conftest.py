"""Fixtures for the coverage tracker: a project with one course per audience, a database, the CLI."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINI, run_coursegen

DATA = Path(__file__).resolve().parent / "data"
ROSTERS = DATA / "rosters"
RECORDS = DATA / "records"
WORKED = DATA / "worked"

# The mini course is for students; the clones make a staff course and a community-team course.
CLONES = {"minicb": "staff", "minitc": "community-team"}


def make_project(target: Path) -> Path:
    """Copy tests/data/mini and add a staff and a community-team copy of its course."""
    shutil.copytree(MINI, target)
    for prefix, audience in CLONES.items():
        course_dir = target / "courses" / f"{prefix}-dvc"
        shutil.copytree(target / "courses" / "mini-dvc", course_dir)
        for path in [course_dir / "course.yml", *(course_dir / "lessons").glob("*.md")]:
            text = path.read_text(encoding="utf-8").replace("mini-", f"{prefix}-")
            if path.name == "course.yml":
                text = text.replace("audience: students", f"audience: {audience}")
            path.write_text(text, encoding="utf-8")
        quiz = (target / "quizzes" / "mini-dvc.yml").read_text(encoding="utf-8").replace("mini-", f"{prefix}-")
        (target / "quizzes" / f"{prefix}-dvc.yml").write_text(quiz, encoding="utf-8")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coverage.sqlite3"


def coverage(project: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``coursegen -C project coverage <command> --db db …`` as a user would."""
    command, *rest = args
    return run_coursegen("-C", str(project), "coverage", command, "--db", str(db), *rest)


def dump(db: Path) -> list[str]:
    """The whole database as SQL statements, to compare states byte for byte."""
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def rejected_lines(stderr: str) -> list[str]:
    """The "file, dòng N: reason" lines of an import's output."""
    return [line.strip() for line in stderr.splitlines() if ", dòng " in line and line.startswith("  ")]
