/* Tandem comment counts: fills every [data-tandem-count="/uri/"] element of the page with a
   localised "N comments", from one request, and keeps them in step with the widget on the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var COUNT = {
    en: { one: "{n} comment", other: "{n} comments" },
    de: { one: "{n} Kommentar", other: "{n} Kommentare" },
    fr: { one: "{n} commentaire", other: "{n} commentaires" },
    es: { one: "{n} comentario", other: "{n} comentarios" }
  };
  var SELECTOR = "[data-tandem-count]";
  var base = script.src.replace(/\/count\.js([?#].*)?$/, "");
  var site = script.dataset.site;
  var lang = (script.dataset.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  if (!COUNT[lang]) lang = "en";
  var plural = new Intl.PluralRules(lang);

  function show(el, n) {
    var forms = COUNT[lang];
    el.textContent = (forms[plural.select(n)] || forms.other).replace("{n}", n.toLocaleString(lang));
  }

  /* The thread a counter names, as the widget names it: a full address counts by its path. */
  function path(uri) {
    uri = uri.split("#")[0];
    return uri.indexOf("://") >= 0 ? "/" + uri.split("://")[1].split("/").slice(1).join("/") : uri;
  }

  function fill() {
    var elements = Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
    var uris = elements.map(function (el) { return el.getAttribute("data-tandem-count"); });
    if (!uris.length) return;
    fetch(base + "/api/counts", {
      method: "POST", credentials: "omit", mode: "cors", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ site: site, uris: uris.filter(function (uri, i) { return uris.indexOf(uri) === i; }) })
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (data) {
      if (!data) return;
      elements.forEach(function (el, i) {
        var n = data.counts[uris[i]];
        if (typeof n === "number") show(el, n);
      });
    }, function () { /* counts are decoration: leave the page as it is */ });
  }

  /* The widget announces its thread's count whenever it changes (a post, an edit, a deletion). */
  document.addEventListener("tandem:count", function (event) {
    var thread = event.detail || {};
    if (thread.site !== site || typeof thread.count !== "number") return;
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (path(el.getAttribute("data-tandem-count")) === path(thread.uri)) show(el, thread.count);
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
