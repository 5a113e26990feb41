"""Generate a large synthetic corpus that passes ``coursegen check`` (kept out of the bundled courses).

Usage: python -m bench.make_corpus OUT_DIR [--courses 100] [--lessons 10] [--questions 50]

Text is built from the bundled courses' own sentences so pages have realistic Vietnamese length and
vocabulary; every course has images (lesson figures and question images) at 300 dpi.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

from generator.source.loader import load_corpus

REPO = Path(__file__).resolve().parent.parent
AUDIENCES = ["students", "staff", "community-team"]


def sentences() -> list[str]:
    corpus = load_corpus(REPO)
    found: list[str] = []
    for course in corpus.courses:
        for lesson in course.lessons:
            for line in lesson.body.split("\n"):
                line = line.strip()
                if len(line) > 60 and line[0].isalpha() and not line.startswith(("!!!", "|")):
                    found.append(line.replace("](", "] (").replace("[", "").replace("]", ""))
    return found


def figure(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    image = Image.new("L", (900, 450), 255)
    draw = ImageDraw.Draw(image)
    for index in range(3):
        x = 40 + index * 290
        draw.rectangle([x, 150, x + 230, 300], outline=0, width=6)
        draw.ellipse([x + 80, 190, x + 150, 260], fill=rng.randrange(0, 200))
    image.save(path, dpi=(300, 300))


def write_course(root: Path, number: int, lessons: int, questions: int, text: list[str]) -> None:
    rng = random.Random(number)
    cid = f"kh{number:03d}"
    course = root / "courses" / cid
    (course / "lessons").mkdir(parents=True)
    (course / "media").mkdir()
    figure(course / "media" / "hinh.png", number)
    objectives = [f"{cid}-mt{i:02d}" for i in range(1, 6)]
    lines = [
        f"id: {cid}", f'title: "Khóa học mẫu số {number}: dịch vụ công trực tuyến"',
        f"audience: {AUDIENCES[number % 3]}", 'level: "Bồi dưỡng"',
        f'summary: "{rng.choice(text)[:400]}"', "objectives:",
    ]
    for index, oid in enumerate(objectives):
        lines += [f"  - id: {oid}", f'    text: "Mục tiêu {index + 1}: {rng.choice(text)[:120]}"']
    lines += [
        f"duration_minutes: {lessons * 45}", 'version: "1.0.0"', "release_date: 2026-09-01", "language: vi",
        'license: "CC BY 4.0"', "authors:", '  - "Nhóm biên soạn"', "completion:", "  required_lessons: all",
        "  pass_mark: 70", "leaflet:", f'  headline: "Dịch vụ công trực tuyến {number}"',
        '  intro: "Làm thủ tục hành chính ngay trên điện thoại, không phải xếp hàng."', "  steps:",
        '    - "Cài ứng dụng VNeID và kích hoạt tài khoản định danh điện tử mức 2."',
        '    - "Vào Cổng Dịch vụ công quốc gia tại dichvucong.gov.vn."',
        '    - "Đăng nhập bằng tài khoản VNeID."', '    - "Tìm thủ tục, điền tờ khai và nộp hồ sơ."',
        "  help:", '    - "Bộ phận Một cửa của xã, phường nơi bạn cư trú."',
        '    - "Tổ công nghệ số cộng đồng ở thôn, tổ dân phố."',
    ]
    (course / "course.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for index in range(1, lessons + 1):
        body = [f"## Phần {part}\n\n" + "\n\n".join(rng.choice(text) for _ in range(4)) for part in range(1, 4)]
        body.insert(1, "![Sơ đồ minh họa các bước](../media/hinh.png)")
        body.append("## Các bước\n\n1. " + "\n2. ".join(rng.choice(text)[:100] for _ in range(4)))
        if index > 1:
            body.append(f"Xem lại [bài trước]({index - 1:02d}-bai-{index - 1}.md#phan-1).")
        (course / "lessons" / f"{index:02d}-bai-{index}.md").write_text(
            "---\n"
            f"id: {cid}-b{index:02d}\n"
            f'title: "Bài {index}: {rng.choice(text)[:60].rstrip(" ,.:")}"\n'
            f"objectives: [{objectives[(index - 1) % 5]}]\n"
            "duration_minutes: 45\n"
            "key_points:\n"
            f'  - "{rng.choice(text)[:150]}"\n'
            f'  - "{rng.choice(text)[:150]}"\n'
            "---\n\n" + "\n\n".join(body) + "\n",
            encoding="utf-8",
        )
    items = [f"course: {cid}", "questions:"]
    kinds = ["single", "multiple", "true_false", "cloze", "ordering"]
    for q in range(1, questions + 1):
        lesson = (q - 1) % lessons + 1
        kind = kinds[q % 5]
        items += [
            f"  - id: {cid}-c{q:03d}", f"    lesson: {cid}-b{lesson:02d}",
            f"    objectives: [{objectives[(lesson - 1) % 5]}]", f"    type: {kind}", "    difficulty: medium",
            f'    explanation: "{rng.choice(text)[:200]}"',
        ]
        if kind in ("single", "multiple"):
            options = [f"Phương án {c}: {rng.choice(text)[:50]}" for c in "ABCD"]
            items.append(f'    prompt: "Câu {q}: {rng.choice(text)[:150]}?"')
            items.append("    options:")
            items += [f'      - "{o}"' for o in options]
            items.append(f'    answer: "{options[1]}"' if kind == "single" else f'    answer: ["{options[0]}", "{options[2]}"]')
        elif kind == "true_false":
            items += [f'    prompt: "{rng.choice(text)[:150]}"', f"    answer: {'true' if q % 2 else 'false'}"]
            if q % 10 == 2:
                items += ["    image: media/hinh.png", '    image_alt: "Sơ đồ minh họa các bước"']
        elif kind == "cloze":
            items.append(f'    prompt: "Người dân đăng nhập bằng tài khoản {{{{VNeID}}}} (câu {q}): {rng.choice(text)[:80]}"')
        else:
            items.append(f'    prompt: "Sắp xếp các bước (câu {q}):"')
            items.append("    steps:")
            items += [f'      - "Bước {s}: {rng.choice(text)[:60]}"' for s in range(1, 5)]
    (root / "quizzes" / f"{cid}.yml").write_text("\n".join(items) + "\n", encoding="utf-8")


def make_corpus(out: Path, courses: int = 100, lessons: int = 10, questions: int = 50) -> Path:
    text = [s.replace('"', "'") for s in sentences()]
    if out.exists():
        shutil.rmtree(out)
    (out / "courses").mkdir(parents=True)
    (out / "quizzes").mkdir()
    shutil.copy2(REPO / "coursegen.yml", out / "coursegen.yml")
    shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
    (out / "docs").mkdir()
    for number in range(1, courses + 1):
        write_course(out, number, lessons, questions, text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()
    make_corpus(args.out, args.courses, args.lessons, args.questions)
    print(f"Đã tạo {args.courses} khóa học tại {args.out}")


if __name__ == "__main__":
    main()
