/* Print buttons for the documents of a dossier (Mẫu 01, biên lai): the PDF is loaded in a hidden frame of this page
   and the browser's print dialog opens on it. Without JavaScript (or if the frame cannot print), the link opens the
   PDF in a new tab, where it is printed from the viewer. Static file: CSP 'self', no inline script. */
(function () {
  "use strict";
  function printPdf(link) {
    var old = document.getElementById("print-frame");
    if (old) { old.parentNode.removeChild(old); }
    var frame = document.createElement("iframe");
    frame.id = "print-frame";
    frame.className = "print-frame";
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = link.textContent.trim();
    frame.addEventListener("load", function () {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch (error) {
        window.open(link.href, "_blank", "noopener");
      }
    });
    frame.src = link.href;
    document.body.appendChild(frame);
  }
  var links = document.querySelectorAll("a[data-print-pdf]");
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) { return; }
      event.preventDefault();
      printPdf(event.currentTarget);
    });
  }
})();
