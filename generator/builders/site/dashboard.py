"""The coverage dashboard in the site: pages built from the aggregate files in the project's ``do-phu/``.

Input: every ``do-phu/*.json`` written by ``coursegen coverage export`` (or ``merge --out …json``),
merged as ``coursegen coverage merge`` would (the same file twice is refused). Output: an overview
page (provinces against the target) and one page per province (communes and units), each with
charts drawn at build time as inline SVG — bars against the 80% and 100% lines, and progress over
time — so they show from ``file://`` with no script and no network. Only the public report is used
(``build_report(public=True)``): groups under ``settings.coverage.suppress_below`` learners, and
what would reveal them, are not shown by name or number, in tables or in charts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ...coverage.aggregate import Aggregate, SeriesPoint, courses_for, merge_aggregates, read_aggregate
from ...coverage.formats import vi_date, vi_int, vi_percent
from ...coverage.report import CourseSection, CoverageReport, Level, ReportRow, Status, build_report
from ...diagnostics import CoursegenError
from ...model import Corpus
from ...text import slugify

FOLDER = "do-phu"  # in the project: the aggregate files; in the site: the pages
INDEX = f"{FOLDER}/index.md"
NAV_LABEL = "Độ phủ đào tạo"
STATUS_COLOURS = {Status.MET: "#2e7d32", Status.ON_TRACK: "#f9a825", Status.BEHIND: "#c62828"}
LINES = (80, 100)  # the plans' milestones, drawn on every chart


@dataclass
class Dashboard:
    aggregate: Aggregate
    report: CoverageReport
    files: list[str]


def aggregate_files(corpus: Corpus) -> list[Path]:
    folder = corpus.root / FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def load(corpus: Corpus) -> Dashboard | None:
    """The merged aggregates and their public report, or None when ``do-phu/`` has no files."""
    paths = aggregate_files(corpus)
    if not paths:
        return None
    try:
        return of_aggregate(merge_aggregates([read_aggregate(path) for path in paths]), corpus,
                            [p.name for p in paths])
    except CoursegenError as exc:
        raise CoursegenError(f"trang độ phủ, thư mục {FOLDER}/: {exc}") from None


def of_aggregate(merged: Aggregate, corpus: Corpus, files: list[str]) -> Dashboard:
    """The dashboard of an aggregate already read (``load``, and the fuzz test of the renderer)."""
    report = build_report(merged.facts, courses_for(merged, corpus), corpus.settings.coverage, merged.as_of,
                          trend_days=merged.trend_days, public=True)
    return Dashboard(merged, report, files)


def province_page(row: ReportRow) -> str:
    return f"{FOLDER}/{slugify(row.province)}.md"


# -- SVG ---------------------------------------------------------------------------------------------
def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="cg-chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d"'
        f' viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px"'
        ' xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, rows: list[ReportRow], target: int) -> str:
    """Horizontal bars (share covered), coloured by status, with dashed lines at 80% and 100%."""
    label_w, plot_w, bar_h, top = 230, 420, 20, 24
    width, height = label_w + plot_w + 70, top + bar_h * max(1, len(rows)) + 24
    x = lambda share: label_w + plot_w * min(share, 1.0)  # noqa: E731 — a scale, read inline
    out = _svg_open(chart_id, width, height, title,
                    f"Tỷ lệ hoàn thành của {len(rows)} mục so với các mốc 80% và 100%; chỉ tiêu hiện hành {target}%.")
    for index, row in enumerate(rows):
        y = top + index * bar_h
        label = row.name if len(row.name) <= 34 else row.name[:33] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        out.append(
            f'<rect class="cg-bar" x="{label_w}" y="{y + 3}" width="{x(row.share) - label_w:.1f}" height="{bar_h - 6}"'
            f' fill="{STATUS_COLOURS[row.status]}"><title>{escape(row.name)}: {vi_percent(row.share)}'
            f' ({vi_int(row.covered)}/{vi_int(row.enrolled)}), {escape(row.status.label.lower())}</title></rect>')
        out.append(f'<text x="{x(row.share) + 4:.1f}" y="{y + 14}">{vi_percent(row.share)}</text>')
    for mark in LINES:
        lx = x(mark / 100)
        out.append(f'<line class="cg-target" x1="{lx:.1f}" x2="{lx:.1f}" y1="{top - 6}" y2="{height - 18}"'
                   ' stroke="#333" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{lx:.1f}" y="{top - 10}" text-anchor="middle">{mark}%</text>')
    out.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top - 4}" y2="{height - 18}" stroke="#999"/>')
    out.append("</svg>")
    return "".join(out)


def line_chart(chart_id: str, title: str, points: list[tuple[str, float]], target: int) -> str:
    """Share covered at the end of each month, with the 80% and 100% lines."""
    left, plot_w, plot_h, top = 48, 560, 200, 16
    width, height = left + plot_w + 20, top + plot_h + 40
    n = max(1, len(points) - 1)
    px = lambda i: left + plot_w * i / n  # noqa: E731
    py = lambda share: top + plot_h * (1 - min(share, 1.0))  # noqa: E731
    out = _svg_open(chart_id, width, height, title,
                    f"Tỷ lệ hoàn thành cộng dồn theo tháng, {len(points)} tháng; chỉ tiêu hiện hành {target}%.")
    for mark in (0, 20, 40, 60, *LINES):
        y = py(mark / 100)
        dashed = ' stroke-dasharray="4 3" stroke="#333" class="cg-target"' if mark in LINES else ' stroke="#ddd"'
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"{dashed}/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{mark}%</text>')
    coords = " ".join(f"{px(i):.1f},{py(share):.1f}" for i, (_, share) in enumerate(points))
    out.append(f'<polyline class="cg-progress" points="{coords}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    step = max(1, len(points) // 8)
    for i, (month, share) in enumerate(points):
        out.append(f'<circle cx="{px(i):.1f}" cy="{py(share):.1f}" r="3" fill="#1565c0">'
                   f'<title>{escape(month[5:])}/{escape(month[:4])}: {vi_percent(share)}</title></circle>')
        if i % step == 0 or i == len(points) - 1:
            out.append(f'<text x="{px(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                       f'{escape(month[5:])}/{escape(month[2:4])}</text>')
    out.append("</svg>")
    return "".join(out)


# -- progress over time --------------------------------------------------------------------------------
def progress(series: dict[tuple[str, str, int], list[SeriesPoint]], course: str, period: str,
             provinces: list[ReportRow]) -> list[tuple[str, float]]:
    """Monthly cumulative share covered over the given (published) provinces."""
    enrolled = sum(p.enrolled for p in provinces)
    per_province = {p.province_code: {s.month: s.covered for s in series.get((course, period, p.province_code), [])}
                    for p in provinces}
    months = sorted({m for values in per_province.values() for m in values})
    if not months or not enrolled:
        return []
    total: dict[str, int] = defaultdict(int)
    for values in per_province.values():
        last = 0
        for month in months:
            last = values.get(month, last)  # cumulative: a month without completions keeps the count
            total[month] += last
    return [(month, total[month] / enrolled) for month in months]


# -- pages -----------------------------------------------------------------------------------------------
def _front(title: str) -> str:
    from .mdtext import front

    return front(title, "Độ phủ bồi dưỡng kỹ năng sử dụng dịch vụ công trực tuyến")


_ALIGN = ' style="text-align: right;"'
_COLUMNS = ("Số người học", "Đã hoàn thành", "Tỷ lệ", "Chỉ tiêu", "Tình trạng", "Dự kiến đạt")


def _table(rows: list[ReportRow], first: str, link: Callable[[ReportRow], str] | None = None) -> str:
    """The table as HTML, not Markdown: names come from aggregate files (input from outside), and in HTML
    one escape covers every construct (a "|" in a school name cannot start a forged cell, "*" or "~" no
    emphasis, whatever Markdown extensions a project enables). One line, so Markdown keeps it whole; no
    class, so the theme styles it as it styles Markdown tables."""
    head = "".join(f"<th{_ALIGN if n < 4 else ''}>{escape(c)}</th>" for n, c in enumerate(_COLUMNS))
    out = [f'<table><thead><tr><th>{escape(first)}</th>{head}</tr></thead><tbody>']
    for row in rows:
        name = escape(row.name)
        if link is not None:
            name = f'<a href="{escape(link(row), quote=True)}">{name}</a>'
        if row.level is Level.UNIT:
            name = f"&nbsp;&nbsp;&nbsp;· {name}"
        cells = (vi_int(row.enrolled), vi_int(row.covered), vi_percent(row.share), f"{row.target.percent}%",
                 row.status.label, vi_date(row.projected) or "—")
        out.append(f"<tr><td>{name}</td>" + "".join(f"<td{_ALIGN if n < 4 else ''}>{escape(c)}</td>"
                                                    for n, c in enumerate(cells)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _hidden_note(count: int, what: str, threshold: int) -> list[str]:
    if not count:
        return []
    return [f"<p><em>{count} {escape(what)} không được công bố: nhóm dưới {threshold} người học, hoặc có thể suy ra"
            " nhóm nhỏ từ tổng; số liệu của họ vẫn được tính trong báo cáo nội bộ.</em></p>", ""]


def _section_intro(section: CourseSection, dashboard: Dashboard) -> list[str]:
    from .mdtext import esc

    target = section.target
    return [f"## {esc(section.course.title)} — {esc(section.course.audience.label.lower())}", "",
            f"<p>{escape(section.course.audience.label)}, {escape(section.window.period_label)}. Chỉ tiêu:"
            f" {target.percent}% trước ngày {vi_date(target.deadline)}. Số liệu đến ngày"
            f" {vi_date(dashboard.aggregate.as_of)}.</p>", ""]


def _progress_block(chart_id: str, section: CourseSection, provinces: list[ReportRow], where: str,
                    dashboard: Dashboard) -> list[str]:
    points = progress(dashboard.aggregate.series, section.course.id, section.window.period, provinces)
    if not points:
        return []
    title = f"Tiến độ theo tháng — {section.course.title}, {where}"
    return ["### Tiến độ theo thời gian", "",
            f'<div class="cg-chart-box">{line_chart(chart_id, title, points, section.target.percent)}</div>', ""]


def _page_link(directory_urls: bool) -> Callable[[ReportRow], str]:
    """The overview's link to a province page, as MkDocs will name it (it rewrites only Markdown links)."""
    def link(row: ReportRow) -> str:
        stem = Path(province_page(row)).stem
        return f"{stem}/" if directory_urls else f"{stem}.html"
    return link


