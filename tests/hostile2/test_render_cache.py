"""A planted render cache cannot make unsafe lesson content pass (issue 27, point 6).

The rendered-HTML check of lessons is cached in the project's ``.coursegen-cache/lesson-render.json``,
which anyone handing over a project can plant. Its entries are keyed with an HMAC of this machine's
secret (generator/machinekey.py), so neither a cache keyed as coursegen's public code once did nor one
made on another machine is believed; the link split across a line is found on the rendered HTML.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.source import lessonsafety
from generator.source.loader import check_project
from generator.source.machinekey import keyed_digest
from tests.conftest import MINI
from tests.hostile2.limits import assert_user_error, coursegen

LESSON = "courses/mini-dvc/lessons/02-dang-nhap.md"
SPLIT_LINKS = {
    "newline": "[Bấm vào đây](java\nscript:alert(document.domain))",
    "image": "![sơ đồ](java\nscript:alert(1))",
}


def _bodies(project: Path, monkeypatch) -> list[str]:
    """The lesson bodies as the loader reads them (what a cache key is computed from)."""
    with monkeypatch.context() as patch:
        patch.setattr(lessonsafety, "render_problems", lambda body: [])
        corpus, _ = check_project(project)
    assert corpus is not None
    return [lesson.body for course in corpus.courses for lesson in course.lessons]


def _plant(project: Path, keys: list[str]) -> None:
    cache = project / ".coursegen-cache"
    cache.mkdir(exist_ok=True)
    (cache / "lesson-render.json").write_text(json.dumps({key: [] for key in keys}), encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SPLIT_LINKS))
def test_a_planted_cache_does_not_hide_a_link_split_across_lines(name, tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    lesson = project / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + SPLIT_LINKS[name] + "\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "attacker-config"))
    salt = lessonsafety.RenderCache(project).salt
    bodies = _bodies(project, monkeypatch)
    public = [hashlib.sha256(f"{salt}\n{b}".encode()).hexdigest() for b in bodies]  # the key before the fix
    other_machine = [keyed_digest(b"\0" * 32, f"{salt}\n{b}") for b in bodies]
    _plant(project, public + other_machine)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "teacher-config")}
    for command in ("check", "build"):
        result = coursegen(project, command, env=env, timeout=300)
        assert_user_error(result, "nội dung tạo ra HTML không được phép (địa chỉ", seconds=120)
        assert f"{LESSON}:" in result.stdout + result.stderr
        assert "script:alert(" in result.stdout + result.stderr
        assert not (project / "site").exists()


def test_the_diagnostic_of_a_split_link_stays_on_one_line(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    lesson = project / LESSON
    text = lesson.read_text(encoding="utf-8") + "\n"
    link_line = text.count("\n") + 1  # the link starts on the line after the lesson's last one
    lesson.write_text(text + SPLIT_LINKS["newline"] + "\n", encoding="utf-8")
    result = coursegen(project, "check", env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    lines = [line for line in result.stdout.splitlines() if "không được phép" in line]
    assert lines == [f'{LESSON}:{link_line}: (nội dung): nội dung tạo ra HTML không được phép (địa chỉ'
                     ' "java\\nscript:alert(document.domain)"); hãy dùng cú pháp Markdown'], result.stdout


def test_the_cache_still_saves_renders_with_the_machine_key(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    seen: list[str] = []
    real = lessonsafety.render_problems
    monkeypatch.setattr(lessonsafety, "render_problems", lambda body: seen.append(body) or real(body))
    check_project(project)
    check_project(project)
    assert len(seen) == 2  # two lessons, rendered once
    key = (tmp_path / "cfg" / "coursegen" / "cache-key")
    assert len(key.read_bytes()) == 32 and key.stat().st_mode & 0o077 == 0


def test_a_key_inside_the_project_is_never_used(tmp_path, monkeypatch):
    """XDG_CONFIG_HOME pointing into the project: a planted key would be readable, so nothing is cached."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".coursegen-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(project / ".config"))
    check_project(project)
    assert not (project / ".coursegen-cache" / "lesson-render.json").exists()
    assert not (project / ".config").exists()
