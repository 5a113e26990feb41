"""The built leaflet PDFs read back with poppler, zbar and ghostscript: what a print shop checks."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from generator.builders.leaflets.content import HELP_HEADING, HOW_HEADING, SAFETY_TIPS, STEPS_HEADING
from tests.leaflets.conftest import (
    KINDS,
    MM,
    PAGES,
    QR_PAGE,
    TRIM_MM,
    Built,
    boxes,
    pdffonts,
    render,
    run,
    separations,
    text,
    words,
    zbar,
)

COURSE_URL = "https://hoc-dvc.tinhmau.gov.vn/khoa-hoc/mini-dvc/"
CITIZEN_URL = COURSE_URL + "lam-the-nao/"  # the large-print sheet leads to the one-screen citizen page
PDFS = [(kind, mode) for kind in KINDS for mode in ("ban-in", "ban-xem")]


def test_every_leaflet_is_written_and_offered_for_download(built: Built) -> None:
    names = sorted(p.name for p in built.folder.iterdir())
    assert names == sorted(f"mini-dvc-{kind}-{mode}.pdf" for kind, mode in PDFS)
    downloads = built.ctx.downloads_for("mini-dvc")
    assert {d.kind for d in downloads} == {"leaflet"}
    assert sorted(d.path for d in downloads) == sorted(f"downloads/leaflets/{n}" for n in names)
    labels = {d.label for d in downloads}
    assert "Tờ rơi A5 (bản in)" in labels and "Tờ gấp A4 ba mặt (bản xem)" in labels
    assert "Tờ rơi A4 chữ lớn (bản in)" in labels


@pytest.mark.parametrize(("kind", "mode"), PDFS)
def test_fonts_are_embedded_subset_and_searchable(built: Built, kind: str, mode: str) -> None:
    rows = pdffonts(built.pdf(kind, mode))
    assert rows, "no fonts listed"
    for row in rows:
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row["line"]
        assert "+BeVietnamPro-" in row["name"], row["line"]


@pytest.mark.parametrize("kind", KINDS)
def test_print_boxes_have_3mm_bleed_and_trim_is_the_finished_size(built: Built, kind: str) -> None:
    width, height = (v * MM for v in TRIM_MM[kind])
    pages = boxes(built.pdf(kind, "ban-in"))
    assert len(pages) == PAGES[kind]
    for page in pages:
        tx0, ty0, tx1, ty1 = page["TrimBox"]
        assert tx1 - tx0 == pytest.approx(width, abs=0.01)
        assert ty1 - ty0 == pytest.approx(height, abs=0.01)
        bx0, by0, bx1, by1 = page["BleedBox"]
        for got, want in ((tx0 - bx0, 3), (ty0 - by0, 3), (bx1 - tx1, 3), (by1 - ty1, 3)):
            assert got == pytest.approx(want * MM, abs=0.01)
        mx0, my0, mx1, my1 = page["MediaBox"]
        # Room outside the bleed for the crop and fold marks (they start 4 mm from the trim, 6 mm long).
        assert tx0 - mx0 >= 10 * MM and mx1 - tx1 >= 10 * MM and ty0 - my0 >= 10 * MM and my1 - ty1 >= 10 * MM


@pytest.mark.parametrize("kind", KINDS)
def test_proof_is_the_finished_size_without_marks(built: Built, kind: str) -> None:
    width, height = (v * MM for v in TRIM_MM[kind])
    for page in boxes(built.pdf(kind, "ban-xem")):
        for name in ("MediaBox", "TrimBox", "BleedBox"):
            x0, y0, x1, y1 = page[name]
            assert (x0, y0) == (0, 0)
            assert (x1, y1) == (pytest.approx(width, abs=0.01), pytest.approx(height, abs=0.01))
    slug = f"trang 1/{PAGES[kind]}"
    assert slug not in text(built.pdf(kind, "ban-xem"))  # no slug line
    assert slug in text(built.pdf(kind, "ban-in"))


@pytest.mark.parametrize(("kind", "mode"), [(k, m) for k, m in PDFS if k != "to-roi-a4-chu-lon"])
def test_extracted_text_is_the_source_text_in_nfc(built: Built, kind: str, mode: str) -> None:
    course = built.corpus.course("mini-dvc")
    extracted = text(built.pdf(kind, mode))
    assert unicodedata.is_normalized("NFC", extracted)
    flat = words(extracted)
    leaflet = course.leaflet
    for source in (leaflet.headline, leaflet.intro, course.title, *leaflet.steps, *leaflet.help):
        assert unicodedata.is_normalized("NFC", source)
        assert words(source) in flat, f"{source!r} not found in {kind} {mode}"
    assert "Đăng nhập bằng tài khoản VNeID." in flat  # a step with stacked marks, exactly


@pytest.mark.parametrize("kind", ["to-roi-a5", "to-gap-a4"])
def test_qr_code_decodes_to_the_course_page(built: Built, kind: str, tmp_path: Path) -> None:
    page = QR_PAGE[kind]  # tri-fold: back panel of the outside; flyer: back page
    for mode in ("ban-in", "ban-xem"):
        image = render(built.pdf(kind, mode), page, 300, tmp_path / f"{kind}-{mode}.png")
        assert zbar(image) == [COURSE_URL]
    assert built.corpus.settings.course_url("mini-dvc") == COURSE_URL


@pytest.mark.parametrize("kind", KINDS)
def test_qr_code_is_pure_black_and_marks_are_in_registration_colour(built: Built, kind: str, tmp_path: Path) -> None:
    page = QR_PAGE[kind]
    plates = separations(built.pdf(kind, "ban-in"), page, 300, tmp_path / "plates")
    # The code is on the black plate only: rich black would make it readable on C, M or Y too.
    target = CITIZEN_URL if kind == "to-roi-a4-chu-lon" else COURSE_URL
    assert zbar(plates["Black"]) == [target]
    for ink in ("Cyan", "Magenta", "Yellow"):
        assert zbar(plates[ink]) == [], f"QR code found on the {ink} plate"
    # The blue band is on the cyan plate, so the plates are real.
    assert Image.open(plates["Cyan"]).getextrema()[0] < 50
    # Lower-left horizontal crop mark: 4–10 mm left of the trim on the trim line, ink on every plate.
    dpi = 300
    slug = 12 * MM  # trim offset in the print PDF
    for ink, plate in plates.items():
        image = Image.open(plate)
        y = round(image.height - slug / 72 * dpi)
        x = round((slug - 7 * MM) / 72 * dpi)
        assert min(image.getpixel((x, y + dy)) for dy in (-1, 0, 1)) < 60, f"no crop mark on the {ink} plate"


def _colour_operators(path: Path) -> set[str]:
    reader = PdfReader(str(path))
    found: set[str] = set()
    for page in reader.pages:
        for _operands, operator in ContentStream(page.get_contents(), reader).operations:
            found.add(operator.decode("latin-1"))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_print_pdf_has_no_rgb_colour(built: Built, kind: str) -> None:
    path = built.pdf(kind, "ban-in")
    operators = _colour_operators(path)
    assert not operators & {"rg", "RG", "sc", "SC"}
    assert "k" in operators  # CMYK fills are there
    raw = path.read_bytes()
    assert b"/DeviceRGB" not in raw and b"/CalRGB" not in raw
    reader = PdfReader(str(path))
    for page in reader.pages:
        spaces = page["/Resources"].get("/ColorSpace")
        assert spaces is not None and list(spaces.keys()) == ["/All"]  # registration colour for marks
        separation = spaces["/All"].get_object()
        assert [str(v) for v in separation[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
    assert b"/Subtype /Image" not in raw  # the QR code is vector; there are no raster images to check


@pytest.mark.parametrize("kind", KINDS)
def test_text_stays_5mm_inside_the_trim(built: Built, kind: str) -> None:
    path = built.pdf(kind, "ban-xem")  # proof: the page is the trim
    width, height = (v * MM for v in TRIM_MM[kind])
    out = run("pdftotext", "-bbox", path, "-")
    pages = re.findall(r"<page\b.*?</page>", out, re.S)
    assert len(pages) == PAGES[kind]
    for page in pages:
        found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', page)
        assert found
        for x0, y0, x1, y1 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in found):
            assert min(x0, y0, width - x1, height - y1) >= 5 * MM - 0.05


def test_large_print_uses_14pt_or_more_everywhere(built: Built) -> None:
    def sizes(path: Path) -> list[float]:
        reader = PdfReader(str(path))
        return [float(operands[1]) for page in reader.pages
                for operands, operator in ContentStream(page.get_contents(), reader).operations if operator == b"Tf"]

    large = sizes(built.pdf("to-roi-a4-chu-lon", "ban-xem"))
    assert large and min(large) >= 14  # address and footer lines; body text is checked at 18 pt below
    assert min(sizes(built.pdf("to-roi-a5", "ban-xem"))) >= 8.5
    assert min(sizes(built.pdf("to-gap-a4", "ban-xem"))) >= 8


def test_trifold_panels_are_imposed_for_a_roll_fold(built: Built) -> None:
    """Outside: flap 97 | back 100 | cover 100; inside: 100 | 100 | 97. Read each panel on its own."""
    course = built.corpus.course("mini-dvc")
    path = built.pdf("to-gap-a4", "ban-xem")
    height = 210 * MM

    def panel(page: int, left_mm: float, right_mm: float) -> str:
        return words(text(path, page, (left_mm * MM, 0, (right_mm - left_mm) * MM, height)))

    flap, back, cover = panel(1, 0, 97), panel(1, 97, 197), panel(1, 197, 297)
    left, middle, right = panel(2, 0, 100), panel(2, 100, 200), panel(2, 200, 297)
    assert HOW_HEADING in flap
    assert HELP_HEADING in back and all(h in back for h in course.leaflet.help)
    assert "hoc-dvc.tinhmau.gov.vn/khoa-hoc/mini-dvc/" in back.replace("/ ", "/")  # may wrap after a slash
    assert course.leaflet.headline in cover and course.title in cover
    assert course.leaflet.intro in left
    assert STEPS_HEADING in middle and all(s in middle for s in course.leaflet.steps)
    assert all(words(tip) in right for tip in SAFETY_TIPS)
    assert course.leaflet.headline not in back + flap  # nothing leaks across a fold


def test_trifold_fold_marks_sit_on_the_folds_outside_the_bleed(built: Built, tmp_path: Path) -> None:
    dpi = 200
    path = built.pdf("to-gap-a4", "ban-in")
    slug = 12 * MM
    for page, folds in ((1, (97, 197)), (2, (100, 200))):
        image = Image.open(render(path, page, dpi, tmp_path / f"p{page}.png")).convert("L")

        def px(x_pt: float, y_from_top_pt: float, image: Image.Image = image) -> int:
            return image.getpixel((round(x_pt / 72 * dpi), round(y_from_top_pt / 72 * dpi)))

        mark_y = slug - 7 * MM  # in the top slug, between 4 and 10 mm above the trim
        for fold in folds:
            x = slug + fold * MM
            segment = [px(x + dx, slug - dy * MM) for dx in (-0.4, 0, 0.4) for dy in (4.5, 5.5, 6.5, 7.5, 8.5, 9.5)]
            assert min(segment) < 128, f"no fold mark at {fold} mm on page {page}"
            assert px(x + 2 * MM, mark_y) > 240  # nothing beside the mark
            assert px(x, slug - 3.5 * MM) > 240  # the mark starts outside the 3 mm bleed
        # No fold mark where there is no fold.
        assert px(slug + 50 * MM, mark_y) > 240


def test_backgrounds_run_into_the_bleed(built: Built, tmp_path: Path) -> None:
    dpi = 100
    path = built.pdf("to-gap-a4", "ban-in")
    image = Image.open(render(path, 1, dpi, tmp_path / "outside.png")).convert("RGB")
    slug = 12 * MM
    width, height = 297 * MM, 210 * MM

    def at(x_pt: float, y_pt: float) -> tuple[int, int, int]:
        return image.getpixel((round(x_pt / 72 * dpi), round(y_pt / 72 * dpi)))

    cover_top_bleed = at(slug + 250 * MM, slug - 1.5 * MM)  # above the cover, inside the bleed
    cover_inside = at(slug + 250 * MM, slug + 20 * MM)
    assert cover_top_bleed == cover_inside and cover_inside[2] > cover_inside[0] + 60  # blue, into the bleed
    right_bleed = at(slug + width + 1.5 * MM, slug + 20 * MM)
    assert right_bleed == cover_inside
    outside_bleed = at(slug + width + 3.8 * MM, slug + 20 * MM)
    assert min(outside_bleed) > 240  # white beyond the bleed
    flap_left_bleed = at(slug - 1.5 * MM, slug + height / 2)
    assert flap_left_bleed == at(slug + 3 * MM, slug + height / 2) and min(flap_left_bleed) < 250  # tint


def test_two_builds_give_identical_bytes(built: Built, tmp_path: Path) -> None:
    from generator.builders.leaflets import build_leaflets

    written, errors = build_leaflets(built.corpus, tmp_path / "again")
    assert not errors and len(written) == 3
    for kind, mode in PDFS:
        first = built.pdf(kind, mode).read_bytes()
        second = (tmp_path / "again" / built.pdf(kind, mode).name).read_bytes()
        assert first == second, f"{kind} {mode} differs between builds"
    assert b"/CreationDate" in first and b"D:2000" in first  # fixed date, not the build time
