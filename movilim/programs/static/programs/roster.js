// The roster's box in the header ticks or clears every row of the page shown. The rows' boxes
// belong to the action bar's form by their form="…" attribute; the page works without this.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-pick-all]");
    if (!all) return;
    var form = all.getAttribute("data-pick-all");
    document.querySelectorAll("input[type=checkbox][name=enrollment]").forEach(function (box) {
      if (box.getAttribute("form") === form) box.checked = all.checked;
    });
  });
})();
