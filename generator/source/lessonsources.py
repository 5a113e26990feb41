"""The ``sources:`` and ``curriculum:`` fields of a lesson's front matter.

A teacher adopts a lesson only when it says what it rests on (a legal document by number and date, or an
official guide by its publisher) and, for students, where it fits the 2018 Tin học programme. Problems in
what is written are errors; a lesson that says nothing is a readiness warning (see ``readiness.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics
from ..model import CurriculumPlace, LessonSource
from .fields import FieldReader
from .yamlsource import LocatedList

SOURCE_KEYS = {"title", "number", "date", "article", "publisher", "url"}
CURRICULUM_KEYS = {"grade", "strand", "periods"}

# "118/2025/NĐ-CP", "91/2025/QH15", "1588/QĐ-TTg", "01/2025/TT-BCA": digits, an optional /year, then the
# issuer's code: parts of capitals (Đ included) and digits joined by dashes; "TTg" keeps its small g.
DOCUMENT_NUMBER = re.compile(r"^\d{1,6}(?:/(?:19|20)\d{2})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐ][A-ZĐa-z0-9]*)*$")
NUMBER_EXAMPLES = "118/2025/NĐ-CP, 91/2025/QH15, 1588/QĐ-TTg"
# Names reserved for examples and tests (RFC 2606, RFC 6761): never a real source.
RESERVED_TLDS = {"example", "test", "invalid", "localhost", "local"}
GRADES = (10, 12)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be cited as a source's address, or None."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f'địa chỉ "{url}" phải là địa chỉ web https:// đầy đủ'
    labels = parts.hostname.lower().rstrip(".").split(".")
    if "example" in labels or labels[-1] in RESERVED_TLDS:
        return f'địa chỉ "{url}" là tên miền dành cho ví dụ, không phải địa chỉ thật của văn bản'
    if " " in url:
        return f'địa chỉ "{url}" chứa dấu cách'
    return None


def read_sources(r: FieldReader, diags: Diagnostics, today: date) -> tuple[LessonSource, ...] | None:
    """The lesson's sources (``()`` when absent or empty), or None when an item is wrong (errors reported)."""
    if r.has("sources") and r.data["sources"] is None:
        return ()  # "sources:" with nothing after it: as good as absent, a readiness warning
    items = r.raw_list("sources", required=False)
    if items is None:
        return None if r.has("sources") else ()
    result: list[LessonSource] = []
    ok = True
    for index, item in enumerate(items):
        line = items.line_of(index) if isinstance(items, LocatedList) else r.line_of("sources")
        s = FieldReader(item, r.path, diags, f"sources[{index + 1}]", line)
        if not s.ok_mapping:
            ok = False
            continue
        before = len(diags.errors)
        s.check_keys(SOURCE_KEYS)
        title = s.text("title", max_len=500)
        number = s.text("number", required=False, max_len=60) or ""
        if number and not DOCUMENT_NUMBER.match(number):
            s.error("number", f'số hiệu "{number}" không đúng dạng số hiệu văn bản (ví dụ {NUMBER_EXAMPLES})')
        issued = None
        if s.has("date"):
            issued = s.a_date("date")
            if isinstance(issued, datetime):  # "2025-06-09 10:00": a date of issue has no time of day
                s.error("date", "chỉ ghi ngày ban hành dạng NNNN-TT-NN, không ghi giờ")
                issued = None
            elif issued is not None and issued > today:
                s.error("date", f"ngày ban hành {issued.strftime('%d/%m/%Y')} ở tương lai")
        publisher = s.text("publisher", required=False, max_len=200) or ""
        article = s.text("article", required=False, max_len=200) or ""
        url = s.text("url", required=False, max_len=500) or ""
        if url and (problem := url_problem(url)):
            s.error("url", problem)
        if number and not s.has("date"):
            s.error("date", "văn bản có số hiệu cần ngày ban hành (date), dạng NNNN-TT-NN")
        elif not number and not publisher and len(diags.errors) == before:
            diags.error(r.path, s.line, s.prefix,
                        "cần số hiệu và ngày ban hành (number, date) của văn bản, hoặc cơ quan ban hành (publisher)"
                        " của tài liệu hướng dẫn chính thức")
        if len(diags.errors) > before or title is None:
            ok = False
            continue
        result.append(LessonSource(title=title, number=number, date=issued, article=article, publisher=publisher,
                                   url=url))
    return tuple(result) if ok else None


def read_curriculum(r: FieldReader, diags: Diagnostics) -> CurriculumPlace | None:
    """The lesson's place in the Tin học programme; None when absent or wrong (errors reported)."""
    if not r.has("curriculum"):
        return None
    c = FieldReader(r.data["curriculum"], r.path, diags, "curriculum", r.line_of("curriculum"))
    if not c.ok_mapping:
        return None
    c.check_keys(CURRICULUM_KEYS)
    grade = c.integer("grade", minimum=GRADES[0], maximum=GRADES[1])
    strand = c.text("strand", max_len=200)
    periods = c.integer("periods", minimum=1)
    if grade is None or strand is None or periods is None:
        return None
    return CurriculumPlace(grade=grade, strand=strand, periods=periods)


