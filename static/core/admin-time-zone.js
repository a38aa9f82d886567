// The time zone list offers the chosen country's zones first, and picks the zone of a country
// that has only one while the zone is still the default (UTC) or was picked here before.
"use strict";

(function () {
  function setUp(select) {
    const data = document.getElementById(select.id + "-zones-by-country");
    const country = select.form && select.form.elements[select.dataset.countryField];
    if (!data || !country) {
      return;
    }
    const zonesByCountry = JSON.parse(data.textContent);
    const status = document.createElement("span");
    status.className = "help time-zone-status";
    status.setAttribute("aria-live", "polite");
    select.insertAdjacentElement("afterend", status);

    select.addEventListener("change", function () {
      delete select.dataset.picked;
      status.textContent = "";
    });

    // On a country chosen now, not on the page's load: a stored zone changes only when asked.
    function offerZonesOf(code, pick) {
      const old = select.querySelector("optgroup[data-country-zones]");
      if (old) {
        old.remove();
      }
      const zones = zonesByCountry[code] || [];
      if (!zones.length) {
        return;
      }
      const countryName = country.options ? country.options[country.selectedIndex].text : code;
      const group = document.createElement("optgroup");
      group.label = select.dataset.countryGroupLabel + ": " + countryName;
      group.dataset.countryZones = "";
      zones.forEach(function (zone) {
        group.appendChild(new Option(zone.replace(/_/g, " "), zone));
      });
      select.insertBefore(group, select.firstChild);
      const untouched = select.value === "UTC" || select.value === "" || "picked" in select.dataset;
      if (pick && zones.length === 1 && untouched && select.value !== zones[0]) {
        select.value = zones[0];
        select.dataset.picked = "";
        status.textContent = select.dataset.pickedLabel + " " + zones[0];
      } else if (zones.indexOf(select.value) >= 0) {
        // The same zone is now also first in the list: show it selected there.
        select.value = select.value;
      }
    }

    country.addEventListener("change", function () {
      offerZonesOf(country.value, true);
    });
    offerZonesOf(country.value, false);
  }

  function start() {
    document.querySelectorAll("select[data-time-zone-select]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
