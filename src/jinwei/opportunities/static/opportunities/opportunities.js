// The opportunity page's small forms answer a refusal with HTTP 400 and the form with its
// errors: swap that form in where it was instead of dropping the answer (htmx leaves 4xx
// unswapped).
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
