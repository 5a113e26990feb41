"""Incremental builds: a no-op writes nothing, an edit rebuilds only what depends on it, a removed course
leaves nothing behind, and whatever was reused, the result is the bytes a clean build gives."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.site.pages import OFFLINE_ZIP
from generator.diagnostics import CoursegenError
from tests.build.conftest import build, contents, edit, identities

LESSON = "courses/m2-dvc/lessons/01-dich-vu-cong-la-gi.md"
LESSON_PAGE = "khoa-hoc/m2-dvc/bai-hoc/01-dich-vu-cong-la-gi"


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))


def manifest(site: Path) -> dict:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def course_downloads(data: dict, course: str) -> list[str]:
    return [p for p, r in data["outputs"].items() if r["course"] == course and r["builder"] != "site"]


def test_a_build_with_nothing_changed_writes_nothing(project: Path) -> None:
    first = build(project)
    site = project / "site"
    before, data = identities(site), contents(site)
    again = build(project)
    assert again.unchanged and again.rebuilt == 0
    assert identities(site) == before  # same inodes and times: not one file was written or replaced
    assert contents(site) == data
    assert again.downloads_made == first.downloads_made and again.notes == first.notes
    assert leftovers(project) == []


def test_editing_one_lesson_rebuilds_that_course_and_that_page_only(project: Path) -> None:
    first = build(project)
    site = project / "site"
    old, old_manifest = contents(site), manifest(site)
    assert len(first.units_rebuilt) == 9 and not first.copied  # 3 builders × 3 courses, nothing to reuse

    edit(project / LESSON, "Kết quả có thể được báo qua thư điện tử hoặc tin nhắn.",
         "Kết quả được báo qua thư điện tử, tin nhắn hoặc ứng dụng VNeID.")
    ctx = build(project)
    assert sorted(ctx.units_rebuilt) == ["decks/m2-dvc", "exports/m2-dvc"]  # leaflets do not show lessons
    assert ctx.pages_rebuilt == [f"{LESSON_PAGE}.md"]
    new, new_manifest = contents(site), manifest(site)
    changed = sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p))
    assert changed == sorted([f"{LESSON_PAGE}.html", "search/search_index.json", "search/search_index.js",
                              OFFLINE_ZIP, "manifest.json"])
    assert "Kết quả được báo qua thư điện tử, tin nhắn hoặc ứng dụng VNeID." in new[f"{LESSON_PAGE}.html"].decode()

    # The other courses' leaflets, decks and exports were copied, as their unchanged manifest entries show.
    for course in ("mini-dvc", "m3-dvc"):
        paths = course_downloads(new_manifest, course)
        assert len(paths) == 10 and set(paths) <= ctx.copied
        for key in (f"decks/{course}", f"exports/{course}", f"leaflets/{course}"):
            assert new_manifest["units"][key] == old_manifest["units"][key]
    # The course's own deck was rebuilt from the new lesson file, to the same bytes (lesson bodies are not in it).
    deck = new_manifest["outputs"]["downloads/anki/m2-dvc.apkg"]
    lesson_hash = hashlib.sha256((project / LESSON).read_bytes()).hexdigest()
    assert deck["sources"][LESSON] == lesson_hash != old_manifest["outputs"]["downloads/anki/m2-dvc.apkg"]["sources"][LESSON]
    assert deck["sha256"] == old_manifest["outputs"]["downloads/anki/m2-dvc.apkg"]["sha256"]
    page = new_manifest["outputs"][f"{LESSON_PAGE}.html"]
    assert (page["builder"], page["course"], page["sources"][LESSON]) == ("site", "m2-dvc", lesson_hash)


def test_incremental_builds_give_the_bytes_of_a_clean_build(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build(project)
    # A question (the quiz is inserted after Markdown), a lesson body and a leaflet text.
    edit(project / "quizzes/m3-dvc.yml", "Không ai cả", "Không một ai")
    edit(project / LESSON, "## Thư điện tử và tin nhắn", "## Thư điện tử, tin nhắn và ứng dụng")
    edit(project / "courses/mini-dvc/course.yml", "Làm thủ tục ngay trên điện thoại", "Làm thủ tục trên điện thoại")
    ctx = build(project)
    # Decks and exports are made from whole course files: course.yml changed for mini-dvc too.
    assert sorted(ctx.units_rebuilt) == [f"{builder}/{course}" for builder in ("decks", "exports")
                                         for course in ("m2-dvc", "m3-dvc", "mini-dvc")] + ["leaflets/mini-dvc"]
    # Pages with a quiz depend on their course's question bank.
    assert ctx.pages_rebuilt == sorted([f"{LESSON_PAGE}.md", "khoa-hoc/m3-dvc/bai-hoc/01-dich-vu-cong-la-gi.md",
                                        "khoa-hoc/m3-dvc/bai-hoc/02-dang-nhap.md", "khoa-hoc/m3-dvc/kiem-tra-cuoi-khoa.md"])
    assert contents(site) == contents(build(project, tmp_path / "clean-1", clean=True).out_dir)

    # A lesson title is in every page's navigation: every page is rebuilt, still equal to a clean build.
    edit(project / LESSON, 'title: "Dịch vụ công trực tuyến là gì?"', 'title: "Dịch vụ công trực tuyến"')
    ctx = build(project)
    # home, catalogue; per course: course, 2 lessons, final check, citizen page
    assert len(ctx.pages_rebuilt) == 2 + 3 * 5
    assert contents(site) == contents(build(project, tmp_path / "clean-2", clean=True).out_dir)


def test_search_index_after_an_incremental_build_is_the_clean_one(project: Path, tmp_path: Path) -> None:
    build(project)
    edit(project / LESSON, "## Thư điện tử và tin nhắn", "## Thư báo kết quả")
    build(project)
    index = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    clean = build(project, tmp_path / "clean", clean=True).out_dir
    assert index == json.loads((clean / "search/search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert f"{LESSON_PAGE}.html#thu-bao-ket-qua" in locations
    assert f"{LESSON_PAGE}.html#thu-dien-tu-va-tin-nhan" not in locations
    assert "khoa-hoc/mini-dvc/bai-hoc/01-dich-vu-cong-la-gi.html#thu-dien-tu-va-tin-nhan" in locations
    entry = next(doc for doc in index["docs"] if doc["location"] == f"{LESSON_PAGE}.html#thu-bao-ket-qua")
    assert entry["title"] == "Thư báo kết quả"  # plain text, as prepared by searchindex.py


def test_deleting_a_course_removes_its_outputs(project: Path, tmp_path: Path) -> None:
    build(project)
    site = project / "site"
    assert any("m3-dvc" in p for p in contents(site))
    shutil.rmtree(project / "courses/m3-dvc")
    (project / "quizzes/m3-dvc.yml").unlink()
    ctx = build(project)
    assert ctx.units_rebuilt == []  # the other courses are reused
    files = contents(site)
    assert [p for p in files if "m3-dvc" in p] == []
    data = manifest(site)
    assert not [k for k in [*data["outputs"], *data["units"], *data["sources"]] if "m3-dvc" in k]
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "m3-dvc" not in index
    with zipfile.ZipFile(site / OFFLINE_ZIP) as archive:
        assert not [n for n in archive.namelist() if "m3-dvc" in n]
        assert archive.testzip() is None
    assert files == contents(build(project, tmp_path / "clean", clean=True).out_dir)


def test_a_reused_output_that_was_altered_is_rebuilt(project: Path) -> None:
    build(project)
    pdf = project / "site/downloads/leaflets/m3-dvc-to-roi-a5-ban-in.pdf"
    good = pdf.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF  # same size: only its hash tells
    pdf.write_bytes(bytes(damaged))
    edit(project / LESSON, "hoặc tin nhắn.", "hoặc tin nhắn điện thoại.")  # something to build
    ctx = build(project)
    assert "leaflets/m3-dvc" in ctx.units_rebuilt
    assert pdf.read_bytes() == good


def test_a_failed_incremental_build_keeps_the_site_and_names_every_course(project: Path) -> None:
    build(project)
    site = project / "site"
    before, data = identities(site), contents(site)
    word = "Đ" + "A" * 90  # fits the loader's limits, fits no leaflet column
    for course in ("m2-dvc", "m3-dvc"):
        edit(project / f"courses/{course}/course.yml", '    - "Đăng nhập bằng tài khoản VNeID."',
             f'    - "Đăng nhập bằng {word}."')
    with pytest.raises(CoursegenError) as failure:
        build(project)
    message = str(failure.value)
    assert message.count("tờ rơi không dàn trang được") == 1  # one heading for all courses
    assert 'khóa học "m2-dvc"' in message and 'khóa học "m3-dvc"' in message
    assert "courses/m2-dvc/course.yml" in message and "courses/m3-dvc/course.yml" in message
    assert identities(site) == before and contents(site) == data
    assert leftovers(project) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_one_progress_display_for_the_whole_build(project: Path, tmp_path: Path) -> None:
    log = io.StringIO()
    build_project(project, progress=Progress(stream=log))
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()  # not a terminal: step summaries only
    steps = [line for line in lines if line.startswith("[")]
    assert [s.split("]")[0] + "]" for s in steps] == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    assert "Bộ thẻ Anki: 3 khóa học dựng lại, 0 dùng lại" in steps[0]
    assert "17/17 trang dựng lại" in steps[3]

    terminal = Terminal()
    edit(project / LESSON, "hoặc tin nhắn.", "hoặc tin nhắn điện thoại.")
    build_project(project, tmp_path / "other", progress=Progress(stream=terminal))
    assert "\r\x1b[K" in terminal.getvalue()  # one line updated in place while units and pages are built


def test_the_manifest_is_stable_and_names_sources(project: Path, tmp_path: Path) -> None:
    build(project)
    text = (project / "site/manifest.json").read_text(encoding="utf-8")
    assert str(project) not in text and str(tmp_path) not in text  # no absolute paths, so releases compare
    data = json.loads(text)
    leaflet = data["outputs"]["downloads/leaflets/mini-dvc-to-gap-a4-ban-in.pdf"]
    assert (leaflet["builder"], leaflet["course"]) == ("leaflets", "mini-dvc")
    assert set(leaflet["sources"]) == {"courses/mini-dvc/course.yml", "coursegen.yml", "courses/mini-dvc/lessons/"}
    site_file = project / "site/downloads/leaflets/mini-dvc-to-gap-a4-ban-in.pdf"
    assert leaflet["sha256"] == hashlib.sha256(site_file.read_bytes()).hexdigest()
    assert leaflet["size"] == site_file.stat().st_size
    assert set(data["outputs"]) == {p.relative_to(project / "site").as_posix()
                                    for p in (project / "site").rglob("*") if p.is_file()} - {"manifest.json"}


def test_code_change_rebuilds_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project)
    monkeypatch.setattr("generator.build.orchestrate.code_digest", lambda: "newer-code")
    ctx = build(project)
    assert not ctx.unchanged and not ctx.copied
    assert len(ctx.units_rebuilt) == 9 and len(ctx.pages_rebuilt) == 17


def test_code_digest_follows_every_file_of_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build import incremental

    package = tmp_path / "generator"
    shutil.copytree(Path(incremental.__file__).parent.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(incremental, "_CODE", package)
    before = incremental.code_digest()
    assert incremental.code_digest() == before
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")  # not source: ignored
    assert incremental.code_digest() == before
    css = package / "builders" / "site" / "assets" / "coursegen" / "coursegen.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* đổi */\n", encoding="utf-8")
    assert incremental.code_digest() != before


def test_an_altered_search_index_is_not_merged(project: Path, tmp_path: Path) -> None:
    build(project)
    index = project / "site/search/search_index.json"
    index.write_text(index.read_text(encoding="utf-8").replace("Khái niệm", "Khai niem"), encoding="utf-8")
    edit(project / LESSON, "hoặc tin nhắn.", "hoặc tin nhắn điện thoại.")
    ctx = build(project)
    assert len(ctx.pages_rebuilt) == 17  # its entries cannot be trusted: every page is indexed again
    assert contents(project / "site") == contents(build(project, tmp_path / "clean", clean=True).out_dir)
