/* jiangtang: keyboard access to wide tables (WCAG 2.1.1; axe rule scrollable-region-focusable).
 * Material wraps every content table in scrollable boxes at run time; a box that
 * scrolls sideways becomes focusable (tabindex=0) and gets a Chinese label so
 * keyboard and screen-reader users can scroll it too. */
(function () {
  "use strict";
  function mark() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset__table");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      }
    }
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(mark, 0); });
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
