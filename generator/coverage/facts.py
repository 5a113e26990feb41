"""The aggregate coverage facts: counts per course, period, province, commune and unit.

This is the one place that decides who is covered, in SQL (GROUP BY in the database, never a Python
loop over learners), so that the report, the publication outputs and the later province → national
roll-up all count the same way. A fact carries no learner data, only counts.

Who counts:
- enrolled: learners of the course's audience enrolled in the period of the report date — the school
  year for students ("2025-2026"), the calendar year for staff and community-team members ("2025");
- covered: enrolled learners for whom the course's completion rule holds — every required lesson
  attended and a final-check score at or above the pass mark — using records dated up to the report
  date; for students at any earlier time, for staff and team members within the calendar year (the
  plans ask for training every year);
- recent: covered learners whose completion date (the day the rule first held) falls in the trend
  window, used to project when the target will be reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Audience, Course
from .storage import Database, placeholders
from .values import school_year_of

DEFAULT_TREND_DAYS = 90


@dataclass(frozen=True)
class CourseRule:
    """A course's completion rule as the database query needs it."""

    course_id: str
    audience: Audience
    pass_mark: int  # percent
    required_lessons: tuple[str, ...]

    @classmethod
    def of(cls, course: Course) -> CourseRule:
        return cls(course.id, course.audience, course.completion.pass_mark, course.completion.required_lessons)


@dataclass(frozen=True)
class Window:
    """The period a report is about and the dates that count in it."""

    audience: Audience
    period: str  # "2025-2026" (students) or "2025"
    start: date | None  # first day a completion may count; None: any time (students)
    end: date  # the report date
    trend_start: date  # completions from this day on are "recent"

    @property
    def trend_days(self) -> int:
        return (self.end - self.trend_start).days + 1

    @property
    def period_label(self) -> str:
        return f"năm học {self.period}" if self.audience is Audience.STUDENTS else f"năm {self.period}"


def window_for(audience: Audience, as_of: date, trend_days: int = DEFAULT_TREND_DAYS) -> Window:
    trend_start = as_of - timedelta(days=trend_days - 1)
    if audience is Audience.STUDENTS:
        return Window(audience, school_year_of(as_of), None, as_of, trend_start)
    start = date(as_of.year, 1, 1)
    return Window(audience, str(as_of.year), start, as_of, max(trend_start, start))


@dataclass(frozen=True)
class CoverageFact:
    """Counts for one unit in one commune, for one course and period."""

    course_id: str
    audience: Audience
    period: str
    province_code: int
    commune_code: int
    unit_id: int
    unit_name: str
    enrolled: int
    covered: int
    recent: int


def completion_sql(rule: CourseRule, start: str, end: str) -> tuple[str, list[object]]:
    """CTEs ending in ``completed(learner_id, completed_on)``: the learners for whom the course's rule
    holds using records dated ``start`` to ``end`` (ISO dates), and the day it first held; with the
    parameters they need, in order."""
    lessons = rule.required_lessons
    lesson_filter = f"AND a.lesson_id IN ({placeholders(len(lessons))})" if lessons else "AND 1 = 0"
    sql = f"""
        first_lesson AS (
            SELECT a.learner_id, a.lesson_id, MIN(a.attended_on) AS d
            FROM attendance a
            WHERE a.course_id = ? {lesson_filter} AND a.attended_on >= ? AND a.attended_on <= ?
            GROUP BY a.learner_id, a.lesson_id),
        lessons_done AS (
            SELECT learner_id, COUNT(*) AS n, MAX(d) AS d FROM first_lesson GROUP BY learner_id),
        passed AS (
            SELECT q.learner_id, MIN(q.taken_on) AS d
            FROM quiz_results q
            WHERE q.course_id = ? AND q.score_bp >= ? AND q.taken_on >= ? AND q.taken_on <= ?
            GROUP BY q.learner_id),
        completed AS (
            SELECT p.learner_id,
                   CASE WHEN l.d IS NOT NULL AND l.d > p.d THEN l.d ELSE p.d END AS completed_on
            FROM passed p LEFT JOIN lessons_done l ON l.learner_id = p.learner_id
            WHERE COALESCE(l.n, 0) = ?)"""
    return sql, [rule.course_id, *lessons, start, end, rule.course_id, rule.pass_mark * 100, start, end, len(lessons)]


def coverage_facts(db: Database, rules: Iterable[CourseRule], as_of: date,
                   trend_days: int = DEFAULT_TREND_DAYS) -> list[CoverageFact]:
    """The facts for every course at the report date ``as_of``, one row per course and unit."""
    facts: list[CoverageFact] = []
    for rule in rules:
        window = window_for(rule.audience, as_of, trend_days)
        start = window.start.isoformat() if window.start else "0000-01-01"
        end = as_of.isoformat()
        cte, params = completion_sql(rule, start, end)
        rows = db.query(
            f"""WITH {cte}
                SELECT e.province_code, e.commune_code, e.unit_id, u.name,
                       COUNT(*), COUNT(c.learner_id),
                       COALESCE(SUM(CASE WHEN c.completed_on >= ? THEN 1 ELSE 0 END), 0)
                FROM enrollments e
                JOIN learners l ON l.id = e.learner_id
                JOIN units u ON u.id = e.unit_id
                LEFT JOIN completed c ON c.learner_id = e.learner_id
                WHERE e.period = ? AND l.audience = ?
                GROUP BY e.province_code, e.commune_code, e.unit_id, u.name
                ORDER BY e.province_code, e.commune_code, u.name""",
            [*params, window.trend_start.isoformat(), window.period, rule.audience.value],
        )
        facts.extend(
            CoverageFact(rule.course_id, rule.audience, window.period, int(p), int(c), int(u), name,
                         int(enrolled), int(covered), int(recent))
            for p, c, u, name, enrolled, covered, recent in rows
        )
    return facts


def latest_period(db: Database, audience: Audience) -> str | None:
    """The most recent period that has enrolments of ``audience`` (to explain an empty report)."""
    return db.scalar(
        "SELECT MAX(e.period) FROM enrollments e JOIN learners l ON l.id = e.learner_id WHERE l.audience = ?",
        (audience.value,),
    )
