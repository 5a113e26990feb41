"""What makes a coverage report an official document: issuing body, number, place and date, signer.

Nghị định 30/2020/NĐ-CP (Phụ lục I) fixes the parts and how they are written: the number "Số: 05/BC-SGDĐT"
with a leading zero below 10, the date line "Lai Châu, ngày 05 tháng 02 năm 2026" with a leading zero
for days below 10 and for January and February. The values come from ``report:`` in coursegen.yml
(``model.ReportSettings``). A report whose issuing body is empty or still the project template's
publisher is a draft: the PDF and the workbook are stamped "BẢN NHÁP" and the command warns, naming
the file, line and field to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..diagnostics import Diagnostic, Severity
from ..model import SCAFFOLD_PUBLISHER, Settings
from ..text import fold

DRAFT_STAMP = "BẢN NHÁP"
DOCUMENT_KIND = "BC"  # ký hiệu of a báo cáo
NUMBER_BLANK = "\u00a0" * 8  # room for the records office to write the number by hand
SUBJECT = "Kết quả bồi dưỡng kiến thức, kỹ năng sử dụng dịch vụ công trực tuyến"


@dataclass(frozen=True)
class Heading:
    """The resolved heading and signature of one report."""

    issuer_parent: str
    issuer: str
    number_line: str
    place: str
    basis: str
    issued: date
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    draft: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.issued)

    @property
    def issuer_sentence(self) -> str:
        """The issuer inside a sentence: as written when written in normal case ("Sở Giáo dục và Đào
        tạo"); capitals cannot be turned back into proper names, so those read "đơn vị"."""
        if self.draft or self.issuer.isupper():
            return "đơn vị"
        return self.issuer


def date_line(place: str, day: date) -> str:
    """"Lai Châu, ngày 05 tháng 02 năm 2026" as the decree writes it (no place: the date alone)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def number_line(number: str, issuer_short: str) -> str:
    """"Số: 05/BC-SGDĐT"; without a number, blank room before the slash."""
    symbol = f"{DOCUMENT_KIND}-{issuer_short}" if issuer_short else DOCUMENT_KIND
    shown = f"{int(number):02d}" if number.isdigit() else NUMBER_BLANK
    return f"Số: {shown}/{symbol}"


def is_placeholder(issuer: str) -> bool:
    return not issuer.strip() or fold(issuer) == fold(SCAFFOLD_PUBLISHER)


def heading_for(settings: Settings, issued: date) -> Heading:
    """The heading from the project settings; warnings say which field of coursegen.yml to fill in."""
    r = settings.report
    path = settings.source.path
    issuer = r.issuer or settings.publisher
    warnings = []
    draft = is_placeholder(issuer)
    if draft:
        now = f'đang là "{issuer}", tên mặc định của mẫu dự án' if issuer.strip() else "đang để trống"
        warnings.append(Diagnostic(
            path, r.issuer_line, "report.issuer",
            f"chưa ghi cơ quan ban hành báo cáo ({now}); báo cáo được đóng dấu \"{DRAFT_STAMP}\" trên mọi trang."
            ' Hãy ghi tên cơ quan, ví dụ issuer: "SỞ GIÁO DỤC VÀ ĐÀO TẠO"', Severity.WARNING).format())
    if not r.signer_name:
        warnings.append(Diagnostic(
            path, r.signer_line, "report.signer_name",
            "chưa ghi họ tên người ký; chỗ ký của báo cáo để trống tên", Severity.WARNING).format())
    return Heading(
        issuer_parent=r.issuer_parent,
        issuer=issuer if not draft else (issuer.strip() or "ĐƠN VỊ BÁO CÁO"),
        number_line=number_line(r.number, r.issuer_short),
        place=r.place or settings.province,
        basis=r.basis,
        issued=issued,
        signer_authority=r.signer_authority,
        signer_title=r.signer_title or "THỦ TRƯỞNG ĐƠN VỊ",
        signer_name=r.signer_name,
        recipients=r.recipients,
        draft=draft,
        warnings=warnings,
    )
