"""Content checks for course images: every file in a course's media/ is published on the site and packed
into decks and LMS exports, so it must really be the image its name says, of a size readers can open,
and (for SVG) free of script, event handlers, entities and references to other files or sites.

Only the header is decoded for raster images (Pillow reads sizes lazily), so a "decompression bomb"
is refused before any pixel is expanded.
"""

from __future__ import annotations

import functools
import re
import struct
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

MAX_SIDE = 10_000  # pixels, either side
MAX_PIXELS = 40_000_000  # 40 megapixels: a phone photo is 12-50; a course diagram needs far less

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}

# SVG elements that run script, embed other documents or animate attributes (which can set a link to script).
SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "animate",
                 "set", "animatemotion", "animatetransform"}
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:", re.IGNORECASE)
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)


def image_problem(path: Path) -> str | None:
    """Why the image file ``path`` cannot be published (Vietnamese), or None."""
    stat = path.stat()
    return _problem(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _problem(path: Path, mtime_ns: int, size: int) -> str | None:
    suffix = path.suffix.lower()
    try:
        if suffix == ".svg":
            return _svg_problem(path.read_bytes())
        return _raster_problem(path, FORMATS.get(suffix))
    except OSError as exc:
        return f"không đọc được tệp hình ({exc.strerror or exc})"


def _raster_problem(path: Path, expected: str | None) -> str | None:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                found = image.format
                width, height = image.size
                if found != expected:
                    shown = FORMAT_NAMES.get(found or "", found or "không rõ")
                    return f"nội dung tệp là ảnh {shown}, không khớp phần mở rộng {path.suffix}; hãy đổi tên hoặc chuyển định dạng"
                if width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    return (f"ảnh {width}×{height} điểm ảnh quá lớn (tối đa {MAX_SIDE} điểm mỗi chiều và"
                            f" {MAX_PIXELS // 1_000_000} triệu điểm ảnh); hãy thu nhỏ ảnh")
                image.verify()  # structure and checksums, without decoding every pixel
        except UnidentifiedImageError:
            return "tệp không phải ảnh đọc được (hỏng hoặc sai định dạng)"
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            return f"ảnh quá lớn (tối đa {MAX_PIXELS // 1_000_000} triệu điểm ảnh); hãy thu nhỏ ảnh"
        except (SyntaxError, ValueError, EOFError, struct.error) as exc:
            return f"tệp ảnh bị hỏng ({exc})"
    return None


def _svg_problem(data: bytes) -> str | None:
    head = data[:4096].lower()
    lowered = data.lower()
    if b"<!doctype" in head or b"<!entity" in lowered:
        return "tệp SVG có khai báo DOCTYPE/ENTITY; hãy xuất lại SVG không có phần này"
    if b"<?xml-stylesheet" in lowered:
        return "tệp SVG tải bảng định dạng từ tệp khác (xml-stylesheet); hãy xóa dòng này"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"tệp SVG không phải XML hợp lệ ({exc})"
    if _local(root.tag) != "svg":
        return "tệp .svg không có thẻ gốc <svg>"
    for element in root.iter():
        name = _local(element.tag)
        if name.lower() in SVG_FORBIDDEN:
            return f"tệp SVG chứa thẻ <{name}> (có thể chạy mã hoặc nhúng nội dung khác); hãy xóa thẻ này"
        if name == "style" and _CSS_URL.search(element.text or ""):
            return "tệp SVG có CSS tải tệp hoặc trang khác (url(…), @import); hãy xóa phần này"
        for key, value in element.attrib.items():
            attribute = _local(key)
            if attribute.lower().startswith("on"):
                return f"tệp SVG có thuộc tính sự kiện {attribute} (chạy mã); hãy xóa thuộc tính này"
            if attribute == "href" and not value.strip().startswith("#"):
                return f'tệp SVG tham chiếu tới "{value[:60]}"; hình chỉ được dùng nội dung của chính nó'
            if _SCRIPT_URL.search("".join(value.split())):
                return f"tệp SVG có địa chỉ mã trong thuộc tính {attribute}; hãy xóa thuộc tính này"
            if attribute == "style" and _CSS_URL.search(value):
                return "tệp SVG có CSS tải tệp hoặc trang khác (url(…), @import); hãy xóa phần này"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
