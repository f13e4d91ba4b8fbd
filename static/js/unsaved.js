/* Warn before leaving a form with unsaved text (forms marked data-warn-unsaved).
   A file of its own: the CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var dirty = false;
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var initial = new FormData(form);
    function changed() {
      var now = new FormData(form);
      for (var pair of now.entries()) {
        if (typeof pair[1] === "string" && initial.get(pair[0]) !== pair[1]) return true;
      }
      return false;
    }
    form.addEventListener("input", function () { dirty = changed(); });
    form.addEventListener("change", function () { dirty = changed(); });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own "Lämna sidan?" question
  });
})();
