// Choosing the conference where a record was signed fills in its city and country, unless
// they were typed in by hand.
"use strict";

(function () {
  function setUp(select) {
    const form = select.form;
    const city = form && form.elements[select.dataset.cityField];
    const country = form && form.elements[select.dataset.countryField];
    if (!city || !country) {
      return;
    }
    const filled = { city: null, country: null };

    function mayFill(field, key) {
      return field.value === "" || field.value === filled[key];
    }

    function fill(place) {
      if (mayFill(city, "city") && place.city) {
        city.value = place.city;
        filled.city = place.city;
      }
      if (mayFill(country, "country") && place.country) {
        country.value = place.country;
        filled.country = country.value;
        country.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function onChange() {
      const id = select.value;
      if (!/^\d+$/.test(id)) {
        return;
      }
      const url = select.dataset.placeUrl.replace(/\/0\/$/, "/" + id + "/");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (place) {
          if (place) {
            fill(place);
          }
        })
        .catch(function () {
          // Without the place, the fields stay as they are; saving fills them in.
        });
    }

    // The autocomplete widget (Select2) announces a choice through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).on("change", onChange);
    } else {
      select.addEventListener("change", onChange);
    }
  }

  function start() {
    document.querySelectorAll("select[data-place-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
