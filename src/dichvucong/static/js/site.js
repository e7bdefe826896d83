/* dichvucong: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  /* Filter panels (<details data-collapse-narrow>) are open in the HTML, so a desktop, or a browser without
     scripts, shows them; on a phone they fold under their summary ("Bộ lọc") so results come first. */
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    var panels = document.querySelectorAll("details[data-collapse-narrow]");
    for (var i = 0; i < panels.length; i++) { panels[i].open = false; }
  }

  /* Searchable pickers: a <select data-picker> (officers, agencies, procedures) gets a search box above it that
     narrows its options as one types, over names and codes without diacritics ("so tu phap" finds "Sở Tư pháp").
     Enter picks the first match; the select itself stays the form field, so without scripts it is a plain list. */
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase();
  }
  function enhance(select) {
    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "-search";
    search.className = "picker-search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = search.id;
    label.className = "picker-label";
    label.textContent = select.getAttribute("data-picker-label") || "Tìm theo tên hoặc mã";
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(search, select);
    select.parentNode.insertBefore(status, select);
    if (select.hasAttribute("data-picker-autofocus")) { search.focus(); }
    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (o) { return fold(o.textContent + " " + o.value); });
    function filter() {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var first = null, shown = 0;
      options.forEach(function (option, index) {
        var match = !option.value || words.every(function (w) { return folded[index].indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match && option.value !== "";
        if (match && option.value) { shown += 1; if (first === null) { first = option; } }
      });
      var groups = select.querySelectorAll("optgroup");
      for (var g = 0; g < groups.length; g++) {
        groups[g].hidden = !groups[g].querySelector("option:not([hidden])");
      }
      status.textContent = shown + " kết quả";
      return first;
    }
    search.addEventListener("input", function () {
      var first = filter();
      if (first && words(search.value)) { select.value = first.value; }
    });
    function words(value) { return fold(value).trim().length > 0; }
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = filter();
        if (first) { select.value = first.value; select.dispatchEvent(new Event("change", { bubbles: true })); }
        event.preventDefault();
        select.focus();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  }
  var pickers = document.querySelectorAll("select[data-picker]");
  for (var p = 0; p < pickers.length; p++) { if (pickers[p].id) { enhance(pickers[p]); } }

  /* A table wider than the screen scrolls sideways: keyboard users reach it (tabindex) and hear what it is. */
  function markScrollable() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var w = 0; w < wraps.length; w++) {
      var wrap = wraps[w];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Bảng");
      }
    }
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);

  /* Links that print the document they open (Mẫu 01, receipts) and print buttons of the page itself. */
  var printers = document.querySelectorAll("[data-print-page]");
  for (var k = 0; k < printers.length; k++) {
    printers[k].hidden = false;
    printers[k].addEventListener("click", function () { window.print(); });
  }
})();
