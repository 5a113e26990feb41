"""Provinces and communes after the 1 July 2025 reorganisation, matched forgivingly.

The official list (34 provinces, 3,321 communes, wards and special zones) comes from the maintained
``vietnam-provinces`` package, never from a hand-typed list. The package has no table of the 63
pre-2025 provinces, so ``OLD_PROVINCES`` below records where each of the 29 provinces that no longer
exist went. Source: Resolution 202/2025/QH15 of the National Assembly (12 June 2025) on the
arrangement of provincial-level administrative units; every old province merged whole into one new
province, so the mapping is exact.

Names match regardless of case, diacritics, tone-mark placement ("Hoà"/"Hòa") and the
"Xã"/"Phường"/"Đặc khu"/"Tỉnh"/"Thành phố" prefix. A more exact spelling wins when folding makes two
official names equal (there are ten such pairs, e.g. "Xã Văn Lăng" and "Xã Văn Lang" in Thái Nguyên).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from ..text import fold, nfc

# Pre-2025 provinces that were merged into another one (Resolution 202/2025/QH15, article 1),
# by old name → the name of the new province (as the package spells it without its prefix).
OLD_PROVINCES: dict[str, str] = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Phú Yên": "Đắk Lắk",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Dương": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
}

# Other spellings people write for a current province (renamed, abbreviated). Matched like names.
PROVINCE_ALIASES: dict[str, str] = {
    "Thừa Thiên Huế": "Huế",
    "Thừa Thiên - Huế": "Huế",
    "HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Đắc Lắc": "Đắk Lắk",
}

RESOLUTION = "Nghị quyết 202/2025/QH15"

_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp|t p)\b\.?\s*", re.IGNORECASE)
_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|dac khu|thi tran|p|x|tt)\b\.?\s*", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0]+")
_DASHES = re.compile(r"\s*[-\u2010-\u2015]\s*")

# Tone marks (combining) and the vowel pairs whose tone placement varies ("hoà" / "hòa").
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w])")


def canonical_tones(text: str) -> str:
    """Put the tone of open "oa", "oe", "uy" syllables on the first vowel, as the official list does.

    "Khánh Hoà" and "Khánh Hòa" are the same name written in the new and the traditional style.
    """
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


def _clean(text: str) -> str:
    """NFC, one space between words, one ASCII hyphen between parts, no surrounding punctuation."""
    text = nfc(text).strip().strip(".,;:")
    text = _DASHES.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


def _keys(text: str, prefix: re.Pattern[str]) -> tuple[str, str, str, str]:
    """Keys from most to least exact: with prefix, accents kept; without prefix; folded with; folded without."""
    cleaned = canonical_tones(_clean(text)).lower()
    folded = fold(cleaned).replace(" - ", " ")
    match = prefix.match(folded)
    bare_folded = folded[match.end():] if match else folded
    # Drop the same number of leading words from the accented form as the prefix took.
    words = len(folded.split()) - len(bare_folded.split())
    bare = " ".join(cleaned.replace(" - ", " ").split()[words:])
    return cleaned.replace(" - ", " "), bare, folded, bare_folded


@dataclass(frozen=True)
class ProvinceMatch:
    code: int
    name: str  # official name, e.g. "Hưng Yên" or "Thành phố Hà Nội"
    old_name: str = ""  # set when the input was a pre-2025 province that merged into this one


@dataclass(frozen=True)
class CommuneMatch:
    code: int
    name: str  # official name with its prefix, e.g. "Phường Đoàn Kết"
    province_code: int


class GeographyError(ValueError):
    """A name that does not resolve; the message (Vietnamese) names the closest official names."""


class _Index:
    """Lookup tables for one set of names: key tier → key → candidate values."""

    def __init__(self, prefix: re.Pattern[str]):
        self.prefix = prefix
        self.tiers: list[dict[str, list]] = [defaultdict(list) for _ in range(4)]

    def add(self, name: str, value: object) -> None:
        for tier, key in zip(self.tiers, _keys(name, self.prefix), strict=True):
            if value not in tier[key]:
                tier[key].append(value)

    def find(self, name: str) -> list:
        """The candidates of the most exact tier that has any; several means ambiguous."""
        for tier, key in zip(self.tiers, _keys(name, self.prefix), strict=True):
            if key and key in tier:
                return tier[key]
        return []

    def suggest(self, name: str, names: dict[str, str]) -> list[str]:
        """Official names closest to ``name`` (``names``: folded bare key → official name)."""
        bare = _keys(name, self.prefix)[3]
        close = difflib.get_close_matches(bare, list(names), n=3, cutoff=0.6)
        return [names[key] for key in close]


@cache
def _provinces() -> tuple[dict[int, Province], _Index, dict[str, str]]:
    by_code = {p.code.value: p for p in Province.iter_all()}
    index = _Index(_PROVINCE_PREFIX)
    official: dict[str, str] = {}
    by_bare: dict[str, int] = {}
    for code, province in by_code.items():
        index.add(province.name, ProvinceMatch(code, province.name))
        bare = _keys(province.name, _PROVINCE_PREFIX)[3]
        by_bare[bare] = code
        official[bare] = province.name
    for alias, target in PROVINCE_ALIASES.items():
        code = by_bare[_keys(target, _PROVINCE_PREFIX)[3]]
        index.add(alias, ProvinceMatch(code, by_code[code].name))
    for old, target in OLD_PROVINCES.items():
        code = by_bare[_keys(target, _PROVINCE_PREFIX)[3]]
        index.add(old, ProvinceMatch(code, by_code[code].name, old_name=old))
        official[_keys(old, _PROVINCE_PREFIX)[3]] = old
    return by_code, index, official


@cache
def _communes(province_code: int) -> tuple[_Index, dict[str, str]]:
    index = _Index(_COMMUNE_PREFIX)
    names: dict[str, str] = {}
    for ward in Ward.iter_by_province(ProvinceCode(province_code)):
        index.add(ward.name, CommuneMatch(ward.code.value, _display(ward.name), province_code))
        names[_keys(ward.name, _COMMUNE_PREFIX)[3]] = _display(ward.name)
    return index, names


@cache
def _all_communes() -> _Index:
    index = _Index(_COMMUNE_PREFIX)
    for ward in Ward.iter_all():
        index.add(ward.name, CommuneMatch(ward.code.value, _display(ward.name), ward.province_code.value))
    return index


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


@cache
def resolve_province(name: str) -> ProvinceMatch:
    """The current province for ``name`` (current, renamed or pre-2025); raises GeographyError."""
    if not _clean(name):
        raise GeographyError("thiếu tên tỉnh/thành phố")
    _, index, official = _provinces()
    found = index.find(name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:  # cannot happen with today's names; kept so a data update fails loudly
        raise GeographyError(f'"{name}" ứng với nhiều tỉnh: {_quoted([m.name for m in found])}')
    suggestions = index.suggest(name, official)
    hint = f"; có phải {_quoted(suggestions)}?" if suggestions else ""
    raise GeographyError(f'không có tỉnh/thành phố "{_clean(name)}"{hint}')


@cache
def resolve_commune(name: str, province_code: int) -> CommuneMatch:
    """The commune, ward or special zone ``name`` of the province; raises GeographyError."""
    if not _clean(name):
        raise GeographyError("thiếu tên xã/phường")
    index, names = _communes(province_code)
    found = index.find(name)
    if len(found) == 1:
        return found[0]
    province = province_name(province_code)
    if len(found) > 1:
        raise GeographyError(
            f'"{_clean(name)}" có thể là {_quoted(sorted(m.name for m in found))} của {province};'
            " hãy ghi đúng dấu và tiền tố Xã/Phường"
        )
    elsewhere = _all_communes().find(name)
    parts = [f'{province} không có xã/phường "{_clean(name)}" (theo danh mục sau sắp xếp 2025)']
    suggestions = index.suggest(name, names)
    if suggestions:
        parts.append(f"gần nhất: {_quoted(suggestions)}")
    if len(elsewhere) == 1:
        parts.append(f'"{elsewhere[0].name}" thuộc {province_name(elsewhere[0].province_code)}')
    raise GeographyError("; ".join(parts))


def province_name(code: int) -> str:
    return _provinces()[0][code].name


def commune_name(code: int) -> str:
    return _display(Ward.from_code(WardCode(code)).name)


def commune_province(code: int) -> int:
    """The province code of a commune code (ValueError or KeyError for a code not in the list)."""
    return int(Ward.from_code(WardCode(code)).province_code.value)


def _display(name: str) -> str:
    """An official name as shown: the package has a few stray double spaces ("Xã  Bắc Đông Quan")."""
    return " ".join(nfc(name).split())


def counts() -> tuple[int, int]:
    """Number of provinces and communes in the official list (34 and 3,321 since July 2025)."""
    return len(_provinces()[0]), sum(1 for _ in Ward.iter_all())
