"""ARCHITECTURE.md's "How to add an output" is true: its example, taken from the file, is a working builder.

The example package is loaded as ``generator.builders.keypoints`` and registered with one line in
``BUILDERS``, exactly as the guide says; nothing of ``generator/build/`` is touched. Then a real build
(worker processes, incremental units, the site, the offline zip, the manifest) must carry the new output.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import re
import shutil
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from generator import builders as registry
from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.site.offlinezip import PREFIX
from generator.builders.site.pages import OFFLINE_ZIP
from tests.build.conftest import add_course_copy, edit
from tests.conftest import MINI

REPO = Path(__file__).resolve().parent.parent.parent


def guide_blocks() -> list[str]:
    """The Python blocks of the "How to add an output" section, in order, dedented."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## How to add an output", 1)[1].split("\n## ", 1)[0]
    return [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)\n *```", section, re.DOTALL)]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three courses made from tests/data/mini (as in tests/build), built with a fixed code hash."""
    monkeypatch.setattr("generator.build.orchestrate.code_digest", lambda: "code-under-test")
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    for prefix in ("m2", "m3"):
        add_course_copy(target, prefix)
    return target


@pytest.fixture
def keypoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Step 1 and 2 of the guide: the new package, and its line in the registry (before the site)."""
    package, line = guide_blocks()
    folder = tmp_path / "keypoints"
    folder.mkdir()
    (folder / "__init__.py").write_text(package, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("generator.builders.keypoints", folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "generator.builders.keypoints", module)
    spec.loader.exec_module(module)
    entry = line.strip().rstrip(",").strip('"')
    assert entry == "generator.builders.keypoints:KeyPointsBuilder"
    real = list(registry.BUILDERS)
    assert real[-1].endswith(":SiteBuilder")
    monkeypatch.setattr(registry, "BUILDERS", [*real[:-1], entry, real[-1]])
    return entry


def test_the_guide_example_adds_an_output(project: Path, keypoints: str) -> None:
    stream = io.StringIO()
    ctx = build_project(project, progress=Progress(stream=stream, live=False))
    site = project / "site"
    sheet = site / "downloads/ghi-nho/mini-dvc.txt"
    assert sheet.read_text(encoding="utf-8").splitlines()[:5] == [
        "Làm quen dịch vụ công trực tuyến", "", "Bài 1. Dịch vụ công trực tuyến là gì?",
        "- Dịch vụ công trực tuyến cho phép nộp hồ sơ qua mạng.", "- Đăng ký thủ tục không cần đến trụ sở."]
    assert "[4/5] Ghi nhớ từng bài: 3 khóa học dựng lại, 0 dùng lại" in stream.getvalue()
    assert sorted(k for k in ctx.units_rebuilt if k.startswith("keypoints/")) == [
        "keypoints/m2-dvc", "keypoints/m3-dvc", "keypoints/mini-dvc"]
    page = (site / "khoa-hoc/mini-dvc/index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/ghi-nho/mini-dvc.txt"' in page and "Ghi nhớ từng bài (văn bản)" in page
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    record = manifest["outputs"]["downloads/ghi-nho/mini-dvc.txt"]
    assert record["builder"] == "keypoints" and record["course"] == "mini-dvc"
    assert "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md" in record["sources"]
    assert "keypoints" in manifest["builders"]
    with zipfile.ZipFile(site / OFFLINE_ZIP) as packed:
        assert packed.read(PREFIX + "downloads/ghi-nho/mini-dvc.txt") == sheet.read_bytes()

    # Incremental like the other outputs: one edited lesson rebuilds only its course's sheet.
    edit(project / "courses/m2-dvc/lessons/02-dang-nhap.md", "VNeID.", "VNeID trên điện thoại.")
    again = build_project(project, progress=Progress(quiet=True))
    assert [k for k in again.units_rebuilt if k.startswith("keypoints/")] == ["keypoints/m2-dvc"]
    assert "VNeID trên điện thoại." in (site / "downloads/ghi-nho/m2-dvc.txt").read_text(encoding="utf-8")
    assert sheet.read_bytes() == (site / "downloads/ghi-nho/mini-dvc.txt").read_bytes()


def test_the_example_imports_only_what_a_builder_may() -> None:
    from tests.architecture.test_import_rules import forbidden

    package = ["generator", "builders", "keypoints"]
    targets = {".".join(package[: len(package) - node.level + 1] + [node.module])
               for node in ast.walk(ast.parse(guide_blocks()[0])) if isinstance(node, ast.ImportFrom) and node.level}
    assert targets == {"generator.builders.contract", "generator.model"}
    assert [t for t in targets if forbidden("generator.builders.keypoints", t)] == []
