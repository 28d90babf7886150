// Small behaviours that need no framework. Loaded with `defer`; the pages work without it.
(function () {
  "use strict";

  // A form is sent once: the first submit disables its buttons, so a double click cannot resend it.
  // The server is the real guard (core.forms.submit_once); this only spares the user a wait.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      // Keep the clicked button's name/value in the request before disabling it.
      if (button.name && event.submitter === button) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = button.name;
        hidden.value = button.value;
        form.appendChild(hidden);
      }
      button.setAttribute("aria-disabled", "true");
      button.disabled = true;
    });
  });

  // Pages restored from the back/forward cache get their buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("[aria-disabled=true]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });

  // Attendance sheet: "mark everyone present" sets every row's radio in one go.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-mark-all]");
    if (!trigger) return;
    var value = trigger.getAttribute("data-mark-all");
    var table = document.getElementById(trigger.getAttribute("aria-controls"));
    if (!table) return;
    table.querySelectorAll("input[type=radio][value='" + value + "']").forEach(function (radio) {
      radio.checked = true;
    });
  });
})();
