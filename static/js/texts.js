/*
 * The page scripts' texts in the page's language: lanternText(key, english, values) reads the translations
 * on <body data-texts> (JSON, recovery/js_texts.py) once, and answers the English the script carries for a
 * key missing there (every key on an English page). Placeholders are {name}, filled from values.
 * templates/base.html loads this before every other page script.
 */
(function () {
  "use strict";

  var all = null;
  window.lanternText = function (key, english, values) {
    all = all || JSON.parse(document.body.getAttribute("data-texts") || "{}");
    var text = all[key] || english;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return values && name in values ? values[name] : whole; });
  };
})();
