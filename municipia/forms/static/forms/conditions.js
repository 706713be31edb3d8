// Conditional questions of a form builder's form (forms.forms.AnswersForm): an input carrying
// data-show-if="q12" and data-show-values="4|5" is shown only while question 12's answer is one
// of those values; while hidden it is disabled, so nothing typed in it is sent.
(function () {
  "use strict";
  function chosen(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.disabled) return;
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (input) {
      var wanted = input.getAttribute("data-show-values").split("|");
      var shown = chosen(form, input.getAttribute("data-show-if")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      var wrapper = input.closest(".mb-3") || input.parentElement;
      wrapper.hidden = !shown;
      input.disabled = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-conditions]").forEach(function (form) {
      refresh(form);
      form.addEventListener("change", function () { refresh(form); });
    });
  });
})();
