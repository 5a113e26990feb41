"""The coverage dashboard in the built site, opened from file:// in headless Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.make_roster import national_plan, write_province
from generator.coverage.aggregate import read_aggregate
from generator.coverage.report import Level, build_report
from generator.source.loader import load_corpus
from tests.conftest import REPO, run_coursegen
from tests.coverage.conftest import coverage, make_project
from tests.coverage.test_coverage_backends import AS_OF, import_province
from tests.site.conftest import file_url

THRESHOLD = 10


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A project with two provinces' exports in do-phu/, built into a site."""
    base = tmp_path_factory.mktemp("dashboard")
    project = make_project(base / "project")
    for plan in national_plan(0.01, 2):
        write_province(plan, base / "data")
        folder = base / "data" / f"{plan.code:02d}"
        db = base / f"{plan.code}.sqlite3"
        import_province(project, db, folder)
        result = coverage(project, db, "export", "--as-of", AS_OF.isoformat(), "--out",
                          str(project / "do-phu" / f"tinh-{plan.code}.json"))
        assert result.returncode == 0, result.stderr
    result = run_coursegen("-C", str(project), "build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project, project / "site"


def small_units(project: Path) -> list[str]:
    """Names of the units that the public dashboard must not show (fewer than THRESHOLD learners)."""
    corpus = load_corpus(project)
    assert corpus.settings.coverage.suppress_below == THRESHOLD
    facts = [f for path in sorted((project / "do-phu").glob("*.json")) for f in read_aggregate(path).facts]
    report = build_report(facts, corpus.courses, corpus.settings.coverage, AS_OF)
    return sorted({r.unit_name for r in report.rows(Level.UNIT) if r.enrolled < THRESHOLD})


def test_overview_draws_charts_offline_and_hides_small_units(built):
    """Headless Chromium from file://: charts drawn to scale, no external request, then a province."""
    _, site = built
    result = subprocess.run([sys.executable, "-m", "tests.coverage.browse", file_url(site / "do-phu" / "index.html")],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    overview, province = seen["overview"], seen["province"]
    assert overview["h1"].rstrip("¶") == "Độ phủ đào tạo"
    assert overview["charts"] >= 6  # per course: provinces against the target, and progress over time
    assert set(overview["roles"]) == {"img"}
    assert "tỷ lệ hoàn thành theo tỉnh/thành phố" in overview["titles"][0]
    assert len(overview["bar_widths"]) >= 6 and max(overview["bar_widths"]) > 100  # drawn, to scale
    assert min(overview["bar_widths"]) >= 0
    assert overview["target_lines"] >= 2 * overview["charts"]  # the 80% and 100% lines on every chart
    assert overview["progress_lines"] >= 3
    assert province["h1"].startswith("Độ phủ đào tạo: ") and province["url"].endswith(".html")
    assert len(province["bar_widths"]) >= 3
    assert "không được công bố" in province["text"]
    assert seen["external"] == []


def test_no_unit_under_the_threshold_is_shown_anywhere(built):
    project, site = built
    hidden = small_units(project)
    assert len(hidden) > 5  # the generated data has small units (one-stop offices, teams)
    pages = list((site / "do-phu").glob("*.html"))
    assert len(pages) == 3  # the overview and the two provinces
    for path in pages:
        html = path.read_text(encoding="utf-8")
        shown = [name for name in hidden if name in html]
        assert shown == [], f"{path.name} shows small units {shown[:3]}"


def test_nav_has_the_dashboard_section(built):
    _, site = built
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Độ phủ đào tạo" in html and "do-phu/index.html" in html


def test_a_bad_aggregate_file_stops_the_build_naming_file_and_field(built, tmp_path):
    project, _ = built
    source = sorted((project / "do-phu").glob("*.json"))[0]
    data = json.loads(source.read_text(encoding="utf-8"))
    data["version"] = 99
    copy = make_project(tmp_path / "project")
    (copy / "do-phu").mkdir()
    (copy / "do-phu" / "tinh-hong.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_coursegen("-C", str(copy), "build", cwd=copy)
    assert result.returncode != 0
    assert "tinh-hong.json: trường version: phiên bản 99 không được hỗ trợ" in result.stderr
    assert not (copy / "site").exists()
