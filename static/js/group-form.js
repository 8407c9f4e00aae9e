// The group form: a participant's response field shows once they are ticked as taking part (or when it
// already holds text, so nothing typed is hidden). Without JavaScript every field stays visible.
(function () {
  document.querySelectorAll("[data-response-of]").forEach(function (block) {
    const box = document.getElementById(block.dataset.responseOf);
    const text = block.querySelector("textarea");
    if (!box || !text) return;
    function update() {
      block.hidden = !box.checked && !text.value.trim();
    }
    box.addEventListener("change", update);
    update();
  });
})();
