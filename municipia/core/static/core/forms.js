/* Searchable selects and draft autosave for the site's forms (docs/decisions/0029-forms-rendering.md).
 *
 * A <select data-autocomplete="/api/v1/autocomplete/…/"> (core/widgets.py) becomes a Tom Select
 * (shipped by django-tomselect, served from our static files) that asks the endpoint for options as
 * the user types. No inline script or style: the CSP is default-src 'self' (decision 0019).
 */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function dependentValues(select) {
    var name = select.dataset.dependsOn;
    if (!name) return [];
    var form = select.form || document;
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { if (o.value) values.push(o.value); });
      } else if ((el.type !== "checkbox" && el.type !== "radio") || el.checked) {
        if (el.value) values.push(el.value);
      }
    });
    return values;
  }

  // Tom Select points the field's <label> at its own input and hides the <select>, which is left
  // without a name: give it the label's text, and keep it from assistive technology.
  function nameHiddenSelect(select, control) {
    var label = document.querySelector('label[for="' + control.control_input.id + '"]');
    if (label) select.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    select.setAttribute("aria-hidden", "true");
  }

  function initAutocomplete(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    var url = select.dataset.autocomplete;
    var minLength = select.dataset.dependsOn ? 0 : 2;
    var language = document.documentElement.lang || "";
    var control = new window.TomSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: [],
      optgroupField: "group",
      optgroupValueField: "value",
      optgroupLabelField: "label",
      lockOptgroupOrder: true,
      maxOptions: 50,
      loadThrottle: 250,
      preload: minLength === 0 ? "focus" : false,
      placeholder: select.dataset.placeholder,
      plugins: select.multiple ? ["remove_button"] : [],
      shouldLoad: function (query) { return query.length >= minLength; },
      load: function (query, callback) {
        var self = this;
        var params = new URLSearchParams({ q: query });
        if (language) params.set("lang", language);
        var dependent = dependentValues(select);
        if (select.dataset.dependsOn && dependent.length === 0) { callback(); return; }
        dependent.forEach(function (value) { params.append(select.dataset.dependsOn === "networks" ? "network" : select.dataset.dependsOn, value); });
        fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
          .then(function (data) {
            (data.groups || []).forEach(function (group) { self.addOptionGroup(group.value, group); });
            callback(data.results || []);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          var badge = item.colour ? '<span class="badge sdg-badge sdg-' + escape(item.colour) + ' me-1">' + escape(item.colour) + "</span>" : "";
          return "<div>" + badge + escape(item.text) + "</div>";
        },
        item: function (item, escape) { return "<div>" + escape(item.text) + "</div>"; },
        optgroup_header: function (data, escape) {
          var css = data.colour ? " sdg-group sdg-" + escape(data.colour) : "";
          return '<div class="optgroup-header' + css + '">' + escape(data.label) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
        },
        not_loading: function (data) {
          if (data.input.length >= minLength) return;
          return '<div class="no-results">' + escapeHtml(select.dataset.typeMore || "") + "</div>";
        }
      }
    });
    nameHiddenSelect(select, control);
    if (select.dataset.dependsOn && select.form) {
      select.form.querySelectorAll('[name="' + select.dataset.dependsOn + '"]').forEach(function (el) {
        el.addEventListener("change", function () {
          control.clearOptions();
          control.clearCache && control.clearCache();
          control.loadedSearches = {};
        });
      });
    }
  }

  function initSearchable(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    var control = new window.TomSelect(select, {
      maxOptions: null,
      plugins: select.multiple ? ["remove_button"] : [],
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
        }
      }
    });
    nameHiddenSelect(select, control);
  }

  function init(root) {
    root.querySelectorAll("select[data-autocomplete]").forEach(initAutocomplete);
    root.querySelectorAll("select[data-searchable]").forEach(initSearchable);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
