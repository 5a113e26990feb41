"""The model that builders read: what the valid mini project loads into, and how load_corpus refuses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.diagnostics import SourceError
from generator.model import Audience, ClozeBlank, Difficulty, QuestionType, split_cloze
from generator.source.loader import check_project, load_corpus


def test_mini_project_model(mini_project: Path):
    corpus = load_corpus(mini_project)
    assert corpus.root == mini_project.resolve()
    assert corpus.settings.site_url == "https://hoc-dvc.example.gov.vn/"
    assert corpus.settings.course_url("mini-dvc") == "https://hoc-dvc.example.gov.vn/khoa-hoc/mini-dvc/"
    (course,) = corpus.courses
    assert course.id == "mini-dvc"
    assert course.audience is Audience.STUDENTS
    assert course.release_date == date(2026, 9, 1)
    assert [o.id for o in course.objectives] == ["mini-mt01", "mini-mt02"]
    assert str(course.objectives[1].source) == "courses/mini-dvc/course.yml:10"
    assert course.completion.required_lessons == ("mini-b01", "mini-b02")  # "all" expanded in order
    assert course.completion.pass_mark == 70
    assert len(course.leaflet.steps) == 4 and len(course.leaflet.help) == 2 and course.leaflet.qr_page == ""
    assert course.quiz_source == "quizzes/mini-dvc.yml"

    assert [(lesson.number, lesson.id, lesson.slug) for lesson in course.lessons] == [
        (1, "mini-b01", "01-dich-vu-cong-la-gi"), (2, "mini-b02", "02-dang-nhap")]
    first = course.lessons[0]
    assert first.body_line == 10 and first.body.startswith("\n## Khái niệm")
    assert str(first.source) == "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md:2"
    assert first.path == mini_project.resolve() / "courses/mini-dvc/lessons/01-dich-vu-cong-la-gi.md"

    questions = {q.id: q for q in course.questions}
    assert {q.type for q in course.questions} == set(QuestionType)
    single = questions["mini-c001"]
    assert single.correct == (0,) and single.correct_options == ("Dịch vụ hành chính công cung cấp qua môi trường mạng",)
    assert questions["mini-c002"].correct == (0, 1, 3)
    tf = questions["mini-c003"]
    assert tf.answer_true is False and tf.options == ()
    assert tf.image == course.media_dir / "so-do.png" and tf.image.is_file()
    assert tf.image_alt == "Sơ đồ các bước nộp hồ sơ trực tuyến"
    cloze = questions["mini-c004"]
    assert cloze.blanks == [ClozeBlank(("VNeID", "định danh điện tử"))] and cloze.blanks[0].answer == "VNeID"
    assert str(cloze.source) == "quizzes/mini-dvc.yml:38"
    assert questions["mini-c005"].steps[0] == "Mở trình duyệt và vào dichvucong.gov.vn"
    assert questions["mini-c005"].difficulty is Difficulty.HARD
    assert questions["mini-c006"].fixed_order is True and questions["mini-c001"].fixed_order is False
    # Questions are ordered by lesson, then by position in the bank.
    assert [q.lesson_id for q in course.questions] == ["mini-b01"] * 3 + ["mini-b02"] * 3
    assert course.questions_for("mini-b02") == tuple(q for q in course.questions if q.lesson_id == "mini-b02")


def test_split_cloze_keeps_text_and_alternatives():
    parts = split_cloze("Mức {{2| hai }} và {{VNeID}}.")
    assert parts == ["Mức ", ClozeBlank(("2", "hai")), " và ", ClozeBlank(("VNeID",)), "."]


def test_lesson_source_line_is_its_id_line(mini_project: Path):
    """Comments before the id must not shift the line that messages about the lesson point to."""
    lesson = mini_project / "courses/mini-dvc/lessons/02-dang-nhap.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("---\nid: mini-b02", "---\n# ghi chú\n# ghi chú nữa\nid: mini-b01", 1), encoding="utf-8")
    _, diags = check_project(mini_project)
    duplicate = [d for d in diags.errors if "bị trùng" in d.message]
    assert [(d.path, d.line, d.field) for d in duplicate] == [("courses/mini-dvc/lessons/02-dang-nhap.md", 4, "id")]


def test_load_corpus_raises_with_every_error(mini_project: Path):
    course = mini_project / "courses/mini-dvc/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("audience: students", "audience: x"), encoding="utf-8")
    bank = mini_project / "quizzes/mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("type: cloze", "type: y"), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_corpus(mini_project)
    assert [d.format().split(": ")[0:2] for d in raised.value.diagnostics] == [
        ["courses/mini-dvc/course.yml:3", "audience"], ["quizzes/mini-dvc.yml:41", "questions[mini-c004].type"]]


def test_strict_load_refuses_warnings_only(mini_project: Path):
    bank = mini_project / "quizzes/mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("lesson: mini-b02", "lesson: mini-b01"), encoding="utf-8")
    assert load_corpus(mini_project).courses  # warnings do not stop a normal build
    with pytest.raises(SourceError) as raised:
        load_corpus(mini_project, strict=True)
    assert [d.severity for d in raised.value.diagnostics] == ["warning"]
