"""Running a command as a user would, under a memory limit and a time bound.

Every hostile input of this folder is fed to the real command line in a subprocess whose address space
is capped (``RLIMIT_AS``), so a memory blow-up ends as a MemoryError traceback (a failed test) instead of
exhausting the machine, and the elapsed time is measured to assert that a small file is handled quickly.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

MEMORY = 1536 * 1024 * 1024  # 1.5 GB: a build of the mini project needs about 300 MB


@dataclass
class Limited:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def report(self) -> str:
        return f"\n--- exit {self.returncode} after {self.seconds:.1f} s\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def _cap_memory(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_limited(*args: str, cwd: Path | None = None, timeout: float = 120, memory: int = MEMORY,
                module: str = "generator.cli", env: dict[str, str] | None = None) -> Limited:
    """``python -m generator.cli ARGS`` (or another module) with at most ``memory`` bytes of address space;
    ``env`` is added to the environment."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd or REPO, capture_output=True, text=True,
                            timeout=timeout, preexec_fn=_cap_memory(memory), env={**os.environ, **(env or {})})
    return Limited(result.returncode, result.stdout, result.stderr, time.monotonic() - start)


def coursegen(project: Path, *args: str, timeout: float = 120, memory: int = MEMORY,
              env: dict[str, str] | None = None, cwd: Path | None = None) -> Limited:
    return run_limited("-C", str(project), *args, timeout=timeout, memory=memory, env=env, cwd=cwd)


def assert_user_error(result: Limited, message: str, *, seconds: float) -> None:
    """Refused with exactly this Vietnamese message, within ``seconds``, without a traceback."""
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.report()
    assert result.returncode != 0, result.report()
    assert message in result.stdout + result.stderr, f"{message!r} not in the output" + result.report()
    assert result.seconds < seconds, f"took {result.seconds:.1f} s (bound {seconds} s)" + result.report()
