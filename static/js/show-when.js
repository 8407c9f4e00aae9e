// Fields that apply only for one choice of another field: <div data-show-when="field" data-show-value="v">.
// Without JavaScript they stay visible (the server ignores them when they do not apply).
(function () {
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    const form = block.closest("form");
    const control = form && form.elements.namedItem(block.dataset.showWhen);
    if (!control) return;
    function update() {
      block.hidden = control.value !== block.dataset.showValue;
    }
    control.addEventListener("change", update);
    update();
  });
})();
