"""Aggregate files (issue 27): the reader and the dashboard renderer on random and mutated files.

- Reader: any file (a valid one with any value anywhere replaced by a hostile one, the id recomputed as any
  sender can) is read or refused with a user error (``CoursegenError``), never another exception.
- Renderer: any file the reader accepts renders, through the site's own Markdown extensions, to HTML made
  only of the dashboard's own tags and attributes — no tag, attribute, link or table cell from the data —
  and every published unit name shows as text.
"""

from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import given
from hypothesis import strategies as st

from generator.builders.site import dashboard
from generator.coverage.aggregate import read_aggregate
from generator.diagnostics import CoursegenError
from generator.source.lessonsafety import EXTENSION_CONFIGS, EXTENSIONS
from generator.source.loader import load_corpus
from tests.conftest import MINI
from tests.fuzz.conftest import fuzz
from tests.hostile2 import aggregates

CORPUS = load_corpus(MINI)
HOSTILE = st.sampled_from(["<", ">", "&", '"', "'", "|", "[", "]", "(", ")", "*", "_", "`", "{", "}", "#", "!",
                           "~", "=", "^", ":", "/", "\\", " ", "\n", "\t", "\x1b", "\u202e", "\ud800", "\x00", "-",
                           "script", "onerror=", "javascript:", "<img src=x onerror=alert(1)>", "&lt;", "&#x3c;",
                           "Trường", "99.999", "Đạt chỉ tiêu", "\u00a0", "]]>", "</title>", "<!--", "%", "2025-1"])
HOSTILE_TEXT = st.lists(HOSTILE, min_size=0, max_size=12).map("".join)
VALUES = st.one_of(HOSTILE_TEXT, st.integers(-10**14, 10**14), st.floats(allow_nan=False), st.booleans(), st.none(),
                   st.lists(st.integers(0, 50), max_size=3), st.dictionaries(HOSTILE_TEXT, st.integers(), max_size=2))


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    yield path


def _set(data, path, value):
    if not path:
        return value
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _write(data) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cg-agg-"))
    path = folder / "tinh.json"
    text = aggregates.signed(data) if isinstance(data, dict) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


@fuzz(300)
@given(st.data())
def test_any_mutated_file_is_read_or_refused_with_a_user_error(data):
    body = aggregates.body()
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_leaves(body))
        body = _set(body, data.draw(st.sampled_from(paths)), data.draw(VALUES))
    try:
        read_aggregate(_write(body))
    except CoursegenError as exc:
        assert str(exc).startswith("tinh.json: ")


class _Html(HTMLParser):
    """Tags, attributes and text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.rows: list[int] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append("comment")

    def handle_decl(self, decl):
        self.other.append("decl")

    def handle_pi(self, data):
        self.other.append("pi")

    def unknown_decl(self, data):
        self.other.append("cdata")


OWN_TAGS = {"h1", "h2", "h3", "p", "a", "em", "table", "thead", "tbody", "tr", "th", "td", "div", "svg", "title",
            "desc", "text", "rect", "line", "polyline", "circle"}
OWN_ATTRIBUTES = {"id", "class", "href", "title", "style", "role", "aria-labelledby", "viewbox", "width", "height",
                  "xmlns", "font-family", "font-size", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "fill",
                  "stroke", "stroke-dasharray", "stroke-width", "points", "text-anchor"}
OWN_LINK = re.compile(r"^(?:index\.md|[a-z0-9-]+\.html|#[a-z0-9_-]*)$")
NAME = st.lists(HOSTILE, min_size=1, max_size=10).map("".join).filter(lambda s: s.strip())


@fuzz(120)
@given(st.lists(st.tuples(NAME, st.integers(10, 10**6), st.integers(0, 10**6)), min_size=1, max_size=6, unique_by=lambda u: u[0]),
       st.lists(st.integers(0, 10**6), min_size=0, max_size=4))
def test_any_accepted_file_renders_with_no_markup_from_the_data(units, months):
    check_rendering(units, months)


def check_rendering(units: list[tuple[str, int, int]], months: list[int]) -> bool:
    """False if the reader refused the file; else asserts the rendering holds no markup from the data."""
    units = [(name, enrolled, min(covered, enrolled)) for name, enrolled, covered in units]

    def series(body):
        body["series"][0]["months"] = [[f"2025-{m + 1:02d}", c] for m, c in enumerate(sorted(months))]

    try:
        aggregate = read_aggregate(_write(_with(series, units)))
    except CoursegenError:
        return False  # refused names (control characters…) are the reader's test
    board = dashboard.of_aggregate(aggregate, CORPUS, ["tinh.json"])
    shown_units = {r.unit_name for s in board.report.sections for r in s.rows
                   if r.level.value == "unit" and not r.suppressed}
    text = ""
    for uri, _, page in dashboard.render(board, CORPUS):
        body = page.split("---\n", 2)[2]
        html = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS).convert(body)
        parsed = _Html()
        parsed.feed(html)
        parsed.close()
        assert parsed.other == [], uri
        for tag, attrs in parsed.tags:
            assert tag in OWN_TAGS, (uri, tag)
            assert set(attrs) <= OWN_ATTRIBUTES, (uri, tag, attrs)
            if "href" in attrs:
                assert OWN_LINK.match(attrs["href"]), (uri, attrs["href"])
        assert set(parsed.rows) <= {7}, (uri, parsed.rows)  # every table row has exactly the table's cells
        text += " ".join("".join(parsed.text).split())
    for name in shown_units:
        assert " ".join(name.split()) in text, name
    return True


def _with(change, units):
    body = aggregates.body(units)
    change(body)
    return body



def test_the_browser_payloads_are_accepted_and_render_as_text():
    """The check above on the names of tests/hostile2/test_dashboard_browser.py (all accepted as text)."""
    from tests.hostile2.test_dashboard_browser import PAYLOADS

    assert check_rendering([(p, 20 + n, 10 + n) for n, p in enumerate(PAYLOADS)], [3, 9])
