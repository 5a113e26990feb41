"""The corpus of broken sources: each case under cases/ must give exactly its expected diagnostics.

A case is a directory holding only the files that differ from the valid mini project (tests/data/mini)
and an ``expected.txt``:

    # comment lines explain the case
    args: --strict                                 (optional extra arguments for ``coursegen check``)
    exit: 1                                        (the expected exit code)
    remove: courses/mini-dvc/lessons/x.md          (optional: delete a file of the mini project)
    symlink: LINK -> TARGET                        (optional: created by the test; {outside} = a folder
                                                    outside the project holding valid files: ngoai.png,
                                                    03-ngoai.md, course.yml, mini-dvc.yml)
    path:line: field: key phrase                   (one line per expected diagnostic)

Path, line and field must match exactly and the message must contain the key phrase (a warning's
phrase starts with "cảnh báo:"). Every diagnostic printed must be expected: nothing more, nothing less.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DIAGNOSTIC, MINI, run_coursegen

CASES = Path(__file__).resolve().parent / "cases"
WARNING = "cảnh báo:"


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    field: str
    phrase: str

    def matches(self, actual: re.Match) -> bool:
        message = actual["message"]
        return (
            actual["path"] == self.path
            and int(actual["line"]) == self.line
            and actual["field"] == self.field
            and message.startswith(WARNING) == self.phrase.startswith(WARNING)
            and self.phrase in message
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.phrase}"


@dataclass
class Case:
    name: str
    exit_code: int
    args: list[str]
    removals: list[str]
    symlinks: list[tuple[str, str]]
    expected: list[Expected]


def read_case(directory: Path) -> Case:
    case = Case(directory.name, -1, [], [], [], [])
    for raw in (directory / "expected.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if (m := DIAGNOSTIC.match(line)) is not None:
            case.expected.append(Expected(m["path"], int(m["line"]), m["field"], m["message"]))
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if key == "exit":
            case.exit_code = int(value)
        elif key == "args":
            case.args = value.split()
        elif key == "remove":
            case.removals.append(value)
        elif key == "symlink":
            link, _, target = value.partition(" -> ")
            case.symlinks.append((link.strip(), target.strip()))
        else:
            raise AssertionError(f"{directory.name}/expected.txt: dòng không hiểu được: {raw!r}")
    assert case.exit_code in (0, 1), f"{directory.name}: expected.txt needs 'exit: 0' or 'exit: 1'"
    assert case.expected, f"{directory.name}: expected.txt lists no diagnostic"
    return case


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def make_outside(tmp_path: Path) -> Path:
    """A folder outside the project with valid files a symlink can point at."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy2(MINI / "courses/mini-dvc/media/so-do.png", outside / "ngoai.png")
    shutil.copy2(MINI / "courses/mini-dvc/course.yml", outside / "course.yml")
    shutil.copy2(MINI / "quizzes/mini-dvc.yml", outside / "mini-dvc.yml")
    lesson = (MINI / "courses/mini-dvc/lessons/02-dang-nhap.md").read_text(encoding="utf-8")
    (outside / "03-ngoai.md").write_text(lesson.replace("id: mini-b02", "id: mini-b03"), encoding="utf-8")
    return outside


def prepare(case_dir: Path, case: Case, tmp_path: Path) -> Path:
    """The mini project with the case's files laid over it, its removals and its symlinks."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    for rel in case.removals:
        (project / rel).unlink()
    for source in case_dir.rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = project / source.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    if case.symlinks:
        outside = make_outside(tmp_path)
        for link, target in case.symlinks:
            (project / link).symlink_to(target.replace("{outside}", str(outside)))
    return project


def test_corpus_is_large_enough():
    """The issue asks for at least 15 cases; every case directory has an expected.txt."""
    dirs = case_dirs()
    assert len(dirs) >= 20
    for directory in dirs:
        read_case(directory)
        assert not any(p.is_symlink() for p in directory.rglob("*")), "symlinks are created by the test"


@pytest.mark.parametrize("case_dir", case_dirs(), ids=lambda p: p.name)
def test_case(case_dir: Path, tmp_path: Path):
    case = read_case(case_dir)
    project = prepare(case_dir, case, tmp_path)
    result = run_coursegen("-C", str(project), "check", *case.args)
    report = f"\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, report

    actual = []
    for line in result.stdout.splitlines():
        m = DIAGNOSTIC.match(line)
        assert m is not None, f"not a 'path:line: field: message' line: {line!r}{report}"
        actual.append(m)
    unmatched = list(actual)
    missing = []
    for expected in case.expected:
        hit = next((a for a in unmatched if expected.matches(a)), None)
        if hit is None:
            missing.append(str(expected))
        else:
            unmatched.remove(hit)
    assert not missing, "expected but not reported:\n" + "\n".join(missing) + report
    assert not unmatched, "reported but not expected:\n" + "\n".join(a.group(0) for a in unmatched) + report

    assert result.returncode == case.exit_code, report
    errors = sum(1 for a in actual if not a["message"].startswith(WARNING))
    warnings = len(actual) - errors
    if case.exit_code == 1:
        assert f"Kiểm tra thất bại: {errors} lỗi, {warnings} cảnh báo." in result.stderr, report
    else:
        assert f"({warnings} cảnh báo)" in result.stderr, report


def test_all_errors_of_many_files_in_one_run():
    """The multi-error case really spans several files and several rules."""
    case = read_case(CASES / "33-multiple-errors")
    assert len({e.path for e in case.expected}) >= 3
    assert len(case.expected) >= 8
