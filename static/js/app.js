// Filing Desk: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Add a row to a formset by cloning its empty form (Django's __prefix__ convention).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById("empty-" + prefix);
    var body = document.getElementById("rows-" + prefix);
    if (!total || !template || !body) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
  });
  // Submit the language switcher as soon as a language is chosen.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  // Ask before irreversible actions.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Amounts read with thousands separators ("1,234,567.89"): regrouped as the person leaves the
  // field. The server accepts the amount with or without them. Strings, not numbers: an 18-digit
  // amount does not fit a double.
  function groupMoney(text) {
    var plain = text.replace(/[,\uff0c\s'\u2019_]/g, "");
    var match = /^(-?)(\d+)(?:\.(\d{0,2}))?$/.exec(plain);
    if (!match) return text; // left as typed; the server names what is wrong with it
    var whole = match[2].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return match[1] + whole + "." + ((match[3] || "") + "00").slice(0, 2);
  }
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-money]") && input.value.trim() !== "") {
      input.value = groupMoney(input.value.trim());
    }
  });

  // Warn before leaving a page with unsaved changes. A form becomes dirty when something is typed
  // or chosen in it; submitting saves (so nothing is pending any more), and an in-place (HTMX) form
  // is clean again once the server has saved it. Forms are keyed by id, or by their action and
  // hidden fields, so that a form the server swapped back in (e.g. with an error) keeps its state.
  var dirty = {};
  function formKey(form) {
    if (form.id) return "#" + form.id;
    var hidden = Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken])"),
      function (input) { return input.name + "=" + input.value; }
    );
    return (form.getAttribute("action") || "") + "?" + hidden.join("&");
  }
  function tracked(form) {
    return form && (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      !form.hasAttribute("data-no-dirty") && !form.querySelector("[data-autosubmit]");
  }
  function markDirty(event) {
    var form = event.target.form;
    if (tracked(form)) dirty[formKey(form)] = true;
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) dirty = {}; // a full-page submit: the page is leaving to save
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (!form || !event.detail.successful) return;
    var onlyChecked = /_validate/.test(form.getAttribute("hx-vals") || "");
    var refused = /class="[^"]*(errorlist|has-error)/.test(event.detail.xhr.responseText || "");
    if (!onlyChecked && !refused) delete dirty[formKey(form)];
  });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(dirty).length === 0) return;
    event.preventDefault();
    event.returnValue = ""; // older Chromium asks only when returnValue is set
  });
})();
