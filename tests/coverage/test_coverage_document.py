"""The coverage report on paper: the workbook as LibreOffice prints it and the PDF report (Decree 30/2020)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from vietnam_provinces import ProvinceCode, Ward

from generator.coverage.document import write_pdf
from generator.coverage.export import write_xlsx
from generator.coverage.facts import CoverageFact
from generator.coverage.official import date_line, heading_for, number_line
from generator.coverage.report import build_report
from generator.model import Audience, CoverageTargets
from generator.source.loader import load_corpus
from tests.conftest import run_coursegen
from tests.coverage.conftest import coverage, make_project
from tests.coverage.printed import font_sizes, is_a4, page_sizes, page_texts, print_workbook
from tests.coverage.test_coverage_worked import WORKED_STEPS

REPORT_BLOCK = """
report:
  issuer_parent: "UBND tỉnh Lai Châu"
  issuer: "Sở Giáo dục và Đào tạo"
  issuer_short: "SGDĐT"
  number: "7"
  place: "Lai Châu"
  basis: "Kế hoạch mẫu số 01/KH-UBND của UBND tỉnh."
  signer_authority: "KT. Giám đốc"
  signer_title: "Phó Giám đốc"
  signer_name: "Lò Văn Minh"
  recipients:
    - "Bộ Giáo dục và Đào tạo"
    - "UBND tỉnh Lai Châu"
"""
XLSX_MIN_PT = 9.5  # chart labels (LibreOffice's own size); the tables are 11 pt, the page footer 10 pt
PDF_MIN_PT = 11  # the list of recipients, the smallest size the decree names


def setting_up(project: Path, block: str) -> Path:
    conf = project / "coursegen.yml"
    conf.write_text(conf.read_text(encoding="utf-8") + block, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The worked example imported once; one project configured as an issuing body, one left as a draft."""
    base = tmp_path_factory.mktemp("document")
    official = setting_up(make_project(base / "official"), REPORT_BLOCK)
    draft = make_project(base / "draft")
    db = base / "coverage.sqlite3"
    for step in WORKED_STEPS:
        result = coverage(official, db, *step)
        assert result.returncode == 0, result.stderr
    return official, draft, db


