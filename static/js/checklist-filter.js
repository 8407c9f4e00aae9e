// A long list of checkboxes gets a search box: <input type="checkbox" data-checklist-filter="Find a …">.
// Typing keeps the boxes whose label has every typed word (case and accents ignored); ticked boxes always
// stay in view. Without JavaScript the page shows the plain list of checkboxes.
(function () {

  var t = window.lanternText; // texts in the page's language (static/js/texts.js)
  function plain(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }
  const lists = new Map();
  document.querySelectorAll("input[type=checkbox][data-checklist-filter]").forEach(function (box) {
    const list = box.closest("fieldset");
    if (list && !lists.has(list)) lists.set(list, box);
  });
  lists.forEach(function (first, list) {
    const items = Array.from(list.querySelectorAll(".form-check"));
    const id = first.id.replace(/_0$/, "") + "_filter";
    const wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    const label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = id;
    label.textContent = first.dataset.checklistFilter;
    const search = document.createElement("input");
    search.type = "search";
    search.id = id;
    search.className = "form-control form-control-sm";
    search.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "small text-body-secondary mb-0 mt-1";
    status.setAttribute("role", "status");
    wrapper.append(label, search, status);
    items[0].before(wrapper);
    // Enter in the search box filters; it never submits the form.
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    search.addEventListener("input", function () {
      const words = plain(search.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      items.forEach(function (item) {
        const text = plain(item.textContent);
        const box = item.querySelector("input");
        const match = box.checked || words.every(function (word) { return text.includes(word); });
        item.hidden = !match;
        if (match) shown++;
      });
      status.textContent = words.length ? t("checklist.shown", "{shown} of {total} shown", { shown: shown, total: items.length }) : "";
    });
  });
})();
