"""Static checks of a lesson's Markdown body: links, images, anchors and the raw-HTML policy.

Policy: lesson Markdown may not contain raw HTML at all (outside code). Everything a lesson needs
(admonitions, tables, step lists, images) has Markdown syntax, and banning HTML closes the door on
script injection into the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ..text import heading_slug

# Code blocks exactly as python-markdown's fenced_code finds them: an opening fence at the start of a line
# and the SAME fence closing it (an unclosed or mismatched fence is prose, and so is its "code").
_FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
# A code span as python-markdown reads it: a backtick run not escaped by "\\", closed by a run of the same length.
_INLINE_CODE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
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
            result.append((number, _INLINE_CODE.sub("", line)))
    return result


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
