"""``coursegen new``: the skeleton passes ``check --strict`` as created, never overwrites, refuses bad ids."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from generator.model import Audience
from generator.source.loader import load_corpus
from tests.conftest import MINI, REPO, run_coursegen


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every directory (None) below ``root``."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


def check_ok(project: Path, *extra: str) -> str:
    result = run_coursegen("-C", str(project), "check", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_new_course_passes_strict_check_next_to_mini(mini_project: Path):
    title = 'Dùng "Cổng" C:\\dịch-vụ-công: hướng dẫn'  # quotes, a backslash and a colon stay text
    result = run_coursegen("-C", str(mini_project), "new", "khoa-moi", "--title", title, "--audience", "staff")
    assert result.returncode == 0, result.stderr
    assert "courses/khoa-moi" in result.stderr
    assert check_ok(mini_project, "--strict") == ""
    course = load_corpus(mini_project).course("khoa-moi")
    assert course.title == title and course.audience is Audience.STAFF
    assert course.leaflet.headline == title
    assert len(course.lessons) == 2 and len(course.questions) == 2
    assert all(o.text for o in course.objectives)


def test_new_course_in_a_fresh_project(tmp_path: Path):
    project = tmp_path / "du-an"
    project.mkdir()
    shutil.copy2(MINI / "coursegen.yml", project / "coursegen.yml")
    result = run_coursegen("-C", str(project), "new", "tin-hoc-10")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        "coursegen.yml",
        "courses/tin-hoc-10/course.yml",
        "courses/tin-hoc-10/lessons/01-gioi-thieu.md",
        "courses/tin-hoc-10/lessons/02-dang-nhap.md",
        "quizzes/tin-hoc-10.yml",
    ]
    assert (project / "courses/tin-hoc-10/media").is_dir()
    assert check_ok(project, "--strict") == ""
    assert not list(project.glob("courses/.*")), "no staging directory left behind"


def test_new_title_is_stored_nfc_and_long_titles_get_a_short_headline(mini_project: Path):
    long_title = unicodedata.normalize("NFD", "Hướng dẫn " + "sử dụng dịch vụ công trực tuyến " * 3).strip()
    assert 60 < len(unicodedata.normalize("NFC", long_title)) <= 150
    result = run_coursegen("-C", str(mini_project), "new", "khoa-dai", "--title", long_title)
    assert result.returncode == 0, result.stderr
    text = (mini_project / "courses/khoa-dai/course.yml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    check_ok(mini_project, "--strict")
    course = load_corpus(mini_project).course("khoa-dai")
    assert course.title == unicodedata.normalize("NFC", long_title)
    assert len(course.leaflet.headline) <= 60


def test_new_refuses_to_overwrite(mini_project: Path):
    assert run_coursegen("-C", str(mini_project), "new", "khoa-moi").returncode == 0
    (mini_project / "courses/khoa-moi/lessons/01-gioi-thieu.md").write_text("đã sửa", encoding="utf-8")
    before = snapshot(mini_project)
    again = run_coursegen("-C", str(mini_project), "new", "khoa-moi", "--title", "Khác")
    assert again.returncode == 1
    assert 'khóa học "khoa-moi" đã tồn tại; không ghi đè' in again.stderr
    assert snapshot(mini_project) == before
    # An existing course (the mini one) is protected the same way.
    assert run_coursegen("-C", str(mini_project), "new", "mini-dvc").returncode == 1
    assert snapshot(mini_project) == before


def test_new_refuses_when_only_the_question_bank_exists(mini_project: Path):
    (mini_project / "quizzes/mo-coi.yml").write_text("course: mo-coi\n", encoding="utf-8")
    before = snapshot(mini_project)
    result = run_coursegen("-C", str(mini_project), "new", "mo-coi")
    assert result.returncode == 1 and "đã tồn tại" in result.stderr
    assert snapshot(mini_project) == before


@pytest.mark.parametrize("bad_id", [
    "Khoa-Hoc", "khóa-học", "khoa_hoc", "khoa hoc", "-khoa", "khoa-", "../khoa", "con", "a" * 60, "",
])
def test_new_rejects_a_bad_id(mini_project: Path, bad_id: str):
    before = snapshot(mini_project)
    result = run_coursegen("-C", str(mini_project), "new", "--", bad_id)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Lỗi: ") and "Traceback" not in result.stderr
    assert snapshot(mini_project) == before


@pytest.mark.parametrize("title", ["", "   ", "x" * 151])
def test_new_rejects_an_unusable_title(mini_project: Path, title: str):
    before = snapshot(mini_project)
    result = run_coursegen("-C", str(mini_project), "new", "khoa-moi", "--title", title)
    assert result.returncode == 1 and result.stderr.startswith("Lỗi: ")
    assert snapshot(mini_project) == before


def test_new_course_next_to_the_bundled_courses(bundled_project: Path):
    """The scaffold adds no problem to the bundled corpus: check passes and says nothing about it."""
    bundled = sorted(p.name for p in (REPO / "courses").iterdir() if p.is_dir())
    assert bundled, "the bundled courses are part of the repository"
    assert run_coursegen("-C", str(bundled_project), "new", "khoa-thu-nghiem", "--audience", "community-team").returncode == 0
    output = check_ok(bundled_project)
    assert "khoa-thu-nghiem" not in output
    corpus = load_corpus(bundled_project)
    assert [c.id for c in corpus.courses] == sorted([*bundled, "khoa-thu-nghiem"])
