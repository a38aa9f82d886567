/* The cooperation network as a graph: the page draws a first picture of it; once it comes
   into view, this script loads Cytoscape and draws over the same box the API's network (with
   the page's filters and size), one circle per organisation, sized by its number of
   agreements and coloured by division, one line per pair of organisations that signed
   together. Selecting a circle opens the organisation's page. If anything fails, the page
   keeps its picture and its table of the same organisations. */
(function () {
  "use strict";

  var section = document.querySelector("[data-network-section]");
  var container = document.getElementById("network-graph");
  var textSource = document.getElementById("network-text");
  var library = document.currentScript && document.currentScript.getAttribute("data-cytoscape");
  if (!section || !container || !textSource || !library || typeof window.whenVisible !== "function") {
    return;
  }
  var text = JSON.parse(textSource.textContent);
  var status = document.getElementById("network-status");

  function say(message) {
    status.textContent = message;
  }

  // The legend, rendered by the page, says which colour each division has (site.css).
  var colours = {};
  Array.prototype.forEach.call(section.querySelectorAll(".network-legend [data-division]"), function (item) {
    var swatch = item.querySelector(".network-legend__swatch");
    colours[item.getAttribute("data-division")] = getComputedStyle(swatch).getPropertyValue("--division-colour").trim();
  });
  var ink = getComputedStyle(document.documentElement).getPropertyValue("--ink").trim() || "#1b2430";

  function colourOf(node) {
    return colours[node.division || ""] || colours[""] || "#8a949e";
  }

  function elementsOf(network) {
    var most = 1;
    network.nodes.forEach(function (node) {
      most = Math.max(most, node.agreement_count);
    });
    var ranked = network.nodes.slice().sort(function (a, b) {
      return b.agreement_count - a.agreement_count;
    });
    // The biggest organisations carry their name (fewer on a phone); the others show it
    // under the pointer.
    var labelled = {};
    ranked.slice(0, container.clientWidth < 600 ? 6 : 12).forEach(function (node) {
      labelled[node.slug] = true;
    });
    var elements = network.nodes.map(function (node) {
      return {
        group: "nodes",
        data: {
          id: node.slug,
          name: node.name,
          url: node.web_url,
          colour: colourOf(node),
          size: 14 + 40 * Math.sqrt(node.agreement_count / most)
        },
        classes: labelled[node.slug] ? "labelled" : ""
      };
    });
    // The API gives one edge per agreement; the graph draws one line per pair of
    // organisations, wider for more agreements.
    var pairs = {};
    network.edges.forEach(function (edge) {
      var ends = [edge.source, edge.target].sort();
      var key = ends.join(" ");
      if (!pairs[key]) {
        pairs[key] = { source: ends[0], target: ends[1], count: 0 };
      }
      pairs[key].count += 1;
    });
    Object.keys(pairs).forEach(function (key, index) {
      var pair = pairs[key];
      elements.push({
        group: "edges",
        data: {
          id: "link-" + index,
          source: pair.source,
          target: pair.target,
          width: Math.min(1.5 + 1.5 * Math.log2(pair.count), 8)
        }
      });
    });
    return elements;
  }

  function draw(network) {
    var cy = window.cytoscape({
      container: container,
      elements: elementsOf(network),
      layout: { name: "null" },
      minZoom: 0.2,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        {
          selector: "node",
          style: {
            width: "data(size)",
            height: "data(size)",
            "background-color": "data(colour)",
            "border-width": 1.5,
            "border-color": ink,
            "font-size": 12,
            color: ink,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "ellipsis",
            "text-max-width": "150px",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": "2px",
            "min-zoomed-font-size": 7
          }
        },
        { selector: "node.labelled, node.pointed", style: { label: "data(name)" } },
        { selector: "node.pointed", style: { "border-width": 3, "z-index": 10 } },
        {
          selector: "edge",
          style: { width: "data(width)", "line-color": "#7b8794", opacity: 0.75, "curve-style": "haystack" }
        }
      ]
    });
    cy.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    cy.on("mouseover", "node", function (event) {
      event.target.addClass("pointed");
      container.classList.add("network-graph--pointer");
    });
    cy.on("mouseout", "node", function (event) {
      event.target.removeClass("pointed");
      container.classList.remove("network-graph--pointer");
    });
    var layout = cy.layout({
      name: "cose",
      animate: false,
      randomize: true,
      padding: 24,
      componentSpacing: 60,
      nodeRepulsion: function () {
        return 60000;
      },
      idealEdgeLength: function () {
        return 60;
      }
    });
    layout.one("layoutstop", function () {
      // Names keep a readable size when the whole graph is fitted in small.
      var scale = Math.max(1, 1 / cy.zoom());
      cy.style()
        .selector("node")
        .style({ "font-size": 12 * scale, "text-max-width": 150 * scale + "px", "text-margin-y": 3 * scale })
        .update();
      var links = cy.edges().length;
      container.setAttribute("data-nodes-drawn", String(cy.nodes().length));
      section.classList.add("network-graph-section--live");
      say(text.drawn.replace("{nodes}", cy.nodes().length.toLocaleString()).replace("{links}", links.toLocaleString()));
    });
    layout.run();
  }

  function failed() {
    section.classList.add("network-graph-section--failed");
    say(text.failed);
  }

  window.whenVisible(section, { scripts: [library] })
    .then(function () {
      say(text.drawing);
      return fetch(container.getAttribute("data-api-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      });
    })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(failed);
})();
