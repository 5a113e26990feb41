"""A named pipe among the sources is refused by name; the build must not hang reading it."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import run_coursegen


def test_build_refuses_a_named_pipe_without_hanging(mini_project: Path) -> None:
    os.mkfifo(mini_project / "courses/mini-dvc/lessons/03-ong.md")
    result = run_coursegen("-C", str(mini_project), "build", cwd=mini_project, timeout=120)
    assert result.returncode == 1
    assert "courses/mini-dvc/lessons/03-ong.md:1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (mini_project / "site").exists()
