"""The built decks, imported with the official Anki library into a fresh collection, say what the bank says."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from generator.model import Question, QuestionType, split_cloze
from generator.source.loader import load_corpus
from tests.decks.conftest import build_decks, import_package, visible_text


def expected_cards(question: Question) -> int:
    return len(question.blanks) if question.type is QuestionType.CLOZE else 1


def cards_by_question(col: Collection) -> dict[str, list]:
    result: dict[str, list] = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        result.setdefault(card.note()["Mã câu hỏi"], []).append(card)
    for cards in result.values():
        cards.sort(key=lambda card: card.ord)
    return result


def test_import_counts_text_decks_tags_and_media(mini_project: Path, tmp_path: Path, fresh_collection: Collection):
    course = load_corpus(mini_project).courses[0]
    ctx = build_decks(mini_project, tmp_path / "site")
    package = tmp_path / "site" / "downloads" / "anki" / f"{course.id}.apkg"
    assert [(d.course_id, d.kind, d.label, d.path) for d in ctx.downloads_made] == [
        (course.id, "deck", "Bộ thẻ Anki", f"downloads/anki/{course.id}.apkg")
    ]

    col = fresh_collection
    log = import_package(col, package)
    assert len(log.new) == len(course.questions) == 6
    assert not log.updated and not log.duplicate and not log.conflicting and not log.missing_notetype
    assert col.note_count() == len(course.questions)
    assert col.card_count() == sum(expected_cards(q) for q in course.questions)

    cards = cards_by_question(col)
    assert set(cards) == {q.id for q in course.questions}
    for question in course.questions:
        lesson = course.lesson(question.lesson_id)
        deck = f"{course.title}::Bài {lesson.number:02d}. {lesson.title}"
        assert len(cards[question.id]) == expected_cards(question)
        for card in cards[question.id]:
            assert col.decks.name(card.did) == deck
            front, back = visible_text(card.question()), visible_text(card.answer())
            assert front and back
            assert "Giải thích" not in front and question.explanation not in front
            assert "Giải thích" in back and question.explanation in back
            assert lesson.title in front
            note = card.note()
            assert {f"khoa-hoc::{course.id}", f"bai-hoc::{course.id}::{lesson.id}", "doi-tuong::hoc-sinh",
                    *(f"muc-tieu::{course.id}::{o}" for o in question.objectives)} <= set(note.tags)
            assert all(" " not in tag for tag in note.tags)
            if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
                assert question.type.label in front  # "Chọn một đáp án" / "Chọn nhiều đáp án"
                assert question.prompt in front
                assert all(option in front for option in question.options)
                answer_part = back.split("Đáp án", 1)[1]
                for index in range(len(question.options)):
                    shown = f"{'ABCDEFGH'[index]}. {question.options[index]}"
                    assert (shown in answer_part) == (index in question.correct), shown
            elif question.type is QuestionType.TRUE_FALSE:
                assert "Đúng hay sai?" in front and question.prompt in front
                verdict = "Đúng" if question.answer_true else "Sai"
                assert back.split("Đáp án", 1)[1].split()[0] == verdict
            elif question.type is QuestionType.CLOZE:
                blank = question.blanks[card.ord]
                literal = [p for p in split_cloze(question.prompt) if isinstance(p, str)]
                assert all(part.strip() in front for part in literal)
                assert "[...]" in front and blank.answer not in front
                assert blank.answer in back
                assert all(alternative in back for alternative in blank.answers[1:])
            else:
                assert question.prompt in front and all(step in front for step in question.steps)
                order_part = back.split("Thứ tự đúng", 1)[1]
                positions = [order_part.index(f"{n}. {step}") for n, step in enumerate(question.steps, 1)]
                assert positions == sorted(positions)

    assert not col.get_empty_cards().notes

    with_image = [q for q in course.questions if q.image is not None]
    assert with_image
    media_dir = Path(col.media.dir())
    for question in with_image:
        (card,) = cards[question.id]
        names = col.media.files_in_str(card.note().mid, card.note()["Hình"])
        assert len(names) == 1 and names[0].startswith(question.id)
        assert (media_dir / names[0]).read_bytes() == question.image.read_bytes()
        assert f'alt="{question.image_alt}"' in card.question()
    check = col.media.check()
    assert not check.missing and not check.unused


def test_fixed_order_question_is_marked_and_others_are_not(mini_project: Path, tmp_path: Path,
                                                            fresh_collection: Collection):
    build_decks(mini_project, tmp_path / "site")
    import_package(fresh_collection, tmp_path / "site" / "downloads" / "anki" / "mini-dvc.apkg")
    cards = cards_by_question(fresh_collection)
    fixed = cards["mini-c006"][0].question()
    shuffled = cards["mini-c001"][0].question()
    assert 'data-fixed="có"' in fixed and 'data-fixed=""' in shuffled


def test_user_html_is_shown_literally_not_interpreted(mini_project: Path, tmp_path: Path,
                                                      fresh_collection: Collection):
    bank = mini_project / "quizzes" / "mini-dvc.yml"
    text = bank.read_text(encoding="utf-8")
    tricky = "Nhập <mã OTP> rồi bấm <b>Gửi</b> & chờ"
    bank.write_text(text.replace('"Dịch vụ công trực tuyến là gì?"', f'"{tricky}"'), encoding="utf-8")
    build_decks(mini_project, tmp_path / "site")
    import_package(fresh_collection, tmp_path / "site" / "downloads" / "anki" / "mini-dvc.apkg")
    (card,) = cards_by_question(fresh_collection)["mini-c001"]
    assert tricky in visible_text(card.question())
    assert "<b>Gửi</b>" not in card.question() and "&lt;b&gt;Gửi&lt;/b&gt;" in card.question()


def test_double_colon_in_titles_does_not_add_deck_levels(mini_project: Path, tmp_path: Path,
                                                          fresh_collection: Collection):
    course_yml = mini_project / "courses" / "mini-dvc" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace(
        'title: "Làm quen dịch vụ công trực tuyến"', 'title: "DVC::Làm quen"'), encoding="utf-8")
    build_decks(mini_project, tmp_path / "site")
    import_package(fresh_collection, tmp_path / "site" / "downloads" / "anki" / "mini-dvc.apkg")
    names = {fresh_collection.decks.name(fresh_collection.get_card(c).did) for c in fresh_collection.find_cards("")}
    assert names == {"DVC: :Làm quen::Bài 01. Dịch vụ công trực tuyến là gì?",
                     "DVC: :Làm quen::Bài 02. Đăng nhập Cổng Dịch vụ công quốc gia"}
