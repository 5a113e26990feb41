#!/usr/bin/env python3
"""Per question bank: the three answer-cue figures, questions by type, the final pool; per lesson: sources,
figures, practice questions and the curriculum place. The figures an issue note or a reviewer asks for.

Usage: .venv/bin/python scripts/cue_report.py [PROJECT] [--json]
The cue figures are the ones ``coursegen check`` judges (generator/readiness.py), computed the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.model import Course, QuestionPool, QuestionType  # noqa: E402
from generator.source.lessonbody import scan_body  # noqa: E402
from generator.source.loader import check_project  # noqa: E402
from generator.source.readiness import (  # noqa: E402
    ALL_BUT_ONE_MAX,
    CUE_MIN_QUESTIONS,
    LONGEST_KEY_MAX,
    TRUE_SHARE,
    Share,
    all_but_one,
    longest_key,
    percent,
    true_answers,
)


def share_dict(share: Share, passes: bool) -> dict:
    return {"hits": len(share.hits), "total": share.total, "share": round(share.value, 4), "passes": passes,
            "judged": share.total >= CUE_MIN_QUESTIONS, "ids": list(share.hits)}


def course_figures(course: Course) -> dict:
    questions = course.questions
    longest, abo, true = longest_key(questions), all_but_one(questions), true_answers(questions)
    low, high = TRUE_SHARE
    lessons = []
    for lesson in course.lessons:
        lessons.append({
            "id": lesson.id,
            "title": lesson.title,
            "sources": len(lesson.sources),
            "figures": sum(1 for link in scan_body(lesson.body).links if link.is_image),
            "practice": len(course.practice_for(lesson.id)),
            "final": sum(1 for q in course.questions_for(lesson.id) if q.pool is QuestionPool.FINAL),
            "curriculum": (None if lesson.curriculum is None else
                           {"grade": lesson.curriculum.grade, "strand": lesson.curriculum.strand,
                            "periods": lesson.curriculum.periods}),
        })
    tested = {oid for q in course.final_pool for oid in q.objectives}
    return {
        "course": course.id,
        "bank": course.quiz_source,
        "lessons": len(course.lessons),
        "questions": len(questions),
        "by_type": {t.value: sum(1 for q in questions if q.type is t) for t in QuestionType},
        "final_pool": len(course.final_pool),
        "practice": len(questions) - len(course.final_pool),
        "objectives_without_final": [o.id for o in course.objectives if o.id not in tested],
        "longest_key": share_dict(longest, longest.value <= LONGEST_KEY_MAX),
        "all_but_one": share_dict(abo, abo.value <= ALL_BUT_ONE_MAX),
        "true_share": share_dict(true, low <= true.value <= high),
        "lesson_figures": lessons,
    }


def verdict(figure: dict) -> str:
    if not figure["judged"]:
        return f"không xét: dưới {CUE_MIN_QUESTIONS} câu"
    return "đạt" if figure["passes"] else "VƯỢT MỨC"


def text_report(figures: list[dict]) -> str:
    low, high = TRUE_SHARE
    out = []
    for f in figures:
        types = Counter(f["by_type"])
        out.append(f"== {f['course']} ({f['bank']}): {f['lessons']} bài, {f['questions']} câu hỏi")
        out.append("   theo loại: " + ", ".join(f"{t.value} {types[t.value]}" for t in QuestionType))
        out.append(f"   nhóm kiểm tra cuối khóa (pool: final): {f['final_pool']} câu; luyện tập: {f['practice']} câu"
                   + (f"; mục tiêu chưa có câu cuối khóa: {', '.join(f['objectives_without_final'])}"
                      if f["final_pool"] and f["objectives_without_final"] else ""))
        for key, label, limit in (
            ("longest_key", "chọn một, đáp án đúng dài nhất", f"≤ {percent(LONGEST_KEY_MAX)}"),
            ("all_but_one", "chọn nhiều, đúng hết trừ một", f"≤ {percent(ALL_BUT_ONE_MAX)}"),
            ("true_share", "đúng/sai, đáp án Đúng", f"{percent(low)}–{percent(high)}"),
        ):
            g = f[key]
            out.append(f"   {label}: {g['hits']}/{g['total']} = {percent(g['share'])} (mức {limit}: {verdict(g)})")
        out.append("   bài học: căn cứ / hình / câu luyện tập / câu cuối khóa / chương trình")
        for lesson in f["lesson_figures"]:
            place = lesson["curriculum"]
            where = f"lớp {place['grade']}, {place['periods']} tiết" if place else "-"
            out.append(f"     {lesson['id']}: {lesson['sources']} / {lesson['figures']} / {lesson['practice']} /"
                       f" {lesson['final']} / {where}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Số liệu dấu hiệu đoán đáp án và nhóm câu hỏi của từng ngân hàng.")
    parser.add_argument("project", nargs="?", default=".", help="thư mục dự án (mặc định: thư mục hiện tại)")
    parser.add_argument("--json", action="store_true", help="in dạng JSON")
    args = parser.parse_args(argv)
    corpus, diags = check_project(Path(args.project))
    if corpus is None:
        for diagnostic in diags.sorted():
            if diagnostic.severity == "error":
                print(diagnostic.format(), file=sys.stderr)
        print("Học liệu còn lỗi; sửa xong (coursegen check) rồi chạy lại.", file=sys.stderr)
        return 1
    figures = [course_figures(course) for course in corpus.courses]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(text_report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
