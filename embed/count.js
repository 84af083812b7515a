/* Tandem comment counts: fills every [data-tandem-count="/uri/"] element of the page with a
   localised "N comments", from one request. */
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
  var base = script.src.replace(/\/count\.js([?#].*)?$/, "");
  var lang = (script.dataset.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  if (!COUNT[lang]) lang = "en";
  var plural = new Intl.PluralRules(lang);

  function fill() {
    var elements = Array.prototype.slice.call(document.querySelectorAll("[data-tandem-count]"));
    var uris = elements.map(function (el) { return el.getAttribute("data-tandem-count"); });
    if (!uris.length) return;
    fetch(base + "/api/counts", {
      method: "POST", credentials: "omit", mode: "cors", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ site: script.dataset.site, uris: uris.filter(function (uri, i) { return uris.indexOf(uri) === i; }) })
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (data) {
      if (!data) return;
      elements.forEach(function (el, i) {
        var n = data.counts[uris[i]];
        if (typeof n !== "number") return;
        var forms = COUNT[lang];
        el.textContent = (forms[plural.select(n)] || forms.other).replace("{n}", n.toLocaleString(lang));
      });
    }, function () { /* counts are decoration: leave the page as it is */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
