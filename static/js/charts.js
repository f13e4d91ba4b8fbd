/* Draws every [data-chart] element from the figure JSON embedded next to it
   (json_script), and enhances the series form of the indicator page so that
   series switch without a reload. Without JavaScript the tables and the GET
   form still work. No inline scripts: the site's CSP is script-src 'self'. */
(function () {
  "use strict";

  function figureFor(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(element) {
    var figure = figureFor(element);
    if (figure) {
      window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);
    }
  }

  // A checkbox with value "12" controls the trace "s12" and its national comparison "n12-…".
  function controls(seriesId, uid) {
    return uid === "s" + seriesId || uid.indexOf("n" + seriesId + "-") === 0;
  }

  function enhanceSeriesForm(form) {
    var chart = document.getElementById(form.getAttribute("data-series-form"));
    if (!chart) {
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.hidden = true; // the chart follows the boxes at once
    }
    form.addEventListener("change", function () {
      var chosen = Array.prototype.map.call(form.querySelectorAll("input[name=serie]:checked"), function (box) {
        return box.value;
      });
      var visible = chart.data.map(function (trace) {
        return chosen.some(function (id) { return controls(id, trace.uid); });
      });
      window.Plotly.restyle(chart, { visible: visible });
      var query = new URLSearchParams(new FormData(form)).toString();
      window.history.replaceState(null, "", "?" + query);
    });
  }

  function enablePrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(enablePrint);
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.querySelectorAll("[data-series-form]").forEach(enhanceSeriesForm);
  });
})();
