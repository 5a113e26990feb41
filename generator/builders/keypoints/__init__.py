"""Key points: one plain-text sheet per course with every lesson's key points, under downloads/ghi-nho/."""

from __future__ import annotations

from ...model import Corpus, Course
from ..contract import BuildContext

KIND = "keypoints"
LABEL = "Ghi nhớ từng bài (văn bản)"


class KeyPointsBuilder:
    name = "keypoints"
    label = "Ghi nhớ từng bài"

    def inputs(self, corpus: Corpus, course: Course) -> list[str]:
        """The sources the sheet is made from: rebuilt only when one of them changed."""
        return [course.source.path, *(lesson.source.path for lesson in course.lessons)]

    def downloads(self, corpus: Corpus, course: Course) -> list[tuple[str, str, str]]:
        """What run_course will register (the site lists it before the sheet is even written)."""
        return [(KIND, LABEL, f"downloads/ghi-nho/{course.id}.txt")]

    def run(self, ctx: BuildContext) -> None:
        for course in ctx.corpus.courses:
            self.run_course(ctx, course)

    def run_course(self, ctx: BuildContext, course: Course) -> None:
        path = ctx.downloads / "ghi-nho" / f"{course.id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [course.title, ""]
        for lesson in course.lessons:
            lines += [f"Bài {lesson.number}. {lesson.title}", *(f"- {point}" for point in lesson.key_points), ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        if not any(lesson.key_points for lesson in course.lessons):
            ctx.note(f"{course.id}: chưa bài nào có key_points, tờ ghi nhớ chỉ có tên bài")
        ctx.add_download(course.id, KIND, LABEL, path)
