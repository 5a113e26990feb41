/* Marks in the page the syllables a learner searched for (the ?h= that search-worker.js puts on result
 * links), by the same rule as the search: a syllable typed without diacritics matches with or without
 * them (đ → d), one typed with diacritics matches that spelling; whole syllables only ("phí" never marks
 * part of "phía"). Replaces Material's highlighter, which marks any substring. Only text nodes are
 * touched; no markup is built from page text. */
(function () {
  "use strict";
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;

  function lower(text) { return String(text).normalize("NFC").toLowerCase(); }
  function fold(text) { return lower(text).replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }

  function queryTerms() {
    var raw = new URLSearchParams(location.search).get("h");
    if (!raw) return [];
    return (lower(raw).match(WORD) || []).map(function (x) { return { x: x, f: fold(x), plain: x === fold(x) }; });
  }

  function matches(q, word) {
    return q.plain ? fold(word) === q.f : lower(word) === q.x;
  }

  function textNodes(root) {
    var found = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest("script, style, mark, .headerlink, .cg-key")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) found.push(node);
    return found;
  }

  function highlight() {
    var terms = queryTerms();
    var root = document.querySelector("article.md-content__inner") || document.querySelector("article");
    if (!terms.length || !root) return;
    textNodes(root).forEach(function (node) {
      var text = node.nodeValue, at = 0, parts = [], match;
      WORD.lastIndex = 0;
      while ((match = WORD.exec(text)) !== null) {
        var word = match[0];
        if (!terms.some(function (q) { return matches(q, word); })) continue;
        if (match.index > at) parts.push(document.createTextNode(text.slice(at, match.index)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = word;
        parts.push(mark);
        at = match.index + word.length;
      }
      if (!parts.length) return;
      if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part) { fragment.appendChild(part); });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", highlight);
  else highlight();
})();
