// A listing's filters sit in a <details> ("Filter"): closed on narrow screens, so the results come first, and a
// sidebar beside the results on wide ones. Without this script the toggle works as it is (the filters open with a
// click or the keyboard); with it, the filters are open whenever the screen is wide enough for the sidebar.
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 60em)");

  function follow() {
    document.querySelectorAll("details.filter-panel").forEach(function (panel) {
      if (wide.matches) {
        panel.open = true;
      } else if (!panel.hasAttribute("data-keep-open")) {
        panel.open = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", follow);
  wide.addEventListener("change", follow);
})();
