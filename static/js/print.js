// The Print button of a printable document (templates/clients/print/page.html): shown only with
// JavaScript, it opens the browser's own print dialog.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
