// The check-in form: keep "N of M unanswered" current as items are answered (the server says it too).
(function () {
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
    out.textContent = left === 0 ? "All " + total + " items answered." : left + " of " + total + " unanswered.";
  }
  form.addEventListener("change", update);
  update();
})();
