"""A failed ``coursegen build`` leaves the previous ``site/`` byte-for-byte as it was.

The previous site is made two ways: by the real builders (whatever ``BUILDERS`` holds while others
fill it) plus a marker file, and by injected test builders, so the property is checked on real output
and on a known, non-empty tree. Failures come from a broken source (before any builder runs) and from
a builder that raises after writing part of its output.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from generator import builders as registry
from generator import cli
from generator.build.orchestrate import build_project
from generator.builders.contract import BuildContext
from generator.diagnostics import CoursegenError
from tests.conftest import run_coursegen

MODULE = "coursegen_test_builders"


def snapshot(site: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every directory (None) below ``site``."""
    assert site.is_dir()
    return {p.relative_to(site).as_posix(): (p.read_bytes() if p.is_file() else None) for p in site.rglob("*")}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))


def break_source(project: Path) -> None:
    course = project / "courses/mini-dvc/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("audience: students", "audience: teachers"),
                      encoding="utf-8")


class WriterBuilder:
    """Writes a small known tree, including a download, the way a real builder does."""

    name = "test-writer"
    label = "Bộ dựng thử: ghi tệp"

    def run(self, ctx: BuildContext) -> None:
        (ctx.out_dir / "index.html").write_text("<p>Trang cũ</p>", encoding="utf-8")
        target = ctx.downloads / "to-roi" / "mini-dvc.pdf"
        target.parent.mkdir(parents=True)
        target.write_bytes(bytes(range(256)) * 8)
        ctx.add_download("mini-dvc", "leaflet", "Tờ rơi A5", target)


class FailingBuilder:
    """Writes part of its output, then fails the way a builder bug does."""

    name = "test-failing"
    label = "Bộ dựng thử: lỗi giữa chừng"
    error: type[BaseException] = RuntimeError

    def run(self, ctx: BuildContext) -> None:
        (ctx.out_dir / "index.html").write_text("<p>Trang mới viết dở</p>", encoding="utf-8")
        (ctx.downloads / "nua-chung").mkdir(parents=True)
        (ctx.downloads / "nua-chung" / "tep.bin").write_bytes(b"\x00" * 100)
        raise self.error("lỗi giả lập trong bộ dựng")


class InterruptedBuilder(FailingBuilder):
    error = KeyboardInterrupt


class UserErrorBuilder(FailingBuilder):
    error = CoursegenError


@pytest.fixture
def test_builders(monkeypatch: pytest.MonkeyPatch):
    """Make the test builders importable by ``load_builders`` and return a setter for ``BUILDERS``."""
    module = types.ModuleType(MODULE)
    for cls in (WriterBuilder, FailingBuilder, InterruptedBuilder, UserErrorBuilder):
        setattr(module, cls.__name__, cls)
    monkeypatch.setitem(sys.modules, MODULE, module)
    real = list(registry.BUILDERS)

    def use(*names: str, with_real: bool = False) -> None:
        specs = [f"{MODULE}:{name}" for name in names]
        monkeypatch.setattr(registry, "BUILDERS", [*real, *specs] if with_real else specs)

    return use


def test_broken_source_after_a_real_build(mini_project: Path):
    """Real CLI, real builders: build, break a source, build again; site/ must not change at all."""
    site = mini_project / "site"
    first = run_coursegen("-C", str(mini_project), "build")
    if first.returncode != 0:  # a builder still being written failed: then nothing was left behind either
        assert not site.exists() and leftovers(mini_project) == [], first.stderr
    # Whatever the builders produced (possibly nothing yet), the previous site also has a file of our own.
    site.mkdir(exist_ok=True)
    (site / "trang-cu.txt").write_text("bản dựng trước, không được mất", encoding="utf-8")
    before = snapshot(site)

    break_source(mini_project)
    again = run_coursegen("-C", str(mini_project), "build")
    assert again.returncode == 1, again.stderr
    assert "courses/mini-dvc/course.yml:3: audience:" in again.stderr
    assert "không có gì bị ghi đè" in again.stderr
    assert snapshot(site) == before
    assert leftovers(mini_project) == []


def test_successful_build_replaces_site_completely(mini_project: Path, test_builders):
    """The swap is real: a good build leaves exactly the new tree (so the snapshots above mean something)."""
    test_builders("WriterBuilder")
    site = mini_project / "site"
    site.mkdir()
    (site / "cu.txt").write_text("cũ", encoding="utf-8")
    ctx = build_project(mini_project)
    assert ctx.out_dir == site
    assert sorted(snapshot(site)) == ["downloads", "downloads/to-roi", "downloads/to-roi/mini-dvc.pdf", "index.html"]
    assert [d.path for d in ctx.downloads_made] == ["downloads/to-roi/mini-dvc.pdf"]
    assert leftovers(mini_project) == []


def previous_site(project: Path, test_builders) -> dict[str, bytes | None]:
    test_builders("WriterBuilder")
    build_project(project)
    before = snapshot(project / "site")
    assert len(before) == 4
    return before


def test_builder_failing_midway_keeps_site(mini_project: Path, test_builders):
    before = previous_site(mini_project, test_builders)
    test_builders("WriterBuilder", "FailingBuilder")
    with pytest.raises(RuntimeError, match="lỗi giả lập"):
        build_project(mini_project)
    assert snapshot(mini_project / "site") == before
    assert leftovers(mini_project) == []


def test_builder_failing_after_the_real_builders_keeps_site(mini_project: Path, test_builders):
    """The real builders' staged output (if they succeed) is thrown away with the failed build."""
    before = previous_site(mini_project, test_builders)
    test_builders("FailingBuilder", with_real=True)
    with pytest.raises(BaseException):  # noqa: B017 - the injected error or a real builder's own
        build_project(mini_project)
    assert snapshot(mini_project / "site") == before
    assert leftovers(mini_project) == []


@pytest.mark.parametrize("builder, code", [("UserErrorBuilder", 1), ("InterruptedBuilder", 130)])
def test_cli_reports_a_failed_build_and_keeps_site(mini_project: Path, test_builders, capsys, builder: str, code: int):
    before = previous_site(mini_project, test_builders)
    test_builders("WriterBuilder", builder)
    assert cli.main(["-C", str(mini_project), "build"]) == code
    err = capsys.readouterr().err
    assert ("Lỗi: lỗi giả lập trong bộ dựng" if code == 1 else "đầu ra cũ được giữ nguyên") in err
    assert snapshot(mini_project / "site") == before
    assert leftovers(mini_project) == []


def test_broken_source_in_process_keeps_site(mini_project: Path, test_builders, capsys):
    before = previous_site(mini_project, test_builders)
    break_source(mini_project)
    assert cli.main(["-C", str(mini_project), "build"]) == 1
    assert "courses/mini-dvc/course.yml:3: audience:" in capsys.readouterr().err
    assert snapshot(mini_project / "site") == before
