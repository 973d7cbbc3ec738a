// The wall dashboard: keeps the last figures on screen when a poll fails and says since when.
// htmx polls #wall-board and swaps it whole; a failed poll (network error, timeout, an error
// status, or an answer that is not the panels, such as the login page after the session ended)
// leaves the board as it was and shows the "connection lost" line until a poll succeeds.
(function () {
  "use strict";
  var HEADER = "X-Jinwei-Wall";

  function board() {
    return document.querySelector("[data-wall-board]");
  }

  function notice() {
    return document.querySelector("[data-wall-offline]");
  }

  function isBoard(element) {
    return Boolean(element && element.hasAttribute && element.hasAttribute("data-wall-board"));
  }

  function lost() {
    var line = notice();
    var shown = board();
    if (!line || !shown) return;
    line.textContent = line.getAttribute("data-template").replace("{time}", shown.getAttribute("data-as-of"));
    line.hidden = false;
    document.body.setAttribute("data-wall-connection", "lost");
  }

  function restored() {
    var line = notice();
    if (line) line.hidden = true;
    document.body.setAttribute("data-wall-connection", "ok");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isBoard(event.target)) return;
    var xhr = event.detail.xhr;
    if (!event.detail.isError && xhr && xhr.getResponseHeader(HEADER)) return;
    event.detail.shouldSwap = false;
    event.detail.isError = false; // answered here; htmx need not report it again
    lost();
  });
  // after an outerHTML swap the event comes from the new board
  document.addEventListener("htmx:afterSwap", function (event) {
    if (isBoard(event.target)) restored();
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (isBoard(event.target)) lost();
    });
  });
})();
