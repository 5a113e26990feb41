"""Small generators of hostile rosters (XLSX, ODS, CSV) for test_tabular_limits.py: each file is a
few kilobytes to a hundred megabytes that once hung the import or took it to 3–4 GB of memory.

A minimal valid workbook is written part by part with ``zipfile`` so that every part can be made
hostile on its own (a row number, a shared-strings part, a styles part, a DOCTYPE)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

HEADER = ("Mã học sinh", "Họ và tên", "Lớp", "Trường", "Xã/Phường", "Tỉnh/Thành phố", "Năm học")
GOOD = ("3301000009", "Lê Văn Chín", "10A2", "Trường THPT Tiên Lữ", "Xã Tiên Lữ", "Hưng Yên", "2025-2026")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_xml(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">' + "".join(f'<c t="inlineStr"><is><t>{_escape(c)}</t></is></c>' for c in cells) + "</row>"


def sheet_xml(rows: str, before: str = "", after: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


def write_xlsx(path: Path, sheet: str | Iterable[bytes], shared: str | Iterable[bytes] | None = None,
               styles: str | Iterable[bytes] | None = None) -> Path:
    """A workbook whose sheet, shared strings and styles parts are given (text, or chunks of bytes
    streamed into the zip so that a 100 MB part never exists in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        for name, part in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared), ("xl/styles.xml", styles)):
            if part is None:
                continue
            if isinstance(part, str):
                archive.writestr(name, part)
                continue
            with archive.open(name, "w", force_zip64=True) as handle:
                for chunk in part:
                    handle.write(chunk)
    return path


def good_rows() -> str:
    return row_xml(1, HEADER) + row_xml(2, GOOD)


def repeated(head: bytes, unit: bytes, count: int, tail: bytes) -> Iterable[bytes]:
    yield head
    block = unit * 65_536
    full, rest = divmod(count, 65_536)
    for _ in range(full):
        yield block
    yield unit * rest
    yield tail


# -- the hostile files ------------------------------------------------------------------------------------
def far_row(path: Path) -> Path:
    """One data row numbered 2,000,000,000 (openpyxl yields every missing row before it)."""
    return write_xlsx(path, sheet_xml(good_rows() + row_xml(2_000_000_000, GOOD)))


def last_excel_row(path: Path) -> Path:
    """A valid file whose second student sits on Excel's last row: read without walking the gap."""
    other = ("3301000010", *GOOD[1:])
    return write_xlsx(path, sheet_xml(good_rows() + row_xml(1_048_576, other)))


def shared_strings_bomb(path: Path) -> Path:
    """100 MB of shared strings in a part of about 100 KB."""
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode()
    return write_xlsx(path, sheet_xml(good_rows()), repeated(head, b"<si><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></si>",
                                                              2_500_000, b"</sst>"))


def styles_bomb(path: Path) -> Path:
    """A 1.5 MB styles part (as in the issue) of 200,000 cell formats, compressed to a few KB."""
    head = f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="200000">'.encode()
    return write_xlsx(path, sheet_xml(good_rows()), None,
                      repeated(head, b'<xf numFmtId="14"/>', 200_000, b"</cellXfs></styleSheet>"))


def wide_row(path: Path) -> Path:
    """One row of 40 million empty cells (160 MB of XML in about 200 KB)."""
    head = (f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>' + good_rows() + '<row r="3">').encode()
    return write_xlsx(path, repeated(head, b"<c/>", 40_000_000, b"</row></sheetData></worksheet>"))


def far_column(path: Path) -> Path:
    """A cell in Excel's last column (XFD): a row of 16,384 columns once padded."""
    far = '<row r="3"><c r="A3" t="inlineStr"><is><t>3301000011</t></is></c><c r="XFD3"><v>1</v></c></row>'
    return write_xlsx(path, sheet_xml(good_rows() + far))


def dimension_and_rejects(path: Path) -> Path:
    """A declared dimension of the whole sheet and 20,000 rejected rows (no class): each kept
    rejection once held 16,384 padded cells."""
    rows = good_rows() + "".join(row_xml(n, (f"33010{n:05d}", "Tên", "", "Trường", "Xã Tiên Lữ", "Hưng Yên", "2025-2026"))
                                 for n in range(3, 20_003))
    return write_xlsx(path, sheet_xml(rows, before='<dimension ref="A1:XFD1048576"/>'))


def malformed_sheet(path: Path) -> Path:
    return write_xlsx(path, sheet_xml(good_rows())[:-40] + "<row><c>")


def entity_strings(path: Path) -> Path:
    """A billion-laughs DOCTYPE in the shared strings part."""
    entities = '<!ENTITY a "AAAAAAAAAA">' + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">'
                                                    for i in range(8))
    shared = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}"><si><t>&i;</t></si></sst>'
    sheet = sheet_xml(row_xml(1, HEADER) + '<row r="2"><c t="s"><v>0</v></c></row>')
    return write_xlsx(path, sheet, shared)


_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    '<table:table table:name="DS">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_row(cells: Iterable[str], repeat: int = 1, columns: int = 1) -> str:
    attrs = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    cols = f' table:number-columns-repeated="{columns}"' if columns > 1 else ""
    return (f"<table:table-row{attrs}>" + "".join(
        f'<table:table-cell office:value-type="string"{cols}><text:p>{_escape(c)}</text:p></table:table-cell>'
        for c in cells) + "</table:table-row>")


def write_ods(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", _ODS_HEAD + body + _ODS_TAIL)
    return path


def ods_repeated_rows(path: Path) -> Path:
    """A student row repeated a billion times (LibreOffice's run-length form of equal rows)."""
    return write_ods(path, _ods_row(HEADER) + _ods_row(GOOD, repeat=1_000_000_000))


def ods_empty_rows(path: Path) -> Path:
    """A billion empty rows after the data, as LibreOffice writes a formatted column: skipped, not walked."""
    return write_ods(path, _ods_row(HEADER) + _ods_row(GOOD) + '<table:table-row table:number-rows-repeated="1000000000">'
                     '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')


def ods_repeated_columns(path: Path) -> Path:
    return write_ods(path, _ods_row(HEADER) + _ods_row(["x"], columns=16_384))


def csv_long_line(path: Path) -> Path:
    """A 99 MB line of 33 million cells."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        chunk = "a," * 1_000_000
        for _ in range(33):
            handle.write(chunk)
        handle.write("\n")
    return path


def csv_wide_rejects(path: Path) -> Path:
    """Rows of 100,000 columns each."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        for n in range(50):
            handle.write(f"33010{n:05d},Tên,,Trường,Xã Tiên Lữ,Hưng Yên,2025-2026" + ",x" * 100_000 + "\n")
    return path


def csv_many_rejects(path: Path, count: int = 100_050) -> Path:
    """More rejected rows (no class) than the kept limit of 100,000."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        for n in range(count):
            handle.write(f"3{n:09d},Tên,,Trường THPT Tiên Lữ,Xã Tiên Lữ,Hưng Yên,2025-2026\n")
    return path
