"""Whether the settings may go to a press: no scaffold default and no reserved example domain in print.

A QR code that leads to ``hoc-dvc.example.gov.vn`` or a leaflet signed by the scaffold's "Nhóm biên
soạn coursegen" is worse than no leaflet: thousands get printed before anyone scans one. So
``coursegen build`` still builds with such settings (the Quick start must work) but warns and stamps
every print page "BẢN NHÁP – KHÔNG IN", ``coursegen build --release`` refuses them, and
``coursegen preflight`` fails a PDF whose QR code leads to such a host (``reserved_host``).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, Severity
from ..model import Settings

DRAFT_STAMP = "BẢN NHÁP – KHÔNG IN"
DRAFT_SLUG = "ban-nhap"  # added to the file names of drafted PDFs

# The values coursegen's own coursegen.yml (the scaffold) ships with.
SCAFFOLD_DEFAULTS: dict[str, str] = {
    "site_url": "https://hoc-dvc.example.gov.vn/",
    "publisher": "Nhóm biên soạn coursegen",
    "issuer.name": "Nhóm biên soạn coursegen",
    "contact": "hoc-dvc@example.gov.vn",
}
# Top-level names reserved for examples, tests and local networks (RFC 2606, 6761, 6762, 8375, ICANN).
RESERVED_TLDS = {"example", "invalid", "test", "localhost", "local", "internal", "lan", "home", "corp",
                 "localdomain", "onion", "alt"}
RESERVED_LABELS = {"example", "localhost"}  # example.com, example.gov.vn, hoc.example.vn …
_HOST_IN_TEXT = re.compile(r"(?:https?://)?((?:[\w-]+\.)+[\w-]{2,}|localhost)(?::\d+)?", re.IGNORECASE)
_PLACEHOLDER_TEXT = re.compile(r"x{3,}|\.\.\.|…|\b(?:todo|tbd|lorem)\b|điền vào|thay bằng", re.IGNORECASE)


def reserved_host(host: str) -> bool:
    """Whether ``host`` can never be a real public site: reserved example/test names, local names, IP literals."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host:
        return True
    try:
        ipaddress.ip_address(host)
        return True  # an IP literal: not a public name, changes with the hosting
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or labels[-1] in RESERVED_TLDS:
        return True
    return any(label in RESERVED_LABELS for label in labels)


def url_host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _why(name: str, value: str) -> str | None:
    """Why one settings value is a placeholder (Vietnamese), or None."""
    if SCAFFOLD_DEFAULTS.get(name) == value:
        return f'"{value}" là giá trị mẫu của coursegen.yml đi kèm coursegen'
    if name == "site_url":
        host = url_host(value)
        if reserved_host(host):
            return f'"{value}": tên miền "{host}" dành riêng cho ví dụ, thử nghiệm hoặc mạng nội bộ, không ai truy cập được'
        return None
    for match in _HOST_IN_TEXT.finditer(value):
        if "." in match.group(1) and not re.search(r"[a-z]", match.group(1), re.IGNORECASE):
            continue  # "1900.1234": a phone number, not a host
        if reserved_host(match.group(1)):
            return f'"{value}" có tên miền mẫu "{match.group(1)}"'
    if _PLACEHOLDER_TEXT.search(value):
        return f'"{value}" còn là chữ giữ chỗ (xxx, …, TODO), chưa phải thông tin thật'
    return None


def placeholder_fields(settings: Settings) -> list[tuple[str, str]]:
    """(field, reason) for every settings value that must not be printed as it is."""
    values = [("site_url", settings.site_url), ("publisher", settings.publisher), ("contact", settings.contact),
              ("issuer.name", settings.issuer.name), ("issuer.address", settings.issuer.address),
              ("issuer.hotline", settings.issuer.hotline)]
    found = []
    for name, value in values:
        if value and (why := _why(name, value)) is not None:
            found.append((name, why))
    return found


def is_draft(settings: Settings) -> bool:
    return bool(placeholder_fields(settings))


def draft_diagnostics(settings: Settings, *, release: bool) -> list[Diagnostic]:
    """``coursegen.yml:line: field: …`` for each placeholder: errors for a release build, warnings otherwise."""
    path = settings.source.path
    result = []
    for name, why in placeholder_fields(settings):
        if release:
            message = (f"{why}; bản phát hành (--release) không in thông tin mẫu. Hãy ghi thông tin thật của"
                       " đơn vị mình vào coursegen.yml (xem docs/to-roi-in-an.md) rồi dựng lại")
            severity = Severity.ERROR
        else:
            message = (f"{why}; tờ rơi, tờ gấp được đóng dấu \u201c{DRAFT_STAMP}\u201d và tên tệp có"
                       f" \u201c-{DRAFT_SLUG}\u201d. Sửa trước khi đặt in; dựng bản in thật bằng"
                       " coursegen build --release")
            severity = Severity.WARNING
        result.append(Diagnostic(path, settings.line_of(name), name, message, severity))
    return result


def release_line(released: date) -> str:
    """How a publication states its date: "Phát hành tháng 12/2026"."""
    return f"Phát hành tháng {released.month}/{released.year}"
