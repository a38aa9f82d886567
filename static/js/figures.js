/* The Figures page: draws each figure's chart with Chart.js from the page's JSON data block.
   Without this script (or Chart.js) the tables, open by default, carry the same numbers. */
(function () {
  "use strict";

  var source = document.getElementById("figures-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var figures = JSON.parse(source.textContent);

  // The site's brand, accent and soft ink: each at least 6:1 against the white page.
  var COLOURS = ["#0b5563", "#9a3b00", "#4a5565"];
  var INK = "#1b2430";
  var GRID = "#d5dbe2";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = INK;

  // Long names are shortened on the axis of a narrow chart; the tooltip keeps them whole.
  function shortLabel(label, width) {
    var most = width < 480 ? 16 : 32;
    return label.length > most ? label.slice(0, most - 1) + "…" : label;
  }

  function config(figure) {
    var horizontal = figure.horizontal;
    var valueAxis = {
      beginAtZero: true,
      stacked: figure.stacked,
      grid: { color: GRID },
      ticks: { precision: 0 },
    };
    var categoryAxis = {
      stacked: figure.stacked,
      grid: { display: false },
      ticks: {
        autoSkip: !horizontal,
        callback: function (value) {
          return shortLabel(String(this.getLabelForValue(value)), this.chart.width);
        },
      },
    };
    return {
      type: "bar",
      data: {
        labels: figure.labels,
        datasets: figure.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: COLOURS[index % COLOURS.length],
            borderColor: "#ffffff",
            borderWidth: figure.stacked ? 1 : 0,
            maxBarThickness: 36,
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : { duration: 400 },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: figure.datasets.length > 1, position: "bottom" },
          tooltip: { mode: "index", intersect: false },
        },
      },
    };
  }

  document.querySelectorAll("[data-figure-chart]").forEach(function (box) {
    var figure = figures[box.getAttribute("data-figure-chart")];
    var canvas = box.querySelector("canvas");
    if (!figure || !canvas || !figure.labels.length) {
      return;
    }
    if (figure.horizontal) {
      box.style.setProperty("--bars", String(figure.labels.length));
    }
    box.hidden = false;
    new Chart(canvas, config(figure));
    // The chart is drawn: its table folds away, one click from view.
    var table = box.parentElement.querySelector("[data-figure-table]");
    if (table) {
      table.open = false;
    }
  });
})();
