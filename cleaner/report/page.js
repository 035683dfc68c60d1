// Review page for cleaner's rules. Runs from file:// with no server.
// SECURITY: all document text is hostile. DOM is built with createElement + text nodes
// only (the el() helper); innerHTML/insertAdjacentHTML/document.write are never used.
"use strict";
(function () {
  const INDEX = JSON.parse(document.getElementById("report-index").textContent);
  const app = document.getElementById("app");
  const PAGE_SIZE = 50;
  // Index rows are arrays to keep the inline index small; these name the columns.
  const SOURCE = 0, TITLE = 1, SITE = 2, LANG = 3, ORIG = 4, KEPT = 5, PIECES = 6,
    PROSE = 7, FLAG = 8;
  const DOCS = INDEX.docs;
  const RULES = INDEX.rules.map((r, i) => Object.assign({ index: i }, r));
  const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));

  // ---------- DOM helpers (text only, never HTML) ----------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "style") for (const [p, val] of Object.entries(v)) node.style.setProperty(p, val);
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, String(v));
      }
    }
    append(node, children);
    return node;
  }
  function append(node, ...children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  const num = (n) => Number(n).toLocaleString("en-US");
  const pct = (x) => (x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1) + "%";
  const share = (orig, kept) => (orig ? 1 - kept / orig : 0);
  const pad = (n) => String(n).padStart(4, "0");
  const docHref = (n, p) => "#doc=" + n + (p !== undefined && p >= 0 ? "&p=" + p : "");
  const ruleHref = (id) => "#rule=" + encodeURIComponent(id);

  // Kinds are free-form strings from the rule files; known ones get fixed colours,
  // others a stable colour from the palette. A Map avoids prototype keys ("constructor").
  const KIND_COLORS = new Map([
    ["drop", "#d6336c"], ["trailer", "#e8590c"], ["header", "#9c36b5"],
    ["replace", "#4263eb"], ["step", "#0b7285"], ["classifier", "#2b8a3e"],
  ]);
  const PALETTE = ["#c2255c", "#d9480f", "#5f3dc4", "#1864ab", "#087f5b", "#5c940d",
    "#e67700", "#862e9c", "#364fc7", "#a61e4d"];
  function kindColor(kind) {
    if (KIND_COLORS.has(kind)) return KIND_COLORS.get(kind);
    let h = 0;
    for (const ch of String(kind)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }
  function kindBadge(kind) {
    return el("span", { class: "kind", style: { "--k": kindColor(kind) } }, kind || "—");
  }
  function flagBadge(flag) {
    if (flag === "empty") return el("span", { class: "flag empty", title: "Output is empty" }, "empty");
    if (flag === "half") return el("span", { class: "flag half", title: "Lost more than half its text" }, "lost > 50%");
    return null;
  }
  function bar(fraction, color) {
    const w = Math.max(0, Math.min(1, fraction)) * 100;
    return el("span", { class: "bar" }, el("span", { style: { width: w + "%", background: color || "" } }));
  }

  // ---------- data files, loaded on demand by script elements (fetch of file:// is blocked) ----------
  const cache = new Map();
  const waiting = new Map();
  const CACHE_MAX = 300;
  window.__reportLoad = function (key, data) {
    cache.set(key, data);
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
    const w = waiting.get(key);
    if (w) {
      waiting.delete(key);
      w.forEach((f) => f.resolve(data));
    }
  };
  function load(key, path) {
    if (cache.has(key)) return Promise.resolve(cache.get(key));
    return new Promise((resolve, reject) => {
      const pending = waiting.get(key);
      if (pending) { pending.push({ resolve, reject }); return; }
      waiting.set(key, [{ resolve, reject }]);
      const s = document.createElement("script");
      s.src = path;
      s.onload = () => s.remove();
      s.onerror = () => {
        s.remove();
        const w = waiting.get(key) || [];
        waiting.delete(key);
        w.forEach((f) => f.reject(new Error("Cannot load " + path + " (is the _report folder next to report.html?)")));
      };
      document.head.appendChild(s);
    });
  }
  const loadDoc = (n) => load("d" + n, "_report/docs/" + pad(n) + ".js");
  const loadRuleChunk = (rule, c) => load("r" + rule.index + "-" + c,
    "_report/rules/" + pad(rule.index) + "-" + pad(c) + ".js");

  // ---------- routing ----------
  let routeSeq = 0;
  function parseHash() {
    const h = location.hash.replace(/^#/, "");
    const params = new URLSearchParams(h);
    if (h.startsWith("doc=")) return { view: "doc", n: Number(params.get("doc")), p: params.has("p") ? Number(params.get("p")) : -1 };
    if (h.startsWith("rule=")) return { view: "rule", id: params.get("rule") };
    if (h.startsWith("docs")) return { view: "docs" };
    return { view: "overview" };
  }
  function route() {
    const seq = ++routeSeq;
    const r = parseHash();
    clear(app);
    document.querySelectorAll("header nav a").forEach((a) => a.classList.toggle("active",
      (r.view === "overview" && a.getAttribute("href") === "#") || (r.view === "docs" && a.getAttribute("href") === "#docs")));
    if (r.view === "doc") renderDoc(r.n, r.p, seq);
    else if (r.view === "rule") renderRule(r.id, seq);
    else if (r.view === "docs") renderDocs();
    else renderOverview();
    if (r.view !== "doc" || r.p < 0) window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);

  function card(label, value, sub, cls) {
    return el("div", { class: "card" + (cls ? " " + cls : "") },
      el("div", { class: "card-label" }, label), el("div", { class: "card-value" }, value),
      sub ? el("div", { class: "card-sub" }, sub) : null);
  }

  // ---------- overview ----------
  const ruleSort = { key: "hits", dir: -1 };
  function renderOverview() {
    const removed = INDEX.original_chars - INDEX.kept_chars;
    const empty = DOCS.filter((d) => d[FLAG] === "empty").length;
    const half = DOCS.filter((d) => d[FLAG] === "half").length;
    const fired = RULES.filter((r) => r.hits > 0).length;
    append(app, [
      el("h1", null, "Review report"),
      el("p", { class: "lead" }, "What every rule removed across " + num(INDEX.documents) +
        " documents. Click a rule to see its pieces, a document to see them in place."),
      el("div", { class: "cards" },
        card("Documents", num(INDEX.documents)),
        card("Text removed", pct(share(INDEX.original_chars, INDEX.kept_chars)),
          num(removed) + " of " + num(INDEX.original_chars) + " chars"),
        card("Empty output", num(empty), "check first", empty ? "warn" : ""),
        card("Lost > 50%", num(half), "check first", half ? "warn" : ""),
        card("Rules fired", num(fired) + " / " + num(RULES.length),
          num(RULES.length - fired) + " never fired")),
    ]);
    renderCheckFirst();
    const rulesBox = el("section", { id: "rules" });
    append(app, rulesBox);
    renderRuleTable(rulesBox);
  }

  function renderCheckFirst() {
    const flagged = [];
    DOCS.forEach((d, n) => { if (d[FLAG]) flagged.push(n); });
    // Empty outputs first, then by share lost.
    flagged.sort((a, b) => (DOCS[a][FLAG] === "empty" ? 0 : 1) - (DOCS[b][FLAG] === "empty" ? 0 : 1) ||
      share(DOCS[b][ORIG], DOCS[b][KEPT]) - share(DOCS[a][ORIG], DOCS[a][KEPT]) || a - b);
    const section = el("section", { id: "check-first" },
      el("h2", null, "Check first ", el("span", { class: "count" }, num(flagged.length))));
    if (!flagged.length) {
      append(section, el("p", { class: "muted" }, "No document is empty or lost more than half of its text."));
    } else {
      const shown = flagged.slice(0, 10);
      append(section, docTable(shown));
      if (flagged.length > shown.length) {
        append(section, el("p", null, el("a", { href: "#docs", onclick: () => { docState.flag = "flagged"; docState.page = 0; } },
          "All " + num(flagged.length) + " flagged documents →")));
      }
    }
    append(app, section);
  }

  const RULE_COLUMNS = [
    ["id", "Rule", "text"], ["kind", "Kind", "text"], ["where", "Where", "text"],
    ["hits", "Hits", "num"], ["docs", "Docs", "num"], ["chars", "Chars removed", "num"],
    ["prose", "Looks like text", "num"],
  ];
  function renderRuleTable(box) {
    clear(box);
    const fired = RULES.filter((r) => r.hits > 0).length;
    const rows = RULES.slice().sort((a, b) => {
      const k = ruleSort.key;
      const va = a[k], vb = b[k];
      const c = typeof va === "number" ? va - vb : String(va).localeCompare(String(vb));
      return c * ruleSort.dir || a.index - b.index;
    });
    const maxChars = Math.max(1, ...RULES.map((r) => r.chars));
    const head = el("tr", null, RULE_COLUMNS.map(([key, label, type]) =>
      el("th", {
        class: "sortable " + type + (ruleSort.key === key ? " sorted" : ""),
        title: "Sort by " + label.toLowerCase(),
        onclick: () => {
          ruleSort.dir = ruleSort.key === key ? -ruleSort.dir : (type === "num" ? -1 : 1);
          ruleSort.key = key;
          renderRuleTable(box);
        },
      }, label, ruleSort.key === key ? (ruleSort.dir < 0 ? " ▾" : " ▴") : "")));
    const body = el("tbody", null, rows.map((r) => el("tr", {
      class: "rule-row" + (r.hits ? "" : " never"),
      "data-rule": r.id,
      onclick: (e) => { if (e.target.tagName !== "A") location.hash = ruleHref(r.id); },
    },
      el("td", { class: "rule-id" }, el("a", { href: ruleHref(r.id) }, r.id),
        r.listed ? null : el("span", { class: "tag subtle", title: "Built-in step, not in the rule files" }, "built-in")),
      el("td", null, kindBadge(r.kind)),
      el("td", { class: "where" }, r.where),
      el("td", { class: "num" }, r.hits ? num(r.hits) : el("span", { class: "never-label" }, "never fired")),
      el("td", { class: "num" }, num(r.docs)),
      el("td", { class: "num chars" }, num(r.chars), bar(r.chars / maxChars, kindColor(r.kind))),
      el("td", { class: "num" }, r.prose ? el("span", { class: "warn-text", title: "Removed pieces that look like article text (long prose)" }, "⚠ " + num(r.prose)) : "")
    )));
    append(box, [
      el("h2", null, "Rules ", el("span", { class: "count" }, num(fired) + " fired · " + num(RULES.length - fired) + " never fired")),
      el("table", { class: "rules" }, el("thead", null, head), body),
    ]);
  }

  // ---------- documents table ----------
  const docState = { q: "", flag: "all", sort: "order", page: 0 };
  function docTable(ns) {
    return el("table", { class: "docs" },
      el("thead", null, el("tr", null,
        el("th", { class: "num" }, "#"), el("th", null, "Source"), el("th", null, "Title"),
        el("th", null, "Lang"), el("th", { class: "num" }, "Chars kept"), el("th", { class: "num" }, "Removed"),
        el("th", { class: "num" }, "Pieces"), el("th", null, ""))),
      el("tbody", null, ns.map((n) => {
        const d = DOCS[n];
        const s = share(d[ORIG], d[KEPT]);
        return el("tr", { class: "doc-row", "data-doc": n, onclick: (e) => { if (e.target.tagName !== "A") location.hash = docHref(n); } },
          el("td", { class: "num muted" }, n + 1),
          el("td", { class: "source" }, el("a", { href: docHref(n) }, d[SOURCE])),
          el("td", { class: "title-cell" }, d[TITLE] || el("span", { class: "muted" }, "—")),
          el("td", null, d[LANG] || ""),
          el("td", { class: "num" }, num(d[KEPT]) + " / " + num(d[ORIG])),
          el("td", { class: "num chars" }, pct(s), bar(s, s > 0.5 ? "#e03131" : "#868e96")),
          el("td", { class: "num" }, num(d[PIECES]),
            d[PROSE] ? el("span", { class: "warn-text", title: "Removed pieces that look like article text" }, " ⚠") : ""),
          el("td", null, flagBadge(d[FLAG])));
      })));
  }

  function renderDocs() {
    const search = el("input", { type: "search", placeholder: "Filter by source, title or site", value: docState.q });
    const flagSel = el("select", null,
      [["all", "All documents"], ["flagged", "Check first (empty or lost > 50%)"], ["empty", "Empty output"],
        ["half", "Lost > 50%"], ["prose", "Removed text that looks like article text"]]
        .map(([v, l]) => el("option", { value: v, selected: docState.flag === v }, l)));
    const sortSel = el("select", null,
      [["order", "Corpus order"], ["removed", "Most removed first"], ["pieces", "Most pieces first"], ["source", "Source A–Z"]]
        .map(([v, l]) => el("option", { value: v, selected: docState.sort === v }, l)));
    const box = el("div");
    const update = () => {
      docState.q = search.value;
      docState.flag = flagSel.value;
      docState.sort = sortSel.value;
      renderDocPage(box);
    };
    search.addEventListener("input", () => { docState.page = 0; update(); });
    flagSel.addEventListener("change", () => { docState.page = 0; update(); });
    sortSel.addEventListener("change", () => { docState.page = 0; update(); });
    append(app, [el("h1", null, "Documents"), el("div", { class: "toolbar" }, search, flagSel, sortSel), box]);
    renderDocPage(box);
  }

  function renderDocPage(box) {
    clear(box);
    const q = docState.q.trim().toLowerCase();
    let ns = [];
    DOCS.forEach((d, n) => {
      if (docState.flag === "flagged" && !d[FLAG]) return;
      if ((docState.flag === "empty" || docState.flag === "half") && d[FLAG] !== docState.flag) return;
      if (docState.flag === "prose" && !d[PROSE]) return;
      if (q && ![d[SOURCE], d[TITLE], d[SITE]].some((v) => v && String(v).toLowerCase().includes(q))) return;
      ns.push(n);
    });
    if (docState.sort === "removed") ns.sort((a, b) => share(DOCS[b][ORIG], DOCS[b][KEPT]) - share(DOCS[a][ORIG], DOCS[a][KEPT]) || a - b);
    else if (docState.sort === "pieces") ns.sort((a, b) => DOCS[b][PIECES] - DOCS[a][PIECES] || a - b);
    else if (docState.sort === "source") ns.sort((a, b) => String(DOCS[a][SOURCE]).localeCompare(String(DOCS[b][SOURCE])));
    const pages = Math.max(1, Math.ceil(ns.length / PAGE_SIZE));
    docState.page = Math.min(docState.page, pages - 1);
    const start = docState.page * PAGE_SIZE;
    const go = (p) => { docState.page = p; renderDocPage(box); };
    const pager = el("div", { class: "pager" },
      el("button", { disabled: docState.page === 0, onclick: () => go(docState.page - 1) }, "← Previous"),
      el("span", null, ns.length ? num(start + 1) + "–" + num(Math.min(ns.length, start + PAGE_SIZE)) + " of " + num(ns.length) : "No documents match"),
      el("button", { disabled: docState.page >= pages - 1, onclick: () => go(docState.page + 1) }, "Next →"));
    append(box, [docTable(ns.slice(start, start + PAGE_SIZE)), pager]);
  }

  // ---------- rule view ----------
  function renderRule(id, seq) {
    const rule = RULE_BY_ID.get(id);
    append(app, el("p", { class: "crumbs" }, el("a", { href: "#" }, "← Overview")));
    if (!rule) {
      append(app, el("p", { class: "error" }, "No rule with this id in the report."));
      return;
    }
    append(app, [
      el("h1", { class: "rule-title" }, el("code", null, rule.id), " ", kindBadge(rule.kind),
        rule.listed ? null : el("span", { class: "tag subtle" }, "built-in")),
      el("p", { class: "where-line" }, rule.where),
      el("div", { class: "cards" },
        card("Hits", num(rule.hits)), card("Documents", num(rule.docs)),
        card("Chars removed", num(rule.chars)),
        card("Look like article text", num(rule.prose), "long prose pieces", rule.prose ? "warn" : "")),
    ]);
    if (!rule.hits) {
      append(app, el("p", { class: "muted never-msg" }, "This rule never fired on this corpus."));
      return;
    }
    const list = el("ol", { class: "pieces" });
    const more = el("div", { class: "pager" });
    append(app, [el("h2", null, "Removed pieces"), list, more]);
    let next = 0, shown = 0;
    const loadNext = () => {
      clear(more);
      append(more, el("span", { class: "muted" }, "Loading…"));
      loadRuleChunk(rule, next).then((rows) => {
        if (seq !== routeSeq) return;
        next += 1;
        rows.forEach((row) => {
          shown += 1;
          // Consecutive pieces of one document share one card: a trailer rule takes many.
          const last = list.lastElementChild;
          if (last && last.dataset.doc === String(row[0])) append(last, pieceBox(rule, row));
          else append(list, pieceItem(rule, row));
        });
        clear(more);
        append(more, el("span", { class: "muted" }, "Showing " + num(shown) + " of " + num(rule.hits) + " pieces"));
        if (next < rule.chunks) append(more, el("button", { onclick: loadNext }, "Load more"));
      }, (err) => { clear(more); append(more, el("p", { class: "error" }, err.message)); });
    };
    loadNext();
  }

  function pieceItem(rule, row) {
    const n = row[0];
    const d = DOCS[n] || [];
    return el("li", { class: "piece", "data-doc": n },
      el("div", { class: "piece-doc" },
        el("a", { href: docHref(n, row[1]) }, d[SOURCE]),
        d[TITLE] ? el("span", { class: "muted" }, " — " + d[TITLE]) : null),
      pieceBox(rule, row));
  }

  function pieceBox(rule, row) {
    const [, para, text, prose] = row;
    return el("div", { class: "removed-box piece-text", style: { "--k": kindColor(rule.kind) } },
      el("del", null, text),
      para < 0 ? el("span", { class: "tag subtle", title: "Cut from inside a paragraph (a replacement)" }, "inside paragraph") : null,
      prose ? el("span", { class: "tag warn-tag", title: "Long prose: may be article text" }, "⚠ looks like article text") : null);
  }

  // ---------- document view ----------
  function renderDoc(n, focus, seq) {
    const entry = DOCS[n];
    const nav = el("p", { class: "crumbs" }, el("a", { href: "#" }, "← Overview"),
      el("span", { class: "spacer" }),
      n > 0 ? el("a", { href: docHref(n - 1), class: "prev" }, "← Previous") : null,
      el("span", { class: "muted" }, " Document " + num(n + 1) + " of " + num(DOCS.length) + " "),
      n + 1 < DOCS.length ? el("a", { href: docHref(n + 1), class: "next" }, "Next →") : null);
    append(app, nav);
    if (!entry) {
      append(app, el("p", { class: "error" }, "No such document."));
      return;
    }
    const body = el("div", { class: "doc-body" }, el("p", { class: "muted" }, "Loading…"));
    append(app, body);
    loadDoc(n).then((doc) => {
      if (seq !== routeSeq) return;
      clear(body);
      drawDoc(body, doc, entry, focus);
    }, (err) => { clear(body); append(body, el("p", { class: "error" }, err.message)); });
  }

  function metaRow(label, value) {
    return [el("dt", null, label), el("dd", null, value ? String(value) : el("span", { class: "muted" }, "not found"))];
  }

  function removedLabel(piece) {
    return el("span", { class: "rm-label", title: "Removed by " + piece.rule + " (" + (piece.kind || "?") + ") at " + piece.where },
      el("a", { href: ruleHref(piece.rule) }, piece.rule), el("span", { class: "where" }, piece.where));
  }

  function drawDoc(body, doc, entry, focus) {
    const s = share(doc.original_chars, doc.kept_chars);
    const kinds = new Map();
    doc.paragraphs.forEach((p) => { if (p.dropped) kinds.set(p.dropped.kind, true); });
    doc.inline_removed.forEach((p) => kinds.set(p.kind, true));

    const article = el("article", { class: "article" });
    let list = null;
    doc.paragraphs.forEach((p, i) => {
      let node;
      if (p.is_title && !p.dropped) {
        node = el("div", { class: "para title-para" }, el("span", { class: "tag subtle" }, "title → metadata"), el("span", null, p.text));
      } else if (p.dropped) {
        node = el("div", { class: "para removed-box", style: { "--k": kindColor(p.dropped.kind) } },
          el("del", null, p.text), removedLabel(p.dropped));
      } else {
        node = el("div", { class: "para kept" }, p.text);
      }
      node.id = "p" + i;
      if (p.score !== undefined) node.title = "classifier score " + p.score;
      if (p.kind === "li") {
        if (!list) { list = el("ul", { class: "items" }); append(article, list); }
        append(list, el("li", null, node));
      } else {
        list = null;
        append(article, node);
      }
      if (i === focus) node.classList.add("focus");
    });
    if (!doc.paragraphs.length) append(article, el("p", { class: "muted" }, "This document has no paragraphs."));
    if (!doc.kept_chars) append(article, el("p", { class: "flag-note" }, "Nothing was kept: the output is empty."));

    const side = el("aside", { class: "side" });
    append(side, el("h3", null, "Removed inside paragraphs ", el("span", { class: "count" }, num(doc.inline_removed.length))));
    if (doc.inline_removed.length) {
      append(side, el("ul", { class: "inline-removed" }, doc.inline_removed.map((p) =>
        el("li", { class: "removed-box", style: { "--k": kindColor(p.kind) } }, el("del", null, p.text), removedLabel(p)))));
    } else {
      append(side, el("p", { class: "muted" }, "None."));
    }
    const perRule = new Map();
    const countPiece = (p) => perRule.set(p.rule, (perRule.get(p.rule) || 0) + 1);
    doc.paragraphs.forEach((p) => { if (p.dropped) countPiece(p.dropped); });
    doc.inline_removed.forEach(countPiece);
    append(side, el("h3", null, "Rules that fired here"));
    append(side, perRule.size ? el("ul", { class: "rule-counts" }, Array.from(perRule, ([id, c]) =>
      el("li", null, el("a", { href: ruleHref(id) }, id), el("span", { class: "muted" }, " × " + c)))) :
      el("p", { class: "muted" }, "None."));
    if (doc.warnings && doc.warnings.length) {
      append(side, [el("h3", null, "Warnings"), el("ul", null, doc.warnings.map((w) => el("li", null, w)))]);
    }

    append(body, [
      el("h1", { class: "doc-title" }, doc.title || doc.source, " ", flagBadge(entry[FLAG])),
      el("dl", { class: "meta" },
        metaRow("Source", doc.source), metaRow("Title", doc.title), metaRow("Date", doc.date),
        metaRow("Author", doc.author), metaRow("Language", doc.language), metaRow("Site", doc.site),
        doc.url ? metaRow("URL", doc.url) : null),
      el("div", { class: "cards small" },
        card("Kept", num(doc.kept_chars) + " chars"), card("Removed", pct(s), num(doc.original_chars - doc.kept_chars) + " chars", s > 0.5 ? "warn" : ""),
        card("Pieces", num(entry[PIECES]))),
      el("div", { class: "legend" }, el("span", { class: "legend-item kept-swatch" }, "kept"),
        Array.from(kinds.keys(), (k) => el("span", { class: "legend-item", style: { "--k": kindColor(k) } }, el("del", null, "removed"), " " + (k || "?")))),
      el("div", { class: "doc-grid" }, article, side),
    ]);
    if (focus >= 0) {
      const target = document.getElementById("p" + focus);
      if (target) target.scrollIntoView({ block: "center" });
    }
  }

  // Arrow keys step through documents in the document view.
  document.addEventListener("keydown", (e) => {
    if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "SELECT")) return;
    const r = parseHash();
    if (r.view !== "doc") return;
    if (e.key === "ArrowRight" && r.n + 1 < DOCS.length) location.hash = docHref(r.n + 1);
    if (e.key === "ArrowLeft" && r.n > 0) location.hash = docHref(r.n - 1);
  });

  route();
})();
