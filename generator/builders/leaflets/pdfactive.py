"""Active content in a PDF: what makes a reader or a print shop's RIP run, open or send something.

A leaflet is ink on paper; nothing in it should act. Preflight fails a PDF that has JavaScript (an
OpenAction, a JavaScript name tree, an action of a page, a link or a form field), a Launch action (runs a
program), an embedded file (an attached executable), form submission or import (SubmitForm, ImportData),
links into other files (GoToR, GoToE), multimedia and 3D (RichMedia, Screen, Movie, Sound, Rendition, 3D)
or an XFA form. Web links (URI actions) are allowed: the leaflets' QR codes and addresses are links.
The walk is bounded (objects visited once, at most ``MAX_NODES``), so a crafted file cannot make it loop.
"""

from __future__ import annotations

from collections.abc import Iterator

ACTIONS = {
    "/JavaScript": "mã JavaScript", "/Launch": "lệnh chạy chương trình (Launch)",
    "/SubmitForm": "gửi dữ liệu biểu mẫu (SubmitForm)", "/ImportData": "nhập dữ liệu từ tệp khác (ImportData)",
    "/GoToR": "mở tệp khác (GoToR)", "/GoToE": "mở tệp đính kèm (GoToE)", "/Rendition": "phát đa phương tiện",
    "/RichMediaExecute": "chạy nội dung đa phương tiện", "/Movie": "phát phim", "/Sound": "phát âm thanh",
}
ANNOTATIONS = {
    "/RichMedia": "nội dung đa phương tiện (RichMedia)", "/Screen": "vùng phát đa phương tiện (Screen)",
    "/Movie": "phim", "/Sound": "âm thanh", "/3D": "mô hình 3D", "/FileAttachment": "tệp đính kèm",
}
MAX_NODES = 20_000


def _resolve(obj: object) -> object:
    get_object = getattr(obj, "get_object", None)
    return get_object() if get_object else obj


def _get(obj: object, key: str) -> object:
    obj = _resolve(obj)
    return _resolve(obj.get(key)) if obj is not None and hasattr(obj, "get") else None


class _Walk:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.budget = MAX_NODES

    def first_visit(self, obj: object) -> bool:
        self.budget -= 1
        if self.budget < 0 or id(obj) in self.seen:
            return False
        self.seen.add(id(obj))
        return True

    def actions(self, action: object) -> Iterator[str]:
        """Dangerous action types in an action and the actions chained after it (/Next)."""
        pending = [action]
        while pending:
            current = _resolve(pending.pop())
            if isinstance(current, list):
                pending.extend(current)
                continue
            if current is None or not hasattr(current, "get") or not self.first_visit(current):
                continue
            kind = str(_get(current, "/S") or "")
            if kind in ACTIONS:
                yield ACTIONS[kind]
            if kind == "/Rendition" and _get(current, "/JS") is not None:
                yield ACTIONS["/JavaScript"]
            pending.append(_get(current, "/Next"))

    def additional(self, owner: object) -> Iterator[str]:
        """Actions run on events (/AA: page opened, field changed, document closed…)."""
        triggers = _get(owner, "/AA")
        if triggers is not None and hasattr(triggers, "values"):
            found = False
            for action in list(triggers.values()):
                for what in self.actions(action):
                    found = True
                    yield f"{what} chạy tự động khi có sự kiện (AA)"
            if not found:
                yield "hành động tự động khi có sự kiện (AA)"


def _name_tree_has(tree: object, walk: _Walk) -> bool:
    """Whether a name tree (/Names /JavaScript, /EmbeddedFiles) has any entry."""
    pending = [tree]
    while pending:
        node = _resolve(pending.pop())
        if node is None or not hasattr(node, "get") or not walk.first_visit(node):
            continue
        if _get(node, "/Names"):
            return True
        pending.extend(_get(node, "/Kids") or [])
    return False


def document_problems(reader: object) -> list[str]:
    """Active content of the document as a whole (catalog, names, forms)."""
    walk = _Walk()
    root = _get(reader.trailer, "/Root")
    found: list[str] = []
    found += [f"{what} khi mở tệp (OpenAction)" for what in walk.actions(_get(root, "/OpenAction"))]
    found += list(walk.additional(root))
    names = _get(root, "/Names")
    if _name_tree_has(_get(names, "/JavaScript"), walk):
        found.append("mã JavaScript của tài liệu (JavaScript trong /Names)")
    if _name_tree_has(_get(names, "/EmbeddedFiles"), walk):
        found.append("tệp đính kèm nhúng trong tài liệu (EmbeddedFiles)")
    form = _get(root, "/AcroForm")
    if _get(form, "/XFA") is not None:
        found.append("biểu mẫu XFA (có thể chứa mã)")
    for field in list(_get(form, "/Fields") or [])[:MAX_NODES]:
        found += [f"trường biểu mẫu: {what}" for what in walk.actions(_get(field, "/A"))]
        found += [f"trường biểu mẫu: {what}" for what in walk.additional(field)]
    return list(dict.fromkeys(found))


def page_problems(page: object) -> list[str]:
    """Active content of one page: its event actions and its annotations (links, media, attachments)."""
    walk = _Walk()
    found = list(walk.additional(page))
    for annotation in list(_get(page, "/Annots") or [])[:MAX_NODES]:
        subtype = str(_get(annotation, "/Subtype") or "")
        if subtype in ANNOTATIONS:
            found.append(f"chú thích {ANNOTATIONS[subtype]}")
        found += [f"liên kết hoặc nút: {what}" for what in walk.actions(_get(annotation, "/A"))]
        found += list(walk.additional(annotation))
    return list(dict.fromkeys(found))
