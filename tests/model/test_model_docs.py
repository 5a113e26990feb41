"""The examples of docs/soan-khoa-hoc.md are a valid course: a teacher who copies them gets no error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.source.loader import load_corpus
from tests.conftest import MINI, REPO, run_coursegen

DOC = REPO / "docs" / "soan-khoa-hoc.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)

FIRST_LESSON = """\
---
id: th10-b01
title: "Dịch vụ công trực tuyến là gì?"
objectives: [th10-mt01]
duration_minutes: 45
key_points:
  - "Dịch vụ công trực tuyến cho phép nộp hồ sơ qua mạng."
sources:
  - title: "Quyết định của Thủ tướng Chính phủ về phổ cập kỹ năng sử dụng dịch vụ công trực tuyến"
    number: "1588/QĐ-TTg"
    date: 2024-12-17
curriculum: {grade: 10, strand: "Đạo đức, pháp luật và văn hoá trong môi trường số", periods: 1}
---

## Dịch vụ công là gì?

Dịch vụ hành chính công được cung cấp cho người dân qua môi trường mạng.
"""


def blocks() -> list[tuple[str, str]]:
    return FENCE.findall(DOC.read_text(encoding="utf-8"))


def one(predicate) -> str:
    found = [body for lang, body in blocks() if predicate(lang, body)]
    assert len(found) == 1, found
    return found[0]


def test_doc_examples_form_a_course_that_passes_strict_check(tmp_path: Path):
    project = tmp_path / "du-an"
    course_dir = project / "courses" / "tin-hoc-10"
    (course_dir / "lessons").mkdir(parents=True)
    (course_dir / "media").mkdir()
    (project / "quizzes").mkdir()
    shutil.copy2(MINI / "courses/mini-dvc/media/so-do.png", course_dir / "media/dang-nhap-vneid.png")

    (project / "coursegen.yml").write_text(one(lambda lang, b: b.startswith("site_name:")), encoding="utf-8")
    (course_dir / "course.yml").write_text(one(lambda lang, b: b.startswith("id: tin-hoc-10")), encoding="utf-8")
    (course_dir / "lessons/01-gioi-thieu.md").write_text(FIRST_LESSON, encoding="utf-8")
    lesson = one(lambda lang, b: lang == "markdown" and b.startswith("---\nid: th10-b02"))
    (course_dir / "lessons/02-dang-nhap.md").write_text(lesson, encoding="utf-8")

    quiz = one(lambda lang, b: b.startswith("course: tin-hoc-10"))
    fragments = [b for lang, b in blocks() if b.startswith("    type: ")]
    assert [f.split("\n")[0] for f in fragments] == ["    type: multiple", "    type: cloze", "    type: ordering"]
    for number, fragment in enumerate(fragments, start=2):
        prompt = "" if "prompt:" in fragment else '    prompt: "Những lợi ích nào của dịch vụ công trực tuyến?"\n'
        quiz += (f"  - id: th10-c00{number}\n    lesson: th10-b02\n    objectives: [th10-mt02]\n"
                 f'    difficulty: medium\n    explanation: "Giải thích."\n{prompt}{fragment}')
    (project / "quizzes/tin-hoc-10.yml").write_text(quiz, encoding="utf-8")

    result = run_coursegen("-C", str(project), "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    course = load_corpus(project).course("tin-hoc-10")
    assert [q.type.value for q in course.questions] == ["single", "multiple", "cloze", "ordering"]


def test_doc_names_every_question_type_and_audience():
    text = DOC.read_text(encoding="utf-8")
    for word in ("single", "multiple", "true_false", "cloze", "ordering", "students", "staff", "community-team",
                 "coursegen new", "coursegen check --strict", "coursegen build"):
        assert f"`{word}" in text, word
