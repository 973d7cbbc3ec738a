// Draws the Plotly charts of a page from JSON data blocks (Django's json_script), so no script is
// written into the page. Markup: <div class="chart" data-chart="ID"></div> and the data in
// <script id="ID" type="application/json">{"data": [...], "layout": {...}}</script>.
(function () {
  "use strict";
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
    '"WenQuanYi Micro Hei", system-ui, sans-serif';
  var CONFIG = { displayModeBar: false, responsive: true };

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      if (value && typeof value === "object" && !Array.isArray(value) &&
          target[key] && typeof target[key] === "object") {
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var layout = merge({
      font: { family: FONT, size: 13, color: "#1f2328" },
      margin: { l: 60, r: 60, t: 20, b: 60 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      hoverlabel: { font: { family: FONT } },
      separators: ".,"
    }, figure.layout || {});
    window.Plotly.newPlot(container, figure.data || [], layout, CONFIG).then(function () {
      container.setAttribute("data-chart-ready", "true");
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
