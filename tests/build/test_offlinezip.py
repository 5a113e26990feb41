"""The offline zip: reproducible, readable by unzip, and rebuilt from the previous zip's unchanged entries."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.builders.site import offlinezip
from generator.builders.site.offlinezip import file_digests, write_site_zip


def tree(root: Path) -> list[str]:
    files = {
        "index.html": "<p>Trang chủ</p>\n" * 200,
        "khoa-hoc/a/index.html": "<p>Khóa học A</p>\n" * 300,
        "downloads/leaflets/a.pdf": "%PDF-1.4 giả lập\n" * 50,
        "tài-liệu/hướng-dẫn.html": "<p>Tên tệp có dấu</p>\n",  # non-ASCII name: UTF-8 flag
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return sorted(files)


def test_zip_is_readable_sorted_dated_and_stores_compressed_formats(tmp_path: Path) -> None:
    files = tree(tmp_path / "site")
    target = tmp_path / "out.zip"
    write_site_zip(tmp_path / "site", target, files, file_digests(tmp_path / "site", files, {}))
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [f"hoc-dvc/{f}" for f in files]
        assert {i.date_time for i in infos} == {(2020, 1, 1, 0, 0, 0)}
        methods = {i.filename.rsplit(".", 1)[1]: i.compress_type for i in infos}
        assert methods == {"html": zipfile.ZIP_DEFLATED, "pdf": zipfile.ZIP_STORED}
        assert archive.testzip() is None
        assert archive.read("hoc-dvc/tài-liệu/hướng-dẫn.html").decode() == "<p>Tên tệp có dấu</p>\n"
    listing = subprocess.run(["unzip", "-tq", str(target)], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stdout + listing.stderr


def test_unchanged_entries_are_copied_and_the_bytes_are_those_of_a_fresh_zip(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = tree(site)
    first = tmp_path / "first.zip"
    old = file_digests(site, files, {})
    write_site_zip(site, first, files, old)
    (site / "khoa-hoc/a/index.html").write_text("<p>Khóa học A, bản sửa</p>\n" * 300, encoding="utf-8")
    new = file_digests(site, files, {})
    again = tmp_path / "again.zip"
    assert write_site_zip(site, again, files, new, first, old) == (3, 1)  # three copied, one compressed
    fresh = tmp_path / "fresh.zip"
    assert write_site_zip(site, fresh, files, new) == (0, 4)
    assert again.read_bytes() == fresh.read_bytes()


def test_very_large_sites_fall_back_to_zip64(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    files = tree(site)
    monkeypatch.setattr(offlinezip, "_LIMIT", 100)  # as if the site were larger than 4 GB
    target = tmp_path / "big.zip"
    assert write_site_zip(site, target, files, file_digests(site, files, {})) == (0, 4)
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"hoc-dvc/{f}" for f in files]
        assert archive.testzip() is None
