"""What a leaflet says, taken from the course model and the settings, plus fixed Vietnamese text.

Each variable text carries the source field it came from, so that an overflow names the course
file and field an author has to shorten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...model import CITIZEN_SAFETY, Corpus, Course, Settings
from ...render.printready import is_draft, release_line
from ...source.yamlsource import LocatedDict, LocatedList, YamlSourceError, parse_yaml, read_source_text
from ...text import nfc
from .layout import FieldRef

KICKER = "DỊCH VỤ CÔNG TRỰC TUYẾN"
STEPS_HEADING = "Các bước thực hiện"
HELP_HEADING = "Cần hỗ trợ? Hãy hỏi:"
SAFETY_HEADING = "Giữ an toàn tài khoản"
INTRO_HEADING = "Giới thiệu"
HOW_HEADING = "Học khóa này thế nào?"
FACTS_HEADING = "Về khóa học"
QR_CAPTION = "Quét mã để vào khóa học"
QR_POINTER = "Quét mã QR ở mặt sau để vào khóa học trực tuyến."

# Generic and accurate advice; the same on every leaflet.
SAFETY_TIPS: tuple[str, ...] = (
    "Không bao giờ cho ai biết mã OTP, kể cả người xưng là cán bộ, công an hay nhân viên ngân hàng.",
    "Không chia sẻ mật khẩu. Đặt mật khẩu khó đoán và không dùng chung cho nhiều tài khoản.",
    "Chỉ khai thông tin trên trang chính thức: địa chỉ trang của cơ quan nhà nước kết thúc bằng .gov.vn.",
    "Không bấm vào đường liên kết lạ gửi qua tin nhắn hay mạng xã hội; khi nghi ngờ, hãy hỏi trước.",
)


@dataclass(frozen=True)
class Sourced:
    """A text and the field it came from (None for fixed text)."""

    text: str
    ref: FieldRef | None = None


@dataclass(frozen=True)
class LargePrintText:
    """The citizen's sheet: its own words (``large_print:``), its own QR target (the "làm thế nào" page)."""

    headline: Sourced
    steps: tuple[Sourced, ...]
    help: tuple[Sourced, ...]
    url: Sourced
    display_url: Sourced


# Fixed text of the large-print sheet, in the everyday words of its readers.
LARGE_STEPS_HEADING = "Làm theo các bước sau"
LARGE_HELP_HEADING = "Cần người giúp? Hãy đến:"
LARGE_SAFETY = CITIZEN_SAFETY
LARGE_QR_CAPTION = "Quét mã này bằng điện thoại để xem lại các bước"


@dataclass(frozen=True)
class LeafletText:
    course_id: str
    source: str  # project-relative course.yml, for messages
    title: Sourced
    audience: str
    level: Sourced
    headline: Sourced
    intro: Sourced  # may be empty
    steps: tuple[Sourced, ...]
    help: tuple[Sourced, ...]
    url: Sourced  # what the QR code holds
    display_url: Sourced  # the same without "https://", printed under the code
    publisher: Sourced  # publisher, else province, else site name
    site_name: Sourced
    version: str
    release: str  # "Phát hành tháng 12/2026": how a publication is dated
    duration_minutes: int
    lesson_count: int
    pass_mark: int
    address: Sourced = Sourced("")  # issuer.address, "" when not set
    hotline: Sourced = Sourced("")  # issuer.hotline
    logo: Path | None = None  # issuer.logo (SVG)
    draft: bool = False  # placeholder settings: stamp every page, mark the file names
    large: LargePrintText | None = None

    @property
    def contact(self) -> tuple[Sourced, ...]:
        """The issuer's contact lines as printed: address, then "Đường dây nóng: …"."""
        lines = []
        if self.address.text:
            lines.append(self.address)
        if self.hotline.text:
            lines.append(Sourced(f"Đường dây nóng: {self.hotline.text}", self.hotline.ref))
        return tuple(lines)

    @property
    def duration(self) -> str:
        hours, minutes = divmod(self.duration_minutes, 60)
        return f"{hours} giờ {minutes} phút" if hours and minutes else f"{hours} giờ" if hours else f"{minutes} phút"

    @property
    def how_to(self) -> tuple[str, ...]:
        """How to take the course, from its completion rule: true for every course."""
        length = self.duration
        return (
            "Quét mã QR ở mặt sau bằng camera điện thoại, hoặc gõ địa chỉ in dưới mã vào trình duyệt.",
            f"Học lần lượt {self.lesson_count} bài, tổng khoảng {length}; mỗi bài có câu hỏi ôn tập.",
            f"Làm bài kiểm tra cuối khóa, đạt từ {self.pass_mark}% trở lên là hoàn thành khóa học.",
        )

    @property
    def facts(self) -> tuple[tuple[str, Sourced], ...]:
        return (
            ("Dành cho", Sourced(self.audience)),
            ("Trình độ", self.level),
            ("Thời lượng", Sourced(f"{self.duration}, {self.lesson_count} bài học")),
            ("Phát hành", Sourced(self.release.removeprefix("Phát hành "))),
        )


