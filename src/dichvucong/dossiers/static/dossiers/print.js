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
      /* A frame the server refused (or an error page) is not this site's document: open the PDF instead. */
      try {
        var loaded = frame.contentDocument;
        if (!loaded || loaded.contentType !== "application/pdf") { throw new Error("not the PDF"); }
        frame.contentWindow.focus();
        link.setAttribute("data-print-state", "printing");
        /* A cancelable "dcv:print" event first: a page part (or a test driver, whose browser would block on the
           print dialog) may take over the printing. */
        var event = new CustomEvent("dcv:print", { cancelable: true, detail: { frame: frame } });
        if (link.dispatchEvent(event)) { frame.contentWindow.print(); }
      } catch (error) {
        link.setAttribute("data-print-state", "opened");
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
