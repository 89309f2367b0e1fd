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
    q: "",
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
    var parts = [it.id, it.cls, it.sug || ""].concat(it.ev);
    Object.keys(it.r).forEach(function (s) { parts.push(it.r[s]); });
    it.hay = parts.join("\u0001").toLowerCase();
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
    if (state.q && it.hay.indexOf(state.q) < 0) return false;
    return true;
  }

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

  function renderView() {
    if (state.view === "reading") renderReading();
    else if (state.view === "parallel") renderParallel();
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
    ["reading", "parallel", "list"].forEach(function (name) {
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
    var prev = state.cur;
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
    if (first && opts.scroll !== false) {
      first.scrollIntoView({ block: "center", behavior: prev === i ? "auto" : "auto" });
    }
    if (first && opts.focus) first.focus({ preventScroll: true });
    var hash = hashOf(it);
    if (location.hash !== hash) history.replaceState(null, "", hash);
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

  function renderEntry(it) {
    var box = $("entry");
    box.textContent = "";
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
      box.appendChild(el("figure", { "class": "crop" },
        el("img", { src: it.crop[s], alt: "The scanned page of " + s + " around this place, the words boxed in red", "class": "crop-img" }),
        el("figcaption", null, "Scan of " + s + " (" + D.witnesses[s].label + "), the words boxed")));
    });

    if (it.ev.length) {
      box.appendChild(el("h4", null, "Evidence"));
      var ul = el("ul", { "class": "evidence" });
      it.ev.forEach(function (e) { ul.appendChild(el("li", null, e)); });
      box.appendChild(ul);
    }
    if (it.notes && it.notes.length) {
      box.appendChild(el("h4", null, "Also flagged"));
      var ul2 = el("ul", { "class": "evidence" });
      it.notes.forEach(function (e) { ul2.appendChild(el("li", null, e)); });
      box.appendChild(ul2);
    }
    var locs = Object.keys(it.loc).map(function (s) { return s + " " + it.loc[s][0] + "\u2013" + it.loc[s][1]; });
    box.appendChild(el("p", { "class": "ids" }, "id ", el("code", null, it.id),
      locs.length ? " \u00b7 offsets " + locs.join(", ") : ""));
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
    qTimer = setTimeout(function () {
      state.q = $("q").value.trim().toLowerCase();
      applyFilters();
    }, 120);
  });
  $("q").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      state.q = $("q").value.trim().toLowerCase();
      applyFilters();
      step(1);
    }
  });
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
    if ($("help").open) return;
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
  fromHash();
  document.documentElement.classList.add("js-ready");
})();
