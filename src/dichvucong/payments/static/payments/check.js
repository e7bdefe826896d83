/* dichvucong payments: a payment still pending (its callback not come yet) is checked once by itself.
   The «Kiểm tra lại» form (payments/_check.html) is submitted a few seconds after the page loads, once per
   payment and browser tab (sessionStorage); afterwards the payer presses the button. Without scripts the button
   alone does the same. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-payment-check]");
  if (!form) { return; }
  var key = "payment-checked-" + form.getAttribute("data-payment-check");
  try {
    if (window.sessionStorage.getItem(key)) { return; }
    window.sessionStorage.setItem(key, "1");
  } catch (e) {
    return; /* no storage: no automatic check (it could not be limited to once) */
  }
  var seconds = parseInt(form.getAttribute("data-check-after"), 10);
  if (isNaN(seconds) || seconds < 0) { seconds = 5; }
  window.setTimeout(function () { form.submit(); }, (seconds + 1) * 1000);
})();
