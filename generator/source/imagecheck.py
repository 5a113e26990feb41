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
MAX_FRAMES = 1_000  # of an animated GIF, PNG or WebP
MAX_ANIMATION_PIXELS = 200_000_000  # frames × picture size: what a phone decodes for one loop of the animation

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}

# SVG elements that run script, embed other documents or animate attributes (which can set a link to script).
SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "animate",
                 "set", "animatemotion", "animatetransform"}
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:", re.IGNORECASE)


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
                if (problem := _animation_problem(path, found, image, width * height)) is not None:
                    return problem
                image.verify()  # structure and checksums, without decoding every pixel
        except UnidentifiedImageError:
            return "tệp không phải ảnh đọc được (hỏng hoặc sai định dạng)"
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            return f"ảnh quá lớn (tối đa {MAX_PIXELS // 1_000_000} triệu điểm ảnh); hãy thu nhỏ ảnh"
        except (SyntaxError, ValueError, EOFError, struct.error) as exc:
            return f"tệp ảnh bị hỏng ({exc})"
    return None


def _animation_problem(path: Path, found: str, image, area: int) -> str | None:
    """Thousands of large frames in a small file make every reader decode billions of pixels."""
    if found == "GIF":
        frames, frame_area = gif_frames(path.read_bytes())
    else:  # PNG (APNG's acTL) and WebP state their frame count in the header
        frames, frame_area = int(getattr(image, "n_frames", 1)), 0
    total = max(frames * area, frame_area)
    if frames > MAX_FRAMES or total > MAX_ANIMATION_PIXELS:
        return (f"ảnh động {frames} khung hình, tổng {total // 1_000_000} triệu điểm ảnh (tối đa {MAX_FRAMES}"
                f" khung và {MAX_ANIMATION_PIXELS // 1_000_000} triệu điểm ảnh); hãy rút ngắn hoặc thu nhỏ ảnh")
    return None


def gif_frames(data: bytes) -> tuple[int, int]:
    """(frames, summed frame areas) of a GIF, read from its block structure without decoding a pixel."""
    def skip_sub_blocks(pos: int) -> int:
        while pos < len(data):
            size = data[pos]
            pos += 1 + size
            if size == 0:
                break
        return pos

    if len(data) < 13:
        return 0, 0
    flags = data[10]
    pos = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    frames = area = 0
    while pos < len(data):
        block = data[pos]
        pos += 1
        if block == 0x21:  # extension: label, then sub-blocks
            pos = skip_sub_blocks(pos + 1)
        elif block == 0x2C and pos + 9 <= len(data):  # image descriptor, local colour table, LZW data
            _, _, width, height, local = struct.unpack_from("<HHHHB", data, pos)
            pos += 9 + (3 * (2 << (local & 7)) if local & 0x80 else 0) + 1
            pos = skip_sub_blocks(pos)
            frames += 1
            area += width * height
        else:  # trailer, or damage that Pillow's verify reports
            break
    return frames, area


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_XML_DECLARATION = re.compile(r"^\s*<\?xml\s[^>]*?\?>", re.IGNORECASE)
_DECLARED = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", re.IGNORECASE)
_DTD = re.compile(r"<!\s*(?:doctype|entity|element|attlist|notation)", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|(.))", re.DOTALL)
# After CSS escapes and comments are gone: what makes a renderer fetch something (url() other than a
# fragment, @import, and the functions that take a bare string URL).
_CSS_FETCH = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|\b(?:-webkit-)?image-set\s*\(|\bimage\s*\(|\bsrc\s*\("
                        r"|\bcross-fade\s*\(", re.IGNORECASE)


def _svg_text(data: bytes) -> str | None:
    """The whole file as text (BOM or declared UTF-8/UTF-16/UTF-32), or None if it is not text we read."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding, data = codec, data[len(bom):]
            break
    else:
        encoding = "utf-16-le" if data[1:2] == b"\0" and data[:1] != b"\0" else (
            "utf-16-be" if data[:1] == b"\0" and data[1:2] != b"\0" else "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    declared = _XML_DECLARATION.match(text)
    if declared is not None and (named := _DECLARED.search(declared.group(0))) is not None:
        if named.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "utf-16", "utf-32", "us-ascii", "ascii"):
            return None
    return text


_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def css_fetches(css: str, pattern: re.Pattern[str] = _CSS_FETCH) -> bool:
    """Whether CSS would load a file or page: checked after CSS escapes ("@imp\\6f rt", "u\\72l(") are
    decoded and comments removed, as the browser reads it. ``_CSS_URL`` for presentation attributes
    (fill="url(…)"), where only url() fetches and a label's "image (1)" must not be refused."""
    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match.group(2) else match.group(3)
    decoded = _CSS_ESCAPE.sub(unescape, css)
    return pattern.search(_CSS_COMMENT.sub(" ", decoded)) is not None


def _svg_problem(data: bytes) -> str | None:
    text = _svg_text(data)
    if text is None:
        return "tệp SVG không phải văn bản UTF-8 hoặc UTF-16; hãy xuất lại SVG dạng UTF-8"
    if _DTD.search(text):  # anywhere in the file, after decoding: padding or UTF-16 hide nothing
        return "tệp SVG có khai báo DOCTYPE/ENTITY; hãy xuất lại SVG không có phần này"
    if "<?xml-stylesheet" in text.lower():
        return "tệp SVG tải bảng định dạng từ tệp khác (xml-stylesheet); hãy xóa dòng này"
    try:
        root = ET.fromstring(_XML_DECLARATION.sub("", text, count=1))  # decoded here: no second decoding
    except ET.ParseError as exc:
        return f"tệp SVG không phải XML hợp lệ ({exc})"
    if _local(root.tag) != "svg":
        return "tệp .svg không có thẻ gốc <svg>"
    for element in root.iter():
        name = _local(element.tag)
        if name.lower() in SVG_FORBIDDEN:
            return f"tệp SVG chứa thẻ <{name}> (có thể chạy mã hoặc nhúng nội dung khác); hãy xóa thẻ này"
        if name.lower() == "style" and css_fetches("".join(element.itertext())):
            return "tệp SVG có CSS tải tệp hoặc trang khác (url(…), @import); hãy xóa phần này"
        for key, value in element.attrib.items():
            attribute = _local(key)
            if attribute.lower().startswith("on"):
                return f"tệp SVG có thuộc tính sự kiện {attribute} (chạy mã); hãy xóa thuộc tính này"
            if attribute == "href" and not value.strip().startswith("#"):
                return f'tệp SVG tham chiếu tới "{value[:60]}"; hình chỉ được dùng nội dung của chính nó'
            if _SCRIPT_URL.search("".join(value.split())):
                return f"tệp SVG có địa chỉ mã trong thuộc tính {attribute}; hãy xóa thuộc tính này"
            if css_fetches(value, _CSS_FETCH if attribute == "style" else _CSS_URL):  # also fill="url(…)", mask…
                return "tệp SVG có CSS tải tệp hoặc trang khác (url(…), @import); hãy xóa phần này"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
