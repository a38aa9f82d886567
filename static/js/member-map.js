/* The map of members: the page draws a picture (country outlines and a circle per country);
   once it comes into view, this script loads Leaflet and draws over it the interactive map:
   country outlines (world-atlas, drawn by Leaflet without map tiles, so no request leaves the
   site) and one point per current member, coloured by division and grouped by
   Leaflet.markercluster where they are dense. If anything fails to load, the picture and the
   tables stay: the count per country and the list of members. */
(function () {
  "use strict";

  var section = document.querySelector("[data-member-map-section]");
  var container = document.getElementById("member-map");
  var textSource = document.getElementById("member-map-text");
  var script = document.currentScript;
  if (!section || !container || !textSource || !script || typeof window.whenVisible !== "function") {
    return;
  }
  var libraries = {
    stylesheets: script.getAttribute("data-stylesheets").split(" "),
    scripts: script.getAttribute("data-scripts").split(" ")
  };
  window.whenVisible(section, libraries).then(start, function () {});

  function start() {
    if (!window.L || !L.markerClusterGroup || !window.topojson) {
      return;
    }
    var text = JSON.parse(textSource.textContent);
    var status = document.getElementById("member-map-status");
    // Antarctica (ISO 3166 numeric 010) has no members and would fill the bottom of the map.
    var LEFT_OUT = { "010": true };

    function say(message) {
      status.textContent = message;
    }

    function fill(template, count) {
      return template.replace("{count}", String(count));
    }

    function getJson(url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      });
    }

    // The legend, rendered by the page, says which colour each division has.
    var divisions = {};
    Array.prototype.forEach.call(section.querySelectorAll(".map-legend [data-colour]"), function (item) {
      divisions[item.getAttribute("data-division")] = {
        colour: item.getAttribute("data-colour"),
        name: item.getAttribute("data-name")
      };
    });
    var icons = {};
    function iconFor(colour) {
      if (!icons[colour]) {
        icons[colour] = L.divIcon({
          className: "member-marker division-colour-" + colour,
          iconSize: [24, 24],
          html: ""
        });
      }
      return icons[colour];
    }

    // Built when a popup opens, from text nodes: names are never parsed as HTML.
    function popupContent(marker) {
      var member = marker.options.member;
      var box = document.createElement("div");
      box.className = "map-popup";
      var link = document.createElement("a");
      link.href = member.url;
      link.textContent = member.name;
      box.appendChild(link);
      if (member.division) {
        var division = document.createElement("p");
        division.textContent = member.division;
        box.appendChild(division);
      }
      return box;
    }

    // Cluster icons by class only: the site's Content-Security-Policy refuses style attributes.
    function clusterIcon(cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var pixels = { small: 34, medium: 42, large: 52 }[size];
      var label = document.createElement("span");
      label.textContent = String(count);
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " " + fill(text.cluster, count);
      var html = document.createElement("div");
      html.appendChild(label);
      html.appendChild(hint);
      return L.divIcon({
        html: html.innerHTML,
        className: "member-cluster member-cluster--" + size,
        iconSize: [pixels, pixels]
      });
    }

    say(text.loading);

    var animate = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(container, {
      zoomAnimation: animate,
      fadeAnimation: animate,
      markerZoomAnimation: animate,
      attributionControl: false,
      zoomControl: false,
      minZoom: 0,
      maxZoom: 12,
      zoomSnap: 0.25,
      worldCopyJump: false,
      maxBounds: [[-75, -200], [85, 200]],
      maxBoundsViscosity: 0.8
    });
    L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }).addTo(map);
    map.fitBounds([[-50, -170], [75, 180]]);

    // A ring crossing the 180th meridian (Fiji, the east tip of Russia) would be drawn across
    // the whole flat map: its western longitudes are moved past 180 instead.
    function unwrapRing(ring) {
      var longitudes = ring.map(function (point) { return point[0]; });
      if (Math.max.apply(null, longitudes) - Math.min.apply(null, longitudes) <= 180) {
        return ring;
      }
      return ring.map(function (point) {
        return point[0] < 0 ? [point[0] + 360, point[1]] : point;
      });
    }

    function unwrap(geometry) {
      if (geometry.type === "Polygon") {
        geometry.coordinates = geometry.coordinates.map(unwrapRing);
      } else if (geometry.type === "MultiPolygon") {
        geometry.coordinates = geometry.coordinates.map(function (polygon) {
          return polygon.map(unwrapRing);
        });
      }
    }

    var outline = getJson(container.getAttribute("data-outline-url")).then(function (world) {
      var shapes = topojson.feature(world, world.objects.countries);
      shapes.features = shapes.features.filter(function (feature) {
        return !LEFT_OUT[feature.id];
      });
      shapes.features.forEach(function (feature) {
        unwrap(feature.geometry);
      });
      L.geoJSON(shapes, {
        interactive: false,
        style: function () {
          return { className: "map-country", weight: 0.6 };
        }
      }).addTo(map);
    });

    var points = getJson(container.getAttribute("data-points-url")).then(function (data) {
      var clusters = L.markerClusterGroup({
        chunkedLoading: true,
        animate: animate,
        showCoverageOnHover: false,
        maxClusterRadius: 45,
        spiderfyOnMaxZoom: true,
        iconCreateFunction: clusterIcon
      });
      var markers = data.members.map(function (row) {
        var division = divisions[row[2] === null ? "" : String(row[2])] || { colour: "none", name: "" };
        var marker = L.marker([row[3], row[4]], {
          icon: iconFor(division.colour),
          title: row[1],
          keyboard: true,
          member: {
            name: row[1],
            url: data.profile_url.replace("{slug}", row[0]),
            division: division.name
          }
        });
        marker.bindPopup(popupContent);
        return marker;
      });
      clusters.addLayers(markers);
      clusters.addTo(map);
      // Told once the view has settled on the members (moveend fires even if nothing moved).
      map.once("moveend", function () {
        say(fill(text.loaded, markers.length));
        container.setAttribute("data-ready", "");
      });
      if (markers.length) {
        var bounds = L.latLngBounds(markers.map(function (marker) { return marker.getLatLng(); }));
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 5 });
      } else {
        map.fire("moveend");
      }
    });

    // Without the outline the points still tell where the members are.
    outline.catch(function () {});
    points.catch(function () {
      section.classList.add("member-map-section--failed");
      say(text.failed);
    });
  }
})();
