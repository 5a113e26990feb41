"""Question-bank exports for learning platforms: GIFT and Moodle XML (Moodle) and an IMS QTI 1.2 package.

Written per course under ``downloads/ngan-hang-cau-hoi/``. Whatever a format cannot express is reported in
the build output (``ctx.note``), never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Corpus, Course, QuestionType
from .gift import course_gift
from .moodlexml import course_moodle_xml
from .qti import write_qti_package

if TYPE_CHECKING:
    from ..contract import BuildContext

EXPORT_KIND = "export"
LABELS = {
    "gift": "Ngân hàng câu hỏi GIFT (Moodle)",
    "moodle": "Ngân hàng câu hỏi Moodle XML",
    "qti": "Gói câu hỏi IMS QTI 1.2 (Canvas, Blackboard…)",
}


@dataclass
class ExportResult:
    course_id: str
    files: dict[str, Path] = field(default_factory=dict)  # format key → written file
    notes: list[str] = field(default_factory=list)  # Vietnamese: what a format could not express


def export_paths(downloads: Path, course_id: str) -> dict[str, Path]:
    folder = downloads / "ngan-hang-cau-hoi"
    return {
        "gift": folder / f"{course_id}-gift.txt",
        "moodle": folder / f"{course_id}-moodle.xml",
        "qti": folder / f"{course_id}-qti12.zip",
    }


def export_course(course: Course, downloads: Path) -> ExportResult:
    """Write the three exports of one course; report per format what it had to leave out."""
    result = ExportResult(course.id, export_paths(downloads, course.id))
    result.files["gift"].parent.mkdir(parents=True, exist_ok=True)
    gift, gift_lost, _ = course_gift(course)
    result.files["gift"].write_text(gift, encoding="utf-8", newline="\n")
    result.notes += [f"{course.id} (GIFT): {message}" for message in gift_lost]
    moodle, moodle_lost = course_moodle_xml(course)
    result.files["moodle"].write_bytes(moodle)
    result.notes += [f"{course.id} (Moodle XML): {message}" for message in moodle_lost]
    qti_lost = write_qti_package(course, result.files["qti"])
    result.notes += [f"{course.id} (QTI 1.2): {message}" for message in qti_lost]
    ordering = [q.id for q in course.questions if q.type is QuestionType.ORDERING]
    if ordering:
        result.notes.append(
            f"{course.id} (GIFT, Moodle XML): {len(ordering)} câu sắp xếp ({', '.join(ordering)}) được xuất "
            "dưới dạng câu ghép đôi “Bước 1 → …”, vì Moodle trước 4.4 không có loại câu sắp xếp"
        )
    return result


class ExportBuilder:
    """The ``coursegen build`` step that writes the question-bank exports of every course."""

    name = "exports"
    label = "Ngân hàng câu hỏi cho hệ thống quản lý học tập (GIFT, Moodle XML, QTI)"

    def run(self, ctx: BuildContext) -> None:
        for course in ctx.corpus.courses:
            self.run_course(ctx, course)

    # Per course, for incremental builds: the exports are made from the course folder and its bank.
    def inputs(self, corpus: Corpus, course: Course) -> list[str]:
        return [course.source.path.rsplit("/", 1)[0] + "/", course.quiz_source or f"quizzes/{course.id}.yml"]

    def downloads(self, corpus: Corpus, course: Course) -> list[tuple[str, str, str]]:
        if not course.questions:
            return []
        return [(EXPORT_KIND, LABELS[key], f"downloads/{path.as_posix()}")
                for key, path in export_paths(Path(), course.id).items()]

    def run_course(self, ctx: BuildContext, course: Course) -> None:
        if not course.questions:
            ctx.note(f"Khóa học {course.id} chưa có câu hỏi nào: không xuất ngân hàng câu hỏi.")
            return
        result = export_course(course, ctx.downloads)
        for key, path in result.files.items():
            ctx.add_download(course.id, EXPORT_KIND, LABELS[key], path)
        for message in result.notes:
            ctx.note(message)
