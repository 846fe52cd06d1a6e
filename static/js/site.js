/* Only improves pages that work without it. Wide screens: filter panels (<details
   data-open-wide>) start open, as a sidebar; phones keep them behind the 筛选 button. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 56rem)").matches) { return; }
  document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
}());
