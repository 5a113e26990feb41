"""A corrected, re-released deck updates the students' notes in place and keeps their review history."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer

from generator.builders.decks.release import release_timestamp, version_numbers
from generator.source.loader import load_corpus
from tests.decks.conftest import build_decks, import_package

OLD_PROMPT = "Dịch vụ công trực tuyến là gì?"
NEW_PROMPT = "Dịch vụ công trực tuyến thực chất là gì?"


def release(project: Path, version: str, day: str) -> None:
    course_yml = project / "courses" / "mini-dvc" / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^version: .*$', f'version: "{version}"', text)
    text = re.sub(r"(?m)^release_date: .*$", f"release_date: {day}", text)
    course_yml.write_text(text, encoding="utf-8")


def review_first_card(col: Collection) -> int:
    """Study one card of the course deck as a student would (rating Good); return its id."""
    col.decks.select(col.decks.id_for_name("Làm quen dịch vụ công trực tuyến"))
    queued = col.sched.get_queued_cards().cards[0]
    card = col.get_card(queued.card.id)
    card.start_timer()
    col.sched.answer_card(col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD))
    return card.id


def test_fixed_typo_and_new_release_updates_notes_and_keeps_history(mini_project: Path, tmp_path: Path,
                                                                    fresh_collection: Collection):
    col = fresh_collection
    build_decks(mini_project, tmp_path / "v1")
    first = import_package(col, tmp_path / "v1" / "downloads" / "anki" / "mini-dvc.apkg")
    assert len(first.new) == 6
    reviewed = review_first_card(col)
    card_ids = sorted(col.find_cards(""))
    note_ids = sorted(col.find_notes(""))
    reviews = col.db.scalar("select count() from revlog")
    assert reviews == 1

    # Re-importing the very same release changes nothing: Anki only takes strictly newer notes.
    same = import_package(col, tmp_path / "v1" / "downloads" / "anki" / "mini-dvc.apkg")
    assert len(same.duplicate) == 6 and not same.new and not same.updated

    bank = mini_project / "quizzes" / "mini-dvc.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace(OLD_PROMPT, NEW_PROMPT), encoding="utf-8")
    release(mini_project, "1.0.1", "2026-09-01")  # same day, higher patch version
    build_decks(mini_project, tmp_path / "v2")
    second = import_package(col, tmp_path / "v2" / "downloads" / "anki" / "mini-dvc.apkg")

    assert len(second.updated) == 6
    assert not second.new and not second.duplicate and not second.conflicting and not second.missing_notetype
    assert col.note_count() == 6 and sorted(col.find_notes("")) == note_ids
    assert sorted(col.find_cards("")) == card_ids
    assert col.db.scalar("select count() from revlog") == reviews
    assert col.get_card(reviewed).reps == 1
    (changed,) = col.find_notes('"Mã câu hỏi:mini-c001"')
    assert col.get_note(changed)["Câu hỏi"] == NEW_PROMPT
    assert not col.find_notes(f'"Câu hỏi:{OLD_PROMPT}"')
    assert len({model["id"] for model in col.models.all() if "mini-dvc" in model["name"]}) == 4


def package_stamps(package: Path) -> set[int]:
    """Every modification time inside a package's collection (notes, cards, note types)."""
    with zipfile.ZipFile(package) as archive:
        data = archive.read("collection.anki2")
        assert {info.date_time for info in archive.infolist()} == {(2026, 9, 1, 0, 0, 0)}
    db = package.with_suffix(".anki2")
    db.write_bytes(data)
    connection = sqlite3.connect(db)
    try:
        stamps = {row[0] for row in connection.execute("select mod from notes union select mod from cards")}
        models = json.loads(connection.execute("select models from col").fetchone()[0])
        stamps |= {model["mod"] for model in models.values()}
    finally:
        connection.close()
    return stamps


def test_every_timestamp_in_the_package_is_the_release_stamp(mini_project: Path, tmp_path: Path):
    course = load_corpus(mini_project).courses[0]
    build_decks(mini_project, tmp_path / "site")
    stamps = package_stamps(tmp_path / "site" / "downloads" / "anki" / "mini-dvc.apkg")
    assert stamps == {release_timestamp(course.release_date, course.version)}
    assert release_timestamp(date(2026, 9, 1), "1.0.0") == 1788220800 + 10_000


def test_release_stamp_rule():
    day, next_day = date(2026, 9, 1), date(2026, 9, 2)
    versions = ["0.1", "0.9.9", "1.0.0", "1.0.1", "1.1", "1.10.0", "2.0", "v2.1.3", "3.0-beta", "7.99.99"]
    stamps = [release_timestamp(day, v) for v in versions]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert release_timestamp(next_day, "0.0.0") > max(stamps) + 0  # a later day always wins
    assert release_timestamp(day, "1.0") == release_timestamp(day, "1.0.0") == release_timestamp(day, "1")
    assert version_numbers("2026.1") == (2026, 1, 0) and version_numbers("bản nháp") == (0, 0, 0)
    assert version_numbers("1.2.3.4") == (1, 2, 3) and version_numbers("1.0-rc2") == (1, 0, 0)
