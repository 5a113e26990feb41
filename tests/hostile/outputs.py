"""Readers for every output a payload can reach, and the one question asked of each: does the payload
show as text, and did any of it become markup that runs (a script, an event handler, a script URL)?

Each reader returns ``Seen``: the visible text of the output (entities decoded, white space squashed) and
the places where a payload's marker turned into live markup.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.builders.exports.giftreader import parse_gift

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
SCRIPT_URL = re.compile(r"^\s*(?:java|vb)script:|^\s*data:text/html", re.IGNORECASE)


@dataclass
class Seen:
    text: str = ""
    live: list[str] = field(default_factory=list)  # markup that would run, as found

    def add(self, other: Seen) -> None:
        self.text += " " + other.text
        self.live += other.live


def squash(text: str) -> str:
    return " ".join(text.split())


class _Html(HTMLParser):
    """Visible text and live markup of an HTML document or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.live: list[str] = []
        self.script: str | None = None  # type of the <script> we are in

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and SCRIPT_URL.match(value):
                self.live.append(f"<{tag} {name}={value!r}>")
            elif name not in ("class", "id") and value:
                self.parts.append(value)  # alt, title, aria-label, content…: what readers hear or see
        if tag == "script":
            self.script = (values.get("type") or "text/javascript").lower()
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.live.append(f"<{tag} {values}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None and self.script not in ("application/json", "application/ld+json"):
            if "__pwned" in data:
                self.live.append(f"<script>{data[:80]}")
            return
        self.parts.append(data)


def html_seen(markup: str) -> Seen:
    parser = _Html()
    parser.feed(markup)
    parser.close()
    return Seen(squash(" ".join(parser.parts)), parser.live)


def site_seen(site: Path, page: str) -> Seen:
    return html_seen((site / page).read_text(encoding="utf-8"))


def anki_seen(apkg: Path) -> Seen:
    """Every note field (HTML, as Anki shows it) and the deck names of a package."""
    seen = Seen()
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(apkg) as archive:
            name = "collection.anki21" if "collection.anki21" in archive.namelist() else "collection.anki2"
            archive.extract(name, tmp)
        connection = sqlite3.connect(Path(tmp) / name)
        try:
            for (fields,) in connection.execute("SELECT flds FROM notes"):
                for value in fields.split("\x1f"):
                    seen.add(html_seen(value))
            for (decks,) in connection.execute("SELECT decks FROM col"):
                for deck in json.loads(decks).values():
                    seen.text += " " + squash(deck["name"])
        finally:
            connection.close()
    return seen


def gift_seen(path: Path) -> Seen:
    """What Moodle's GIFT importer reads: question texts, answers, feedback, pairs and categories (HTML)."""
    seen = Seen()
    for question in parse_gift(path.read_text(encoding="utf-8")):
        # Plain text in Moodle: categories, short answers (compared, never rendered) and the right-hand side
        # of matching pairs (shown in a drop-down list).
        plain = [question.category.replace("//", "/"), *(a.text for a in question.answers if question.kind == "shortanswer")]
        plain += [right for _, right in question.pairs]
        seen.text += " " + squash(" ".join(plain))
        pieces = [question.title, question.text, question.general_feedback]
        pieces += [a.text for a in question.answers if question.kind != "shortanswer"]
        pieces += [a.feedback for a in question.answers] + [left for left, _ in question.pairs]
        for piece in pieces:
            seen.add(html_seen(piece.replace("_____", " ")) if question.text_format == "html" else Seen(squash(piece)))
    return seen


def xml_seen(data: bytes, is_html) -> Seen:
    """Every text node of an XML document: read as HTML where ``is_html(element, parent)`` says the LMS
    renders it as HTML, as plain text elsewhere; attribute values are plain text."""
    seen = Seen()
    root = ET.fromstring(data)
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        for value in element.attrib.values():
            seen.text += " " + squash(value)
        if element.text and element.text.strip():
            if is_html(element, parents.get(element)):
                seen.add(html_seen(element.text))
            elif getattr(parents.get(element), "tag", "") == "category":
                seen.text += " " + squash(element.text.replace("//", "/"))  # "/" in a category name is "//"
            else:
                seen.text += " " + squash(element.text)
    return seen


def moodle_seen(path: Path) -> Seen:
    """Moodle XML: a <text> is HTML when its parent says format="html"."""
    return xml_seen(path.read_bytes(), lambda e, parent: e.tag == "text" and parent is not None
                    and parent.get("format") == "html")


def qti_seen(package: Path) -> Seen:
    """QTI 1.2: <mattext texttype="text/html"> is HTML; metadata, labels and answer keys are plain text."""
    seen = Seen()
    with zipfile.ZipFile(package) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                seen.add(xml_seen(archive.read(name), lambda e, _: e.tag.endswith("mattext")
                                  and e.get("texttype") == "text/html"))
    return seen


def pdf_seen(pdf: Path) -> Seen:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                            check=True)
    return Seen(squash(result.stdout.replace("\u00ad", "")))


def output_seen(site: Path, target: str) -> Seen:
    """``target`` names an output: ``site:<page>``, ``anki``, ``gift``, ``moodle``, ``qti``, ``pdf``."""
    downloads = site / "downloads"
    if target.startswith("site:"):
        return site_seen(site, target.removeprefix("site:"))
    if target == "anki":
        return anki_seen(downloads / "anki" / "mini-dvc.apkg")
    if target == "gift":
        return gift_seen(downloads / "ngan-hang-cau-hoi" / "mini-dvc-gift.txt")
    if target == "moodle":
        return moodle_seen(downloads / "ngan-hang-cau-hoi" / "mini-dvc-moodle.xml")
    if target == "qti":
        return qti_seen(downloads / "ngan-hang-cau-hoi" / "mini-dvc-qti12.zip")
    if target == "pdf":
        # "-ban-nhap" is added while coursegen.yml holds placeholders (the cases keep the mini project's)
        return pdf_seen(min((downloads / "leaflets").glob("mini-dvc-to-gap-a4-ban-xem*.pdf")))
    raise AssertionError(f"unknown output {target!r}")
