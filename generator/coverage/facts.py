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


def rule_fingerprint(rule: CourseRule) -> str:
    """What the stored completions of a course were computed with; another value means recompute."""
    return f"{rule.audience.value};{rule.pass_mark};{','.join(sorted(rule.required_lessons))}"


def completion_scope(rule: CourseRule, window: Window) -> str:
    """The ``completions.scope`` a report window reads: "" (any time) for students, else the year."""
    return "" if rule.audience is Audience.STUDENTS else window.period


def _scope_of(rule: CourseRule, column: str) -> str:
    return "''" if rule.audience is Audience.STUDENTS else f"SUBSTR({column}, 1, 4)"


def refresh_completions(db: Database, rule: CourseRule, learners: Iterable[int] | None = None) -> None:
    """Recompute the stored completions of ``rule``'s course, for ``learners`` (ids in increasing
    order) or for everyone.

    Must run inside a write transaction. A learner completes in a scope when every required lesson
    was attended and a final check reached the pass mark with records of that scope; the completion
    day is the day the last of these first happened. Since that day does not move when later records
    arrive, a report at any date counts the rows with ``completed_on`` up to that date.
    Everyone is recomputed when the course's rule changed since the rows were computed.
    """
    fingerprint = rule_fingerprint(rule)
    stored = db.scalar("SELECT rule FROM completion_rules WHERE course_id = ?", (rule.course_id,))
    if stored != fingerprint:
        learners = None
    if learners is None:
        db.execute("DELETE FROM completions WHERE course_id = ?", (rule.course_id,))
        attendance, results = "attendance a", "quiz_results q"
    else:
        db.temp_table("touched", "learner_id BIGINT PRIMARY KEY")
        db.copy_rows("touched", ("learner_id",), ((learner,) for learner in learners))
        db.analyze("touched")
        db.execute("DELETE FROM completions WHERE course_id = ? AND learner_id IN (SELECT learner_id FROM touched)",
                   (rule.course_id,))
        attendance = "touched t CROSS JOIN attendance a"  # CROSS JOIN: SQLite walks the few touched learners
        results = "touched t CROSS JOIN quiz_results q"
    lessons = rule.required_lessons
    touched_a = "AND a.learner_id = t.learner_id" if learners is not None else ""
    touched_q = "AND q.learner_id = t.learner_id" if learners is not None else ""
    scope_a, scope_q = _scope_of(rule, "a.attended_on"), _scope_of(rule, "q.taken_on")
    yearly = rule.audience is not Audience.STUDENTS  # PostgreSQL refuses a constant in GROUP BY
    # One pass per table, grouped by learner in key order: the first day of each required lesson as
    # its own column (a few lessons per course), then the first passing score.
    firsts = ", ".join(f"MIN(CASE WHEN a.lesson_id = ? THEN a.attended_on END) AS d{i}" for i in range(len(lessons)))
    passed = f"""passed AS (
                SELECT q.learner_id, {scope_q} AS scope, MIN(q.taken_on) AS d
                FROM {results}
                WHERE q.course_id = ? AND q.score_bp >= ? {touched_q}
                GROUP BY q.learner_id{f", {scope_q}" if yearly else ""})"""
    params: list[object] = []
    if lessons:
        days = ", ".join(["p.d", *(f"l.d{i}" for i in range(len(lessons)))])
        greatest = "MAX" if db.dialect == "sqlite" else "GREATEST"
        sql = f"""WITH lessons AS (
                SELECT a.learner_id, {scope_a} AS scope, {firsts}
                FROM {attendance}
                WHERE a.course_id = ? AND a.lesson_id IN ({placeholders(len(lessons))}) {touched_a}
                GROUP BY a.learner_id{f", {scope_a}" if yearly else ""}),
            {passed}
            SELECT ?, p.learner_id, p.scope, {greatest}({days})
            FROM passed p JOIN lessons l ON l.learner_id = p.learner_id AND l.scope = p.scope
            WHERE {" AND ".join(f"l.d{i} IS NOT NULL" for i in range(len(lessons)))}"""
        params += [*lessons, rule.course_id, *lessons]
    else:
        sql = f"WITH {passed} SELECT ?, p.learner_id, p.scope, p.d FROM passed p"
    params += [rule.course_id, rule.pass_mark * 100, rule.course_id]
    db.execute(f"INSERT INTO completions (course_id, learner_id, scope, completed_on) {sql}", params)
    if learners is not None:
        db.drop_temp_table("touched")
    db.execute(
        "INSERT INTO completion_rules (course_id, rule) VALUES (?, ?)"
        " ON CONFLICT (course_id) DO UPDATE SET rule = excluded.rule",
        (rule.course_id, fingerprint),
    )


def ensure_completions(db: Database, rules: Iterable[CourseRule]) -> None:
    """Recompute the completions of courses whose rule changed since they were stored (or never were)."""
    rules = list(rules)
    stored = dict(db.query("SELECT course_id, rule FROM completion_rules"))
    if all(stored.get(rule.course_id) == rule_fingerprint(rule) for rule in rules):
        return
    with db.transaction():
        for rule in rules:
            refresh_completions(db, rule)  # does nothing when another process refreshed it meanwhile


def coverage_facts(db: Database, rules: Iterable[CourseRule], as_of: date,
                   trend_days: int = DEFAULT_TREND_DAYS) -> list[CoverageFact]:
    """The facts for every course at the report date ``as_of``, one row per course and unit.

    One pass over the period's enrolments per course, each looked up in the stored completions."""
    rules = list(rules)
    ensure_completions(db, rules)
    names = dict(db.query("SELECT id, name FROM units"))
    facts: list[CoverageFact] = []
    for rule in rules:
        window = window_for(rule.audience, as_of, trend_days)
        rows = db.query(
            """SELECT e.province_code, e.commune_code, e.unit_id, COUNT(*), COUNT(c.learner_id),
                      COALESCE(SUM(CASE WHEN c.completed_on >= ? THEN 1 ELSE 0 END), 0)
               FROM enrollments e
               JOIN units u ON u.id = e.unit_id
               LEFT JOIN completions c ON c.course_id = ? AND c.learner_id = e.learner_id AND c.scope = ?
                                      AND c.completed_on <= ?
               WHERE e.period = ? AND u.audience = ?
               GROUP BY e.province_code, e.commune_code, e.unit_id""",
            [window.trend_start.isoformat(), rule.course_id, completion_scope(rule, window), as_of.isoformat(),
             window.period, rule.audience.value],
        )
        facts.extend(
            CoverageFact(rule.course_id, rule.audience, window.period, int(p), int(c), int(u), names[u],
                         int(enrolled), int(covered), int(recent))
            for p, c, u, enrolled, covered, recent in sorted(rows, key=lambda r: (r[0], r[1], names[r[2]], r[2]))
        )
    return facts


def latest_period(db: Database, audience: Audience) -> str | None:
    """The most recent period that has enrolments of ``audience`` (to explain an empty report)."""
    return db.scalar(
        "SELECT MAX(e.period) FROM enrollments e JOIN learners l ON l.id = e.learner_id WHERE l.audience = ?",
        (audience.value,),
    )
