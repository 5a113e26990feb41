/* coursegen Vietnamese search: a web worker that speaks Material for MkDocs' search-worker protocol
 * (SETUP 0 → READY 1, QUERY 2 → RESULT 3; see Material's integrations/search/worker), so Material's
 * search box, result list and keyboard handling stay, while matching follows Vietnamese rules:
 *  - a query is split into syllables; every syllable must be a whole syllable of the section (no
 *    stemmer, no trimmer: "ký" stays "ký", never `k`);
 *  - a syllable typed without diacritics matches with or without them ("dang ky" finds "đăng ký",
 *    đ → d); a syllable typed with diacritics matches exactly that spelling;
 *  - a section must hold every syllable of the query; sections holding the whole phrase (syllables
 *    adjacent, in order) rank above the others, the title above the text;
 *  - only the last syllable, while it matches no whole syllable yet, is completed as a prefix;
 *  - result links carry ?h=<query> for the page highlighter (search-highlight.js), which marks the
 *    same syllables in the page.
 * The page text arrives as plain text (generator/site/searchindex.py); nothing here builds markup from
 * it without escaping. Works in a real Worker and in the iframe-worker shim used from file://. */
(function () {
  "use strict";
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var GAP = /^[\s\-–]*$/;
  var MAX_GROUPS = 60;
  var docs = [];        // {location, page, title, text}
  var postings = null;  // folded syllable → array of doc indices
  var pages = {};       // page location → doc index of the page itself

  function lower(text) { return String(text).normalize("NFC").toLowerCase(); }
  function fold(text) {
    return lower(text).replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function tokens(text) {
    var found = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      found.push({ s: match.index, e: match.index + match[0].length, x: lower(match[0]), f: fold(match[0]) });
    }
    return found;
  }

  function setup(data) {
    docs = [];
    pages = {};
    postings = new Map();
    (data.docs || []).forEach(function (doc, index) {
      var location = doc.location || "";
      var page = location.split("#")[0];
      docs.push({ location: location, page: page, title: doc.title || "", text: doc.text || "" });
      if (location.indexOf("#") < 0) pages[page] = index;
      var seen = new Set();
      (doc.title + " " + doc.text).replace(WORD, function (word) {
        var key = fold(word);
        if (!seen.has(key)) {
          seen.add(key);
          var list = postings.get(key);
          if (list) list.push(index); else postings.set(key, [index]);
        }
        return word;
      });
    });
  }

  /* The query's syllables; the last may be completed as a prefix while it matches no whole syllable. */
  function parseQuery(raw) {
    var query = tokens(String(raw));
    if (!query.length) return null;
    query.forEach(function (q) { q.plain = q.x === q.f; });
    var last = query[query.length - 1];
    var typing = !/\s$/.test(String(raw));
    if (!postings.has(last.f) && typing) {
      last.prefix = new Set();
      postings.forEach(function (list, key) { if (key.indexOf(last.f) === 0) last.prefix.add(key); });
    }
    return query;
  }

  function matches(q, t) {
    if (q.prefix) return q.prefix.has(t.f) && (q.plain ? true : t.x.indexOf(q.x) === 0);
    return q.plain ? t.f === q.f : t.x === q.x;
  }

  function candidates(query) {
    var lists = query.map(function (q) {
      if (!q.prefix) return postings.get(q.f) || [];
      var union = new Set();
      q.prefix.forEach(function (key) { postings.get(key).forEach(function (i) { union.add(i); }); });
      return Array.from(union);
    });
    lists.sort(function (a, b) { return a.length - b.length; });
    var result = new Set(lists[0]);
    for (var n = 1; n < lists.length && result.size; n++) {
      var next = new Set(lists[n]);
      result.forEach(function (i) { if (!next.has(i)) result.delete(i); });
    }
    return Array.from(result);
  }

  /* Where the query's syllables are in one field: per token, the index of the query syllable it matches
   * (or -1), and the start tokens of whole-phrase occurrences. */
  function analyse(text, query) {
    var toks = tokens(text), hit = [], phrases = [], count = query.map(function () { return 0; });
    toks.forEach(function (t, i) {
      hit[i] = -1;
      for (var k = 0; k < query.length; k++) {
        if (matches(query[k], t)) { hit[i] = k; count[k] += 1; break; }
      }
    });
    for (var i = 0; i + query.length <= toks.length; i++) {
      var ok = true;
      for (var k = 0; k < query.length && ok; k++) {
        var t = toks[i + k];
        ok = matches(query[k], t) && (k === 0 || GAP.test(text.slice(toks[i + k - 1].e, t.s)));
      }
      if (ok) phrases.push(i);
    }
    // a syllable can match two query syllables ("hồ sơ hồ"): count it for each it matches
    toks.forEach(function (t, i) {
      if (hit[i] < 0) return;
      for (var k = hit[i] + 1; k < query.length; k++) if (matches(query[k], t)) count[k] += 1;
    });
    return { toks: toks, hit: hit, phrases: phrases, count: count };
  }

  /* Escaped text with <mark> around the matched syllables (adjacent ones joined), from `start` to `end`. */
  function marked(text, info, start, end) {
    var out = "", at = start, open = -1;
    info.toks.forEach(function (t, i) {
      if (info.hit[i] < 0 || t.s < start || t.e > end) return;
      if (open >= 0 && GAP.test(text.slice(at, t.s))) { at = t.e; return; }  // extend the open mark
      if (open >= 0) out += "<mark>" + escapeHtml(text.slice(open, at)) + "</mark>";
      out += escapeHtml(text.slice(at, t.s));
      open = t.s;
      at = t.e;
    });
    if (open >= 0) out += "<mark>" + escapeHtml(text.slice(open, at)) + "</mark>";
    return out + escapeHtml(text.slice(at, end));
  }

  function snippet(text, info) {
    if (!text) return "";
    var first = info.phrases.length ? info.toks[info.phrases[0]] : null;
    if (!first) for (var i = 0; i < info.toks.length; i++) if (info.hit[i] >= 0) { first = info.toks[i]; break; }
    var start = 0;
    if (first && first.s > 60) {
      start = text.lastIndexOf(" ", first.s - 50);
      start = start < 0 ? 0 : start + 1;
    }
    var end = Math.min(text.length, start + 260);
    if (end < text.length) { var cut = text.lastIndexOf(" ", end); if (cut > start) end = cut; }
    return "<p>" + (start > 0 ? "… " : "") + marked(text, info, start, end) + (end < text.length ? " …" : "") + "</p>";
  }

  function withQuery(location, raw) {
    var parts = location.split("#");
    var h = "h=" + encodeURIComponent(String(raw).trim().replace(/\s+/g, " ")).replace(/%20/g, "+");
    return parts[0] + (parts[0].indexOf("?") < 0 ? "?" : "&") + h + (parts.length > 1 ? "#" + parts[1] : "");
  }

  function search(raw) {
    var query = parseQuery(raw);
    if (!query || !postings) return { items: [] };
    var terms = {};
    query.forEach(function (q) { terms[q.x] = true; });
    var total = docs.length || 1;
    var idf = query.map(function (q) {
      var n = q.prefix ? q.prefix.size : (postings.get(q.f) || []).length;
      return Math.log(1 + total / (1 + n));
    });
    var scored = [];
    candidates(query).forEach(function (index) {
      var doc = docs[index];
      var title = analyse(doc.title, query), text = analyse(doc.text, query);
      for (var k = 0; k < query.length; k++) if (!title.count[k] && !text.count[k]) return;  // diacritics differ
      var tier = title.phrases.length ? 4 : text.phrases.length ? 3 : 1;
      var relevance = 0;
      for (k = 0; k < query.length; k++) {
        relevance += idf[k] * (2 * Math.min(title.count[k], 1) + Math.log(1 + text.count[k]));
      }
      relevance += Math.log(1 + title.phrases.length + text.phrases.length);
      scored.push({
        index: index,
        score: tier * 1000 + Math.min(relevance, 999),
        title: marked(doc.title, title, 0, doc.title.length) || escapeHtml(doc.title),
        text: snippet(doc.text, text)
      });
    });
    scored.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    var groups = new Map();
    scored.forEach(function (item) {
      var doc = docs[item.index];
      var group = groups.get(doc.page);
      if (!group) {
        if (groups.size >= MAX_GROUPS) return;
        groups.set(doc.page, group = []);
      }
      group.push({ location: withQuery(doc.location, raw), title: item.title, text: item.text, score: item.score, terms: terms });
    });
    groups.forEach(function (group, page) {
      if (pages[page] === undefined || group.some(function (item) { return item.location.split("#").length === 1; })) return;
      var article = docs[pages[page]];
      group.push({ location: withQuery(article.location, raw), title: escapeHtml(article.title), text: "", score: 0, terms: {} });
    });
    return { items: Array.from(groups.values()) };
  }

  addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === 0) {
      setup(message.data || {});
      postMessage({ type: 1 });
    } else if (message.type === 2) {
      var result;
      try { result = search(message.data); } catch (err) { result = { items: [] }; }
      postMessage({ type: 3, data: result });
    }
  });
  self.coursegenSearch = { setup: setup, search: search, fold: fold };  // for tests and benchmarks
})();
