// The check-in form: keep "N of M unanswered" current as items are answered (the server says it too).
(function () {
  // Texts in the page's language (<body data-texts>, recovery/js_texts.py); the English here otherwise.
  function t(key, english, values) {
    var all = t.all || (t.all = JSON.parse(document.body.getAttribute("data-texts") || "{}"));
    var text = all[key] || english;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return values && name in values ? values[name] : whole; });
  }
  const form = document.querySelector("form[data-checkin-items]");
  if (!form) return;
  const total = Number(form.dataset.checkinItems);
  const out = document.getElementById("unanswered-count");
  function update() {
    const answered = new Set();
    form.querySelectorAll("input[type=radio][name^=item_]:checked").forEach(function (input) {
      answered.add(input.name);
    });
    const left = total - answered.size;
    out.textContent = left === 0 ? t("checkin.all_answered", "All {total} items answered.", { total: total })
      : t("checkin.unanswered", "{left} of {total} unanswered.", { left: left, total: total });
  }
  form.addEventListener("change", update);
  update();
})();
