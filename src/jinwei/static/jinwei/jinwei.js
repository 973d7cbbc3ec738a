// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Close the user menu when focus or a click leaves it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll(".user-menu details[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".user-menu details[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  // A header checkbox with data-select-all="NAME" ticks every checkbox called NAME (approval).
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
    if (!name) return;
    event.target.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
