// Fields that apply only for one choice of another field: <div data-show-when="field" data-show-value="v">.
// The control may be a select, a set of radio buttons (the checked one's value), a checkbox ("on" when
// ticked) or any input; data-show-value="*" means "once it has any value". Hidden fields are still sent
// (and kept by the time-out restore); the server ignores them when they do not apply. Without JavaScript
// they stay visible.
(function () {
  function currentValue(control) {
    if (control instanceof RadioNodeList) return control.value;
    if (control.type === "checkbox") return control.checked ? "on" : "";
    return control.value;
  }
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    const form = block.closest("form");
    const name = block.dataset.showWhen;
    if (!form || !form.elements.namedItem(name)) return;
    const wanted = block.dataset.showValue.split(" ");
    function update() {
      const value = currentValue(form.elements.namedItem(name));
      const shown = wanted.includes("*") ? value !== "" : wanted.includes(value);
      // A block holding a field in error stays in view until the error is dealt with.
      block.hidden = !shown && !block.querySelector(".is-invalid");
    }
    form.addEventListener("change", function (event) { if (event.target.name === name) update(); });
    form.addEventListener("input", function (event) { if (event.target.name === name) update(); });
    update();
  });
})();
