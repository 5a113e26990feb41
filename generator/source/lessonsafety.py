"""Limits and a rendered-output check for lesson Markdown: no lesson can hang or crash the site build, or
put script, event handlers or unsafe links into a page.

``lessonbody`` finds raw HTML and links by their syntax and names the exact line. This module adds what a
syntax scan cannot promise: (1) bounds on the constructs that make python-markdown slow or recursive
(measured: 2,000 "[" on one line take 1.4 s and grow quadratically, a run of 2,000 "*" or 300 nested
lists raise RecursionError); (2) attribute lists (``{: onclick=…}``), which turn Markdown into HTML
attributes; (3) a final check of the HTML the site's Markdown extensions really produce: only the tags and
attributes Markdown syntax makes, links only to http(s), mailto or relative targets.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from markdown.extensions.attr_list import get_attrs_and_remainder

from ..text import heading_slug
from .lessonbody import prose_lines
from .machinekey import keyed_digest, machine_key

MAX_LINES = 5000  # a long lesson has a few hundred lines
MAX_BRACKETS_PER_BLOCK = 300  # "[" in one paragraph (links and images): scanning and rendering grow quadratically
MAX_BRACKETS = 1500  # "[" in the whole lesson
MAX_ANGLES = 300  # "<" outside code in the whole lesson: each one makes python-markdown look for an HTML block
MAX_MARK_RUN = 100  # consecutive "*" or "_" (a fill-in line "______" is far shorter)
MAX_INDENT = 64  # columns of leading white space: 16 levels of nested lists or admonitions
MAX_QUOTE_DEPTH = 16  # nested ">" block quotes

# The Markdown extensions of the site (generator/builders/site/default-mkdocs.yml) plus MkDocs' own defaults.
EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.details", "fenced_code", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": True, "slugify": heading_slug}}

# What Markdown syntax itself produces; anything else came from raw HTML or an attribute list.
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em", "strong", "code", "pre", "ul", "ol", "li",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div", "details", "summary",
}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "id", "class", "style", "open", "start"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
_TEXT_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")

_RUN = re.compile(rf"\*{{{MAX_MARK_RUN + 1},}}|_{{{MAX_MARK_RUN + 1},}}")
_PREFIX = re.compile(r"^[ \t>]*")
_ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
_FENCE_OPEN = re.compile(r"^(?:~{3,}|`{3,})")


@dataclass(frozen=True)
class BodyProblem:
    line: int  # 0-based line within the body
    message: str


def limit_problems(body: str) -> list[BodyProblem]:
    """Constructs beyond the bounds python-markdown handles quickly (checked before anything renders)."""
    lines = body.split("\n")
    if len(lines) > MAX_LINES:
        return [BodyProblem(0, f"bài học dài {len(lines)} dòng (tối đa {MAX_LINES}); hãy tách thành nhiều bài")]
    problems: list[BodyProblem] = []
    reported: set[str] = set()

    def once(kind: str, problem: BodyProblem) -> None:
        """The first line of each kind: the author fixes the construct, not each of its lines."""
        if kind not in reported:
            reported.add(kind)
            problems.append(problem)

    block, block_start, total = 0, 0, 0
    for number, line in enumerate(lines):
        if not line.strip():
            block, block_start = 0, number + 1
            continue
        count = line.count("[")
        block += count
        total += count
        if block > MAX_BRACKETS_PER_BLOCK:
            problems.append(BodyProblem(block_start, f"đoạn văn có quá nhiều dấu [ (tối đa {MAX_BRACKETS_PER_BLOCK}"
                                                     " mỗi đoạn); hãy tách đoạn"))
            block = -(10**9)  # once per paragraph
        if (run := _RUN.search(line)) is not None:
            once("run", BodyProblem(number, f"chuỗi {len(run.group(0))} dấu {run.group(0)[0]} liên tiếp"
                                            f" (tối đa {MAX_MARK_RUN})"))
        prefix = _PREFIX.match(line).group(0)
        if prefix.count(">") > MAX_QUOTE_DEPTH:
            once("quote", BodyProblem(number, f"trích dẫn > lồng nhau quá sâu (tối đa {MAX_QUOTE_DEPTH} cấp)"))
        elif len(prefix.replace(">", "").expandtabs(4)) > MAX_INDENT:
            once("indent", BodyProblem(number, f"dòng thụt lề quá sâu (tối đa {MAX_INDENT} khoảng trắng,"
                                               " tức 16 cấp danh sách lồng nhau)"))
    if total > MAX_BRACKETS:
        problems.append(BodyProblem(0, f"bài học có {total} dấu [ (tối đa {MAX_BRACKETS}); hãy tách thành nhiều bài"))
    angles = sum(line.count("<") for _, line in prose_lines(body))
    if angles > MAX_ANGLES:
        problems.append(BodyProblem(0, f"bài học có {angles} dấu < ngoài mã (tối đa {MAX_ANGLES})"))
    return problems


def attribute_list_problems(lines: list[tuple[int, str]]) -> list[BodyProblem]:
    """``{…}`` where Markdown's attr_list would read it, holding anything but ``#id`` and ``.class``.

    ``lines`` are prose lines (lessonbody.prose_lines). Attr_list acts on a ``{…}`` at the end of a block
    or heading line, at the end of a table cell, or right after an inline element (link, image, emphasis,
    code); a fenced code block's opening line takes one too.
    """
    problems: list[BodyProblem] = []
    for number, line in lines:
        # Searched only up to the last "}": from every "{" after it the pattern would scan to the end of the
        # line and fail, quadratic in a line of "{" (100 lines of 19,000 took minutes).
        for match in _ATTR_LIST.finditer(line, 0, line.rfind("}") + 1):
            before, after = line[: match.start()], line[match.end():]
            active = (
                not after.strip(" #") or after.lstrip().startswith("|") or not before.strip()
                or before[-1:] in (")", "]", "*", "_", "`", ">") or _FENCE_OPEN.match(before) is not None
            )
            if not active:
                continue
            attrs, _ = get_attrs_and_remainder(match.group(1))
            bad = [key if value is None else f"{key}=…" for key, value in attrs if key not in (".", "id")]
            if bad:
                problems.append(BodyProblem(number, f'không cho phép thuộc tính HTML "{match.group(0)[:60]}"'
                                                    f" ({', '.join(bad[:3])}); chỉ dùng {{#ma-muc}} hoặc {{.lop}}"))
    return problems


class _Verify(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (what, a word to find its line by)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append((f"thẻ <{tag}>", f"<{tag}"))
        for name, value in attrs:
            value = value or ""
            if name not in ALLOWED_ATTRIBUTES:
                self.found.append((f"thuộc tính {name}", name))
            elif name == "style" and not _TEXT_ALIGN.match(value.strip()):
                self.found.append(("thuộc tính style", "style"))
            elif name in ("href", "src") and _scheme(value) not in SAFE_SCHEMES:
                self.found.append((f'địa chỉ "{value[:40]}"', value.split(":", 1)[0]))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.found.append(("chú thích HTML <!--", "<!--"))

    def handle_decl(self, decl: str) -> None:
        self.found.append(("khai báo <!…>", "<!"))

    def handle_pi(self, data: str) -> None:
        self.found.append(("chỉ thị <?…>", "<?"))

    def unknown_decl(self, data: str) -> None:
        self.found.append(("khai báo <![…]>", "<!["))


def _scheme(url: str) -> str:
    compact = "".join(url.split()).lower()  # browsers ignore white space inside "java script:"
    try:
        return urlsplit(compact).scheme
    except ValueError:
        return "?"


def render_problems(body: str) -> list[BodyProblem]:
    """Render ``body`` as the site does and report every tag, attribute or link Markdown syntax cannot make."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    try:
        rendered = md.convert(body)
    except RecursionError:
        return [BodyProblem(0, "nội dung lồng nhau quá sâu, không hiển thị được; hãy đơn giản hóa bài")]
    verify = _Verify()
    verify.feed(rendered)
    verify.close()
    problems = []
    folded = body.lower()
    for what, word in dict.fromkeys(verify.found):
        # Found in the whole text, not line by line: a link split across lines ("java\nscript:") is one word.
        at = folded.find(word.lower())
        line = body.count("\n", 0, at) if at >= 0 else 0
        problems.append(BodyProblem(line, f"nội dung tạo ra HTML không được phép ({what}); hãy dùng cú pháp Markdown"))
    return problems


