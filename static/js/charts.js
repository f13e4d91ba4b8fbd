/* Draws each [data-chart] element from the figure JSON embedded next to it
   (json_script) when it comes near the viewport, and enhances the series form of
   the indicator page so that series switch without a reload. Without JavaScript
   the tables and the GET form still work. No inline scripts: the site's CSP is
   script-src 'self'.

   plotly.js (1 MB) is not in the page: this script loads it, from the address in
   its own data-plotly attribute, when the first chart comes near the viewport, so
   the text and tables of a page are usable at once and a page whose charts are
   further down costs no script work at all until the reader gets there. Each
   chart's height is reserved in CSS, so drawing it shifts nothing. The print
   button loads plotly and draws every chart before printing; printing from the
   browser's menu draws every chart that is not yet drawn, once plotly is loaded. */
(function () {
  "use strict";

  var plotlySrc = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var waiting = [];
  var loading = false;

  function withPlotly(callback) {
    if (window.Plotly) {
      callback();
      return;
    }
    waiting.push(callback);
    if (loading || !plotlySrc) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = plotlySrc;
    script.onload = function () {
      var callbacks = waiting;
      waiting = [];
      callbacks.forEach(function (fn) { fn(); });
    };
    document.head.appendChild(script);
  }

  function figureFor(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    return source ? JSON.parse(source.textContent) : null;
  }

  // Series chosen with the form before the chart was drawn: uid → visible.
  var chosenBeforeDrawing = {};

  function draw(element) {
    if (element.getAttribute("data-drawn")) {
      return Promise.resolve();
    }
    element.setAttribute("data-drawn", "true");
    var figure = figureFor(element);
    if (!figure) {
      return Promise.resolve();
    }
    var chosen = chosenBeforeDrawing[element.id];
    if (chosen) {
      figure.data.forEach(function (trace) { trace.visible = chosen(trace.uid); });
    }
    return window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);
  }

  function drawAll() {
    return Promise.all(Array.prototype.map.call(document.querySelectorAll("[data-chart]"), draw));
  }

  function drawWhenNear(charts) {
    if (!("IntersectionObserver" in window)) {
      withPlotly(drawAll);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          withPlotly(function () { draw(entry.target); });
        }
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (chart) { observer.observe(chart); });
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
      var isChosen = function (uid) {
        return chosen.some(function (id) { return controls(id, uid); });
      };
      if (chart.data) {
        window.Plotly.restyle(chart, { visible: chart.data.map(function (trace) { return isChosen(trace.uid); }) });
      } else {
        chosenBeforeDrawing[chart.id] = isChosen;
      }
      var query = new URLSearchParams(new FormData(form)).toString();
      window.history.replaceState(null, "", "?" + query);
    });
  }

  function enablePrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      withPlotly(function () {
        drawAll().then(function () { window.print(); });
      });
    });
  }

  function drawAllIfLoaded() {
    if (window.Plotly) {
      drawAll();
    }
  }

  function start() {
    document.querySelectorAll("[data-print]").forEach(enablePrint);
    document.querySelectorAll("[data-series-form]").forEach(enhanceSeriesForm);
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (charts.length) {
      drawWhenNear(charts);
      window.addEventListener("beforeprint", drawAllIfLoaded);
      if (window.matchMedia) {
        var print = window.matchMedia("print");
        if (print.addEventListener) {
          print.addEventListener("change", function (event) {
            if (event.matches) {
              drawAllIfLoaded();
            }
          });
        }
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
