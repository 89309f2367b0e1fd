// proofbench review: keyboard shortcuts. A key clicks the element listing it in data-key, or
// focuses the field with that data-focus-key; on the queue, j/k move and Enter opens.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#queue tr[data-href]"));
  var at = -1;
  function mark(i) {
    if (!rows.length) return;
    if (at >= 0) rows[at].classList.remove("current");
    at = Math.max(0, Math.min(rows.length - 1, i));
    rows[at].classList.add("current");
    rows[at].scrollIntoView({ block: "nearest" });
  }
  rows.forEach(function (row) {
    row.addEventListener("dblclick", function () { location.href = row.getAttribute("data-href"); });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (ev.key === "Escape") t.blur();
      return;
    }
    if (rows.length) {
      if (ev.key === "j") { mark(at + 1); ev.preventDefault(); return; }
      if (ev.key === "k") { mark(at - 1); ev.preventDefault(); return; }
      if (ev.key === "Enter" && at >= 0) { location.href = rows[at].getAttribute("data-href"); return; }
    }
    var focus = document.querySelector('[data-focus-key="' + CSS.escape(ev.key) + '"]');
    if (focus) { focus.focus(); ev.preventDefault(); return; }
    // data-key holds a space-separated list: one button may answer several keys.
    var target = ev.key.length === 1 && ev.key !== " "
      ? document.querySelector('[data-key~="' + CSS.escape(ev.key) + '"]') : null;
    if (target) { ev.preventDefault(); target.click(); }
  });
})();
