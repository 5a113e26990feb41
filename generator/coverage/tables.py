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
from .sheetreader import MAX_COLUMNS, WorkbookError, column_name, open_workbook
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
    r"^(tong cong|tong so|tong:|tong\b|cong:|cong\b|nguoi lap|nguoi ky|nguoi duyet|(kt\.? )?(pho )?hieu truong|giao vien|"
    r"thu truong|(pho )?giam doc|(pho )?chu tich|truong phong|xac nhan|ghi chu|luu y|chu y|\*|\(ky|\(da ky|ngay \d+ thang|"
    r".*, ngay\b|.*ngay \.+ thang|an dinh danh sach|danh sach (nay )?(co|gom)|si so|so hoc sinh|tm\.? |t/m )"
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
    # Columns named by a pattern, one field each: "Bài 3" → "lesson:3" (an attendance book's lessons).
    numbered: tuple[tuple[re.Pattern[str], str], ...] = ()

    def field_of(self, header: object) -> str | None:
        key = header_key(header)
        if not key:
            return None
        for name, spellings in self.aliases.items():
            if key in spellings:
                return name
        for pattern, prefix in self.numbered:
            match = pattern.match(key)
            if match:
                return f"{prefix}:{int(match.group(1))}"
        return None


@dataclass
class Layout:
    """What a reader did with a table's rows besides reading them: the lines it skipped as not data
    (signatures, totals, notes), blank rows, hidden rows skipped or read, merged cells filled down."""

    skipped: list[tuple[int, str]] = field(default_factory=list)
    blank: int = 0
    hidden: list[int] = field(default_factory=list)
    hidden_read: bool = False
    merges: list[str] = field(default_factory=list)

    def notes(self, location: str) -> list[str]:
        out = []
        if self.skipped:
            shown = "; ".join(f"dòng {line} ({what})" for line, what in self.skipped[:8])
            more = f"; … và {len(self.skipped) - 8} dòng khác" if len(self.skipped) > 8 else ""
            out.append(f"{location}: đã bỏ qua {len(self.skipped)} dòng không phải người học (ký tên, tổng cộng,"
                       f" ghi chú): {shown}{more}")
        if self.blank:
            out.append(f"{location}: đã bỏ qua {self.blank} dòng trống")
        if self.hidden:
            lines = ", ".join(map(str, self.hidden[:10])) + (", …" if len(self.hidden) > 10 else "")
            if self.hidden_read:
                out.append(f"{location}: {len(self.hidden)} dòng đang ẩn đã được nhập như mọi dòng (dòng {lines})")
            else:
                out.append(f"{location}: {len(self.hidden)} dòng đang ẩn KHÔNG được nhập (dòng {lines});"
                           " nếu cần nhập, dùng --include-hidden")
        if self.merges:
            shown = ", ".join(self.merges[:6]) + (", …" if len(self.merges) > 6 else "")
            out.append(f"{location}: ô gộp ({shown}) được điền xuống các dòng bên dưới bằng giá trị của ô đầu")
        return out


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
    layout: Layout = field(default_factory=lambda: Layout())  # what the reader skipped or filled, for the notes
    # What the import took from options or the title, for the rejected-rows file to carry: extra
    # columns (header → value) and title lines ("Đối tượng: …").
    carried: dict[str, str] = field(default_factory=dict)
    carried_title: list[str] = field(default_factory=list)

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
        end = min(len(cells), MAX_COLUMNS)
        while end and (cells[end - 1] is None or cells[end - 1] == ""):  # padding, not data
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
        layout = self.layout
        in_footer = False  # under a signature or totals line: rows without a code are the signers' names
        for line, cells in self._rows:
            if csv_text and len(cells) >= width and stored(code := cells[code_index]):
                yield line, cells, code  # a code, so neither blank nor footer
                continue
            if len(cells) < width:  # a short row: pickers may read every column
                cells = (*cells, *(None,) * (width - len(cells)))
            values = self.values_of(cells)
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values.values()):
                if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                    layout.skipped.append((line, _shown(cells)))  # text only in columns the import does not read
                else:
                    layout.blank += 1
                continue
            code = values.get("code")
            if not (isinstance(code, str) and plain(code)) and not isinstance(code, (int, float)):
                folded = fold(text(code))
                if in_footer or ((not folded or _FOOTER.match(folded))
                                 and any(_FOOTER.match(fold(c)) for c in self.raw_of(cells) if c)):
                    in_footer = True
                    layout.skipped.append((line, _shown(cells)))
                    continue
            yield line, cells, code if type(code) is str and stored(code) else None


