"""The one validated course model that every builder and the coverage tracker read.

All text in the model is Unicode NFC (normalised when the source is read). Paths are absolute;
``source`` fields keep the project-relative file and line for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path


class Audience(StrEnum):
    """The three audiences named in the provincial plans that carry out Decision 1588/QĐ-TTg."""

    STUDENTS = "students"
    STAFF = "staff"
    COMMUNITY_TEAM = "community-team"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.STUDENTS: "Học sinh trung học phổ thông",
    Audience.STAFF: "Cán bộ vận hành hệ thống dịch vụ công",
    Audience.COMMUNITY_TEAM: "Thành viên Tổ công nghệ số cộng đồng",
}


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CLOZE = "cloze"
    ORDERING = "ordering"

    @property
    def label(self) -> str:
        return QUESTION_TYPE_LABELS[self]


QUESTION_TYPE_LABELS: dict[QuestionType, str] = {
    QuestionType.SINGLE: "Chọn một đáp án",
    QuestionType.MULTIPLE: "Chọn nhiều đáp án",
    QuestionType.TRUE_FALSE: "Đúng hay sai",
    QuestionType.CLOZE: "Điền vào chỗ trống",
    QuestionType.ORDERING: "Sắp xếp các bước",
}


class QuestionPool(StrEnum):
    """Where a question is used: the lesson's practice quiz, or the course's final test only."""

    PRACTICE = "practice"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"practice": "Luyện tập", "final": "Kiểm tra cuối khóa"}[self.value]


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"

    @property
    def label(self) -> str:
        return {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}[self.value]


@dataclass(frozen=True)
class SourceRef:
    """Where something was declared: a project-relative POSIX path and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    source: SourceRef


@dataclass(frozen=True)
class LeafletContent:
    headline: str
    intro: str
    steps: tuple[str, ...]
    help: tuple[str, ...]
    qr_page: str  # path relative to the course page on the public site; "" = the course page


# The one safety rule the large-print sheet and the citizen page always carry (older people are the
# first targets of "give me the code sent to your phone" scams).
CITIZEN_SAFETY = "Không đọc mã OTP, mật khẩu cho bất kỳ ai, kể cả người xưng là cán bộ, công an."


@dataclass(frozen=True)
class LargePrintContent:
    """The citizen's large-print sheet and its one-screen "làm thế nào" page: written for older people,
    not cut down from the course leaflet (which speaks to the course's learners)."""

    headline: str
    steps: tuple[str, ...]  # 3–4, in everyday words
    help: tuple[str, ...]  # where to get help nearby


@dataclass(frozen=True)
class CompletionRule:
    """A learner completes a course when every required lesson is attended and the final check passed."""

    required_lessons: tuple[str, ...]
    pass_mark: int  # percent of the final check


@dataclass(frozen=True)
class LessonSource:
    """A document a lesson rests on: a legal document (number + date) or an official guide (publisher)."""

    title: str
    number: str = ""  # as printed on the document, e.g. "118/2025/NĐ-CP"
    date: date | None = None  # date of issue, with ``number``
    article: str = ""  # e.g. "Điều 5, Điều 9"
    publisher: str = ""  # an official guide's publisher, instead of number/date
    url: str = ""  # https only


@dataclass(frozen=True)
class CurriculumPlace:
    """Where a lesson fits the 2018 general-education Tin học programme, so a teacher can slot it in."""

    grade: int  # 10–12
    strand: str  # the programme's chủ đề
    periods: int  # 45-minute periods


@dataclass(frozen=True)
class Lesson:
    id: str
    course_id: str
    number: int  # the NN of NN-slug.md, which orders lessons
    slug: str  # the file stem, e.g. "01-gioi-thieu"
    title: str
    objectives: tuple[str, ...]
    duration_minutes: int
    key_points: tuple[str, ...]
    body: str  # Markdown, NFC
    body_line: int  # line of the body's first line in the file
    path: Path
    source: SourceRef
    sources: tuple[LessonSource, ...] = ()
    curriculum: CurriculumPlace | None = None

    @property
    def filename(self) -> str:
        return self.path.name


CLOZE_BLANK = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class ClozeBlank:
    answers: tuple[str, ...]  # the first is the canonical answer; others are accepted alternatives

    @property
    def answer(self) -> str:
        return self.answers[0]


def split_cloze(prompt: str) -> list[str | ClozeBlank]:
    """Split a cloze prompt into literal text and blanks: "A {{b|B}} c" → ["A ", blank, " c"]."""
    parts: list[str | ClozeBlank] = []
    position = 0
    for match in CLOZE_BLANK.finditer(prompt):
        if match.start() > position:
            parts.append(prompt[position : match.start()])
        answers = tuple(a.strip() for a in match.group(1).split("|") if a.strip())
        parts.append(ClozeBlank(answers))
        position = match.end()
    if position < len(prompt):
        parts.append(prompt[position:])
    return parts


