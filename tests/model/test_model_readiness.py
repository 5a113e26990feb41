"""The three answer-cue figures and their limits, on banks built in memory (exact boundaries, ties, floors)."""

from __future__ import annotations

import unicodedata

from generator.model import Difficulty, Question, QuestionType
from generator.source.lessonsources import DOCUMENT_NUMBER, url_problem
from generator.source.readiness import all_but_one, cue_messages, longest_key, true_answers


def single(qid: str, options: list[str], key: int = 0) -> Question:
    return Question(id=qid, course_id="k", lesson_id="b", objectives=("m",), type=QuestionType.SINGLE,
                    difficulty=Difficulty.EASY, prompt="?", explanation="!", options=tuple(options), correct=(key,))


def multiple(qid: str, correct: int, options: int = 4) -> Question:
    return Question(id=qid, course_id="k", lesson_id="b", objectives=("m",), type=QuestionType.MULTIPLE,
                    difficulty=Difficulty.EASY, prompt="?", explanation="!",
                    options=tuple(f"p{i}" for i in range(options)), correct=tuple(range(correct)))


def tf(qid: str, value: bool) -> Question:
    return Question(id=qid, course_id="k", lesson_id="b", objectives=("m",), type=QuestionType.TRUE_FALSE,
                    difficulty=Difficulty.EASY, prompt="?", explanation="!", answer_true=value)


def test_strictly_longest_key_counts_and_a_tie_does_not() -> None:
    bank = [single("a", ["dài nhất", "ngắn"]), single("b", ["bằng", "nhau"]), single("c", ["x", "dài hơn"])]
    share = longest_key(bank)
    assert share.hits == ("a",) and share.total == 3


def test_length_is_counted_on_nfc_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt")  # 13 code points, 10 in NFC
    assert len(decomposed) > len("Tieng Viet!")
    assert longest_key([single("a", [decomposed, "Tieng Viet!"])]).hits == ()


def test_single_choice_limit_is_35_percent() -> None:
    at_limit = [single(f"l{i}", ["dài nhất đây", "x"]) for i in range(7)] + [
        single(f"s{i}", ["x", "dài nhất đây"]) for i in range(13)]
    assert longest_key(at_limit).value == 0.35 and cue_messages(at_limit) == []
    over = at_limit + [single("l7", ["dài nhất đây", "x"])]
    (message,) = cue_messages(over)
    assert message.startswith("dấu hiệu đoán đáp án: 8/21 câu chọn một đáp án (38,1%)")
    assert message.endswith("vượt mức 35%: l0, l1, l2, l3, l4 và 3 câu khác")


def test_multiple_answer_limit_is_50_percent() -> None:
    bank = [multiple("a", 3), multiple("b", 3), multiple("c", 3), multiple("d", 2), multiple("e", 1), multiple("f", 2)]
    assert all_but_one(bank).hits == ("a", "b", "c") and cue_messages(bank) == []
    (message,) = cue_messages([*bank, multiple("g", 4, options=5)])
    assert "4/7 câu chọn nhiều đáp án (57,1%)" in message and message.endswith("a, b, c, g")


def test_true_false_share_must_stay_within_35_to_65_percent() -> None:
    balanced = [tf(f"t{i}", i < 13) for i in range(20)]  # 65% true
    assert true_answers(balanced).value == 0.65 and cue_messages(balanced) == []
    low = [tf(f"t{i}", i < 6) for i in range(20)]  # 30% true: the false ones are listed
    (message,) = cue_messages(low)
    assert "6/20 câu đúng/sai (30%) có đáp án Đúng, ngoài khoảng 35%–65%" in message
    assert message.endswith("các câu có đáp án Sai: t6, t7, t8, t9, t10 và 9 câu khác")


def test_below_five_questions_of_a_type_the_share_is_not_judged() -> None:
    four = [tf(f"t{i}", True) for i in range(4)] + [multiple(f"m{i}", 3) for i in range(4)]
    assert cue_messages(four) == []
    assert len(cue_messages([*four, tf("t4", True), multiple("m4", 3)])) == 2


def test_document_numbers() -> None:
    for good in ("118/2025/NĐ-CP", "91/2025/QH15", "1588/QĐ-TTg", "01/2025/TT-BCA", "63/2024/NĐ-CP", "06/QĐ-TTg"):
        assert DOCUMENT_NUMBER.match(good), good
    for bad in ("118-2025-NĐ-CP", "NĐ-CP", "118/2025/", "118/2025/nđ-cp", "118/25/NĐ-CP", "118/2025/NĐ CP", "abc/QĐ-TTg"):
        assert not DOCUMENT_NUMBER.match(bad), bad


def test_source_addresses() -> None:
    assert url_problem("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html") is None
    assert url_problem("https://vbpl.vn/") is None
    for bad in ("http://dichvucong.gov.vn/", "ftp://x.vn/", "https://", "https://example.com/a", "https://a.example/",
                "https://hoc.example.gov.vn/", "https://may.test/", "https://localhost/", "javascript:alert(1)"):
        assert url_problem(bad), bad


def test_cue_report_prints_the_figures_of_each_bank() -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import MINI, REPO

    script = REPO / "scripts" / "cue_report.py"
    result = subprocess.run([sys.executable, str(script), str(MINI), "--json"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    (mini,) = json.loads(result.stdout)
    assert mini["by_type"] == {"single": 2, "multiple": 1, "true_false": 1, "cloze": 1, "ordering": 1}
    assert mini["final_pool"] == 0 and mini["practice"] == 6
    assert mini["longest_key"] | {"ids": None} == {"hits": 1, "total": 2, "share": 0.5, "passes": False,
                                                    "judged": False, "ids": None}
    assert mini["longest_key"]["ids"] == ["mini-c001"]
    assert mini["all_but_one"]["ids"] == ["mini-c002"] and mini["true_share"]["hits"] == 0
    assert [(lesson["sources"], lesson["figures"], lesson["practice"]) for lesson in mini["lesson_figures"]] == [
        (1, 1, 3), (1, 0, 3)]
    text = subprocess.run([sys.executable, str(script), str(MINI)], capture_output=True, text=True, timeout=120)
    assert "chọn một, đáp án đúng dài nhất: 1/2 = 50% (mức ≤ 35%: không xét: dưới 5 câu)" in text.stdout
