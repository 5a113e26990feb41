"""The published dashboard in a real headless Chromium from file:// (issue 27, points 1 and 2).

- A crafted aggregate (accepted by the reader: its hostile strings are unit names, which are text)
  runs no script on any dashboard page: ``alert``/``confirm``/``prompt``/``print``, ``window.onerror`` and
  the console are watched, every payload would call ``window.__pwned.push``; each name shows as text in
  its table cell.
- An honest import of a school named like a table row ("Trường Giả | 99.999 | … | Đạt chỉ tiêu") shows
  one row with its true figures (12 learners, none covered), every row having exactly the table's cells.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, run_coursegen
from tests.hostile2 import aggregates
from tests.site.conftest import RecordingPage, file_url

PAYLOADS = [
    '<script>window.__pwned.push("u01")</script>',
    "<img src=x onerror=\"window.__pwned.push('u02')\">",
    '"><svg onload=window.__pwned.push("u03")>',
    '</title><script>window.__pwned.push("u04")</script>',
    ']]><script>window.__pwned.push("u05")</script>',
    "[bấm u06](javascript:window.__pwned.push('u06'))",
    '{: onclick="window.__pwned.push(\'u07\')"} u07',
    '<a href="javascript:window.__pwned.push(\'u08\')">u08</a>',
    '&lt;script&gt;window.__pwned.push("u09")&lt;/script&gt;',
    '<div class="cg-quiz-slot" data-slot="final:mini-dvc"></div> u10',
    "*u11* _em_ ~~del~~ ==mark== ^^ins^^ | 99 | 100,0% |",
    "<iframe srcdoc=\"<script>parent.__pwned.push('u12')</script>\">",
]
WATCH = """(() => {
  window.__pwned = [];
  window.__errors = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { window.__pwned.push(name + ":" + args.join(",")); };
  }
  window.addEventListener("error", e => window.__errors.push(String(e.message || e.type)), true);
})();"""
LIVE = """() => {
  const found = [];
  for (const el of document.querySelectorAll("article *")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/\\s+/g, "").toLowerCase();
      if (attr.name.startsWith("on") || attr.name === "srcdoc" || (["href", "src", "action", "formaction"].includes(attr.name)
          && (value.startsWith("javascript:") || value.startsWith("data:")))) {
        found.push(el.tagName + " " + attr.name + "=" + attr.value);
      }
    }
    if (["SCRIPT", "IFRAME", "IMG", "FORM", "OBJECT", "EMBED"].includes(el.tagName)) found.push(el.tagName);
    if (el.classList.contains("cg-quiz-slot") || el.classList.contains("cg-quiz")) found.push("quiz " + el.className);
  }
  return found;
}"""
ROWS = """table => Array.from(table.querySelectorAll("tbody tr")).map(
  tr => Array.from(tr.children).map(td => td.innerText.replace(/\\u00a0/g, " ").trim()))"""


def open_watched(recording_page: RecordingPage, url: str):
    page = recording_page.page
    page.dialogs = []  # type: ignore[attr-defined]
    page.console = []  # type: ignore[attr-defined]
    page.page_errors = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: page.console.append(message.text))
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.context.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def assert_nothing_ran(page, where: str) -> None:
    page.wait_for_timeout(100)  # broken images' onerror and timers
    assert page.evaluate("window.__pwned") == [], f"{where}: injected code ran"
    assert page.evaluate("window.__errors") == [] and page.page_errors == [], f"{where}: errors {page.page_errors}"
    assert page.dialogs == [], f"{where}: a dialog opened {page.dialogs}"
    assert not [m for m in page.console if "u0" in m or "u1" in m or "pwned" in m], page.console
    assert page.evaluate(LIVE) == [], f"{where}: live markup from the data"


@pytest.fixture(scope="module")
def crafted_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("xss") / "project"
    shutil.copytree(MINI, project)
    units = [(payload, 20 + n, 10 + n) for n, payload in enumerate(PAYLOADS)]
    aggregates.write(project / "do-phu" / "tinh.json", units=units)
    result = run_coursegen("-C", str(project), "build", timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return project / "site"


def test_crafted_unit_names_run_no_script_and_show_as_text(crafted_site: Path, recording_page: RecordingPage):
    pages = sorted((crafted_site / "do-phu").glob("*.html"))
    assert [p.name for p in pages] == ["hung-yen.html", "index.html"]
    for path in pages:
        page = open_watched(recording_page, file_url(path))
        assert page.locator("article svg.cg-chart").count() >= 1  # the charts are drawn
        assert_nothing_ran(page, path.name)
    page = recording_page.page
    page.goto(file_url(crafted_site / "do-phu" / "hung-yen.html"))
    rows = page.locator("article table").last.evaluate(ROWS)
    names = [row[0].lstrip("· ").strip() for row in rows]
    for payload in PAYLOADS:
        assert payload in names, f"{payload!r} is not shown as text in a cell: {names}"
    assert all(len(row) == 7 for row in rows), rows
    page.screenshot(path=str(crafted_site.parent / "hung-yen.png"), full_page=True)
    assert_nothing_ran(page, "hung-yen.html (again)")
    assert recording_page.external_requests() == []


FORGED = "Trường Giả | 99.999 | 99.999 | 100,0% | 80% | Đạt chỉ tiêu | —"


@pytest.fixture(scope="module")
def honest_site(tmp_path_factory) -> Path:
    """An honest roster: 12 students at the school named like a row, 15 at a real one; nobody covered."""
    base = tmp_path_factory.mktemp("forged")
    project = base / "project"
    shutil.copytree(MINI, project)
    roster = base / "ds.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học"])
        for n in range(27):
            school = FORGED if n < 12 else "Trường THPT Phố Hiến"
            writer.writerow([f"33010{n:05d}", "Nguyễn Văn An", "10A1", school, "Phường Phố Hiến", "Hưng Yên", "2025-2026"])
    db = base / "cov.sqlite3"
    for args in (["import-roster", "--db", str(db), str(roster)],
                 ["export", "--db", str(db), "--as-of", "2025-11-30", "--out", str(project / "do-phu" / "hy.json")]):
        result = run_coursegen("-C", str(project), "coverage", *args)
        assert result.returncode == 0, result.stderr
    result = run_coursegen("-C", str(project), "build", timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return project / "site"


def test_a_school_named_like_a_row_shows_its_true_figures(honest_site: Path, recording_page: RecordingPage):
    page = open_watched(recording_page, file_url(honest_site / "do-phu" / "hung-yen.html"))
    rows = page.locator("article table").last.evaluate(ROWS)
    assert all(len(row) == 7 for row in rows), rows
    forged = [row for row in rows if "Trường Giả" in row[0]]
    assert len(forged) == 1, rows
    assert forged[0] == ["· " + FORGED, "12", "0", "0,0%", "80%", "Chậm tiến độ", "—"], forged
    assert not [row for row in rows if row[5] == "Đạt chỉ tiêu"], rows
    assert not [cell for row in rows for cell in row[1:] if "99.999" in cell], rows
    overview = open_watched(recording_page, file_url(honest_site / "do-phu" / "index.html"))
    provinces = overview.locator("article table").first.evaluate(ROWS)
    assert provinces == [["Hưng Yên", "27", "0", "0,0%", "80%", "Chậm tiến độ", "—"]], provinces
    assert_nothing_ran(overview, "index.html")
