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
  var docs = [];        // {location, page, title, text, f: folded ids, x: exact ids, t: title length}
  var foldIds = new Map(), exactIds = new Map(), postings = [], lastDoc = [], known = new Map();
  var pages = {};       // page location → doc index of the page itself

  function lower(text) { return String(text).normalize("NFC").toLowerCase(); }
  function fold(text) {
    return lower(text).replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  /* One word's exact (lower-case) and folded forms and their ids; Vietnamese has a few thousand
   * syllables, so each distinct word is normalised once (the index of 1,000 lessons has ~1M words). */
  function word(raw) {
    var seen = known.get(raw);
    if (seen) return seen;
    var x = lower(raw), f = fold(x);
    var fid = foldIds.get(f);
    if (fid === undefined) { fid = foldIds.size; foldIds.set(f, fid); postings.push([]); lastDoc.push(-1); }
    var xid = exactIds.get(x);
    if (xid === undefined) { xid = exactIds.size; exactIds.set(x, xid); }
    seen = { x: x, f: f, fid: fid, xid: xid };
    known.set(raw, seen);
    return seen;
  }
  function tokens(text) {
    var found = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var w = word(match[0]);
      found.push({ s: match.index, e: match.index + match[0].length, x: w.x, f: w.f });
    }
    return found;
  }
  /* Only spaces and hyphens may stand between the syllables of a phrase. */
  function joins(text, from, to) {
    for (var i = from; i < to; i++) {
      var c = text.charCodeAt(i);
      if (c !== 32 && c !== 45 && c !== 160 && c !== 8211 && c !== 9 && c !== 10 && c !== 13) return false;
    }
    return true;
  }
  /* A syllable character: ASCII letters and digits, and any non-ASCII character outside the spaces and
   * punctuation blocks (Vietnamese letters, combining marks). Scanning by char code is several times
   * faster than a Unicode-property regex over a 5 MB index. */
  function isWordChar(c) {
    if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    if (c <= 0xbf) return c === 0xaa || c === 0xb5 || c === 0xba || c === 0xb2 || c === 0xb3 || c === 0xb9;
    if (c === 0xd7 || c === 0xf7) return false;
    return !((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xfe30 && c <= 0xfe4f)
      || (c >= 0xff00 && c <= 0xff0f) || c === 0xfeff);
  }
  function encode(text, f, x) {
    var last = -1, i = 0, n = text.length;
    while (i < n) {
      if (!isWordChar(text.charCodeAt(i))) { i++; continue; }
      var start = i;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      if (last >= 0 && !joins(text, last, start)) { f.push(-1); x.push(-1); }
      var w = word(text.slice(start, i));
      f.push(w.fid);
      x.push(w.xid);
      last = i;
    }
  }

  function setup(data) {
    docs = [];
    pages = {};
    (data.docs || []).forEach(function (doc, index) {
      var location = doc.location || "";
      var page = location.split("#")[0];
      var f = [], x = [];
      encode(doc.title || "", f, x);
      var titleLength = f.length;
      f.push(-1); x.push(-1);
      encode(doc.text || "", f, x);
      docs.push({ location: location, page: page, title: doc.title || "", text: doc.text || "",
                  f: Int32Array.from(f), x: Int32Array.from(x), t: titleLength });
      if (location.indexOf("#") < 0) pages[page] = index;
      for (var i = 0; i < f.length; i++) {
        var fid = f[i];
        if (fid >= 0 && lastDoc[fid] !== index) { lastDoc[fid] = index; postings[fid].push(index); }
      }
    });
  }

  /* The query's syllables, each with the ids it accepts: folded ids when typed without diacritics,
   * exact ids otherwise; the last is completed as a prefix while it matches no whole syllable. */
  function parseQuery(raw) {
    var query = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(String(raw))) !== null) {
      var x = lower(match[0]);
      query.push({ x: x, f: fold(x), plain: x === fold(x) });
    }
    if (!query.length) return null;
    var typing = !/\s$/.test(String(raw));
    query.forEach(function (q, k) {
      var whole = q.plain ? foldIds.get(q.f) : exactIds.get(q.x);
      q.ids = new Set();
      q.folded = new Set();
      if (whole !== undefined) {
        q.ids.add(whole);
        q.folded.add(foldIds.get(q.f));
      } else if (k === query.length - 1 && typing) {
        q.prefix = true;
        (q.plain ? foldIds : exactIds).forEach(function (id, key) { if (key.indexOf(q.plain ? q.f : q.x) === 0) q.ids.add(id); });
        foldIds.forEach(function (id, key) { if (key.indexOf(q.f) === 0) q.folded.add(id); });
      }
    });
    query.forEach(function (q) {  // a lookup table per syllable: one array read per word of a section
      q.table = new Uint8Array(q.plain ? foldIds.size : exactIds.size);
      q.ids.forEach(function (id) { q.table[id] = 1; });
    });
    return query;
  }

  function matches(q, t) {
    if (q.prefix) return q.plain ? t.f.indexOf(q.f) === 0 : t.x.indexOf(q.x) === 0;
    return q.plain ? t.f === q.f : t.x === q.x;
  }

  function candidates(query) {
    var lists = query.map(function (q) {
      if (q.folded.size === 1) return postings[q.folded.values().next().value];
      var union = new Set();
      q.folded.forEach(function (fid) { postings[fid].forEach(function (i) { union.add(i); }); });
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

  /* Counts of each query syllable in the title and the text, and whole-phrase occurrences, from ids. */
  function count(doc, query) {
    var n = query.length, ids = doc.f, xs = doc.x;
    var inTitle = new Array(n).fill(0), inText = new Array(n).fill(0), titlePhrases = 0, textPhrases = 0;
    function hit(q, i) { return q.table[q.plain ? ids[i] : xs[i]] === 1; }
    for (var i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      for (var k = 0; k < n; k++) if (hit(query[k], i)) { if (i < doc.t) inTitle[k] += 1; else inText[k] += 1; }
      if (n > 1 && i + n <= ids.length && hit(query[0], i)) {
        var ok = true;
        for (k = 1; k < n && ok; k++) ok = hit(query[k], i + k);
        if (ok) { if (i < doc.t) titlePhrases += 1; else textPhrases += 1; }
      } else if (n === 1 && hit(query[0], i)) {
        if (i < doc.t) titlePhrases += 1; else textPhrases += 1;
      }
    }
    return { inTitle: inTitle, inText: inText, titlePhrases: titlePhrases, textPhrases: textPhrases };
  }

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
    if (!query || !docs.length) return { items: [] };
    var terms = {};
    query.forEach(function (q) { terms[q.x] = true; });
    var total = docs.length || 1;
    var idf = query.map(function (q) {
      var n = 0;
      q.folded.forEach(function (fid) { n += postings[fid].length; });
      return Math.log(1 + total / (1 + n));
    });
    var scored = [];
    candidates(query).forEach(function (index) {
      var doc = docs[index], c = count(doc, query);
      for (var k = 0; k < query.length; k++) if (!c.inTitle[k] && !c.inText[k]) return;  // diacritics differ
      var tier = c.titlePhrases ? 4 : c.textPhrases ? 3 : 1;
      var relevance = 0;
      for (k = 0; k < query.length; k++) {
        relevance += idf[k] * (2 * Math.min(c.inTitle[k], 1) + Math.log(1 + c.inText[k]));
      }
      relevance += Math.log(1 + c.titlePhrases + c.textPhrases);
      scored.push({ index: index, score: tier * 1000 + Math.min(relevance, 999) });
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
      var title = analyse(doc.title, query), text = analyse(doc.text, query);  // only for what is shown
      group.push({ location: withQuery(doc.location, raw), title: marked(doc.title, title, 0, doc.title.length),
                   text: snippet(doc.text, text), score: item.score, terms: terms });
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
