"""Helpers shared by the Anki decks and the question-bank exports (GIFT, Moodle XML, QTI 1.2)."""

from __future__ import annotations

import functools
import hashlib
import html
import random
import xml.etree.ElementTree as ET
from pathlib import Path

from ..model import Audience, Course, Question, QuestionPool
from ..text import slugify

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(index: int) -> str:
    """Label of the index-th option or step: A … Z, then AA, AB … (ordering steps have no upper limit)."""
    if index < len(LETTERS):
        return LETTERS[index]
    return letter(index // len(LETTERS) - 1) + LETTERS[index % len(LETTERS)]

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def html_text(text: str) -> str:
    """User text as HTML: every markup character escaped, line breaks kept as ``<br>``."""
    return html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def scrambled_order(question_id: str, count: int) -> list[int]:
    """A fixed, never-identity permutation of ``range(count)`` for showing ordering steps out of order.

    Seeded by the question id (not by the text), so a typo fix does not reshuffle what students saw and
    the same sources always give the same files.
    """
    order = list(range(count))
    if count < 2:
        return order
    seed = int.from_bytes(hashlib.sha256(f"coursegen-order:{question_id}".encode()).digest()[:8], "big")
    random.Random(seed).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def media_name(question: Question) -> str:
    """A unique, stable file name for a question's image: question id, source name and a content hash.

    The hash makes a changed picture a new file, so Anki and LMS imports never mix an old copy with a
    new one under the same name.
    """
    assert question.image is not None
    stat = question.image.stat()
    digest = _digest(question.image, stat.st_mtime_ns, stat.st_size)
    stem = slugify(question.image.stem) or "hinh"
    return f"{question.id}-{stem}-{digest}{question.image.suffix.lower()}"


def xml_bytes(root: ET.Element, *, short_empty_elements: bool = True) -> bytes:
    """UTF-8 XML with a declaration. Serialising to ``str`` first is several times faster than letting
    ElementTree encode (it resets a codec on every write)."""
    text = ET.tostring(root, encoding="unicode", short_empty_elements=short_empty_elements)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8") + b"\n"


@functools.lru_cache(maxsize=4096)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    """Content hash of an image; the cache key includes mtime and size, so an edited file is re-read."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:10]


def image_type(path: Path) -> str:
    return IMAGE_TYPES.get(path.suffix.lower(), "application/octet-stream")


AUDIENCE_TAGS = {
    Audience.STUDENTS: "hoc-sinh",
    Audience.STAFF: "can-bo",
    Audience.COMMUNITY_TEAM: "to-cong-nghe-so",
}


def tags_for(course: Course, question: Question) -> list[str]:
    """Hierarchical tags (``::``), never with spaces: ids are [a-z0-9-] by construction."""
    tags = [
        f"khoa-hoc::{course.id}",
        f"bai-hoc::{course.id}::{question.lesson_id}",
        *(f"muc-tieu::{course.id}::{objective}" for objective in question.objectives),
        f"doi-tuong::{AUDIENCE_TAGS.get(course.audience, slugify(str(course.audience)))}",
        f"do-kho::{slugify(question.difficulty.label)}",
        f"loai-cau::{slugify(question.type.label)}",
        f"nhom-cau::{POOL_TAGS[question.pool]}",
    ]
    return tags


# Which test a question belongs to, so an LMS quiz or an Anki filtered deck can draw the final pool alone.
POOL_TAGS = {QuestionPool.PRACTICE: "luyen-tap", QuestionPool.FINAL: "cuoi-khoa"}
