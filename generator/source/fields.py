"""Typed reading of one YAML mapping, reporting every problem with its line and field path."""

from __future__ import annotations

import difflib
import re
from datetime import date
from enum import StrEnum
from typing import TypeVar

from ..diagnostics import Diagnostics
from .yamlsource import LocatedDict, LocatedList

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

E = TypeVar("E", bound=StrEnum)

_MISSING = object()


def type_name(value: object) -> str:
    """Vietnamese name of a YAML value's type, for messages."""
    if value is None:
        return "để trống"
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, int):
        return "số nguyên"
    if isinstance(value, float):
        return "số thực"
    if isinstance(value, str):
        return "chuỗi văn bản"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "ánh xạ (các cặp tên: giá trị)"
    if isinstance(value, date):
        return "ngày"
    return type(value).__name__


def id_problem(value: str) -> str | None:
    """Why ``value`` is not a usable id (ids become file names and URLs), or None."""
    if not ID_PATTERN.match(value):
        return (
            f'mã "{value}" không hợp lệ: chỉ dùng chữ thường không dấu a-z, chữ số và dấu gạch ngang, '
            "dài 1–64 ký tự, không bắt đầu hay kết thúc bằng gạch ngang"
        )
    if value in RESERVED_NAMES:
        return f'mã "{value}" trùng tên thiết bị dành riêng của Windows'
    return None


class FieldReader:
    """Reads fields of one mapping; each getter reports its own problem and returns None on failure."""

    def __init__(self, data: object, path: str, diags: Diagnostics, prefix: str = "", line: int = 1):
        self.path = path
        self.diags = diags
        self.prefix = prefix
        self.ok_mapping = isinstance(data, dict)
        self.data: dict = data if isinstance(data, dict) else {}
        self.line = getattr(data, "line", line)
        if not self.ok_mapping:
            diags.error(path, self.line, prefix or "(tệp)", f"phải là ánh xạ (các cặp tên: giá trị), không phải {type_name(data)}")

    def field(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def line_of(self, key: str) -> int:
        if isinstance(self.data, LocatedDict):
            return self.data.line_of(key)
        return self.line

    def error(self, key: str, message: str) -> None:
        self.diags.error(self.path, self.line_of(key), self.field(key), message)

    def warning(self, key: str, message: str) -> None:
        self.diags.warning(self.path, self.line_of(key), self.field(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, required: bool) -> object:
        if key not in self.data:
            if required and self.ok_mapping:
                self.diags.error(self.path, self.line, self.field(key), "thiếu trường bắt buộc")
            return _MISSING
        return self.data[key]

    def check_keys(self, allowed: set[str]) -> None:
        """Unknown keys are usually typos: warn and suggest the closest known name."""
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f'; có phải "{close[0]}"?' if close else ""
                self.warning(str(key), f"trường không được hỗ trợ, sẽ bị bỏ qua{hint}")

    def text(self, key: str, *, required: bool = True, default: str = "", max_len: int | None = None) -> str | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None if required else default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(key, f"phải là chuỗi văn bản, không phải {type_name(value)}")
            return None
        value = value.strip()
        if required and not value:
            self.error(key, "không được để trống")
            return None
        if max_len is not None and len(value) > max_len:
            self.error(key, f"dài {len(value)} ký tự, tối đa {max_len}")
            return None
        return value

    def identifier(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        problem = id_problem(value)
        if problem:
            self.error(key, problem)
            return None
        return value

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None, required: bool = True,
                default: int | None = None) -> int | None:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"phải là số nguyên, không phải {type_name(value)}")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"từ {minimum} đến {maximum}" if maximum is not None else f"ít nhất {minimum}"
            self.error(key, f"giá trị {value} nằm ngoài khoảng cho phép ({bounds})")
            return None
        return value

    def boolean(self, key: str, *, required: bool = True, default: bool | None = None) -> bool | None:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"phải là true hoặc false, không phải {type_name(value)}")
            return None
        return value

    def a_date(self, key: str) -> date | None:
        value = self._get(key, True)
        if value is _MISSING:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(key, "phải là ngày dạng NNNN-TT-NN, ví dụ 2026-09-01")
        return None

    def choice(self, key: str, enum: type[E]) -> E | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.error(key, f'giá trị "{value}" không hợp lệ; chỉ nhận: {allowed}')
            return None

    def raw_list(self, key: str, *, required: bool = True) -> LocatedList | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.error(key, f"phải là danh sách, không phải {type_name(value)}")
            return None
        return value  # type: ignore[return-value]

    def text_list(self, key: str, *, required: bool = True, min_items: int = 0, max_items: int | None = None,
                  max_len: int | None = None, ids: bool = False) -> tuple[str, ...] | None:
        items = self.raw_list(key, required=required)
        if items is None:
            return None if required else ()
        result: list[str] = []
        ok = True
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, LocatedList) else self.line_of(key)
            name = f"{self.field(key)}[{index + 1}]"
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.diags.error(self.path, line, name, "phải là chuỗi văn bản không rỗng")
                ok = False
                continue
            item = item.strip()
            if ids and (problem := id_problem(item)):
                self.diags.error(self.path, line, name, problem)
                ok = False
                continue
            if max_len is not None and len(item) > max_len:
                self.diags.error(self.path, line, name, f"dài {len(item)} ký tự, tối đa {max_len}")
                ok = False
                continue
            result.append(item)
        if len(items) < min_items:
            self.error(key, f"cần ít nhất {min_items} mục, hiện có {len(items)}")
            ok = False
        if max_items is not None and len(items) > max_items:
            self.error(key, f"tối đa {max_items} mục, hiện có {len(items)}")
            ok = False
        return tuple(result) if ok else None

    def item_line(self, key: str, index: int) -> int:
        items = self.data.get(key)
        if isinstance(items, LocatedList):
            return items.line_of(index)
        return self.line_of(key)
