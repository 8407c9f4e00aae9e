/*
 * Phone-first lists: on a narrow screen (below 768 px), or whenever a table is wider than the space it has
 * (large text, a narrow column), each row shows as a card and each cell carries its column's heading as a
 * label (lantern.css, "stacked tables"), so no column's meaning is lost and nothing sits off-screen. This
 * labels every cell of every table in the page (and of htmx swaps) from its table's header rows, colspan
 * counted, and re-decides on every change of size; a table marked ``data-keep-table`` keeps its grid. The
 * explicit ARIA roles keep the table's semantics for screen readers that drop them when the display changes.
 */
(function () {
  "use strict";
  function headings(table) {
    var labels = [];
    if (!table.tHead) return labels;
    Array.prototype.forEach.call(table.tHead.rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var text = cell.textContent.replace(/\s+/g, " ").trim();
        for (var span = 0; span < (cell.colSpan || 1); span += 1, column += 1) {
          if (text && labels[column] !== text) labels[column] = labels[column] ? labels[column] + ": " + text : text;
        }
      });
    });
    return labels;
  }
  function stack(table) {
    if (table.hasAttribute("data-keep-table") || table.classList.contains("table-stacked")) return;
    var labels = headings(table);
    if (!labels.length) return;
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      var inHead = row.parentNode === table.tHead;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var label = labels[column] || "";
        if (inHead) {
          cell.setAttribute("role", "columnheader");
        } else {
          cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
          if (label && (cell.colSpan || 1) < labels.length) cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("table-stacked");
    fit(table);
    if (window.ResizeObserver) resized.observe(table);
  }
  var narrow = window.matchMedia("(max-width: 767.98px)");
  function fit(table) {
    table.classList.remove("table-cards");
    var room = table.parentElement ? table.parentElement.clientWidth : 0;
    if (narrow.matches || (room && table.scrollWidth > room + 1)) table.classList.add("table-cards");
  }
  var resized = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { fit(entry.target); });
  }) : null;
  narrow.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.table-stacked"), fit);
  });
  function label(root) {
    if (root.tagName === "TABLE") stack(root);
    Array.prototype.forEach.call(root.querySelectorAll("table"), stack);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { label(document); });
  } else {
    label(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { label(event.target); });
})();
