"""Safe YAML and front-matter reading that keeps the source line of every key and item.

Course authors need errors that point at a line, so values are wrapped in ``LocatedDict`` and
``LocatedList``. Anchors and aliases are refused outright (they are never needed in courseware and
make "billion laughs" expansion possible), nesting depth and node count are bounded.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..text import nfc

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 40
MAX_NODES = 200_000

# Control characters (except tab and line breaks), lone surrogates and the non-characters U+FFFE/U+FFFF:
# no courseware needs them, XML (Moodle XML, QTI) cannot carry them, and ESC sequences would reach terminals.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_problem(text: str) -> str | None:
    """Why ``text`` cannot be used (it holds a control character), or None."""
    if (match := _CONTROL.search(text)) is None:
        return None
    return f"chứa ký tự điều khiển không in được (U+{ord(match.group(0)):04X}); hãy xóa ký tự này"


class YamlSourceError(Exception):
    """A file that cannot be read as YAML; ``line`` is 1-based in the file."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


class LocatedDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10× faster


def _precheck(text: str) -> None:
    """Refuse aliases and anchors, bound nesting depth and node count, from the flat event stream.

    Runs before composing because libyaml's composer recurses (a deeply nested file can crash the
    interpreter) and aliases would let a small file expand exponentially ("billion laughs").
    """
    loader = _Loader(text)
    depth = nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent):
                raise YamlSourceError(line, "không hỗ trợ bí danh YAML (*tên); hãy viết đầy đủ giá trị")
            if getattr(event, "anchor", None):
                raise YamlSourceError(line, "không hỗ trợ neo YAML (&tên); hãy viết đầy đủ giá trị")
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlSourceError(line, f"lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)")
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                depth -= 1
            if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise YamlSourceError(line, f"tệp có quá nhiều phần tử (tối đa {MAX_NODES})")
    finally:
        loader.dispose()


def _convert(node: Node, loader: yaml.BaseLoader, offset: int) -> object:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, MappingNode):
        result = LocatedDict()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlSourceError(key_node.start_mark.line + 1 + offset, "tên trường phải là chuỗi đơn giản")
            key = str(loader.construct_object(key_node))
            if key in result:
                raise YamlSourceError(key_node.start_mark.line + 1 + offset, f'trường "{key}" bị khai báo hai lần')
            result.key_lines[key] = key_node.start_mark.line + 1 + offset
            result[key] = _convert(value_node, loader, offset)
        return result
    if isinstance(node, SequenceNode):
        items = LocatedList()
        items.line = line
        items.item_lines = [child.start_mark.line + 1 + offset for child in node.value]
        items.extend(_convert(child, loader, offset) for child in node.value)
        return items
    if isinstance(node.value, str) and (problem := control_problem(node.value)):
        raise YamlSourceError(line, problem)  # written as an escape ("\x1b") in a quoted string
    try:
        value = loader.construct_object(node)
    except (ValueError, OverflowError):
        # e.g. "2026-13-01" looks like a date but is none: keep the text so the field's own
        # check reports it at its line ("phải là ngày dạng NNNN-TT-NN") instead of line 1.
        return nfc(str(node.value))
    return nfc(value) if isinstance(value, str) else value


def parse_yaml(text: str, line_offset: int = 0) -> object:
    """Parse one YAML document from NFC text; raise ``YamlSourceError`` with the file line."""
    loader = None
    try:
        _precheck(text)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, loader, line_offset)
    except YamlSourceError as exc:
        exc.line += line_offset
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or exc.context or "cú pháp không hợp lệ"
        raise YamlSourceError(line, f"lỗi cú pháp YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(1 + line_offset, f"lỗi cú pháp YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlSourceError(1 + line_offset, f"giá trị YAML không đọc được: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_source_text(path: Path) -> str:
    """Read a UTF-8 source file as NFC text, with the size limits every source obeys."""
    try:
        info = path.stat()
    except OSError as exc:
        raise YamlSourceError(1, f"không đọc được tệp: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        # a folder or a named pipe with a source's name: reading a pipe would wait forever
        raise YamlSourceError(1, "không phải tệp thường (thư mục, ống dẫn hay thiết bị); hãy xóa hoặc đổi tên")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise YamlSourceError(1, f"tệp quá lớn ({size} byte; tối đa {MAX_FILE_BYTES} byte)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise YamlSourceError(1, f"không đọc được tệp: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlSourceError(1, f"tệp quá lớn (trên {MAX_FILE_BYTES} byte)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSourceError(line, "tệp không phải mã UTF-8") from None
    if "\x00" in text:
        raise YamlSourceError(text[: text.index("\x00")].count("\n") + 1, "tệp chứa ký tự NUL (tệp nhị phân?)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (match := _CONTROL.search(text)) is not None:
        raise YamlSourceError(text[: match.start()].count("\n") + 1, control_problem(match.group(0)) or "")
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise YamlSourceError(number, f"dòng quá dài ({len(line)} ký tự; tối đa {MAX_LINE_CHARS})")
    return nfc(text)


@dataclass(frozen=True)
class FrontMatterDocument:
    meta: object
    body: str
    body_line: int  # 1-based line of the first body line in the file


def split_front_matter(text: str) -> FrontMatterDocument:
    """Split ``---``-delimited YAML front matter from a Markdown body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise YamlSourceError(1, "bài học phải bắt đầu bằng phần đầu YAML giữa hai dòng ---")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta = parse_yaml("\n".join(lines[1:index]), line_offset=1)
            return FrontMatterDocument(meta, "\n".join(lines[index + 1 :]), index + 2)
    raise YamlSourceError(1, "phần đầu YAML không có dòng --- đóng")
