"""The four Anki note types, designed once and kept stable.

Anki recognises a note type by its id and by a hash of its field names and template names: changing
templates or CSS later is safe (students get the new look on their next import), but adding, renaming or
reordering a field makes Anki copy the note type and report every note as "conflicting". So:

* FIELDS below are frozen. Only ever APPEND a field at the end (and never rename the templates).
* Ids are derived from the course id and the note type key, so every build of a course gives the same ids.
"""

from __future__ import annotations

import hashlib

import genanki

MC = "mc"  # single and multiple choice
TRUE_FALSE = "true_false"
CLOZE = "cloze"
ORDERING = "ordering"

NAMES = {
    MC: "Trắc nghiệm",
    TRUE_FALSE: "Đúng hay sai",
    CLOZE: "Điền vào chỗ trống",
    ORDERING: "Sắp xếp các bước",
}

# Frozen: see the module docstring before touching these lists.
FIELDS: dict[str, list[str]] = {
    MC: ["Câu hỏi", "Hình", "Loại", "Phương án", "Đáp án", "Giải thích", "Giữ thứ tự", "Mã câu hỏi", "Bài học"],
    TRUE_FALSE: ["Câu hỏi", "Hình", "Đáp án", "Giải thích", "Mã câu hỏi", "Bài học"],
    CLOZE: ["Văn bản", "Hình", "Đáp án chấp nhận", "Giải thích", "Mã câu hỏi", "Bài học"],
    ORDERING: ["Câu hỏi", "Hình", "Các bước", "Thứ tự đúng", "Giải thích", "Mã câu hỏi", "Bài học"],
}

# Fields that may legitimately be empty; every other field must have content (checked at build time).
OPTIONAL_FIELDS: dict[str, set[str]] = {
    MC: {"Hình", "Giữ thứ tự"},
    TRUE_FALSE: {"Hình"},
    CLOZE: {"Hình", "Đáp án chấp nhận"},
    ORDERING: {"Hình"},
}

TEMPLATE_NAMES = {MC: "Thẻ trắc nghiệm", TRUE_FALSE: "Thẻ đúng sai", CLOZE: "Điền khuyết", ORDERING: "Thẻ sắp xếp"}

CSS = """\
.card { font-family: "Be Vietnam Pro", "Noto Sans", "Segoe UI", Arial, sans-serif; font-size: 20px;
  line-height: 1.5; color: #1b1b1b; background: #ffffff; text-align: left; }
.card.nightMode, .nightMode .card { color: #ececec; background: #1f1f1f; }
.cg-card { max-width: 40em; margin: 0 auto; padding: 0.4em; }
.cg-kind { font-size: 0.75em; font-weight: 700; color: #0b5394; letter-spacing: 0.03em; margin-bottom: 0.4em; }
.nightMode .cg-kind { color: #8ab4f8; }
.cg-prompt { font-size: 1.1em; margin-bottom: 0.6em; }
.cg-image img { max-width: 100%; height: auto; }
.cg-options, .cg-answers, .cg-steps, .cg-order, .cg-accepted { list-style: none; padding: 0; margin: 0.4em 0; }
.cg-options li, .cg-steps li { border: 1px solid #c8c8c8; border-radius: 6px; padding: 0.35em 0.6em; margin: 0.3em 0; }
.cg-answers li, .cg-order li, .cg-accepted li { margin: 0.2em 0; }
.cg-letter { font-weight: 700; margin-right: 0.25em; }
.cg-options li.cg-correct { border: 2px solid #2e7d32; background: #e8f5e9; }
.nightMode .cg-options li.cg-correct { background: #1b3d20; }
.cg-label { font-weight: 700; color: #2e7d32; margin-top: 0.6em; }
.cg-explanation .cg-label { color: #0b5394; }
.nightMode .cg-explanation .cg-label { color: #8ab4f8; }
.cg-sequence { font-weight: 700; margin-top: 0.3em; }
.cg-verdict { font-size: 1.2em; font-weight: 700; }
.cg-context { font-size: 0.75em; color: #777777; margin-top: 1em; }
.cloze { font-weight: 700; color: #0b5394; }
.nightMode .cloze { color: #8ab4f8; }
"""

# Shuffles the options on the front (unless the question fixes the order) and replays the same order on
# the back. The back already names the correct options with their original letters in plain HTML, so a
# client without scripts, or one that loses the saved order, still shows a consistent, correct answer.
MC_SCRIPT = """\
<script>
(function () {
  var box = document.querySelector(".cg-mc");
  if (!box) { return; }
  var list = box.querySelector(".cg-options");
  if (!list) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-key]"));
  var keys = items.map(function (li) { return li.getAttribute("data-key"); });
  var onBack = document.getElementById("answer") !== null;
  var storeKey = "coursegen-order-" + box.getAttribute("data-qid");
  var order = null;
  if (!box.getAttribute("data-fixed")) {
    if (onBack) {
      try { order = JSON.parse(window.sessionStorage.getItem(storeKey)); } catch (e) { order = null; }
      if (!order && window.coursegenOrder) { order = window.coursegenOrder[storeKey] || null; }
    } else {
      order = keys.slice();
      for (var i = order.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var swap = order[i]; order[i] = order[j]; order[j] = swap;
      }
      try { window.sessionStorage.setItem(storeKey, JSON.stringify(order)); } catch (e) { }
      window.coursegenOrder = window.coursegenOrder || {};
      window.coursegenOrder[storeKey] = order;
    }
  }
  var shown = {};
  var valid = order && order.length === keys.length &&
    order.every(function (key) { return keys.indexOf(key) >= 0; });
  if (valid) {
    order.forEach(function (key, index) {
      var li = items[keys.indexOf(key)];
      list.appendChild(li);
      var letter = String.fromCharCode(65 + index);
      li.querySelector(".cg-letter").textContent = letter + ".";
      shown[key] = letter;
    });
  }
  if (onBack) {
    var answers = document.querySelectorAll(".cg-answers li[data-key]");
    Array.prototype.forEach.call(answers, function (answer) {
      var key = answer.getAttribute("data-key");
      if (shown[key]) { answer.querySelector(".cg-letter").textContent = shown[key] + "."; }
      var li = items[keys.indexOf(key)];
      if (li) { li.className += " cg-correct"; }
    });
  }
})();
</script>"""