def overview(dashboard: Dashboard, corpus: Corpus, directory_urls: bool = False) -> str:
    report = dashboard.report
    lines = [_front(NAV_LABEL), f"# {NAV_LABEL}", "",
             f"Tỷ lệ người học đã hoàn thành khóa học so với chỉ tiêu, theo tỉnh/thành phố, tổng hợp từ"
             f" {len(dashboard.files)} tệp số liệu (không có họ tên hay mã người học). Nhóm dưới"
             f" {report.suppress_below} người học không được công bố.", "",
             "Màu cột: xanh — đạt chỉ tiêu; vàng — đúng tiến độ; đỏ — chậm tiến độ. Đường đứt nét: mốc 80% và 100%.", ""]
    for number, section in enumerate(report.sections, 1):
        lines += _section_intro(section, dashboard)
        provinces = section.level(Level.PROVINCE)
        shown = [r for r in provinces if not r.suppressed]
        if shown:
            chart = bar_chart(f"cg-tinh-{number}", f"{section.course.title}: tỷ lệ hoàn thành theo tỉnh/thành phố",
                              shown, section.target.percent)
            lines += [f'<div class="cg-chart-box">{chart}</div>', ""]
            lines += _progress_block(f"cg-tien-do-{number}", section, shown, "các tỉnh được công bố", dashboard)
            lines += [_table(shown, "Tỉnh/Thành phố", _page_link(directory_urls)), ""]
        else:
            lines += ["Chưa có số liệu được công bố cho khóa học này.", ""]
        lines += _hidden_note(len(provinces) - len(shown), "tỉnh/thành phố", report.suppress_below)
    return "\n".join(lines) + "\n"