def _shown(cells: tuple) -> str:
    """The first words of a skipped row, for the notes."""
    words = " ".join(text(c) for c in cells if c is not None and text(c))
    return words if len(words) <= 40 else words[:39] + "…"


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
    _refuse_lost_letters(rows, where)
    raise CoursegenError(
        f'{where}: không tìm thấy dòng tiêu đề cột trong {MAX_TITLE_ROWS} dòng đầu (cần có cột "{spec.key_label}"'
        " hoặc cột mã người học tương tự, cùng các cột khác của mẫu; xem docs/bao-cao-do-phu.md)"
    )


_LOST_LETTER = re.compile(r"\w\?\w|\w\?(?=\s|$)")
_VIETNAMESE_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u0300-\u0323\u1ea0-\u1ef9]")


def _refuse_lost_letters(rows: list[tuple[int, tuple]], where: str, found: bool = False) -> None:
    """Text saved in a code page without Vietnamese letters (Windows-1252, "CSV (Comma delimited)")
    has "?" where the letters were ("M? h?c sinh"): no encoding can bring them back, so say how to save again."""
    damaged = [c for _, cells in rows for c in cells if isinstance(c, str) and "?" in c and _LOST_LETTER.search(c)]
    # A web address ("index.php?id=1") has a "?" between letters too; a damaged file has none of the
    # letters Windows-1252 lacks (ă, đ, ơ, ư, ạ…), a Vietnamese file always some.
    # (Checked only when the header was found in a UTF text: decoded as Windows-1258, the bytes of a
    # Windows-1252 file are such letters.)
    if len(damaged) >= 2 and not (found and any(isinstance(c, str) and _VIETNAMESE_ONLY.search(c)
                                                for _, cells in rows for c in cells)):
        raise UnreadableFile(
            f'{where}: chữ tiếng Việt trong tệp đã bị thay bằng dấu "?" (ví dụ "{damaged[0][:40]}"): tệp đã được lưu'
            ' bằng bảng mã không có chữ Việt (Windows-1252) và không bảng mã nào khôi phục được. Hãy mở tệp gốc trong'
            ' Excel và lưu lại bằng "Lưu thành" → "CSV UTF-8 (Comma delimited) (*.csv)"'
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
                f"{where}: hai cột cùng nghĩa ({column_letter(seen[name])} và {column_letter(index)});"
                " hãy xóa hoặc đổi tên một cột"
            )
        seen[name] = index
    return columns


def column_letter(index: int) -> str:
    return f"cột {column_name(index)}"


