"""``coursegen preflight`` on coursegen's own print PDFs and on PDFs made wrong on purpose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from generator.builders.leaflets import build_leaflets
from generator.builders.leaflets.fonts import REGULAR, register_fonts
from generator.builders.leaflets.preflight import preflight
from generator.builders.leaflets.qr import draw_qr, symbol_size
from generator.source.loader import load_corpus
from tests.conftest import run_coursegen
from tests.leaflets.conftest import KINDS, Built

SLUG = 12 * mm
A6 = (105 * mm, 148 * mm)


def make_pdf(path: Path, *, embedded_font: bool = True, with_boxes: bool = True, bleed: float = 3 * mm,
             rgb_fill: bool = False, image: tuple[str, int, float] | None = None, text_at: float = 10 * mm,
             qr: str | None = None) -> Path:
    """A one-page A6 job that passes every check unless told otherwise.

    ``image`` = (PIL mode, pixels per side, placed size in mm); ``text_at`` = text distance from the left trim.
    """
    width, height = A6
    kwargs = {"initialFontName": REGULAR} if embedded_font else {}
    register_fonts()
    c = Canvas(str(path), pagesize=(width + 2 * SLUG, height + 2 * SLUG), invariant=1, **kwargs)
    if with_boxes:
        c.setTrimBox((SLUG, SLUG, SLUG + width, SLUG + height))
        c.setBleedBox((SLUG - bleed, SLUG - bleed, SLUG + width + bleed, SLUG + height + bleed))
    c.translate(SLUG, SLUG)
    if rgb_fill:
        c.setFillColorRGB(0.1, 0.3, 0.8)
    else:
        c.setFillColor(CMYKColor(1, 0.6, 0, 0.2))
    c.rect(-3 * mm, height - 30 * mm, width + 6 * mm, 30 * mm + 3 * mm, stroke=0, fill=1)
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.setFont(REGULAR if embedded_font else "Helvetica", 11)
    c.drawString(text_at, height / 2, "Dịch vụ công trực tuyến")
    if image is not None:
        mode, pixels, size_mm = image
        picture = Image.new(mode, (pixels, pixels), {"RGB": (200, 30, 30), "CMYK": (0, 200, 200, 0), "L": 90}[mode])
        picture_path = path.with_suffix(f".{mode}.tif")
        picture.save(picture_path)
        c.drawImage(str(picture_path), 10 * mm, 10 * mm, size_mm * mm, size_mm * mm)
    if qr is not None:
        draw_qr(c, qr, 50 * mm, 15 * mm, 40 * mm)
    c.showPage()
    c.save()
    return path


def checks(path: Path) -> set[str]:
    return {finding.check for finding in preflight(path).findings}


@pytest.mark.parametrize("kind", KINDS)
def test_preflight_passes_coursegen_print_pdfs(built: Built, kind: str) -> None:
    path = built.pdf(kind, "ban-in")
    result = run_coursegen("preflight", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ĐẠT: ")


def test_preflight_fails_the_proofs_for_lack_of_bleed(built: Built) -> None:
    report = preflight(built.pdf("to-roi-a5", "ban-xem"))
    assert {f.check for f in report.findings} == {"tràn lề"}
    assert {f.page for f in report.findings} == {1, 2}


def test_preflight_fails_a_pdf_with_unembedded_font_rgb_image_and_no_boxes(tmp_path: Path) -> None:
    bad = make_pdf(tmp_path / "to-roi-tinh-khac.pdf", embedded_font=False, with_boxes=False, rgb_fill=True,
                   image=("RGB", 120, 40))
    result = run_coursegen("preflight", str(bad))
    assert result.returncode == 1
    out = result.stdout
    assert 'phông "Helvetica" không được nhúng vào tệp' in out
    assert "thiếu TrimBox" in out and "thiếu BleedBox" in out
    assert "dùng hệ màu RGB" in out  # the image
    assert "toán tử màu RGB" in out and "rg ×" in out  # the fill colour
    assert "chỉ đạt 76 ppi" in out  # 120 px over 40 mm
    assert "KHÔNG ĐẠT" in result.stderr


def test_a_good_pdf_passes_and_each_fault_alone_is_named(tmp_path: Path) -> None:
    assert checks(make_pdf(tmp_path / "good.pdf", image=("CMYK", 600, 40))) == set()  # 381 ppi CMYK image
    assert checks(make_pdf(tmp_path / "grey.pdf", image=("L", 600, 40))) == set()
    assert checks(make_pdf(tmp_path / "font.pdf", embedded_font=False)) == {"phông chữ"}
    assert checks(make_pdf(tmp_path / "rgb.pdf", rgb_fill=True)) == {"màu"}
    assert checks(make_pdf(tmp_path / "rgbimage.pdf", image=("RGB", 600, 40))) == {"màu"}
    assert checks(make_pdf(tmp_path / "lowres.pdf", image=("CMYK", 300, 40))) == {"độ phân giải ảnh"}
    assert checks(make_pdf(tmp_path / "bleed.pdf", bleed=1 * mm)) == {"tràn lề"}
    assert checks(make_pdf(tmp_path / "boxes.pdf", with_boxes=False)) == {"hộp trang"}
    near = preflight(make_pdf(tmp_path / "edge.pdf", text_at=3 * mm))
    assert [f.check for f in near.findings] == ["lề an toàn"]
    assert '"Dịch" (3.0 mm)' in near.findings[0].message


def test_preflight_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "to-roi.pdf"
    fake.write_text("không phải PDF", encoding="utf-8")
    result = run_coursegen("preflight", str(fake))
    assert result.returncode == 1
    assert "không đọc được tệp PDF" in result.stderr
    missing = run_coursegen("preflight", str(tmp_path / "khong-co.pdf"))
    assert missing.returncode == 1 and "không tìm thấy tệp" in missing.stderr


def test_preflight_fails_a_qr_code_that_leads_to_an_example_domain(tmp_path: Path) -> None:
    url = "https://dichvu.example.vn/khoa-hoc/x/"
    bad = make_pdf(tmp_path / "qr-mau.pdf", qr=url)
    result = run_coursegen("preflight", str(bad))
    assert result.returncode == 1
    assert f'trang 1: mã QR: mã QR dẫn tới "{url}": tên miền "dichvu.example.vn" là tên miền mẫu' in result.stdout
    printed = symbol_size(url, 40 * mm) / mm
    match = re.search(r"in rộng (\d+),(\d) mm", result.stdout)
    assert match and abs(float(f"{match[1]}.{match[2]}") - printed) < 0.5, result.stdout
    good = make_pdf(tmp_path / "qr-that.pdf", qr="https://hoc-dvc.tinhmau.gov.vn/khoa-hoc/x/")
    passed = run_coursegen("preflight", str(good))
    assert passed.returncode == 0, passed.stdout
    assert 'mã QR dẫn tới "https://hoc-dvc.tinhmau.gov.vn/khoa-hoc/x/"' in passed.stdout


def test_preflight_fails_a_drafted_pdf(mini_project: Path, tmp_path: Path) -> None:
    """The mini project keeps the scaffold's site_url: its leaflets are drafts, which preflight refuses."""
    written, errors = build_leaflets(load_corpus(mini_project), tmp_path / "out")
    assert not errors
    for path in sorted((tmp_path / "out").glob("*-ban-in-ban-nhap.pdf")):
        report = preflight(path)
        checks = {f.check for f in report.findings}
        assert checks == {"bản nháp", "mã QR"}, (path.name, report.findings)
        assert {f.page for f in report.findings if f.check == "bản nháp"} == set(range(1, report.pages + 1))
        assert any("hoc-dvc.example.gov.vn" in note for note in report.notes)
