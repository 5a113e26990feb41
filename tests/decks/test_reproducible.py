"""Two builds of the same sources, in separate processes at different times, give identical bytes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tests.conftest import REPO

BUILD = (
    "import sys; from pathlib import Path; from generator.build.orchestrate import build_project; from generator.build.progress import Progress; "
    "ctx = build_project(Path(sys.argv[1]), Path(sys.argv[2]), progress=Progress(), only=['decks', 'exports']); "
    "print('\\n'.join(ctx.notes))"
)


def build_in_subprocess(project: Path, out: Path, tz: str, hash_seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", BUILD, str(project), str(out)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def downloads(out: Path) -> dict[str, bytes]:
    root = out / "downloads"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_sources_give_byte_identical_decks_and_exports(mini_project: Path, tmp_path: Path):
    first = build_in_subprocess(mini_project, tmp_path / "a", "UTC", "1")
    time.sleep(1.2)  # a clock-derived stamp would now differ by at least one second
    second = build_in_subprocess(mini_project, tmp_path / "b", "Asia/Ho_Chi_Minh", "2")
    a, b = downloads(tmp_path / "a"), downloads(tmp_path / "b")
    assert sorted(a) == [
        "anki/mini-dvc.apkg",
        "ngan-hang-cau-hoi/mini-dvc-gift.txt",
        "ngan-hang-cau-hoi/mini-dvc-moodle.xml",
        "ngan-hang-cau-hoi/mini-dvc-qti12.zip",
    ]
    assert a == b
    assert first.stdout == second.stdout
    for name in ("anki/mini-dvc.apkg", "ngan-hang-cau-hoi/mini-dvc-qti12.zip"):
        with zipfile.ZipFile(tmp_path / "a" / "downloads" / name) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2026, 9, 1, 0, 0, 0)}
            assert archive.testzip() is None

    # A change to one question changes the deck, and nothing else about the build procedure does.
    bank = mini_project / "quizzes" / "mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("Không ai cả", "Không một ai"), encoding="utf-8")
    build_in_subprocess(mini_project, tmp_path / "c", "UTC", "1")
    c = downloads(tmp_path / "c")
    assert all(c[name] != a[name] for name in a)
