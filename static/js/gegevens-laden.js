/* Upload progress for the beheer page "Gegevens laden".
 * The form posts with htmx (hx-post, hx-encoding="multipart/form-data"); htmx fires htmx:xhr:progress
 * while the file is sent. Without JavaScript the form is a plain POST and this file does nothing. */
(function () {
  "use strict";

  function formulier(evt) {
    var el = evt.target;
    return el && el.closest ? el.closest("form[data-voortgang]") : null;
  }

  function onderdelen(form) {
    var balk = document.getElementById(form.getAttribute("data-voortgang"));
    return {
      balk: balk,
      blok: balk ? document.getElementById(balk.id + "-blok") : null,
      status: document.getElementById("upload-status"),
      knop: form.querySelector("button[type=submit]")
    };
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = formulier(evt);
    if (!form) { return; }
    var d = onderdelen(form);
    if (d.balk) { d.balk.value = 0; d.balk.textContent = "0%"; }
    if (d.blok) { d.blok.hidden = false; }
    if (d.status) { d.status.textContent = "Het bestand wordt verzonden…"; }
    if (d.knop) { d.knop.disabled = true; }
  });

  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = formulier(evt);
    if (!form || !evt.detail || !evt.detail.total) { return; }
    var d = onderdelen(form);
    var procent = Math.round((evt.detail.loaded / evt.detail.total) * 100);
    if (d.balk && procent < d.balk.value) { return; } /* the response's own download progress follows */
    if (d.balk) { d.balk.value = procent; d.balk.textContent = procent + "%"; }
    if (d.status && procent >= 100) {
      d.status.textContent = "Het bestand is verzonden en wordt nu gecontroleerd. Dit kan bij grote bestanden even duren.";
    }
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = formulier(evt);
    if (!form) { return; }
    var d = onderdelen(form);
    if (d.knop) { d.knop.disabled = false; }
    if (!evt.detail.successful && d.status) {
      d.status.textContent = "Het verzenden is mislukt. Probeer het opnieuw.";
    }
  });

  /* A form returned with errors: move focus to its error summary, as after a full page load. */
  document.addEventListener("htmx:afterSwap", function (evt) {
    var samenvatting = document.getElementById("foutsamenvatting");
    if (samenvatting) { samenvatting.focus(); }
  });
})();
