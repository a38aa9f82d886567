// Names for the admin's controls that come without one: the autocomplete widget (Select2)
// builds its own boxes beside the labelled <select> it replaces, and a tabular inline labels
// its columns in the table's header only.
"use strict";

(function () {
  // The name of a control: its label's text, or in a tabular inline its column's header.
  function nameOf(control) {
    const label = control.id && document.querySelector('label[for="' + control.id + '"]');
    if (label) {
      return label.textContent.replace(/:\s*$/, "").trim();
    }
    const cell = control.closest("td");
    const table = cell && cell.closest(".tabular table");
    if (!table) {
      return "";
    }
    const row = cell.closest("tr");
    const header = table.querySelectorAll("thead th")[Array.from(row.children).indexOf(cell)];
    const rows = Array.from(table.querySelectorAll("tbody tr.form-row"));
    return header ? header.textContent.trim() + " " + (rows.indexOf(row) + 1) : "";
  }

  function nameSelect2(root) {
    root.querySelectorAll(".select2-container").forEach(function (container) {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT" || !select.id) {
        return;
      }
      const text = nameOf(select);
      if (!text) {
        return;
      }
      container.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
        box.setAttribute("aria-label", text);
      });
      // The combobox is named by the chosen value's text, empty before a choice: the field's
      // name goes first.
      const nameId = select.id + "-accessible-name";
      if (!document.getElementById(nameId)) {
        const name = document.createElement("span");
        name.id = nameId;
        name.hidden = true;
        name.textContent = text;
        container.insertAdjacentElement("afterend", name);
      }
      container.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
        const ids = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
        if (ids.indexOf(nameId) < 0) {
          box.setAttribute("aria-labelledby", [nameId].concat(ids).join(" "));
        }
      });
      container.querySelectorAll(".select2-selection__rendered[role=textbox]:not([aria-label])")
        .forEach(function (box) {
          box.setAttribute("aria-label", text);
        });
    });
  }

  // An open dropdown's search box names its list of results, and so its <select>.
  function nameDropdownSearch(root) {
    root.querySelectorAll(".select2-search--dropdown .select2-search__field:not([aria-label])")
      .forEach(function (box) {
        const match = /^select2-(.+)-results$/.exec(box.getAttribute("aria-controls") || "");
        const select = match && document.getElementById(match[1]);
        const text = select && nameOf(select);
        if (text) {
          box.setAttribute("aria-label", text);
        }
      });
  }

  function nameTabularInlines(root) {
    root.querySelectorAll(".tabular table tbody tr.form-row").forEach(function (row) {
      row.querySelectorAll("input:not([type=hidden]):not([aria-label]), select:not([aria-label])")
        .forEach(function (control) {
          if (!(control.labels && control.labels.length)) {
            const text = nameOf(control);
            if (text) {
              control.setAttribute("aria-label", text);
            }
          }
        });
    });
  }

  function nameAll() {
    nameSelect2(document);
    nameDropdownSearch(document);
    nameTabularInlines(document);
  }

  function start() {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