def leaflet_text(corpus: Corpus, course: Course) -> LeafletText:
    """Collect a course's leaflet text (NFC) with the source field of every variable part."""
    settings: Settings = corpus.settings
    src = course.source.path
    conf = settings.source.path

    def ref(*keys: str | int) -> FieldRef:
        return FieldRef(src, keys)

    leaflet = course.leaflet
    url = settings.course_url(course.id) + leaflet.qr_page
    url_ref = FieldRef(conf, ("site_url",)) if not leaflet.qr_page else ref("leaflet", "qr_page")
    display = url.split("://", 1)[-1]
    name, name_field = settings.issuer_name
    publisher = Sourced(nfc(name), FieldRef(conf, tuple(name_field.split("."))))
    large = None
    if course.large_print is not None:
        lp = course.large_print
        citizen = settings.citizen_url(course.id)
        citizen_ref = FieldRef(conf, ("site_url",))
        large = LargePrintText(
            headline=Sourced(nfc(lp.headline), ref("large_print", "headline")),
            steps=tuple(Sourced(nfc(x), ref("large_print", "steps", i)) for i, x in enumerate(lp.steps)),
            help=tuple(Sourced(nfc(x), ref("large_print", "help", i)) for i, x in enumerate(lp.help)),
            url=Sourced(citizen, citizen_ref),
            display_url=Sourced(citizen.split("://", 1)[-1], citizen_ref),
        )
    issuer = settings.issuer
    return LeafletText(
        course_id=course.id,
        source=src,
        title=Sourced(nfc(course.title), ref("title")),
        audience=course.audience.label,
        level=Sourced(nfc(course.level), ref("level")),
        headline=Sourced(nfc(leaflet.headline), ref("leaflet", "headline")),
        intro=Sourced(nfc(leaflet.intro), ref("leaflet", "intro")),
        steps=tuple(Sourced(nfc(s), ref("leaflet", "steps", i)) for i, s in enumerate(leaflet.steps)),
        help=tuple(Sourced(nfc(h), ref("leaflet", "help", i)) for i, h in enumerate(leaflet.help)),
        url=Sourced(url, url_ref),
        display_url=Sourced(display, url_ref),
        publisher=publisher,
        site_name=Sourced(nfc(settings.site_name), FieldRef(conf, ("site_name",))),
        version=course.version,
        release=release_line(course.release_date),
        duration_minutes=course.duration_minutes,
        lesson_count=len(course.lessons),
        pass_mark=course.completion.pass_mark,
        address=Sourced(nfc(issuer.address), FieldRef(conf, ("issuer", "address"))),
        hotline=Sourced(nfc(issuer.hotline), FieldRef(conf, ("issuer", "hotline"))),
        logo=issuer.logo,
        draft=is_draft(settings),
        large=large,
    )


def field_line(root: Path, ref: FieldRef) -> int:
    """The 1-based line of ``ref`` in its YAML file, or 1 when the file cannot be read again."""
    try:
        node: object = parse_yaml(read_source_text(root / ref.file))
    except (OSError, YamlSourceError):
        return 1
    line = 1
    for key in ref.keys:
        if isinstance(node, LocatedDict) and isinstance(key, str) and key in node:
            line = node.line_of(key)
            node = node[key]
        elif isinstance(node, LocatedList) and isinstance(key, int) and key < len(node):
            line = node.line_of(key)
            node = node[key]
        else:
            break
    return line


def glyph_problems(corpus: Corpus, text: LeafletText) -> list[str]:
    """``path:line: field: …`` for every leaflet text holding characters the leaflet fonts lack (other
    scripts, emoji, invisible or direction-control characters), which would otherwise vanish from print."""
    from .fonts import missing_characters

    fields = [text.title, text.level, text.headline, text.intro, *text.steps, *text.help, text.publisher,
              text.site_name, text.display_url, *text.contact]
    if text.large is not None:
        fields += [text.large.headline, *text.large.steps, *text.large.help]
    problems = []
    for item in fields:
        missing = missing_characters(item.text)
        if not missing or item.ref is None:
            continue
        shown = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in missing[:5]) + (" …" if len(missing) > 5 else "")
        problems.append(f"{item.ref.file}:{field_line(corpus.root, item.ref)}: {item.ref.label}: khóa học"
                        f' "{text.course_id}": ký tự {shown} không có trong phông chữ của tờ rơi nên sẽ không in ra;'
                        " hãy thay bằng chữ tiếng Việt hoặc Latin, hoặc xóa.")
    return problems
