"""Bounded, streaming readers for Excel (.xlsx/.xlsm) and LibreOffice (.ods) workbooks.

Why not openpyxl or a general reader: a roster is one small file from outside, and a workbook is a
zip of XML that can claim anything. openpyxl yields every missing row up to ``<row r="2000000000">``,
pads rows to the declared ``<dimension>``, loads any size of shared strings and styles, and turns a
malformed part into an ``xml.etree`` traceback; it also hides what schools rely on (hidden rows,
merged cells in streaming mode). These readers check every part's size in the zip directory before
decompressing it, parse with expat and refuse a DOCTYPE (no entities), skip missing rows, bound rows,
columns and cell lengths, and say so in Vietnamese. They yield one row at a time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from xml.parsers import expat

from ..diagnostics import CoursegenError

# -- limits (documented in docs/an-toan-dau-vao.md) --------------------------------------------------------
MAX_ROWS = 1_048_576  # Excel's last row
MAX_COLUMNS = 1024  # a school or agency list has a few dozen; Excel allows 16,384
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_ZIP_ENTRIES = 10_000
MAX_SHEET_BYTES = 512 << 20  # one sheet's XML, uncompressed (read streaming)
MAX_SHARED_STRINGS_BYTES = 64 << 20  # the shared strings part is held in memory
MAX_STYLES_BYTES = 8 << 20
MAX_SMALL_PART_BYTES = 4 << 20  # workbook.xml, relationships, the merge list of a sheet
MAX_RATIO = 200  # uncompressed ÷ compressed for a part above 1 MiB (real sheets are below 30)
MAX_MERGES = 100_000
CHUNK = 1 << 16


def _count(number: int) -> str:
    """1048576 → "1.048.576", as Vietnamese writes numbers."""
    return f"{number:,}".replace(",", ".")


def _size(number: int) -> str:
    """A size in MB (2²⁰ bytes) with a decimal comma, or in KB below 1 MB."""
    if number < 1 << 20:
        return f"{max(1, round(number / 1024))} KB"
    return f"{number / (1 << 20):.1f}".replace(".", ",").removesuffix(",0") + " MB"


class WorkbookError(CoursegenError):
    """The workbook cannot be read safely or is damaged: the file is refused as a whole."""


@dataclass
class Sheet:
    """One sheet: its name, whether it is hidden, and its rows as (row number, cells, hidden row)."""

    name: str
    hidden: bool
    rows: Iterator[tuple[int, tuple, bool]]
    merges: list[str] = field(default_factory=list)  # "A5:A20" ranges filled down, for the notes


def column_name(index: int) -> str:
    """"A" for column 0, "AA" for column 26."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})\Z")


