"""The bundled courses of the repository pass ``coursegen check`` (the issue's first "must show")."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO, run_coursegen


def test_bundled_courses_pass_check(bundled_project: Path):
    bundled = sorted(p.name for p in (REPO / "courses").iterdir() if p.is_dir())
    assert bundled
    result = run_coursegen("-C", str(bundled_project), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = re.search(r"Hợp lệ: (\d+) khóa học, (\d+) bài học, (\d+) câu hỏi", result.stderr)
    assert summary is not None, result.stderr
    courses, lessons, questions = map(int, summary.groups())
    assert courses == len(bundled) and lessons >= courses and questions > 0
