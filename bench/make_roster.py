"""Generate a synthetic national roster and completion records for the coverage benchmark and tests.

Usage: python -m bench.make_roster OUT_DIR [--scale 1.0] [--provinces 34] [--seed 1]

At ``--scale 1`` this writes about 2.8 million THPT students in about 2,500 schools spread over the
34 provinces and their 3,321 communes (official names, so every row resolves), one staff member of
each commune's one-stop office per 40 students, one community-team member per 25 students, and
about 10 million completion records (lesson attendance and quiz scores). One folder per province:

    <OUT_DIR>/<province code>/hoc-sinh.csv, can-bo.csv, to-cong-nghe-so.csv,
                              ket-qua-hoc-sinh.csv, ket-qua-can-bo.csv, ket-qua-to.csv

The courses are those of ``tests/data/mini`` plus its staff and team clones (``make_project``):
``mini-dvc``, ``minicb-dvc``, ``minitc-dvc``, two lessons each, pass mark 70%. Names are made up
from common family and given names; codes are unique per audience.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

from vietnam_provinces import Province, ProvinceCode, Ward

NATIONAL_STUDENTS = 2_800_000
NATIONAL_SCHOOLS = 2_500
STUDENTS_PER_STAFF = 40
STUDENTS_PER_TEAM_MEMBER = 25
SCHOOL_YEAR = "2025-2026"
YEAR = "2025"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Gia"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Vy", "Yến"]
DATES_2025 = [f"{d:02d}/{m:02d}/2025" for m in range(1, 12) for d in (3, 10, 17, 24)]


@dataclass(frozen=True)
class ProvincePlan:
    code: int
    name: str
    communes: list[str]
    schools: int
    students: int


def national_plan(scale: float = 1.0, provinces: int = 34) -> list[ProvincePlan]:
    """Schools and students per province in proportion to its number of communes."""
    chosen = sorted(Province.iter_all(), key=lambda p: p.code.value)[:provinces]
    communes = {p.code.value: [" ".join(w.name.split()) for w in Ward.iter_by_province(ProvinceCode(p.code.value))]
                for p in chosen}
    all_communes = sum(1 for _ in Ward.iter_all())
    plans = []
    for province in chosen:
        share = len(communes[province.code.value]) / all_communes
        # Small scales keep fewer, still realistic schools (about 110 students at --scale 0.01).
        schools = max(1, round(NATIONAL_SCHOOLS * share * min(1.0, scale * 10)))
        students = max(schools * 20, round(NATIONAL_STUDENTS * share * scale))
        plans.append(ProvincePlan(province.code.value, province.name, communes[province.code.value], schools, students))
    return plans


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _records(rng: random.Random, writer, code: str, course: str, completed_share: float) -> int:
    """Lesson attendance and a score for one learner; about ``completed_share`` of learners pass."""
    roll = rng.random()
    if roll > completed_share + 0.15:
        return 0  # never started
    first = rng.randrange(len(DATES_2025) - 4)
    writer.writerow((code, course, "1", "", DATES_2025[first]))
    writer.writerow((code, course, "2", "", DATES_2025[first + 1]))
    written = 3
    if roll > completed_share / 2:  # a first attempt that fails, then the one that counts
        writer.writerow((code, course, "", "5", DATES_2025[first + 2]))
        written = 4
    score = "8" if roll <= completed_share else "5"
    writer.writerow((code, course, "", score, DATES_2025[first + 3]))
    return written


def write_province(plan: ProvincePlan, out: Path, seed: int = 1) -> dict[str, int]:
    """Write one province's rosters and records; returns the row counts."""
    rng = random.Random(seed * 1000 + plan.code)
    folder = out / f"{plan.code:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"students": 0, "staff": 0, "team": 0, "records": 0}
    schools = [(f"Trường THPT {plan.name} số {i + 1}", plan.communes[i * len(plan.communes) // plan.schools])
               for i in range(plan.schools)]
    with (folder / "hoc-sinh.csv").open("w", encoding="utf-8", newline="") as roster, \
            (folder / "ket-qua-hoc-sinh.csv").open("w", encoding="utf-8", newline="") as results:
        people, marks = csv.writer(roster), csv.writer(results)
        people.writerow(("Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học"))
        marks.writerow(("Mã học sinh", "Khóa học", "Bài học", "Điểm", "Ngày"))
        for i in range(plan.students):
            school, commune = schools[i % plan.schools]
            code = f"{plan.code:02d}{i:08d}"
            grade = 10 + i % 3
            people.writerow((code, _name(rng), f"{grade}A{i % 7 + 1}", school, commune, plan.name, SCHOOL_YEAR))
            counts["records"] += _records(rng, marks, code, "mini-dvc", 0.8)
        counts["students"] = plan.students
    for kind, file_name, result_name, course, per, unit in (
        ("staff", "can-bo.csv", "ket-qua-can-bo.csv", "minicb-dvc", STUDENTS_PER_STAFF, "UBND {commune}"),
        ("team", "to-cong-nghe-so.csv", "ket-qua-to.csv", "minitc-dvc", STUDENTS_PER_TEAM_MEMBER,
         "Tổ công nghệ số cộng đồng {commune}"),
    ):
        header = "Mã cán bộ" if kind == "staff" else "Mã thành viên"
        prefix = "CB" if kind == "staff" else "TC"
        with (folder / file_name).open("w", encoding="utf-8", newline="") as roster, \
                (folder / result_name).open("w", encoding="utf-8", newline="") as results:
            people, marks = csv.writer(roster), csv.writer(results)
            people.writerow((header, "Họ và tên", "Đơn vị", "Xã/Phường", "Tỉnh/Thành phố", "Năm"))
            marks.writerow((header, "Khóa học", "Bài học", "Điểm", "Ngày"))
            count = max(len(plan.communes), plan.students // per)
            for i in range(count):
                commune = plan.communes[i % len(plan.communes)]
                code = f"{prefix}{plan.code:02d}-{i:07d}"
                people.writerow((code, _name(rng), unit.format(commune=commune), commune, plan.name, YEAR))
                counts["records"] += _records(rng, marks, code, course, 0.7)
            counts[kind] = count
    return counts


ROSTERS = (("hoc-sinh.csv", "students"), ("can-bo.csv", "staff"), ("to-cong-nghe-so.csv", "community-team"))
RESULTS = ("ket-qua-hoc-sinh.csv", "ket-qua-can-bo.csv", "ket-qua-to.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the national size (1 = 2.8 million)")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    totals: dict[str, int] = {}
    for plan in national_plan(args.scale, args.provinces):
        for key, value in write_province(plan, args.out, args.seed).items():
            totals[key] = totals.get(key, 0) + value
    print(", ".join(f"{key}: {value:,}" for key, value in totals.items()))


if __name__ == "__main__":
    main()