def _csv_rows(handle, delimiter: str, where: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells), turning decoding and CSV errors into user errors; the
    file is closed at the end. Cells stay a list: the importers only index them."""
    reader = csv.reader(handle, delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if len(cells) > MAX_COLUMNS:
                count = f"{len(cells):,}".replace(",", ".")
                raise UnreadableFile(f"{where}, dòng {start}: có {count} cột, quá giới hạn {MAX_COLUMNS} cột;"
                                     " tệp không phải danh sách thông thường")
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


MAX_LINE_BYTES = 1 << 20  # one line of a CSV file (a school list's lines are below 1 KB)


def refuse_long_lines(path: Path) -> None:
    """Refuse a CSV file with a line longer than ``MAX_LINE_BYTES`` before parsing it: a 99 MB line
    of 33 million cells would otherwise become a list of 33 million cells. One pass of byte searches."""
    since = 0  # bytes since the last line break
    line = 1
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            first = chunk.find(b"\n")
            if first < 0:
                since += len(chunk)
            else:
                since += first
                if since <= MAX_LINE_BYTES:
                    line += chunk.count(b"\n")
                    since = len(chunk) - chunk.rfind(b"\n") - 1
            if since > MAX_LINE_BYTES:
                raise UnreadableFile(
                    f"{path.name}, dòng {line}: tệp CSV hỏng (dòng dài hơn {MAX_LINE_BYTES // (1 << 20)} MB); tệp không"
                    " phải danh sách thông thường (xem docs/an-toan-dau-vao.md)")


def read_csv(path: Path, spec: FieldSpec, encoding: str | None = None) -> Table:
    """Open a CSV (or tab-separated text) file as a ``Table`` positioned after its header."""
    refuse_long_lines(path)
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
            _refuse_lost_letters(head, where, found=encoding != "cp1258")
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


def read_workbook(path: Path, spec: FieldSpec, sheet: str | None = None, on_skip=None,
                  include_hidden: bool = False) -> Iterator[Table]:
    """Each sheet of an .xlsx/.xlsm/.ods workbook that has a header row, as a ``Table`` read streaming
    and bounded (``workbook``). Hidden sheets and rows are skipped and reported unless ``include_hidden``;
    merged cells are filled down from their top cell, with a note."""
    try:
        book = open_workbook(path)
    except WorkbookError:
        raise
    try:
        names = [(n, h, p) for n, h, p in book.sheets]
        if sheet is not None:
            chosen = [entry for entry in names if entry[0] == sheet]
            if not chosen:
                raise CoursegenError(f'{path.name}: không có trang tính "{sheet}" (có: {", ".join(n for n, _, _ in names)})')
            names = chosen
        found = 0
        problems: list[str] = []
        for name, hidden, part in names:
            where = f"{path.name}, trang {name}"
            if hidden and not include_hidden and sheet is None:
                if on_skip is not None:
                    on_skip(f'{where}: trang tính đang ẩn, KHÔNG được nhập; nếu cần nhập, dùng --include-hidden'
                            f' hoặc --sheet "{name}"')
                continue
            read = book.sheet(name, hidden, part)
            layout = Layout(hidden_read=include_hidden, merges=read.merges)
            rows = _visible(read.rows, layout, include_hidden)
            head = [row for _, row in zip(range(MAX_TITLE_ROWS), rows, strict=False)]
            if not any(text(c) for _, r in head for c in r):
                continue  # an empty sheet (Excel's default "Sheet2")
            try:
                position, columns, header, title = _find_header(head, spec, where)
            except (DuplicateColumns, UnreadableFile):
                raise
            except CoursegenError as exc:
                problems.append(str(exc))
                continue
            found += 1
            if hidden and on_skip is not None:
                on_skip(f"{where}: trang tính đang ẩn, vẫn được nhập (--include-hidden hoặc --sheet)")
            yield Table(path, name, "", header, columns, title, chain(head[position + 1:], rows), layout=layout)
        if not found:
            if not problems:
                raise CoursegenError(f"{path.name}: sổ tính không có dữ liệu (mọi trang tính đều trống"
                                     f"{' hoặc đang ẩn' if any(h for _, h, _ in names) else ''})")
            raise CoursegenError(problems[0] if len(problems) == 1 else "; ".join(problems))
        for problem in problems:
            if on_skip is not None:
                on_skip(f"{problem}; đã bỏ qua trang tính này")
    finally:
        book.close()


def _visible(rows: Iterator[tuple[int, tuple, bool]], layout: Layout, include_hidden: bool) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of a sheet; hidden rows are noted in ``layout`` and read only if asked."""
    hidden = layout.hidden
    for number, cells, is_hidden in rows:
        if is_hidden:
            if any(c is not None and c != "" for c in cells):
                hidden.append(number)
            if not include_hidden:
                continue
        yield number, cells


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")


def read_tables(
    path: Path, spec: FieldSpec, *, encoding: str | None = None, sheet: str | None = None, on_skip=None,
    include_hidden: bool = False,
) -> Iterator[Table]:
    """Every table of a roster or records file, by its suffix (.xlsx/.xlsm/.ods, otherwise CSV text)."""
    if not path.is_file():
        raise CoursegenError(f"không tìm thấy tệp {path}")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        yield from read_workbook(path, spec, sheet, on_skip, include_hidden)
    elif suffix == ".xls":
        raise CoursegenError(f"{path.name}: tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy lưu lại thành .xlsx hoặc CSV UTF-8")
    elif suffix in (".numbers", ".xlsb", ".fods", ".odt", ".docx", ".doc", ".pdf"):
        raise CoursegenError(f"{path.name}: không đọc được tệp {suffix}; hãy lưu lại thành .xlsx, .ods hoặc CSV UTF-8")
    else:
        with path.open("rb") as handle:
            if handle.read(4) == b"PK\x03\x04":
                raise CoursegenError(f"{path.name}: tệp nén (có thể là sổ tính .xlsx hoặc .ods bị đổi đuôi), không phải"
                                     " CSV; hãy đặt lại đúng đuôi .xlsx hoặc .ods")
        yield read_csv(path, spec, encoding)