def _cell_position(ref: str) -> tuple[int, int]:
    """(row, column index from 0) of "B12"."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(ref)
    return int(match.group(2)), _column_number(match.group(1)) - 1


class _Archive:
    """A zip file whose parts are opened only after their sizes in the directory are checked."""

    def __init__(self, path: Path, kind: str):
        self.path, self.kind = path, kind
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise WorkbookError(f"{path.name}: không mở được như sổ tính {kind} ({exc})") from exc
        infos = self.zip.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            self.zip.close()
            raise WorkbookError(f"{path.name}: tệp nén có {len(infos)} phần, quá {MAX_ZIP_ENTRIES}; không phải sổ tính thường")
        self.infos = {info.filename: info for info in infos}

    def has(self, name: str) -> bool:
        return name in self.infos

    def open(self, name: str, limit: int, what: str):
        info = self.infos.get(name)
        if info is None:
            raise WorkbookError(f"{self.path.name}: không mở được như sổ tính {self.kind} (thiếu phần {name});"
                                " tệp bị hỏng hoặc không phải sổ tính, hãy mở và lưu lại")
        if info.file_size > limit or (info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(1, info.compress_size)):
            raise WorkbookError(
                f"{self.path.name}: {what} ({name}) giải nén ra {_size(info.file_size)} từ {_size(info.compress_size)},"
                f" vượt giới hạn {_size(limit)} hoặc tỷ lệ nén {MAX_RATIO}:1;"
                " tệp không phải danh sách thông thường (xem docs/an-toan-dau-vao.md)"
            )
        return _Bounded(self.zip.open(name), limit, self.path.name, name, what)

    def read(self, name: str, limit: int, what: str) -> bytes:
        with self.open(name, limit, what) as handle:
            return b"".join(iter(lambda: handle.read(CHUNK), b""))

    def close(self) -> None:
        self.zip.close()


class _Bounded:
    """A part's stream that stops at ``limit`` bytes even if the directory lied about the size."""

    def __init__(self, raw, limit: int, file: str, name: str, what: str):
        self.raw, self.limit, self.seen = raw, limit, 0
        self.file, self.name, self.what = file, name, what

    def read(self, size: int) -> bytes:
        try:
            data = self.raw.read(size)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise WorkbookError(f"{self.file}: phần {self.name} bị hỏng ({exc}); hãy lưu lại tệp") from exc
        self.seen += len(data)
        if self.seen > self.limit:
            raise WorkbookError(f"{self.file}: {self.what} ({self.name}) dài hơn giới hạn {_size(self.limit)}")
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _parser(file: str, part: str, namespaces: bool = True) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE (so no entity can be declared or expanded)."""
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.buffer_text = True

    def refuse(*_args) -> None:
        raise WorkbookError(f"{file}: phần {part} có khai báo DOCTYPE/ENTITY, không có trong sổ tính thật; tệp bị từ chối")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _parse_all(parser: expat.XMLParserType, stream, file: str, part: str) -> None:
    try:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise WorkbookError(f"{file}: phần {part} không phải XML hợp lệ ({expat.ErrorString(exc.code)}, dòng {exc.lineno});"
                            " tệp bị hỏng, hãy mở và lưu lại") from exc


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


# -- XLSX ----------------------------------------------------------------------------------------------------
_BUILTIN_DATES = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))
_DATE_CODE = re.compile(r"[dmyhs]")
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    cleaned = _FORMAT_NOISE.sub("", code.lower())
    return cleaned not in ("general", "@") and bool(_DATE_CODE.search(cleaned))


def _small_attrs(archive: _Archive, part: str, what: str, element: str) -> list[dict[str, str]]:
    """Attributes of every ``element`` in a small part (workbook.xml, relationships)."""
    found: list[dict[str, str]] = []
    parser = _parser(archive.path.name, part)

    def start(name, attrs):
        if _local(name) == element:
            found.append({_local(k): v for k, v in attrs.items()})
            if len(found) > MAX_ZIP_ENTRIES:
                raise WorkbookError(f"{archive.path.name}: {what} có quá nhiều mục")

    parser.StartElementHandler = start
    with archive.open(part, MAX_SMALL_PART_BYTES, what) as stream:
        _parse_all(parser, stream, archive.path.name, part)
    return found


def _shared_strings(archive: _Archive, part: str) -> list[str]:
    strings: list[str] = []
    pieces: list[str] = []
    depth = {"t": False, "rph": 0}
    parser = _parser(archive.path.name, part)

    def start(name, _attrs):
        local = _local(name)
        if local == "t" and not depth["rph"]:
            depth["t"] = True
        elif local == "rPh":
            depth["rph"] += 1

    def end(name):
        local = _local(name)
        if local == "t":
            depth["t"] = False
        elif local == "rPh":
            depth["rph"] -= 1
        elif local == "si":
            strings.append("".join(pieces)[:MAX_CELL_CHARS + 1])
            pieces.clear()

    def data(text):
        if depth["t"]:
            pieces.append(text)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    with archive.open(part, MAX_SHARED_STRINGS_BYTES, "bảng chuỗi dùng chung") as stream:
        _parse_all(parser, stream, archive.path.name, part)
    return strings


def _date_styles(archive: _Archive, part: str) -> frozenset[int]:
    """Indexes of the cell formats that show a date (so their numbers are dates)."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    state = {"xfs": False}
    parser = _parser(archive.path.name, part)

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "cellXfs":
            state["xfs"] = True
        elif local == "xf" and state["xfs"]:
            if len(formats) >= 65_536:
                raise WorkbookError(f"{archive.path.name}: bảng định dạng có quá nhiều kiểu ô (tối đa 65.536)")
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            state["xfs"] = False

    parser.StartElementHandler, parser.EndElementHandler = start, end
    with archive.open(part, MAX_STYLES_BYTES, "bảng định dạng") as stream:
        _parse_all(parser, stream, archive.path.name, part)
    return frozenset(i for i, f in enumerate(formats)
                     if f in _BUILTIN_DATES or (f in custom and _is_date_format(custom[f])))


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"')
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")


