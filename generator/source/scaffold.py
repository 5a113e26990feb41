"""``coursegen new``: a new course skeleton that passes ``coursegen check --strict`` as created."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date
from pathlib import Path

from ..build.publish import staged_directory
from ..diagnostics import CoursegenError
from ..model import Audience
from ..text import nfc
from .fields import id_problem

COURSE_YML = """\
# Khóa học mới. Xem docs/soan-khoa-hoc.md để biết ý nghĩa từng trường.
id: {cid}
title: {title}
audience: {audience}
level: "Cấp độ hoặc khối lớp"
summary: >-
  Tóm tắt khóa học trong hai đến bốn câu: khóa học dành cho ai, học xong người học làm được gì.
objectives:
  - id: {cid}-mt01
    text: "Trình bày được dịch vụ công trực tuyến là gì và lợi ích đối với người dân."
  - id: {cid}-mt02
    text: "Thực hiện được các bước đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử."
duration_minutes: 90
version: "0.1.0"
release_date: {today}
language: vi
license: "CC BY 4.0"
authors:
  - "Tên tác giả hoặc nhóm biên soạn"
completion:
  required_lessons: all
  pass_mark: 70
leaflet:
  headline: {headline}
  intro: "Một câu giới thiệu ngắn cho tờ rơi."
  steps:
    - "Cài ứng dụng VNeID và kích hoạt tài khoản định danh điện tử."
    - "Vào Cổng Dịch vụ công quốc gia tại dichvucong.gov.vn."
    - "Đăng nhập bằng tài khoản VNeID."
    - "Tìm thủ tục cần làm và nộp hồ sơ trực tuyến."
  help:
    - "Bộ phận Một cửa của xã, phường nơi bạn cư trú."
    - "Tổ công nghệ số cộng đồng ở thôn, tổ dân phố."
# Tờ A4 chữ lớn và trang "làm thế nào" cho người dân: lời lẽ hằng ngày, 3–4 bước ngắn.
large_print:
  headline: "Làm thủ tục trên điện thoại, không phải xếp hàng"
  steps:
    - "Vào trang dichvucong.gov.vn trên điện thoại."
    - "Đăng nhập bằng tài khoản định danh điện tử VNeID."
    - "Tìm thủ tục, điền tờ khai rồi bấm nộp."
  help:
    - "Trung tâm Phục vụ hành chính công xã, phường"
    - "Tổ công nghệ số cộng đồng ở thôn, tổ dân phố"
"""

LESSON_1 = """\
---
id: {cid}-b01
title: "Dịch vụ công trực tuyến là gì?"
objectives: [{cid}-mt01]
duration_minutes: 45
key_points:
  - "Dịch vụ công trực tuyến giúp người dân làm thủ tục hành chính qua mạng."
{sources}{curriculum}---

## Mở đầu

