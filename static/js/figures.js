/* The Figures page: each chart is drawn on the server as SVG (the numbers are there without
   any script). Once a chart comes into view, Chart.js is loaded and draws over the same box,
   adding tooltips; the SVG stays underneath, hidden, so that nothing moves. */
(function () {
  "use strict";

  var source = document.getElementById("figures-data");
  var library = document.currentScript && document.currentScript.getAttribute("data-chart-js");
  if (!source || !library || typeof window.whenVisible !== "function") {
    return;
  }
  var figures = JSON.parse(source.textContent);

  // The site's brand, accent and soft ink: each at least 6:1 against the white page.
  var COLOURS = ["#0b5563", "#9a3b00", "#4a5565"];
  var INK = "#1b2430";
  var GRID = "#d5dbe2";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function setDefaults(Chart) {
    Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 13;
    Chart.defaults.color = INK;
  }

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

  function draw(box, figure) {
    var Chart = window.Chart;
    if (Chart.defaults.color !== INK) {
      setDefaults(Chart);
    }
    var canvas = document.createElement("canvas");
    // The box is the image, with its summary; the canvas repeats it in pixels.
    canvas.setAttribute("aria-hidden", "true");
    box.appendChild(canvas);
    new Chart(canvas, config(figure));
    box.classList.add("figure__chart--live");
  }

  document.querySelectorAll("[data-figure-chart]").forEach(function (box) {
    var figure = figures[box.getAttribute("data-figure-chart")];
    if (!figure || !figure.labels.length) {
      return;
    }
    window
      .whenVisible(box, { scripts: [library] })
      .then(function () {
        draw(box, figure);
      })
      .catch(function () {}); // the server's drawing stays
  });
})();