def province(dashboard: Dashboard, code: int, name: str) -> str:
    report = dashboard.report
    from .mdtext import esc

    lines = [_front(f"Độ phủ đào tạo: {name}"), f"# Độ phủ đào tạo: {esc(name)}", "",
             "[← Tất cả tỉnh/thành phố](index.md)", ""]
    for number, section in enumerate(report.sections, 1):
        rows = [r for r in section.rows if r.province_code == code]
        top = [r for r in rows if r.level is Level.PROVINCE]
        if not top or top[0].suppressed:
            continue
        lines += _section_intro(section, dashboard)
        communes = [r for r in rows if r.level is Level.COMMUNE]
        shown = [r for r in communes if not r.suppressed]
        first = top[0]
        lines += [f"<p>Toàn tỉnh: {vi_int(first.covered)}/{vi_int(first.enrolled)} người học đã hoàn thành"
                  f" ({vi_percent(first.share)}), {escape(first.status.label.lower())}.</p>", ""]
        if shown:
            chart = bar_chart(f"cg-xa-{number}", f"{section.course.title}: tỷ lệ hoàn thành theo xã/phường, {name}",
                              shown, section.target.percent)
            lines += [f'<div class="cg-chart-box">{chart}</div>', ""]
        lines += _progress_block(f"cg-tien-do-{number}", section, top, name, dashboard)
        table_rows: list[ReportRow] = []
        hidden_units = 0
        for commune in shown:
            table_rows.append(commune)
            units = [r for r in rows if r.level is Level.UNIT and r.commune_code == commune.commune_code]
            table_rows += [u for u in units if not u.suppressed]
            hidden_units += sum(1 for u in units if u.suppressed)
        if table_rows:
            lines += ["### Xã/phường và đơn vị", "", _table(table_rows, "Xã/Phường, đơn vị"), ""]
        lines += _hidden_note(len(communes) - len(shown), "xã/phường", report.suppress_below)
        lines += _hidden_note(hidden_units, "đơn vị khác", report.suppress_below)
    return "\n".join(lines) + "\n"


