"""How long do the Anki decks and the question-bank exports take for a large corpus?

Builds an in-memory corpus (default 100 courses × 500 questions, every question type, one question in
twenty with an image) and runs the real deck and export builders into a temporary directory, timing each.

    .venv/bin/python bench/bench_decks.py [--courses 100] [--questions 500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build.progress import Progress  # noqa: E402
from generator.builders.contract import BuildContext  # noqa: E402
from generator.builders.decks import DeckBuilder  # noqa: E402
from generator.builders.exports import ExportBuilder  # noqa: E402
from generator.model import (  # noqa: E402
    Audience,
    CompletionRule,
    Corpus,
    Course,
    Difficulty,
    LeafletContent,
    Lesson,
    Objective,
    Question,
    QuestionType,
    Settings,
    SourceRef,
)

IMAGE = REPO / "tests" / "data" / "mini" / "courses" / "mini-dvc" / "media" / "so-do.png"
LESSONS = 10
TYPES = list(QuestionType)


def make_question(course_id: str, lesson_id: str, objective: str, number: int) -> Question:
    qid = f"{course_id}-c{number:04d}"
    qtype = TYPES[number % len(TYPES)]
    common = dict(
        id=qid, course_id=course_id, lesson_id=lesson_id, objectives=(objective,), type=qtype,
        difficulty=list(Difficulty)[number % 3], explanation=f"Giải thích cho câu {number}: nộp hồ sơ trực tuyến.",
        source=SourceRef(f"quizzes/{course_id}.yml", 3 + number * 12),
        image=IMAGE if number % 20 == 0 else None, image_alt="Sơ đồ các bước" if number % 20 == 0 else "",
    )
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        options = tuple(f"Phương án {letter} của câu {number} về dịch vụ công" for letter in "ABCD")
        correct = (1,) if qtype is QuestionType.SINGLE else (0, 2)
        return Question(prompt=f"Câu {number}: đâu là cách nộp hồ sơ đúng?", options=options, correct=correct,
                        fixed_order=number % 7 == 0, **common)
    if qtype is QuestionType.TRUE_FALSE:
        return Question(prompt=f"Câu {number}: người dân phải đến trụ sở để nộp hồ sơ.", answer_true=False, **common)
    if qtype is QuestionType.CLOZE:
        blanks = "{{VNeID|định danh điện tử}}" + (" và {{mã OTP}}" if number % 2 else "")
        return Question(prompt=f"Câu {number}: đăng nhập bằng tài khoản {blanks}.", **common)
    steps = tuple(f"Bước {k} của thủ tục số {number}" for k in range(1, 5))
    return Question(prompt=f"Câu {number}: sắp xếp các bước.", steps=steps, **common)


def make_course(index: int, questions: int) -> Course:
    course_id = f"bench-{index:03d}"
    objectives = tuple(Objective(f"{course_id}-mt{k}", f"Mục tiêu {k}", SourceRef("x", 1)) for k in range(1, 4))
    lessons = tuple(
        Lesson(id=f"{course_id}-b{k:02d}", course_id=course_id, number=k, slug=f"{k:02d}-bai", title=f"Bài học số {k}",
               objectives=(objectives[k % 3].id,), duration_minutes=30, key_points=("Ý chính",), body="Nội dung.",
               body_line=8, path=REPO / f"{k:02d}-bai.md", source=SourceRef("x", 2))
        for k in range(1, LESSONS + 1)
    )
    bank = tuple(
        make_question(course_id, lessons[n % LESSONS].id, objectives[n % 3].id, n) for n in range(1, questions + 1)
    )
    bank = tuple(sorted(bank, key=lambda q: (q.lesson_id, q.id)))
    return Course(
        id=course_id, title=f"Khóa học thử số {index}", audience=list(Audience)[index % 3], level="Lớp 10",
        summary="Khóa học dùng để đo thời gian.", objectives=objectives, duration_minutes=300, version="1.2.3",
        release_date=date(2026, 9, 1), language="vi", license="CC BY 4.0", authors=("Nhóm đo",),
        completion=CompletionRule(tuple(lesson.id for lesson in lessons), 70),
        leaflet=LeafletContent("Tiêu đề", "", ("Bước 1", "Bước 2"), ("Hỗ trợ",), ""),
        lessons=lessons, questions=bank, root=REPO, source=SourceRef(f"courses/{course_id}/course.yml", 1),
    )


def size(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="write the outputs here instead of a temporary directory")
    args = parser.parse_args()

    started = time.perf_counter()
    courses = tuple(make_course(index, args.questions) for index in range(1, args.courses + 1))
    corpus = Corpus(root=REPO, settings=Settings("Đo", "https://example.invalid/"), courses=courses)
    made = time.perf_counter() - started
    total = sum(len(c.questions) for c in courses)
    cards = sum(len(q.blanks) if q.type is QuestionType.CLOZE else 1 for c in courses for q in c.questions)

    out = args.keep or Path(tempfile.mkdtemp(prefix="coursegen-bench-decks-"))
    try:
        ctx = BuildContext(corpus=corpus, out_dir=out, progress=Progress(quiet=True))
        timings, cpu = {}, {}
        for builder in (DeckBuilder(), ExportBuilder()):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            builder.run(ctx)
            timings[builder.name] = time.perf_counter() - begin
            cpu[builder.name] = time.process_time() - begin_cpu
        print(f"corpus: {len(courses)} courses × {args.questions} questions = {total} notes, {cards} cards "
              f"(built in memory in {made:.1f} s)")
        print(f"decks:   {timings['decks']:6.1f} s wall, {cpu['decks']:6.1f} s CPU "
              f"({timings['decks'] / len(courses) * 1000:.0f} ms per course, "
              f"{size(out, '*.apkg') / 1e6:.1f} MB of .apkg)")
        print(f"exports: {timings['exports']:6.1f} s wall, {cpu['exports']:6.1f} s CPU "
              f"({timings['exports'] / len(courses) * 1000:.0f} ms per course, "
              f"GIFT {size(out, '*-gift.txt') / 1e6:.1f} MB, Moodle XML {size(out, '*-moodle.xml') / 1e6:.1f} MB, "
              f"QTI {size(out, '*-qti12.zip') / 1e6:.1f} MB)")
        print(f"total:   {sum(timings.values()):6.1f} s wall, {sum(cpu.values()):6.1f} s CPU; "
              f"{len(ctx.downloads_made)} downloads, {len(ctx.notes)} build notes")
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
