"""Aggregate files: a province's coverage as counts only, and merging many into a national picture.

A province exports ``coursegen coverage export`` (this module's ``export_aggregate``): one JSON file,
versioned, with the counts per course, period, province, commune and unit (enrolled, covered,
covered within the trend window) and, per course and province, the number covered by the end of
each month (progress over time). No learner codes, no names: a unit is a school, agency or team.

The file's ``id`` is the SHA-256 of its canonical content (everything but the id), so a file that
was copied, renamed or re-sent is recognised; ``merge_aggregates`` refuses the same id twice, a file
whose sources were already merged (a national file plus one of its provinces), and two files that
count the same course, period and province (the same data exported twice). The merge is itself an
aggregate, so provinces roll up to regions and regions to the nation.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience, Corpus, Course
from .aggregateinput import SeriesPoint
from .facts import DEFAULT_TREND_DAYS, CourseRule, CoverageFact, completion_scope, window_for
from .storage import Database

FORMAT = "coursegen-coverage-aggregate"
VERSION = 1
FACT_COLUMNS = ("course", "period", "province", "commune", "unit", "enrolled", "covered", "recent")


@dataclass
class Aggregate:
    """One aggregate file in memory (a province's export or a merge)."""

    as_of: date
    trend_days: int
    publisher: str
    courses: dict[str, Audience]  # course id → audience
    facts: list[CoverageFact]
    series: dict[tuple[str, str, int], list[SeriesPoint]]  # (course, period, province) → monthly points
    sources: list[str] = field(default_factory=list)  # ids of the files merged into this one
    id: str = ""
    location: str = ""  # the file it was read from, for messages

    def provinces(self) -> set[int]:
        return {f.province_code for f in self.facts}

    def keys(self) -> set[tuple[str, str, int]]:
        return {(f.course_id, f.period, f.province_code) for f in self.facts}

    # -- JSON --------------------------------------------------------------------------------------
    def body(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "as_of": self.as_of.isoformat(),
            "trend_days": self.trend_days,
            "publisher": self.publisher,
            "courses": [{"id": c, "audience": a.value} for c, a in sorted(self.courses.items())],
            "columns": list(FACT_COLUMNS),
            "facts": [[f.course_id, f.period, f.province_code, f.commune_code, f.unit_name, f.enrolled, f.covered,
                       f.recent] for f in _sorted_facts(self.facts)],
            "series": [{"course": c, "period": p, "province": v, "months": [[s.month, s.covered] for s in points]}
                       for (c, p, v), points in sorted(self.series.items())],
            "sources": sorted(self.sources),
        }

    def to_json(self) -> str:
        body = self.body()
        self.id = content_id(body)
        return json.dumps({**body, "id": self.id}, ensure_ascii=False, indent=1) + "\n"


def _sorted_facts(facts: Iterable[CoverageFact]) -> list[CoverageFact]:
    return sorted(facts, key=lambda f: (f.course_id, f.period, f.province_code, f.commune_code, f.unit_name))


def content_id(body: dict) -> str:
    canonical = json.dumps({k: v for k, v in body.items() if k != "id"}, ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()  # a crafted "\\ud800" too


# -- export ------------------------------------------------------------------------------------------
def export_aggregate(db: Database, corpus: Corpus, as_of: date, *, trend_days: int = DEFAULT_TREND_DAYS,
                     courses: list[Course] | None = None) -> Aggregate:
    """The aggregate of everything in ``db`` at ``as_of``: facts per unit and monthly progress."""
    from .facts import coverage_facts

    chosen = list(courses if courses is not None else corpus.courses)
    rules = [CourseRule.of(c) for c in chosen]
    facts = coverage_facts(db, rules, as_of, trend_days)
    series: dict[tuple[str, str, int], list[SeriesPoint]] = {}
    for rule in rules:
        window = window_for(rule.audience, as_of, trend_days)
        # Driven from the course's completions, each looked up in the enrolments by primary key.
        # Records of a course only ever name learners of its audience.
        rows = db.query(
            """SELECT e.province_code, SUBSTR(c.completed_on, 1, 7) AS month, COUNT(*)
               FROM completions c JOIN enrollments e ON e.learner_id = c.learner_id AND e.period = ?
               WHERE c.course_id = ? AND c.scope = ? AND c.completed_on <= ?
               GROUP BY e.province_code, SUBSTR(c.completed_on, 1, 7)
               ORDER BY 1, 2""",
            [window.period, rule.course_id, completion_scope(rule, window), as_of.isoformat()],
        )
        running: dict[int, int] = defaultdict(int)
        for province, month, count in rows:
            running[int(province)] += int(count)
            series.setdefault((rule.course_id, window.period, int(province)), []).append(
                SeriesPoint(str(month), running[int(province)]))
    # Renumber units: database ids mean nothing outside this database.
    facts = [CoverageFact(f.course_id, f.audience, f.period, f.province_code, f.commune_code, 0, f.unit_name,
                          f.enrolled, f.covered, f.recent) for f in facts]
    return Aggregate(as_of, trend_days, corpus.settings.publisher, {c.id: c.audience for c in chosen}, facts, series)


def write_aggregate(aggregate: Aggregate, path: Path) -> None:
    """Write the JSON to a temporary sibling and rename it into place (never half a file)."""
    path = path.absolute()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(aggregate.to_json(), encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CoursegenError(f"không ghi được {path}: {exc}") from exc


# -- reading -----------------------------------------------------------------------------------------
def read_aggregate(path: Path) -> Aggregate:
    """Read and check one aggregate file (input from outside: see aggregateinput); errors name the file
    and the field, in Vietnamese."""
    from .aggregateinput import load_json, parse_aggregate

    fields = parse_aggregate(load_json(path), path.name, format_name=FORMAT, version=VERSION, columns=FACT_COLUMNS,
                             content_id=content_id)
    return Aggregate(**fields, location=path.name)


# -- merge -------------------------------------------------------------------------------------------
def merge_aggregates(parts: list[Aggregate]) -> Aggregate:
    """Combine aggregates of different provinces into one; refuse anything that would count twice."""
    if not parts:
        raise CoursegenError("chưa có tệp số liệu tổng hợp nào để gộp")
    first = parts[0]
    seen: dict[str, str] = {}  # id (of a file or of a source inside one) → file that brought it
    keys: dict[tuple[str, str, int], str] = {}
    courses: dict[str, Audience] = {}
    facts: list[CoverageFact] = []
    series: dict[tuple[str, str, int], list[SeriesPoint]] = {}
    for part in parts:
        if (part.as_of, part.trend_days) != (first.as_of, first.trend_days):
            raise CoursegenError(
                f"{part.location}: số liệu tính đến {part.as_of:%d/%m/%Y} (xu hướng {part.trend_days} ngày), khác"
                f" {first.location} ({first.as_of:%d/%m/%Y}, {first.trend_days} ngày); hãy xuất lại các tỉnh"
                " với cùng --as-of và --trend-days")
        for identity in (part.id, *part.sources):
            if identity in seen:
                raise CoursegenError(
                    f"{part.location}: số liệu này đã có trong {seen[identity]} (cùng mã {identity[:12]}…);"
                    " không gộp một tệp hai lần")
        for identity in (part.id, *part.sources):
            seen[identity] = part.location
        for key in sorted(part.keys()):
            if key in keys:
                from .geography import province_name

                raise CoursegenError(
                    f"{part.location}: khóa học {key[0]}, kỳ {key[1]}, {province_name(key[2])} đã có trong"
                    f" {keys[key]}; mỗi tỉnh chỉ được gộp một lần")
        keys.update({key: part.location for key in part.keys()})
        for course, audience in part.courses.items():
            if courses.setdefault(course, audience) is not audience:
                raise CoursegenError(f"{part.location}: khóa học {course} có đối tượng khác với các tệp trước")
        facts.extend(part.facts)
        series.update(part.series)
    facts = [CoverageFact(f.course_id, f.audience, f.period, f.province_code, f.commune_code, index + 1, f.unit_name,
                          f.enrolled, f.covered, f.recent) for index, f in enumerate(_sorted_facts(facts))]
    sources = sorted({s for part in parts for s in (part.sources or [part.id])})
    return Aggregate(first.as_of, first.trend_days, "", courses, facts, series, sources,
                     location="+".join(p.location for p in parts))


def read_many(paths: list[Path]) -> Aggregate:
    return merge_aggregates([read_aggregate(path) for path in paths])


def courses_for(aggregate: Aggregate, corpus: Corpus) -> list[Course]:
    """The corpus's courses that the aggregate counts, in corpus order; unknown courses are an error."""
    known = {c.id: c for c in corpus.courses}
    unknown = sorted(set(aggregate.courses) - set(known))
    if unknown:
        raise CoursegenError(
            f"{aggregate.location}: khóa học {', '.join(unknown)} không có trong dự án này"
            f" (các khóa học: {', '.join(sorted(known))})")
    wrong = [c for c, a in aggregate.courses.items() if known[c].audience is not a]
    if wrong:
        raise CoursegenError(f"{aggregate.location}: khóa học {', '.join(wrong)} có đối tượng khác với dự án này")
    return [c for c in corpus.courses if c.id in aggregate.courses]
