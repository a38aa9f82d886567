/* Loads a section's libraries only once the visitor is using the page and the section is in
   view: the server has drawn the section already, the libraries only make it interactive, so
   loading the page never waits for them (nor does a visitor who only reads the first screen).
   `whenVisible(section, {scripts: [...], stylesheets: [...]})` answers a promise settled once
   every script has run (in the order given). Browsers without IntersectionObserver load at
   the visitor's first move. */
(function () {
  "use strict";

  var requested = {};

  function load(tag, url) {
    if (!requested[url]) {
      requested[url] = new Promise(function (resolve, reject) {
        var element = document.createElement(tag);
        if (tag === "script") {
          element.src = url;
          element.async = false; // run in the order inserted
        } else {
          element.rel = "stylesheet";
          element.href = url;
        }
        element.onload = resolve;
        element.onerror = function () {
          reject(new Error(url));
        };
        document.head.appendChild(element);
      });
    }
    return requested[url];
  }

  // The visitor's first scroll, touch, key or pointer move.
  var ACTIVITY = ["scroll", "wheel", "touchstart", "pointerdown", "pointermove", "keydown", "focusin"];
  var active = new Promise(function (resolve) {
    function done() {
      ACTIVITY.forEach(function (name) {
        window.removeEventListener(name, done, true);
      });
      resolve();
    }
    ACTIVITY.forEach(function (name) {
      window.addEventListener(name, done, { capture: true, passive: true });
    });
  });

  function inView(section) {
    return new Promise(function (resolve) {
      if (!("IntersectionObserver" in window)) {
        resolve();
        return;
      }
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(section);
    });
  }

  window.whenVisible = function (section, libraries) {
    return active.then(function () {
      return inView(section);
    }).then(function () {
      var styles = (libraries.stylesheets || []).map(function (url) { return load("link", url); });
      var scripts = (libraries.scripts || []).map(function (url) { return load("script", url); });
      return Promise.all(styles.concat(scripts));
    });
  };
})();
