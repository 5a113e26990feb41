"""Question banks: reading ``quizzes/<course-id>.yml`` into the courses' questions.

Part of ``ProjectLoader`` (``loader.py``), which mixes this in: the methods use its helpers
(``rel``, ``read_yaml``, ``inside``, ``remember``, ``diags``) and the lessons' media check (``check_media``).
"""

from __future__ import annotations

from pathlib import Path

from ..model import (
    Difficulty,
    Question,
    QuestionPool,
    QuestionType,
    SourceRef,
    split_cloze,
)
from ..render.shortanswer import answer_problems, gift_text_problem, shown
from .drafts import _CourseDraft
from .fields import FieldReader

QUESTION_KEYS = {
    "id", "lesson", "objectives", "type", "difficulty", "prompt", "options", "answer", "steps",
    "explanation", "fixed_order", "image", "image_alt", "pool",
}


class QuestionReader:
    # -- question banks ----------------------------------------------------------------------
    def load_bank(self, path: Path, drafts: dict[str, _CourseDraft]) -> None:
        rel = self.rel(path)
        data = self.read_yaml(path, within=path.parent)
        if data is None:
            for draft in drafts.values():
                if draft.fields.get("id") == path.stem:
                    draft.ok, draft.partial = False, True
                    draft.quiz_source = rel
            return
        r = FieldReader(data, rel, self.diags)
        r.check_keys({"course", "questions"})
        course_id = r.identifier("course")
        draft = drafts.get(path.stem)
        if course_id is not None and course_id != path.stem:
            r.error("course", f'mã khóa học "{course_id}" phải trùng tên tệp "{path.stem}.yml"')
        if draft is None:
            self.diags.error(rel, 1, "course", f'không có khóa học "{path.stem}" trong courses/')
            return
        draft.quiz_source = rel
        draft.questions_line = r.line_of("questions")
        items = r.raw_list("questions")
        if items is None:
            draft.ok, draft.partial = False, True
            return
        for index, item in enumerate(items):
            q = FieldReader(item, rel, self.diags, f"questions[{index + 1}]", r.item_line("questions", index))
            question = self._question(q, path.stem, draft.fields["root"])
            if question is None:
                draft.ok, draft.partial = False, True
            else:
                draft.questions.append(question)

    def _question(self, q: FieldReader, course_id: str, folder: Path) -> Question | None:
        if not q.ok_mapping:
            return None
        start = len(self.diags.errors)
        q.check_keys(QUESTION_KEYS)
        qid = q.identifier("id")
        if qid:
            q.prefix = f"questions[{qid}]"
        lesson = q.identifier("lesson")
        objectives = q.text_list("objectives", min_items=1, ids=True)
        qtype = q.choice("type", QuestionType)
        difficulty = q.choice("difficulty", Difficulty)
        prompt = q.text("prompt", max_len=2000)
        explanation = q.text("explanation", max_len=2000)
        fixed_order = q.boolean("fixed_order", required=False, default=False)
        pool = q.choice("pool", QuestionPool) if q.has("pool") else QuestionPool.PRACTICE
        extra: dict = {}
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            options = q.text_list("options", min_items=2, max_items=8, max_len=500)
            if options is not None:
                seen: set[str] = set()
                for index, option in enumerate(options):
                    if option in seen:
                        self.diags.error(q.path, q.item_line("options", index), q.field(f"options[{index + 1}]"),
                                         f'phương án "{option}" bị lặp lại')
                    seen.add(option)
                extra["options"] = options
                extra["correct"] = self._answers(q, qtype, options)
            for key in ("steps",):
                if q.has(key):
                    q.warning(key, f"loại câu hỏi {qtype.value} không dùng trường này")
        elif qtype is QuestionType.TRUE_FALSE:
            extra["answer_true"] = q.boolean("answer")
            for key in ("options", "steps"):
                if q.has(key):
                    q.warning(key, "câu hỏi đúng/sai không dùng trường này")
        elif qtype is QuestionType.CLOZE:
            if prompt is not None:
                blanks = [p for p in split_cloze(prompt) if not isinstance(p, str)]
                if not blanks:
                    q.error("prompt", "câu điền khuyết cần ít nhất một chỗ trống dạng {{đáp án}}")
                elif any(not blank.answers for blank in blanks):
                    q.error("prompt", "chỗ trống {{}} không có đáp án")
                else:
                    self.check_cloze_answers(q, blanks)
            for key in ("options", "answer", "steps"):
                if q.has(key):
                    q.warning(key, "câu điền khuyết ghi đáp án trong {{...}} của đề bài; trường này bị bỏ qua")
        elif qtype is QuestionType.ORDERING:
            steps = q.text_list("steps", max_len=500)
            if steps is not None:
                if len(steps) < 2:
                    q.error("steps", f"câu sắp xếp cần ít nhất 2 bước, hiện có {len(steps)}")
                elif len(set(steps)) != len(steps):
                    q.error("steps", "các bước phải khác nhau")
                for index, step in enumerate(steps):
                    if problem := gift_text_problem(step):
                        self.diags.error(q.path, q.item_line("steps", index), q.field(f"steps[{index + 1}]"),
                                         f"bước “{step}” {problem} (tệp GIFT không ghi đúng được)")
                extra["steps"] = steps
            for key in ("options", "answer"):
                if q.has(key):
                    q.warning(key, "câu sắp xếp dùng trường steps (theo đúng thứ tự); trường này bị bỏ qua")
        if prompt is not None and qtype not in (None, QuestionType.CLOZE) and ("{{" in prompt or "}}" in prompt):
            q.error("prompt", "dấu {{ }} chỉ dùng cho câu điền khuyết (type: cloze)")
        image_alt = q.text("image_alt", required=False) or ""
        image = None
        if q.has("image"):
            relative = q.text("image")
            if relative is not None:
                image = self.check_media(folder, relative, folder, q.path, q.line_of("image"), q.field("image"))
                if not image_alt:
                    q.error("image_alt", "hình của câu hỏi cần mô tả thay thế (image_alt)")
        if len(self.diags.errors) > start:
            return None
        source = SourceRef(q.path, q.line)
        self.remember(source, "id", q.line_of("id"))
        self.remember(source, "lesson", q.line_of("lesson"))
        for index, oid in enumerate(objectives):
            self.remember(source, f"objectives:{oid}", q.item_line("objectives", index))
        return Question(
            id=qid, course_id=course_id, lesson_id=lesson, objectives=objectives, type=qtype,
            difficulty=difficulty, prompt=prompt, explanation=explanation, fixed_order=bool(fixed_order),
            image=image, image_alt=image_alt, source=source, pool=pool, **extra,
        )

    def check_cloze_answers(self, q: FieldReader, blanks: list) -> None:
        """Refuse an accepted answer that Moodle would store or grade differently (GIFT only for one blank)."""
        for number, blank in enumerate(blanks, start=1):
            for answer in blank.answers:
                for problem in answer_problems(answer, gift=len(blanks) == 1):
                    q.error("prompt", f"chỗ trống thứ {number}: đáp án “{shown(answer)}” {problem}")

    def _answers(self, q: FieldReader, qtype: QuestionType, options: tuple[str, ...]) -> tuple[int, ...]:
        value = q.data.get("answer")
        if "answer" not in q.data:
            q.error("answer", "thiếu trường bắt buộc")
            return ()
        if qtype is QuestionType.SINGLE:
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                q.error("answer", "câu chọn một đáp án cần answer là nội dung của một phương án")
                return ()
            answers = [str(value).strip()]
        else:
            if not isinstance(value, list) or not value:
                q.error("answer", "câu chọn nhiều đáp án cần answer là danh sách các phương án đúng")
                return ()
            answers = [str(v).strip() for v in value]
        indices = []
        for answer in answers:
            if answer not in options:
                q.error("answer", f'đáp án "{answer}" không có trong danh sách phương án (options)')
            else:
                indices.append(options.index(answer))
        if len(set(indices)) != len(indices):
            q.error("answer", "một đáp án được ghi hai lần")
        return tuple(sorted(set(indices)))