class Xlsx:
    """An .xlsx/.xlsm workbook: its sheets in order, each read on demand."""

    def __init__(self, path: Path):
        self.path = path
        self.archive = archive = _Archive(path, "Excel .xlsx")
        try:
            book = "xl/workbook.xml"
            rels = {r.get("Id"): r.get("Target", "") for r in
                    _small_attrs(archive, "xl/_rels/workbook.xml.rels", "danh sách phần của sổ tính", "Relationship")}
            sheets = _small_attrs(archive, book, "danh sách trang tính", "sheet")
            self.date1904 = any(a.get("date1904") in ("1", "true") for a in
                                _small_attrs(archive, book, "danh sách trang tính", "workbookPr"))
            self.sheets = [(s.get("name", ""), s.get("state", "visible") != "visible", _target(book, rels.get(s.get("id"), "")))
                           for s in sheets]
            shared = next((_target(book, t) for t in rels.values() if t.endswith("sharedStrings.xml")), "")
            styles = next((_target(book, t) for t in rels.values() if t.endswith("styles.xml")), "")
            self.strings = _shared_strings(archive, shared) if shared and archive.has(shared) else []
            self.dates = _date_styles(archive, styles) if styles and archive.has(styles) else frozenset()
        except BaseException:
            archive.close()
            raise

    def close(self) -> None:
        self.archive.close()

    def sheet(self, name: str, hidden: bool, part: str) -> Sheet:
        merges = self._merges(name, part)
        down = [f"{a}:{b}" for a, b in merges if _cell_position(b)[0] > _cell_position(a)[0]]  # filled down
        return Sheet(name, hidden, self._rows(name, part, merges), down)

    def _merges(self, sheet: str, part: str) -> list[tuple[str, str]]:
        """The merged ranges of a sheet: they follow the rows, so the part is decompressed once
        without parsing (fast) to find them before the rows are read."""
        found: list[tuple[str, str]] = []
        tail = b""
        after = False
        with self.archive.open(part, MAX_SHEET_BYTES, f"trang tính {sheet}") as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                if not after:
                    window = tail + chunk
                    end = _SHEET_DATA_END.search(window)
                    if end is None:
                        tail = window[-32:]
                        continue
                    after, tail = True, window[end.end():]
                    continue
                tail += chunk
                if len(tail) > MAX_SMALL_PART_BYTES:
                    break
        for match in _MERGE.finditer(tail):
            found.append((match.group(1).decode(), match.group(2).decode()))
            if len(found) > MAX_MERGES:
                raise WorkbookError(f"{self.path.name}: trang tính có quá nhiều ô gộp (tối đa {MAX_MERGES})")
        return found

    def _rows(self, sheet: str, part: str, merges: list[tuple[str, str]]) -> Iterator[tuple[int, tuple, bool]]:
        file = self.path.name
        strings, dates = self.strings, self.dates
        epoch = datetime(1904, 1, 1) if self.date1904 else datetime(1899, 12, 30)
        ready: list[tuple[int, tuple, bool]] = []
        state = {"row": 0, "hidden": False, "col": -1, "type": "", "style": -1, "text": False}
        cells: list = []
        pieces: list[str] = []
        where = f"{file}, trang {sheet}"

        def start(name, attrs):
            local = _local(name)
            if local == "c":
                ref = attrs.get("r")
                if ref is not None:
                    try:
                        row, col = _cell_position(ref)
                    except ValueError:
                        raise WorkbookError(f"{where}: địa chỉ ô \"{ref[:20]}\" không hợp lệ") from None
                else:
                    col = state["col"] + 1
                if col >= MAX_COLUMNS:
                    raise WorkbookError(f"{where}, dòng {state['row']}: có ô ở cột thứ {col + 1}, quá giới hạn {MAX_COLUMNS} cột")
                state["col"], state["type"] = col, attrs.get("t", "n")
                style = attrs.get("s")
                state["style"] = int(style) if style and style.isdigit() else -1
                pieces.clear()
            elif local in ("v", "t"):
                state["text"] = True
            elif local == "row":
                ref = attrs.get("r")
                row = int(ref) if ref and ref.isdigit() else state["row"] + 1
                if row > MAX_ROWS or row <= state["row"]:
                    raise WorkbookError(f"{where}: số dòng {ref[:20] if ref else row} không hợp lệ"
                                        f" (phải tăng dần và không quá {_count(MAX_ROWS)})")
                state["row"], state["hidden"], state["col"] = row, attrs.get("hidden") in ("1", "true"), -1
                cells.clear()
            elif local == "rPh":
                state["text"] = False

        def end(name):
            local = _local(name)
            if local in ("v", "t"):
                state["text"] = False
            elif local == "c":
                raw = "".join(pieces)
                if len(raw) > MAX_CELL_CHARS:
                    raise WorkbookError(f"{where}, dòng {state['row']}: một ô dài hơn {_count(MAX_CELL_CHARS)} ký tự")
                kind = state["type"]
                value: object
                if not raw:
                    value = None
                elif kind == "s":
                    try:
                        value = strings[int(raw)]
                    except (ValueError, IndexError):
                        raise WorkbookError(f"{where}, dòng {state['row']}: ô trỏ tới chuỗi không có; tệp bị hỏng") from None
                elif kind in ("str", "inlineStr", "e"):
                    value = raw
                elif kind == "b":
                    value = raw in ("1", "true")
                else:
                    try:
                        value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                    except ValueError:
                        value = raw
                    if state["style"] in dates and isinstance(value, (int, float)):
                        try:
                            value = epoch + timedelta(milliseconds=round(value * 86_400_000))  # as Excel shows it
                        except (OverflowError, ValueError):
                            pass
                col = state["col"]
                if value is not None:
                    if len(cells) < col:
                        cells.extend([None] * (col - len(cells)))
                    if len(cells) == col:
                        cells.append(value)
                    else:
                        cells[col] = value
            elif local == "row":
                if cells:
                    ready.append((state["row"], tuple(cells), state["hidden"]))

        def data(text):
            if state["text"]:
                pieces.append(text)

        parser = _parser(file, part)
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
        fill = _MergeFill(merges)
        with self.archive.open(part, MAX_SHEET_BYTES, f"trang tính {sheet}") as stream:
            try:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    parser.Parse(chunk, False)
                    if ready:
                        for row in ready:
                            yield fill(row) if fill else row
                        ready.clear()
                parser.Parse(b"", True)
            except expat.ExpatError as exc:
                raise WorkbookError(f"{where}: nội dung trang tính không phải XML hợp lệ ({expat.ErrorString(exc.code)},"
                                    f" dòng {exc.lineno}); tệp bị hỏng, hãy mở và lưu lại") from exc
            for row in ready:
                yield fill(row) if fill else row