class RenderCache:
    """Remembers ``render_problems`` per lesson text, so a rebuild renders only the lessons that changed.

    Rendering every lesson costs ~3.5 ms each (seconds for a province's corpus) and its answer depends
    only on the text and on this checker's code. The cache lives in the project's ``.coursegen-cache/``,
    where anyone who hands over a project can plant one; so an entry's key is an HMAC of the text and the
    code with this machine's secret (``machinekey``), which no planted file can match, and without that
    secret nothing is cached. A missing, unreadable or unwritable cache only costs time.
    """

    def __init__(self, root: Path):
        self.path = root / ".coursegen-cache" / "lesson-render.json"
        self.key = machine_key(root)
        self.salt = hashlib.sha256(Path(__file__).read_bytes() + markdown.__version__.encode()).hexdigest()
        self.used: dict[str, list] = {}
        self.known: dict[str, list] = {}
        if self.key is None:
            return
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if isinstance(known, dict):
            self.known = known

    def problems(self, body: str) -> list[BodyProblem]:
        if self.key is None:
            return render_problems(body)
        key = keyed_digest(self.key, f"{self.salt}\n{body}")
        found = self.known.get(key)
        if not isinstance(found, list) or not all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], str) for p in found):
            found = [[p.line, p.message] for p in render_problems(body)]
        self.used[key] = found
        return [BodyProblem(line, message) for line, message in found]

    def save(self) -> None:
        """Keep only this load's lessons; written whole and renamed, never half-written."""
        if self.key is None or self.used == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(self.used, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:
            pass
