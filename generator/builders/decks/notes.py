"""Turn one bank question into the fields, tags and GUID of one Anki note, and refuse what Anki would drop.

Every piece of user text goes through ``html_text`` (escaped); each finished field is then parsed back
and checked, so a cloze without a blank (Anki makes no card), an empty field, or user text that reached
the card as live HTML (Anki would hide or interpret it) stops the build with a message naming the
question, instead of silently losing a card.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import genanki

from ...diagnostics import Diagnostic
from ...model import ClozeBlank, Course, Question, QuestionType, split_cloze
from ...render.questions import html_text, letter, media_name, scrambled_order, tags_for
from . import notetypes as nt

# The only tags our own field markup uses; any other tag in a field came from unescaped user text.
OWN_TAGS = {"ol", "ul", "li", "span", "b", "br", "img"}
CLOZE_MARK = re.compile(r"\{\{c(\d+)::")


# Which source field of the question bank each note field comes from, for error messages.
SOURCE_FIELD = {
    "Câu hỏi": "prompt", "Văn bản": "prompt", "Phương án": "options", "Đáp án": "answer",
    "Giải thích": "explanation", "Các bước": "steps", "Thứ tự đúng": "steps", "Hình": "image",
    "Bài học": "lesson", "Loại": "type", "Mã câu hỏi": "id", "Đáp án chấp nhận": "prompt",
    "Giữ thứ tự": "fixed_order",
}


@dataclass
class PreparedNote:
    """One note ready for genanki, with what the checks need to know about where its text came from."""

    question: Question
    key: str  # note type key (notetypes.MC, ...)
    fields: dict[str, str]
    tags: list[str]
    guid: str
    media: tuple[str, Path] | None = None  # (name inside the deck, source file)
    expected_text: dict[str, list[str]] = field(default_factory=dict)  # field → user text it must show

    @property
    def card_count(self) -> int:
        return len(self.question.blanks) if self.key == nt.CLOZE else 1

    def to_genanki(self, model: genanki.Model) -> genanki.Note:
        values = [self.fields[name] for name in nt.FIELDS[self.key]]
        return genanki.Note(model=model, fields=values, tags=self.tags, guid=self.guid)


def note_guid(course_id: str, question_id: str) -> str:
    """Derived from ids only, so fixing a typo updates the student's note instead of adding a new one."""
    return genanki.guid_for(course_id, question_id)


def _option_list(css_class: str, entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li data-key="{label}"><span class="cg-letter">{label}.</span> <span class="cg-text">{html_text(text)}</span></li>'
        for label, text in entries
    )
    return f'<ol class="{css_class}">{items}</ol>' if css_class != "cg-answers" else f'<ul class="{css_class}">{items}</ul>'


def _cloze_literal(text: str) -> str:
    return html_text(text).replace("{", "&#123;").replace("}", "&#125;")


def _cloze_answer(text: str) -> str:
    # "::" inside a cloze would start a hint and "}}" would close it early: write them as entities.
    return _cloze_literal(text).replace(":", "&#58;")


def cloze_field(question: Question) -> str:
    """``{{c1::…}}``, ``{{c2::…}}``… one per blank, so each blank is its own card."""
    out: list[str] = []
    number = 0
    for part in split_cloze(question.prompt):
        if isinstance(part, ClozeBlank):
            number += 1
            out.append(f"{{{{c{number}::{_cloze_answer(part.answer)}}}}}")
        else:
            out.append(_cloze_literal(part))
    return "".join(out)


