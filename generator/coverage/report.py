"""The coverage report: province → commune → unit, with targets, gaps, statuses and projections.

Built from the aggregate facts (``facts.coverage_facts``); summing facts up the hierarchy is a sum
over a few hundred aggregate rows, not over learners.

Targets (from ``settings.coverage``): students must reach 80% by 31/12/2025 and 100% by 31/12/2030 —
the report uses the next milestone not yet past; staff and community-team members 100% within each
calendar year. Status: "met" when covered ≥ target; otherwise "on track" when the projected date is
on or before the deadline, else "behind". The projection extends the pace of the trend window
(completions in the last 90 days, or since 1 January for yearly targets) linearly.

Publication (``public=True``): units, communes and provinces with fewer than ``suppress_below``
learners are hidden, plus enough siblings that no hidden figure can be recovered by subtraction
from its parent's total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from ..model import Audience, Course, CoverageTargets
from ..text import fold
from .facts import DEFAULT_TREND_DAYS, CoverageFact, Window, window_for
from .geography import commune_name, province_name


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on-track"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return {"met": "Đạt", "on-track": "Đúng tiến độ", "behind": "Chậm tiến độ"}[self.value]


class Level(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {"province": "Tỉnh/Thành phố", "commune": "Xã/Phường", "unit": "Đơn vị"}[self.value]


SUPPRESSED_LABEL = "Không công bố (nhóm nhỏ, bảo vệ dữ liệu cá nhân)"


@dataclass(frozen=True)
class Target:
    percent: int
    deadline: date


def target_for(audience: Audience, as_of: date, targets: CoverageTargets) -> Target:
    """The milestone a report date is measured against."""
    if audience is Audience.STUDENTS:
        milestones = [
            Target(round(targets.students_2025 * 100), date(2025, 12, 31)),
            Target(round(targets.students_2030 * 100), date(2030, 12, 31)),
        ]
        return next((m for m in milestones if as_of <= m.deadline), milestones[-1])
    yearly = targets.staff_yearly if audience is Audience.STAFF else targets.community_team_yearly
    return Target(round(yearly * 100), date(as_of.year, 12, 31))


@dataclass(frozen=True)
class ReportRow:
    course_id: str
    audience: Audience
    period: str
    level: Level
    province_code: int
    commune_code: int | None
    unit_name: str
    enrolled: int
    covered: int
    recent: int
    target: Target
    window: Window
    suppressed: bool = False
    label: str = ""  # a totals row's own name ("Tổng cộng")
    places: int = 1  # a school's total: in how many communes its learners live

    # -- names ---------------------------------------------------------------------------------
    @property
    def province(self) -> str:
        return province_name(self.province_code)

    @property
    def commune(self) -> str:
        return commune_name(self.commune_code) if self.commune_code is not None else ""

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return {Level.PROVINCE: self.province, Level.COMMUNE: self.commune, Level.UNIT: self.unit_name}[self.level]

    # -- figures -------------------------------------------------------------------------------
    @property
    def share(self) -> float:
        """Covered as a fraction of enrolled (0 when nobody is enrolled)."""
        return self.covered / self.enrolled if self.enrolled else 0.0

    @property
    def needed(self) -> int:
        """Learners who must be covered to meet the target (rounded up: 80% of 37 is 30)."""
        return -(-self.enrolled * self.target.percent // 100)

    @property
    def remaining(self) -> int:
        return max(0, self.needed - self.covered)

    @property
    def projected(self) -> date | None:
        """When the target is reached at the pace of the trend window; None if met or no pace."""
        if self.remaining == 0 or self.recent == 0:
            return None
        days = -(-self.remaining * self.window.trend_days // self.recent)
        if days > (date.max - self.window.end).days:  # a pace so slow the target is never reached
            return None
        return self.window.end + timedelta(days=days)

    @property
    def status(self) -> Status:
        if self.remaining == 0:
            return Status.MET
        projected = self.projected
        if projected is not None and projected <= self.target.deadline:
            return Status.ON_TRACK
        return Status.BEHIND


@dataclass
class CourseSection:
    """The rows of one course, in display order (province, its communes, each commune's units)."""

    course: Course
    window: Window
    target: Target
    rows: list[ReportRow] = field(default_factory=list)
    # One row per school, agency or team of a province: its learners across every commune they live in
    # (the unit rows split a school by where its students live).
    schools: list[ReportRow] = field(default_factory=list)

    def level(self, level: Level) -> list[ReportRow]:
        return [row for row in self.rows if row.level is level]

    def total(self) -> ReportRow | None:
        """The provinces summed ("Tổng cộng"); None when there is nothing, or when a province is hidden
        (its figures would be the total minus the others)."""
        provinces = self.level(Level.PROVINCE)
        if not provinces:
            return None
        first = provinces[0]
        return replace(first, level=Level.PROVINCE, label="Tổng cộng", commune_code=None, unit_name="",
                       enrolled=sum(p.enrolled for p in provinces), covered=sum(p.covered for p in provinces),
                       recent=sum(p.recent for p in provinces), suppressed=any(p.suppressed for p in provinces),
                       places=len(provinces))


@dataclass
class CoverageReport:
    as_of: date
    trend_days: int
    public: bool
    suppress_below: int
    sections: list[CourseSection]
    notes: list[str] = field(default_factory=list)

    def rows(self, level: Level | None = None) -> list[ReportRow]:
        return [row for s in self.sections for row in s.rows if level is None or row.level is level]

    def area(self, fallback: str = "") -> str:
        """Where the figures are from: the one province, "34 tỉnh, thành phố", or ``fallback``."""
        codes = {row.province_code for row in self.rows(Level.PROVINCE)}
        if len(codes) == 1:
            return province_name(codes.pop())
        return f"{len(codes)} tỉnh, thành phố" if codes else fallback


def build_report(facts: Iterable[CoverageFact], courses: Iterable[Course], targets: CoverageTargets, as_of: date,
                 *, trend_days: int = DEFAULT_TREND_DAYS, public: bool = False) -> CoverageReport:
    """Sum facts into province, commune and unit rows for each course; hide small groups if ``public``."""
    by_course: dict[str, list[CoverageFact]] = defaultdict(list)
    for fact in facts:
        by_course[fact.course_id].append(fact)
    report = CoverageReport(as_of, trend_days, public, targets.suppress_below, [])
    for course in courses:
        window = window_for(course.audience, as_of, trend_days)
        target = target_for(course.audience, as_of, targets)
        section = CourseSection(course, window, target)
        section.rows = _rows(course, window, target, by_course.get(course.id, []))
        if public:
            section.rows = _suppress(section.rows, targets.suppress_below)
        section.schools = _schools(section.level(Level.UNIT))
        report.sections.append(section)
    return report


def _rows(course: Course, window: Window, target: Target, facts: list[CoverageFact]) -> list[ReportRow]:
    def row(level: Level, province: int, commune: int | None, unit: str, group: list[CoverageFact]) -> ReportRow:
        return ReportRow(course.id, course.audience, window.period, level, province, commune, unit,
                         sum(f.enrolled for f in group), sum(f.covered for f in group),
                         sum(f.recent for f in group), target, window)

    provinces: dict[int, dict[int, list[CoverageFact]]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        provinces[fact.province_code][fact.commune_code].append(fact)
    rows: list[ReportRow] = []
    for province in sorted(provinces, key=lambda code: _order(province_name(code))):
        communes = provinces[province]
        rows.append(row(Level.PROVINCE, province, None, "", [f for g in communes.values() for f in g]))
        for commune in sorted(communes, key=lambda code: _order(commune_name(code))):
            group = communes[commune]
            rows.append(row(Level.COMMUNE, province, commune, "", group))
            for fact in sorted(group, key=lambda f: _order(f.unit_name)):
                rows.append(row(Level.UNIT, province, commune, fact.unit_name, [fact]))
    return rows


def _schools(units: list[ReportRow]) -> list[ReportRow]:
    """Each unit's rows (one per commune its learners live in) summed, in the order of the province's
    units. A school total is hidden when any of its parts is: published totals are then sums of
    published rows and reveal nothing the unit rows do not."""
    groups: dict[tuple[int, str], list[ReportRow]] = defaultdict(list)
    for row in units:
        groups[(row.province_code, row.unit_name)].append(row)
    schools = [
        replace(parts[0], commune_code=None, enrolled=sum(p.enrolled for p in parts),
                covered=sum(p.covered for p in parts), recent=sum(p.recent for p in parts),
                suppressed=any(p.suppressed for p in parts), places=len(parts))
        for parts in groups.values()
    ]
    provinces = {code: index for index, code in enumerate(dict.fromkeys(r.province_code for r in units))}
    return sorted(schools, key=lambda r: (provinces[r.province_code], _order(r.unit_name)))


def _order(name: str) -> tuple[str, str]:
    """Alphabetical order as Vietnamese readers expect it ("Đoàn Kết" next to "Doãn", not after "Z")."""
    return fold(name), name


def _protect(children: list[ReportRow], hidden: set[int], threshold: int) -> None:
    """Hide children below ``threshold`` and, if any, enough more that the hidden ones cannot be
    recovered from the parent's total: at least two hidden, together at least ``threshold`` learners."""
    small = {id(c) for c in children if c.enrolled < threshold}
    hidden |= small
    hidden_here = [c for c in children if id(c) in hidden]
    if not hidden_here:
        return
    visible = sorted((c for c in children if id(c) not in hidden), key=lambda c: (c.enrolled, c.name))
    while visible and (len(hidden_here) < 2 or sum(c.enrolled for c in hidden_here) < threshold):
        extra = visible.pop(0)
        hidden.add(id(extra))
        hidden_here.append(extra)


def _suppress(rows: list[ReportRow], threshold: int) -> list[ReportRow]:
    hidden: set[int] = set()
    communes: dict[int, list[ReportRow]] = defaultdict(list)
    units: dict[tuple[int, int | None], list[ReportRow]] = defaultdict(list)
    for r in rows:
        if r.level is Level.COMMUNE:
            communes[r.province_code].append(r)
        elif r.level is Level.UNIT:
            units[(r.province_code, r.commune_code)].append(r)
    for province in (r for r in rows if r.level is Level.PROVINCE):
        # No total above the provinces is published, so only the primary rule applies to them.
        if province.enrolled < threshold:
            hidden.add(id(province))
            hidden |= {id(c) for c in communes[province.province_code]}
        else:
            _protect(communes[province.province_code], hidden, threshold)
        for commune in communes[province.province_code]:
            children = units[(commune.province_code, commune.commune_code)]
            if id(commune) in hidden:
                hidden |= {id(u) for u in children}  # a hidden commune's units would add up to it
            else:
                _protect(children, hidden, threshold)
    return [replace(r, suppressed=True) if id(r) in hidden else r for r in rows]
