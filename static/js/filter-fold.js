// The filter forms (templates/includes/_filter_form.html) fold away at phone width and are
// open on wider screens; without this script CSS shows them open there all the same.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 56rem)");

  function fit() {
    document.querySelectorAll("details[data-filter-fold]").forEach(function (details) {
      var hasErrors = details.querySelector(".errorlist") !== null;
      details.open = wide.matches || hasErrors || details.dataset.openedByVisitor === "yes";
    });
  }

  document.querySelectorAll("details[data-filter-fold] > summary").forEach(function (summary) {
    summary.addEventListener("click", function () {
      var details = summary.parentElement;
      // The click opens or closes it after this handler: remember what the visitor chose.
      details.dataset.openedByVisitor = details.open ? "no" : "yes";
    });
  });
  if (wide.addEventListener) {
    wide.addEventListener("change", fit);
  }
  if (wide.matches) {
    fit();
  }
})();
