"""The citizen's large-print sheet and every product's QR code, read back as a reader and a phone would."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from generator.builders.leaflets import build_leaflets
from generator.builders.leaflets.builder import VARIANTS
from generator.builders.leaflets.content import LARGE_HELP_HEADING, LARGE_QR_CAPTION, LARGE_SAFETY, LARGE_STEPS_HEADING
from generator.builders.leaflets.printcheck import symbol_sizes_mm
from generator.render.printready import release_line
from generator.source.loader import load_corpus
from tests.conftest import REPO
from tests.leaflets.conftest import KINDS, MM, QR_PAGE, SITE_URL, Built, release_ready, render, text, words, zbar

# The smallest printed QR symbol (quiet zone not counted) each product promises in docs/to-roi-in-an.md.
QR_MINIMUM_MM = {"to-roi-a5": 25, "to-gap-a4": 30, "to-roi-a4-chu-lon": 48}


def _expected_pieces(built: Built) -> list[str]:
    course = built.corpus.course("mini-dvc")
    lp = course.large_print
    settings = built.corpus.settings
    issuer = settings.issuer
    return [issuer.name, lp.headline, LARGE_STEPS_HEADING, *lp.steps, LARGE_SAFETY, LARGE_HELP_HEADING, *lp.help,
            LARGE_QR_CAPTION, settings.citizen_url("mini-dvc").removeprefix("https://"), issuer.address,
            f"Đường dây nóng: {issuer.hotline} · {release_line(course.release_date)}"]


@pytest.mark.parametrize("mode", ["ban-in", "ban-xem"])
def test_large_print_text_is_exactly_the_source(built: Built, mode: str) -> None:
    """Nothing but the large_print: block, the issuer's lines and the sheet's fixed words (and step numbers)."""
    path = built.pdf("to-roi-a4-chu-lon", mode)
    page = (0, 0, 210 * MM, 297 * MM) if mode == "ban-xem" else (12 * MM, 12 * MM, 210 * MM, 297 * MM)
    flat = words(text(path, 1, page)).replace("/ ", "/")  # the address may wrap after a slash
    for piece in sorted(_expected_pieces(built), key=len, reverse=True):
        piece = words(piece)
        assert piece in flat, f"{piece!r} missing from the sheet: {flat!r}"
        flat = flat.replace(piece, " ", 1)
    assert flat.split() == ["1", "2", "3"]  # the step numbers in their discs, nothing else
    course = built.corpus.course("mini-dvc")
    assert course.leaflet.headline not in words(text(path))  # not the course leaflet scaled up


def test_large_print_body_is_18pt_or_more(built: Built) -> None:
    """Steps, help, safety and QR caption are drawn at 18 pt or more; nothing on the sheet is under 14 pt."""
    reader = PdfReader(str(built.pdf("to-roi-a4-chu-lon", "ban-xem")))
    drawn: list[tuple[str, float]] = []

    def visit(string: str, cm: list, tm: list, font: object, size: float) -> None:
        if string.strip():
            drawn.append((string.strip(), size * abs(tm[3]) * abs(cm[3])))

    reader.pages[0].extract_text(visitor_text=visit)
    lp = built.corpus.course("mini-dvc").large_print
    body = [*lp.steps, *lp.help, LARGE_SAFETY, LARGE_QR_CAPTION]
    checked = [(s, size) for s, size in drawn if any(s in words(b) for b in body) and len(s) > 8]
    assert len(checked) >= len(body)
    assert min(size for _, size in checked) >= 18, checked
    assert min(size for _, size in drawn) >= 14


def test_large_print_uses_the_page(built: Built, tmp_path: Path) -> None:
    """No quarter of the page empty: ink in every horizontal fifth of the finished sheet."""
    image = Image.open(render(built.pdf("to-roi-a4-chu-lon", "ban-xem"), 1, 40, tmp_path / "p.png")).convert("L")
    height = image.height
    for band in range(5):
        box = image.crop((0, band * height // 5, image.width, (band + 1) * height // 5))
        assert box.getextrema()[0] < 100, f"fifth {band + 1} of the page is empty"


@pytest.mark.parametrize("kind", KINDS)
def test_every_qr_decodes_to_its_target_and_measures_its_minimum(built: Built, kind: str, tmp_path: Path) -> None:
    dpi = 300  # print resolution
    target = built.corpus.settings.citizen_url("mini-dvc") if kind == "to-roi-a4-chu-lon" \
        else built.corpus.settings.course_url("mini-dvc")
    assert target.startswith(SITE_URL)
    for mode in ("ban-in", "ban-xem"):
        image = render(built.pdf(kind, mode), QR_PAGE[kind], dpi, tmp_path / f"{mode}.png")
        assert zbar(image) == [target]
        sizes = symbol_sizes_mm(Image.open(image), dpi)
        assert len(sizes) == 1
        size_mm = sizes[0]
        assert size_mm >= QR_MINIMUM_MM[kind], f"{kind} {mode}: QR {size_mm:.1f} mm"
    if kind == "to-roi-a4-chu-lon":
        assert size_mm == pytest.approx(50, abs=0.5)  # drawn at 50 mm: 48 mm at least, whatever the rounding


def test_bundled_courses_have_a_citizen_sheet_in_their_own_words(tmp_path: Path) -> None:
    corpus = load_corpus(REPO)
    written, errors = build_leaflets(corpus, tmp_path / "out")
    assert errors == []
    assert sorted((c.id, v.slug) for c, v, _ in written) == sorted(
        (c.id, v.slug) for c in corpus.courses for v in VARIANTS)
    for course in corpus.courses:
        lp = course.large_print
        assert lp is not None and 3 <= len(lp.steps) <= 4 and lp.help
        assert lp.headline != course.leaflet.headline
        path = tmp_path / "out" / f"{course.id}-to-roi-a4-chu-lon-ban-xem-ban-nhap.pdf"  # bundled settings: draft
        flat = words(text(path))
        for piece in (lp.headline, *lp.steps, *lp.help):
            assert words(piece) in flat


def test_large_print_that_does_not_fit_names_course_product_and_field(mini_project: Path, tmp_path: Path) -> None:
    corpus = load_corpus(mini_project)
    course = corpus.course("mini-dvc")
    step = "Mang theo căn cước, mở ứng dụng, chọn thủ tục, điền đủ thông tin, kiểm tra lại rồi nộp hồ sơ."
    long = dataclasses.replace(course.large_print, steps=(step * 4,) * 4)
    _, errors = build_leaflets(corpus, tmp_path / "out", (dataclasses.replace(course, large_print=long),))
    assert len(errors) == 1
    assert errors[0].startswith("courses/mini-dvc/course.yml:")
    assert ': large_print.steps[' in errors[0] and 'khóa học "mini-dvc"' in errors[0]
    assert "Tờ rơi A4 chữ lớn" in errors[0] and "(18 pt)" in errors[0]
    assert not list((tmp_path / "out").glob("*chu-lon*"))


def test_large_print_at_the_loaders_limits_fits(mini_project: Path, tmp_path: Path) -> None:
    """What ``coursegen check`` accepts (headline 60, 4 steps × 70, 3 help lines × 50, an issuer with emblem,
    address of 100 characters and a hotline) fits at 18 pt or more."""
    release_ready(mini_project)
    settings = mini_project / "coursegen.yml"
    address = ("Số 8 đường Lê Lợi, phường Trung Tâm, tỉnh Mẫu; Trung tâm Phục vụ hành chính công tỉnh, tầng 1,"
               " nhà B, khu liên cơ quan, mở cửa từ thứ Hai đến hết sáng thứ Bảy hằng tuần")[:100].rstrip()
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "Số 8 đường Lê Lợi, phường Trung Tâm, tỉnh Mẫu", address), encoding="utf-8")
    corpus = load_corpus(mini_project)
    assert len(corpus.settings.issuer.address) >= 99
    course = corpus.course("mini-dvc")

    def fill(text: str, length: int) -> str:
        while len(text) < length:
            text = f"{text} {text}"
        return text[:length].rstrip()

    lp = dataclasses.replace(
        course.large_print,
        headline=fill("Làm thủ tục hành chính trên điện thoại, không phải xếp hàng", 60),
        steps=tuple(fill(f"Bước {i}: vào dichvucong.gov.vn, đăng nhập bằng tài khoản định danh", 70) for i in range(4)),
        help=tuple(fill("Trung tâm Phục vụ hành chính công xã, phường nơi bạn ở", 50)
                   for _ in range(3)),
    )
    written, errors = build_leaflets(corpus, tmp_path / "out", (dataclasses.replace(course, large_print=lp),))
    assert errors == []
    assert "to-roi-a4-chu-lon" in [v.slug for _, v, _ in written]