class _MergeFill:
    """Fills each merged range's first column down from its top cell, as the eye reads it."""

    def __init__(self, merges: list[tuple[str, str]]):
        self.starts: dict[int, list[tuple[int, int]]] = {}
        for first, last in merges:
            (r1, c1), (r2, _c2) = _cell_position(first), _cell_position(last)
            if r2 > r1:
                self.starts.setdefault(r1, []).append((c1, r2))
        self.active: list[list] = []  # [column, last row, value]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __call__(self, row: tuple[int, tuple, bool]) -> tuple[int, tuple, bool]:
        number, cells, hidden = row
        if self.active:
            self.active = [a for a in self.active if a[1] >= number]
            if self.active:
                filled = list(cells)
                for col, _last, value in self.active:
                    if len(filled) <= col:
                        filled.extend([None] * (col + 1 - len(filled)))
                    if filled[col] is None:
                        filled[col] = value
                cells = tuple(filled)
        for col, last in self.starts.get(number, ()):
            if col < len(cells) and cells[col] is not None:
                self.active.append([col, last, cells[col]])
        return number, cells, hidden


# -- ODS -----------------------------------------------------------------------------------------------------
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _ods_value(attrs: dict, text: str) -> object:
    kind = attrs.get(f"{_OFFICE} value-type")
    if kind in ("float", "percentage", "currency"):
        raw = attrs.get(f"{_OFFICE} value", "")
        try:
            number = float(raw)
        except ValueError:
            return text or None
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "date":
        raw = attrs.get(f"{_OFFICE} date-value", "")
        try:
            return datetime.fromisoformat(raw[:19])
        except ValueError:
            return text or None
    if kind == "boolean":
        return attrs.get(f"{_OFFICE} boolean-value") == "true"
    return text or None


