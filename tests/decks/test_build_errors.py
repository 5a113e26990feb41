"""What Anki would silently drop stops the build with a message naming the question."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.build.orchestrate import build_project
from generator.build.progress import Progress
from generator.builders.decks import DeckBuilder, prepare_course
from generator.builders.decks import notes as notes_module
from generator.diagnostics import SourceError
from generator.model import QuestionType
from generator.source.loader import load_corpus
from tests.conftest import run_coursegen


def course_with(mini_project: Path, question_id: str, **changes):
    course = load_corpus(mini_project).courses[0]
    questions = tuple(dataclasses.replace(q, **changes) if q.id == question_id else q for q in course.questions)
    return dataclasses.replace(course, questions=questions)


def messages(course) -> list[str]:
    _, problems = prepare_course(course)
    return [p.format() for p in problems]


def test_the_mini_bank_has_no_problems(mini_project: Path):
    assert messages(load_corpus(mini_project).courses[0]) == []


def test_cloze_without_blank_is_an_error(mini_project: Path):
    course = course_with(mini_project, "mini-c004", prompt="Người dân đăng nhập bằng tài khoản VNeID.")
    (message,) = messages(course)
    assert message.startswith("quizzes/mini-dvc.yml:38: questions[mini-c004].prompt:")
    assert "không có chỗ trống" in message and "Anki sẽ không tạo thẻ" in message


@pytest.mark.parametrize(("question_id", "changes", "field"), [
    ("mini-c001", {"explanation": "   "}, "Giải thích"),
    ("mini-c002", {"options": ("Không phải xếp hàng", " ", "Không cần hồ sơ", "Theo dõi được tình trạng hồ sơ")},
     "Phương án"),
    ("mini-c003", {"prompt": "\n"}, "Câu hỏi"),
])
def test_empty_or_blank_content_is_an_error(mini_project: Path, question_id: str, changes: dict, field: str):
    found = messages(course_with(mini_project, question_id, **changes))
    assert found, "an empty field must be reported"
    assert all(f"questions[{question_id}]" in m for m in found)
    assert any(f"“{field}”" in m for m in found)


def test_unescaped_user_html_is_an_error(mini_project: Path, monkeypatch: pytest.MonkeyPatch):
    course = course_with(mini_project, "mini-c001", prompt="Bấm <b>Gửi</b> rồi <script>alert(1)</script>")
    assert messages(course) == []  # escaped as it should be: shown literally on the card
    monkeypatch.setattr(notes_module, "html_text", lambda text: text)  # a renderer that forgets to escape
    found = messages(course)
    assert any("questions[mini-c001].prompt" in m and "HTML chưa được thoát" in m and "<b>" in m for m in found)


def test_builder_reports_every_problem_and_writes_nothing(mini_project: Path, tmp_path: Path):
    course = load_corpus(mini_project).courses[0]
    broken = tuple(
        dataclasses.replace(q, prompt="không có chỗ trống") if q.type is QuestionType.CLOZE
        else dataclasses.replace(q, explanation="") if q.id == "mini-c005" else q
        for q in course.questions
    )
    corpus = dataclasses.replace(load_corpus(mini_project), courses=(dataclasses.replace(course, questions=broken),))

    class Ctx:  # the part of BuildContext the builder uses
        def __init__(self):
            self.corpus, self.downloads, self.notes = corpus, tmp_path / "downloads", []

        def note(self, message):
            self.notes.append(message)

        def add_download(self, *args):
            raise AssertionError("nothing may be registered when the build fails")

    with pytest.raises(SourceError) as failure:
        DeckBuilder().run(Ctx())
    text = str(failure.value)
    assert "mini-c004" in text and "mini-c005" in text
    assert not (tmp_path / "downloads").exists()


def test_cli_keeps_the_previous_site_when_sources_are_wrong(mini_project: Path):
    ok = build_project(mini_project, progress=Progress(quiet=True), only=["decks"])
    package = ok.out_dir / "downloads" / "anki" / "mini-dvc.apkg"
    before = package.read_bytes()
    bank = mini_project / "quizzes" / "mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("{{VNeID|định danh điện tử}}", "VNeID"), encoding="utf-8")
    result = run_coursegen("-C", str(mini_project), "build")
    assert result.returncode == 1
    assert "mini-c004" in result.stderr or "mini-dvc.yml" in result.stderr
    assert package.read_bytes() == before
