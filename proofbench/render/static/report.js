/* proofbench report: draws the text views from the embedded JSON, on demand.
 * Witness text only ever reaches the page through textContent / text nodes, never innerHTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("pb-data").textContent);
  var items = D.items;
  var TARGET = D.target;
  var LIST_CHUNK = 200;
  /* Review decisions, as a short sign in the class tag (the entry spells them out). */
  var DECIDED = { accepted: "\u2713", corrected: "\u270e", rejected: "\u2717", dismissed: "\u2717",
    proposed: "?", deferred: "\u2026" };

  var state = {
    view: "reading",
    page: 0,
    cur: -1,
    classes: new Set(Object.keys(D.classes)),
    wit: "",
    sus: "",
    listShown: LIST_CHUNK
  };

  function $(id) { return document.getElementById(id); }
  /* The URL fragment of an item: its id, with a "v-" in front unless it has one already. */
  function hashOf(it) { return "#" + (it.id.indexOf("v-") === 0 ? "" : "v-") + it.id; }

  /* Build an element: attrs are set as attributes (class via className), children appended as
   * nodes or text nodes. */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else e.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  items.forEach(function (it, i) {
    it.i = i;
    it.suspect = it.sus.indexOf(TARGET) >= 0;
  });
  var byId = new Map(items.map(function (it) { return [it.id, it.i]; }));
  /* Navigation order: where the item stands in the target's text. */
  var order = items.map(function (it) { return it.i; }).sort(function (a, b) {
    var pa = items[a].page || 0, pb = items[b].page || 0;
    return pa - pb || items[a].at - items[b].at || a - b;
  });
  var visible = order.slice();

  function passes(it) {
    if (!state.classes.has(it.cls)) return false;
    if (state.sus === "yes" && !it.suspect) return false;
    if (state.sus === "no" && it.suspect) return false;
    if (state.wit) {
      if (state.wit === TARGET) {
        if (!it.suspect) return false;
      } else if ((it.r[state.wit] || "") === (it.r[TARGET] || "")) return false;
    }
    return true;
  }

  function narrow() { return window.matchMedia("(max-width: 1000px)").matches; }
  function classLabel(cls) { return D.classes[cls] ? D.classes[cls].label : cls; }
  function classAbbr(cls) { return D.classes[cls] ? D.classes[cls].abbr : cls; }

  /* ---- text views ------------------------------------------------------------------------ */

  function mark(k, text) {
    var it = items[k];
    var empty = text === "";
    var desc = classLabel(it.cls) + (it.suspect ? ", suspect" : "") + (it.dec ? ", " + it.dec : "") +
      (empty ? ": nothing here; other witnesses read " + otherReading(it) : "");
    var a = el("a", {
      href: hashOf(it),
      "class": "m c-" + it.cls + (it.suspect ? " sus" : "") + (empty ? " ins" : "") +
        (it.kind === "flag" ? " flag" : "") + (passes(it) ? "" : " off") +
        (it.dec ? " dec dec-" + it.dec : "") +
        (k === state.cur ? " cur" : ""),
      "data-i": k,
      tabindex: k === state.cur ? 0 : -1,
      title: desc
    }, empty ? "\u2038" : text);
    a.appendChild(el("sup", { "class": "tag" }, classAbbr(it.cls) + (it.suspect ? "!" : "") +
      (it.dec ? " " + (DECIDED[it.dec] || it.dec) : "")));
    if (empty) a.setAttribute("aria-label", desc);
    return a;
  }

  function otherReading(it) {
    var seen = [];
    Object.keys(it.r).forEach(function (s) {
      if (it.r[s] && seen.indexOf(it.r[s]) < 0) seen.push(it.r[s]);
    });
    return seen.length ? "\u201c" + seen.join("\u201d / \u201c") + "\u201d" : "nothing";
  }

  function fill(node, pieces) {
    for (var i = 0; i < pieces.length; i++) {
      var p = pieces[i];
      if (typeof p === "string") node.appendChild(document.createTextNode(p));
      else node.appendChild(mark(p[0], p[1]));
    }
    return node;
  }

  function renderReading() {
    var root = $("reading");
    root.textContent = "";
    var page = D.pages[state.page];
    var frag = document.createDocumentFragment();
    page.blocks.forEach(function (b) {
      var kind = b[0];
      var tag = kind === "heading" ? "h3" : kind === "quote" ? "blockquote" : "p";
      frag.appendChild(fill(el(tag, { "class": "blk blk-" + kind }), b[1]));
    });
    root.appendChild(frag);
  }

  function renderParallel() {
    var body = $("parallel").tBodies[0];
    body.textContent = "";
    var page = D.pages[state.page];
    var frag = document.createDocumentFragment();
    page.blocks.forEach(function (b, r) {
      var tr = el("tr");
      D.sigla.forEach(function (s) {
        var pieces = s === TARGET ? b[1] : (page.cells[r][s] || []);
        tr.appendChild(fill(el("td", { "class": s === TARGET ? "is-target" : null, lang: "en" }), pieces));
      });
      frag.appendChild(tr);
    });
    body.appendChild(frag);
  }

  function renderList() {
    var body = $("list").tBodies[0];
    body.textContent = "";
    var frag = document.createDocumentFragment();
    var n = Math.min(visible.length, state.listShown);
    for (var j = 0; j < n; j++) {
      var it = items[visible[j]];
      var tr = el("tr", { "data-i": it.i, "class": (it.suspect ? "sus-row" : "") + (it.i === state.cur ? " cur" : "") });
      tr.appendChild(el("td", null, el("a", { href: hashOf(it), "data-i": it.i }, String(j + 1))));
      tr.appendChild(el("td", null, el("span", { "class": "pill c-" + it.cls }, classLabel(it.cls))));
      D.sigla.forEach(function (s) {
        var r = it.r[s];
        var td = el("td", { "class": "wtext" + (it.sus.indexOf(s) >= 0 ? " bad" : "") });
        if (r === undefined || r === "") td.appendChild(el("span", { "class": "absent" }, "(absent)"));
        else td.appendChild(document.createTextNode(r));
        if (it.sus.indexOf(s) >= 0) td.appendChild(el("span", { "class": "flag-word" }, " suspect"));
        tr.appendChild(td);
      });
      tr.appendChild(el("td", { "class": "wtext" }, it.sug === null ? "\u2013" : (it.sug || "(nothing)")));
      tr.appendChild(el("td", { "class": "num" }, Math.round(it.conf * 100) + "%"));
      frag.appendChild(tr);
    }
    body.appendChild(frag);
    $("list-more").hidden = visible.length <= state.listShown;
  }

  /* Two witnesses side by side, each in its own scrolling pane, kept at the same place. */
  function renderPair() {
    var page = D.pages[state.page];
    [["pane-a", $("pair-a").value], ["pane-b", $("pair-b").value]].forEach(function (pane) {
      var root = $(pane[0]), s = pane[1];
      root.textContent = "";
      root.setAttribute("aria-label", s + ": " + D.witnesses[s].label);
      var frag = document.createDocumentFragment();
      frag.appendChild(el("p", { "class": "pane-h" }, el("span", { "class": "sig" }, s), " " + D.witnesses[s].kind +
        (s === TARGET ? " \u00b7 target" : "")));
      page.blocks.forEach(function (b, r) {
        var pieces = s === TARGET ? b[1] : (page.cells[r][s] || []);
        frag.appendChild(fill(el("p", { "class": "blk blk-" + b[0], "data-r": r }), pieces));
      });
      root.appendChild(frag);
    });
  }

  var syncing = null;
  /* The block at the top of a pane, and how far into it the pane is scrolled (0-1). */
  function paneAt(pane) {
    var blocks = pane.querySelectorAll(".blk");
    var top = pane.scrollTop;
    for (var k = 0; k < blocks.length; k++) {
      var b = blocks[k];
      if (b.offsetTop + b.offsetHeight > top) {
        return { r: b.getAttribute("data-r"), f: Math.max(0, (top - b.offsetTop) / Math.max(1, b.offsetHeight)) };
      }
    }
    return null;
  }
  function syncPane(from, to) {
    if (!$("pair-sync").checked || syncing === from) return;
    var at = paneAt(from);
    if (!at) return;
    var b = to.querySelector('.blk[data-r="' + at.r + '"]');
    if (!b) return;
    syncing = to;
    to.scrollTop = b.offsetTop + at.f * b.offsetHeight;
    window.requestAnimationFrame(function () { syncing = null; });
  }
  $("pane-a").addEventListener("scroll", function () { syncPane($("pane-a"), $("pane-b")); });
  $("pane-b").addEventListener("scroll", function () { syncPane($("pane-b"), $("pane-a")); });
  $("pair-a").addEventListener("change", function () { renderPair(); if (state.cur >= 0) select(state.cur, { scroll: true }); });
  $("pair-b").addEventListener("change", function () { renderPair(); if (state.cur >= 0) select(state.cur, { scroll: true }); });

  function renderView() {
    if (state.view === "reading") renderReading();
    else if (state.view === "parallel") renderParallel();
    else if (state.view === "pair") renderPair();
    else renderList();
    updatePager();
  }

  function updatePager() {
    var pager = document.querySelector(".pager");
    pager.hidden = D.pages.length <= 1 || state.view === "list";
    $("pg").value = String(state.page);
    $("pg-prev").disabled = state.page === 0;
    $("pg-next").disabled = state.page >= D.pages.length - 1;
  }

  function setPage(p) {
    p = Math.max(0, Math.min(D.pages.length - 1, p));
    if (p === state.page) return;
    state.page = p;
    renderView();
    window.scrollTo({ top: document.querySelector(".views").offsetTop - 60 });
  }

  function setView(v) {
    state.view = v;
    document.querySelector(".bench").classList.toggle("wide", v !== "reading");
    ["reading", "parallel", "list", "pair"].forEach(function (name) {
      var tab = $("tab-" + name);
      var on = name === v;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $("view-" + name).hidden = !on;
    });
    renderView();
    if (state.cur >= 0) select(state.cur, { scroll: true });
  }

  /* ---- filters ---------------------------------------------------------------------------- */

  function applyFilters() {
    visible = order.filter(function (i) { return passes(items[i]); });
    state.listShown = LIST_CHUNK;
    var marks = document.querySelectorAll(".views a.m");
    for (var j = 0; j < marks.length; j++) {
      var it = items[+marks[j].getAttribute("data-i")];
      marks[j].classList.toggle("off", !passes(it));
    }
    if (state.view === "list") renderList();
    if (state.cur >= 0) renderEntry(items[state.cur]);
    drawDensity();
    document.querySelectorAll(".legend .lg").forEach(function (b) {
      b.setAttribute("aria-pressed", state.classes.has(b.getAttribute("data-cls")) ? "true" : "false");
    });
    updatePos();
  }

  /* ---- the current variant ----------------------------------------------------------------- */

  function updatePos() {
    var k = visible.indexOf(state.cur);
    $("pos").textContent = (k >= 0 ? k + 1 : "\u2013") + " / " + visible.length;
  }

  function select(i, opts) {
    opts = opts || {};
    var it = items[i];
    if (!it) return;
    state.cur = i;
    if (typeof it.page === "number" && it.page !== state.page && state.view !== "list") {
      state.page = it.page;
      renderView();
    } else if (state.view === "list" && visible.indexOf(i) >= state.listShown) {
      state.listShown = visible.indexOf(i) + LIST_CHUNK;
      renderList();
    }
    document.querySelectorAll(".views .cur").forEach(function (m) {
      m.classList.remove("cur");
      if (m.tagName === "A") m.tabIndex = -1;
    });
    var first = null;
    document.querySelectorAll('.views [data-i="' + i + '"]').forEach(function (m) {
      var node = m.tagName === "A" && m.closest("tr[data-i]") ? m.closest("tr") : m;
      node.classList.add("cur");
      if (m.tagName === "A") m.tabIndex = first ? -1 : 0;
      if (!first) first = m;
    });
    if (first && opts.scroll !== false) first.scrollIntoView({ block: narrow() ? "start" : "center" });
    if (first && narrow()) {
      /* On a narrow screen the entry covers the lower half: keep the selection above it. */
      var rect = first.getBoundingClientRect();
      if (rect.bottom > window.innerHeight * 0.5 || rect.top < 0) window.scrollBy(0, rect.top - window.innerHeight * 0.2);
    }
    if (first && opts.focus) first.focus({ preventScroll: true });
    var hash = hashOf(it);
    if (opts.hash !== false && location.hash !== hash) history.replaceState(null, "", hash);
    renderEntry(it);
    updatePos();
  }

  function step(d) {
    if (!visible.length) return;
    var k = visible.indexOf(state.cur);
    if (k < 0) {
      /* From a variant the filters hide (or none): the nearest visible one in text order. */
      var at = state.cur >= 0 ? order.indexOf(state.cur) : (d > 0 ? -1 : order.length);
      var cand = d > 0 ? visible.filter(function (i) { return order.indexOf(i) > at; })[0]
                       : visible.filter(function (i) { return order.indexOf(i) < at; }).pop();
      if (cand === undefined) cand = d > 0 ? visible[0] : visible[visible.length - 1];
      select(cand, { focus: true });
      return;
    }
    k = Math.max(0, Math.min(visible.length - 1, k + d));
    select(visible[k], { focus: true });
  }

  /* ---- the apparatus entry ------------------------------------------------------------------ */

  function diffNode(ops) {
    if (!ops.length) return el("span", { "class": "same" }, "too long to compare");
    var span = el("span", { "class": "diff" });
    ops.forEach(function (op) {
      if (op[0] === 0) span.appendChild(document.createTextNode(op[1]));
      else if (op[0] < 0) span.appendChild(el("del", { title: "not in this reading" }, op[1]));
      else span.appendChild(el("ins", { title: "only in this reading" }, op[1]));
    });
    return span;
  }

  function readingNode(text) {
    if (text === undefined || text === null || text === "") return el("span", { "class": "absent" }, "(absent)");
    return el("span", { "class": "wtext" }, text);
  }

  /* Evidence is written with `words` quoted in backticks: show them as quoted words of the
   * text, never the backticks themselves. */
  function prose(node, text) {
    text.split("`").forEach(function (part, k) {
      if (k % 2 === 0) node.appendChild(document.createTextNode(part));
      else node.appendChild(el("span", { "class": "ev-word wtext" }, "\u201c" + part + "\u201d"));
    });
    return node;
  }

  function renderEntry(it) {
    var box = $("entry");
    box.textContent = "";
    box.classList.add("open");
    var close = el("button", { type: "button", "class": "entry-close", "aria-label": "Close the entry" }, "\u00d7");
    close.addEventListener("click", function () { box.classList.remove("open"); });
    box.appendChild(close);
    var k = visible.indexOf(it.i);
    box.appendChild(el("h3", { id: "entry-h" },
      (it.kind === "flag" ? "Finding " : "Variant ") + (k >= 0 ? (k + 1) + " of " + visible.length : "(hidden by the filters)")));
    var badges = el("p", { "class": "badges" },
      el("span", { "class": "pill c-" + it.cls }, classLabel(it.cls)));
    it.classes.forEach(function (c) {
      if (c !== it.cls) badges.appendChild(el("span", { "class": "pill pill-2 c-" + c }, "also " + classLabel(c)));
    });
    if (it.suspect) badges.appendChild(el("span", { "class": "pill pill-sus" }, "! " + TARGET + " suspect"));
    if (it.kind === "flag") badges.appendChild(el("span", { "class": "pill" }, "check: " + it.check));
    if (it.dec) badges.appendChild(el("span", { "class": "pill pill-dec" }, "decision: " + it.dec));
    box.appendChild(badges);

    if (it.ctx && (it.ctx[0] || it.ctx[1])) {
      box.appendChild(el("p", { "class": "ctx" },
        "\u2026" + it.ctx[0] + " ", el("strong", null, it.r[TARGET] || "\u2038"), " " + it.ctx[1] + "\u2026"));
    }

    if (it.sug !== null && it.sug !== undefined) {
      var pct = Math.round(it.conf * 100);
      var sug = el("div", { "class": "suggestion" + (it.sug !== (it.r[TARGET] || "") ? " change" : "") },
        el("span", { "class": "lbl" }, "Suggested reading"),
        el("span", { "class": "sug-text wtext" }, it.sug === "" ? "(nothing)" : it.sug),
        el("span", { "class": "conf" }, "confidence " + pct + "%"),
        el("meter", { min: 0, max: 100, value: pct, low: 50, high: 80, optimum: 100, "aria-label": "confidence" }));
      box.appendChild(sug);
    }

    var table = el("table", { "class": "readings" },
      el("caption", { "class": "visually-hidden" }, "Readings of the witnesses"),
      el("thead", null, el("tr", null, el("th", { scope: "col" }, "Witness"), el("th", { scope: "col" }, "Reading"),
        el("th", { scope: "col" }, "Difference from " + TARGET))));
    var tb = el("tbody");
    var base = it.r[TARGET] || "";
    D.sigla.forEach(function (s) {
      if (!(s in it.r)) return;
      var w = D.witnesses[s];
      var r = it.r[s];
      var bad = it.sus.indexOf(s) >= 0;
      var row = el("tr", { "class": (s === TARGET ? "is-target" : "") + (bad ? " bad" : "") },
        el("th", { scope: "row" }, el("span", { "class": "sig" }, s), el("br"), el("span", { "class": "kind" }, w.kind)));
      var cell = el("td", null, readingNode(r));
      if (bad) cell.appendChild(el("span", { "class": "flag-word" }, " ! suspect"));
      if (it.sug !== null && r === it.sug && it.sug !== undefined) cell.appendChild(el("span", { "class": "ok-word" }, " \u2713 suggested"));
      if (it.crop && it.crop[s]) cell.appendChild(el("span", { "class": "scan-note" }, " scan below"));
      row.appendChild(cell);
      var dcell = el("td", null);
      if (s !== TARGET && r !== base && it.diff[r]) dcell.appendChild(diffNode(it.diff[r]));
      else if (s !== TARGET) dcell.appendChild(el("span", { "class": "same" }, r === base ? "same" : ""));
      row.appendChild(dcell);
      tb.appendChild(row);
    });
    if (it.sug !== null && it.sug !== undefined && it.diff[it.sug] && !Object.keys(it.r).some(function (s) { return it.r[s] === it.sug; })) {
      tb.appendChild(el("tr", { "class": "conj" }, el("th", { scope: "row" }, "proofbench"),
        el("td", null, readingNode(it.sug), el("span", { "class": "ok-word" }, " suggested")), el("td", null, diffNode(it.diff[it.sug]))));
    }
    table.appendChild(tb);
    box.appendChild(table);
    D.sigla.forEach(function (s) {
      if (!it.crop || !it.crop[s]) return;
      var img = el("img", { src: it.crop[s], alt: "The scanned page of " + s + " around this place, the words boxed in red", "class": "crop-img" });
      var page = it.pg && it.pg[s];
      var shown = img;
      if (page) {
        shown = el("button", { type: "button", "class": "crop-open", title: "Show the whole page, the words boxed" }, img);
        shown.addEventListener("click", function () { openPage(s, page); });
      }
      box.appendChild(el("figure", { "class": "crop" }, shown,
        el("figcaption", null, "Scan of " + s + " (" + D.witnesses[s].label + "), the words boxed" +
          (page ? "; click it for the whole page" : ""))));
    });

    if (it.ev.length) {
      box.appendChild(el("h4", null, "Evidence"));
      var ul = el("ul", { "class": "evidence" });
      it.ev.forEach(function (e) { ul.appendChild(prose(el("li"), e)); });
      box.appendChild(ul);
    }
    if (it.notes && it.notes.length) {
      box.appendChild(el("h4", null, "Also flagged"));
      var ul2 = el("ul", { "class": "evidence" });
      it.notes.forEach(function (e) { ul2.appendChild(prose(el("li"), e)); });
      box.appendChild(ul2);
    }
    var locs = Object.keys(it.loc).map(function (s) { return s + " " + it.loc[s][0] + "\u2013" + it.loc[s][1]; });
    box.appendChild(el("p", { "class": "ids" }, "id ", el("code", null, it.id),
      locs.length ? " \u00b7 offsets " + locs.join(", ") : ""));
  }

  /* ---- the page viewer: the whole page image, the reading's words boxed ----------------------- */

  function openPage(siglum, page) {
    var info = D.pageImages[page[0]];
    var stage = $("pv-stage");
    stage.querySelectorAll(".pv-box").forEach(function (b) { b.remove(); });
    var img = $("pv-img");
    img.src = info.uri;
    img.alt = "Page of " + siglum + " (" + D.witnesses[siglum].label + "), the reading's words boxed";
    $("pv-h").textContent = "Page of " + siglum + ": " + D.witnesses[siglum].label;
    page[1].forEach(function (b) {
      /* Boxes are in the original scan's pixels: place them in percent of the page. */
      stage.appendChild(el("div", { "class": "pv-box", style:
        "left:" + (100 * b[0] / info.w) + "%;top:" + (100 * b[1] / info.h) + "%;width:" +
        (100 * (b[2] - b[0]) / info.w) + "%;height:" + (100 * (b[3] - b[1]) / info.h) + "%" }));
    });
    var dlg = $("page-view");
    if (!dlg.open) dlg.showModal();
    var scroller = $("pv-scroll");
    function centre() {
      var first = stage.querySelector(".pv-box");
      if (!first) return;
      scroller.scrollTop = first.offsetTop - scroller.clientHeight / 3;
      scroller.scrollLeft = first.offsetLeft - scroller.clientWidth / 3;
    }
    if (img.complete) centre(); else img.addEventListener("load", centre, { once: true });
  }
  $("pv-zoom").addEventListener("click", function () {
    var fit = $("page-view").classList.toggle("fit");
    this.setAttribute("aria-pressed", fit ? "true" : "false");
  });

  /* ---- full-text search over every witness -------------------------------------------------- */

  /* Lower case letter by letter, so that offsets into the lowered text are offsets into the text
   * (a whole-string toLowerCase may change the length: "İ" becomes two code units). */
  function lower(t) {
    var l = t.toLowerCase();
    if (l.length === t.length) return l;
    var out = "";
    for (var k = 0; k < t.length; k++) {
      var c = t.charAt(k).toLowerCase();
      out += c.length === 1 ? c : t.charAt(k);
    }
    return out;
  }
  function normQuery(q) { return lower(q.replace(/\s+/g, " ").trim()); }
  function piecesText(pieces) {
    return pieces.map(function (p) { return typeof p === "string" ? p : p[1]; }).join("");
  }
  var HIT_LIMIT = 10000;
  var search = { q: "", hits: [], at: -1, texts: null, more: false };

  function searchTexts() {
    if (!search.texts) {
      search.texts = D.pages.map(function (page) {
        return page.blocks.map(function (b, r) {
          var row = {};
          D.sigla.forEach(function (s) {
            row[s] = lower(piecesText(s === TARGET ? b[1] : (page.cells[r][s] || [])));
          });
          return row;
        });
      });
    }
    return search.texts;
  }

  function runSearch(raw) {
    var q = normQuery(raw);
    search.q = q;
    search.hits = [];
    search.at = -1;
    search.more = false;
    if (q) {
      var texts = searchTexts();
      outer: for (var p = 0; p < texts.length; p++) {
        for (var r = 0; r < texts[p].length; r++) {
          for (var k = 0; k < D.sigla.length; k++) {
            var s = D.sigla[k], t = texts[p][r][s];
            for (var at = t.indexOf(q); at >= 0; at = t.indexOf(q, at + 1)) {
              if (search.hits.length >= HIT_LIMIT) { search.more = true; break outer; }
              search.hits.push({ p: p, r: r, s: s, at: at, len: q.length });
            }
          }
        }
      }
    }
    if (!q) clearHit();
    showHits();
  }

  function showHits() {
    var n = search.hits.length;
    var wits = new Set(search.hits.map(function (h) { return h.s; }));
    $("hits").textContent = !search.q ? "" : n === 0 ? "no hits" :
      (search.at >= 0 ? (search.at + 1) + " / " : "") + n + (search.more ? "+" : "") +
      " hit" + (n === 1 ? "" : "s") + " in " + wits.size + " witness" + (wits.size === 1 ? "" : "es");
  }

  function clearHit() {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("pb-hit");
    document.querySelectorAll(".hit-blk").forEach(function (n) { n.classList.remove("hit-blk"); });
  }

  /* A DOM range over characters [a, b) of a block's text as drawn (class tags and the caret of
   * an empty reading are not text of the witness). */
  function rangeIn(node, a, b) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var p = n.parentNode;
        if (p.closest && p.closest("sup.tag")) return NodeFilter.FILTER_REJECT;
        if (p.classList && p.classList.contains("ins")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var range = document.createRange(), pos = 0, started = false, n;
    while ((n = walker.nextNode())) {
      var len = n.nodeValue.length;
      if (!started && a < pos + len) { range.setStart(n, a - pos); started = true; }
      if (started && b <= pos + len) { range.setEnd(n, b - pos); return range; }
      pos += len;
    }
    return started ? range : null;
  }

  function hitNode(h) {
    if (state.view === "reading") return $("reading").children[h.r];
    var row = $("parallel").tBodies[0].rows[h.r];
    return row ? row.cells[D.sigla.indexOf(h.s)] : null;
  }

  function gotoHit(k) {
    var h = search.hits[k];
    if (!h) return;
    search.at = k;
    var want = state.view === "parallel" || h.s !== TARGET ? "parallel" : "reading";
    if (want !== state.view) setView(want);
    if (h.p !== state.page) { state.page = h.p; renderView(); }
    clearHit();
    var node = hitNode(h);
    var range = node ? rangeIn(node, h.at, h.at + h.len) : null;
    if (range) {
      if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("pb-hit", new Highlight(range));
      else node.classList.add("hit-blk");
      var host = range.startContainer.parentNode;
      var a = host.closest ? host.closest("a.m[data-i]") : null;
      if (a) select(+a.getAttribute("data-i"), { scroll: false });
      var rect = range.getBoundingClientRect();
      window.scrollTo({ top: window.scrollY + rect.top - window.innerHeight / 3 });
    }
    showHits();
  }

  function stepHit(d) {
    if (!search.hits.length) return;
    var n = search.hits.length;
    gotoHit(search.at < 0 ? (d > 0 ? 0 : n - 1) : (search.at + d + n) % n);
  }

  /* ---- the density overview: where the variants are, by class ------------------------------- */

  var SVGNS = "http://www.w3.org/2000/svg";
  var BINS = 120, DH = 36;
  function drawDensity() {
    var svg = $("density-svg");
    if (!svg) return;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + BINS + " " + DH);
    var length = Math.max(1, D.length || 1);
    var bins = [];
    for (var b = 0; b < BINS; b++) bins.push({ n: 0, by: {}, first: -1 });
    visible.forEach(function (i) {
      var it = items[i];
      var b = Math.min(BINS - 1, Math.max(0, Math.floor(it.at / length * BINS)));
      var bin = bins[b];
      bin.n++;
      bin.by[it.cls] = (bin.by[it.cls] || 0) + 1;
      if (bin.first < 0) bin.first = i;
    });
    var top = Math.max.apply(null, bins.map(function (x) { return x.n; }).concat([1]));
    bins.forEach(function (bin, b) {
      if (!bin.n) return;
      var g = document.createElementNS(SVGNS, "g");
      g.setAttribute("class", "dbin");
      g.setAttribute("data-i", String(bin.first));
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      var label = bin.n + " variant" + (bin.n === 1 ? "" : "s") + " at " + Math.round(100 * b / BINS) + "\u2013" +
        Math.round(100 * (b + 1) / BINS) + "% of the text: " +
        Object.keys(bin.by).map(function (c) { return bin.by[c] + " " + classLabel(c); }).join(", ");
      g.setAttribute("aria-label", label);
      var title = document.createElementNS(SVGNS, "title");
      title.textContent = label;
      g.appendChild(title);
      var y = DH;
      Object.keys(bin.by).sort().forEach(function (c) {
        var h = DH * bin.by[c] / top;
        var rect = document.createElementNS(SVGNS, "rect");
        rect.setAttribute("x", String(b + 0.08));
        rect.setAttribute("width", "0.84");
        rect.setAttribute("y", String(y - h));
        rect.setAttribute("height", String(h));
        rect.setAttribute("class", "c-" + c);
        g.appendChild(rect);
        y -= h;
      });
      svg.appendChild(g);
    });
  }
  function onDensity(ev) {
    var g = ev.target.closest && ev.target.closest(".dbin");
    if (!g) return;
    if (ev.type === "keydown" && ev.key !== "Enter" && ev.key !== " ") return;
    ev.preventDefault();
    select(+g.getAttribute("data-i"), { focus: true });
  }
  if ($("density-svg")) {
    $("density-svg").addEventListener("click", onDensity);
    $("density-svg").addEventListener("keydown", onDensity);
  }

  /* ---- the target's suspect readings, first ------------------------------------------------- */

  var SUS_SHOWN = 12;
  function drawSuspects() {
    var box = $("sus-list");
    if (!box) return;
    var sus = order.filter(function (i) { return items[i].suspect; });
    sus.slice(0, SUS_SHOWN).forEach(function (i) {
      var it = items[i];
      var b = el("button", { type: "button", "class": "sus-go wtext", "data-i": i,
        title: classLabel(it.cls) + (it.sug !== null && it.sug !== undefined ? "; suggested: " + (it.sug || "(nothing)") : "") },
        it.r[TARGET] || "\u2038");
      b.addEventListener("click", function () { select(i, { focus: true }); });
      box.appendChild(b);
    });
    if (sus.length > SUS_SHOWN) {
      var more = el("button", { type: "button", "class": "sus-more" }, "all " + sus.length + " \u203a");
      more.addEventListener("click", function () { $("show-suspect").click(); });
      box.appendChild(more);
    }
  }

  /* ---- events ------------------------------------------------------------------------------- */

  function onMarkActivate(ev) {
    var a = ev.target.closest("a[data-i]");
    if (!a) return;
    ev.preventDefault();
    select(+a.getAttribute("data-i"), { focus: true, scroll: false });
  }

  document.querySelector(".views").addEventListener("click", onMarkActivate);
  /* Focusing a mark (Tab, a screen reader's links list) opens its entry too. */
  document.querySelector(".views").addEventListener("focusin", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.m[data-i]");
    if (a && +a.getAttribute("data-i") !== state.cur) select(+a.getAttribute("data-i"), { scroll: false });
  });
  $("list").addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr[data-i]");
    if (!tr) return;
    ev.preventDefault();
    select(+tr.getAttribute("data-i"), { focus: false, scroll: false });
  });

  document.querySelectorAll(".tabs [role=tab]").forEach(function (tab) {
    tab.addEventListener("click", function () { setView(tab.getAttribute("data-view")); });
    tab.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
      ev.preventDefault();
      ev.stopPropagation();
      var tabs = Array.prototype.slice.call(document.querySelectorAll(".tabs [role=tab]"));
      var k = (tabs.indexOf(tab) + (ev.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length;
      tabs[k].focus();
      setView(tabs[k].getAttribute("data-view"));
    });
  });

  document.querySelectorAll(".legend .lg").forEach(function (b) {
    b.addEventListener("click", function () {
      var c = b.getAttribute("data-cls");
      if (state.classes.has(c)) state.classes.delete(c); else state.classes.add(c);
      applyFilters();
    });
  });
  document.querySelectorAll(".legend .lg-all").forEach(function (b) {
    b.addEventListener("click", function () {
      state.classes = b.getAttribute("data-set") === "all" ? new Set(Object.keys(D.classes)) : new Set();
      applyFilters();
    });
  });

  var qTimer = 0;
  $("q").addEventListener("input", function () {
    clearTimeout(qTimer);
    qTimer = setTimeout(function () { runSearch($("q").value); }, 150);
  });
  $("q").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(qTimer);
      if (normQuery($("q").value) !== search.q) runSearch($("q").value);
      stepHit(ev.shiftKey ? -1 : 1);
    }
  });
  /* Lower every witness's text while the user types the first letters, not after Enter. */
  $("q").addEventListener("focus", function () { setTimeout(searchTexts, 0); }, { once: true });
  $("hit-next").addEventListener("click", function () { stepHit(1); });
  $("hit-prev").addEventListener("click", function () { stepHit(-1); });
  $("f-wit").addEventListener("change", function () { state.wit = this.value; applyFilters(); });
  $("f-sus").addEventListener("change", function () { state.sus = this.value; applyFilters(); });
  $("f-tags").addEventListener("change", function () {
    document.body.classList.toggle("no-tags", !this.checked);
  });
  if ($("show-suspect")) {
    $("show-suspect").addEventListener("click", function () {
      state.sus = "yes";
      $("f-sus").value = "yes";
      applyFilters();
      state.cur = -1;
      step(1);
    });
  }
  $("prev").addEventListener("click", function () { step(-1); });
  $("next").addEventListener("click", function () { step(1); });
  $("help-btn").addEventListener("click", function () { $("help").showModal(); });
  document.querySelectorAll(".open-help").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      $("help").showModal();
      var h = $("help-figures");
      if (h) h.scrollIntoView({ block: "start" });
    });
  });
  $("list-more").addEventListener("click", function () { state.listShown += LIST_CHUNK; renderList(); });

  var pg = $("pg");
  D.pages.forEach(function (_, p) { pg.appendChild(el("option", { value: p }, "page " + (p + 1) + " of " + D.pages.length)); });
  pg.addEventListener("change", function () { setPage(+pg.value); });
  $("pg-prev").addEventListener("click", function () { setPage(state.page - 1); });
  $("pg-next").addEventListener("click", function () { setPage(state.page + 1); });

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if ($("help").open || $("page-view").open) return;
    if (typing) {
      if (ev.key === "Escape") { t.blur(); ev.preventDefault(); }
      return;
    }
    var inEntry = t && t.closest && t.closest("#entry");
    switch (ev.key) {
      case "j": case "ArrowRight": case "ArrowDown":
        if (inEntry && ev.key.indexOf("Arrow") === 0) return;
        ev.preventDefault(); step(1); break;
      case "k": case "ArrowLeft": case "ArrowUp":
        if (inEntry && ev.key.indexOf("Arrow") === 0) return;
        ev.preventDefault(); step(-1); break;
      case "Enter":
        if (t && t.closest && t.closest("a.m") || (state.cur >= 0 && t === document.body)) {
          ev.preventDefault();
          if (state.cur < 0) return;
          select(state.cur, { scroll: false });
          $("entry").focus();
          $("entry").scrollIntoView({ block: "nearest" });
        }
        break;
      case "Escape":
        if (inEntry && state.cur >= 0) {
          ev.preventDefault();
          var m = document.querySelector('.views a[data-i="' + state.cur + '"]');
          if (m) m.focus();
        }
        break;
      case "?":
        ev.preventDefault(); $("help").showModal(); break;
      case "/":
        ev.preventDefault(); $("q").focus(); break;
      case "s":
        ev.preventDefault();
        state.sus = state.sus === "yes" ? "" : "yes";
        $("f-sus").value = state.sus;
        applyFilters();
        break;
      case "1": setView("reading"); break;
      case "2": setView("parallel"); break;
      case "3": setView("list"); break;
      case "4": setView("pair"); break;
      default: break;
    }
  });

  function fromHash() {
    var h = decodeURIComponent(location.hash || "");
    if (h.indexOf("#v-") !== 0) return false;
    var i = byId.get(h.slice(1));
    if (i === undefined) i = byId.get(h.slice(3));
    if (i === undefined) return false;
    if (i !== state.cur) select(i, { scroll: true });
    return true;
  }
  window.addEventListener("hashchange", fromHash);

  renderView();
  applyFilters();
  drawSuspects();
  /* First screen: the target's text, and the entry of its first suspect reading beside it. */
  if (!fromHash()) {
    var firstSus = order.filter(function (i) { return items[i].suspect; })[0];
    if (firstSus !== undefined && window.innerWidth > 1000) select(firstSus, { scroll: false, hash: false });
  }
  document.documentElement.classList.add("js-ready");
})();
