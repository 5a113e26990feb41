/* coursegen self-check quizzes: one shared script for every page, no server, no network.
 * Progress is kept in localStorage keyed by course id and question id (never by file path),
 * so it survives moving the folder, reloading, and opening the site from file:// or a web server.
 * All text from the course sources is already HTML-escaped in the page; this script only sets
 * textContent and never builds markup from source text. */
(function () {
  "use strict";
  var PREFIX = "coursegen:v1:";

  function storageKey(course, id) { return PREFIX + course + ":" + id; }
  function save(course, id, value) {
    try { localStorage.setItem(storageKey(course, id), JSON.stringify(value)); } catch (e) { /* storage off */ }
  }
  function load(course, id) {
    try { return JSON.parse(localStorage.getItem(storageKey(course, id)) || "null"); } catch (e) { return null; }
  }
  function forget(course, id) {
    try { localStorage.removeItem(storageKey(course, id)); } catch (e) { /* storage off */ }
  }
  function norm(text) {
    return String(text).normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("vi");
  }
  function fold(text) {
    return norm(text).replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function keyOf(q) { return JSON.parse(q.querySelector(".cg-key").textContent); }

  function readAnswer(q, key) {
    var checked;
    switch (key.type) {
      case "single":
        checked = q.querySelector("input:checked");
        return checked ? Number(checked.value) : null;
      case "multiple":
        return Array.prototype.map.call(q.querySelectorAll("input:checked"), function (i) { return Number(i.value); })
          .sort(function (a, b) { return a - b; });
      case "true_false":
        checked = q.querySelector("input:checked");
        return checked ? checked.value === "true" : null;
      case "cloze":
        return Array.prototype.map.call(q.querySelectorAll(".cg-blank"), function (i) { return i.value; });
      case "ordering":
        return Array.prototype.map.call(q.querySelectorAll(".cg-step"), function (li) { return Number(li.dataset.step); });
    }
    return null;
  }

  function isAnswered(key, value) {
    if (value === null || value === undefined) return false;
    if (key.type === "multiple") return value.length > 0;
    if (key.type === "cloze") return value.every(function (v) { return norm(v) !== ""; });
    return true;
  }

  function grade(key, value) {
    switch (key.type) {
      case "single": return { correct: key.correct.length === 1 && key.correct[0] === value };
      case "multiple": return { correct: JSON.stringify(key.correct) === JSON.stringify(value) };
      case "true_false": return { correct: key.correct === value };
      case "ordering":
        return { correct: value.every(function (step, index) { return step === index; }) };
      case "cloze":
        var exact = true, nearly = true;
        key.blanks.forEach(function (answers, index) {
          var given = value[index] || "";
          var ok = answers.some(function (a) { return norm(a) === norm(given); });
          var near = answers.some(function (a) { return fold(a) === fold(given); });
          exact = exact && ok;
          nearly = nearly && (ok || near);
        });
        return { correct: exact, nearly: !exact && nearly };
    }
    return { correct: false };
  }

  function applyAnswer(q, key, value) {
    if (key.type === "single" || key.type === "true_false") {
      q.querySelectorAll("input").forEach(function (i) { i.checked = String(i.value) === String(value); });
    } else if (key.type === "multiple") {
      q.querySelectorAll("input").forEach(function (i) { i.checked = value.indexOf(Number(i.value)) >= 0; });
    } else if (key.type === "cloze") {
      q.querySelectorAll(".cg-blank").forEach(function (i, index) { i.value = value[index] || ""; });
    } else if (key.type === "ordering") {
      var list = q.querySelector(".cg-order");
      value.forEach(function (step) {
        var li = list.querySelector('.cg-step[data-step="' + step + '"]');
        if (li) list.appendChild(li);
      });
    }
  }

  function show(q, result) {
    var feedback = q.querySelector(".cg-feedback");
    var explain = q.querySelector(".cg-explain");
    q.classList.remove("cg-correct", "cg-wrong");
    if (!result) {
      feedback.textContent = "";
      return;
    }
    q.classList.add(result.correct ? "cg-correct" : "cg-wrong");
    if (result.correct) {
      feedback.textContent = "✔ Chính xác! ";
    } else if (result.nearly) {
      feedback.textContent = "✘ Gần đúng: hãy kiểm tra lại dấu tiếng Việt. ";
    } else {
      feedback.textContent = "✘ Chưa đúng. Hãy đọc giải thích và thử lại. ";
    }
    /* The explanation goes into the live region so screen readers announce it with the verdict. */
    var strong = document.createElement("strong");
    strong.textContent = "Giải thích: ";
    feedback.appendChild(strong);
    feedback.appendChild(document.createTextNode(explain.textContent.replace(/^\s*Giải thích:\s*/, "")));
  }

  /* After a check: mark the options chosen and the right ones, each blank, each step, with an icon and
   * words as well as colour (the words become part of each control's accessible name). */
  function clearMarks(q) {
    q.querySelectorAll(".cg-mark").forEach(function (m) { m.remove(); });
    q.querySelectorAll(".cg-chosen, .cg-is-right, .cg-is-wrong").forEach(function (e) {
      e.classList.remove("cg-chosen", "cg-is-right", "cg-is-wrong");
    });
  }
  function addMark(el, right, text) {
    var span = document.createElement("span");
    span.className = "cg-mark cg-mark--" + (right ? "right" : "wrong");
    span.textContent = (right ? "✔ " : "✘ ") + text;
    el.appendChild(span);
    el.classList.add(right ? "cg-is-right" : "cg-is-wrong");
  }
  function markAnswer(q, key) {
    clearMarks(q);
    if (key.type === "single" || key.type === "multiple" || key.type === "true_false") {
      q.querySelectorAll(".cg-options label").forEach(function (label) {
        var input = label.querySelector("input");
        var right = key.type === "true_false" ? (input.value === "true") === key.correct
          : key.correct.indexOf(Number(input.value)) >= 0;
        if (input.checked) {
          label.classList.add("cg-chosen");
          addMark(label, right, right ? "Bạn chọn: đúng" : "Bạn chọn: chưa đúng");
        } else if (right) {
          addMark(label, true, "Đáp án đúng");
        }
      });
    } else if (key.type === "cloze") {
      q.querySelectorAll(".cg-blank").forEach(function (input, index) {
        var answers = key.blanks[index] || [];
        var right = answers.some(function (a) { return norm(a) === norm(input.value); });
        var span = document.createElement("span");
        span.className = "cg-mark cg-mark--" + (right ? "right" : "wrong");
        span.textContent = right ? "✔ đúng" : "✘ chưa đúng, đáp án: " + (answers[0] || "");
        input.insertAdjacentElement("afterend", span);
        input.classList.add(right ? "cg-is-right" : "cg-is-wrong");
      });
    } else if (key.type === "ordering") {
      q.querySelectorAll(".cg-step").forEach(function (li, position) {
        var step = Number(li.dataset.step), right = step === position;
        var span = document.createElement("span");
        span.className = "cg-mark cg-mark--" + (right ? "right" : "wrong");
        span.textContent = right ? "✔ đúng vị trí" : "✘ vị trí đúng: " + (step + 1);
        li.querySelector(".cg-step-text").insertAdjacentElement("afterend", span);
        li.classList.add(right ? "cg-is-right" : "cg-is-wrong");
      });
    }
  }

  /* ▲ on the first step and ▼ on the last cannot move: disabled, so they say so. */
  function updateMoves(list) {
    if (!list) return;
    var steps = list.querySelectorAll(".cg-step");
    steps.forEach(function (li, index) {
      li.querySelector(".cg-up").disabled = index === 0;
      li.querySelector(".cg-down").disabled = index === steps.length - 1;
    });
  }

  function summarize(quiz) {
    var course = quiz.dataset.course;
    var questions = quiz.querySelectorAll(".cg-question");
    var answered = 0, correct = 0;
    questions.forEach(function (q) {
      var saved = load(course, q.dataset.qid);
      if (saved) { answered += 1; if (saved.correct) correct += 1; }
    });
    var total = questions.length;
    var summary = quiz.querySelector(".cg-summary");
    if (quiz.dataset.kind === "final") {
      var percent = total ? Math.round((correct / total) * 100) : 0;
      var pass = Number(quiz.dataset.pass);
      var text = "Đã làm " + answered + "/" + total + " câu, đúng " + correct + " câu (" + percent + "%). ";
      if (answered === total) {
        text += percent >= pass ? "Bạn đã đạt yêu cầu (từ " + pass + "%)." : "Chưa đạt: cần từ " + pass + "%; hãy ôn lại và làm lại.";
        save(course, "final", { correct: correct, total: total, percent: percent, passed: percent >= pass, at: Date.now() });
      } else {
        text += "Cần đạt từ " + pass + "% khi làm hết các câu.";
      }
      summary.textContent = text;
    } else {
      summary.textContent = answered ? "Bạn đã trả lời đúng " + correct + "/" + total + " câu của bài này." : "";
    }
  }

  function setupQuestion(quiz, q) {
    var course = q.dataset.course, id = q.dataset.qid, key = keyOf(q);
    var list = q.querySelector(".cg-order");
    var original = list ? Array.prototype.slice.call(list.children) : [];
    var saved = load(course, id);
    if (saved) { applyAnswer(q, key, saved.answer); show(q, saved); markAnswer(q, key); }
    updateMoves(list);
    q.addEventListener("change", function () { clearMarks(q); });

    q.querySelector(".cg-check").addEventListener("click", function () {
      var value = readAnswer(q, key);
      if (!isAnswered(key, value)) {
        q.classList.remove("cg-correct", "cg-wrong");
        q.querySelector(".cg-feedback").textContent = "Hãy chọn hoặc điền câu trả lời trước khi kiểm tra.";
        return;
      }
      var result = grade(key, value);
      save(course, id, { answer: value, correct: result.correct, nearly: !!result.nearly, at: Date.now() });
      show(q, result);
      markAnswer(q, key);
      summarize(quiz);
    });

    q.querySelector(".cg-reset").addEventListener("click", function () {
      forget(course, id);
      q.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (i) { i.checked = false; });
      q.querySelectorAll(".cg-blank").forEach(function (i) { i.value = ""; });
      original.forEach(function (li) { list.appendChild(li); });  // the order first shown
      updateMoves(list);
      clearMarks(q);
      show(q, null);
      summarize(quiz);
    });

    q.querySelectorAll(".cg-up, .cg-down").forEach(function (button) {
      button.addEventListener("click", function () {
        var li = button.closest(".cg-step"), list = li.parentNode;
        var up = button.classList.contains("cg-up");
        var other = up ? li.previousElementSibling : li.nextElementSibling;
        if (!other) return;
        list.insertBefore(li, up ? other : other.nextElementSibling);
        clearMarks(q);
        updateMoves(list);
        (button.disabled ? li.querySelector(up ? ".cg-down" : ".cg-up") : button).focus();
        var position = Array.prototype.indexOf.call(list.children, li) + 1;
        q.querySelector(".cg-feedback").textContent = "Bước đã chuyển tới vị trí " + position + ".";
      });
    });
  }

  function lessonProgress() {
    document.querySelectorAll(".cg-lesson-progress").forEach(function (span) {
      var ids = (span.dataset.questions || "").split(" ").filter(Boolean);
      var done = ids.filter(function (id) { var s = load(span.dataset.course, id); return s && s.correct; }).length;
      span.textContent = ids.length && done ? "(đã đúng " + done + "/" + ids.length + " câu)" : "";
    });
  }

  function init() {
    document.querySelectorAll(".cg-quiz").forEach(function (quiz) {
      quiz.querySelectorAll(".cg-question").forEach(function (q) { setupQuestion(quiz, q); });
      summarize(quiz);
    });
    lessonProgress();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
