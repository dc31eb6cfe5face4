/* The phase pages of an agreement: nothing typed is lost.
 *
 * Every section and open row ([data-autosave]) is saved with htmx (its hx-trigger is the event "opslaan") a
 * moment after the user stops typing, and at once before the page is left. While something is unsaved or
 * being saved, leaving the page waits for it, or asks first. Without this script the page is one form whose
 * buttons save everything (afspraken/_fase_inhoud.html); with it, those buttons still post that form for
 * navigation, after the saves under way are done. */
(function () {
  "use strict";

  var PAUZE_TYPEN = 800;    // ms after the last keystroke
  var PAUZE_KEUZE = 150;    // ms after a change (a choice, leaving a field)

  var timers = new Map();   // block → timeout of its pending save
  var onderweg = 0;         // requests under way
  var wachtenden = [];      // callbacks for when nothing is pending or under way
  var mislukt = false;      // the last save failed: do not leave the page silently
  var wegVanPagina = false; // the page form is being submitted: no question on leaving

  function blokVan(el) { return el && el.closest ? el.closest("[data-autosave]") : null; }
  function nieuwVan(el) { return el && el.closest ? el.closest("[data-nieuw]") : null; }

  function status(el, tekst, html) {
    var blok = el && el.closest ? el.closest(".rij, .sectie") : null;
    var plek = blok && blok.querySelector(".opslagstatus");
    if (!plek) { return; }
    if (html) { plek.innerHTML = html; } else { plek.textContent = tekst; }
  }

  function plan(blok, wacht) {
    clearTimeout(timers.get(blok));
    blok.setAttribute("data-gewijzigd", "");
    timers.set(blok, setTimeout(function () { bewaar(blok); }, wacht));
  }

  function bewaar(blok) {
    clearTimeout(timers.get(blok));
    timers.delete(blok);
    if (document.body.contains(blok)) { htmx.trigger(blok, "opslaan"); }
  }

  // Save every block with changes now (before leaving, or when asked), then call `klaar(gelukt)`.
  function bewaarAlles(klaar) {
    timers.forEach(function (_, blok) { bewaar(blok); });
    document.querySelectorAll("[data-autosave][data-gewijzigd]").forEach(function (blok) {
      if (!timers.has(blok)) { htmx.trigger(blok, "opslaan"); }
    });
    mislukt = false;
    wachtTotRust(function () { klaar(!mislukt && !document.querySelector("[data-autosave][data-gewijzigd]")); });
  }

  function wachtTotRust(klaar) {
    // htmx sends a triggered request in a later task: look once the queue has had its turn.
    setTimeout(function () {
      if (onderweg === 0 && timers.size === 0) { klaar(); } else { wachtenden.push(klaar); }
    }, 0);
  }

  function rust() {
    if (onderweg > 0 || timers.size > 0) { return; }
    var lijst = wachtenden; wachtenden = [];
    lijst.forEach(function (klaar) { klaar(); });
  }

  function nietsOpen() {
    return !document.querySelector("[data-autosave][data-gewijzigd], [data-nieuw][data-gewijzigd]") &&
      timers.size === 0 && onderweg === 0;
  }

  document.addEventListener("input", function (evt) {
    var blok = blokVan(evt.target);
    if (blok) { plan(blok, PAUZE_TYPEN); return; }
    var nieuw = nieuwVan(evt.target);
    if (nieuw) { nieuw.setAttribute("data-gewijzigd", ""); }
  });
  document.addEventListener("change", function (evt) {
    var blok = blokVan(evt.target);
    if (blok) { plan(blok, PAUZE_KEUZE); return; }
    var nieuw = nieuwVan(evt.target);
    if (nieuw) { nieuw.setAttribute("data-gewijzigd", ""); }
  });

  // The token can change while the page is open (a log-in in another tab rotates it): send the current one,
  // in the header and in the form's own field, which Django reads first.
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }
  function werkTokenBij() {
    var token = csrfToken();
    if (token) {
      document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (el) { el.value = token; });
    }
    return token;
  }
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = werkTokenBij();
    if (token) {
      evt.detail.headers["X-CSRFToken"] = token;
      if (evt.detail.verb !== "get") { evt.detail.parameters.csrfmiddlewaretoken = token; }
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    onderweg += 1;
    var blok = blokVan(evt.detail.elt);
    if (blok) {
      // The request carries what is typed now; typing after this marks the block again.
      blok.removeAttribute("data-gewijzigd");
      if (evt.detail.elt === blok) { status(blok, "Bezig met opslaan…"); }
    }
    var nieuw = nieuwVan(evt.detail.elt);
    if (nieuw) { nieuw.removeAttribute("data-gewijzigd"); }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    onderweg = Math.max(0, onderweg - 1);
    if (!evt.detail.successful && evt.detail.xhr && [409, 422].indexOf(evt.detail.xhr.status) === -1) {
      mislukt = true;
      var blok = blokVan(evt.detail.elt) || nieuwVan(evt.detail.elt);
      if (blok && document.body.contains(blok)) { blok.setAttribute("data-gewijzigd", ""); }
    } else if (evt.detail.xhr && [409, 422].indexOf(evt.detail.xhr.status) !== -1) {
      mislukt = true;  // the section came back with its errors or a conflict: the user must look first
    }
    setTimeout(rust, 0);
  });

  // A refused or failed save swaps nothing, so without this the page would look as if it had saved. Say so in
  // the status next to the form (role="status"); what was typed stays in the fields.
  document.addEventListener("htmx:responseError", function (evt) {
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (code === 401) {
      var inloggen = evt.detail.xhr.getResponseHeader("X-Inloggen") || "/inloggen/";
      status(evt.detail.elt, "", "Niet opgeslagen: u bent uitgelogd, omdat uw sessie is verlopen. Uw tekst staat er nog. " +
        '<a href="' + inloggen.replace(/"/g, "") + '" target="_blank" rel="noopener">Log opnieuw in (opent in een nieuw tabblad)</a>' +
        " en kom dan hier terug: wat u daarna typt of opslaat, wordt weer bewaard.");
    } else if (code === 403 && evt.detail.xhr.getResponseHeader("X-CSRF-Mislukt")) {
      // The CSRF check failed (techniek/foutpaginas.py): the cookie is gone, not the right to edit.
      status(evt.detail.elt, "Niet opgeslagen: de beveiligingscode van deze pagina klopt niet meer (weigert uw browser " +
        "cookies?). Uw tekst staat er nog; kopieer wat u wilt bewaren en vernieuw de pagina.");
    } else if (code === 403) {
      status(evt.detail.elt, "Niet opgeslagen: deze uitvoeringsafspraak kan niet meer worden gewijzigd. Uw tekst staat er nog; " +
        "kopieer wat u wilt bewaren en vernieuw de pagina.");
    } else {
      status(evt.detail.elt, "Niet opgeslagen door een fout bij de server. Uw invoer staat er nog; probeer het over een minuut opnieuw.");
    }
  });
  document.addEventListener("htmx:sendError", function (evt) {
    mislukt = true;
    status(evt.detail.elt, "Niet opgeslagen: geen verbinding. Uw invoer staat er nog; probeer het opnieuw zodra er weer verbinding is.");
  });

  // The page's buttons. "Opslaan" saves through htmx; the others (next step, and row buttons where htmx is not
  // asked to act) post the page form once the saves under way are done, so that its versions are current.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.id !== "fase-formulier") { return; }
    var knop = evt.submitter;
    var actie = knop ? knop.value : "opslaan";
    if (actie === "opslaan" || actie.indexOf("opslaan:") === 0) {
      evt.preventDefault();
      var sectie = actie.indexOf(":") > 0 ? document.getElementById("sectie-" + actie.slice(8)) : null;
      var blok = sectie && sectie.querySelector("[data-autosave]");
      if (blok) { blok.setAttribute("data-gewijzigd", ""); }
      bewaarAlles(function () {});
      return;
    }
    timers.forEach(function (timer) { clearTimeout(timer); });
    timers.clear();  // what they would save is in the form that is posted now
    if (onderweg > 0) {
      evt.preventDefault();
      wachtTotRust(function () { form.requestSubmit(knop); });
      return;
    }
    werkTokenBij();
    wegVanPagina = true;
  });

  // Links away from the page wait for the saves; when one fails, the page stays and says why.
  document.addEventListener("click", function (evt) {
    var link = evt.target.closest ? evt.target.closest("a[href]") : null;
    if (!link || evt.defaultPrevented || evt.button !== 0 || evt.metaKey || evt.ctrlKey || evt.shiftKey || evt.altKey ||
        link.target === "_blank" || link.hasAttribute("download") || link.getAttribute("href").charAt(0) === "#" ||
        link.hasAttribute("hx-get") || nietsOpen()) {
      return;
    }
    evt.preventDefault();
    bewaarAlles(function (gelukt) {
      if (gelukt) { window.location.href = link.href; }
    });
  });

  window.addEventListener("beforeunload", function (evt) {
    if (wegVanPagina || nietsOpen()) { return; }
    bewaarAlles(function () {});
    evt.preventDefault();
    evt.returnValue = "";
  });
  window.addEventListener("pageshow", function () { wegVanPagina = false; });

  // Shortly before the session ends (8 hours after logging in, accounts/sessies.py), and when it has: say so at the
  // top of the page, once each, so that nobody is surprised in the middle of a sentence.
  var einde = Number(document.body.getAttribute("data-sessie-einde")) * 1000;
  function waarschuw(tekst) {
    var main = document.getElementById("inhoud");
    var melding = document.getElementById("sessie-melding");
    if (!main) { return; }
    if (!melding) {
      melding = document.createElement("div");
      melding.id = "sessie-melding";
      melding.className = "melding melding--warning";
      melding.setAttribute("role", "alert");
      main.insertBefore(melding, main.firstChild);
    }
    melding.textContent = tekst;
  }
  if (einde) {
    var om = new Date(einde).toLocaleTimeString("nl-NL", {hour: "2-digit", minute: "2-digit"});
    var nu = Date.now();
    setTimeout(function () {
      waarschuw("Uw sessie eindigt om " + om + ". Wat u tot dan typt, wordt bewaard; daarna logt u opnieuw in " +
        "om verder te gaan.");
    }, Math.max(0, einde - 10 * 60 * 1000 - nu));
    setTimeout(function () {
      waarschuw("Uw sessie is om " + om + " geëindigd. Wat op de pagina staat, blijft staan; log opnieuw in " +
        "(in een ander tabblad) om het op te slaan.");
    }, Math.max(0, einde - nu));
  }

  // When a swap removes the element that had focus (a deleted row, a conflict), put focus somewhere sensible
  // instead of letting it fall back to the top of the page; errors get focus, and the title says "Fout:".
  document.addEventListener("htmx:afterSwap", function (evt) {
    var doel = evt.detail.target && evt.detail.target.id ? document.getElementById(evt.detail.target.id) : null;
    var fout = document.querySelector(".foutsamenvatting, .conflict");
    document.title = (fout ? "Fout: " : "") + document.title.replace(/^Fout: /, "");
    if (!doel) { return; }
    var eerst = doel.querySelector(".conflict, .foutsamenvatting, .bevestiging");
    if (eerst) { eerst.focus(); return; }
    if (document.activeElement !== document.body && document.body.contains(document.activeElement)) { return; }
    var naar;
    if (doel.classList.contains("rij--nieuw")) {
      // The form to add a row, just opened: its first field.
      naar = doel.querySelector("input:not([type=hidden]), select, textarea");
    } else if (doel.classList.contains("rij")) {
      // A row opened for editing: its first field; a row closed: its first button.
      naar = doel.querySelector(".rij__formulier input:not([type=hidden]), .rij__formulier select, .rij__formulier textarea") ||
        doel.querySelector("button");
    } else {
      naar = doel.querySelector("h2");
    }
    if (naar) { naar.focus(); }
  });
})();
