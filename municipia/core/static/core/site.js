/* Site-wide behaviour, loaded by base.html (the CSP allows no inline script, decision 0019).
 *
 * - A progress bar at the top of the page while any htmx request runs (SDG suggestions, job bars,
 *   autosave…) and after a search form is sent, until the next page arrives.
 * - Buttons marked `data-print` print the page (receipts).
 */
(function () {
  "use strict";
  var pending = 0;

  function bar() {
    return document.getElementById("page-progress");
  }

  function show() {
    document.documentElement.classList.add("is-loading");
    var element = bar();
    if (element) {
      element.setAttribute("aria-hidden", "false");
      element.setAttribute("aria-busy", "true");
    }
  }

  function hide() {
    document.documentElement.classList.remove("is-loading");
    var element = bar();
    if (element) {
      element.setAttribute("aria-hidden", "true");
      element.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("htmx:beforeRequest", function () {
    pending += 1;
    show();
  });
  document.addEventListener("htmx:afterRequest", function () {
    pending = Math.max(0, pending - 1);
    if (pending === 0) {
      hide();
    }
  });

  // A search (or any form marked data-progress) loads a new page: show the bar until it comes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches('form[role="search"], form[data-progress]') && !event.defaultPrevented) {
      show();
      var button = form.querySelector('[type="submit"]');
      if (button) {
        button.classList.add("is-busy");
      }
    }
  });
  // Coming back to a page from the browser's history: nothing is loading any more.
  window.addEventListener("pageshow", function () {
    pending = 0;
    hide();
    document.querySelectorAll(".is-busy").forEach(function (button) {
      button.classList.remove("is-busy");
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