Viết nội dung bài học bằng Markdown tại đây. Dùng tiêu đề cấp hai (##) cho các phần của bài.

!!! tip "Mẹo"
    Khung ghi chú như thế này giúp nhấn mạnh điều người học cần nhớ.

Xem tiếp [bài 2](02-dang-nhap.md).
"""

LESSON_2 = """\
---
id: {cid}-b02
title: "Đăng nhập Cổng Dịch vụ công quốc gia"
objectives: [{cid}-mt02]
duration_minutes: 45
key_points:
  - "Đăng nhập bằng tài khoản định danh điện tử VNeID."
{sources}{curriculum}---

## Các bước thực hiện

1. Mở trình duyệt và vào dichvucong.gov.vn.
2. Chọn "Đăng nhập" rồi chọn đăng nhập bằng tài khoản định danh điện tử.
3. Xác nhận đăng nhập trên ứng dụng VNeID.
"""

QUIZ_YML = """\
course: {cid}
questions:
  - id: {cid}-c001
    lesson: {cid}-b01
    objectives: [{cid}-mt01]
    type: true_false
    difficulty: easy
    prompt: "Dịch vụ công trực tuyến cho phép người dân nộp hồ sơ thủ tục hành chính qua mạng."
    answer: true
    explanation: "Đúng. Đó chính là ý nghĩa của dịch vụ công trực tuyến."
  - id: {cid}-c002
    lesson: {cid}-b02
    objectives: [{cid}-mt02]
    type: single
    difficulty: easy
    prompt: "Tài khoản nào dùng để đăng nhập Cổng Dịch vụ công quốc gia?"
    options:
      - "Tài khoản định danh điện tử VNeID"
      - "Tài khoản mạng xã hội"
      - "Tài khoản thư điện tử bất kỳ"
    answer: "Tài khoản định danh điện tử VNeID"
    explanation: "Cổng Dịch vụ công quốc gia cho phép đăng nhập bằng tài khoản định danh điện tử VNeID."
"""


# Every lesson names what it rests on; replace this by the documents the lesson really follows.
SOURCES = """\
sources:
  - title: "Quyết định của Thủ tướng Chính phủ về phổ cập kỹ năng sử dụng dịch vụ công trực tuyến"
    number: "1588/QĐ-TTg"
    date: 2024-12-17
"""

# Lessons for students say where they fit the 2018 Tin học programme (grade, strand, 45-minute periods).
CURRICULUM = """\
curriculum:
  grade: 10
  strand: "Đạo đức, pháp luật và văn hoá trong môi trường số"
  periods: 1
"""

# Generated ids are "<course id>-mt01", "-b01", "-c001": at most 5 characters more, within the 64 of an id.
MAX_COURSE_ID = 59
MAX_TITLE = 150  # the loader's limit for a course title
MAX_HEADLINE = 60  # the leaflet headline limit of the source format
DEFAULT_HEADLINE = "Làm thủ tục hành chính ngay trên mạng"


def create_course(root: Path, course_id: str, title: str, audience: Audience) -> Path:
    if problem := id_problem(course_id):
        raise CoursegenError(problem)
    if len(course_id) > MAX_COURSE_ID:
        raise CoursegenError(f'mã khóa học "{course_id}" dài {len(course_id)} ký tự; khung mẫu cần tối đa {MAX_COURSE_ID}')
    title = " ".join(nfc(title).split())
    if not title:
        raise CoursegenError("tên khóa học (--title) không được để trống")
    if len(title) > MAX_TITLE:
        raise CoursegenError(f"tên khóa học dài {len(title)} ký tự, tối đa {MAX_TITLE}")
    course_dir = root / "courses" / course_id
    quiz = root / "quizzes" / f"{course_id}.yml"
    if course_dir.exists() or quiz.exists():
        raise CoursegenError(f'khóa học "{course_id}" đã tồn tại; không ghi đè')
    headline = title if len(title) <= MAX_HEADLINE else DEFAULT_HEADLINE
    # JSON strings are valid YAML double-quoted scalars: quotes and backslashes in the title stay text.
    values = {"cid": course_id, "title": json.dumps(title, ensure_ascii=False), "audience": audience.value,
              "headline": json.dumps(headline, ensure_ascii=False), "today": date.today().isoformat(),
              "sources": SOURCES, "curriculum": CURRICULUM if audience is Audience.STUDENTS else ""}
    quiz.parent.mkdir(parents=True, exist_ok=True)
    with staged_directory(course_dir) as staged:
        (staged / "lessons").mkdir()
        (staged / "media").mkdir()
        (staged / "course.yml").write_text(COURSE_YML.format(**values), encoding="utf-8")
        (staged / "lessons" / "01-gioi-thieu.md").write_text(LESSON_1.format(**values), encoding="utf-8")
        (staged / "lessons" / "02-dang-nhap.md").write_text(LESSON_2.format(**values), encoding="utf-8")
    try:
        quiz.write_text(QUIZ_YML.format(**values), encoding="utf-8")
    except OSError:
        shutil.rmtree(course_dir, ignore_errors=True)
        raise
    return course_dir


def cmd_new(args: argparse.Namespace) -> int:
    path = create_course(Path(args.project), args.course_id, args.title, Audience(args.audience))
    print(f"Đã tạo khóa học mới tại {path} và quizzes/{args.course_id}.yml.", file=sys.stderr)
    print("Chạy `coursegen check` để kiểm tra sau khi sửa nội dung.", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    new = sub.add_parser("new", help="tạo khung một khóa học mới")
    new.add_argument("course_id", help="mã khóa học: chữ thường không dấu, số và gạch ngang")
    new.add_argument("--title", default="Khóa học mới về dịch vụ công trực tuyến", help="tên khóa học")
    new.add_argument("--audience", default=Audience.STUDENTS.value, choices=[a.value for a in Audience],
                     help="đối tượng người học")
    new.set_defaults(func=cmd_new)
