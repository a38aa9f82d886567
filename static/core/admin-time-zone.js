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
      const current = select.value;
      const old = select.querySelector("optgroup[data-country-zones]");
      if (old) {
        old.remove();
      }
      const zones = zonesByCountry[code] || [];
      if (zones.length) {
        const countryName = country.options ? country.options[country.selectedIndex].text : code;
        const group = document.createElement("optgroup");
        group.label = select.dataset.countryGroupLabel + ": " + countryName;
        group.dataset.countryZones = "";
        zones.forEach(function (zone) {
          group.appendChild(new Option(zone.replace(/_/g, " "), zone));
        });
        select.insertBefore(group, select.firstChild);
      }
      // Removing the group may have taken the selected option with it.
      select.value = current;
      if (!pick) {
        return;
      }
      const untouched = current === "UTC" || current === "" || "picked" in select.dataset;
      if (!untouched) {
        return;
      }
      if (zones.length === 1) {
        select.value = zones[0];
        select.dataset.picked = "";
        status.textContent = select.dataset.pickedLabel + " " + zones[0];
      } else if ("picked" in select.dataset) {
        // The zone picked for the country before is not this one's: back to the default,
        // which the form warns about when saved.
        select.value = "UTC";
        delete select.dataset.picked;
        status.textContent = "";
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
