// Display conditions on the respondent form. A fieldset with data-show-if="CODE" and
// data-show-value="VALUE" is shown only while the question CODE has the answer VALUE (its
// radio or checkbox of that value is checked, and CODE is itself shown). A hidden fieldset is
// also disabled, so its answers are not sent; the server applies the same rule
// (surveys/conditions.py), so the form works without this script, a round trip later.
(function () {
  "use strict";
  var form = document.querySelector("form.respondent-form");
  if (!form) return;
  var dependents = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-show-if]"));
  if (!dependents.length) return;

  function holds(box) {
    var source = document.getElementById("q-" + box.getAttribute("data-show-if"));
    if (!source || source.hidden) return false;
    var wanted = box.getAttribute("data-show-value");
    return Array.prototype.some.call(source.querySelectorAll("input"), function (input) {
      return (input.type === "radio" || input.type === "checkbox") && input.checked &&
        input.value === wanted;
    });
  }

  function update() {
    // Repeated until nothing changes, so that a chain of conditions settles.
    for (var pass = 0; pass <= dependents.length; pass++) {
      var changed = false;
      dependents.forEach(function (box) {
        var show = holds(box);
        if (box.hidden === show) {
          box.hidden = !show;
          box.disabled = !show;
          changed = true;
        }
      });
      if (!changed) return;
    }
  }

  form.addEventListener("change", update);
  update();
})();