class Ods:
    """A LibreOffice .ods workbook: the sheets of content.xml, read in one streaming pass each."""

    def __init__(self, path: Path):
        self.path = path
        self.archive = _Archive(path, "LibreOffice .ods")
        try:
            names, hidden_styles = self._scan()
        except BaseException:
            self.archive.close()
            raise
        self.sheets = [(name, style in hidden_styles, str(index)) for index, (name, style) in enumerate(names)]

    def close(self) -> None:
        self.archive.close()

    def _scan(self) -> tuple[list[tuple[str, str]], set[str]]:
        """Sheet names and styles, and which table styles hide a sheet (table:display="false")."""
        names: list[tuple[str, str]] = []
        hidden: set[str] = set()
        current = {"style": ""}
        parser = _parser(self.path.name, "content.xml")

        def start(name, attrs):
            if name == f"{_STYLE} style":
                current["style"] = attrs.get(f"{_STYLE} name", "")
            elif name == f"{_STYLE} table-properties" and attrs.get(f"{_TABLE} display") == "false":
                hidden.add(current["style"])
            elif name == f"{_TABLE} table":
                names.append((attrs.get(f"{_TABLE} name", ""), attrs.get(f"{_TABLE} style-name", "")))
                if len(names) > MAX_ZIP_ENTRIES:
                    raise WorkbookError(f"{self.path.name}: quá nhiều trang tính")

        parser.StartElementHandler = start
        with self.archive.open("content.xml", MAX_SHEET_BYTES, "nội dung sổ tính") as stream:
            _parse_all(parser, stream, self.path.name, "content.xml")
        return names, hidden

    def sheet(self, name: str, hidden: bool, part: str) -> Sheet:
        merges: list[str] = []
        return Sheet(name, hidden, self._rows(name, int(part), merges), merges)

    def _rows(self, sheet: str, wanted: int, merges: list[str]) -> Iterator[tuple[int, tuple, bool]]:
        file = self.path.name
        where = f"{file}, trang {sheet}"
        ready: list[tuple[int, int, tuple, bool]] = []  # first row, repeated, cells, hidden
        state = {"table": -1, "in": False, "row": 0, "repeat": 1, "hidden": False, "col": 0, "text": 0,
                 "cell": None, "span": 1, "covered": False}
        cells: list = []
        pieces: list[str] = []
        paragraphs: list[str] = []
        fills: dict[int, list] = {}  # column → [last row, value] of a merged range above

        def start(name, attrs):
            if name == f"{_TABLE} table":
                state["table"] += 1
                state["in"] = state["table"] == wanted
                return
            if not state["in"]:
                return
            if name == f"{_TABLE} table-row":
                repeat = attrs.get(f"{_TABLE} number-rows-repeated", "1")
                state["repeat"] = int(repeat) if repeat.isdigit() else 1
                state["hidden"] = attrs.get(f"{_TABLE} visibility", "visible") != "visible"
                state["col"] = 0
                cells.clear()
            elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
                repeat = attrs.get(f"{_TABLE} number-columns-repeated", "1")
                state["span"] = int(repeat) if repeat.isdigit() else 1
                state["cell"] = attrs
                state["covered"] = name.endswith("covered-table-cell")
                paragraphs.clear()
            elif name == f"{_TEXT} p":
                state["text"] += 1
                pieces.clear()
            elif name == f"{_TEXT} s" and state["text"]:
                count = attrs.get(f"{_TEXT} c", "1")
                pieces.append(" " * min(int(count) if count.isdigit() else 1, 100))
            elif name in (f"{_TEXT} tab", f"{_TEXT} line-break") and state["text"]:
                pieces.append(" ")

        def end(name):
            if not state["in"]:
                return
            if name == f"{_TEXT} p":
                state["text"] -= 1
                paragraphs.append("".join(pieces))
                if sum(map(len, paragraphs)) > MAX_CELL_CHARS:
                    raise WorkbookError(f"{where}, dòng {state['row'] + 1}: một ô dài hơn {_count(MAX_CELL_CHARS)} ký tự")
            elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
                attrs = state["cell"] or {}
                value = _ods_value(attrs, "\n".join(paragraphs))
                col, span = state["col"], state["span"]
                if value is not None:
                    if col + span > MAX_COLUMNS:
                        raise WorkbookError(f"{where}, dòng {state['row'] + 1}: có ô ở cột thứ {col + span},"
                                            f" quá giới hạn {MAX_COLUMNS} cột")
                    if len(cells) < col:
                        cells.extend([None] * (col - len(cells)))
                    cells.extend([value] * span)
                    rows_spanned = attrs.get(f"{_TABLE} number-rows-spanned", "1")
                    if rows_spanned.isdigit() and int(rows_spanned) > 1:
                        fills[col] = [state["row"] + int(rows_spanned), value]
                        merges.append(f"{column_name(col)}{state['row'] + 1}:{column_name(col)}{state['row'] + int(rows_spanned)}")
                state["col"] = col + span
            elif name == f"{_TABLE} table-row":
                repeat = state["repeat"]
                first = state["row"] + 1
                if first + repeat - 1 > MAX_ROWS:
                    if cells:
                        raise WorkbookError(f"{where}: quá {_count(MAX_ROWS)} dòng")
                    repeat = max(0, MAX_ROWS - first + 1)
                state["row"] = first + repeat - 1
                if fills and cells:  # a row with nothing of its own stays blank, merged cells or not
                    for col, (last, value) in list(fills.items()):
                        if last < first:
                            del fills[col]
                        elif (col >= len(cells) or cells[col] is None) and last >= first:
                            if len(cells) <= col:
                                cells.extend([None] * (col + 1 - len(cells)))
                            cells[col] = value
                if cells and repeat:
                    ready.append((first, repeat, tuple(cells), state["hidden"]))
            elif name == f"{_TABLE} table":
                state["in"] = False

        def data(text):
            if state["text"]:
                pieces.append(text)

        parser = _parser(file, "content.xml")
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
        with self.archive.open("content.xml", MAX_SHEET_BYTES, "nội dung sổ tính") as stream:
            try:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    parser.Parse(chunk, False)
                    for first, repeat, row, hidden in ready:
                        for number in range(first, first + repeat):
                            yield number, row, hidden
                    ready.clear()
                    if state["table"] > wanted:
                        break
                else:
                    parser.Parse(b"", True)
            except expat.ExpatError as exc:
                raise WorkbookError(f"{where}: nội dung không phải XML hợp lệ ({expat.ErrorString(exc.code)},"
                                    f" dòng {exc.lineno}); tệp bị hỏng, hãy mở và lưu lại") from exc
            for first, repeat, row, hidden in ready:
                for number in range(first, first + repeat):
                    yield number, row, hidden


def open_workbook(path: Path) -> Xlsx | Ods:
    return Ods(path) if path.suffix.lower() == ".ods" else Xlsx(path)
