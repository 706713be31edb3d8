// Starts ReDoc on the API schema, under a Content-Security-Policy without 'unsafe-inline'.
// ReDoc writes its styles into <style> elements, some while its bundle loads. This script runs
// first and carries the page's nonce (style-src 'self' 'nonce-…' on this page only): every <style>
// element created on the page gets it. Only the site's own scripts run here (script-src 'self').
(function () {
  "use strict";
  const nonce = document.currentScript.nonce;
  const createElement = Document.prototype.createElement;
  document.createElement = function (name, options) {
    const element = createElement.call(this, name, options);
    if (String(name).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
  document.addEventListener("DOMContentLoaded", function () {
    const container = document.getElementById("redoc-container");
    Redoc.init(container.dataset.specUrl, { nonce: nonce }, container);
  });
})();
