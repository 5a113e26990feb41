"""Static checks of a lesson's Markdown body: links, images, anchors and the raw-HTML policy.

Policy: lesson Markdown may not contain raw HTML at all (outside code). Everything a lesson needs
(admonitions, tables, step lists, images) has Markdown syntax, and banning HTML closes the door on
script injection into the site.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ..text import heading_slug

# Code blocks exactly as python-markdown's fenced_code finds them: an opening fence at the start of a line
# and the SAME fence closing it (an unclosed or mismatched fence is prose, and so is its "code").
_FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
# A code span as python-markdown reads it: a backtick run not escaped by "\\", closed by a run of the same length.
# (The regex, kept to document the rule and to test strip_inline_code against, backtracks cubically on a
# line of thousands of backticks: 2,000 took 105 s. strip_inline_code gives the same result in linear time.)
_INLINE_CODE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
_BACKTICKS = re.compile(r"`+")


def strip_inline_code(line: str) -> str:
    """``line`` without its code spans, exactly as ``_INLINE_CODE.sub("", line)`` but in linear time.

    The regex opens at a backtick run (its first backtick dropped when a backslash precedes it) with the most backticks k for which a later run of exactly k exists, and closes at the first
    such run; a run with no partner is text."""
    if "`" not in line:
        return line
    runs: list[tuple[int, int, int]] = []  # (start, end, where it can open: after an escaped backtick)
    for match in _BACKTICKS.finditer(line):
        start, end = match.span()
        runs.append((start, end, start + 1 if start and line[start - 1] == "\\" else start))
    by_length: dict[int, list[int]] = {}  # closing runs: any run, escaped or not, of exactly that length
    for index, (start, end, _) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    out, kept_from, index = [], 0, 0
    while index < len(runs):
        _, end, opens = runs[index]
        closing = None
        for length in range(end - opens, 0, -1):
            later = by_length.get(length)
            if later:
                at = bisect.bisect_right(later, index)
                if at < len(later):
                    closing = later[at]
                    break
        if closing is None:
            index += 1
            continue
        out.append(line[kept_from:opens])
        kept_from = runs[closing][1]
        index = closing + 1
    out.append(line[kept_from:])
    return "".join(out)
_TITLE = r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?"
# An inline link or image: the target is <...> or bare; an optional "title", 'title' or (title).
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?:<([^<>\n]*)>|([^)\s]*))" + _TITLE + r"\s*\)")
# A reference definition "[label]: target" (footnotes "[^1]:" are not links) and reference uses.
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)((?:[^\[\]]|\[[^\]]*\])+)\]:\s*(?:<([^<>\n]*)>|(\S+))" + _TITLE + r"\s*$")
_REF_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\](?:\[([^\]]*)\])?(?![(:\[])")
# Raw HTML as Markdown sees it: "<" directly followed by a letter up to ">" (python-markdown passes even
# "<javascript:alert(1)>" through as HTML), a tag continued on the next line, comments, CDATA,
# declarations and processing instructions. Autolinks <https://…> are removed before this check.
_RAW_HTML = re.compile(
    r"</?[a-zA-Z][^<>@\s]*(?:\s[^<>]*)?>|</?[a-zA-Z][a-zA-Z0-9-]*(?:[\s/][^<>]*)?$|<!--|<!\[CDATA\[|<![a-zA-Z]|<\?"
)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")


@dataclass(frozen=True)
class BodyLink:
    line: int  # 0-based line within the body
    is_image: bool
    text: str
    target: str


@dataclass(frozen=True)
class BodyHtml:
    line: int
    snippet: str


@dataclass(frozen=True)
class BodyScan:
    links: tuple[BodyLink, ...]
    html: tuple[BodyHtml, ...]
    anchors: frozenset[str]
    h1_lines: tuple[int, ...]


def fenced_lines(body: str) -> dict[int, str]:
    """0-based line numbers inside fenced code blocks (fences included) → "open", "code" or "close"."""
    kinds: dict[int, str] = {}
    for match in _FENCED_BLOCK.finditer(body):
        first = body.count("\n", 0, match.start())
        last = body.count("\n", 0, match.end())
        kinds[first] = "open"
        kinds.update({number: "code" for number in range(first + 1, last)})
        kinds[last] = "close"
    return kinds


def prose_lines(body: str) -> list[tuple[int, str]]:
    """Lines outside fenced code, with inline code removed (code may show anything).

    The opening fence line stays: its "{…}" is an attribute list once attr_list is enabled.
    """
    fences = fenced_lines(body)
    result = []
    for number, line in enumerate(body.split("\n")):
        kind = fences.get(number)
        if kind == "open":
            result.append((number, line))
        elif kind is None:
            result.append((number, strip_inline_code(line)))
    return result


# Sections coursegen adds after every lesson body (site/pages.py, lesson()): a body heading with the same
# anchor pushes the generated one to "…_1", and links to "#tu-kiem-tra" land on the author's section.
GENERATED_SECTIONS = ("Ghi nhớ", "Tự kiểm tra")


def generated_section_clashes(body: str) -> list[tuple[int, str]]:
    """(0-based line, heading) of body headings whose anchor is that of a generated section."""
    reserved = {heading_slug(title, "-") for title in GENERATED_SECTIONS}
    found = []
    for number, line in prose_lines(body):
        h = _HEADING.match(line)
        if h is not None and len(h.group(1)) > 1:
            attr = _ATTR_ID.search(h.group(2))
            slug = attr.group(1) if attr else heading_slug(re.sub(r"[*_`]", "", h.group(2)), "-")
            if slug in reserved:
                found.append((number, h.group(2)))
    return found


def scan_body(body: str) -> BodyScan:
    links: list[BodyLink] = []
    html: list[BodyHtml] = []
    anchors: set[str] = set()
    h1: list[int] = []
    seen: dict[str, int] = {}
    lines = prose_lines(body)
    definitions: dict[str, tuple[int, str]] = {}  # reference label -> (line, target)
    for number, line in lines:
        if (d := _REF_DEF.match(line)) is not None:
            definitions.setdefault(_label(d.group(1)), (number, (d.group(2) or d.group(3) or "").strip()))
    image_labels: set[str] = set()
    for number, line in lines:
        if _REF_DEF.match(line):
            continue
        for match in _LINK.finditer(line):
            target = match.group(3) if match.group(3) is not None else match.group(4)
            links.append(BodyLink(number, match.group(1) == "!", match.group(2).strip(), target.strip()))
        for match in _REF_IMAGE.finditer(_LINK.sub("", line)):
            label = _label(match.group(2) or match.group(1))
            if label in definitions:
                image_labels.add(label)
                links.append(BodyLink(number, True, match.group(1).strip(), definitions[label][1]))
    for label, (number, target) in definitions.items():
        if label not in image_labels:
            links.append(BodyLink(number, False, label, target))
    for number, line in lines:
        without_autolinks = _AUTOLINK.sub("", line)
        if (m := _RAW_HTML.search(without_autolinks)) is not None:
            html.append(BodyHtml(number, m.group(0)[:60]))
        if (h := _HEADING.match(line)) is not None:
            title = h.group(2)
            if (attr := _ATTR_ID.search(title)) is not None:
                slug = attr.group(1)
            else:
                slug = heading_slug(re.sub(r"[*_`]", "", title), "-")
                if slug in seen:
                    seen[slug] += 1
                    slug = f"{slug}_{seen[slug]}"
                else:
                    seen[slug] = 0
            anchors.add(slug)
            if len(h.group(1)) == 1:
                h1.append(number)
    return BodyScan(tuple(links), tuple(html), frozenset(anchors), tuple(h1))


def _label(text: str) -> str:
    """Reference labels match case-insensitively with runs of whitespace collapsed."""
    return " ".join(text.split()).casefold()


def split_target(target: str) -> tuple[str, str, str]:
    """(scheme, path, fragment) of a link target, path percent-decoded."""
    parts = urlsplit(target)
    return parts.scheme.lower(), unquote(parts.path), unquote(parts.fragment)
