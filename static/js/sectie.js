/* Sections of an agreement are saved with htmx. When a swap removes the element that had focus (a deleted
 * row, a conflict), put focus somewhere sensible instead of letting it fall back to the top of the page. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (evt) {
    var doel = evt.detail.target;
    if (!doel || !doel.classList || !doel.classList.contains("sectie")) {
      doel = document.getElementById(doel && doel.id);
    }
    if (!doel) { return; }
    var conflict = doel.querySelector(".conflict, .foutsamenvatting");
    if (conflict) { conflict.focus(); return; }
    if (document.activeElement !== document.body && document.body.contains(document.activeElement)) { return; }
    var naar;
    if (doel.classList.contains("rij--nieuw")) {
      // The form to add a row, just opened: its first field.
      naar = doel.querySelector("input:not([type=hidden]), select, textarea");
    } else if (doel.classList.contains("rij")) {
      // A row opened for editing: its first field (or the first with an error); a row closed: its edit link.
      naar = doel.querySelector(".veld--fout input, .veld--fout select, .veld--fout textarea") ||
        doel.querySelector(".rij__formulier input:not([type=hidden]), .rij__formulier select, .rij__formulier textarea") ||
        doel.querySelector("a.button");
    } else {
      naar = doel.querySelector("h2");
    }
    if (naar) { naar.focus(); }
  });

  // A refused or failed save (403, 500, no connection) swaps nothing, so without this the page would look as
  // if it had saved. Say so in the status next to the form (role="status"); what was typed stays in the fields.
  function meld(evt, tekst) {
    var bron = evt.detail.elt;
    var blok = bron && bron.closest ? bron.closest(".rij, .sectie") : null;
    var status = blok && blok.querySelector(".opslagstatus");
    if (status) { status.textContent = tekst; }
  }
  document.addEventListener("htmx:responseError", function (evt) {
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    meld(evt, code === 403
      ? "Niet opgeslagen: deze uitvoeringsafspraak kan niet meer worden gewijzigd. Vernieuw de pagina."
      : "Niet opgeslagen door een fout bij de server. Uw invoer staat er nog; probeer het over een minuut opnieuw.");
  });
  document.addEventListener("htmx:sendError", function (evt) {
    meld(evt, "Niet opgeslagen: geen verbinding. Uw invoer staat er nog; probeer het opnieuw zodra er weer verbinding is.");
  });
})();
