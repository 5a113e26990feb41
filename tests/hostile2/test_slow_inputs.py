"""Small lessons that took minutes (issue 27, point 3): each is generated here, checked by the real
``coursegen check`` under a memory limit, and must be answered within a few seconds, without a traceback.
They are valid (backticks and braces are text), so the check passes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.hostile2.limits import coursegen

LESSON = "courses/mini-dvc/lessons/02-dang-nhap.md"
BODIES = {
    # the inline-code pattern backtracked cubically (2,000 backticks: 105 s), and ran three times
    "backtick-line": "Mã " + "`" * 19_000,
    "backtick-runs": " ".join("`" * (n % 60 + 1) + "x" for n in range(560)),
    "escaped-backticks": "\\`" * 9_000,
    # the attribute-list pattern scanned to the end of the line from every "{" (quadratic)
    "brace-lines": "\n\n".join(["{" * 19_000] * 100),
    "brace-after-close": "\n\n".join(["}" + "{" * 19_000] * 100),
    "brace-colon": "\n\n".join(["{:" * 9_000] * 100),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_slow_lesson_is_checked_quickly(name, tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    lesson = project / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + BODIES[name] + "\n", encoding="utf-8")
    assert lesson.stat().st_size < 2_000_000  # under the source size limit: the time is the check's
    result = coursegen(project, "check", timeout=120)
    assert "Traceback" not in result.stderr, result.report()
    assert result.returncode == 0 and "Hợp lệ: 1 khóa học, 2 bài học" in result.stderr, result.report()
    assert result.seconds < 20, f"took {result.seconds:.1f} s" + result.report()