CONTEXT = '<div class="cg-context">{{Bài học}}</div>'
IMAGE = '{{#Hình}}<div class="cg-image">{{Hình}}</div>{{/Hình}}'
EXPLANATION = '<div class="cg-explanation"><div class="cg-label">Giải thích</div>{{Giải thích}}</div>'

TEMPLATES: dict[str, tuple[str, str]] = {
    MC: (
        '<div class="cg-card cg-mc" data-qid="{{Mã câu hỏi}}" data-fixed="{{Giữ thứ tự}}">\n'
        '<div class="cg-kind">{{Loại}}</div>\n'
        '<div class="cg-prompt">{{Câu hỏi}}</div>\n'
        f"{IMAGE}\n"
        "{{Phương án}}\n"
        f"{CONTEXT}\n"
        "</div>\n" + MC_SCRIPT,
        "{{FrontSide}}\n"
        '<hr id="answer">\n'
        '<div class="cg-card cg-answer"><div class="cg-label">Đáp án</div>{{Đáp án}}\n'
        f"{EXPLANATION}</div>",
    ),
    TRUE_FALSE: (
        '<div class="cg-card cg-tf">\n'
        '<div class="cg-kind">Đúng hay sai?</div>\n'
        '<div class="cg-prompt">{{Câu hỏi}}</div>\n'
        f"{IMAGE}\n"
        f"{CONTEXT}\n"
        "</div>",
        "{{FrontSide}}\n"
        '<hr id="answer">\n'
        '<div class="cg-card cg-answer"><div class="cg-label">Đáp án</div>'
        '<div class="cg-verdict">{{Đáp án}}</div>\n'
        f"{EXPLANATION}</div>",
    ),
    CLOZE: (
        '<div class="cg-card cg-cloze">\n'
        '<div class="cg-kind">Điền vào chỗ trống</div>\n'
        '<div class="cg-prompt">{{cloze:Văn bản}}</div>\n'
        f"{IMAGE}\n"
        f"{CONTEXT}\n"
        "</div>",
        '<div class="cg-card cg-cloze">\n'
        '<div class="cg-kind">Điền vào chỗ trống</div>\n'
        '<div class="cg-prompt">{{cloze:Văn bản}}</div>\n'
        f"{IMAGE}\n"
        '<hr id="answer">\n'
        '{{#Đáp án chấp nhận}}<div class="cg-label">Đáp án chấp nhận</div>{{Đáp án chấp nhận}}{{/Đáp án chấp nhận}}\n'
        f"{EXPLANATION}\n"
        f"{CONTEXT}\n"
        "</div>",
    ),
    ORDERING: (
        '<div class="cg-card cg-ordering">\n'
        '<div class="cg-kind">Sắp xếp các bước theo đúng thứ tự</div>\n'
        '<div class="cg-prompt">{{Câu hỏi}}</div>\n'
        f"{IMAGE}\n"
        "{{Các bước}}\n"
        f"{CONTEXT}\n"
        "</div>",
        "{{FrontSide}}\n"
        '<hr id="answer">\n'
        '<div class="cg-card cg-answer"><div class="cg-label">Thứ tự đúng</div>{{Thứ tự đúng}}\n'
        f"{EXPLANATION}</div>",
    ),
}


def stable_id(*parts: str) -> int:
    """A deterministic id in [2**30, 2**31) (the range genanki recommends) from the given parts."""
    digest = hashlib.sha256(":".join(("coursegen", *parts)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def model_id(course_id: str, key: str) -> int:
    return stable_id("model", course_id, key)


def note_types(course_id: str) -> dict[str, genanki.Model]:
    """The four note types of one course, with ids fixed for that course."""
    models = {}
    for key, (front, back) in TEMPLATES.items():
        models[key] = genanki.Model(
            model_id=model_id(course_id, key),
            name=f"coursegen · {NAMES[key]} · {course_id}",
            fields=[{"name": name} for name in FIELDS[key]],
            templates=[{"name": TEMPLATE_NAMES[key], "qfmt": front, "afmt": back}],
            css=CSS,
            model_type=genanki.Model.CLOZE if key == CLOZE else genanki.Model.FRONT_BACK,
            sort_field_index=0,
        )
    return models
