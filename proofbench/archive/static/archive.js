// The archive index: sort by a column (click its header), filter by text, status and tags.
// Rows are drawn by the server side template; this script only reorders and hides them.
(function () {
  "use strict";
  const table = document.getElementById("archive");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const text = document.getElementById("filter-text");
  const status = document.getElementById("filter-status");
  const tags = Array.from(document.querySelectorAll(".filter-tag"));
  const shown = document.getElementById("shown");
  const keys = JSON.parse(document.getElementById("tag-keys").textContent);

  function apply() {
    const needle = text.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      let ok = !status.value || row.dataset.status === status.value;
      for (const select of tags) {
        const k = keys.indexOf(select.dataset.tag);
        if (ok && select.value && row.getAttribute("data-tag-" + k) !== select.value) ok = false;
      }
      if (ok && needle) ok = row.textContent.toLowerCase().includes(needle);
      row.hidden = !ok;
      if (ok) count += 1;
    }
    shown.textContent = count + " shown";
  }

  function sortBy(col, th) {
    const descending = th.getAttribute("aria-sort") === "ascending";
    for (const other of table.tHead.rows[0].cells) other.setAttribute("aria-sort", "none");
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const numeric = rows.some((r) => r.cells[col].classList.contains("num"));
    const value = (r) => r.cells[col].dataset.sort;
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      let c;
      if (numeric) {
        // failed documents have no figures: always last
        if (x === "" || y === "") c = (x === "") - (y === "");
        else c = parseFloat(x) - parseFloat(y);
        if (x !== "" && y !== "" && descending) c = -c;
      } else {
        c = x.localeCompare(y);
        if (descending) c = -c;
      }
      return c || a.dataset.id.localeCompare(b.dataset.id);
    });
    for (const r of rows) body.appendChild(r);
  }

  for (const button of table.tHead.querySelectorAll("button")) {
    button.addEventListener("click", () => sortBy(Number(button.dataset.col), button.parentElement));
  }
  text.addEventListener("input", apply);
  status.addEventListener("change", apply);
  for (const select of tags) select.addEventListener("change", apply);
  apply();
})();
