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
    if (document.activeElement === document.body || !document.body.contains(document.activeElement)) {
      var kop = doel.querySelector("h2");
      if (kop) { kop.focus(); }
    }
  });
})();
