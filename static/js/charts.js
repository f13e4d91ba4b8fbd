/* Every chart is drawn on the server as inline SVG (reports/svgchart.py): it is there
   with the first paint, prints as it is and needs no script. This script adds what
   needs one, without inline scripts (the site's CSP is script-src 'self'):

   - "Visa interaktivt diagram" (hidden without JavaScript) loads plotly.js (1 MB, from
     the address in this script's data-plotly attribute) and replaces that panel's SVG
     with a plotly chart of the figure JSON embedded next to it (json_script). No page
     loads plotly until a reader asks for it. A series' name in another language than the
     page's (the figure's meta.name_parts) gets lang on plotly's legend and hover text.
   - The series form of the indicator page switches series at once, in the SVG and in
     the plotly chart, without a reload; without JavaScript it is a GET form.
   - The print button ("Skriv ut") opens the browser's print dialog. */
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

  // Series chosen with the form: chart id → function (uid → visible).
  var chosenSeries = {};

  function drawInteractive(element) {
    var figure = figureFor(element);
    if (!figure || element.getAttribute("data-drawn")) {
      return Promise.resolve();
    }
    element.setAttribute("data-drawn", "true");
    var chosen = chosenSeries[element.id];
    if (chosen) {
      figure.data.forEach(function (trace) { trace.visible = chosen(trace.uid); });
    }
    // The plotly chart is labelled as the SVG it replaces was: by the panel's title and summary.
    var svg = element.querySelector("svg.chart-svg");
    element.setAttribute("role", "group");
    element.setAttribute("aria-labelledby", svg ? svg.getAttribute("aria-labelledby") : "");
    element.textContent = "";
    return window.Plotly.newPlot(element, figure.data, figure.layout, figure.config).then(function () {
      // plotly.js redraws its legend and hover labels (a series switched, a point hovered): mark them each time.
      markLanguages(element);
      element.on("plotly_afterplot", function () { markLanguages(element); });
      element.on("plotly_hover", function () { markLanguages(element); });
    });
  }

  // A series' name in another language than the page's (the trace's meta.name_parts, from
  // reports/charts.py: 4.I5's own Swedish labels on an English page) gets lang on plotly's SVG text,
  // as the legend drawn on the server has <span lang>. A name of several languages keeps the page's:
  // plotly draws it as one text (its line breaks are its own tspans), with nowhere to put a second.
  var XML_NS = "http://www.w3.org/XML/1998/namespace";

  function nameLanguage(trace) {
    var parts = trace && trace.meta && trace.meta.name_parts;
    if (!parts || !parts.length) {
      return null;
    }
    var language = parts[0][1];
    return parts.every(function (part) { return part[1] === language; }) ? language : null;
  }

  // plotly.js reuses its legend's text elements for other traces when it redraws: unmark as well as mark.
  function markText(text, trace) {
    if (!text) {
      return;
    }
    var language = nameLanguage(trace);
    if (language) {
      text.setAttribute("lang", language);
      text.setAttributeNS(XML_NS, "xml:lang", language);
    } else {
      text.removeAttribute("lang");
      text.removeAttributeNS(XML_NS, "lang");
    }
  }

  function markLanguages(element) {
    element.querySelectorAll(".legend .traces").forEach(function (item) {
      var data = item.__data__;
      markText(item.querySelector("text.legendtext"), data && data[0] && data[0].trace);
    });
    element.querySelectorAll(".hoverlayer .hovertext").forEach(function (label) {
      markText(label.querySelector("text.name"), label.__data__ && label.__data__.trace);
    });
  }

  function enableInteractive(button) {
    var chart = document.getElementById(button.getAttribute("data-interactive"));
    if (!chart || !plotlySrc) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = button.getAttribute("data-loading");
      withPlotly(function () {
        drawInteractive(chart).then(function () {
          // The button has done its work; the reader continues in the chart.
          chart.setAttribute("tabindex", "-1");
          chart.focus();
          button.parentNode.removeChild(button);
        });
      });
    });
  }

  // A checkbox with value "12" controls the trace "s12", its piece after a break "s12-…"
  // and its national comparison "n12-…".
  function controls(seriesId, uid) {
    return uid === "s" + seriesId || uid.indexOf("s" + seriesId + "-") === 0 || uid.indexOf("n" + seriesId + "-") === 0;
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
      chosenSeries[chart.id] = isChosen;
      if (chart.data) {
        window.Plotly.restyle(chart, { visible: chart.data.map(function (trace) { return isChosen(trace.uid); }) });
      }
      // The SVG has every series (a hidden one with display="none"), its legend every item.
      chart.querySelectorAll("[data-uid]").forEach(function (item) {
        var shown = isChosen(item.getAttribute("data-uid"));
        if (item.tagName.toLowerCase() === "li") {
          item.hidden = !shown;
        } else if (shown) {
          item.removeAttribute("display");
        } else {
          item.setAttribute("display", "none");
        }
      });
      var query = new URLSearchParams(new FormData(form)).toString();
      window.history.replaceState(null, "", "?" + query);
    });
  }

  function enablePrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function start() {
    document.querySelectorAll("[data-print]").forEach(enablePrint);
    document.querySelectorAll("[data-series-form]").forEach(enhanceSeriesForm);
    document.querySelectorAll("[data-interactive]").forEach(enableInteractive);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