@pytest.fixture(scope="module")
def printed(imported, tmp_path_factory) -> dict[str, Path]:
    official, _, db = imported
    out = tmp_path_factory.mktemp("printed")
    xlsx, pdf = out / "bao-cao.xlsx", out / "bao-cao.pdf"
    result = coverage(official, db, "report", "--as-of", "2025-11-15", "--issued", "2026-02-05", "--out", str(xlsx),
                      "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert "report.issuer" not in result.stderr  # an issuing body is set: no draft warning
    (out / "calc").mkdir()
    return {"xlsx": xlsx, "pdf": pdf, "xlsx-printed": print_workbook(xlsx, out / "calc"), "stderr": result.stderr}


# -- the workbook on paper -------------------------------------------------------------------------------
def test_the_workbook_prints_on_a4_pages_at_full_size(printed):
    pdf = printed["xlsx-printed"]
    sizes = page_sizes(pdf)
    assert all(is_a4(size) for size in sizes), sizes
    # Provinces and communes fit a portrait page; units, units' totals and the chart are landscape.
    assert [w < h for w, h in sizes] == [True, True, False, False, False]
    per_page = font_sizes(pdf)
    smallest = min(min(counts) for counts in per_page)
    assert smallest >= XLSX_MIN_PT, per_page
    for counts in per_page[:4]:  # the table sheets print at 100%: their body type is exactly 11 pt
        assert counts.most_common(1)[0][0] == 11.0, counts
        assert min(counts) == 10.0  # the page footer


def test_the_chart_sheet_is_one_page_with_every_course(printed):
    texts = page_texts(printed["xlsx-printed"])
    chart_pages = [n for n, text in enumerate(texts) if "Tỷ lệ hoàn thành so với chỉ tiêu" in text]
    assert chart_pages == [len(texts) - 1]
    page = texts[-1]
    assert page.count("Làm quen dịch vụ công trực tuyến —") == 3  # each course's caption, on the same page
    assert page.count("Chỉ tiêu 80%") == 1 and page.count("Chỉ tiêu 100%") == 2  # the target lines' legends
    assert "Toàn tỉnh Lai Châu" in page and "Xã Bình Lư" in page


def test_the_workbook_names_the_issuer_and_repeats_its_header_row(printed):
    workbook = load_workbook(printed["xlsx"])
    for ws in workbook.worksheets[:4]:
        assert (ws["A1"].value, ws["A2"].value) == ("UBND TỈNH LAI CHÂU", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
        assert ws.print_title_rows == "$8:$8"
        assert (int(ws.page_setup.paperSize), ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (9, 1, 0)
        assert not ws.oddHeader.center.text  # not a draft
    chart = workbook["Biểu đồ"]
    assert (chart.page_setup.fitToWidth, chart.page_setup.fitToHeight, chart.page_setup.orientation) == (1, 1,
                                                                                                     "landscape")


def big_province_report(project: Path):
    """Hà Nội with every commune and two schools in each: long sheets, to see pages flow down."""
    corpus = load_corpus(project)
    course = corpus.courses[0]
    facts = []
    for index, ward in enumerate(Ward.iter_by_province(ProvinceCode(1))):
        for school in range(2):
            enrolled = 20 + (index * 7 + school * 3) % 40
            facts.append(CoverageFact(course.id, Audience.STUDENTS, "2025-2026", 1, ward.code.value, index * 2 + school,
                                      f"Trường THPT số {index * 2 + school + 1} Hà Nội", enrolled,
                                      enrolled * ((index + school) % 10) // 10, (index + school) % 4))
    return build_report(facts, [course], CoverageTargets(), date(2025, 11, 15)), corpus


def test_a_province_with_every_commune_flows_down_pages_without_shrinking(tmp_path):
    report, corpus = big_province_report(setting_up(make_project(tmp_path / "p"), REPORT_BLOCK))
    communes = len(report.sections[0].rows) // 3  # a province row, then each commune with its two schools
    assert communes > 100
    xlsx = tmp_path / "ha-noi.xlsx"
    write_xlsx(report, xlsx, heading=heading_for(corpus.settings, date(2025, 11, 20)))
    pdf = print_workbook(xlsx, tmp_path)
    sizes, texts, per_page = page_sizes(pdf), page_texts(pdf), font_sizes(pdf)
    assert all(is_a4(size) for size in sizes)
    assert 8 <= len(sizes) <= 40, len(sizes)
    assert min(min(counts) for counts in per_page) >= XLSX_MIN_PT
    # Each printed page of a table sheet starts with the repeated header row.
    for text in texts[:-1]:
        assert "STT" in text and "Tình trạng" in text
    assert sum("Tỷ lệ hoàn thành so với chỉ tiêu" in text for text in texts) == 1
    # The PDF report lists the communes too, on A4 pages numbered from the second.
    report_pdf = tmp_path / "ha-noi-bao-cao.pdf"
    write_pdf(report, report_pdf, heading_for(corpus.settings, date(2025, 11, 20)))
    pages = page_texts(report_pdf)
    assert 4 <= len(pages) <= 12, len(pages)
    assert all(is_a4(size) for size in page_sizes(report_pdf))
    assert [text.split("\n")[0].strip() for text in pages[1:]] == [str(n) for n in range(2, len(pages) + 1)]
    assert min(min(counts) for counts in font_sizes(report_pdf)) >= PDF_MIN_PT


# -- the PDF report --------------------------------------------------------------------------------------------
def test_the_pdf_report_is_an_administrative_report(printed):
    pdf = printed["pdf"]
    sizes = page_sizes(pdf)
    assert all(is_a4(size) and size[0] < size[1] for size in sizes), sizes  # A4 portrait
    assert 1 <= len(sizes) <= 4
    texts = page_texts(pdf)
    first = texts[0]
    lines = first.splitlines()
    assert lines[0] == "UBND TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[1] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc"
    assert "Số: 07/BC-SGDĐT Lai Châu, ngày 05 tháng 02 năm 2026" in lines
    assert lines.index("BÁO CÁO") < lines.index("Kết quả bồi dưỡng kiến thức, kỹ năng sử dụng dịch vụ công trực tuyến")
    flat = " ".join(" ".join(texts).split())
    # The opening names the document the province wrote in report.basis, nothing coursegen guessed.
    assert "Thực hiện Kế hoạch mẫu số 01/KH-UBND của UBND tỉnh, Sở Giáo dục và Đào tạo báo cáo kết quả bồi dưỡng" in flat
    assert "Quyết định" not in flat
    assert "Tổng số người học: 43; đã hoàn thành: 24, đạt 55,8%." in flat
    last = texts[-1].splitlines()
    assert "Nơi nhận: KT. GIÁM ĐỐC" in last and "- Bộ Giáo dục và Đào tạo; PHÓ GIÁM ĐỐC" in last
    assert "- UBND tỉnh Lai Châu;" in last and "- Lưu: VT." in last and "Lò Văn Minh" in last
    assert "BẢN NHÁP" not in flat
    per_page = font_sizes(pdf)
    sizes_used = set().union(*per_page)
    assert min(sizes_used) == PDF_MIN_PT and max(sizes_used) == 14  # 11 pt recipients … 14 pt body
    assert per_page[0].most_common(1)[0][0] == 14.0  # the body
    fonts = run(["pdffonts", str(pdf)]).splitlines()[2:]
    assert fonts and all("LiberationSerif" in f or "Times" in f for f in fonts)
    assert all(f.split()[-5] == "yes" for f in fonts)  # embedded


def run(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_a_report_of_the_template_publisher_is_a_draft_on_every_page(imported, tmp_path):
    _, draft, db = imported
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    result = coverage(draft, db, "report", "--as-of", "2025-11-15", "--issued", "2025-11-20", "--out", str(xlsx),
                      "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert "coursegen.yml:1: report.issuer: cảnh báo: chưa ghi cơ quan ban hành báo cáo" in result.stderr
    assert '"BẢN NHÁP"' in result.stderr
    texts = page_texts(pdf)
    assert all("BẢN NHÁP" in text for text in texts)
    # No report.basis: the report opens with the issuer, without a "Thực hiện …" clause.
    assert "Đơn vị báo cáo kết quả bồi dưỡng" in " ".join(" ".join(texts).split())
    workbook = load_workbook(xlsx)
    assert all(ws.oddHeader.center.text == "BẢN NHÁP" for ws in workbook.worksheets)
    # The template's own publisher counts as no issuer, named with its line.
    conf = draft / "coursegen.yml"
    conf.write_text(conf.read_text(encoding="utf-8") + 'publisher: "Nhóm biên soạn coursegen"\n', encoding="utf-8")
    line = len(conf.read_text(encoding="utf-8").splitlines())
    result = coverage(draft, db, "report", "--as-of", "2025-11-15", "--pdf", str(pdf))
    assert f"coursegen.yml:{line}: report.issuer: cảnh báo:" in result.stderr
    assert '(đang là "Nhóm biên soạn coursegen", tên mặc định của mẫu dự án)' in result.stderr
    assert all("BẢN NHÁP" in text for text in page_texts(pdf))
    # A CSV is no document: no warning.
    result = coverage(draft, db, "report", "--as-of", "2025-11-15", "--out", str(tmp_path / "r.csv"))
    assert result.returncode == 0 and "report.issuer" not in result.stderr


def test_bad_report_settings_name_the_file_line_and_field(tmp_path):
    project = setting_up(make_project(tmp_path / "p"), """
report:
  issuer: "Sở Giáo dục và Đào tạo"
  issuer_short: "sở gd"
  number: "số 5"
  recipients: "Bộ Giáo dục và Đào tạo"
  signer: "Lò Văn Minh"
""")
    lines = (project / "coursegen.yml").read_text(encoding="utf-8").splitlines()
    where = {key: lines.index(next(line for line in lines if line.strip().startswith(key + ":"))) + 1
             for key in ("issuer_short", "number", "recipients", "signer")}
    result = run_coursegen("-C", str(project), "check")
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert f"coursegen.yml:{where['issuer_short']}: report.issuer_short:" in out and '"sở gd"' in out
    assert f"coursegen.yml:{where['number']}: report.number:" in out
    assert f"coursegen.yml:{where['recipients']}: report.recipients:" in out
    assert f'coursegen.yml:{where["signer"]}: report.signer: cảnh báo: trường không được hỗ trợ' in out


def test_number_and_date_lines_follow_the_decree():
    assert number_line("", "SGDĐT") == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-SGDĐT"
    assert number_line("125", "UBND") == "Số: 125/BC-UBND"
    assert number_line("3", "") == "Số: 03/BC"
    assert date_line("Hưng Yên", date(2026, 2, 5)) == "Hưng Yên, ngày 05 tháng 02 năm 2026"
    assert date_line("Hưng Yên", date(2025, 11, 15)) == "Hưng Yên, ngày 15 tháng 11 năm 2025"
    assert date_line("Hưng Yên", date(2025, 3, 9)) == "Hưng Yên, ngày 09 tháng 3 năm 2025"


def test_the_documented_report_block_is_valid_and_read_as_written(tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "bao-cao-do-phu.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("report:"))
    project = setting_up(make_project(tmp_path / "p"), "\n" + block)
    result = run_coursegen("-C", str(project), "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    report = load_corpus(project).settings.report
    assert (report.issuer_parent, report.issuer, report.issuer_short, report.number, report.place) == (
        "UBND tỉnh Lai Châu", "Sở Giáo dục và Đào tạo", "SGDĐT", "", "Lai Châu")
    assert (report.signer_authority, report.signer_title, report.signer_name, report.recipients) == (
        "KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A", ("Bộ Giáo dục và Đào tạo", "UBND tỉnh Lai Châu"))
    heading = heading_for(load_corpus(project).settings, date(2025, 11, 20))
    assert not heading.draft and heading.number_line.endswith("/BC-SGDĐT")
