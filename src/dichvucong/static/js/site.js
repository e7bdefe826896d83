/* dichvucong: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  /* Filter panels (<details data-collapse-narrow>) are open in the HTML, so a desktop, or a browser without
     scripts, shows them; on a phone they fold under their summary ("Bộ lọc") so results come first. */
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    var panels = document.querySelectorAll("details[data-collapse-narrow]");
    for (var i = 0; i < panels.length; i++) { panels[i].open = false; }
  }
})();
