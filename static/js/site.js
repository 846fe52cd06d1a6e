/* Only improves pages that work without it. Wide screens: filter panels (<details
   data-open-wide>) start open, as a sidebar; phones keep them behind the 筛选 button. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 56rem)").matches) { return; }
  document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
}());
/* Error summary (GOV.UK): a link to a problem puts the cursor in that field, not just near it. */
(function () {
  "use strict";
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus({preventScroll: true});
    });
  });
}());
