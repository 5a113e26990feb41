"""Provinces and communes after the 2025 reorganisation, checked against the vietnam-provinces package."""

from __future__ import annotations

import unicodedata

import pytest
from vietnam_provinces import Province, Ward

from generator.coverage.geography import (
    OLD_PROVINCES,
    GeographyError,
    canonical_tones,
    commune_name,
    counts,
    resolve_commune,
    resolve_province,
)

HUNG_YEN, LAI_CHAU, THANH_HOA, THAI_NGUYEN = 33, 12, 38, 19


def test_official_list_is_the_2025_one():
    assert counts() == (34, 3321)


def test_every_current_province_resolves_by_its_bare_name_without_a_warning():
    for province in Province.iter_all():
        bare = province.name.removeprefix("Thành phố ")
        match = resolve_province(bare)
        assert (match.code, match.old_name) == (province.code.value, "")


def test_every_old_province_maps_to_one_current_province_with_its_old_name():
    # 63 provinces before July 2025: the 34 of today (11 unchanged + 23 that absorbed others) + 29 merged away.
    assert len(OLD_PROVINCES) == 29
    targets = {resolve_province(old).name for old in OLD_PROVINCES}
    assert len(targets) == 23  # 23 new provinces absorbed others; 11 stayed as they were
    for old in OLD_PROVINCES:
        match = resolve_province(old)
        assert match.old_name == old
    assert resolve_province("Tỉnh Thái Bình").name == "Hưng Yên"
    assert resolve_province("ninh thuan").name == "Khánh Hòa"
    assert resolve_province("Long An").name == "Tây Ninh"
    assert resolve_province("Bà Rịa–Vũng Tàu").name == "Thành phố Hồ Chí Minh"
    assert resolve_province("Hải Dương").name == "Thành phố Hải Phòng"


@pytest.mark.parametrize("spelling", [
    "Hưng Yên", "hưng yên", "HƯNG YÊN", "Hung Yen", "Tỉnh Hưng Yên", "tinh hung yen", "  Hưng   Yên ",
    unicodedata.normalize("NFD", "Hưng Yên"),
])
def test_province_matches_regardless_of_case_diacritics_prefix_and_form(spelling):
    assert resolve_province(spelling).code == HUNG_YEN


@pytest.mark.parametrize("spelling, code", [
    ("TP. Hồ Chí Minh", 79), ("TP.HCM", 79), ("Thành phố Hà Nội", 1), ("Ha Noi", 1), ("Thừa Thiên Huế", 46),
    ("Khánh Hoà", 56), ("Thanh Hoá", THANH_HOA),
])
def test_province_prefixes_abbreviations_and_old_style_tones(spelling, code):
    assert resolve_province(spelling).code == code


def test_unknown_province_suggests_the_closest():
    with pytest.raises(GeographyError, match='không có tỉnh/thành phố "Thái Bìnhh"; có phải "Thái Bình"'):
        resolve_province("Thái Bìnhh")


@pytest.mark.parametrize("spelling", [
    "Phường Đoàn Kết", "phường đoàn kết", "Đoàn Kết", "doan ket", "P. Đoàn Kết", "PHƯỜNG ĐOÀN KẾT",
    unicodedata.normalize("NFD", "Phường Đoàn Kết"),
])
def test_commune_matches_regardless_of_case_diacritics_and_prefix(spelling):
    assert resolve_commune(spelling, LAI_CHAU).name == "Phường Đoàn Kết"


def test_commune_names_that_fold_alike_need_the_exact_spelling():
    with pytest.raises(GeographyError) as caught:
        resolve_commune("Van Lang", THAI_NGUYEN)
    assert '"Xã Văn Lang", "Xã Văn Lăng"' in str(caught.value)
    assert resolve_commune("Văn Lăng", THAI_NGUYEN).name == "Xã Văn Lăng"
    assert resolve_commune("xã văn lang", THAI_NGUYEN).name == "Xã Văn Lang"
    # The prefix tells a ward from a commune of the same folded name.
    assert resolve_commune("phuong dong tien", THANH_HOA).name == "Phường Đông Tiến"
    assert resolve_commune("xa dong tien", THANH_HOA).name == "Xã Đồng Tiến"


def test_unknown_commune_gives_suggestions_and_where_it_really_is():
    with pytest.raises(GeographyError) as caught:
        resolve_commune("Xã Nguyễn Duu", HUNG_YEN)
    assert str(caught.value) == (
        'Hưng Yên không có xã/phường "Xã Nguyễn Duu" (theo danh mục sau sắp xếp 2025);'
        ' gần nhất: "Xã Nguyễn Du", "Xã Nguyễn Trãi"'
    )
    with pytest.raises(GeographyError, match='"Phường Hoàn Kiếm" thuộc Thành phố Hà Nội'):
        resolve_commune("Hoàn Kiếm", LAI_CHAU)
    with pytest.raises(GeographyError, match='gần nhất: "Xã Vũ Thư"'):
        resolve_commune("Huyện Vũ Thư", HUNG_YEN)


def test_every_official_commune_resolves_to_itself():
    for ward in Ward.iter_all():
        assert resolve_commune(ward.name, ward.province_code.value).code == ward.code.value


def test_stray_double_spaces_of_the_package_are_not_shown():
    assert commune_name(resolve_commune("Bắc Đông Quan", HUNG_YEN).code) == "Xã Bắc Đông Quan"


def test_tone_placement_is_made_canonical_but_qu_and_closed_syllables_are_left():
    assert canonical_tones("Khánh Hoà") == "Khánh Hòa"
    assert canonical_tones("Thuý") == "Thúy"
    assert canonical_tones("Quý Hoàng Toán") == "Quý Hoàng Toán"
