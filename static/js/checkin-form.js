// The check-in form: keep "N of M unanswered" current as items are answered (the server says it too).
(function () {
  var t = window.lanternText; // texts in the page's language (static/js/texts.js)
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