def prepare_note(course: Course, question: Question) -> PreparedNote:
    """Fields, tags and GUID of the note for ``question`` (no checks: see ``check_note``)."""
    lesson = course.lesson(question.lesson_id)
    context = f"{course.title} · Bài {lesson.number}. {lesson.title}"
    common: dict[str, str] = {
        "Hình": "",
        "Giải thích": html_text(question.explanation),
        "Mã câu hỏi": html_text(question.id),
        "Bài học": html_text(context),
    }
    expected: dict[str, list[str]] = {
        "Giải thích": [question.explanation],
        "Mã câu hỏi": [question.id],
        "Bài học": [course.title, lesson.title],
    }
    media = None
    if question.image is not None:
        if question.image.is_file():
            name = media_name(question)
        else:  # reported by check_note
            name = f"{question.id}-{question.image.name}"
        common["Hình"] = f'<img src="{name}" alt="{html.escape(question.image_alt, quote=True)}">'
        media = (name, question.image)
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        key = nt.MC
        lettered = [(letter(i), option) for i, option in enumerate(question.options)]
        fields = {
            "Câu hỏi": html_text(question.prompt),
            "Loại": html_text(qtype.label),
            "Phương án": _option_list("cg-options", lettered),
            "Đáp án": _option_list("cg-answers", [lettered[i] for i in question.correct]),
            "Giữ thứ tự": "có" if question.fixed_order else "",
        }
        expected.update({
            "Câu hỏi": [question.prompt],
            "Phương án": list(question.options),
            "Đáp án": list(question.correct_options),
        })
    elif qtype is QuestionType.TRUE_FALSE:
        key = nt.TRUE_FALSE
        verdict = "Đúng" if question.answer_true else "Sai"
        fields = {"Câu hỏi": html_text(question.prompt), "Đáp án": verdict}
        expected.update({"Câu hỏi": [question.prompt], "Đáp án": [verdict]})
    elif qtype is QuestionType.CLOZE:
        key = nt.CLOZE
        blanks = question.blanks
        accepted = "".join(
            f"<li><b>{html_text(blank.answer)}</b> (cũng chấp nhận: "
            f"{', '.join(html_text(a) for a in blank.answers[1:])})</li>"
            for blank in blanks if len(blank.answers) > 1
        )
        fields = {
            "Văn bản": cloze_field(question),
            "Đáp án chấp nhận": f'<ul class="cg-accepted">{accepted}</ul>' if accepted else "",
        }
        literal = [part for part in split_cloze(question.prompt) if isinstance(part, str) and part.strip()]
        expected.update({
            "Văn bản": literal + [blank.answer for blank in blanks],
            "Đáp án chấp nhận": [a for blank in blanks if len(blank.answers) > 1 for a in blank.answers],
        })
    else:
        key = nt.ORDERING
        order = scrambled_order(question.id, len(question.steps))
        shown = [(letter(position), question.steps[index]) for position, index in enumerate(order)]
        letter_of = {index: letter(position) for position, index in enumerate(order)}
        correct = "".join(
            f'<li><span class="cg-letter">{number}.</span> <span class="cg-text">{html_text(step)}</span> '
            f'<span class="cg-key">({letter_of[number - 1]})</span></li>'
            for number, step in enumerate(question.steps, start=1)
        )
        sequence = " → ".join(letter_of[index] for index in range(len(question.steps)))
        fields = {
            "Câu hỏi": html_text(question.prompt),
            "Các bước": _option_list("cg-steps", shown),
            "Thứ tự đúng": f'<ol class="cg-order">{correct}</ol><span class="cg-sequence">{sequence}</span>',
        }
        expected.update({"Câu hỏi": [question.prompt], "Các bước": list(question.steps),
                         "Thứ tự đúng": list(question.steps)})
    fields.update(common)
    return PreparedNote(
        question=question, key=key, fields=fields, tags=tags_for(course, question),
        guid=note_guid(course.id, question.id), media=media, expected_text=expected,
    )


class _FieldScan(HTMLParser):
    """Collects the tags, visible text and image alts of one field."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.alts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "br":
            self.text.append(" ")
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")

    def handle_decl(self, decl: str) -> None:
        self.tags.append("!" + decl.split()[0] if decl.split() else "!")

    def handle_pi(self, data: str) -> None:
        self.tags.append("?")

    def unknown_decl(self, data: str) -> None:
        self.tags.append("![")


def _squash(text: str) -> str:
    return " ".join(text.split())


def check_note(note: PreparedNote) -> list[Diagnostic]:
    """Everything Anki would silently drop or mangle in this note, as diagnostics naming the question."""
    question = note.question
    problems: list[Diagnostic] = []

    def problem(field_name: str, message: str) -> None:
        where = f"questions[{question.id}].{SOURCE_FIELD.get(field_name, field_name)}"
        problems.append(Diagnostic(question.source.path, question.source.line, where,
                                   f"thẻ Anki của câu {question.id}, trường “{field_name}”: {message}"))

    for name in nt.FIELDS[note.key]:
        value = note.fields.get(name, "")
        scan = _FieldScan()
        scan.feed(value)
        scan.close()
        foreign = sorted({tag for tag in scan.tags if tag not in OWN_TAGS})
        if foreign:
            shown = ", ".join(f"<{tag}>" for tag in foreign)
            problem(name, f"văn bản chứa HTML chưa được thoát ({shown}); Anki sẽ ẩn hoặc hiểu sai phần này")
        visible = _squash("".join(scan.text))
        if name not in nt.OPTIONAL_FIELDS[note.key] and not visible and not scan.alts:
            problem(name, "trường rỗng; Anki sẽ hiện thẻ trống hoặc bỏ qua nội dung này")
            continue
        for expected in note.expected_text.get(name, []):
            if _squash(expected) not in visible:
                problem(name, f"nội dung “{expected}” không hiện đúng trên thẻ (HTML chưa được thoát?)")
                break
        if name == "Hình" and question.image is not None and scan.alts != [question.image_alt]:
            problem(name, "mô tả thay thế của hình không hiện đúng trên thẻ")
    items = {"Phương án": question.options, "Các bước": question.steps,
             "Văn bản": tuple(answer for blank in question.blanks for answer in blank.answers)}
    for name, values in items.items():
        if name in nt.FIELDS[note.key]:
            for number, value in enumerate(values, start=1):
                if not value.strip():
                    problem(name, f"mục thứ {number} rỗng; Anki sẽ hiện một dòng trống")
    if note.key == nt.CLOZE:
        text = note.fields.get("Văn bản", "")
        numbers = sorted({int(n) for n in CLOZE_MARK.findall(text)})
        blanks = len(question.blanks)
        if not numbers:
            problem("Văn bản", "câu điền khuyết không có chỗ trống {{...}} nào; Anki sẽ không tạo thẻ")
        elif numbers != list(range(1, blanks + 1)):
            problem("Văn bản", f"có {blanks} chỗ trống nhưng thẻ đánh số {numbers}; Anki sẽ tạo sai số thẻ")
    for tag in note.tags:
        if tag.split() != [tag]:
            problem("Mã câu hỏi", f"nhãn (tag) “{tag}” rỗng hoặc chứa khoảng trắng")
    if note.media is not None and not note.media[1].is_file():
        problem("Hình", f"không đọc được tệp hình {note.media[1]}")
    return problems
