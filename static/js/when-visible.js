/* Loads a section's libraries only once the section comes into view, so that a page's first
   paint never waits for them. `whenVisible(section, {scripts: [...], stylesheets: [...]})`
   answers a promise settled once every script has run (in the order given). Browsers without
   IntersectionObserver load at once. */
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
    return inView(section).then(function () {
      var styles = (libraries.stylesheets || []).map(function (url) { return load("link", url); });
      var scripts = (libraries.scripts || []).map(function (url) { return load("script", url); });
      return Promise.all(styles.concat(scripts));
    });
  };
})();
