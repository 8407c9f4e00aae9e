// Signing on the screen (templates/clients/signatures/sign.html) with the vendored signature_pad library.
// The form stays hidden without this script (the page then offers "signed on paper"). On submit the
// drawing goes to the server as a PNG data: URL; an empty box sends nothing and the server says so.
(function () {
  "use strict";
  if (typeof SignaturePad === "undefined") return;
  document.querySelectorAll("[data-signature-form]").forEach(function (form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var input = form.querySelector("[data-signature-data]");
    if (!canvas || !input) return;
    form.hidden = false;
    var pad = new SignaturePad(canvas, { penColor: "rgb(0, 0, 0)", minWidth: 0.8, maxWidth: 2.6 });

    // The canvas's drawing size follows its size on screen and the screen's pixel density.
    function resize() {
      var strokes = pad.toData();
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(strokes);
    }
    window.addEventListener("resize", resize);
    resize();
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      pad.fromDataURL(input.value, { width: canvas.offsetWidth, height: canvas.offsetHeight });
    }

    form.querySelector("[data-signature-clear]").addEventListener("click", function () {
      pad.clear();
      input.value = "";
    });
    form.addEventListener("submit", function () {
      input.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    });

    // The name typed follows the role while it is still the name filled in for the other role.
    var names = { participant: form.dataset.participantName, peer: form.dataset.peerName };
    var nameField = form.querySelector("input[name$='signer_name']");
    form.querySelectorAll("input[name$='role']").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var known = Object.values(names);
        if (nameField && (nameField.value === "" || known.indexOf(nameField.value) !== -1)) {
          nameField.value = names[radio.value] || "";
        }
      });
    });
  });
})();