def pages(corpus: Corpus, directory_urls: bool = False) -> list[tuple[str, str, str]]:
    """(uri, nav title, markdown) of every dashboard page; empty when the project has no aggregate files.

    ``directory_urls``: MkDocs' ``use_directory_urls`` (the links inside the HTML tables are not rewritten)."""
    dashboard = load(corpus)
    return [] if dashboard is None else render(dashboard, corpus, directory_urls)


def render(dashboard: Dashboard, corpus: Corpus, directory_urls: bool = False) -> list[tuple[str, str, str]]:
    out = [(INDEX, NAV_LABEL, overview(dashboard, corpus, directory_urls))]
    published: dict[int, ReportRow] = {}
    for section in dashboard.report.sections:
        for row in section.level(Level.PROVINCE):
            if not row.suppressed:
                published.setdefault(row.province_code, row)
    for code, row in sorted(published.items(), key=lambda item: slugify(item[1].province)):
        out.append((province_page(row), row.province, province(dashboard, code, row.province)))
    return out


def nav_entries(corpus: Corpus) -> list:
    """The nav section for the dashboard (empty without aggregate files): overview, then provinces."""
    from .mdtext import html_title

    found = pages(corpus)
    if not found:
        return []
    return [{NAV_LABEL: [INDEX, *({html_title(title): uri} for uri, title, _ in found[1:])]}]