@dataclass(frozen=True)
class Question:
    id: str
    course_id: str
    lesson_id: str
    objectives: tuple[str, ...]
    type: QuestionType
    difficulty: Difficulty
    prompt: str
    explanation: str
    options: tuple[str, ...] = ()  # single / multiple
    correct: tuple[int, ...] = ()  # indices into options (single / multiple)
    answer_true: bool | None = None  # true_false
    steps: tuple[str, ...] = ()  # ordering, in the correct order
    fixed_order: bool = False  # options must be shown in the given order
    image: Path | None = None
    image_alt: str = ""
    source: SourceRef = SourceRef("", 0)
    pool: QuestionPool = QuestionPool.PRACTICE

    @property
    def blanks(self) -> list[ClozeBlank]:
        return [p for p in split_cloze(self.prompt) if isinstance(p, ClozeBlank)]

    @property
    def correct_options(self) -> tuple[str, ...]:
        return tuple(self.options[i] for i in self.correct)


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    audience: Audience
    level: str
    summary: str
    objectives: tuple[Objective, ...]
    duration_minutes: int
    version: str
    release_date: date
    language: str
    license: str
    authors: tuple[str, ...]
    completion: CompletionRule
    leaflet: LeafletContent
    lessons: tuple[Lesson, ...]
    questions: tuple[Question, ...]
    root: Path
    source: SourceRef
    quiz_source: str = ""  # project-relative path of the question bank
    large_print: LargePrintContent | None = None  # no sheet and no citizen page without it

    def lesson(self, lesson_id: str) -> Lesson:
        return next(lesson for lesson in self.lessons if lesson.id == lesson_id)

    def objective(self, objective_id: str) -> Objective:
        return next(o for o in self.objectives if o.id == objective_id)

    def questions_for(self, lesson_id: str) -> tuple[Question, ...]:
        """Every question of a lesson, of both pools (decks, exports, coverage of objectives)."""
        return tuple(q for q in self.questions if q.lesson_id == lesson_id)

    def practice_for(self, lesson_id: str) -> tuple[Question, ...]:
        """The questions shown in a lesson's own quiz: final-pool questions stay unseen until the final test."""
        return tuple(q for q in self.questions if q.lesson_id == lesson_id and q.pool is QuestionPool.PRACTICE)

    @property
    def final_pool(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.pool is QuestionPool.FINAL)

    @property
    def final_questions(self) -> tuple[Question, ...]:
        """What the final test draws from: the final pool when the course has one, else every question."""
        return self.final_pool or self.questions

    @property
    def media_dir(self) -> Path:
        return self.root / "media"


@dataclass(frozen=True)
class CoverageTargets:
    """Targets from the plans: share of learners covered, as fractions."""

    students_2025: float = 0.80
    students_2030: float = 1.00
    staff_yearly: float = 1.00
    community_team_yearly: float = 1.00
    suppress_below: int = 10  # units with fewer learners are not published


SCAFFOLD_PUBLISHER = "Nhóm biên soạn coursegen"  # the publisher the project template ships with


@dataclass(frozen=True)
class ReportSettings:
    """Heading and signature of the official coverage report (``report:`` in coursegen.yml), laid out
    as Nghị định 30/2020/NĐ-CP wants: issuing body under its parent, number, place, signer, recipients."""

    issuer_parent: str = ""  # cơ quan chủ quản ("UBND TỈNH HƯNG YÊN"); may be empty
    issuer: str = ""  # cơ quan ban hành ("SỞ GIÁO DỤC VÀ ĐÀO TẠO"); empty: ``publisher`` is used
    issuer_short: str = ""  # chữ viết tắt for the number line: "Số: …/BC-SGDĐT"
    number: str = ""  # the number the records office gives; empty leaves room to write it by hand
    place: str = ""  # địa danh of the date line; empty: the province
    # The document the report answers ("Kế hoạch số 45/KH-UBND ngày 10/3/2025 của UBND tỉnh"): written by the
    # province, never guessed; empty: the report opens without a "Thực hiện …" clause.
    basis: str = ""
    signer_authority: str = ""  # "KT. GIÁM ĐỐC", "TL. CHỦ TỊCH" …; may be empty
    signer_title: str = ""  # chức vụ ("PHÓ GIÁM ĐỐC")
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # "Nơi nhận:" without the final "Lưu: VT." (always added)
    issuer_line: int = 1  # where the issuer is set (or would be), for warnings
    signer_line: int = 1


@dataclass(frozen=True)
class Issuer:
    """The agency that issues the print products (``issuer:`` in coursegen.yml); empty parts are not printed."""

    name: str = ""
    logo: Path | None = None  # vector SVG, checked like course images
    address: str = ""
    hotline: str = ""


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str  # public URL of the site, used in QR codes; ends with "/"
    province: str = ""
    publisher: str = ""
    contact: str = ""  # shown in the site footer: e-mail, phone or office of the publisher
    coverage: CoverageTargets = field(default_factory=CoverageTargets)
    source: SourceRef = SourceRef("coursegen.yml", 1)
    report: ReportSettings = field(default_factory=ReportSettings)
    issuer: Issuer = field(default_factory=Issuer)
    lines: tuple[tuple[str, int], ...] = ()  # field ("site_url", "issuer.hotline") → line, for messages

    def course_url(self, course_id: str) -> str:
        return f"{self.site_url}khoa-hoc/{course_id}/"

    def citizen_url(self, course_id: str) -> str:
        """The one-screen "làm thế nào" page the large-print sheet's QR code leads to."""
        return f"{self.course_url(course_id)}lam-the-nao/"

    def line_of(self, name: str) -> int:
        return dict(self.lines).get(name, self.source.line)

    @property
    def issuer_name(self) -> tuple[str, str]:
        """(name printed as the issuer, settings field it comes from): issuer.name, publisher, province, site_name."""
        for value, name in ((self.issuer.name, "issuer.name"), (self.publisher, "publisher"),
                            (self.province, "province")):
            if value:
                return value, name
        return self.site_name, "site_name"


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from one project: settings and courses (sorted by id)."""

    root: Path
    settings: Settings
    courses: tuple[Course, ...]

    def course(self, course_id: str) -> Course:
        return next(c for c in self.courses if c.id == course_id)
