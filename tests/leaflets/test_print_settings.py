"""coursegen.yml's print settings: reserved hosts, placeholders, and the issuer block's own checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.printready import placeholder_fields, release_line, reserved_host
from generator.source.loader import check_project
from tests.leaflets.conftest import DATA, release_ready


@pytest.mark.parametrize("host", ["example.com", "hoc-dvc.example.gov.vn", "dvc.example", "x.invalid", "hoc.test",
                                  "app.localhost", "localhost", "192.168.1.10", "::1", "intranet", "may-chu.local"])
def test_reserved_hosts(host: str) -> None:
    assert reserved_host(host)


@pytest.mark.parametrize("host", ["dichvucong.gov.vn", "hoc-dvc.tinhmau.gov.vn", "examples.vn", "testing.vn"])
def test_public_hosts(host: str) -> None:
    assert not reserved_host(host)


def test_release_line_reads_like_a_publication() -> None:
    from datetime import date

    assert release_line(date(2026, 12, 4)) == "Phát hành tháng 12/2026"


def _settings_with(project: Path, issuer: str) -> list[str]:
    release_ready(project)
    path = project / "coursegen.yml"
    head = path.read_text(encoding="utf-8").split("issuer:")[0]
    path.write_text(head + issuer, encoding="utf-8")
    corpus, diags = check_project(project)
    return [d.format() for d in diags.errors] if corpus is None else []


def test_real_looking_settings_have_no_placeholder(mini_project: Path) -> None:
    release_ready(mini_project)
    corpus, diags = check_project(mini_project)
    assert corpus is not None and not diags.errors
    assert placeholder_fields(corpus.settings) == []
    assert corpus.settings.issuer.logo == (mini_project / "media/bieu-trung.svg").resolve()


def test_contact_placeholders_are_named(mini_project: Path) -> None:
    release_ready(mini_project)
    path = mini_project / "coursegen.yml"
    text = path.read_text(encoding="utf-8").replace("tỉnh Mẫu\"\n  hotline", "tỉnh Mẫu, hotro@dvc.example.vn\"\n  hotline")
    path.write_text(text, encoding="utf-8")
    corpus, _ = check_project(mini_project)
    assert [name for name, _ in placeholder_fields(corpus.settings)] == ["issuer.address"]
    path.write_text(text.replace("0221 3 123 456", "1900 xxxx"), encoding="utf-8")  # not a number: an error
    corpus, diags = check_project(mini_project)
    assert corpus is None and [d.field for d in diags.errors] == ["issuer.hotline"]


def test_issuer_errors_name_file_line_and_field(mini_project: Path) -> None:
    (mini_project / "media").mkdir()
    (mini_project / "media/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>', encoding="utf-8")
    (mini_project / "media/logo.png").write_bytes((DATA / "bieu-trung.svg").read_bytes())
    (mini_project / "media/chu.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="9">UBND</text></svg>',
        encoding="utf-8")
    errors = _settings_with(mini_project, 'issuer:\n  name: "Sở Khoa học và Công nghệ tỉnh Mẫu"\n'
                                          '  logo: "media/logo.svg"\n  hotline: "gọi ngay"\n')
    line = 5  # issuer: comes after the four lines of release_ready's head
    assert any(e.startswith(f"coursegen.yml:{line + 2}: issuer.logo: tệp SVG chứa thẻ <script>") for e in errors), errors
    assert any(e.startswith(f"coursegen.yml:{line + 3}: issuer.hotline: \"gọi ngay\" không phải số điện thoại")
               for e in errors), errors
    errors = _settings_with(mini_project, 'issuer:\n  logo: "media/logo.png"\n')
    assert errors and "issuer.logo: biểu trưng phải là tệp vector SVG" in errors[0]
    errors = _settings_with(mini_project, 'issuer:\n  logo: "media/chu.svg"\n')
    assert errors and "issuer.logo: biểu trưng có chữ (thẻ <text>)" in errors[0]
    errors = _settings_with(mini_project, 'issuer:\n  logo: "../ngoai.svg"\n')
    assert errors and "issuer.logo: " in errors[0]
