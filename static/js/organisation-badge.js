/* A member's profile: the "Copy the HTML" button of the badge snippet. Without this script
   the snippet stays in its read-only text box, ready to be selected and copied by hand. */
(function () {
  "use strict";

  var button = document.querySelector("[data-copy-target]");
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  var status = document.querySelector("[data-copy-status]");
  if (!source || !status) {
    return;
  }

  function copied(ok) {
    status.textContent = button.getAttribute(ok ? "data-copied" : "data-copy-failed");
    if (!ok) {
      source.focus();
      source.select();
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(
        function () { copied(true); },
        function () { copied(false); }
      );
      return;
    }
    source.focus();
    source.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    copied(ok);
  });
})();
