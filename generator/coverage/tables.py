"""Streaming readers for the CSV and XLSX files schools and agencies export.

What real exports look like: a title block (ministry, school, "DANH SÁCH HỌC SINH NĂM HỌC …") above
the header row, Vietnamese column headers (sometimes over two rows), signature lines below the data,
CSV in UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text", tab-separated) or Windows-1258.
Readers yield one row at a time and never hold the whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

from ..diagnostics import CoursegenError
from ..text import fold
from .values import text

MAX_TITLE_ROWS = 30  # the header row must be among the first rows
CSV_DELIMITERS = (",", ";", "\t", "|")
CHUNK = 1 << 16  # 64 KiB: validating and hashing never hold much of a file

csv.field_size_limit(1 << 20)

_PLAIN_CODE = re.compile(r"^\s*[0-9A-Za-z][0-9A-Za-z._/-]*\s*$")  # a code cell cannot be a footer line
STORED_CODE = re.compile(r"[0-9A-Z][0-9A-Z._/-]{0,39}\Z")  # a learner code as stored: values.learner_code() keeps it
_HEADER_NOISE = re.compile(r"[^a-z0-9%]+")
# Signature and total lines under the data ("Người lập biểu", "Hưng Yên, ngày 15 tháng 9 năm 2025").
_FOOTER = re.compile(
    r"^(tong cong|tong so|tong:|cong:|nguoi lap|nguoi ky|nguoi duyet|(pho )?hieu truong|giao vien|thu truong|(pho )?giam doc|"
    r"(pho )?chu tich|truong phong|xac nhan|ghi chu|\(ky|ngay \d+ thang|.*, ngay \d+ thang)"
)


def header_key(value: object) -> str:
    """Normalised header text: "Mã học sinh (*)" → "ma hoc sinh", "Điểm (%)" → "diem %"."""
    return " ".join(_HEADER_NOISE.sub(" ", fold(text(value))).split())


@dataclass(frozen=True)
class FieldSpec:
    """The columns an importer understands: field → accepted header spellings (normalised)."""

    aliases: dict[str, tuple[str, ...]]
    key_field: str  # a header row must have this column (the learner code)
    key_label: str  # how that column is usually headed, for messages ("Mã học sinh")
    minimum: int = 2  # and at least this many recognised columns

    def field_of(self, header: object) -> str | None:
        key = header_key(header)
        if not key:
            return None
        for name, spellings in self.aliases.items():
            if key in spellings:
                return name
        return None


@dataclass
class Table:
    """One table found in a file (a CSV file, or one sheet of a workbook)."""

    path: Path
    sheet: str  # "" for CSV
    encoding: str  # "" for XLSX
    header: tuple[str, ...]
    columns: dict[int, str]  # column index → field
    title: str  # text of the rows above the header
    _rows: Iterator[tuple[int, tuple]] = field(repr=False, default=iter(()))
    description: str = ""  # what the importer made of it (audience, period), for the summary

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def location(self) -> str:
        return f"{self.path.name}, trang {self.sheet}" if self.sheet else self.path.name

    def has(self, name: str) -> bool:
        return name in self.columns.values()

    def close(self) -> None:
        """Forget the rows (closing the file when they come from one): a read table can then be
        pickled, as a reader process sends it back with the summary."""
        rows, self._rows = self._rows, iter(())
        close = getattr(rows, "close", None)
        if close is not None:
            close()

    def values_of(self, cells: tuple) -> dict[str, object]:
        """The recognised cells of a row by field (None for a cell the row does not have)."""
        width = len(cells)
        return {name: cells[index] if index < width else None for index, name in self.columns.items()}

    def raw_of(self, cells: tuple) -> tuple[str, ...]:
        """Every cell of a row as text, for the rejected-rows file (without ``scan``'s padding)."""
        end = len(cells)
        if self.encoding:  # CSV cells are text: a None is padding
            while end and cells[end - 1] is None:
                end -= 1
        return tuple(c if isinstance(c, str) else text(c) for c in cells[:end])

    def picker(self, fields: Sequence[str]) -> Callable[[tuple], object]:
        """An ``itemgetter`` of the cells of ``fields`` (each must have a column) for rows from
        ``scan``: a tuple for several fields, the cell itself for one."""
        if not fields:
            return lambda cells: None
        index = {name: i for i, name in self.columns.items()}
        return itemgetter(*(index[name] for name in fields))

    def scan(self) -> Iterator[tuple[int, tuple, str | None]]:
        """Data rows as (line, cells, code); blank rows, footer and signature lines are skipped.

        ``code`` is the learner-code cell when it is already in the stored form (upper case, no
        spaces: the common row, which needs no other check), else None and the importer cleans it."""
        code_index = next(i for i, name in self.columns.items() if name == "code")
        stored = STORED_CODE.match
        plain = _PLAIN_CODE.match
        csv_text = bool(self.encoding)  # CSV cells are always text
        width = max(len(self.header), max(self.columns) + 1)
        for line, cells in self._rows:
            if csv_text and len(cells) >= width and stored(code := cells[code_index]):
                yield line, cells, code  # a code, so neither blank nor footer
                continue
            if len(cells) < width:  # a short row: pickers may read every column
                cells = (*cells, *(None,) * (width - len(cells)))
            values = self.values_of(cells)
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values.values()):
                continue
            code = values.get("code")
            if not (isinstance(code, str) and plain(code)) and not isinstance(code, (int, float)):
                folded = fold(text(code))
                if (not folded or _FOOTER.match(folded)) and any(_FOOTER.match(fold(c)) for c in self.raw_of(cells) if c):
                    continue
            yield line, cells, code if type(code) is str and stored(code) else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """The text encoding of a CSV file: a BOM decides; else UTF-16 by its zero bytes; else UTF-8
    if the whole file decodes (checked in chunks); else Windows-1258, the Vietnamese Windows code page."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4:
        even_zero = head[0::2].count(0)
        odd_zero = head[1::2].count(0)
        if odd_zero > len(head) // 4 and even_zero == 0:
            return "utf-16-le"
        if even_zero > len(head) // 4 and odd_zero == 0:
            return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 có BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1258": "Windows-1258",
}


def _find_header(rows: list[tuple[int, tuple]], spec: FieldSpec, where: str) -> tuple[int, dict[int, str], tuple[str, ...], str]:
    """Locate the header row among the first rows: (index of its last row, columns, header texts, title)."""
    for position, (_, cells) in enumerate(rows):
        columns = _map_columns(cells, spec)
        if spec.key_field not in columns.values() or len(columns) < spec.minimum:
            continue
        title = " ".join(text(c) for _, r in rows[:position] for c in r if text(c))
        header = [text(c) for c in cells]
        # A second header row (e.g. "Xã/Phường", "Tỉnh" under a merged "Địa chỉ") adds columns.
        if position + 1 < len(rows):
            below = rows[position + 1][1]
            extra = {i: f for i, f in _map_columns(below, spec).items() if i not in columns}
            code_index = next(i for i, f in columns.items() if f == spec.key_field)
            code_below = text(below[code_index]) if code_index < len(below) else ""
            if extra and not code_below:
                header += [""] * (len(below) - len(header))
                for index in extra:
                    header[index] = text(below[index])
                return position + 1, _unique({**columns, **extra}, where), tuple(header), title
        return position, _unique(columns, where), tuple(header), title
    raise CoursegenError(
        f'{where}: không tìm thấy dòng tiêu đề cột trong {MAX_TITLE_ROWS} dòng đầu (cần có cột "{spec.key_label}"'
        " hoặc cột mã người học tương tự, cùng các cột khác của mẫu; xem docs/bao-cao-do-phu.md)"
    )


def _map_columns(cells: tuple, spec: FieldSpec) -> dict[int, str]:
    return {index: name for index, cell in enumerate(cells) if (name := spec.field_of(cell)) is not None}


class DuplicateColumns(CoursegenError):
    """The header row was found, but two of its columns mean the same field."""


def _unique(columns: dict[int, str], where: str) -> dict[int, str]:
    """Refuse two columns with the same meaning: which one holds the data would be a guess."""
    seen: dict[str, int] = {}
    for index, name in sorted(columns.items()):
        if name in seen:
            raise DuplicateColumns(
                f"{where}: hai cột cùng nghĩa ({_column_letter(seen[name])} và {_column_letter(index)});"
                " hãy xóa hoặc đổi tên một cột"
            )
        seen[name] = index
    return columns


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"cột {letters}"


def _csv_rows(handle, delimiter: str, where: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells), turning decoding and CSV errors into user errors; the
    file is closed at the end. Cells stay a list: the importers only index them."""
    reader = csv.reader(handle, delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{where}: không đọc được với bảng mã {encoding} ({exc.reason})") from exc
    except csv.Error as exc:
        raise UnreadableFile(f"{where}: tệp CSV hỏng ({exc})") from exc
    finally:
        handle.close()


class UnreadableFile(CoursegenError):
    """The file cannot be decoded or parsed: no other delimiter would do better."""


def read_csv(path: Path, spec: FieldSpec, encoding: str | None = None) -> Table:
    """Open a CSV (or tab-separated text) file as a ``Table`` positioned after its header."""
    encoding = encoding or detect_encoding(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CoursegenError(f'không biết bảng mã "{encoding}"') from None
    where = path.name
    last_error: CoursegenError | None = None
    for delimiter in CSV_DELIMITERS:
        handle = path.open("r", encoding=encoding, newline="", errors="strict")
        try:
            rows = _csv_rows(handle, delimiter, where, encoding)
            head = [row for _, row in zip(range(MAX_TITLE_ROWS), rows, strict=False)]
            position, columns, header, title = _find_header(head, spec, where)
        except (DuplicateColumns, UnreadableFile):
            handle.close()
            raise  # trying the other delimiters would only hide the real problem
        except CoursegenError as exc:
            handle.close()
            last_error = exc
            continue
        return Table(path, "", encoding, header, columns, title, chain(head[position + 1:], rows))
    assert last_error is not None
    raise last_error


def read_xlsx(path: Path, spec: FieldSpec, sheet: str | None = None, on_skip=None) -> Iterator[Table]:
    """Each visible sheet that has a header row, as a ``Table``; the workbook is read in streaming mode."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise CoursegenError(
            f"{path.name}: không mở được như sổ tính Excel .xlsx ({exc}); tệp .xls cũ hãy lưu lại thành .xlsx"
        ) from exc
    try:
        names = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise CoursegenError(f'{path.name}: không có trang tính "{sheet}" (có: {", ".join(workbook.sheetnames)})')
            names = [sheet]
        found = 0
        problems: list[str] = []
        for name in names:
            ws = workbook[name]
            rows = ((number, tuple(cells)) for number, cells in enumerate(ws.iter_rows(min_row=1, values_only=True), 1))
            head = [row for _, row in zip(range(MAX_TITLE_ROWS), rows, strict=False)]
            where = f"{path.name}, trang {name}"
            if not any(text(c) for _, r in head for c in r):
                continue  # an empty sheet (Excel's default "Sheet2")
            try:
                position, columns, header, title = _find_header(head, spec, where)
            except CoursegenError as exc:
                problems.append(str(exc))
                continue
            found += 1
            yield Table(path, name, "", header, columns, title, chain(head[position + 1:], rows))
        if not found:
            raise CoursegenError(problems[0] if len(problems) == 1 else "; ".join(problems))
        for problem in problems:
            if on_skip is not None:
                on_skip(f"{problem}; đã bỏ qua trang tính này")
    finally:
        workbook.close()


def read_tables(
    path: Path, spec: FieldSpec, *, encoding: str | None = None, sheet: str | None = None, on_skip=None
) -> Iterator[Table]:
    """Every table of a roster or records file, by its suffix (.xlsx/.xlsm, otherwise CSV text)."""
    if not path.is_file():
        raise CoursegenError(f"không tìm thấy tệp {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from read_xlsx(path, spec, sheet, on_skip)
    elif suffix == ".xls":
        raise CoursegenError(f"{path.name}: tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy lưu lại thành .xlsx hoặc CSV UTF-8")
    else:
        yield read_csv(path, spec, encoding)
